package dev.statelens.engine;

import static dev.statelens.engine.SampleMoments.mean;
import static dev.statelens.engine.SampleMoments.variance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.random.HostRandom;
import dev.statelens.engine.random.KeyData;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;

/**
 * The distributions beyond uniform/normal: gumbel, exponential, laplace, logistic, rademacher,
 * pareto, weibullMin, maxwell, doubleSidedMaxwell, truncatedNormal, categorical, permutation,
 * choice.
 *
 * <p>Evidence, strongest first: JAX's own published values (original layout, see
 * {@link #jaxRandomValuesCases}); a plain-Java reference of JAX's algorithm on
 * {@link HostRandom} bits (permutation, choice); jit == eager and vmap == loop; statistics
 * with fixed keys and bounds more than 5 standard errors wide, so they cannot flake.
 */
class RandomDistributionsTest {

  // ---- JAX's published values -------------------------------------------------------------------

  /**
   * JAX tests/random_test.py {@code _RANDOM_VALUES_CASES} (JAX 0.4.x, {@code threefry2x32},
   * shape (5,), float32; run by {@code testRandomDistributionValues}, which is skipped with
   * {@code jax_threefry_partitionable=True}, so the values are in the original layout). Each
   * case's key is {@code PRNGKey(zlib.adler32((name + "threefry2x32").encode()))}. JAX compares
   * them with {@code assertAllClose} at float32's default tolerance (1e-6 absolute and relative),
   * as here: the values are printed to 6 decimals.
   */
  @Test
  void jaxRandomValuesCases() {
    RandomSampler jax = RandomSampler.ORIGINAL;
    int[] five = {5};
    assertClose(new float[] {0.526067f, 0.043046f, 0.039932f, 0.46427f, 0.123886f},
        jax.exponential(caseKey("exponential"), five, DType.F32));
    assertClose(new float[] {2.06701f, 0.911726f, 0.145736f, 0.185427f, -0.00711f},
        jax.gumbel(caseKey("gumbel"), five, DType.F32));
    assertClose(new float[] {0.578939f, -0.204902f, 0.555733f, 0.911053f, -0.96456f},
        jax.laplace(caseKey("laplace"), five, DType.F32));
    assertClose(new float[] {0.19611f, -1.709053f, -0.274093f, -0.208322f, -1.675489f},
        jax.logistic(caseKey("logistic"), five, DType.F32));
    assertClose(new float[] {0.582807f, 1.709771f, 0.159513f, 0.861376f, 0.36148f},
        jax.truncatedNormal(caseKey("truncated_normal"), 0, 2, five, DType.F32));
    assertArrayEquals(new int[] {-1, -1, -1, -1, 1},
        jax.rademacher(caseKey("rademacher"), five, DType.I32).toIntArray());
    assertClose(new float[] {2.751398f, 1.281863f, 87.85448f, 1.254542f, 2.824487f},
        jax.pareto(caseKey("pareto"), 0.5, five, DType.F32));
    assertClose(new float[] {1.605863f, 0.841809f, 0.224218f, 0.4826f, 0.027901f},
        jax.weibullMin(caseKey("weibull_min"), 1, 1, five, DType.F32));
    assertClose(new float[] {3.070779f, 0.908479f, 1.521317f, 0.875551f, 1.306137f},
        jax.maxwell(caseKey("maxwell"), five, DType.F32));
    assertClose(new float[] {-2.408914f, -3.370437f, 3.235352f, -0.907734f, -1.708732f},
        jax.doubleSidedMaxwell(caseKey("double_sided_maxwell"), 1, 2, five, DType.F32));
  }

  /**
   * The traced original layout itself, against the same table's bits/uniform/normal/randint
   * cases and testPRNGValues' {@code split(PRNGKey(0), 4)}: the layout the values above rest on.
   */
  @Test
  void originalLayoutReproducesJaxsBasicCases() {
    RandomSampler jax = RandomSampler.ORIGINAL;
    int[] five = {5};
    assertArrayEquals(
        new int[] {1978747883, (int) 4134381225L, (int) 3628107870L, 689687174, (int) 2788938207L},
        jax.bits(caseKey("bits"), five).toIntArray());
    assertClose(new float[] {0.298671f, 0.073213f, 0.873356f, 0.260549f, 0.412797f},
        jax.uniform(caseKey("uniform"), five, DType.F32, 0, 1));
    assertClose(new float[] {-1.173234f, -1.511662f, 0.070593f, -0.099764f, 1.052845f},
        jax.normal(caseKey("normal"), five, DType.F32));
    assertArrayEquals(new int[] {0, 5, 7, 7, 5}, jax.randint(caseKey("randint"), five, 0, 10).toIntArray());
    List<Key> keys = jax.split(Random.key(0), 4);
    assertArrayEquals(new int[] {(int) 2285895361L, 1501764800}, keys.get(0).data());
    assertArrayEquals(new int[] {839183663, (int) 3740430601L}, keys.get(3).data());
  }

