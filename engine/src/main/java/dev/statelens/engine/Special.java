package dev.statelens.engine;

import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.random.RandomPrimitives;
import java.util.List;

/**
 * {@code jax.scipy.special} (and the lax special functions under it: {@code lax.lgamma},
 * {@code lax.igamma_grad_a}, {@code lax.random_gamma_grad}, ...). Each function is composed as
 * JAX composes it ({@code jax/_src/scipy/special.py}, {@code third_party/scipy/betaln.py}): the
 * same primitives, constants rounded to the same dtype, the same order, so values follow JAX's
 * and gradients come from the primitives' rules, or from JAX's own custom derivative where JAX
 * defines one (xlogy, xlog1py, logit, log_ndtr, entr). Arguments are promoted as
 * {@code promote_args_inexact} does (integers and bool become F32) and broadcast together.
 * See docs/special.md.
 */
public final class Special {
  private Special() {}

  // ---- gamma family ---------------------------------------------------------------------------

  /** {@code gammaln(x)}: {@code log|Gamma(x)|} ({@code lax.lgamma}). */
  public static Array gammaln(Array x) {
    return Prims.LGAMMA.bind1(Params.EMPTY, NumpyMath.floaty(x));
  }

  /** {@code lax.lgamma}: the same as {@link #gammaln}. */
  public static Array lgamma(Array x) {
    return gammaln(x);
  }

  /** {@code digamma(x)}: {@code Gamma'(x) / Gamma(x)}; NaN at 0 and the negative integers (as JAX). */
  public static Array digamma(Array x) {
    return Prims.DIGAMMA.bind1(Params.EMPTY, NumpyMath.floaty(x));
  }

  /** {@code polygamma(n, x)}: the n-th derivative of digamma ({@code n = 0}: digamma). */
  public static Array polygamma(int n, Array x) {
    if (n < 0) {
      throw new IllegalArgumentException("polygamma: the order n must be >= 0, got " + n
          + "; n = 0 is digamma, n = 1 trigamma");
    }
    Array fx = NumpyMath.floaty(x);
    return Prims.POLYGAMMA.bind1(Params.EMPTY, Array.scalar(fx.dtype(), n), fx);
  }

  /** {@code polygamma(n, x)} with an integer array of orders (JAX refuses float orders: so does this). */
  public static Array polygamma(Array n, Array x) {
    if (!n.dtype().isInteger()) {
      throw new IllegalArgumentException("polygamma: the order n must be of an integer dtype, got " + n.dtype()
          + "; pass n as an I32 array (or an int)");
    }
    Array[] nx = NumpyMath.promoteInexact("polygamma", n, x);
    return Prims.POLYGAMMA.bind1(Params.EMPTY, nx[0], nx[1]);
  }

  /**
   * {@code zeta(x, q)}: the Hurwitz zeta function {@code sum_k (q + k)^-x} ({@code lax.zeta}, StableHLO's
   * algorithm); NaN for {@code x < 1}, +inf at {@code x = 1}. JAX's custom derivative: {@code grad}
   * in x and in q is the derivative of JAX's series expansion ({@code _zeta_series_expansion},
   * Johansson's formula (5): 8 terms in f32, 16 in f64). JAX has no Riemann zeta ({@code q = None}).
   */
  public static Array zeta(Array x, Array q) {
    if (q == null) {
      throw new IllegalArgumentException("zeta: the Riemann zeta function (q = null) is not implemented, as in "
          + "JAX; pass q (q = 1 gives the Riemann zeta function)");
    }
    Array[] p = NumpyMath.promoteInexact("zeta", x, q);
    return ZETA.apply(p[0], p[1]);
  }

  private static final java.util.function.BiFunction<Array, Array, Array> ZETA = Transforms.customVjp(
      Special::zetaFlushed,
      (Array x, Array q) -> Pair.of(zetaFlushed(x, q), Pair.of(x, q)),
      (Pair<Array, Array> r, Array g) -> Transforms.vjp((Pair<Array, Array> xq) ->
          zetaSeriesExpansion(xq.first(), xq.second()), r).pullback(g));

  /**
   * The zeta primitive with subnormal arguments and results flushed to (signed) zero, as XLA's CPU
   * runs it for JAX (flush-to-zero and denormals-are-zero): an f32-subnormal q is 0 (a pole: +inf
   * for even x, else NaN), an x of 1e-40 is the even integer 0, and {@code zeta(2, 1e38)} is 0, not
   * the subnormal 1e-38. F64 flushes below {@code Double.MIN_NORMAL}; BF16/F16 as F32 (F16's
   * subnormals are normal there, so none is flushed).
   */
  static Array zetaFlushed(Array x, Array q) {
    return flushSubnormal(Prims.ZETA.bind1(Params.EMPTY, flushSubnormal(x), flushSubnormal(q)));
  }

  private static Array flushSubnormal(Array v) {
    double smallestNormal = v.dtype() == DType.F64 ? Double.MIN_NORMAL : Float.MIN_NORMAL;
    // mul(0), a weak int: a zero of v's own dtype (int32 stays int32, for ZETA to refuse it)
    return Array.where(v.abs().lt(smallestNormal), v.mul(0), v);
  }

  /** JAX's Bernoulli-number coefficients of the series' tail, as float64 ({@code _BERNOULLI_COEFS}). */
  private static final double[] BERNOULLI_COEFS = {12.0, -720.0, 30240.0, -1209600.0, 47900160.0,
    -1892437580.3183792, 74724249600.0, -2950130727918.164, 116467828143500.67, -4597978722407473.0,
    1.8152105401943546e+17, -7.166165256175667e+18, 2.82908877253043e+20, -1.1168794925000445e+22,
    4.4092635141854666e+23, -1.7407074646225822e+25};

