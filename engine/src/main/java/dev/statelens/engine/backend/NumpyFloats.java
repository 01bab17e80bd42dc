package dev.statelens.engine.backend;

import dev.statelens.engine.DType;
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
  static String[] format(double[] values, DType dtype) {
    double maxAbs = 0;
    double minAbs = Double.POSITIVE_INFINITY;
    for (double v : values) {
      if (finite(v) && v != 0) {
        maxAbs = Math.max(maxAbs, Math.abs(v));
        minAbs = Math.min(minAbs, Math.abs(v));
      }
    }
    boolean scientific = maxAbs > 0 && (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1e3);
    String[] out = scientific ? scientific(values, dtype) : positional(values, dtype);
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

  /** The shortest decimal that reads back as the same f32/f64/f16 value. */
  private static BigDecimal shortest(double v, DType dtype) {
    return switch (dtype) {
      case F32 -> new BigDecimal(Float.toString((float) v));
      case F16 -> shortestF16(v);
      default -> new BigDecimal(Double.toString(v));
    };
  }

  /** The fewest significant digits (nearest at that count) that round back to the same f16. */
  private static BigDecimal shortestF16(double v) {
    BigDecimal exact = new BigDecimal(v);
    short bits = HalfFloats.doubleToF16(v);
    for (int digits = 1; digits < 17; digits++) {
      BigDecimal d = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (HalfFloats.doubleToF16(d.doubleValue()) == bits) {
        return d;
      }
    }
    return exact;
  }

  /** A float16 scalar as NumPy's str: shortest digits, Python's notation ({@code 1.0}, {@code 6e-05}). */
  static String f16Scalar(double v) {
    if (!finite(v)) {
      return special(v);
    }
    BigDecimal d = shortestF16(v).stripTrailingZeros();
    // NumPy's float16 scalars switch to scientific below 1e-4 and from 1e3 (not 1e16 as float64)
    if (v != 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e3)) {
      int exp = d.precision() - d.scale() - 1;
      BigDecimal mantissa = d.movePointLeft(exp).stripTrailingZeros();
      return mantissa.toPlainString() + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    String plain = d.toPlainString();
    if (v == 0 && 1 / v < 0) {
      plain = "-0";
    }
    return plain.contains(".") ? plain : plain + ".0";
  }

  /**
   * One bfloat16 value as ml_dtypes prints it (its {@code str}/{@code repr}, which NumPy uses for
   * each element of a bfloat16 array): C++'s default stream format, {@code %g} with 6 significant
   * digits: {@code 1}, {@code 2.5}, {@code 0.100098}, {@code 1e+10}.
   */
  static String bf16(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
    int exp = d.precision() - d.scale() - 1;
    if (exp < -4 || exp >= 6) {
      BigDecimal mantissa = d.movePointLeft(exp).stripTrailingZeros();
      return mantissa.toPlainString() + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    return d.stripTrailingZeros().toPlainString();
  }

  private static boolean negative(double v) {
    return v < 0 || (v == 0 && 1 / v < 0);
  }

  private static String[] positional(double[] values, DType dtype) {
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
      BigDecimal d = shortest(v, dtype).abs();
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

  private static String[] scientific(double[] values, DType dtype) {
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
        BigDecimal d = shortest(v, dtype).abs().stripTrailingZeros();
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
