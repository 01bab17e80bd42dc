package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link Init}: fans as JAX's {@code _compute_fans}, the variance of large samples against
 * {@code variance_scaling}'s formula (fixed keys, bounds of 5 standard errors), JAX's rounding of
 * the scale factors, and jit == eager.
 */
class InitializersTest {

  private static final int[] NO_AXES = {};

  @Test
  void fansOfDenseAndConvolutionShapes() {
    assertArrayEquals(new double[] {3, 5}, Init.fans(new int[] {3, 5}, new int[] {-2}, new int[] {-1}, NO_AXES));
    // HWIO kernel: the 3x3 receptive field multiplies both fans
    assertArrayEquals(new double[] {144, 288},
        Init.fans(new int[] {3, 3, 16, 32}, new int[] {-2}, new int[] {-1}, NO_AXES));
    // OIHW kernel with PyTorch's axes
    assertArrayEquals(new double[] {144, 288},
        Init.fans(new int[] {32, 16, 3, 3}, new int[] {1}, new int[] {0}, NO_AXES));
    // a batch axis is left out of both fans; several axes multiply
    assertArrayEquals(new double[] {4, 6}, Init.fans(new int[] {7, 4, 6}, new int[] {1}, new int[] {2}, new int[] {0}));
    assertArrayEquals(new double[] {12, 5}, Init.fans(new int[] {3, 4, 5}, new int[] {0, 1}, new int[] {2}, NO_AXES));
    var rank1 = assertThrows(ShapeError.class, () -> Init.glorotUniform().init(Random.key(0), 10));
    assertTrue(rank1.getMessage().contains("at least 2-D"), rank1.getMessage());
    assertThrows(ShapeError.class, () -> Init.fans(new int[] {3, 5}, new int[] {2}, new int[] {-1}, NO_AXES));
  }

  /** Sample variance of {@code init} on {@code shape} against {@code expected}, within 5 standard errors. */
  private static void assertVariance(double expected, double kurtosis, Initializer init, int... shape) {
    assertMoments(0, expected, kurtosis, init, shape);
  }

  private static void assertMoments(double expectedMean, double expected, double kurtosis, Initializer init, int... shape) {
    float[] w = init.init(Random.key(31), shape).toFloatArray();
    int n = w.length;
    double mean = 0;
    for (float v : w) {
      mean += v;
    }
    mean /= n;
    double var = 0;
    for (float v : w) {
      var += (v - mean) * (v - mean);
    }
    var /= n - 1;
    double se = expected * Math.sqrt((kurtosis - 1) / n);
    assertEquals(expected, var, 5 * se, "variance of " + Arrays.toString(shape));
    assertEquals(expectedMean, mean, 5 * Math.sqrt(expected / n), "mean");
  }

  private static final double UNIFORM_KURTOSIS = 1.8;
  private static final double NORMAL_KURTOSIS = 3; // above the truncated normal's, so a looser bound

  @Test
  void varianceScalingGivesScaleOverFan() {
    int in = 400;
    int out = 600;
    assertVariance(2.0 / (in + out), UNIFORM_KURTOSIS, Init.glorotUniform(), in, out);
    assertVariance(2.0 / (in + out), NORMAL_KURTOSIS, Init.glorotNormal(), in, out);
    assertVariance(1.0 / in, UNIFORM_KURTOSIS, Init.lecunUniform(), in, out);
    assertVariance(1.0 / in, NORMAL_KURTOSIS, Init.lecunNormal(), in, out);
    assertVariance(2.0 / in, UNIFORM_KURTOSIS, Init.heUniform(), in, out);
    assertVariance(2.0 / in, NORMAL_KURTOSIS, Init.heNormal(), in, out);
    assertVariance(3.0 / out, NORMAL_KURTOSIS, Init.varianceScaling(3, Init.Mode.FAN_OUT, Init.Distribution.NORMAL), in, out);
    assertVariance(1.0 / Math.sqrt(in * (double) out), NORMAL_KURTOSIS,
        Init.varianceScaling(1, Init.Mode.FAN_GEO_AVG, Init.Distribution.NORMAL), in, out);
    // a conv kernel: fan_in = 3 * 3 * 32
    assertVariance(2.0 / 288, NORMAL_KURTOSIS, Init.heNormal(), 3, 3, 32, 2000);
  }