  private static Key caseKey(String name) {
    Adler32 adler = new Adler32();
    adler.update((name + "threefry2x32").getBytes(StandardCharsets.US_ASCII));
    return Random.key(adler.getValue());
  }

  private static void assertClose(float[] expected, Array actual) {
    float[] got = actual.toFloatArray();
    assertEquals(expected.length, got.length);
    for (int i = 0; i < expected.length; i++) {
      double tolerance = 1e-6 + 1e-6 * Math.abs(expected[i]);
      assertEquals(expected[i], got[i], tolerance, "element " + i + " of " + Arrays.toString(got));
    }
  }

  // ---- JAX's algorithms on plain Java arrays --------------------------------------------------

  /**
   * JAX's {@code _shuffle} on host bits: {@code ceil(3 ln n / ln(2^32 - 1))} rounds of
   * {@code key, sub = split(key)} and a stable sort by {@code bits(sub)} as unsigned numbers.
   */
  private static int[] hostPermutation(KeyData key, int n) {
    HostRandom host = HostRandom.PARTITIONABLE;
    int rounds = (int) Math.ceil(3 * Math.log(Math.max(1, n)) / Math.log(4294967295.0));
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int r = 0; r < rounds; r++) {
      KeyData[] keys = host.split(key, 2);
      key = keys[0];
      int[] sortKeys = host.bits32(keys[1], n);
      Integer[] positions = new Integer[n];
      for (int i = 0; i < n; i++) {
        positions[i] = i;
      }
      Arrays.sort(positions, (i, j) -> Integer.compareUnsigned(sortKeys[i], sortKeys[j])); // stable
      Integer[] next = new Integer[n];
      for (int i = 0; i < n; i++) {
        next[i] = order[positions[i]];
      }
      order = next;
    }
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void permutationFollowsJaxsSortRoundsOneRoundAndTwo() {
    Key key = Random.key(42);
    KeyData hostKey = KeyData.fromSeed(42);
    assertArrayEquals(hostPermutation(hostKey, 10), Random.permutation(key, 10).toIntArray());
    // 2000 elements need two rounds (one suffices up to about 1600)
    assertArrayEquals(hostPermutation(hostKey, 2000), Random.permutation(key, 2000).toIntArray());
    assertArrayEquals(new int[0], Random.permutation(key, 0).toIntArray());
    assertArrayEquals(new int[] {0}, Random.permutation(key, 1).toIntArray()); // zero rounds
  }

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void permutationOfRowsMovesWholeRowsAndIndependentShufflesEachColumn() {
    Key key = Random.key(3);
    Array x = Array.arange(12).reshape(6, 2);
    int[] order = Random.permutation(key, 6).toIntArray();
    Array rows = Random.permutation(key, x);
    int[] got = rows.toIntArray();
    for (int i = 0; i < 6; i++) {
      assertEquals(2 * order[i], got[2 * i]);
      assertEquals(2 * order[i] + 1, got[2 * i + 1]);
    }
    Array columns = Random.permutation(key, x, 0, true);
    int[][] byColumn = new int[2][6];
    int[] values = columns.toIntArray();
    for (int i = 0; i < 6; i++) {
      byColumn[0][i] = values[2 * i] / 2;
      byColumn[1][i] = (values[2 * i + 1] - 1) / 2;
    }
    assertNotEquals(Arrays.toString(byColumn[0]), Arrays.toString(byColumn[1]), "columns got one order");
    for (int[] column : byColumn) {
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, Arrays.stream(column).sorted().toArray());
    }
    // along axis 1: each row's two entries, swapped or not
    Array alongRows = Random.permutation(key, x, 1, false);
    int[] swapped = alongRows.toIntArray();
    for (int i = 0; i < 6; i++) {
      assertEquals(4 * i + 1, swapped[2 * i] + swapped[2 * i + 1]);
    }
  }

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void choiceWithAndWithoutReplacementFollowsJax() {
    Key key = Random.key(5);
    // with replacement and no p: randint(key, shape, 0, n)
    assertArrayEquals(Random.randint(key, new int[] {2, 3}, 0, 10).toIntArray(),
        Random.choice(key, 10, 2, 3).toIntArray());
    // without replacement: the first draws of permutation(key, n)
    int[] perm = Random.permutation(key, 10).toIntArray();
    assertArrayEquals(Arrays.copyOf(perm, 4),
        Random.choice(key, 10, new int[] {4}, false, null).toIntArray());
    // from an array along an axis: a's shape with the axis replaced by the draw shape
    Array a = Array.arange(12).reshape(3, 4);
    Array picked = Random.choice(key, a, new int[] {2, 5}, true, null, 1);
    assertArrayEquals(new int[] {3, 2, 5}, picked.shape());
    int[] idx = Random.randint(key, new int[] {2, 5}, 0, 4).toIntArray();
    int[] values = picked.toIntArray();
    for (int r = 0; r < 3; r++) {
      for (int j = 0; j < 10; j++) {
        assertEquals(4 * r + idx[j], values[r * 10 + j]);
      }
    }
  }

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void weightedChoiceSearchesTheCumulativeSumAndTopKSkipsZeroWeights() {
    Key key = Random.key(11);
    Array p = Array.of(0.5f, 0f, 0.25f, 0.25f); // dyadic: the cumulative sums are exact
    int n = 40_000;
    int[] draws = Random.choice(key, 4, new int[] {n}, true, p).toIntArray();
    float[] u = Random.uniform(key, n).toFloatArray();
    int[] counts = new int[4];
    for (int i = 0; i < n; i++) {
      float r = 1f - u[i]; // total is 1: r = 1 * (1 - u)
      int expected = r <= 0.5f ? 0 : (r <= 0.75f ? 2 : 3); // searchsorted([.5, .5, .75, 1], r, left)
      assertEquals(expected, draws[i], "draw " + i);
      counts[draws[i]]++;
    }
    assertEquals(0, counts[1]);
    assertEquals(0.5, counts[0] / (double) n, 5 * Math.sqrt(0.25 / n));
    // without replacement: distinct, never the zero-weight entry while others remain
    for (int seed = 0; seed < 20; seed++) {
      int[] three = Random.choice(Random.key(seed), 4, new int[] {3}, false, p).toIntArray();
      assertArrayEquals(new int[] {0, 2, 3}, Arrays.stream(three).sorted().toArray());
    }
  }

  // ---- jit == eager, vmap == loop -----------------------------------------------------------------

  private static Array allSamplers(Key key) {
    List<Key> k = Random.split(key, 13);
    Array logits = Array.of(0.1f, 2f, -1f, 0.5f);
    return Array.concatenate(0,
        Random.gumbel(k.get(0), 3),
        Random.exponential(k.get(1), 3),
        Random.laplace(k.get(2), 3),
        Random.logistic(k.get(3), 3),
        Random.truncatedNormal(k.get(4), -1, 2, 3),
        Random.rademacher(k.get(5), new int[] {3}, DType.F32),
        Random.categorical(k.get(6), logits, -1, 3).astype(DType.F32),
        Random.permutation(k.get(7), 5).astype(DType.F32),
        Random.choice(k.get(8), 6, new int[] {3}, false, logits.exp().pad(new int[][] {{0, 2}}, 1f))
            .astype(DType.F32),
        Random.pareto(k.get(9), 2, 3),
        Random.weibullMin(k.get(10), 1.5, 2, new int[] {3}, DType.F32),
        Random.maxwell(k.get(11), new int[] {3}, DType.F32),
        Random.doubleSidedMaxwell(k.get(12), 1, 2, new int[] {3}, DType.F32));
  }

  @Test
  void jitGivesTheEagerBits() {
    Key key = Random.key(2024);
    Array eager = allSamplers(key);
    Array jitted = Transforms.jit(RandomDistributionsTest::allSamplers).apply(key);
    assertArrayEquals(eager.toFloatArray(), jitted.toFloatArray());
  }

  @Test
  void vmapOverSplitKeysEqualsTheLoop() {
    List<Key> keys = Random.split(Random.key(77), 4);
    Array stacked = Array.stack(0, keys.stream().map(Key::keyData).toList());
    Function<Array, Array> batched = Transforms.vmap((Array kd) -> allSamplers(new Key(kd)));
    Array all = batched.apply(stacked);
    for (int i = 0; i < keys.size(); i++) {
      assertArrayEquals(allSamplers(keys.get(i)).toFloatArray(), all.get(i).toFloatArray(), "key " + i);
    }
  }

  // ---- statistics (fixed keys; bounds > 5 standard errors) -----------------------------------

  private static final int N = 100_000;

  private static double[] sample(Array a) {
    float[] f = a.toFloatArray();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** Kolmogorov-Smirnov distance between the sample and a CDF. */
  private static double ksDistance(double[] x, java.util.function.DoubleUnaryOperator cdf) {
    double[] s = x.clone();
    Arrays.sort(s);
    double d = 0;
    for (int i = 0; i < s.length; i++) {
      double f = cdf.applyAsDouble(s[i]);
      d = Math.max(d, Math.max(f - (double) i / s.length, (double) (i + 1) / s.length - f));
    }
    return d;
  }

  /** KS bound: sqrt(-ln(alpha/2) / (2n)) at alpha = 1e-9. */
  private static final double KS_BOUND = Math.sqrt(-Math.log(0.5e-9) / (2.0 * N));

  @Test
  void continuousSamplersFollowTheirDistributions() {
    double[] g = sample(Random.gumbel(Random.key(1), N));
    assertTrue(ksDistance(g, x -> Math.exp(-Math.exp(-x))) < KS_BOUND, "gumbel KS");
    double[] e = sample(Random.exponential(Random.key(2), N));
    assertTrue(Arrays.stream(e).allMatch(v -> v >= 0), "exponential < 0");
    assertTrue(ksDistance(e, x -> 1 - Math.exp(-x)) < KS_BOUND, "exponential KS");
    double[] l = sample(Random.laplace(Random.key(3), N));
    assertTrue(ksDistance(l, x -> x < 0 ? 0.5 * Math.exp(x) : 1 - 0.5 * Math.exp(-x)) < KS_BOUND, "laplace KS");
    double[] s = sample(Random.logistic(Random.key(4), N));
    assertTrue(ksDistance(s, x -> 1 / (1 + Math.exp(-x))) < KS_BOUND, "logistic KS");
    double[] pareto = sample(Random.pareto(Random.key(13), 3, N));
    assertTrue(ksDistance(pareto, x -> x < 1 ? 0 : 1 - Math.pow(x, -3)) < KS_BOUND, "pareto KS");
    double[] weibull = sample(Random.weibullMin(Random.key(14), 1.5, 2, new int[] {N}, DType.F32));
    assertTrue(ksDistance(weibull, x -> x < 0 ? 0 : 1 - Math.exp(-Math.pow(x / 1.5, 2))) < KS_BOUND, "weibull KS");
    double[] maxwell = sample(Random.maxwell(Random.key(15), new int[] {N}, DType.F32));
    // Maxwell(1): mean 2 sqrt(2/pi), variance 3 - 8/pi
    assertEquals(2 * Math.sqrt(2 / Math.PI), mean(maxwell), 5 * Math.sqrt(3 - 8 / Math.PI) / Math.sqrt(N), "maxwell mean");
    assertEquals(3 - 8 / Math.PI, variance(maxwell), 0.02, "maxwell variance");
    double[] r = sample(Random.rademacher(Random.key(5), new int[] {N}, DType.F32));
    assertTrue(Arrays.stream(r).allMatch(v -> v == 1 || v == -1));
    assertEquals(0, mean(r), 5 / Math.sqrt(N));
  }

  @Test
  void truncatedNormalStaysInsideAndHasTheTruncatedMoments() {
    double[] t = sample(Random.truncatedNormal(Random.key(6), -2, 2, N));
    assertTrue(Arrays.stream(t).allMatch(v -> v > -2 && v < 2), "outside (-2, 2)");
    assertEquals(0, mean(t), 5 * 0.88 / Math.sqrt(N));
    // the standard deviation of N(0,1) truncated to (-2, 2), JAX's initializer constant
    assertEquals(0.87962566103423978, Math.sqrt(variance(t)), 0.005);
    double[] skewed = sample(Random.truncatedNormal(Random.key(7), 1, 3, N));
    assertTrue(Arrays.stream(skewed).allMatch(v -> v > 1 && v < 3));
    // E[X | 1 < X < 3] = (phi(1) - phi(3)) / (Phi(3) - Phi(1)) = 1.51005, sd 0.41648
    assertEquals(1.510049513, mean(skewed), 5 * 0.41648 / Math.sqrt(N));
    double[] f64 = Random.truncatedNormal(Random.key(8), -0.3, 0.3, new int[] {1000}, DType.F64).toDoubleArray();
    assertTrue(Arrays.stream(f64).allMatch(v -> v > -0.3 && v < 0.3));
  }

  @Test
  void categoricalFrequenciesFollowSoftmaxAlongTheAxis() {
    double[] p = {0.1, 0.2, 0.3, 0.4};
    float[] logits = new float[4];
    for (int i = 0; i < 4; i++) {
      logits[i] = (float) (Math.log(p[i]) - 42); // unnormalized, as JAX's testCategorical
    }
    int[] draws = Random.categorical(Random.key(9), Array.of(logits), -1, N).toIntArray();
    int[] counts = new int[4];
    for (int d : draws) {
      counts[d]++;
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(p[i], counts[i] / (double) N, 5 * Math.sqrt(p[i] * (1 - p[i]) / N), "category " + i);
    }
    // categories along axis 0 of a [2, 3] array: one draw per column, shape [3]; a column
    // holding one overwhelming logit always gives that row
    Array twoByThree = Array.of(DType.F32, new int[] {2, 3}, 0f, 50f, -50f, 50f, 0f, 0f);
    assertArrayEquals(new int[] {1, 0, 1}, Random.categorical(Random.key(1), twoByThree, 0).toIntArray());
    assertArrayEquals(new int[] {7, 3}, Random.categorical(Random.key(1), twoByThree, 0, 7, 3).shape());
  }

  @Test
  void permutationIsUniformOverPositions() {
    int n = 5;
    int trials = 20_000;
    Array keys = Array.stack(0, Random.split(Random.key(12), trials).stream().map(Key::keyData).toList());
    int[] perms = Transforms.vmap((Array kd) -> Random.permutation(new Key(kd), n)).apply(keys).toIntArray();
    int[][] counts = new int[n][n];
    for (int t = 0; t < trials; t++) {
      for (int pos = 0; pos < n; pos++) {
        counts[perms[t * n + pos]][pos]++;
      }
    }
    double se = Math.sqrt(0.2 * 0.8 / trials);
    for (int v = 0; v < n; v++) {
      for (int pos = 0; pos < n; pos++) {
        assertEquals(0.2, counts[v][pos] / (double) trials, 5 * se, "value " + v + " at " + pos);
      }
    }
  }

  // ---- errors ---------------------------------------------------------------------------------

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void badArgumentsSayWhatToDo() {
    Key key = Random.key(0);
    var tooMany = assertThrows(IllegalArgumentException.class,
        () -> Random.choice(key, 3, new int[] {5}, false, null));
    assertTrue(tooMany.getMessage().contains("larger sample (size 5) than the population (size 3)"),
        tooMany.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Random.choice(key, 0, 2));
    var badP = assertThrows(ShapeError.class,
        () -> Random.choice(key, 3, new int[] {2}, true, Array.of(0.5f, 0.5f)));
    assertTrue(badP.getMessage().contains("p has shape [2] and a.shape[axis] is 3"), badP.getMessage());
    var badShape = assertThrows(ShapeError.class,
        () -> Random.categorical(key, Array.zeros(2, 4), -1, 3));
    assertTrue(badShape.getMessage().contains("batch shape [2]"), badShape.getMessage());
    assertThrows(ShapeError.class, () -> Random.categorical(key, Array.scalar(1.0)));
    assertThrows(IllegalArgumentException.class, () -> Random.categorical(key, Array.of(1, 2)));
    assertThrows(IllegalArgumentException.class, () -> Random.truncatedNormal(key, 2, 1, 3));
    assertThrows(IllegalArgumentException.class, () -> Random.gumbel(key, new int[] {2}, DType.I32));
    assertThrows(IllegalArgumentException.class, () -> Random.permutation(key, Array.scalar(3.0)));
    // a traced count cannot size the result, as in JAX
    assertThrows(ConcretizationError.class,
        () -> Transforms.jit((Array n) -> Random.permutation(key, n)).apply(Array.scalar(DType.I32, 4)));
    assertEquals(5, Random.permutation(key, Array.scalar(DType.I32, 5)).size());
    assertArrayEquals(new int[] {0, 3}, Random.choice(key, 4, new int[] {0, 3}, false, null).shape());
  }
}
