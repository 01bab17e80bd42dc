package dev.statelens.engine.random;

import static dev.statelens.engine.random.NumpyPrinted.assertScalar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;

/**
 * Values from JAX's own tests and docs for the layout JAX used before 0.5.0
 * ({@code jax_threefry_partitionable=False}). They pin down the threefry_2x32 counter layout,
 * the samplers' arithmetic and randint's wrap-around combination, which the partitionable layout
 * shares.
 */
class OriginalLayoutJaxValuesTest {

  private static final HostRandom RANDOM = HostRandom.ORIGINAL;

  /** JAX tests/random_test.py testPRNGValues, {@code k = key(0)}. */
  @Test
  void prngValues() {
    KeyData key = KeyData.fromSeed(0);
    assertArrayEquals(new int[] {2, 1, 3, 6, 1, 5, 6, 3, 4}, RANDOM.randint(key, 9, 0, 8));
    long[][] splitData = {
      {2285895361L, 1501764800L}, {1518642379L, 4090693311L},
      {433833334L, 4221794875L}, {839183663L, 3740430601L},
    };
    KeyData[] keys = RANDOM.split(key, 4);
    for (int i = 0; i < 4; i++) {
      assertEquals(new KeyData((int) splitData[i][0], (int) splitData[i][1]), keys[i]);
    }
    assertEquals(new KeyData((int) 2285895361L, 433833334), RANDOM.foldIn(key, 4));
  }

  /** JAX tests/random_test.py testRngRandomBits, {@code key(1701)}, 32 and 64 (x64) bits. */
  @Test
  void rngRandomBits() {
    KeyData key = KeyData.fromSeed(1701);
    assertArrayEquals(
        new int[] {56197195, (int) 4200222568L, 961309823}, RANDOM.bits32(key, 3));
    assertArrayEquals(
        new long[] {
          3982329540505020460L, Long.parseUnsignedLong("16822122385914693683"), 7882654074788531506L
        },
        RANDOM.bits64(key, 3));
  }

  /**
   * JAX tests/random_test.py _RANDOM_VALUES_CASES (threefry2x32, shape (5,)); each case's seed
   * is {@code zlib.adler32((name + prng_impl).encode())}. Floats are listed to 6 decimals there
   * and compared with assertAllClose, so they are compared to 1e-6 here.
   */
  @Test
  void randomValuesCases() {
    assertArrayEquals(
        new int[] {1978747883, (int) 4134381225L, (int) 3628107870L, 689687174, (int) 2788938207L},
        RANDOM.bits32(caseKey("bits"), 5));
    assertArrayEquals(
        new long[] {
          Long.parseUnsignedLong("17649965731882839947"), 1415307058040849897L,
          8282622628079774249L, Long.parseUnsignedLong("14024425113645909402"),
          2012979996110532418L
        },
        RANDOM.bits64(caseKey("bits"), 5));
    assertArrayEquals(
        new float[] {0.298671f, 0.073213f, 0.873356f, 0.260549f, 0.412797f},
        RANDOM.uniformF32(caseKey("uniform"), 5, 0f, 1f),
        1e-6f);
    assertArrayEquals(
        new float[] {-1.173234f, -1.511662f, 0.070593f, -0.099764f, 1.052845f},
        RANDOM.normalF32(caseKey("normal"), 5),
        1e-6f);
    assertArrayEquals(
        new boolean[] {false, true, true, true, false},
        RANDOM.bernoulli(caseKey("bernoulli"), 0.5f, 5));
    assertArrayEquals(new int[] {0, 5, 7, 7, 5}, RANDOM.randint(caseKey("randint"), 5, 0, 10));
  }

  private static KeyData caseKey(String name) {
    Adler32 adler = new Adler32();
    adler.update((name + "threefry2x32").getBytes(StandardCharsets.US_ASCII));
    return KeyData.fromSeed(adler.getValue());
  }

  /**
   * The docstring of jax/experimental/key_reuse/__init__.py (written for JAX 0.4.26):
   * {@code jax.random.normal(jax.random.key(0))} is {@code -0.20584226}.
   */
  @Test
  void normalOfKey0FromTheKeyReuseDocs() {
    assertScalar("-0.20584226", RANDOM.normalF32(KeyData.fromSeed(0), 1)[0]);
  }
}
