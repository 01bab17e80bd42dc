package dev.statelens.engine.backend.cpu;

/**
 * asinh, acosh and atanh in double, which {@link Math} lacks. The forms are fdlibm's (the ones
 * glibc and Java's StrictMath use for their relatives): log1p near the origin so small arguments
 * keep their relative accuracy, {@code log(x) + ln 2} once {@code x*x} would overflow. A float
 * result rounded from these is the correctly rounded one but for rare ties of double rounding.
 */
final class InverseHyperbolic {
  private InverseHyperbolic() {}

  private static final double LN2 = 0.6931471805599453;
  /** Past 2^28, {@code sqrt(x*x + 1) == x} in double: the result is {@code log(2x)}. */
  private static final double HUGE = 0x1p28;

  /** {@code asinh(x) = sign(x) log(|x| + sqrt(x^2 + 1))}; odd, so -0 stays -0. */
  static double asinh(double x) {
    double a = Math.abs(x);
    double r;
    if (!(a <= HUGE)) { // also NaN and inf: log keeps them
      r = Math.log(a) + LN2;
    } else if (a > 2) {
      r = Math.log(2 * a + 1 / (Math.sqrt(a * a + 1) + a));
    } else {
      double t = a * a;
      r = Math.log1p(a + t / (1 + Math.sqrt(1 + t)));
    }
    return Math.copySign(r, x);
  }

  /** {@code acosh(x) = log(x + sqrt(x^2 - 1))}; NaN below 1, 0 at 1. */
  static double acosh(double x) {
    if (x < 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x > HUGE) {
      return Math.log(x) + LN2;
    }
    if (x > 2) {
      return Math.log(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
    }
    double t = x - 1; // exact for x in [1, 2]
    return Math.log1p(t + Math.sqrt(2 * t + t * t));
  }

  /** {@code atanh(x) = log((1 + x) / (1 - x)) / 2}; ±inf at ±1, NaN beyond; odd. */
  static double atanh(double x) {
    double a = Math.abs(x);
    if (a > 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    double r;
    if (a < 0.5) {
      double t = a + a;
      r = 0.5 * Math.log1p(t + t * a / (1 - a));
    } else {
      r = 0.5 * Math.log1p((a + a) / (1 - a)); // a = 1: log1p(inf) = inf
    }
    return Math.copySign(r, x);
  }

}