  /**
   * JAX's {@code _zeta_series_expansion(s, a)}: {@code S + I + T} with N = M terms (8 in f32, 16
   * otherwise), the same operations in the same order; only its derivative is used (JAX's too).
   */
  static Array zetaSeriesExpansion(Array s, Array a) {
    DType dt = a.dtype();
    int n = dt == DType.F32 ? 8 : 16;
    Array nn = Array.scalar(dt, n);
    Array s1 = s.expandDims(-1);
    Array a1 = a.expandDims(-1);
    Array k = Array.arange(n).astype(dt);
    Array sum = a1.add(k).pow(s1.neg()).sum(-1);
    Array integral = a.add(nn).pow(Array.scalar(dt, 1).sub(s)).div(s.sub(Array.scalar(dt, 1)));
    Array t0 = a.add(nn).pow(s.neg());
    Array m = Array.arange(2 * n).astype(dt);
    Array sOverA = s1.add(m).div(a1.add(nn));
    int[][] everyOther = everyOther(sOverA.shape());
    Array t1 = sOverA.cumprod(-1).slice(everyOther[0], everyOther[1], everyOther[2]);
    t1 = t1.minimum(Array.scalar(dt, dt == DType.F32 ? Float.MAX_VALUE : Double.MAX_VALUE));
    double[] c = java.util.Arrays.copyOf(BERNOULLI_COEFS, n);
    Array coefs = Array.of(dt, new int[] {n}, c);
    t1 = t1.div(coefs);
    Array t = t0.mul(Array.scalar(dt, 0.5).add(t1.sum(-1)));
    return sum.add(integral).add(t);
  }

  /** start, limit and strides of {@code [..., ::2]}. */
  private static int[][] everyOther(int[] shape) {
    int r = shape.length;
    int[] start = new int[r];
    int[] strides = new int[r];
    java.util.Arrays.fill(strides, 1);
    strides[r - 1] = 2;
    return new int[][] {start, shape.clone(), strides};
  }

  /** {@code gammainc(a, x)}: the regularized lower incomplete gamma function P(a, x) ({@code lax.igamma}). */
  public static Array gammainc(Array a, Array x) {
    return binary("gammainc", Prims.IGAMMA, a, x);
  }

  /** {@code gammaincc(a, x)}: the regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x). */
  public static Array gammaincc(Array a, Array x) {
    return binary("gammaincc", Prims.IGAMMAC, a, x);
  }

  /** {@code lax.igamma_grad_a(a, x)}: {@code d gammainc(a, x) / da}. */
  public static Array igammaGradA(Array a, Array x) {
    return binary("igamma_grad_a", Prims.IGAMMA_GRAD_A, a, x);
  }

  /**
   * {@code lax.random_gamma_grad(a, x)}: the derivative of a Gamma(a, 1) draw {@code x} in its
   * shape {@code a} with the draw's uniform held fixed (what {@code grad} of {@link Random#gamma}
   * uses).
   */
  public static Array randomGammaGrad(Array a, Array x) {
    return binary("random_gamma_grad", Prims.RANDOM_GAMMA_GRAD, a, x);
  }

  /**
   * {@code multigammaln(a, d)}: the log of the multivariate gamma function,
   * {@code d(d-1)/4 log(pi) + sum_j gammaln(a - j/2)} over {@code j < d}.
   */
  public static Array multigammaln(Array a, int d) {
    if (d < 1) {
      throw new IllegalArgumentException("multigammaln: the dimension d must be >= 1, got " + d);
    }
    Array fa = NumpyMath.floaty(a);
    DType dt = fa.dtype();
    Array dd = Array.scalar(dt, d);
    Array constant = Array.scalar(dt, 0.25).mul(dd).mul(dd.sub(1)).mul(Array.scalar(dt, Math.PI).log());
    Array b = Array.arange(d).astype(dt).div(Array.scalar(dt, 2));
    Array shifted = fa.expandDims(-1).sub(b);
    return gammaln(shifted).sum(-1).add(constant);
  }

  // ---- beta family ----------------------------------------------------------------------------

  /** {@code betainc(a, b, x)}: the regularized incomplete beta function I_x(a, b); grad in x only (as JAX). */
  public static Array betainc(Array a, Array b, Array x) {
    Array[] p = NumpyMath.promoteInexact("betainc", a, b, x);
    return Prims.BETAINC.bind1(Params.EMPTY, p[0], p[1], p[2]);
  }

  /**
   * {@code betaln(a, b)}: {@code log|B(a, b)|}, as JAX's port of scipy's: with {@code a <= b},
   * {@code lgamma(a) + lgamma(b) - lgamma(a + b)} below {@code b = 8}, else
   * {@code lgamma(a) + algdiv(a, b)} (no cancellation of two huge lgammas).
   */
  public static Array betaln(Array a, Array b) {
    Array[] p = NumpyMath.promoteInexact("betaln", a, b);
    Array lo = p[0].minimum(p[1]);
    Array hi = p[0].maximum(p[1]);
    Array smallB = gammaln(lo).add(gammaln(hi).sub(gammaln(lo.add(hi))));
    Array largeB = gammaln(lo).add(algdiv(lo, hi));
    return Array.where(hi.lt(8), smallB, largeB);
  }

