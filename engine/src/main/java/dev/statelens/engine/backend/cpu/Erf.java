package dev.statelens.engine.backend.cpu;

/**
 * The error function in double (Java has no {@code Math.erf}), within a few ulp of the correctly
 * rounded value: a series of positive terms below 2.5, the continued fraction of {@code erfc}
 * from 2.5 to 6, and 1 beyond (where {@code erfc} is below half an ulp of 1). {@code erfc} is
 * {@link SpecialFunctions#erfc}, XLA's own split.
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
