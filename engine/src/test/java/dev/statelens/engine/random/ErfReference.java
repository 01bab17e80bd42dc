package dev.statelens.engine.random;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * An independent float64 inverse error function for tests: Newton's method on {@code erf}, with
 * {@code erf} summed from its Maclaurin series in 50-digit decimal arithmetic (so cancellation
 * in the series cannot hurt). It shares nothing with {@link ErfInv}'s polynomials.
 */
final class ErfReference {

  private static final MathContext PRECISION = new MathContext(50);
  private static final BigDecimal PI =
      new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494");
  private static final BigDecimal TWO_OVER_SQRT_PI =
      BigDecimal.valueOf(2).divide(PI.sqrt(PRECISION), PRECISION);
  private static final BigDecimal NEGLIGIBLE = new BigDecimal("1e-36");

  private ErfReference() {}

  /** erf(y) = 2/sqrt(pi) * sum (-1)^n y^(2n+1) / (n! (2n+1)). */
  static BigDecimal erf(double y) {
    BigDecimal x = new BigDecimal(y);
    BigDecimal xSquared = x.multiply(x, PRECISION);
    BigDecimal power = x; // (-1)^n y^(2n+1) / n!
    BigDecimal sum = BigDecimal.ZERO;
    for (int n = 0; ; n++) {
      BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), PRECISION);
      sum = sum.add(term, PRECISION);
      if (term.abs().compareTo(NEGLIGIBLE) < 0 && n > 2) {
        break;
      }
      power = power.multiply(xSquared, PRECISION).negate().divide(BigDecimal.valueOf(n + 1L), PRECISION);
    }
    return sum.multiply(TWO_OVER_SQRT_PI, PRECISION);
  }

  /** erfinv(x) for |x| < 1, accurate to about 1e-15 relative. */
  static double erfInv(double x) {
    if (x == 0) {
      return x;
    }
    double target = Math.abs(x);
    BigDecimal exactTarget = new BigDecimal(target);
    // Start above the root; erf is increasing and concave on y > 0, so Newton converges. Step
    // y -= (erf(y) - x) / erf'(y).
    double y = Math.sqrt(-Math.log((1 - target) * (1 + target)));
    for (int i = 0; i < 100; i++) {
      double residual = erf(y).subtract(exactTarget, PRECISION).doubleValue();
      double derivative = TWO_OVER_SQRT_PI.doubleValue() * Math.exp(-y * y);
      double step = residual / derivative;
      y -= step;
      if (Math.abs(step) <= 1e-17 * Math.abs(y)) {
        break;
      }
    }
    return Math.copySign(y, x);
  }
}
