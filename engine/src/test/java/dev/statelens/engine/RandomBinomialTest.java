package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code Random.binomial}, {@code multinomial}, {@code generalizedNormal} and the key plumbing:
 * distributions (moments of many draws) and errors; the draws themselves are checked bit for bit
 * against real JAX by the {@code jnp6/random/*} cases of JaxReferenceTest.
 */
class RandomBinomialTest {

  @Test
  void binomialHasMeanNpAndVarianceNpqInBothAlgorithms() {
    // n p = 2.4 (inversion), 120 (BTRS), and p > 1/2 (failures drawn, n - k returned)
    double[][] cases = {{8, 0.3}, {400, 0.3}, {60, 0.85}};
    for (double[] c : cases) {
      double n = c[0], p = c[1];
      double[] x = Random.binomial(Random.key(7), n, p, 20000).toDoubleArray();
      double mean = n * p, var = n * p * (1 - p);
      assertEquals(mean, SampleMoments.mean(x), 4 * Math.sqrt(var / x.length), "mean for n=" + n + " p=" + p);
      assertEquals(var, SampleMoments.variance(x), 0.06 * var, "variance for n=" + n + " p=" + p);
      for (double v : x) {
        assertTrue(v >= 0 && v <= n && v == Math.floor(v), "a count in [0, n]: " + v);
      }
    }
  }

  @Test
  void binomialEdgeCasesFollowJax() {
    Array n = Array.of(5f, 5f, -1f, Float.POSITIVE_INFINITY, 5f);
    Array p = Array.of(0f, 1f, 0.5f, 0.5f, Float.NaN);
    double[] x = Random.binomial(Random.key(0), n, p, null, DType.F32).toDoubleArray();
    assertEquals(0, x[0]);
    assertEquals(5, x[1]);
    assertTrue(Double.isNaN(x[2]), "negative n gives NaN");
    assertEquals(Double.POSITIVE_INFINITY, x[3]);
    assertTrue(Double.isNaN(x[4]), "NaN p gives NaN");
  }

  @Test
  void binomialRefusesAnIntegerDtypeAndAShapeTheParametersDoNotBroadcastTo() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Random.binomial(Random.key(0), Array.scalar(10), Array.scalar(0.5), new int[] {3}, DType.I32));
    assertTrue(e.getMessage().contains("float dtype") && e.getMessage().contains("astype"), e.getMessage());
    var s = assertThrows(ShapeError.class,
        () -> Random.binomial(Random.key(0), Array.of(1f, 2f), Array.scalar(0.5), new int[] {3}, DType.F32));
    assertTrue(s.getMessage().contains("n of shape [2]"), s.getMessage());
  }

  @Test
  void multinomialCountsSumToNAndFollowP() {
    Array p = Array.of(0.1f, 0.2f, 0.7f);
    Array counts = Random.multinomial(Random.key(3), Array.scalar(DType.F32, 50), p, new int[] {4000, 3}, DType.F32);
    double[] c = counts.toDoubleArray();
    double[] totals = new double[3];
    for (int i = 0; i < 4000; i++) {
      assertEquals(50, c[3 * i] + c[3 * i + 1] + c[3 * i + 2], "every draw's counts add up to n");
      for (int j = 0; j < 3; j++) {
        totals[j] += c[3 * i + j];
      }
    }
    double[] expected = {0.1, 0.2, 0.7};
    for (int j = 0; j < 3; j++) {
      assertEquals(expected[j], totals[j] / (4000 * 50.0), 0.005, "frequency of category " + j);
    }
    var e = assertThrows(ShapeError.class, () -> Random.multinomial(Random.key(0), Array.scalar(5), p, new int[] {4}, DType.F32));
    assertTrue(e.getMessage().contains("p of shape [3]"), e.getMessage());
  }

  @Test
  void generalizedNormalWithP2IsNormalWithVarianceOneHalfAndP1IsLaplace() {
    double[] two = Random.generalizedNormal(Random.key(1), 2, new int[] {40000}, DType.F32).toDoubleArray();
    assertEquals(0, SampleMoments.mean(two), 0.01);
    assertEquals(0.5, SampleMoments.variance(two), 0.01);
    double[] one = Random.generalizedNormal(Random.key(1), 1, new int[] {40000}, DType.F32).toDoubleArray();
    assertEquals(2, SampleMoments.variance(one), 0.06); // standard Laplace: variance 2
    assertThrows(IllegalArgumentException.class, () -> Random.generalizedNormal(Random.key(0), 0, new int[] {2}, DType.F32));
  }

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void keyDataWrapAndCloneRoundTripInsideJit() {
    Key key = Random.split(Random.key(42)).second();
    Array data = Random.keyData(key);
    assertArrayEquals(key.data(), data.toIntArray());
    Key rebuilt = Transforms.jit((Array d) -> Random.wrapKeyData(d)).apply(data);
    assertArrayEquals(Random.normal(key, 4).toFloatArray(), Random.normal(rebuilt, 4).toFloatArray());
    assertArrayEquals(Random.uniform(key, 4).toFloatArray(), Random.uniform(Random.clone(key), 4).toFloatArray());
    var dtype = assertThrows(IllegalArgumentException.class, () -> Random.wrapKeyData(Array.of(1f, 2f)));
    assertTrue(dtype.getMessage().contains("U32"), dtype.getMessage());
    var shape = assertThrows(ShapeError.class, () -> Random.wrapKeyData(Array.of(DType.U32, new int[] {3}, 1, 2, 3)));
    assertTrue(shape.getMessage().contains("[..., 2]"), shape.getMessage());
  }
}
