package dev.statelens.engine.record.store;

import java.util.Collection;

/**
 * The rule for when a chart of series starts on a log y axis, shared by the IDE's charts
 * ({@code debugger.chart.LogScale}) and the report's: a diverging leaf (the {@code diverge}
 * example's params reach 1e38) on a linear axis is a flat line and one spike, so values that span
 * many decades are drawn on log y, by magnitude.
 *
 * @param minNonzero the smallest nonzero finite magnitude
 * @param max the largest finite magnitude
 * @param oneSigned no two values have opposite signs (a series crossing zero has tiny magnitudes
 *     near the crossing that do not make it a many-decade series)
 */
public record ValueSpan(double minNonzero, double max, boolean oneSigned) {
  /** Largest over smallest nonzero magnitude beyond which one-signed values are drawn on log y. */
  public static final double MAX_RATIO = 1e6;
  /** Any magnitude beyond this is drawn on log y, whatever the signs (a blow-up). */
  public static final double MAX_MAGNITUDE = 1e12;

  /** The span of every finite point (min and max of each bucket) of {@code series}; null when no value is finite and nonzero. */
  public static ValueSpan of(Collection<Series> series) {
    double min = Double.POSITIVE_INFINITY, max = 0;
    boolean positive = false, negative = false;
    for (Series s : series) {
      for (double[] values : new double[][] {s.lo(), s.hi()}) {
        for (int i = 0; i < s.size(); i++) {
          double v = values[i];
          if (!Double.isFinite(v) || v == 0) {
            continue;
          }
          double a = Math.abs(v);
          min = Math.min(min, a);
          max = Math.max(max, a);
          positive |= v > 0;
          negative |= v < 0;
        }
      }
    }
    return max == 0 ? null : new ValueSpan(min, max, !(positive && negative));
  }

  /** Many decades: a magnitude beyond 1e12, or a one-signed span of more than 1e6. */
  public boolean isWide() {
    return max > MAX_MAGNITUDE || oneSigned && max / minNonzero > MAX_RATIO;
  }

  /** {@code "values span 2e-3…3e38"}. */
  public String label() {
    return "values span " + sci(minNonzero) + "…" + sci(max);
  }

  /** {@code 2e-3}, {@code 3e38}, {@code 1e0}: one significant digit, for a span's ends. */
  static String sci(double v) {
    int exp = (int) Math.floor(Math.log10(v));
    long mantissa = Math.round(v / Math.pow(10, exp));
    if (mantissa >= 10) {
      mantissa /= 10;
      exp++;
    }
    return mantissa + "e" + exp;
  }
}
