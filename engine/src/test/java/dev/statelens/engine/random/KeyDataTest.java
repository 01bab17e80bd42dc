package dev.statelens.engine.random;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Seeds to key data, from JAX's tests/random_test.py test_prng_seeds_and_keys. Java {@code int}
 * seeds behave like JAX's int32 seeds; {@code long} seeds like int64 seeds with
 * {@code jax_enable_x64} (without x64 JAX keeps only the low 32 bits of every seed).
 */
class KeyDataTest {

  @Test
  void int32SeedsMatchJax() {
    assertEquals("[0 0]", KeyData.fromSeed(0).toString());
    assertEquals("[0 1]", KeyData.fromSeed(1).toString());
    assertEquals("[0 4294967294]", KeyData.fromSeed(-2).toString()); // np.int32(-2)
    assertEquals("[0 2147483747]", KeyData.fromSeed((int) (Integer.MAX_VALUE + 100L)).toString());
  }

  @Test
  void int64SeedsMatchJaxWithX64() {
    assertEquals("[0 3]", KeyData.fromSeed(3L).toString());
    assertEquals("[4294967295 4294967295]", KeyData.fromSeed(-1L).toString());
    assertEquals("[4294967295 4294967293]", KeyData.fromSeed(-3L).toString());
    assertEquals("[4294967295 2147483547]", KeyData.fromSeed(Integer.MIN_VALUE - 101L).toString());
  }

  /** docs.jax.dev "Pseudorandom numbers": {@code print(random.key(42))} shows {@code [ 0 42]}. */
  @Test
  void keyFortyTwo() {
    assertEquals(new KeyData(0, 42), KeyData.fromSeed(42L));
    assertEquals(0, KeyData.fromSeed(42).toArray()[0]);
    assertEquals(42, KeyData.fromSeed(42).toArray()[1]);
  }
}
