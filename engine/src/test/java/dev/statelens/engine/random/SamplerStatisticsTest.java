package dev.statelens.engine.random;

import static dev.statelens.engine.SampleMoments.mean;
import static dev.statelens.engine.SampleMoments.variance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Secondary sanity checks on the distributions (the primary evidence is bit-exactness with JAX
 * in the value tests). Sample sizes and bounds are chosen so that a correct sampler fails with
 * negligible probability (bounds are more than 5 standard errors wide).
 */
class SamplerStatisticsTest {

  private static final int N = 100_000;

  @ParameterizedTest
  @EnumSource(ThreefryLayout.class)
  void normalHasMeanZeroAndUnitVariance(ThreefryLayout layout) {
    float[] f32 = HostRandom.of(layout).normalF32(KeyData.fromSeed(3), N);
    double[] f64 = HostRandom.of(layout).normalF64(KeyData.fromSeed(3), N);
    double[] widened = new double[N];
    for (int i = 0; i < N; i++) {
      widened[i] = f32[i];
    }
    for (double[] sample : new double[][] {widened, f64}) {
      double mean = mean(sample);
      double variance = variance(sample);
      assertEquals(0, mean, 5 / Math.sqrt(N), "mean");
      assertEquals(1, variance, 5 * Math.sqrt(2.0 / N), "variance");
    }
  }

  @ParameterizedTest
  @EnumSource(ThreefryLayout.class)
  void uniformStaysInItsRangeWithTheRightMean(ThreefryLayout layout) {
    float[] f32 = HostRandom.of(layout).uniformF32(KeyData.fromSeed(4), N, -2f, 3f);
    double sum = 0;
    for (float v : f32) {
      assertTrue(v >= -2f && v < 3f, "out of [-2, 3): " + v);
      sum += v;
    }
    // Uniform on [-2, 3): mean 0.5, standard deviation 5 / sqrt(12).
    assertEquals(0.5, sum / N, 5 * (5 / Math.sqrt(12)) / Math.sqrt(N));
    for (double v : HostRandom.of(layout).uniformF64(KeyData.fromSeed(4), 1000, 1.0, 1.5)) {
      assertTrue(v >= 1.0 && v < 1.5, "out of [1, 1.5): " + v);
    }
  }

  @ParameterizedTest
  @EnumSource(ThreefryLayout.class)
  void bernoulliFrequencyMatchesP(ThreefryLayout layout) {
    boolean[] draws = HostRandom.of(layout).bernoulli(KeyData.fromSeed(5), 0.3f, N);
    int ones = 0;
    for (boolean d : draws) {
      ones += d ? 1 : 0;
    }
    assertEquals(0.3, (double) ones / N, 5 * Math.sqrt(0.3 * 0.7 / N));
  }

  @ParameterizedTest
  @EnumSource(ThreefryLayout.class)
  void randintCoversItsRangeEvenly(ThreefryLayout layout) {
    int[] draws = HostRandom.of(layout).randint(KeyData.fromSeed(6), N, -3, 7);
    int[] counts = new int[10];
    for (int d : draws) {
      assertTrue(d >= -3 && d < 7, "out of [-3, 7): " + d);
      counts[d + 3]++;
    }
    for (int count : counts) {
      assertEquals(N / 10.0, count, 5 * Math.sqrt(N * 0.1 * 0.9));
    }
  }

  @ParameterizedTest
  @EnumSource(ThreefryLayout.class)
  void randintWithAnEmptyRangeReturnsMin(ThreefryLayout layout) {
    for (int v : HostRandom.of(layout).randint(KeyData.fromSeed(7), 100, 5, 5)) {
      assertEquals(5, v);
    }
    for (int v : HostRandom.of(layout).randint(KeyData.fromSeed(7), 100, 5, -1)) {
      assertEquals(5, v);
    }
  }

  @ParameterizedTest
  @EnumSource(ThreefryLayout.class)
  void randintOverTheFullIntRangeDoesNotOverflow(ThreefryLayout layout) {
    int[] draws =
        HostRandom.of(layout).randint(KeyData.fromSeed(8), N, Integer.MIN_VALUE, Integer.MAX_VALUE);
    int negatives = 0;
    for (int d : draws) {
      assertTrue(d != Integer.MAX_VALUE, "max is exclusive");
      negatives += d < 0 ? 1 : 0;
    }
    assertEquals(0.5, (double) negatives / N, 5 * Math.sqrt(0.25 / N));
  }

  @ParameterizedTest
  @EnumSource(ThreefryLayout.class)
  void negativeSizesAreRejected(ThreefryLayout layout) {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> HostRandom.of(layout).bits32(KeyData.fromSeed(0), -1));
    assertTrue(error.getMessage().contains(">= 0"), error.getMessage());
  }
}
