package dev.statelens.engine.backend.cpu;

/**
 * The error function in double (Java has no {@code Math.erf}), within a few ulp of the correctly
 * rounded value: a series of positive terms below 2.5, the continued fraction of {@code erfc}
 * from 2.5 to 6, and 1 beyond (where {@code erfc} is below half an ulp of 1).
 */
final class Erf {
  private Erf() {}

  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
  private static final double SQRT_PI = Math.sqrt(Math.PI);

  static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double a = Math.abs(x);
    double r;
    if (a < 2.5) {
      // erf(a) = 2/sqrt(pi) exp(-a^2) sum_n a (2a^2)^n / (1*3*...*(2n+1)): positive terms, no cancellation
      double a2 = a * a;
      double term = a;
      double sum = a;
      for (int n = 1; n < 200 && term > sum * 1e-17; n++) {
        term *= 2 * a2 / (2 * n + 1);
        sum += term;
      }
      r = TWO_OVER_SQRT_PI * Math.exp(-a2) * sum;
    } else if (a < 6) {
      r = 1 - erfcTail(a);
    } else {
      r = 1;
    }
    return Math.copySign(r, x);
  }

  /**
   * {@code erfc(x) = 1 - erf(x)}. From 2.5 on the continued fraction itself (no subtraction from
   * 1, so the tail keeps its relative accuracy down to the underflow near 27); below, {@code 1 - erf}
   * (erfc(2.5) is 4e-4, so at most ~12 of double's bits go: far below a float ulp); for negative x
   * {@code 2 - erfc(-x)}.
   */
  static double erfc(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double a = Math.abs(x);
    double r;
    if (a < 2.5) {
      return 1 - erf(x);
    } else if (a < 30) {
      r = erfcTail(a);
    } else {
      r = 0;
    }
    return x < 0 ? 2 - r : r;
  }

  /**
   * {@code erfc(a)} for {@code a >= 2.5}: {@code exp(-a^2) / (sqrt(pi) (a + (1/2)/(a + 1/(a + (3/2)/(a + ...)))))},
   * the continued fraction evaluated from the tail.
   */
  private static double erfcTail(double a) {
    double t = a;
    for (int k = 120; k >= 1; k--) {
      t = a + (k / 2.0) / t;
    }
    return Math.exp(-a * a) / (SQRT_PI * t);
  }
}
