package dev.statelens.debugger.chart;

/**
 * Debiased exponential moving average, as TensorBoard smooths scalars: s_t = w s_{t-1} + (1-w) y_t,
 * divided by (1 - w^n) so the first points are not pulled towards 0. NaN/Inf inputs stay NaN in
 * the output and do not enter the average.
 */
public final class Ema {
  private Ema() {}

  /** @param weight smoothing in [0, 1): 0 = raw values */
  public static double[] smooth(double[] ys, double weight) {
    if (weight < 0 || weight >= 1) {
      throw new IllegalArgumentException("smoothing weight must be in [0, 1), got " + weight);
    }
    double[] out = new double[ys.length];
    double last = 0;
    int n = 0;
    for (int i = 0; i < ys.length; i++) {
      double y = ys[i];
      if (Double.isNaN(y) || Double.isInfinite(y)) {
        out[i] = Double.NaN;
        continue;
      }
      last = last * weight + (1 - weight) * y;
      n++;
      out[i] = weight == 0 ? y : last / (1 - Math.pow(weight, n));
    }
    return out;
  }
}
