package dev.statelens.engine.random;

/**
 * {@code log1p} as XLA's CPU backend emits it ({@code ElementalIrEmitter::EmitLog1p}, since 2025
 * the {@code xla.log1p} intrinsic in {@code xla/codegen/math/log1p.cc}): a Cephes rational
 * approximation for {@code |x| < sqrt(2) - 1}, {@code log(1 + x)} otherwise.
 *
 * <p>We copy XLA rather than call {@link Math#log1p} because {@link ErfInv} feeds this result
 * into a polynomial, and {@code jax.random.normal} is only bit-exact with JAX if every rounding
 * matches. XLA's CPU compiler always allows FMA contraction ("it increases precision"), so each
 * {@code a * b + c} of the emitted IR is one fused multiply-add here too.
 */
final class XlaLog1p {

  private static final double SMALL_THRESHOLD = 0.41421356237309504880; // sqrt(2) - 1

  // Cephes log1p rational approximation, highest degree first (XLA's EvaluatePolynomial order).
  private static final double[] NUMERATOR = {
    4.5270000862445199635215E-5, 4.9854102823193375972212E-1,
    6.5787325942061044846969E0, 2.9911919328553073277375E1,
    6.0949667980987787057556E1, 5.7112963590585538103336E1,
    2.0039553499201281259648E1,
  };
  private static final double[] DENOMINATOR = {
    1., 1.5062909083469192043167E1, 8.3047565967967209469434E1,
    2.2176239823732856465394E2, 3.0909872225312059774938E2,
    2.1642788614495947685003E2, 6.0118660497603843919306E1,
  };
  private static final float[] NUMERATOR_F32 = toFloats(NUMERATOR);
  private static final float[] DENOMINATOR_F32 = toFloats(DENOMINATOR);

  private XlaLog1p() {}

  static float log1p(float x) {
    if (!(Math.abs(x) < (float) SMALL_THRESHOLD)) {
      // The large branch: log of a float sum; a correctly rounded float log.
      return (float) Math.log(x + 1f);
    }
    float xSquared = x * x;
    float ratio = horner(x, NUMERATOR_F32) / horner(x, DENOMINATOR_F32);
    float result = (x * xSquared) * ratio;
    result = Math.fma(-0.5f, xSquared, result);
    return x + result;
  }

  static double log1p(double x) {
    if (!(Math.abs(x) < SMALL_THRESHOLD)) {
      return Math.log(x + 1.0);
    }
    double xSquared = x * x;
    double ratio = horner(x, NUMERATOR) / horner(x, DENOMINATOR);
    double result = (x * xSquared) * ratio;
    result = Math.fma(-0.5, xSquared, result);
    return x + result;
  }

  private static float horner(float x, float[] coefficients) {
    float p = 0f;
    for (float c : coefficients) {
      p = Math.fma(p, x, c);
    }
    return p;
  }

  private static double horner(double x, double[] coefficients) {
    double p = 0.0;
    for (double c : coefficients) {
      p = Math.fma(p, x, c);
    }
    return p;
  }

  private static float[] toFloats(double[] values) {
    float[] result = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = (float) values[i];
    }
    return result;
  }
}