  /** scipy's {@code algdiv}: {@code log(Gamma(b) / Gamma(a + b))} for {@code b >= 8}, {@code a <= b}. */
  private static Array algdiv(Array a, Array b) {
    double c0 = 0.833333333333333e-01;
    double c1 = -0.277777777760991e-02;
    double c2 = 0.793650666825390e-03;
    double c3 = -0.595202931351870e-03;
    double c4 = 0.837308034031215e-03;
    double c5 = -0.165322962780713e-02;
    Array h = a.div(b);
    Array c = h.div(h.add(1));
    Array x = h.div(h.add(1));
    Array d = b.add(a.sub(0.5));
    Array x2 = x.mul(x);
    Array s3 = x.add(x2).add(1);
    Array s5 = x.add(x2.mul(s3)).add(1);
    Array s7 = x.add(x2.mul(s5)).add(1);
    Array s9 = x.add(x2.mul(s7)).add(1);
    Array s11 = x.add(x2.mul(s9)).add(1);
    Array t = b.rdiv(1).square();
    Array w = s11.mul(c5).mul(t).add(s9.mul(c4)).mul(t).add(s7.mul(c3)).mul(t).add(s5.mul(c2)).mul(t)
        .add(s3.mul(c1)).mul(t).add(c0);
    w = w.mul(c.div(b));
    Array u = d.mul(a.div(b).log1p());
    Array v = a.mul(b.log().sub(1));
    return Array.where(u.le(v), w.sub(v).sub(u), w.sub(u).sub(v));
  }

  // ---- logs and logistic ----------------------------------------------------------------------

  /**
   * {@code xlogy(x, y)}: {@code x log(y)}, 0 where {@code x == 0} unless y is NaN. JAX's custom
   * derivative: {@code dx log(y) + dy x / y}.
   */
  public static Array xlogy(Array x, Array y) {
    Array[] p = NumpyMath.promoteInexact("xlogy", x, y);
    return XLOGY.apply(p[0], p[1]);
  }

  /** {@code xlog1py(x, y)}: {@code x log1p(y)}, 0 where {@code x == 0} unless y is NaN; JAX's derivative. */
  public static Array xlog1py(Array x, Array y) {
    Array[] p = NumpyMath.promoteInexact("xlog1py", x, y);
    return XLOG1PY.apply(p[0], p[1]);
  }

  private static final java.util.function.BiFunction<Array, Array, Array> XLOGY = Transforms.customVjp(
      (Array x, Array y) -> xlogyValue(x, y, false),
      (Array x, Array y) -> Pair.of(xlogyValue(x, y, false), Pair.of(x, y)),
      (Pair<Array, Array> r, Array g) -> Pair.of(g.mul(r.second().log()), g.mul(r.first()).div(r.second())));

  private static final java.util.function.BiFunction<Array, Array, Array> XLOG1PY = Transforms.customVjp(
      (Array x, Array y) -> xlogyValue(x, y, true),
      (Array x, Array y) -> Pair.of(xlogyValue(x, y, true), Pair.of(x, y)),
      (Pair<Array, Array> r, Array g) ->
          Pair.of(g.mul(r.second().log1p()), g.mul(r.first()).div(r.second().add(1))));

  private static Array xlogyValue(Array x, Array y, boolean plusOne) {
    Array ok = x.ne(0).or(y.ne(y));
    return Array.where(ok, x.mul(plusOne ? y.log1p() : y.log()), Array.zeros(x.dtype(), x.shape()));
  }

  /**
   * {@code entr(x)}: {@code -x log(x)} for {@code x >= 0} (0 at 0), {@code -inf} below 0; JAX's
   * derivative {@code -(log(x) + 1)}.
   */
  public static Array entr(Array x) {
    Array f = NumpyMath.floaty(x);
    return Array.where(f.lt(0), Array.scalar(f.dtype(), Double.NEGATIVE_INFINITY).broadcastTo(f.shape()),
        XLOGX.apply(f).neg());
  }

  private static final java.util.function.Function<Array, Array> XLOGX = Transforms.customVjp(
      (Array x) -> xlogyValue(x, x, false),
      (Array x) -> Pair.of(xlogyValue(x, x, false), x),
      (Array x, Array g) -> g.mul(x.log().add(1)));

  /** {@code logit(x)}: {@code log(x / (1 - x))}; JAX's derivative {@code 1 / (x (1 - x))}. */
  public static Array logit(Array x) {
    return LOGIT.apply(NumpyMath.floaty(x));
  }

  private static final java.util.function.Function<Array, Array> LOGIT = Transforms.customVjp(
      (Array x) -> x.div(x.rsub(1)).log(),
      (Array x) -> Pair.of(x.div(x.rsub(1)).log(), x),
      (Array x, Array g) -> g.div(x.mul(x.rsub(1))));

  /** {@code expit(x)}: the logistic sigmoid ({@code lax.logistic}). */
  public static Array expit(Array x) {
    return NumpyMath.floaty(x).logistic();
  }

  // ---- gamma and beta functions, combinatorics (session 15, jnp9) ------------------------------

  /**
   * {@code gammasgn(x)}: the sign of {@code Gamma(x)}: 1, or -1 where an odd count of poles lies
   * above x ({@code floor(x)} odd and negative) and at -0; NaN at the poles (0 excluded: +-1 by
   * the zero's sign) and at NaN. Its gradient is 0.
   */
  public static Array gammasgn(Array x) {
    Array f = NumpyMath.floaty(x);
    DType dt = f.dtype();
    Array floorX = f.floor();
    Array negative = f.lt(0);
    Array pole = negative.logicalAnd(f.eq(floorX)).logicalOr(f.isnan());
    Array minus = negative.logicalAnd(floorX.rem(2).ne(0)).logicalOr(f.eq(0).logicalAnd(Ufuncs.signbit(f)));
    return Array.select(List.of(pole, minus), List.of(Array.scalar(dt, Double.NaN), Array.scalar(dt, -1)), 1.0);
  }

  /** {@code gamma(x) = gammasgn(x) exp(lgamma(x))}, as JAX (so it overflows to inf where exp(lgamma) does). */
  public static Array gamma(Array x) {
    Array f = NumpyMath.floaty(x);
    return gammasgn(f).mul(gammaln(f).exp());
  }

  /** {@code loggamma(x)} for real x: {@code lgamma(x)} where x > 0, NaN elsewhere (JAX; scipy's real loggamma too). */
  public static Array loggamma(Array x) {
    Array f = NumpyMath.floaty(x);
    return Array.where(f.gt(0), gammaln(f), Double.NaN);
  }