  @Test
  void plainInitializersScaleTheirDistribution() {
    assertVariance(0.3 * 0.3, NORMAL_KURTOSIS, Init.normal(0.3), 300, 300);
    assertMoments(1, 4.0 / 12, UNIFORM_KURTOSIS, Init.uniform(2), 300, 300); // [0, 2)
    // truncated_normal(stddev) is NOT rescaled: stddev * 0.8796...
    double truncated = 0.5 * Init.TRUNCATED_STDDEV;
    assertVariance(truncated * truncated, NORMAL_KURTOSIS, Init.truncatedNormal(0.5), 300, 300);
    float[] u = Init.uniform().init(Random.key(2), 1000).toFloatArray();
    for (float v : u) {
      assertTrue(v >= 0 && v < 0.01f, "uniform() outside [0, 0.01): " + v);
    }
    assertArrayEquals(new float[] {0, 0, 0}, Init.zeros().init(Random.key(0), 3).toFloatArray());
    assertArrayEquals(new double[] {1, 1}, Init.ones().init(Random.key(0), new int[] {2}, DType.F64).toDoubleArray());
    assertArrayEquals(new float[] {2.5f, 2.5f}, Init.constant(2.5).init(Random.key(0), 1, 2).toFloatArray());
  }

  @Test
  void uniformStaysInsideTheGlorotLimit() {
    float limit = (float) Math.sqrt(6.0 / (30 + 50));
    float[] w = Init.glorotUniform().init(Random.key(4), 30, 50).toFloatArray();
    for (float v : w) {
      assertTrue(v >= -limit && v < limit, v + " outside the limit " + limit);
    }
  }

  /**
   * JAX rounds the variance to the dtype and computes the factor there:
   * {@code sqrt(f32(2 / 300)) / f32(0.8796...)} in float32 for he_normal, {@code sqrt(3 *
   * f32(2 / 500))} for glorot_uniform of [200, 300].
   */
  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void scaleFactorsAreRoundedAsJaxRoundsThem() {
    Key key = Random.key(8);
    float heStd = (float) Math.sqrt((float) (2.0 / 300)) / (float) 0.87962566103423978;
    assertArrayEquals(Random.truncatedNormal(key, -2, 2, 300, 20).mul(heStd).toFloatArray(),
        Init.heNormal().init(key, 300, 20).toFloatArray());
    float glorotLimit = (float) Math.sqrt(3f * (float) (2.0 / 500));
    assertArrayEquals(Random.uniform(key, new int[] {200, 300}, DType.F32, -1, 1).mul(glorotLimit).toFloatArray(),
        Init.glorotUniform().init(key, 200, 300).toFloatArray());
    double[] f64 = Init.lecunNormal().init(key, new int[] {50, 10}, DType.F64).toDoubleArray();
    double[] base = Random.truncatedNormal(key, -2, 2, new int[] {50, 10}, DType.F64).toDoubleArray();
    for (int i = 0; i < f64.length; i++) {
      assertEquals(base[i] * (Math.sqrt(1.0 / 50) / 0.87962566103423978), f64[i], 0.0);
    }
  }

  @Test
  void jitGivesTheEagerWeights() {
    Key key = Random.key(10);
    Function<Key, Array> init = k -> Init.heNormal().init(k, 16, 8).add(Init.glorotUniform().init(k, 16, 8));
    assertArrayEquals(init.apply(key).toFloatArray(), Transforms.jit(init).apply(key).toFloatArray());
  }

  @Test
  void badArgumentsSayWhatToDo() {
    assertThrows(IllegalArgumentException.class,
        () -> Init.heNormal().init(Random.key(0), new int[] {3, 3}, DType.I32));
    assertThrows(IllegalArgumentException.class,
        () -> Init.varianceScaling(0, Init.Mode.FAN_IN, Init.Distribution.NORMAL));
    assertThrows(IllegalArgumentException.class, () -> Init.normal().init(Random.key(0), -1, 2));
  }
}
