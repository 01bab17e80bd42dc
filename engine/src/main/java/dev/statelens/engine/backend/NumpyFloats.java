package dev.statelens.engine.backend;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats the floats of one array as NumPy does by default ({@code precision=8},
 * {@code floatmode='maxprec'}, {@code suppress=False}), which is how JAX prints arrays and how
 * {@code jax.debug.print} shows them:
 *
 * <ul>
 *   <li>scientific notation for the whole array when a non-zero magnitude is below {@code 1e-4},
 *       at least {@code 1e8}, or the largest is over 1000 times the smallest:
 *       {@code [4.9346685e-04 9.8693370e-04]} (mantissas zero-padded to a common length);
 *   <li>otherwise positional, shortest digits (at most 8 after the point), aligned on the point
 *       and padded with spaces: {@code [ 1.5   2.25 -3.  ]}.
 * </ul>
 */
final class NumpyFloats {
  private static final int PRECISION = 8;

  private NumpyFloats() {}

  /** One string per value, all of the same width. */
  static String[] format(double[] values, boolean f32) {
    double maxAbs = 0;
    double minAbs = Double.POSITIVE_INFINITY;
    for (double v : values) {
      if (finite(v) && v != 0) {
        maxAbs = Math.max(maxAbs, Math.abs(v));
        minAbs = Math.min(minAbs, Math.abs(v));
      }
    }
    boolean scientific = maxAbs > 0 && (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1e3);
    String[] out = scientific ? scientific(values, f32) : positional(values, f32);
    int width = 0;
    for (String s : out) {
      width = Math.max(width, s.length());
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = " ".repeat(width - out[i].length()) + out[i];
    }
    return out;
  }

  private static String special(double v) {
    return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  }

  private static boolean finite(double v) {
    return !Double.isNaN(v) && !Double.isInfinite(v);
  }

  /** The shortest decimal that reads back as the same f32/f64 value. */
  private static BigDecimal shortest(double v, boolean f32) {
    return new BigDecimal(f32 ? Float.toString((float) v) : Double.toString(v));
  }

  private static boolean negative(double v) {
    return v < 0 || (v == 0 && 1 / v < 0);
  }

  private static String[] positional(double[] values, boolean f32) {
    int n = values.length;
    String[] intPart = new String[n];
    String[] fracPart = new String[n];
    int padLeft = 0;
    int padRight = 0;
    for (int i = 0; i < n; i++) {
      double v = values[i];
      if (!finite(v)) {
        continue;
      }
      BigDecimal d = shortest(v, f32).abs();
      if (d.scale() > PRECISION) {
        d = new BigDecimal(Math.abs(v)).setScale(PRECISION, RoundingMode.HALF_EVEN);
      }
      d = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
      if (d.scale() < 0) {
        d = d.setScale(0);
      }
      String plain = d.toPlainString();
      int dot = plain.indexOf('.');
      intPart[i] = (negative(v) ? "-" : "") + (dot < 0 ? plain : plain.substring(0, dot));
      fracPart[i] = dot < 0 ? "" : plain.substring(dot + 1);
      padLeft = Math.max(padLeft, intPart[i].length());
      padRight = Math.max(padRight, fracPart[i].length());
    }
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      if (intPart[i] == null) {
        out[i] = special(values[i]);
        continue;
      }
      out[i] = " ".repeat(padLeft - intPart[i].length()) + intPart[i] + "." + fracPart[i]
          + " ".repeat(padRight - fracPart[i].length());
    }
    return out;
  }

  private static String[] scientific(double[] values, boolean f32) {
    int n = values.length;
    String[] lead = new String[n];
    String[] frac = new String[n];
    int[] exp = new int[n];
    int fracLen = 0;
    int expDigits = 2;
    for (int i = 0; i < n; i++) {
      double v = values[i];
      if (!finite(v)) {
        continue;
      }
      String digits;
      int e;
      if (v == 0) {
        digits = "0";
        e = 0;
      } else {
        BigDecimal d = shortest(v, f32).abs().stripTrailingZeros();
        if (d.precision() - 1 > PRECISION) {
          d = new BigDecimal(Math.abs(v)).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN))
              .stripTrailingZeros();
        }
        digits = d.unscaledValue().toString();
        e = digits.length() - 1 - d.scale();
      }
      lead[i] = (negative(v) ? "-" : "") + digits.charAt(0);
      frac[i] = digits.substring(1);
      exp[i] = e;
      fracLen = Math.max(fracLen, frac[i].length());
      expDigits = Math.max(expDigits, Integer.toString(Math.abs(e)).length());
    }
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      if (lead[i] == null) {
        out[i] = special(values[i]);
        continue;
      }
      String e = Integer.toString(Math.abs(exp[i]));
      out[i] = lead[i] + "." + frac[i] + "0".repeat(fracLen - frac[i].length()) + "e"
          + (exp[i] < 0 ? "-" : "+") + "0".repeat(expDigits - e.length()) + e;
    }
    return out;
  }
}