  /** {@code beta(a, b) = gammasgn(a) gammasgn(b) gammasgn(a + b) exp(betaln(a, b))}. */
  public static Array beta(Array a, Array b) {
    Array[] p = NumpyMath.promoteInexact("beta", a, b);
    Array sign = gammasgn(p[0]).mul(gammasgn(p[1])).mul(gammasgn(p[0].add(p[1])));
    return sign.mul(betaln(p[0], p[1]).exp());
  }

  /** {@code factorial(n)} ({@code exact=False}, JAX's only form): {@code exp(lgamma(n + 1))}, 0 for n < 0. */
  public static Array factorial(Array n) {
    Array f = NumpyMath.floaty(n);
    return Array.where(f.lt(0), 0.0, gammaln(f.add(1.0)).exp());
  }

  /** {@code comb(N, k)}: {@link #comb(Array, Array, boolean)} without repetition. */
  public static Array comb(Array n, Array k) {
    return comb(n, k, false);
  }

  /**
   * {@code comb(N, k, repetition=...)}: {@code exp(gammaln(N + 1) - gammaln(k + 1) - gammaln(N + 1 - k))}
   * where {@code 0 <= k <= N}, else 0 (JAX's exact=False: a float, exact only while lgamma is);
   * with repetition {@code comb(N + k - 1, k)}, 1 at k = 0 for N >= 0.
   */
  public static Array comb(Array n, Array k, boolean repetition) {
    Array[] p = NumpyMath.promoteInexact("comb", n, k);
    Array nn = p[0];
    Array kk = p[1];
    if (repetition) {
      Array one = kk.eq(0).logicalAnd(nn.ge(0));
      return Array.where(one, 1.0, comb(nn.add(kk).sub(1.0), kk, false));
    }
    Array ok = kk.le(nn).logicalAnd(nn.ge(0)).logicalAnd(kk.ge(0));
    Array safeN = Array.where(ok, nn, 0.0);
    Array safeK = Array.where(ok, kk, 0.0);
    Array result = gammaln(safeN.add(1.0)).sub(gammaln(safeK.add(1.0))).sub(gammaln(safeN.add(1.0).sub(safeK))).exp();
    return Array.where(ok, result, 0.0);
  }

  /**
   * {@code poch(z, m) = gamma(z + m) / gamma(z)} (1 where m = 0), the rising factorial; JAX's
   * derivatives {@code (digamma(z + m) - digamma(z)) poch} in z and {@code digamma(z + m) poch} in m.
   */
  public static Array poch(Array z, Array m) {
    Array[] p = NumpyMath.promoteInexact("poch", z, m);
    return POCH.apply(p[0], p[1]);
  }

  private static Array pochValue(Array z, Array m) {
    return Array.where(m.eq(0), Array.onesLike(z), gamma(z.add(m)).div(gamma(z)));
  }

  private static final java.util.function.BiFunction<Array, Array, Array> POCH = Transforms.customJvp(
      Special::pochValue,
      (Array z, Array m, Array dz, Array dm) -> {
        Array value = pochValue(z, m);
        Array digammaSum = digamma(z.add(m));
        Array inZ = digammaSum.sub(digamma(z)).mul(value).mul(dz);
        Array inM = digammaSum.mul(value).mul(dm);
        return Pair.of(value, inZ.add(inM));
      });

  // ---- scaled complementary error function (session 15, jnp9) ----------------------------------

  /**
   * {@code erfcx(x) = exp(x^2) erfc(x)} for real x, as JAX 0.10.2: {@code exp(x^2) erfc(x)} up to
   * {@code sqrt(log(max float))} (F32 9.42, F64 26.64), then the asymptotic series
   * {@code P(1/x^2) / (x sqrt(pi))} (5 terms in F32, 9 in F64), so it stays finite for large x;
   * it overflows for x below about -9.4 (F32), as JAX. F16/BF16 compute in F32. JAX's derivative
   * {@code 2 x erfcx(x) - 2/sqrt(pi)}.
   */
  public static Array erfcx(Array x) {
    Array f = NumpyMath.floaty(x);
    DType dt = f.dtype();
    if (dt == DType.F16 || dt == DType.BF16) {
      return ERFCX.apply(f.astype(DType.F32)).astype(dt);
    }
    return ERFCX.apply(f);
  }

  /** The asymptotic series' coefficients c_8 .. c_0, {@code c_k = (-1)^k (2k-1)!! / 2^k}. */
  private static final double[] ERFCX_SERIES = {7918.06640625, -1055.7421875, 162.421875, -29.53125, 6.5625,
      -1.875, .75, -.5, 1.};

  private static Array erfcxValue(Array x) {
    DType dt = x.dtype();
    boolean f64 = dt == DType.F64;
    // numpy computes the threshold in the dtype: log and sqrt of finfo.max, each rounded
    double threshold = f64 ? Math.sqrt(Math.log(Double.MAX_VALUE))
        : (float) Math.sqrt((float) Math.log(Float.MAX_VALUE));
    Array large = x.gt(threshold);
    Array safeX = Array.where(large, Array.onesLike(x), x);
    Array direct = safeX.square().exp().mul(safeX.erfc());
    int terms = f64 ? 9 : 5;
    Array t = x.square().rdiv(1);
    Array p = Array.zerosLike(x);
    for (int i = ERFCX_SERIES.length - terms; i < ERFCX_SERIES.length; i++) {
      p = p.mul(t).add(Array.scalar(dt, ERFCX_SERIES[i]));
    }
    Array asymptotic = p.div(x.mul(Array.scalar(dt, Math.sqrt(Math.PI))));
    return Array.where(large, asymptotic, direct);
  }

  private static final java.util.function.Function<Array, Array> ERFCX = Transforms.customJvp(
      Special::erfcxValue,
      (Array x, Array dx) -> {
        Array value = erfcxValue(x);
        Array slope = x.mul(2.0).mul(value).sub(Array.scalar(x.dtype(), 2 / Math.sqrt(Math.PI)));
        return Pair.of(value, dx.mul(slope));
      });

