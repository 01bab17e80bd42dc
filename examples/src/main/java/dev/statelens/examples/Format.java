package dev.statelens.examples;

import java.util.Locale;

/** Number formatting shared by the examples' console output. */
final class Format {
  private Format() {}

  /**
   * Whole numbers below 10^7 without a decimal point ({@code 1}), everything else with 6
   * significant digits and no trailing zeros ({@code 1.99871}, {@code 5.59764e-05},
   * {@code 1.2e+20}, {@code NaN}).
   */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e7) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.6g", v);
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    String exponent = e < 0 ? "" : s.substring(e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceFirst("\\.?0+$", "");
    }
    return mantissa + exponent;
  }
}
