package dev.statelens.engine;

import java.util.Arrays;

/** The sample mean and variance the samplers' statistics tests compare with a distribution's. */
public final class SampleMoments {
  private SampleMoments() {}

  public static double mean(double[] x) {
    return Arrays.stream(x).average().orElseThrow();
  }

  /** The unbiased sample variance (divided by n - 1). */
  public static double variance(double[] x) {
    double m = mean(x);
    return Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / (x.length - 1);
  }
}
