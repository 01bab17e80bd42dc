package dev.statelens.debugger.chart;

import java.util.List;

/**
 * Whether a chart starts on a log y axis. A diverging leaf (the {@code diverge} example's params
 * reach 1e38) on a linear axis is a flat line and one spike, so a chart whose values span many
 * decades starts on log y, and its subtitle says why; once the user toggles Log y, their choice
 * holds (and a wide chart they keep linear says the span and suggests Log y).
 */
public final class LogScale {
  /** Largest over smallest nonzero magnitude beyond which a one-signed chart starts on log y. */
  static final double MAX_RATIO = 1e6;
  /** Any magnitude beyond this starts the chart on log y, whatever the signs (a blow-up). */
  static final double MAX_MAGNITUDE = 1e12;

  private LogScale() {}

  /**
   * The finite values' magnitudes: the smallest nonzero and the largest; {@code oneSigned} when
   * no two values have opposite signs (a series crossing zero has tiny magnitudes near the
   * crossing that do not make it a many-decade series).
   */
  public record Span(double minNonzero, double max, boolean oneSigned) {
    /** Many decades: a magnitude beyond 1e12, or a one-signed span of more than 1e6. */
    public boolean isWide() {
      return max > MAX_MAGNITUDE || oneSigned && max / minNonzero > MAX_RATIO;
    }

    /** {@code "values span 2e-3…3e38"}. */
    public String label() {
      return "values span " + sci(minNonzero) + "…" + sci(max);
    }
  }

  /** The axis to draw and the subtitle that explains it (null: none). */
  public record Choice(boolean logY, String subtitle) {}

  /** The span of every finite point (min and max of each bucket) of {@code lines}; null when no value is finite and nonzero. */
  public static Span span(List<ChartLine> lines) {
    double min = Double.POSITIVE_INFINITY, max = 0;
    boolean positive = false, negative = false;
    for (ChartLine line : lines) {
      for (double[] values : List.of(line.series().lo(), line.series().hi())) {
        for (double v : values) {
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
    return max == 0 ? null : new Span(min, max, !(positive && negative));
  }

  /**
   * {@code explicitLog} is the user's Log y choice, null until they make one: until then a wide
   * chart is drawn on log y ("log y: values span …"); a wide chart they keep linear suggests
   * Log y; otherwise their choice, without a subtitle.
   */
  public static Choice choose(Boolean explicitLog, List<ChartLine> lines) {
    Span s = span(lines);
    boolean wide = s != null && s.isWide();
    if (explicitLog == null) {
      return wide ? new Choice(true, "log y: " + s.label() + " (untick Log y for linear)") : new Choice(false, null);
    }
    return new Choice(explicitLog, wide && !explicitLog ? s.label() + ": try Log y" : null);
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
