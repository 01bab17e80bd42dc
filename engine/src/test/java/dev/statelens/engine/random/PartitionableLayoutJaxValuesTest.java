package dev.statelens.engine.random;

import static dev.statelens.engine.random.NumpyPrinted.assertArray;
import static dev.statelens.engine.random.NumpyPrinted.assertScalar;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Values JAX's own documentation prints with its current default layout
 * ({@code jax_threefry_partitionable=True}, JAX >= 0.5.0), reproduced bit for bit.
 */
class PartitionableLayoutJaxValuesTest {

  private static final HostRandom RANDOM = HostRandom.PARTITIONABLE;

  /**
   * docs.jax.dev/en/latest/jax.random.html (the doctested docstring of jax/random.py):
   * {@code random.uniform(random.key(0))} is {@code 0.947667}; after
   * {@code key, subkey = random.split(key)}, {@code random.uniform(subkey)} is
   * {@code 0.00729382}.
   */
  @Test
  void uniformFromTheJaxRandomModuleDocs() {
    KeyData key = KeyData.fromSeed(0);
    assertScalar("0.947667", RANDOM.uniformF32(key, 1, 0f, 1f)[0]);
    KeyData subkey = RANDOM.split(key, 2)[1];
    assertScalar("0.00729382", RANDOM.uniformF32(subkey, 1, 0f, 1f)[0]);
  }

  /** docs.jax.dev "Pseudorandom numbers": {@code print(random.normal(random.key(42)))}. */
  @Test
  void normalOfKey42() {
    assertScalar("-0.028304616", RANDOM.normalF32(KeyData.fromSeed(42), 1)[0]);
  }

  /**
   * docs.jax.dev "Pseudorandom numbers": three draws, each {@code new_key, subkey =
   * random.split(key); print(random.normal(subkey)); key = new_key}, printed as Python floats.
   */
  @Test
  void splitLoopDrawsFromTheTutorial() {
    double[] printed = {0.6057640314102173, -0.21089035272598267, -0.3948981463909149};
    KeyData key = KeyData.fromSeed(42);
    for (double expected : printed) {
      KeyData[] keys = RANDOM.split(key, 2);
      assertEquals(expected, (double) RANDOM.normalF32(keys[1], 1)[0], 0.0);
      key = keys[0];
    }
  }

  /**
   * docs.jax.dev "Pseudorandom numbers", lack of sequential equivalence: normals drawn one per
   * key of {@code random.split(random.key(42), 3)} versus {@code random.normal(key, shape=(3,))}.
   */
  @Test
  void individuallyVersusAllAtOnce() {
    KeyData key = KeyData.fromSeed(42);
    KeyData[] subkeys = RANDOM.split(key, 3);
    float[] individually = new float[3];
    for (int i = 0; i < 3; i++) {
      individually[i] = RANDOM.normalF32(subkeys[i], 1)[0];
    }
    assertArray("[0.07592554 0.60576403 0.4323065 ]", individually);
    assertArray("[-0.02830462  0.46713185  0.29570296]", RANDOM.normalF32(key, 3));
  }

  /**
   * JAX's tests/random_test.py test_threefry_split_fold_in_symmetry (partitionable only):
   * {@code fold_in(key, i)} equals {@code split(key, 3)[i]} for {@code key(72)}.
   */
  @Test
  void splitAndFoldInAgree() {
    KeyData key = KeyData.fromSeed(72);
    KeyData[] split = RANDOM.split(key, 3);
    for (int i = 0; i < 3; i++) {
      assertEquals(split[i], RANDOM.foldIn(key, i));
    }
  }

  /** Splitting draws element {@code i} from counter {@code i} alone: prefixes agree. */
  @Test
  void outputsArePrefixStable() {
    KeyData key = KeyData.fromSeed(1701);
    int[] five = RANDOM.bits32(key, 5);
    int[] three = RANDOM.bits32(key, 3);
    for (int i = 0; i < 3; i++) {
      assertEquals(five[i], three[i]);
    }
    assertEquals(RANDOM.split(key, 7)[4], RANDOM.split(key, 5)[4]);
  }
}
