package dev.statelens.engine;

/**
 * The jnp ufuncs that are compositions in JAX too ({@code jax/_src/numpy/ufuncs.py}), built
 * from the same primitives in the same order, so values, NaN/inf behaviour, gradients and vmap
 * follow JAX's: {@code log2}, {@code log10}, {@code hypot}, {@code isnan}, {@code isinf},
 * {@code nan_to_num} and {@code floor_divide}. See docs/arrays.md, "jnp math".
 */
final class NumpyMath {
  private NumpyMath() {}

  /** {@code jnp.log2}: {@code log(x) / log(2)}, the divisor computed in x's dtype as JAX does. */
  static Array log2(Array x) {
    Array f = floaty(x);
    return f.log().div(Array.scalar(f.dtype(), 2).log());
  }

  /** {@code jnp.log10}: {@code log(x) * (1 / ln 10)}, the constant rounded to x's dtype. */
  static Array log10(Array x) {
    return floaty(x).log().mul(1 / Math.log(10));
  }

  /**
   * {@code jnp.hypot}: {@code max * sqrt(1 + (min / max)^2)} of the magnitudes, so neither
   * {@code x^2} nor {@code y^2} overflows; 0 where both are 0, inf where either is infinite
   * (even beside a NaN, as C's hypot).
   */
  static Array hypot(Array x, Array y) {
    DType dt = DType.promote(floatyDtype(x.dtype()), floatyDtype(y.dtype()));
    Array a = x.astype(dt).abs();
    Array b = y.astype(dt).abs();
    Array anyInf = a.eq(Double.POSITIVE_INFINITY).or(b.eq(Double.POSITIVE_INFINITY));
    Array hi = a.max(b);
    Array lo = a.min(b);
    Array zero = hi.eq(0);
    Array ratio = lo.div(Array.where(zero, 1, hi));
    Array r = hi.mul(ratio.square().add(1).sqrt());
    return Array.where(anyInf, Double.POSITIVE_INFINITY, Array.where(zero, hi, r));
  }

  /** {@code jnp.isnan}: {@code x != x}; false everywhere for integer and bool arrays. */
  static Array isnan(Array x) {
    if (x.dtype().isComplex()) { // either part NaN, as NumPy
      return isnan(x.real()).or(isnan(x.imag()));
    }
    return x.dtype().isFloating() ? x.ne(x) : Array.full(DType.BOOL, x.shape(), 0);
  }

  /** {@code jnp.isinf}: {@code |x| == inf}; false everywhere for integer and bool arrays. */
  static Array isinf(Array x) {
    if (x.dtype().isComplex()) { // either part infinite, as NumPy
      return isinf(x.real()).or(isinf(x.imag()));
    }
    return x.dtype().isFloating() ? x.abs().eq(Double.POSITIVE_INFINITY) : Array.full(DType.BOOL, x.shape(), 0);
  }

  /**
   * {@code jnp.nan_to_num(x, nan, posinf, neginf)}: NaN to {@code nan}, +inf to {@code posinf},
   * -inf to {@code neginf} (null: the dtype's largest and lowest finite values, as NumPy);
   * integer and bool arrays come back unchanged.
   */
  static Array nanToNum(Array x, double nan, Double posinf, Double neginf) {
    if (!x.dtype().isFloating()) {
      return x;
    }
    double max = maxFinite(x.dtype());
    Array r = Array.where(x.ne(x), nan, x);
    r = Array.where(r.eq(Double.POSITIVE_INFINITY), posinf == null ? max : posinf, r);
    return Array.where(r.eq(Double.NEGATIVE_INFINITY), neginf == null ? -max : neginf, r);
  }

  /**
   * {@code jnp.floor_divide} ({@code x // y}): rounds the quotient toward -inf. Signed integers:
   * the truncating quotient less one where the signs differ and the division is inexact;
   * unsigned: the quotient; floats: NumPy's divmod, {@code (x - x mod y) / y} corrected by the
   * remainder's sign and rounded, so {@code 7.0 // 0.1} is 69 as in NumPy, not floor(70.0000001).
   */
  static Array floorDivide(Array x, Array y) {
    DType dt = DType.promote(x.dtype(), y.dtype());
    if (dt == DType.BOOL) {
      throw new ShapeError("floorDivide: both operands are bool; convert one first, e.g. x.astype(DType.I32)");
    }
    Array a = x.astype(dt);
    Array b = y.astype(dt);
    if (dt == DType.U32) {
      return a.div(b);
    }
    if (!dt.isFloating()) {
      Array q = a.div(b);
      Array fix = a.sign().ne(b.sign()).and(a.rem(b).ne(0));
      return Array.where(fix, q.sub(1), q);
    }
    Array mod = a.rem(b);
    Array div = Array.where(b.eq(0), a, a.sub(mod)).div(b);
    Array fix = mod.ne(0).and(b.sign().ne(mod.sign()));
    return Array.where(fix, div.sub(1), div).round();
  }

