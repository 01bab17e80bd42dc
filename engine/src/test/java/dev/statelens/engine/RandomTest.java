package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.random.HostRandom;
import dev.statelens.engine.random.KeyData;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link Random} eagerly and under {@link Transforms#jit}: JAX's published values bit for bit,
 * and every sampler equal to {@link HostRandom}'s reference (itself checked against JAX's values
 * in the random package's tests).
 */
class RandomTest {

  private static final HostRandom HOST = HostRandom.PARTITIONABLE;

  // ---- JAX's published values (docs.jax.dev; see docs/prng.md) ---------------------------------

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void uniformOfKey0MatchesTheJaxRandomModuleDocs() {
    Key key = Random.key(0);
    assertEquals(0.947667f, Random.uniform(key).floatValue()); // Array(0.947667, dtype=float32)
    Function<Key, Array> jitted = Transforms.jit((Key k) -> Random.uniform(k));
    assertEquals(0.947667f, jitted.apply(key).floatValue());
  }

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void normalOfKey42MatchesThePseudorandomNumbersTutorial() {
    Key key = Random.key(42);
    assertEquals(-0.028304616f, Random.normal(key).floatValue());
    Function<Key, Array> jitted = Transforms.jit((Key k) -> Random.normal(k));
    assertEquals(-0.028304616f, jitted.apply(key).floatValue());
  }

  /** The tutorial's loop: {@code new_key, subkey = split(key); normal(subkey); key = new_key}. */
  @Test
  void splitLoopMatchesTheTutorialEagerlyAndUnderJit() {
    double[] printed = {0.6057640314102173, -0.21089035272598267, -0.3948981463909149};
    Function<Key, Pair<Key, Array>> step = k -> {
      Pair<Key, Key> keys = Random.split(k);
      return Pair.of(keys.first(), Random.normal(keys.second()));
    };
    Function<Key, Pair<Key, Array>> jitted = Transforms.jit(step);
    Key eagerKey = Random.key(42);
    Key jitKey = Random.key(42);
    for (double expected : printed) {
      Pair<Key, Array> eager = step.apply(eagerKey);
      Pair<Key, Array> traced = jitted.apply(jitKey);
      assertEquals(expected, eager.second().floatValue(), 0.0);
      assertEquals(expected, traced.second().floatValue(), 0.0);
      eagerKey = eager.first();
      jitKey = traced.first();
    }
  }

  // ---- every sampler equals the host reference, eagerly and under jit --------------------------

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void keysSplitAndFoldInMatchTheReference() {
    Key key = Random.key(1701);
    assertArrayEquals(new int[] {0, 1701}, key.data());
    assertArrayEquals(new int[] {-1, -3}, Random.key(-3L).data()); // int64 seed, as JAX with x64
    assertArrayEquals(new int[] {0, -3}, Random.key(-3).data()); // int32 seed
    KeyData[] expected = HOST.split(KeyData.fromSeed(1701), 5);
    List<Key> eager = Random.split(key, 5);
    List<Key> jitted = Transforms.jit((Key k) -> Random.split(k, 5)).apply(key);
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(expected[i].toArray(), eager.get(i).data());
      assertArrayEquals(expected[i].toArray(), jitted.get(i).data());
    }
    KeyData folded = HOST.foldIn(KeyData.fromSeed(1701), -7);
    assertArrayEquals(folded.toArray(), Random.foldIn(key, -7).data());
    assertArrayEquals(
        folded.toArray(), Transforms.jit((Key k) -> Random.foldIn(k, -7)).apply(key).data());
    assertTrue(Random.split(key, 0).isEmpty());
  }

  @Test
  void bitsUniformAndNormalMatchTheReference() {
    Key key = Random.key(7);
    KeyData data = KeyData.fromSeed(7);
    int[] shape = {3, 4};
    assertBoth(key, k -> Random.bits(k, shape), a -> assertArrayEquals(HOST.bits32(data, 12), a.toIntArray()));
    assertBoth(key, k -> Random.uniform(k, shape),
        a -> assertArrayEquals(HOST.uniformF32(data, 12, 0f, 1f), a.toFloatArray(), 0f));
    assertBoth(key, k -> Random.uniform(k, shape, DType.F32, -3.5, 2.25),
        a -> assertArrayEquals(HOST.uniformF32(data, 12, -3.5f, 2.25f), a.toFloatArray(), 0f));
    assertBoth(key, k -> Random.uniform(k, shape, DType.F64),
        a -> assertArrayEquals(HOST.uniformF64(data, 12, 0, 1), a.toDoubleArray(), 0));
    assertBoth(key, k -> Random.normal(k, shape),
        a -> assertArrayEquals(HOST.normalF32(data, 12), a.toFloatArray(), 0f));
    assertBoth(key, k -> Random.normal(k, shape, DType.F64),
        a -> assertArrayEquals(HOST.normalF64(data, 12), a.toDoubleArray(), 0));
  }

  @Test
  void bernoulliAndRandintMatchTheReference() {
    Key key = Random.key(11);
    KeyData data = KeyData.fromSeed(11);
    assertBoth(key, k -> Random.bernoulli(k, 0.3, 50),
        a -> assertArrayEquals(HOST.bernoulli(data, 0.3f, 50), a.toBooleanArray()));
    int[][] ranges = {{0, 10}, {-3, 7}, {5, 5}, {9, 2}, {Integer.MIN_VALUE, Integer.MAX_VALUE}, {0, 1 << 30}};
    for (int[] range : ranges) {
      assertBoth(key, k -> Random.randint(k, new int[] {2, 25}, range[0], range[1]),
          a -> assertArrayEquals(HOST.randint(data, 50, range[0], range[1]), a.toIntArray(),
              () -> "randint in [" + range[0] + ", " + range[1] + ")"));
    }
  }

  @Test
  void bernoulliAcceptsATracedProbabilityArray() {
    Key key = Random.key(3);
    Array p = Array.of(0.1f, 0.5f, 0.9f);
    BiFunctionOfKeyAndArray draw = (k, probabilities) -> Random.bernoulli(k, probabilities, 2, 3);
    Array eager = draw.apply(key, p);
    Array traced = Transforms.jit((Key k, Array q) -> draw.apply(k, q)).apply(key, p);
    float[] u = HOST.uniformF32(KeyData.fromSeed(3), 6, 0f, 1f);
    float[] probabilities = {0.1f, 0.5f, 0.9f, 0.1f, 0.5f, 0.9f};
    boolean[] expected = new boolean[6];
    for (int i = 0; i < 6; i++) {
      expected[i] = u[i] < probabilities[i];
    }
    assertArrayEquals(expected, eager.toBooleanArray());
    assertArrayEquals(expected, traced.toBooleanArray());
  }

  @FunctionalInterface
  private interface BiFunctionOfKeyAndArray {
    Array apply(Key key, Array p);
  }

  private static void assertBoth(Key key, Function<Key, Array> sampler, java.util.function.Consumer<Array> check) {
    check.accept(sampler.apply(key));
    check.accept(Transforms.jit(sampler).apply(key));
  }

  // ---- keys are pytrees; the graph uses JAX's primitives ---------------------------------------

  @Test
  void aJittedFunctionTakesAndReturnsKeys() {
    Function<Key, Key> next = Transforms.jit((Key k) -> Random.split(k).first());
    Key key = Random.key(5);
    Key once = next.apply(key);
    assertArrayEquals(HOST.split(KeyData.fromSeed(5), 2)[0].toArray(), once.data());
    assertArrayEquals(HOST.split(HOST.split(KeyData.fromSeed(5), 2)[0], 2)[0].toArray(), next.apply(once).data());
    assertEquals(1, Tree.leaves(key).size());
  }

  @Test
  void theTracedGraphUsesThreefryAndErfInv() {
    Jaxpr jaxpr = Transforms.makeJaxpr((Key k) -> Random.normal(k, 4), Random.key(0));
    String text = jaxpr.toString();
    assertTrue(text.contains("threefry2x32"), text);
    assertTrue(text.contains("erf_inv"), text);
  }

  @Test
  void keyDataNeedsAConcreteKey() {
    Function<Key, Array> leak = Transforms.jit((Key k) -> {
      k.data();
      return k.keyData();
    });
    assertThrows(ConcretizationError.class, () -> leak.apply(Random.key(0)));
  }

  // ---- errors ----------------------------------------------------------------------------------

  @Test
  void badArgumentsGetClearMessages() {
    IllegalArgumentException wrongKey =
        assertThrows(IllegalArgumentException.class, () -> new Key(Array.of(1f, 2f)));
    assertTrue(wrongKey.getMessage().contains("Random.key(seed)"), wrongKey.getMessage());
    IllegalArgumentException intUniform = assertThrows(
        IllegalArgumentException.class, () -> Random.uniform(Random.key(0), new int[] {2}, DType.I32));
    assertTrue(intUniform.getMessage().contains("randint"), intUniform.getMessage());
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> Random.normal(Random.key(0), 2, -1));
    assertTrue(negative.getMessage().contains("negative"), negative.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Random.split(Random.key(0), -1));
    assertThrows(IllegalArgumentException.class, () -> Random.uniform(null, 2));
    ShapeError badP = assertThrows(
        ShapeError.class, () -> Random.bernoulli(Random.key(0), Array.of(0.5f, 0.5f), 3));
    assertTrue(badP.getMessage().contains("broadcast"), badP.getMessage());
  }

  // ---- secondary: statistics -------------------------------------------------------------------

  @Test
  void hundredThousandNormalsHaveMeanZeroAndUnitVariance() {
    int n = 100_000;
    float[] values = Random.normal(Random.key(2024), n).toFloatArray();
    double sum = 0;
    double sumSquares = 0;
    for (float v : values) {
      sum += v;
      sumSquares += (double) v * v;
    }
    double mean = sum / n;
    double variance = sumSquares / n - mean * mean;
    // Five standard errors: mean has sd 1/sqrt(n), the variance sqrt(2/n).
    assertEquals(0, mean, 5 / Math.sqrt(n));
    assertEquals(1, variance, 5 * Math.sqrt(2.0 / n));
  }
}
