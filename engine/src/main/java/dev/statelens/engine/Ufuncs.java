package dev.statelens.engine;

import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The jnp math functions ported code reaches for now and then ({@code jax/_src/numpy/ufuncs.py}):
 * {@code fmod}, {@code remainder}/{@code mod}, {@code cbrt}, {@code sinc}, {@code copysign},
 * {@code signbit}, {@code trunc}, {@code heaviside}, {@code logaddexp2}, {@code deg2rad}/
 * {@code rad2deg}, {@code gcd}/{@code lcm}, {@code frexp}/{@code ldexp}. Each is composed as JAX
 * composes it, so values, gradients (JAX's custom rules for sinc, logaddexp2 and frexp), jit and
 * vmap follow JAX. Arguments broadcast as NumPy; see docs/arrays.md, "More math".
 */
public final class Ufuncs {
  private Ufuncs() {}

  /**
   * {@code jnp.fmod(x1, x2)}: the remainder of the truncating division, with the sign of x1
   * ({@code lax.rem}); an integer divisor of 0 gives 0, as JAX's (it divides by 1 there).
   */
  public static Array fmod(Array x1, Array x2) {
    Array[] p = promoteNumeric("fmod", x1, x2);
    return p[0].rem(nonZeroIntegerDivisor(p[1]));
  }

  /**
   * {@code jnp.remainder(x1, x2)} (= {@code jnp.mod}, Python's {@code %}): the remainder with the
   * sign of x2. An integer divisor of 0 gives 0, as JAX's.
   */
  public static Array remainder(Array x1, Array x2) {
    Array[] p = promoteNumeric("remainder", x1, x2);
    Array x = p[0];
    Array y = nonZeroIntegerDivisor(p[1]);
    Array zero = Array.zeros(x.dtype(), new int[0]);
    Array truncMod = x.rem(y);
    Array doPlus = truncMod.lt(zero).ne(y.lt(zero)).and(truncMod.ne(zero));
    return Array.where(doPlus, truncMod.add(y), truncMod);
  }

  /** {@code jnp.mod}: {@link #remainder}. */
  public static Array mod(Array x1, Array x2) {
    return remainder(x1, x2);
  }

  /** {@code jnp.cbrt(x)}: the real cube root ({@code lax.cbrt}); gradient {@code g / (3 cbrt(x)^2)}. */
  public static Array cbrt(Array x) {
    return Prims.CBRT.bind1(Params.EMPTY, NumpyMath.floaty(x));
  }

  /**
   * {@code jnp.sinc(x)}: {@code sin(pi x) / (pi x)}, 1 at 0. JAX's custom rule makes every
   * derivative at 0 the Maclaurin series' (0, {@code -pi^2/3}, ...), not the NaN of 0/0.
   */
  public static Array sinc(Array x) {
    Array f = NumpyMath.floaty(x);
    DType dt = f.dtype();
    Array eqZero = f.eq(Array.zeros(dt, new int[0]));
    Array piX = Array.scalar(dt, Math.PI).mul(f);
    Array safePiX = Array.where(eqZero, Array.ones(dt, new int[0]), piX);
    return Array.where(eqZero, sincMaclaurin(0).apply(piX), safePiX.sin().div(safePiX));
  }

  private static final Map<Integer, Function<Array, Array>> SINC_MACLAURIN = new ConcurrentHashMap<>();

  /**
   * JAX's {@code _sinc_maclaurin(k, x)}: the k-th derivative of {@code sin(x)/x} at 0 as
   * {@code x * 0 + c}, with the (k+1)-th as its JVP, so nested derivatives keep going.
   */
  private static Function<Array, Array> sincMaclaurin(int k) {
    return SINC_MACLAURIN.computeIfAbsent(k, kk -> Transforms.customJvp(
        (Array x) -> maclaurinTerm(kk, x),
        (Array x, Array t) -> Pair.of(maclaurinTerm(kk, x), sincMaclaurin(kk + 1).apply(x).mul(t))));
  }

  private static Array maclaurinTerm(int k, Array x) {
    Array zero = x.mul(Array.zeros(x.dtype(), new int[0]));
    return k % 2 == 1 ? zero : zero.add(Array.scalar(x.dtype(), (k / 2 % 2 == 0 ? 1.0 : -1.0) / (k + 1)));
  }

  /** {@code jnp.signbit(x)}: true where the sign bit is set (-0.0 and -NaN too); integers: x < 0; bool: false. */
  public static Array signbit(Array x) {
    DType dt = x.dtype();
    if (dt == DType.BOOL) {
      return Array.zeros(DType.BOOL, x.shape());
    }
    if (!dt.isFloating()) {
      return x.lt(Array.zeros(dt, new int[0]));
    }
    // the sign survives the conversion to f32 (also of -0, -inf and NaN), and f32's bits are an int32
    return x.astype(DType.F32).bitcast(DType.I32).lt(Array.zeros(DType.I32, new int[0]));
  }

  /** {@code jnp.copysign(x1, x2)}: the magnitude of x1 with the sign bit of x2. */
  public static Array copysign(Array x1, Array x2) {
    Array[] p = NumpyMath.promoteInexact("copysign", x1, x2);
    Array mag = p[0].abs();
    return Array.where(signbit(p[1]), mag.neg(), mag);
  }

  /** {@code jnp.trunc(x)}: rounds toward zero ({@code where(x < 0, ceil, floor)}); integers unchanged. */
  public static Array trunc(Array x) {
    if (!x.dtype().isFloating()) {
      return x;
    }
    return Array.where(x.lt(Array.zeros(x.dtype(), new int[0])), x.ceil(), x.floor());
  }

  /** {@code jnp.heaviside(x1, x2)}: 0 below 0, 1 above, x2 at 0, NaN at NaN. */
  public static Array heaviside(Array x1, Array x2) {
    Array[] p = NumpyMath.promoteInexact("heaviside", x1, x2);
    DType dt = p[0].dtype();
    Array zero = Array.zeros(dt, new int[0]);
    return Array.where(p[0].lt(zero), zero.broadcastTo(p[0].shape()),
        Array.where(p[0].gt(zero), Array.ones(dt, p[0].shape()),
            Array.where(p[0].ne(p[0]), p[0], p[1])));
  }

  /**
   * {@code jnp.logaddexp2(x1, x2)} = {@code log2(2^x1 + 2^x2)} without overflow; JAX's custom JVP
   * {@code t1 2^(x1 - out) + t2 2^(x2 - out)} (1/2 each at a tie).
   */
  public static Array logaddexp2(Array x1, Array x2) {
    Array[] p = NumpyMath.promoteInexact("logaddexp2", x1, x2);
    return LOGADDEXP2.apply(p[0], p[1]);
  }

  private static final BiFunction<Array, Array, Array> LOGADDEXP2 = Transforms.customJvp(
      Ufuncs::logaddexp2Primal,
      (Array x1, Array x2, Array t1, Array t2) -> {
        Array out = logaddexp2Primal(x1, x2);
        Array o = NumpyMath.replaceInf(out);
        return Pair.of(out, t1.mul(NumpyMath.replaceInf(x1).sub(o).exp2()).add(t2.mul(NumpyMath.replaceInf(x2).sub(o).exp2())));
      });

  private static Array logaddexp2Primal(Array x1, Array x2) {
    Array amax = x1.maximum(x2);
    Array invLn2 = Array.scalar(amax.dtype(), 1 / Math.log(2));
    Array delta = x1.sub(x2);
    return Array.where(delta.ne(delta), x1.add(x2), amax.add(invLn2.mul(delta.abs().neg().exp2().log1p())));
  }

  /** {@code jnp.deg2rad(x)}: {@code x * (pi / 180)}. */
  public static Array deg2rad(Array x) {
    Array f = NumpyMath.floaty(x);
    return f.mul(Array.scalar(f.dtype(), Math.PI / 180));
  }

  /** {@code jnp.rad2deg(x)}: {@code x * (180 / pi)}. */
  public static Array rad2deg(Array x) {
    Array f = NumpyMath.floaty(x);
    return f.mul(Array.scalar(f.dtype(), 180 / Math.PI));
  }

  /**
   * {@code jnp.gcd(x1, x2)}: the greatest common divisor of |x1| and |x2| (integers only), by
   * Euclid's algorithm in a {@code while_loop} over the whole array, as JAX's; gcd(0, 0) = 0.
   */
  public static Array gcd(Array x1, Array x2) {
    Array[] p = integers("gcd", x1, x2);
    Array zero = Array.zeros(p[0].dtype(), new int[0]);
    Pair<Array, Array> out = Lax.whileLoop((Pair<Array, Array> s) -> s.second().ne(zero).any(),
        (Pair<Array, Array> s) -> {
          Array nz = s.second().ne(zero);
          Array a = Array.where(nz, s.second(), s.first());
          Array b = Array.where(nz, s.first().rem(s.second()), zero);
          Array swap = a.lt(b);
          return Pair.of(Array.where(swap, b, a), Array.where(swap, a, b));
        }, Pair.of(p[0].abs(), p[1].abs()));
    return out.first();
  }

  /** {@code jnp.lcm(x1, x2)}: the least common multiple of |x1| and |x2| (integers only); 0 if either is 0. */
  public static Array lcm(Array x1, Array x2) {
    Array[] p = integers("lcm", x1, x2);
    Array a = p[0].abs();
    Array b = p[1].abs();
    Array d = gcd(a, b);
    Array zero = Array.zeros(d.dtype(), new int[0]);
    return Array.where(d.eq(zero), zero.broadcastTo(d.shape()), a.mul(b.floorDivide(Array.where(d.eq(zero), Array.onesLike(d), d))));
  }

  /**
   * {@code jnp.frexp(x)}: {@code (m, e)} with {@code x = m 2^e}, {@code 0.5 <= |m| < 1} and
   * {@code e} int32; 0, inf and NaN give {@code (x, 0)}. JAX's derivative: {@code dm = dx 2^-e}.
   */
  public static Pair<Array, Array> frexp(Array x) {
    Array f = NumpyMath.floaty(x);
    Array e = frexpExponent(f.stopGradient());
    return Pair.of(FREXP_MANTISSA.apply(f, e), e);
  }

  /** The mantissa for a given exponent, with JAX's derivative {@code dm = dx 2^-e} (e is an integer: no tangent). */
  private static final BiFunction<Array, Array, Array> FREXP_MANTISSA = Transforms.customJvp(
      Ufuncs::frexpMantissa,
      (Array x, Array e, Array tx, Array te) ->
          Pair.of(frexpMantissa(x, e), tx.mul(e.astype(tx.dtype()).neg().exp2())));

  /**
   * e of frexp (I32; 0 for 0, inf and NaN). JAX reads it from the float's bits; f64 has no 64-bit
   * integer dtype here, so it is {@code floor(log2|x|) + 1} with one correction step for log2's
   * rounding (the mantissa must land in [0.5, 1)).
   */
  private static Array frexpExponent(Array x) {
    Array special = frexpSpecial(x);
    Array safe = frexpSafeMagnitude(x, special);
    // log2 in f64 even for f32 inputs: exact enough that one correction suffices
    Array e = safe.log2().floor().add(1);
    Array m = scaleDown(safe, e);
    e = Array.where(m.ge(1.0), e.add(1), Array.where(m.lt(0.5), e.sub(1), e));
    return Array.where(special, Array.zeros(DType.I32, new int[0]), e.astype(DType.I32));
  }

  /** m of frexp: {@code x / 2^e} (exact: division by a power of two) with x's sign; 0, inf and NaN as they are. */
  private static Array frexpMantissa(Array x, Array e) {
    Array special = frexpSpecial(x);
    Array m = scaleDown(frexpSafeMagnitude(x, special), e.astype(DType.F64)).astype(x.dtype());
    return Array.where(special, x, Array.where(signbit(x), m.neg(), m));
  }

  private static Array frexpSpecial(Array x) {
    return x.isinf().or(x.ne(x)).or(x.eq(Array.zeros(x.dtype(), new int[0])));
  }

  /** |x| in f64, 1 where x is special (so log2 and the division stay finite there). */
  private static Array frexpSafeMagnitude(Array x, Array special) {
    return Array.where(special, Array.ones(x.dtype(), new int[0]), x.abs()).astype(DType.F64);
  }

  /** {@code x / 2^e} in two exact halves, so that 2^e cannot overflow (e = 1024) or vanish. */
  private static Array scaleDown(Array x, Array e) {
    Array half = e.div(2.0).floor();
    return x.div(half.exp2()).div(e.sub(half).exp2());
  }

  /**
   * {@code jnp.ldexp(x1, x2)}: {@code x1 * 2^x2} with x2 an integer array, computed as JAX's
   * (split x1 with frexp first so neither factor overflows). Float exponents are refused, as in JAX.
   */
  public static Array ldexp(Array x1, Array x2) {
    if (x2.dtype().isFloating()) {
      throw new IllegalArgumentException("ldexp: the exponent x2 must be of an integer dtype, got "
          + x2.dtype().numpyName() + " (as jnp.ldexp); pass x2.astype(DType.I32)");
    }
    Array x = NumpyMath.floaty(x1);
    DType dt = x.dtype();
    Pair<Array, Array> me = frexp(x);
    Array e = me.second().astype(x2.dtype()).add(x2).astype(dt);
    Array zero = Array.zeros(dt, new int[0]);
    Array m = Array.where(e.gt(zero), me.first().mul(Array.scalar(dt, 2)), me.first());
    e = Array.where(e.gt(zero), e.sub(Array.scalar(dt, 1)), e);
    Array out = m.mul(Array.scalar(dt, 2).pow(e));
    return Array.where(x.isinf().or(x.eq(zero)), x.broadcastTo(out.shape()), out);
  }

  // ---- promotion ------------------------------------------------------------------------------

  /** jnp's {@code promote_args_numeric}: one dtype (bool refused), one shape. */
  private static Array[] promoteNumeric(String op, Array x1, Array x2) {
    DType dt = DType.promote(x1.dtype(), x2.dtype());
    if (dt == DType.BOOL) {
      throw new IllegalArgumentException(op + ": both operands are bool; convert one first, e.g. x.astype(DType.I32)");
    }
    int[] shape = Array.broadcastShapes(op, x1.shape(), x2.shape());
    return new Array[] {x1.astype(dt).broadcastTo(shape), x2.astype(dt).broadcastTo(shape)};
  }

  private static Array nonZeroIntegerDivisor(Array y) {
    return y.dtype().isFloating() ? y : Array.where(y.eq(Array.zeros(y.dtype(), new int[0])), Array.onesLike(y), y);
  }

  private static Array[] integers(String op, Array x1, Array x2) {
    DType dt = DType.promote(x1.dtype(), x2.dtype());
    if (dt.isFloating() || dt == DType.BOOL) {
      throw new IllegalArgumentException(op + ": arguments must be integers (as jnp." + op + "), got "
          + x1.dtype().numpyName() + " and " + x2.dtype().numpyName() + "; convert with astype(DType.I32)");
    }
    int[] shape = Array.broadcastShapes(op, x1.shape(), x2.shape());
    return new Array[] {x1.astype(dt).broadcastTo(shape), x2.astype(dt).broadcastTo(shape)};
  }
}