  // ---- exponential integrals, hypergeometric 1F1, Bessel J_n, spherical harmonics (session 16, jnp10)

  /**
   * {@code expi(x)}: the exponential integral {@code Ei(x)}, the principal value of the integral of
   * {@code e^t / t} up to x: Cephes' seven rational approximations for x > 0, {@code -exp1(-x)}
   * below 0, NaN at 0 and at +-inf (as JAX 0.10.2). Real only. JAX's derivative {@code exp(x) / x}.
   */
  public static Array expi(Array x) {
    return ExponentialIntegrals.expi(realFloat("expi", x));
  }

  /** {@code exp1(x) = expn(1, x)}: {@code E_1(x)}, the integral of {@code e^-t / t} from x to inf; inf at 0, NaN below. */
  public static Array exp1(Array x) {
    Array f = realFloat("exp1", x);
    return ExponentialIntegrals.expn(Array.onesLike(f), f);
  }

  /**
   * {@code expn(n, x)}: the generalized exponential integral {@code E_n(x)}, Cephes' {@code expn}
   * as JAX ports it (series for x <= 1, continued fraction above, an expansion from n = 5000), n
   * and x promoted and broadcast. n is meant to be a natural number, as in scipy; JAX's results
   * elsewhere are kept (NaN where n < 0 and x <= 1; a non-integer n gives NaN or the continued
   * fraction's value). JAX's derivative in x, {@code -expn(n - 1, x)}; in n none (its gradient is 0, as JAX).
   */
  public static Array expn(Array n, Array x) {
    Array[] p = NumpyMath.promoteInexact("expn", n, x);
    return ExponentialIntegrals.expn(realFloat("expn", p[0]), realFloat("expn", p[1]));
  }

  /** {@code expn(n, x)} with an int order. */
  public static Array expn(int n, Array x) {
    return expn(Array.scalar(DType.I32, n), x);
  }

  /**
   * {@code hyp1f1(a, b, x)}: Kummer's confluent hypergeometric function {@code 1F1(a; b; x) =
   * sum_k (a)_k / (b)_k x^k / k!}, as JAX 0.10.2: the Taylor series below {@code |x| = 100}, the
   * asymptotic series from there (each at most 250 terms), 1 where a = 0 (also at a = b = 0, unlike
   * scipy), {@code e^x} where a = b, inf where b = 0 != a. JAX documents it for positive real
   * arguments; large values lose accuracy in F32 as in JAX. Real only. JAX's derivatives in a, b and x.
   */
  public static Array hyp1f1(Array a, Array b, Array x) {
    Array[] p = NumpyMath.promoteInexact("hyp1f1", a, b, x);
    return Hypergeometric1F1.hyp1f1(realFloat("hyp1f1", p[0]), realFloat("hyp1f1", p[1]), realFloat("hyp1f1", p[2]));
  }

  /** {@code bessel_jn(z, v=v)} with JAX's default {@code n_iter = 50}: {@link #besselJn(Array, int, int)}. */
  public static Array besselJn(Array z, int v) {
    return besselJn(z, v, 50);
  }

  /**
   * {@code bessel_jn(z, v=v, n_iter=nIter)}: {@code J_0(z) .. J_v(z)}, the Bessel functions of the
   * first kind of integer order, stacked along a new first axis (shape {@code (v + 1, *z.shape)}),
   * by JAX 0.10.2's backward recurrence from order {@code nIter}. As in JAX, F32 overflows inside
   * the recurrence for small |z| (NaN at z = 0.5, 1, 2 with 50 iterations; fewer iterations or F64
   * avoid it) and {@code nIter} must exceed v and |z| by a margin for accuracy (JAX's rule of thumb:
   * the smallest n with {@code 0.5 log10(6.28 + n) - n log10(1.36 + |z|/n) > 20}). Real z only;
   * gradients by composition.
   */
  public static Array besselJn(Array z, int v, int nIter) {
    if (v < 0) {
      throw new IllegalArgumentException("bessel_jn: the order v must be >= 0, got " + v
          + " (J_0 .. J_v are returned; J_-n = (-1)^n J_n)");
    }
    if (nIter < 0) {
      throw new IllegalArgumentException("bessel_jn: n_iter must be >= 0, got " + nIter + "; JAX's default is 50");
    }
    return BesselJn.besselJn(realFloat("bessel_jn", z), v, nIter);
  }

  /**
   * {@code sph_harm_y(n, m, theta, phi)} with {@code n_max = max(n)}: n's values must be known, so
   * under jit or vmap pass {@code nMax} ({@link #sphHarmY(Array, Array, Array, Array, int)}), as JAX asks.
   */
  public static Array sphHarmY(Array n, Array m, Array theta, Array phi) {
    if (!n.isConcrete()) {
      throw new ConcretizationError("sph_harm_y: n_max = max(n) needs n's values, but n is traced (inside jit, vmap "
          + "or grad); pass nMax, the largest degree: Special.sphHarmY(n, m, theta, phi, nMax)");
    }
    return sphHarmY(n, m, theta, phi, n.size() == 0 ? 0 : (int) n.max().item());
  }