  /**
   * {@code jnp.logaddexp(x1, x2)} = {@code log(exp(x1) + exp(x2))} without overflow: lax's
   * {@code max + log1p(exp(-|x1 - x2|))}, {@code x1 + x2} where the difference is NaN (NaNs, or
   * infinities of one sign). A {@code customJvp} as in JAX ({@code jax/_src/lax/other.py}): the
   * tangent {@code t1 exp(x1 - out) + t2 exp(x2 - out)} with +inf read as 0, so the gradient at
   * a tie is 1/2 each, not what max's and abs's derivatives would give.
   */
  static Array logaddexp(Array x1, Array x2) {
    Array[] p = promoteInexact("logaddexp", x1, x2);
    return LOGADDEXP.apply(p[0], p[1]);
  }

  private static final java.util.function.BiFunction<Array, Array, Array> LOGADDEXP = Transforms.customJvp(
      NumpyMath::logaddexpPrimal,
      (Array x1, Array x2, Array t1, Array t2) -> {
        Array out = logaddexpPrimal(x1, x2);
        Array o = replaceInf(out);
        return Pair.of(out, t1.mul(replaceInf(x1).sub(o).exp()).add(t2.mul(replaceInf(x2).sub(o).exp())));
      });

  private static Array logaddexpPrimal(Array x1, Array x2) {
    Array amax = x1.maximum(x2);
    Array delta = x1.sub(x2);
    return Array.where(delta.ne(delta), x1.add(x2), amax.add(delta.abs().neg().exp().log1p()));
  }

  /** JAX's {@code _replace_inf}: +inf to 0 (logaddexp's and Ufuncs.logaddexp2's tangents). */
  static Array replaceInf(Array x) {
    return Array.where(x.eq(Double.POSITIVE_INFINITY), 0.0, x);
  }

  /** The largest finite value of a float dtype ({@code jnp.finfo(dtype).max}). */
  static double maxFinite(DType dtype) {
    return switch (dtype) {
      case F32 -> Float.MAX_VALUE;
      case F64 -> Double.MAX_VALUE;
      case F16 -> 65504;
      case BF16 -> 3.3895313892515355e38; // 0x7F7F: f32's exponent, 8 bits of mantissa
      default -> throw new IllegalArgumentException(dtype + " is not a float dtype");
    };
  }

  /**
   * jnp's {@code promote_args_inexact} with broadcasting: {@code args} in one float dtype (integers
   * and bool count as F32) and one shape, {@code op} naming the call in a shape error.
   */
  static Array[] promoteInexact(String op, Array... args) {
    DType dt = inexactDtype(args);
    int[] shape = args[0].shape();
    for (int i = 1; i < args.length; i++) {
      shape = Array.broadcastShapes(op, shape, args[i].shape());
    }
    Array[] out = new Array[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = args[i].astype(dt).broadcastTo(shape);
    }
    return out;
  }

  /** jnp's {@code promote_dtypes_inexact}: {@link #promoteInexact}'s dtype, shapes untouched (no broadcasting). */
  static Array[] promoteDtypesInexact(Array... args) {
    DType dt = inexactDtype(args);
    Array[] out = new Array[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = args[i].astype(dt);
    }
    return out;
  }

  /** The one float dtype {@code args} promote to, integers and bool counting as F32. */
  private static DType inexactDtype(Array... args) {
    DType dt = floatyDtype(args[0].dtype());
    for (int i = 1; i < args.length; i++) {
      dt = DType.promote(dt, floatyDtype(args[i].dtype()));
    }
    return dt;
  }

  /**
   * Integers and bool become F32, as jnp's {@code promote_args_inexact}: the one copy Array,
   * Linalg and MatrixHelpers call (Nn's own refuses bool).
   */
  static Array floaty(Array x) {
    // complex stays complex (the primitive's shape rule accepts or refuses it; never drop the imaginary part)
    return x.dtype().isInexact() ? x : x.astype(DType.F32);
  }

  /** {@link #floaty}'s dtype, without converting an array to learn it. */
  static DType floatyDtype(DType dtype) {
    return dtype.isInexact() ? dtype : DType.F32;
  }
}
