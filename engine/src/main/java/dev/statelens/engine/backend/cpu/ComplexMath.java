package dev.statelens.engine.backend.cpu;

/**
 * complex64 elementary functions for {@link ComplexKernels}, each {@code (re, im) -> (re, im)} in
 * double and rounded once to f32. The formulas are the ones XLA's CPU (and JAX's own lowerings
 * of sin/cos) use, so branch cuts, signed zeros, infinities and NaNs come out as
 * {@code jax.numpy} gives them (bench/gpu/complex_reference.py checks the grid
 * {0, -0, +-1, +-2.5, +-inf, nan}^2); where XLA turns a -0 into +0 (it multiplies by a real
 * promoted to complex), these do too. {@link #div} and {@link #pow} are XLA's f32 code step for
 * step instead (its bits: complex/bits cases).
 */
final class ComplexMath {
  private ComplexMath() {}

  /** Writes f(a + bi) to {@code r[i], r[i + 1]}. */
  interface Unary {
    void apply(double a, double b, float[] r, int i);
  }

  /** {@code |z|}, NaN when either part is NaN (XLA's; Math.hypot gives inf for (inf, NaN)). */
  static double modulus(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.hypot(a, b);
  }

  /** {@code log|z|} without losing the digits near |z| = 1 (f32 squares are exact in double). */
  static double logModulus(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.NaN;
    }
    double s = a * a + b * b;
    if (s > 0.5 && s < 2) {
      return 0.5 * Math.log1p((a - 1) * (a + 1) + b * b);
    }
    return Double.isInfinite(s) || s == 0 ? Math.log(Math.hypot(a, b)) : 0.5 * Math.log(s);
  }

  static void log(double a, double b, float[] r, int i) {
    r[i] = (float) logModulus(a, b);
    r[i + 1] = (float) Math.atan2(b, a);
  }

  /** log(1 + z); for small |z| log1p of the real part keeps its digits. */
  static void log1p(double a, double b, float[] r, int i) {
    double x = a + 1;
    if (Double.isNaN(a) || Double.isNaN(b)) {
      r[i] = Float.NaN;
      r[i + 1] = Float.NaN;
      return;
    }
    // log|1 + z| = 0.5 log1p(2a + a^2 + b^2): exact enough in double for f32 a, b
    double s = 2 * a + a * a + b * b;
    r[i] = (float) (Double.isInfinite(s) || Math.abs(x) > 1e150 || Math.abs(b) > 1e150
        ? logModulus(x, b) : 0.5 * Math.log1p(s));
    r[i + 1] = (float) Math.atan2(b, x);
  }

  /**
   * The principal square root: {@code t = sqrt((|a| + |z|) / 2)}, then {@code (t, b / 2t)} or
   * {@code (|b| / 2t, +-t)}. As XLA, the sign of a zero imaginary part is not looked at:
   * {@code sqrt(-4 - 0j)} is {@code +2j} (NumPy: {@code -2j}).
   */
  static void sqrt(double a, double b, float[] r, int i) {
    if (a == 0 && b == 0) {
      r[i] = 0f;
      r[i + 1] = 0f;
      return;
    }
    if (Double.isInfinite(b) && !Double.isNaN(a)) {
      r[i] = Float.POSITIVE_INFINITY;
      r[i + 1] = (float) b;
      return;
    }
    double t = Math.sqrt((Math.abs(a) + modulus(a, b)) / 2);
    double sign = b < 0 ? -1 : 1;
    if (a >= 0) {
      r[i] = (float) t;
      r[i + 1] = (float) (sign * (Math.abs(b) / (2 * t)));
    } else {
      r[i] = (float) (Math.abs(b) / (2 * t));
      r[i + 1] = (float) (sign * t);
    }
  }

  /**
   * {@code 1 / sqrt(z)} in polar form, {@code |z|^-1/2 (cos, sin)(-arg(z) / 2)}, with the
   * argument rounded to f32 first as XLA does: {@code rsqrt(-1)} is {@code -4.37e-8 - 1j}, the
   * cosine of f32(pi)/2.
   */
  static void rsqrt(double a, double b, float[] r, int i) {
    if (Double.isInfinite(a) || Double.isInfinite(b)) {
      // |z| = inf: 0 with the signs of the direction, a NaN part counting as +0 (XLA's answer)
      a = Double.isNaN(a) ? 0 : a;
      b = Double.isNaN(b) ? 0 : b;
    }
    double m = 1 / Math.sqrt(modulus(a, b));
    double half = -(double) (float) Math.atan2(b, a) / 2;
    r[i] = (float) (m * Math.cos(half));
    r[i + 1] = m == Double.POSITIVE_INFINITY ? Float.NaN : (float) (m * Math.sin(half));
  }

  static void exp(double a, double b, float[] r, int i) {
    double m = Math.exp(a);
    // exp(a + 0j) is real: keep the imaginary part 0 even where exp(a) is inf (inf * sin 0 = NaN)
    r[i] = (float) (b == 0 ? m : m * Math.cos(b));
    r[i + 1] = b == 0 ? 0f : (float) (m * Math.sin(b));
  }

  /** {@code exp(z) - 1 = (expm1(a) cos b - 2 sin^2(b/2)) + i e^a sin b}, exact near 0. */
  static void expm1(double a, double b, float[] r, int i) {
    double em1 = Math.expm1(a);
    if (b == 0) {
      r[i] = (float) em1;
      r[i + 1] = 0f;
      return;
    }
    double sh = Math.sin(b / 2);
    r[i] = (float) (em1 * Math.cos(b) - 2 * sh * sh);
    r[i + 1] = (float) (Math.exp(a) * Math.sin(b));
  }

  /** JAX's {@code _sin_complex}: (sin a cosh b, cos a sinh b) with sinh/cosh from expm1; (0, sinh b) at a = 0. */
  static void sin(double a, double b, float[] r, int i) {
    double e1 = Math.expm1(b);
    double e2 = Math.expm1(-b);
    double sinh = (e1 - e2) / 2;
    double cosh = (e1 + e2 + 2) / 2;
    r[i] = a == 0 ? 0f : (float) (Math.sin(a) * cosh);
    r[i + 1] = (float) (Math.cos(a) * sinh);
  }

  /** JAX's {@code _cos_complex}: (cos a cosh b, -sin a sinh b); (cosh b, 0) at a = 0. */
  static void cos(double a, double b, float[] r, int i) {
    double e1 = Math.expm1(b);
    double e2 = Math.expm1(-b);
    double sinh = (e1 - e2) / 2;
    double cosh = (e1 + e2 + 2) / 2;
    r[i] = (float) (Math.cos(a) * cosh);
    r[i + 1] = a == 0 ? 0f : (float) (-Math.sin(a) * sinh);
  }

  /** sinh(z) = -i sin(iz). */
  static void sinh(double a, double b, float[] r, int i) {
    sin(-b, a, r, i);
    float re = r[i];
    r[i] = r[i + 1];
    r[i + 1] = -re;
  }

  /** cosh(z) = cos(iz). */
  static void cosh(double a, double b, float[] r, int i) {
    cos(-b, a, r, i);
  }

  /**
   * {@code tanh(a + bi) = (tanh a + i tan b) / (1 + i tanh a tan b)}, divided as complex numbers
   * (XLA's form, whose zero signs it keeps); {@code (+-1, 0)} once |a| is past f32's range of
   * distinct tanh values.
   */
  static void tanh(double a, double b, float[] r, int i) {
    if (Math.abs(a) > 20) {
      r[i] = (float) Math.copySign(1, a);
      r[i + 1] = 0f;
      return;
    }
    if (b == 0) {
      r[i] = (float) Math.tanh(a);
      r[i + 1] = 0f;
      return;
    }
    double t = Math.tanh(a);
    double u = Math.tan(b);
    double d = t * u;
    double den = 1 + d * d;
    r[i] = (float) ((t + u * d) / den);
    r[i + 1] = (float) ((u - t * d) / den);
  }

  /** tan(z) = -i tanh(iz). */
  static void tan(double a, double b, float[] r, int i) {
    tanh(-b, a, r, i);
    float re = r[i];
    r[i] = r[i + 1];
    r[i + 1] = -re;
  }

  /**
   * {@code (a + bi) / (c + di)} with XLA CPU's bits: its emitter's Smith quotient in f32 (the ratio
   * of the divisor's smaller part to its larger, {@code den = c + d * ratio}), each product feeding a
   * sum contracted into one FMA as LLVM does (objdump of the kernel: {@code vfmadd}/{@code vfmsub}/
   * {@code vfnmadd} for the three sums of each branch); where that is (NaN, NaN), C99 Annex G's
   * answers: of a zero divisor ({@code inf * a} with the divisor's sign), of an infinite dividend
   * over a finite divisor ({@code inf}), of an infinite divisor under a finite dividend ({@code 0}),
   * with their signs. Subnormal operands count as zero and subnormal steps are flushed, as XLA's
   * kernels run (FTZ/DAZ, {@link #flush}).
   */
  static void div(float a, float b, float c, float d, float[] r, int i) {
    a = flush(a);
    b = flush(b);
    c = flush(c);
    d = flush(d);
    float re;
    float im;
    if (Math.abs(c) < Math.abs(d)) {
      float ratio = flush(c / d);
      float den = flush(Math.fma(c, ratio, d));
      re = Math.fma(a, ratio, b) / den;
      im = Math.fma(b, ratio, -a) / den;
    } else {
      float ratio = flush(d / c);
      float den = flush(Math.fma(d, ratio, c));
      re = Math.fma(b, ratio, a) / den;
      im = Math.fma(-a, ratio, b) / den;
    }
    if (Float.isNaN(re) && Float.isNaN(im)) {
      boolean aFinite = Float.isFinite(a) && Float.isFinite(b);
      boolean cFinite = Float.isFinite(c) && Float.isFinite(d);
      if (c == 0 && d == 0 && (!Float.isNaN(a) || !Float.isNaN(b))) {
        float inf = Math.copySign(Float.POSITIVE_INFINITY, c);
        re = inf * a;
        im = inf * b;
      } else if ((Float.isInfinite(a) || Float.isInfinite(b)) && cFinite) {
        float x = Math.copySign(Float.isInfinite(a) ? 1f : 0f, a);
        float y = Math.copySign(Float.isInfinite(b) ? 1f : 0f, b);
        re = Float.POSITIVE_INFINITY * (x * c + y * d);
        im = Float.POSITIVE_INFINITY * (y * c - x * d);
      } else if (aFinite && (Float.isInfinite(c) || Float.isInfinite(d))) {
        float x = Math.copySign(Float.isInfinite(c) ? 1f : 0f, c);
        float y = Math.copySign(Float.isInfinite(d) ? 1f : 0f, d);
        re = 0f * (a * x + b * y);
        im = 0f * (b * x - a * y);
      }
    }
    r[i] = flush(re);
    r[i + 1] = flush(im);
  }

  /**
   * {@code x^y} of c64 with XLA CPU's bits: {@code |x|^c e^(-d arg x) (cos, sin)(c arg x + d log|x|)}
   * for {@code x = a + bi, y = c + di}, in f32 — {@code |x|} as {@code max * sqrt(fma(q, q, 1))}
   * ({@code q = min / max} of the parts' magnitudes; NaN → min, so |inf + inf i| is inf), {@code powf},
   * {@code atan2f}, {@code sinf}, {@code cosf} from the C library XLA calls ({@link Libm}), exp and log
   * XLA's own ({@link XlaF32Math}), the angle {@code fma(arg, c, d * log)}, every step flushed as
   * {@link #div}'s (the C functions get the operands unflushed, as XLA passes them). Then XLA's special cases, the last one that applies winning: {@code 0^y} is
   * {@code 0^c} (1 or 0) for a real {@code y >= 0}, {@code x^0 = 1}, {@code 1^y = 1}, {@code inf^y} is
   * inf for a real y > 0 and 0 for a real y < 0. Other zeros and infinities go through the formula
   * ({@code 0^(1+1i)} is NaN).
   */
  static void pow(float xRe, float xIm, float yRe, float yIm, float[] r, int i) {
    float modulus = ComplexKernels.abs(xRe, xIm);
    float arg = powArg(xRe, xIm);
    powFinish(xRe, xIm, yRe, yIm, modulus, arg, powPowered(modulus, yRe),
        XlaF32Math.exp(powExpArgument(yIm, arg)), XlaF32Math.log(modulus), r, i);
  }

  // pow's steps, shared with ComplexPow (which runs XLA's exp and log a vector at a time between them)

  /** {@code arg x}: glibc's {@code atan2f} of the operand's parts as they are (XLA passes them unflushed). */
  static float powArg(float xRe, float xIm) {
    return flush(Libm.atan2(xIm, xRe));
  }

  /** {@code |x|^c} with glibc's {@code powf}. */
  static float powPowered(float modulus, float yRe) {
    return flush(Libm.pow(modulus, yRe));
  }

  /** The argument of XLA's exp, {@code -d arg x}. */
  static float powExpArgument(float yIm, float arg) {
    return flush(-flush(yIm) * arg);
  }

  /**
   * The rest of {@link #pow} from its steps: {@code |x|^c e^(-d arg x)} times the angle's cosine
   * and sine ({@code fma(arg, c, d log|x|)}), then XLA's special cases.
   */
  static void powFinish(float xRe, float xIm, float yRe, float yIm, float modulus, float arg, float powered,
      float expOfExpArgument, float logOfModulus, float[] r, int i) {
    // the C library gets the operands' bits as they are; XLA's own arithmetic sees subnormals as 0
    float a = flush(xRe);
    float b = flush(xIm);
    float c = flush(yRe);
    float d = flush(yIm);
    float magnitude = flush(powered * expOfExpArgument);
    float angle = flush(Math.fma(arg, c, flush(d * logOfModulus)));
    float re = flush(magnitude * flush(Libm.cos(angle)));
    float im = flush(magnitude * flush(Libm.sin(angle)));
    boolean realY = d == 0;
    if (modulus == 0 && realY && c >= 0) {
      re = c == 0 ? 1f : 0f;
      im = 0f;
    }
    if ((c == 0 && realY) || (a == 1 && b == 0)) {
      re = 1f;
      im = 0f;
    }
    if (a == Float.POSITIVE_INFINITY && b == 0 && realY && c != 0 && !Float.isNaN(c)) {
      re = c > 0 ? Float.POSITIVE_INFINITY : 0f;
      im = 0f;
    }
    r[i] = re;
    r[i + 1] = im;
  }

  /**
   * A subnormal as XLA's CPU kernels see and leave it: zero of its sign (they run with the FTZ and
   * DAZ flags). The c64 kernels that are XLA's code step for step (multiply, square, div, pow)
   * flush their operands and steps as XLA does; elsewhere StateLens keeps subnormals.
   */
  static float flush(float v) {
    return XlaF32Math.flushSubnormal(v);
  }
}