  /**
   * {@code sph_harm_y(n, m, theta, phi, n_max=nMax)}: the orthonormal spherical harmonics
   * {@code Y_n^m(theta, phi)} (theta the polar angle in [0, pi], phi the azimuth), complex64, as
   * JAX 0.10.2 computes them: normalized associated Legendre functions by recurrence up to degree
   * {@code nMax}, then {@code P_n^|m|(cos theta) e^(i |m| phi)}, times {@code (-1)^m} and
   * conjugated for m < 0. n and m are integer vectors of one length ({@code |m| <= n}; JAX leaves
   * other values undefined, and clips n and |m| to {@code nMax}), theta a vector of that length or
   * one angle, phi broadcasts. F32 angles only: F64 would give complex128, which StateLens lacks.
   */
  public static Array sphHarmY(Array n, Array m, Array theta, Array phi, int nMax) {
    if (nMax < 0) {
      throw new IllegalArgumentException("sph_harm_y: nMax must be >= 0 (the largest degree n), got " + nMax);
    }
    if (!n.dtype().isInteger() || !m.dtype().isInteger()) {
      throw new IllegalArgumentException("sph_harm_y: the degree n and order m must be integer arrays, got "
          + n.dtype() + " and " + m.dtype() + "; pass them as I32");
    }
    if (n.ndim() != 1) {
      throw new ShapeError("sph_harm_y: n must be a vector (one degree per point), got shape "
          + java.util.Arrays.toString(n.shape()) + "; reshape(-1) it");
    }
    Array th = theta.ndim() == 0 ? theta.reshape(1) : theta;
    if (th.ndim() != 1) {
      throw new ShapeError("sph_harm_y: theta must be a vector or one angle, got shape "
          + java.util.Arrays.toString(theta.shape()));
    }
    Array[] angles = NumpyMath.promoteDtypesInexact(th, phi);
    if (angles[0].dtype() != DType.F32) {
      throw new IllegalArgumentException("sph_harm_y: theta and phi must be F32 (complex64 result), got "
          + angles[0].dtype() + "; JAX gives complex128 for F64, which StateLens does not have: astype(DType.F32)");
    }
    return SphericalHarmonics.sphHarmY(n, m, angles[0], angles[1], nMax);
  }

  // ---- relative entropy and Box-Cox (session 15, jnp9) ---------------------------------------

  /**
   * {@code rel_entr(p, q)}: {@code p log(p / q)} where both are positive (as
   * {@code xlogx(p) - xlogy(p, q)} with JAX's derivatives), 0 where p = 0 and q >= 0, +inf elsewhere.
   */
  public static Array relEntr(Array p, Array q) {
    Array[] a = NumpyMath.promoteInexact("rel_entr", p, q);
    Array pp = a[0];
    Array qq = a[1];
    Array bothPositive = pp.gt(0).logicalAnd(qq.gt(0));
    Array pZero = pp.eq(0).logicalAnd(qq.ge(0));
    Array safeP = Array.where(bothPositive, pp, 1.0);
    Array safeQ = Array.where(bothPositive, qq, 1.0);
    Array logValue = XLOGX.apply(safeP).sub(xlogy(safeP, safeQ));
    return Array.where(bothPositive, logValue, Array.where(pZero, Array.scalar(pp.dtype(), 0), Double.POSITIVE_INFINITY));
  }

  /** {@code kl_div(p, q) = rel_entr(p, q) - p + q} (scipy's elementwise KL term, >= 0). */
  public static Array klDiv(Array p, Array q) {
    Array[] a = NumpyMath.promoteInexact("kl_div", p, q);
    return relEntr(a[0], a[1]).sub(a[0]).add(a[1]);
  }

  /** {@code boxcox(x, lmbda)}: {@code expm1(lmbda log x) / lmbda}, {@code log x} where lmbda = 0. */
  public static Array boxcox(Array x, Array lmbda) {
    Array[] a = NumpyMath.promoteInexact("boxcox", x, lmbda);
    return boxcoxOf(a[0].log(), a[1]);
  }

  /** {@code boxcox1p(x, lmbda)}: {@code expm1(lmbda log1p x) / lmbda}, {@code log1p x} where lmbda = 0. */
  public static Array boxcox1p(Array x, Array lmbda) {
    Array[] a = NumpyMath.promoteInexact("boxcox1p", x, lmbda);
    return boxcoxOf(a[0].log1p(), a[1]);
  }

  private static Array boxcoxOf(Array logX, Array lmbda) {
    Array zero = lmbda.eq(0);
    Array safe = Array.where(zero, Array.onesLike(lmbda), lmbda);
    return Array.where(zero, logX, safe.mul(logX).expm1().div(safe));
  }

  /** {@code jax.scipy.special.softmax}: {@link Nn#softmax(Array, int)} (the same function in JAX). */
  public static Array softmax(Array x, int axis) {
    return Nn.softmax(x, axis);
  }

  /** {@code jax.scipy.special.log_softmax}: {@link Nn#logSoftmax(Array, int)}. */
  public static Array logSoftmax(Array x, int axis) {
    return Nn.logSoftmax(x, axis);
  }

  // ---- modified Bessel functions of the first kind ---------------------------------------------

  /**
   * {@code i0e(x) = exp(-|x|) I0(x)} ({@code lax.bessel_i0e}: Cephes' Chebyshev series as JAX 0.10.2,
   * {@link BesselFunctions}); JAX's derivative {@code i1e(x) - sign(x) i0e(x)}.
   */
  public static Array i0e(Array x) {
    return BesselFunctions.i0e(NumpyMath.floaty(x));
  }

  /**
   * {@code i1e(x) = exp(-|x|) I1(x)} ({@code lax.bessel_i1e}, XLA's Cephes series); JAX's derivative
   * {@code i0e(x) - i1e(x) (sign(x) + 1/x)}, 1/2 at {@code |x| <= eps}.
   */
  public static Array i1e(Array x) {
    return BesselFunctions.i1e(NumpyMath.floaty(x));
  }

  /** {@code i0(x) = exp(|x|) i0e(x)}, composed as JAX (+inf once exp(|x|) overflows, |x| > 88.7 in F32). */
  public static Array i0(Array x) {
    Array f = NumpyMath.floaty(x);
    return f.abs().exp().mul(BesselFunctions.i0e(f));
  }

  /** {@code i1(x) = exp(|x|) i1e(x)}, composed as JAX. */
  public static Array i1(Array x) {
    Array f = NumpyMath.floaty(x);
    return f.abs().exp().mul(BesselFunctions.i1e(f));
  }

  // ---- error function and the normal distribution ---------------------------------------------

  /** {@code erf(x)}. */
  public static Array erf(Array x) {
    return NumpyMath.floaty(x).erf();
  }

  /** {@code erfc(x) = 1 - erf(x)}, accurate in the tail (XLA's split, docs/special.md). */
  public static Array erfc(Array x) {
    return NumpyMath.floaty(x).erfc();
  }

  /** {@code erfinv(x)}: the inverse error function ({@code lax.erf_inv}). */
  public static Array erfinv(Array x) {
    return RandomPrimitives.erfInv(NumpyMath.floaty(x));
  }

  /**
   * {@code ndtr(x)}: the standard normal CDF, {@code (1 + erf(x/sqrt 2)) / 2} near 0 and
   * {@code erfc(|x|/sqrt 2) / 2} (or 1 minus it) in the tails. F32 or F64 only, as JAX.
   */
  public static Array ndtr(Array x) {
    requireF32OrF64("ndtr", x);
    DType dt = x.dtype();
    double halfSqrt2 = round(dt, round(dt, 0.5) * round(dt, Math.sqrt(2)));
    Array w = x.mul(Array.scalar(dt, halfSqrt2));
    Array z = w.abs();
    Array y = Array.where(z.lt(Array.scalar(dt, halfSqrt2)), w.erf().add(1),
        Array.where(w.gt(0), z.erfc().rsub(2), z.erfc()));
    return y.mul(0.5);
  }

  private static final double[] NDTRI_P0 = {-5.99633501014107895267E1, 9.80010754185999661536E1,
    -5.66762857469070293439E1, 1.39312609387279679503E1, -1.23916583867381258016E0};
  private static final double[] NDTRI_Q0 = {1.0, 1.95448858338141759834E0, 4.67627912898881538453E0,
    8.63602421390890590575E1, -2.25462687854119370527E2, 2.00260212380060660359E2, -8.20372256168333339912E1,
    1.59056225126211695515E1, -1.18331621121330003142E0};
  private static final double[] NDTRI_P1 = {4.05544892305962419923E0, 3.15251094599893866154E1,
    5.71628192246421288162E1, 4.40805073893200834700E1, 1.46849561928858024014E1, 2.18663306850790267539E0,
    -1.40256079171354495875E-1, -3.50424626827848203418E-2, -8.57456785154685413611E-4};
  private static final double[] NDTRI_Q1 = {1.0, 1.57799883256466749731E1, 4.53907635128879210584E1,
    4.13172038254672030440E1, 1.50425385692907503408E1, 2.50464946208309415979E0, -1.42182922854787788574E-1,
    -3.80806407691578277194E-2, -9.33259480895457427372E-4};
  private static final double[] NDTRI_P2 = {3.23774891776946035970E0, 6.91522889068984211695E0,
    3.93881025292474443415E0, 1.33303460815807542389E0, 2.01485389549179081538E-1, 1.23716634817820021358E-2,
    3.01581553508235416007E-4, 2.65806974686737550832E-6, 6.23974539184983293730E-9};
  private static final double[] NDTRI_Q2 = {1.0, 6.02427039364742014255E0, 3.67983563856160859403E0,
    1.37702099489081330271E0, 2.16236993594496635890E-1, 1.34204006088543189037E-2, 3.28014464682127739104E-4,
    2.89247864745380683936E-6, 6.79019408009981274425E-9};

  /**
   * {@code ndtri(p)}: the standard normal quantile, Cephes' rational approximations in three
   * ranges as JAX's {@code _ndtri}; -inf at 0, inf at 1, NaN outside [0, 1]. F32 or F64 only.
   */
  public static Array ndtri(Array p) {
    requireF32OrF64("ndtri", p);
    DType dt = p.dtype();
    Array maybeComplement = Array.where(p.gt(Array.scalar(dt, -Math.expm1(-2.))), p.rsub(1), p);
    Array sanitized = Array.where(maybeComplement.eq(0), Array.scalar(dt, 0.5).broadcastTo(p.shape()), maybeComplement);
    Array w = sanitized.sub(0.5);
    Array ww = w.square();
    Array xBig = w.add(w.mul(ww).mul(polyval(NDTRI_P0, ww).div(polyval(NDTRI_Q0, ww))));
    xBig = xBig.mul(Array.scalar(dt, -round(dt, Math.sqrt(2 * Math.PI))));
    Array z = Array.scalar(dt, -2).mul(sanitized.log()).sqrt();
    Array first = z.sub(z.log().div(z));
    Array invZ = z.rdiv(1);
    Array secondSmall = polyval(NDTRI_P2, invZ).div(polyval(NDTRI_Q2, invZ)).div(z);
    Array secondOther = polyval(NDTRI_P1, invZ).div(polyval(NDTRI_Q1, invZ)).div(z);
    Array x = Array.where(sanitized.gt(Array.scalar(dt, Math.exp(-2.))), xBig,
        Array.where(z.ge(8), first.sub(secondSmall), first.sub(secondOther)));
    x = Array.where(p.gt(Array.scalar(dt, 1. - Math.exp(-2.))), x, x.neg());
    Array inf = Array.scalar(dt, Double.POSITIVE_INFINITY).broadcastTo(p.shape());
    return Array.where(p.eq(0), inf.neg(), Array.where(p.eq(1), inf, x));
  }

  /** {@code jnp.polyval(c, x)}: Horner from 0, {@code y = y x + c_i}, the coefficients in x's dtype. */
  static Array polyval(double[] c, Array x) {
    Array y = Array.zeros(x.dtype(), x.shape());
    for (double ci : c) {
      y = y.mul(x).add(Array.scalar(x.dtype(), ci));
    }
    return y;
  }

  /** {@code log_ndtr(x)} with JAX's default {@code series_order = 3}. */
  public static Array logNdtr(Array x) {
    return logNdtr(x, 3);
  }

  /**
   * {@code log_ndtr(x, series_order)}: {@code log(ndtr(x))} accurate in both tails: {@code -ndtr(-x)}
   * above 8 (f32: 5), an asymptotic series below -20 (f32: -10). JAX's derivative
   * {@code exp(log phi(x) - log_ndtr(x))}. F32 or F64 only.
   */
  public static Array logNdtr(Array x, int seriesOrder) {
    if (seriesOrder < 0 || seriesOrder > 30) {
      throw new IllegalArgumentException("log_ndtr: series_order must be in [0, 30], got " + seriesOrder);
    }
    requireF32OrF64("log_ndtr", x);
    return Transforms.customVjp(
        (Array v) -> logNdtrValue(v, seriesOrder),
        (Array v) -> {
          Array ans = logNdtrValue(v, seriesOrder);
          return Pair.of(ans, Pair.of(v, ans));
        },
        (Pair<Array, Array> r, Array g) -> {
          Array v = r.first();
          Array normLogpdf = v.square().mul(-0.5).sub(Array.scalar(v.dtype(), Math.log(Math.sqrt(2 * Math.PI))));
          return g.mul(normLogpdf.sub(r.second()).exp());
        }).apply(x);
  }

  private static Array logNdtrValue(Array x, int seriesOrder) {
    DType dt = x.dtype();
    Array lower = Array.scalar(dt, dt == DType.F64 ? -20 : -10);
    Array upper = Array.scalar(dt, dt == DType.F64 ? 8 : 5);
    Array gtUpper = x.gt(upper);
    Array ndtrArg = Array.where(gtUpper, x.neg(), x.maximum(lower));
    Array ndtrRes = ndtr(ndtrArg);
    return Array.where(gtUpper, ndtrRes.neg(),
        Array.where(x.gt(lower), ndtrRes.log(), logNdtrLower(x.minimum(lower), seriesOrder)));
  }

  private static Array logNdtrLower(Array x, int seriesOrder) {
    DType dt = x.dtype();
    Array x2 = x.square();
    Array logScale = x2.mul(Array.scalar(dt, -0.5)).sub(x.neg().log())
        .sub(Array.scalar(dt, 0.5 * Math.log(2. * Math.PI)));
    return logScale.add(asymptoticSeries(x, seriesOrder).log());
  }

  private static Array asymptoticSeries(Array x, int seriesOrder) {
    DType dt = x.dtype();
    if (seriesOrder <= 0) {
      return Array.scalar(dt, 1).broadcastTo(x.shape());
    }
    Array x2 = x.square();
    Array even = Array.zeros(dt, x.shape());
    Array odd = Array.zeros(dt, x.shape());
    Array x2n = x2;
    for (int n = 1; n <= seriesOrder; n++) {
      Array y = Array.scalar(dt, doubleFactorial(2 * n - 1)).div(x2n);
      if (n % 2 == 1) {
        odd = odd.add(y);
      } else {
        even = even.add(y);
      }
      x2n = x2n.mul(x2);
    }
    return even.add(1).sub(odd); // 1 + even - odd, in that order
  }

  private static double doubleFactorial(int n) {
    double r = 1;
    for (int k = n; k > 1; k -= 2) {
      r *= k;
    }
    return r;
  }

  // ---- logsumexp with weights and sign (session 14, docs/stats.md) ---------------------------

  /** {@code logsumexp(a)}: {@code log(sum(exp(a)))} over every element, a rank-0 result. */
  public static Array logsumexp(Array a) {
    return LogSumExp.value(a, null, null, false);
  }

  /**
   * {@code logsumexp(a, axis=axes, b=b, keepdims=keepDims)}: {@code log(sum(b * exp(a)))} over
   * {@code axes} (null: every axis; an empty array: none). {@code b} (null: no weights) broadcasts
   * against {@code a}; an element with {@code b == 0} counts as {@code a = -inf}. A negative
   * weighted sum gives NaN, as JAX; {@link #logsumexpWithSign} gives its log-magnitude and sign.
   */
  public static Array logsumexp(Array a, int[] axes, Array b, boolean keepDims) {
    return LogSumExp.value(a, axes, b, keepDims);
  }

  /**
   * {@code logsumexp(a, axis, b, keepdims, return_sign=True)}: {@code (log|sum(b * exp(a))|, sign)}
   * with the sign of the weighted sum (-1, 0 or 1, in a's float dtype).
   */
  public static Pair<Array, Array> logsumexpWithSign(Array a, int[] axes, Array b, boolean keepDims) {
    LogSumExp.Signed s = LogSumExp.compute(a, axes, b, keepDims);
    return Pair.of(s.value(), s.sign());
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static Array binary(String op, Primitive p, Array a, Array x) {
    Array[] ax = NumpyMath.promoteInexact(op, a, x);
    return p.bind1(Params.EMPTY, ax[0], ax[1]);
  }

  /** {@code promote_args_inexact} for a function JAX defines on reals only: complex is refused, naming it. */
  private static Array realFloat(String op, Array x) {
    if (x.dtype().isComplex()) {
      throw new IllegalArgumentException(op + " does not support complex-valued inputs (as JAX), got " + x.dtype()
          + "; pass the real part (Array.real) or a real array");
    }
    return NumpyMath.floaty(x);
  }

  private static void requireF32OrF64(String op, Array x) {
    if (x.dtype() != DType.F32 && x.dtype() != DType.F64) {
      throw new IllegalArgumentException(op + ": x.dtype=" + x.dtype() + " is not supported (F32 or F64, as JAX); "
          + "convert with astype(DType.F32)");
    }
  }

  private static double round(DType dt, double v) {
    return dt == DType.F64 ? v : (float) v;
  }
}
