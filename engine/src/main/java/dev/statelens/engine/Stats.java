package dev.statelens.engine;

import java.util.List;

/**
 * {@code jax.scipy.stats}: one nested class per distribution family, e.g.
 * {@code Stats.Norm.logpdf(x, loc, scale)}, {@code Stats.Poisson.logpmf(k, mu)},
 * {@code Stats.MultivariateNormal.logpdf(x, mean, cov)}. Each function is composed of
 * {@link Special} and jnp operations in the order JAX 0.10.2 composes it
 * ({@code jax/_src/scipy/stats/*.py}), so values, edge values (x outside the support, a
 * non-positive scale) and gradients are JAX's; docs/stats.md lists them.
 *
 * <p>Arguments promote as jnp's {@code promote_args_inexact} (integers and bool become F32) and
 * broadcast together. The overloads without {@code loc}/{@code scale} use JAX's defaults 0 and 1
 * in the argument's own float dtype (JAX's weakly typed Python scalars). None of these draws
 * randomness or needs a static argument, so they are safe inside {@code jit}/{@code grad}/{@code vmap}.
 */
public final class Stats {
  private Stats() {}

  // ---- continuous, location-scale ---------------------------------------------------------

  /** {@code jax.scipy.stats.norm}: the normal distribution. */
  public static final class Norm {
    private Norm() {}

    public static Array logpdf(Array x) { return logpdf(x, zero(x), one(x)); }

    /** {@code -(log(2 pi scale^2) + ((x - loc) / scale)^2) / 2}; scale 0 gives NaN, a negative scale |scale|'s value (JAX). */
    public static Array logpdf(Array x, Array loc, Array scale) {
      Array[] p = promote("norm.logpdf", x, loc, scale);
      Array scaleSquared = p[2].square();
      Array logNormalizer = scaleSquared.mul(2 * Math.PI).log();
      Array quadratic = p[0].sub(p[1]).square().div(scaleSquared);
      return logNormalizer.add(quadratic).div(-2.0);
    }

    public static Array pdf(Array x) { return logpdf(x).exp(); }
    public static Array pdf(Array x, Array loc, Array scale) { return logpdf(x, loc, scale).exp(); }

    public static Array cdf(Array x) { return cdf(x, zero(x), one(x)); }

    /** {@code ndtr((x - loc) / scale)}. */
    public static Array cdf(Array x, Array loc, Array scale) {
      Array[] p = promote("norm.cdf", x, loc, scale);
      return Special.ndtr(standardize(p));
    }

    public static Array logcdf(Array x) { return logcdf(x, zero(x), one(x)); }

    /** {@code log_ndtr((x - loc) / scale)}: accurate far in the lower tail. */
    public static Array logcdf(Array x, Array loc, Array scale) {
      Array[] p = promote("norm.logcdf", x, loc, scale);
      return Special.logNdtr(standardize(p));
    }

    public static Array sf(Array x) { return sf(x, zero(x), one(x)); }

    /** {@code 1 - cdf}, as {@code cdf(-x, -loc, scale)}. */
    public static Array sf(Array x, Array loc, Array scale) {
      Array[] p = promote("norm.sf", x, loc, scale);
      return cdf(p[0].neg(), p[1].neg(), p[2]);
    }

    public static Array logsf(Array x) { return logsf(x, zero(x), one(x)); }

    public static Array logsf(Array x, Array loc, Array scale) {
      Array[] p = promote("norm.logsf", x, loc, scale);
      return logcdf(p[0].neg(), p[1].neg(), p[2]);
    }

    public static Array ppf(Array q) { return ppf(q, zero(q), one(q)); }

    /** The quantile function {@code ndtri(q) * scale + loc}: -inf at 0, inf at 1, NaN outside [0, 1]. */
    public static Array ppf(Array q, Array loc, Array scale) {
      Array[] p = promote("norm.ppf", q, loc, scale);
      return Special.ndtri(p[0]).mul(p[2]).add(p[1]);
    }

    public static Array isf(Array q) { return isf(q, zero(q), one(q)); }

    /** {@code ppf(1 - q, loc, scale)}. */
    public static Array isf(Array q, Array loc, Array scale) {
      Array[] p = promote("norm.isf", q, loc, scale);
      return ppf(p[0].rsub(1), p[1], p[2]);
    }
  }

  /** {@code jax.scipy.stats.truncnorm}: the normal truncated to {@code [a, b]} (in standard units). */
  public static final class Truncnorm {
    private Truncnorm() {}

    public static Array logpdf(Array x, Array a, Array b) { return logpdf(x, a, b, zero(x), one(x)); }

    /** -inf outside {@code [a, b]}, NaN where {@code a >= b}. */
    public static Array logpdf(Array x, Array a, Array b, Array loc, Array scale) {
      Array[] p = promote("truncnorm.logpdf", x, a, b, loc, scale);
      Array val = Norm.logpdf(p[0], p[3], p[4]).sub(logGaussMass(p[1], p[2]));
      Array scaled = p[0].sub(p[3]).div(p[4]);
      val = Array.where(scaled.lt(p[1]).logicalOr(scaled.gt(p[2])), Double.NEGATIVE_INFINITY, val);
      return Array.where(p[1].ge(p[2]), Double.NaN, val);
    }

    public static Array pdf(Array x, Array a, Array b) { return logpdf(x, a, b).exp(); }
    public static Array pdf(Array x, Array a, Array b, Array loc, Array scale) { return logpdf(x, a, b, loc, scale).exp(); }

    public static Array logcdf(Array x, Array a, Array b) { return logcdf(x, a, b, zero(x), one(x)); }

    /** 0 at and above b, -inf at and below a, from the survival mass near 1 (JAX's switch at -0.1). */
    public static Array logcdf(Array x, Array a, Array b, Array loc, Array scale) {
      Array[] p = promote("truncnorm.logcdf", x, a, b, loc, scale);
      Array lo = p[1];
      Array hi = p[2];
      Array z = p[0].sub(p[3]).div(p[4]);
      Array massAb = logGaussMass(lo, hi);
      Array logcdf = logGaussMass(lo, z).sub(massAb);
      Array logsf = logGaussMass(z, hi).sub(massAb);
      DType dt = z.dtype();
      Array out = Array.select(
          List.of(z.ge(hi), z.le(lo), logcdf.gt(-0.1), z.gt(lo)),
          List.of(Array.scalar(dt, 0), Array.scalar(dt, Double.NEGATIVE_INFINITY), logsf.exp().neg().log1p(), logcdf),
          0.0);
      return Array.where(lo.ge(hi), Double.NaN, out);
    }

    public static Array cdf(Array x, Array a, Array b) { return logcdf(x, a, b).exp(); }
    public static Array cdf(Array x, Array a, Array b, Array loc, Array scale) { return logcdf(x, a, b, loc, scale).exp(); }

    public static Array logsf(Array x, Array a, Array b) { return logsf(x, a, b, zero(x), one(x)); }

    /** {@code logcdf(-x, -b, -a, -loc, scale)}. */
    public static Array logsf(Array x, Array a, Array b, Array loc, Array scale) {
      Array[] p = promote("truncnorm.logsf", x, a, b, loc, scale);
      return logcdf(p[0].neg(), p[2].neg(), p[1].neg(), p[3].neg(), p[4]);
    }

    public static Array sf(Array x, Array a, Array b) { return logsf(x, a, b).exp(); }
    public static Array sf(Array x, Array a, Array b, Array loc, Array scale) { return logsf(x, a, b, loc, scale).exp(); }

    /** {@code log(ndtr(b) - ndtr(a))}, from whichever tail keeps it accurate (JAX's _log_gauss_mass). */
    static Array logGaussMass(Array a, Array b) {
      Array left = b.le(0);
      Array right = a.gt(0);
      Array central = left.logicalOr(right).logicalNot();
      Array aTail = Array.where(right, b.neg(), a);
      Array bTail = Array.where(right, a.neg(), b);
      Array massTail = logDiff(Special.logNdtr(bTail), Special.logNdtr(aTail));
      Array massCentral = Special.ndtr(a).neg().sub(Special.ndtr(b.neg())).log1p();
      return Array.where(central, massCentral, massTail);
    }

    /** {@code log(exp(x) - exp(y))} as JAX's: logsumexp over the pair with weights (1, -1). */
    private static Array logDiff(Array x, Array y) {
      Array weights = Array.stack(0, Array.onesLike(x), Array.onesLike(y).neg());
      return Special.logsumexp(Array.stack(0, x, y), new int[] {0}, weights, false);
    }
  }

  /** {@code jax.scipy.stats.logistic}. */
  public static final class Logistic {
    private Logistic() {}

    public static Array logpdf(Array x) { return logpdf(x, zero(x), one(x)); }

    /** {@code -2 logaddexp(z/2, -z/2) - log(scale)}, z the standardized x. */
    public static Array logpdf(Array x, Array loc, Array scale) {
      Array[] p = promote("logistic.logpdf", x, loc, scale);
      Array half = standardize(p).div(2.0);
      return half.logaddexp(half.neg()).mul(-2.0).sub(p[2].log());
    }

    public static Array pdf(Array x) { return logpdf(x).exp(); }
    public static Array pdf(Array x, Array loc, Array scale) { return logpdf(x, loc, scale).exp(); }

    public static Array cdf(Array x) { return cdf(x, zero(x), one(x)); }

    public static Array cdf(Array x, Array loc, Array scale) {
      return Special.expit(standardize(promote("logistic.cdf", x, loc, scale)));
    }

    public static Array sf(Array x) { return sf(x, zero(x), one(x)); }

    public static Array sf(Array x, Array loc, Array scale) {
      return Special.expit(standardize(promote("logistic.sf", x, loc, scale)).neg());
    }

    public static Array ppf(Array q) { return ppf(q, zero(q), one(q)); }

    public static Array ppf(Array q, Array loc, Array scale) {
      Array[] p = promote("logistic.ppf", q, loc, scale);
      return Special.logit(p[0]).mul(p[2]).add(p[1]);
    }

    public static Array isf(Array q) { return isf(q, zero(q), one(q)); }

    public static Array isf(Array q, Array loc, Array scale) {
      Array[] p = promote("logistic.isf", q, loc, scale);
      return Special.logit(p[0]).neg().mul(p[2]).add(p[1]);
    }
  }

  /** {@code jax.scipy.stats.laplace}. */
  public static final class Laplace {
    private Laplace() {}

    public static Array logpdf(Array x) { return logpdf(x, zero(x), one(x)); }

    /** {@code -(|x - loc| / scale + log(2 scale))}. */
    public static Array logpdf(Array x, Array loc, Array scale) {
      Array[] p = promote("laplace.logpdf", x, loc, scale);
      Array linear = p[0].sub(p[1]).abs().div(p[2]);
      return linear.add(p[2].mul(2.0).log()).neg();
    }

    public static Array pdf(Array x) { return logpdf(x).exp(); }
    public static Array pdf(Array x, Array loc, Array scale) { return logpdf(x, loc, scale).exp(); }

    public static Array cdf(Array x) { return cdf(x, zero(x), one(x)); }

    public static Array cdf(Array x, Array loc, Array scale) {
      Array diff = standardize(promote("laplace.cdf", x, loc, scale));
      return Array.where(diff.le(0), diff.exp().mul(0.5), diff.neg().exp().mul(0.5).rsub(1));
    }
  }

  /** {@code jax.scipy.stats.vonmises}: the von Mises distribution on the circle (no loc/scale, as JAX). */
  public static final class VonMises {
    private VonMises() {}

    /**
     * {@code kappa (cos(x) - 1) - log(2 pi i0e(kappa))} where {@code kappa > 0}, else NaN (as JAX:
     * kappa 0 too); x is not reduced to {@code [-pi, pi]}, the density is periodic.
     */
    public static Array logpdf(Array x, Array kappa) {
      Array[] p = promote("vonmises.logpdf", x, kappa);
      Array k = p[1];
      Array norm = Special.i0e(k).mul(2 * Math.PI).log();
      Array value = k.mul(p[0].cos().sub(1)).sub(norm);
      return Array.where(k.gt(0), value, Double.NaN);
    }

    public static Array pdf(Array x, Array kappa) { return logpdf(x, kappa).exp(); }
  }

  /** {@code jax.scipy.stats.cauchy}. */
  public static final class Cauchy {
    private Cauchy() {}

    public static Array logpdf(Array x) { return logpdf(x, zero(x), one(x)); }

    /** {@code -(log(pi scale) + log1p(z^2))}. */
    public static Array logpdf(Array x, Array loc, Array scale) {
      Array[] p = promote("cauchy.logpdf", x, loc, scale);
      Array z = standardize(p);
      return p[2].mul(Math.PI).log().add(z.mul(z).log1p()).neg();
    }

    public static Array pdf(Array x) { return logpdf(x).exp(); }
    public static Array pdf(Array x, Array loc, Array scale) { return logpdf(x, loc, scale).exp(); }

    public static Array cdf(Array x) { return cdf(x, zero(x), one(x)); }

    /** {@code 1/2 + atan(z) / pi} (1/pi computed in the dtype, as JAX's {@code lax.div(1, pi)}). */
    public static Array cdf(Array x, Array loc, Array scale) {
      Array z = standardize(promote("cauchy.cdf", x, loc, scale));
      DType dt = z.dtype();
      Array invPi = Array.scalar(dt, 1).div(Array.scalar(dt, Math.PI));
      return invPi.mul(z.atan()).add(0.5);
    }

    public static Array logcdf(Array x) { return cdf(x).log(); }
    public static Array logcdf(Array x, Array loc, Array scale) { return cdf(x, loc, scale).log(); }

    public static Array sf(Array x) { return sf(x, zero(x), one(x)); }

    public static Array sf(Array x, Array loc, Array scale) {
      Array[] p = promote("cauchy.sf", x, loc, scale);
      return cdf(p[0].neg(), p[1].neg(), p[2]);
    }

    public static Array logsf(Array x) { return sf(x).log(); }
    public static Array logsf(Array x, Array loc, Array scale) { return sf(x, loc, scale).log(); }

    public static Array ppf(Array q) { return ppf(q, zero(q), one(q)); }

    /** {@code tan(pi q - pi/2) scale + loc}. */
    public static Array ppf(Array q, Array loc, Array scale) {
      Array[] p = promote("cauchy.ppf", q, loc, scale);
      return p[0].mul(Math.PI).sub(Math.PI / 2).tan().mul(p[2]).add(p[1]);
    }

    public static Array isf(Array q) { return isf(q, zero(q), one(q)); }

    public static Array isf(Array q, Array loc, Array scale) {
      Array[] p = promote("cauchy.isf", q, loc, scale);
      return p[0].mul(Math.PI).rsub(Math.PI / 2).tan().mul(p[2]).add(p[1]);
    }
  }

  /** {@code jax.scipy.stats.t}: Student's t with {@code df} degrees of freedom. */
  public static final class T {
    private T() {}

    public static Array logpdf(Array x, Array df) { return logpdf(x, df, zero(x), one(x)); }

    public static Array logpdf(Array x, Array df, Array loc, Array scale) {
      Array[] p = promote("t.logpdf", x, df, loc, scale);
      Array v = p[1];
      Array s = p[3];
      Array z = p[0].sub(p[2]).div(s);
      Array halfDf = v.div(2.0);
      Array halfDfPlusHalf = halfDf.add(0.5);
      Array normalizeConst = s.mul(s).mul(Math.PI);
      Array normalizeTmp = normalizeConst.mul(v).log().div(2.0);
      Array normalize = Special.gammaln(halfDf).add(normalizeTmp).sub(Special.gammaln(halfDfPlusHalf));
      Array quadratic = z.mul(z).div(v);
      return normalize.add(halfDfPlusHalf.mul(quadratic.log1p())).neg();
    }

    public static Array pdf(Array x, Array df) { return logpdf(x, df).exp(); }
    public static Array pdf(Array x, Array df, Array loc, Array scale) { return logpdf(x, df, loc, scale).exp(); }
  }

  /** {@code jax.scipy.stats.expon}: the exponential distribution on {@code [loc, inf)}. */
  public static final class Expon {
    private Expon() {}

    public static Array logpdf(Array x) { return logpdf(x, zero(x), one(x)); }

    /** {@code -((x - loc) / scale + log(scale))}, -inf below loc. */
    public static Array logpdf(Array x, Array loc, Array scale) {
      Array[] p = promote("expon.logpdf", x, loc, scale);
      Array logProbs = standardize(p).add(p[2].log()).neg();
      return Array.where(p[0].lt(p[1]), Double.NEGATIVE_INFINITY, logProbs);
    }

    public static Array pdf(Array x) { return logpdf(x).exp(); }
    public static Array pdf(Array x, Array loc, Array scale) { return logpdf(x, loc, scale).exp(); }

    public static Array cdf(Array x) { return cdf(x, zero(x), one(x)); }

    public static Array cdf(Array x, Array loc, Array scale) {
      Array[] p = promote("expon.cdf", x, loc, scale);
      Array negScaled = p[1].sub(p[0]).div(p[2]);
      return Array.where(p[0].lt(p[1]), Array.zerosLike(negScaled), negScaled.expm1().neg());
    }

    public static Array logsf(Array x) { return logsf(x, zero(x), one(x)); }

    public static Array logsf(Array x, Array loc, Array scale) {
      Array[] p = promote("expon.sf", x, loc, scale);
      Array negScaled = p[1].sub(p[0]).div(p[2]);
      return Array.where(p[0].lt(p[1]), Array.zerosLike(negScaled), negScaled);
    }

    public static Array sf(Array x) { return logsf(x).exp(); }
    public static Array sf(Array x, Array loc, Array scale) { return logsf(x, loc, scale).exp(); }

    public static Array logcdf(Array x) { return sf(x).neg().log1p(); }
    public static Array logcdf(Array x, Array loc, Array scale) { return sf(x, loc, scale).neg().log1p(); }

    public static Array ppf(Array q) { return ppf(q, zero(q), one(q)); }

    /** {@code loc - scale log1p(-q)}; NaN outside [0, 1]. */
    public static Array ppf(Array q, Array loc, Array scale) {
      Array[] p = promote("expon.ppf", q, loc, scale);
      return Array.where(outsideUnit(p[0]), Double.NaN, p[1].sub(p[2].mul(p[0].neg().log1p())));
    }
  }

  /** {@code jax.scipy.stats.uniform}: uniform on {@code [loc, loc + scale]}. */
  public static final class Uniform {
    private Uniform() {}

    public static Array logpdf(Array x) { return logpdf(x, zero(x), one(x)); }

    public static Array logpdf(Array x, Array loc, Array scale) {
      Array[] p = promote("uniform.logpdf", x, loc, scale);
      Array outside = p[0].gt(p[1].add(p[2])).logicalOr(p[0].lt(p[1]));
      return Array.where(outside, Double.NEGATIVE_INFINITY, p[2].log().neg());
    }

    public static Array pdf(Array x) { return logpdf(x).exp(); }
    public static Array pdf(Array x, Array loc, Array scale) { return logpdf(x, loc, scale).exp(); }

    public static Array cdf(Array x) { return cdf(x, zero(x), one(x)); }

    public static Array cdf(Array x, Array loc, Array scale) {
      Array[] p = promote("uniform.cdf", x, loc, scale);
      Array hi = p[1].add(p[2]);
      DType dt = p[0].dtype();
      return Array.select(List.of(p[0].lt(p[1]), p[0].gt(hi), p[0].ge(p[1]).logicalAnd(p[0].le(hi))),
          List.of(Array.scalar(dt, 0), Array.scalar(dt, 1), standardize(p)), 0.0);
    }

    public static Array ppf(Array q) { return ppf(q, zero(q), one(q)); }

    public static Array ppf(Array q, Array loc, Array scale) {
      Array[] p = promote("uniform.ppf", q, loc, scale);
      return Array.where(outsideUnit(p[0]), Double.NaN, p[1].add(p[2].mul(p[0])));
    }
  }

  // ---- continuous, with a shape parameter ---------------------------------------------------

  /** {@code jax.scipy.stats.gamma}: shape {@code a}. */
  public static final class Gamma {
    private Gamma() {}

    public static Array logpdf(Array x, Array a) { return logpdf(x, a, zero(x), one(x)); }

    /** {@code xlogy(a - 1, y) - y - gammaln(a) - log(scale)}, y the standardized x; -inf below loc. */
    public static Array logpdf(Array x, Array a, Array loc, Array scale) {
      Array[] p = promote("gamma.logpdf", x, a, loc, scale);
      Array ok = p[0].ge(p[2]);
      Array y = Array.where(ok, p[0].sub(p[2]).div(p[3]), 1.0);
      Array logLinear = Special.xlogy(p[1].sub(1.0), y).sub(y);
      Array shapeTerms = Special.gammaln(p[1]).add(p[3].log());
      return Array.where(ok, logLinear.sub(shapeTerms), Double.NEGATIVE_INFINITY);
    }

    public static Array pdf(Array x, Array a) { return logpdf(x, a).exp(); }
    public static Array pdf(Array x, Array a, Array loc, Array scale) { return logpdf(x, a, loc, scale).exp(); }

    public static Array cdf(Array x, Array a) { return cdf(x, a, zero(x), one(x)); }

    /** {@code gammainc(a, max(y, 0))}. */
    public static Array cdf(Array x, Array a, Array loc, Array scale) {
      Array[] p = promote("gamma.cdf", x, a, loc, scale);
      return Special.gammainc(p[1], p[0].sub(p[2]).div(p[3]).clip(0, Double.POSITIVE_INFINITY));
    }

    public static Array logcdf(Array x, Array a) { return cdf(x, a).log(); }
    public static Array logcdf(Array x, Array a, Array loc, Array scale) { return cdf(x, a, loc, scale).log(); }

    public static Array sf(Array x, Array a) { return sf(x, a, zero(x), one(x)); }

    /** {@code gammaincc(a, y)}, 1 below loc. */
    public static Array sf(Array x, Array a, Array loc, Array scale) {
      Array[] p = promote("gamma.sf", x, a, loc, scale);
      Array y = p[0].sub(p[2]).div(p[3]);
      return Array.where(y.lt(0), 1.0, Special.gammaincc(p[1], y));
    }

    public static Array logsf(Array x, Array a) { return sf(x, a).log(); }
    public static Array logsf(Array x, Array a, Array loc, Array scale) { return sf(x, a, loc, scale).log(); }
  }

  /** {@code jax.scipy.stats.beta}: shapes {@code a}, {@code b} on {@code [loc, loc + scale]}. */
  public static final class Beta {
    private Beta() {}

    public static Array logpdf(Array x, Array a, Array b) { return logpdf(x, a, b, zero(x), one(x)); }

    /** -inf outside the support; NaN where a, b or scale is not positive. */
    public static Array logpdf(Array x, Array a, Array b, Array loc, Array scale) {
      Array[] p = promote("beta.logpdf", x, a, b, loc, scale);
      Array shapeTerm = Special.betaln(p[1], p[2]).neg();
      Array y = p[0].sub(p[3]).div(p[4]);
      Array logLinear = Special.xlogy(p[1].sub(1.0), y).add(Special.xlog1py(p[2].sub(1.0), y.neg()));
      Array logProbs = shapeTerm.add(logLinear).sub(p[4].log());
      Array outside = p[0].gt(p[3].add(p[4])).logicalOr(p[0].lt(p[3]));
      Array result = Array.where(outside, Double.NEGATIVE_INFINITY, logProbs);
      Array badParameters = p[1].le(0).logicalOr(p[2].le(0)).logicalOr(p[4].le(0));
      return Array.where(badParameters, Double.NaN, result);
    }

    public static Array pdf(Array x, Array a, Array b) { return logpdf(x, a, b).exp(); }
    public static Array pdf(Array x, Array a, Array b, Array loc, Array scale) { return logpdf(x, a, b, loc, scale).exp(); }

    public static Array cdf(Array x, Array a, Array b) { return cdf(x, a, b, zero(x), one(x)); }

    /** {@code betainc(a, b, clip(y, 0, 1))}. */
    public static Array cdf(Array x, Array a, Array b, Array loc, Array scale) {
      Array[] p = promote("beta.cdf", x, a, b, loc, scale);
      return Special.betainc(p[1], p[2], p[0].sub(p[3]).div(p[4]).clip(0, 1));
    }

    public static Array logcdf(Array x, Array a, Array b) { return cdf(x, a, b).log(); }
    public static Array logcdf(Array x, Array a, Array b, Array loc, Array scale) { return cdf(x, a, b, loc, scale).log(); }

    public static Array sf(Array x, Array a, Array b) { return sf(x, a, b, zero(x), one(x)); }

    /** {@code betainc(b, a, 1 - clip(y, 0, 1))}. */
    public static Array sf(Array x, Array a, Array b, Array loc, Array scale) {
      Array[] p = promote("beta.sf", x, a, b, loc, scale);
      return Special.betainc(p[2], p[1], p[0].sub(p[3]).div(p[4]).clip(0, 1).rsub(1));
    }

    public static Array logsf(Array x, Array a, Array b) { return sf(x, a, b).log(); }
    public static Array logsf(Array x, Array a, Array b, Array loc, Array scale) { return sf(x, a, b, loc, scale).log(); }
  }

  /** {@code jax.scipy.stats.chi2}: {@code df} degrees of freedom. */
  public static final class Chi2 {
    private Chi2() {}

    public static Array logpdf(Array x, Array df) { return logpdf(x, df, zero(x), one(x)); }

    public static Array logpdf(Array x, Array df, Array loc, Array scale) {
      Array[] p = promote("chi2.logpdf", x, df, loc, scale);
      Array y = p[0].sub(p[2]).div(p[3]);
      Array halfDf = p[1].div(2.0);
      Array kernel = halfDf.sub(1.0).mul(y.log()).sub(y.div(2.0));
      Array log2 = Array.scalar(y.dtype(), 2).log();
      Array normalizer = Special.gammaln(halfDf).add(log2.mul(p[1]).div(2.0)).neg();
      Array logProbs = normalizer.sub(p[3].log()).add(kernel);
      return Array.where(p[0].lt(p[2]), Double.NEGATIVE_INFINITY, logProbs);
    }

    public static Array pdf(Array x, Array df) { return logpdf(x, df).exp(); }
    public static Array pdf(Array x, Array df, Array loc, Array scale) { return logpdf(x, df, loc, scale).exp(); }

    public static Array cdf(Array x, Array df) { return cdf(x, df, zero(x), one(x)); }

    public static Array cdf(Array x, Array df, Array loc, Array scale) {
      Array[] p = promote("chi2.cdf", x, df, loc, scale);
      return Special.gammainc(p[1].div(2.0), halfStandardized(p));
    }

    public static Array logcdf(Array x, Array df) { return cdf(x, df).log(); }
    public static Array logcdf(Array x, Array df, Array loc, Array scale) { return cdf(x, df, loc, scale).log(); }

    public static Array sf(Array x, Array df) { return sf(x, df, zero(x), one(x)); }

    public static Array sf(Array x, Array df, Array loc, Array scale) {
      Array[] p = promote("chi2.sf", x, df, loc, scale);
      return Special.gammaincc(p[1].div(2.0), halfStandardized(p));
    }

    public static Array logsf(Array x, Array df) { return sf(x, df).log(); }
    public static Array logsf(Array x, Array df, Array loc, Array scale) { return sf(x, df, loc, scale).log(); }

    /** {@code clip((x - loc) / (scale * 2), 0, inf)}. */
    private static Array halfStandardized(Array[] p) {
      return p[0].sub(p[2]).div(p[3].mul(2.0)).clip(0, Double.POSITIVE_INFINITY);
    }
  }

  // ---- discrete -----------------------------------------------------------------------------

  /** {@code jax.scipy.stats.poisson}: rate {@code mu}. */
  public static final class Poisson {
    private Poisson() {}

    public static Array logpmf(Array k, Array mu) { return logpmf(k, mu, zero(k)); }

    /** {@code xlogy(k, mu) - gammaln(k + 1) - mu}; -inf below loc and at non-integer k. */
    public static Array logpmf(Array k, Array mu, Array loc) {
      Array[] p = promote("poisson.logpmf", k, mu, loc);
      Array x = p[0].sub(p[2]);
      Array logProbs = Special.xlogy(x, p[1]).sub(Special.gammaln(x.add(1.0))).sub(p[1]);
      Array excluded = x.lt(0).logicalOr(p[0].round().ne(p[0]));
      return Array.where(excluded, Double.NEGATIVE_INFINITY, logProbs);
    }

    public static Array pmf(Array k, Array mu) { return logpmf(k, mu).exp(); }
    public static Array pmf(Array k, Array mu, Array loc) { return logpmf(k, mu, loc).exp(); }

    public static Array cdf(Array k, Array mu) { return cdf(k, mu, zero(k)); }

    /** {@code gammaincc(floor(k + 1), mu)}, 0 below loc. */
    public static Array cdf(Array k, Array mu, Array loc) {
      Array[] p = promote("poisson.cdf", k, mu, loc);
      Array x = p[0].sub(p[2]);
      Array upper = Special.gammaincc(x.add(1.0).floor(), p[1]);
      return Array.where(x.lt(0), 0.0, upper);
    }
  }

  /** {@code jax.scipy.stats.bernoulli}: success probability {@code p}. */
  public static final class Bernoulli {
    private Bernoulli() {}

    public static Array logpmf(Array k, Array p) { return logpmf(k, p, zero(k)); }

    /** {@code xlogy(k, p) + xlog1py(1 - k, -p)}; -inf outside {0, 1} (a k in between is not refused, as JAX). */
    public static Array logpmf(Array k, Array p, Array loc) {
      Array[] a = promote("bernoulli.logpmf", k, p, loc);
      Array x = a[0].sub(a[2]);
      Array logProbs = Special.xlogy(x, a[1]).add(Special.xlog1py(x.rsub(1), a[1].neg()));
      return Array.where(x.lt(0).logicalOr(x.gt(1)), Double.NEGATIVE_INFINITY, logProbs);
    }

    public static Array pmf(Array k, Array p) { return logpmf(k, p).exp(); }
    public static Array pmf(Array k, Array p, Array loc) { return logpmf(k, p, loc).exp(); }

    /** 0 below 0, {@code 1 - p} on [0, 1), 1 from 1; NaN for a NaN or a p outside [0, 1]. */
    public static Array cdf(Array k, Array p) {
      Array[] a = promote("bernoulli.cdf", k, p);
      Array kk = a[0];
      Array pp = a[1];
      DType dt = kk.dtype();
      Array invalid = kk.isnan().logicalOr(pp.isnan()).logicalOr(pp.lt(0)).logicalOr(pp.gt(1));
      return Array.select(List.of(invalid, kk.lt(0), kk.ge(0).logicalAnd(kk.lt(1)), kk.ge(1)),
          List.of(Array.scalar(dt, Double.NaN), Array.scalar(dt, 0), pp.rsub(1), Array.scalar(dt, 1)), 0.0);
    }

    /** 0 where {@code q <= 1 - p}, else 1; NaN for q or p outside [0, 1]. */
    public static Array ppf(Array q, Array p) {
      Array[] a = promote("bernoulli.ppf", q, p);
      Array invalid = a[0].isnan().logicalOr(a[1].isnan()).logicalOr(a[1].lt(0)).logicalOr(a[1].gt(1))
          .logicalOr(a[0].lt(0)).logicalOr(a[0].gt(1));
      Array value = Array.where(a[0].le(a[1].rsub(1)), 0.0, Array.onesLike(a[0]));
      return Array.where(invalid, Double.NaN, value);
    }
  }

  /** {@code jax.scipy.stats.binom}: {@code n} trials of probability {@code p}. */
  public static final class Binom {
    private Binom() {}

    public static Array logpmf(Array k, Array n, Array p) { return logpmf(k, n, p, zero(k)); }

    /**
     * {@code log C(n, k) + xlogy(k, p) + xlog1py(n - k, -p)}; 0 where {@code k = n = 0} or the
     * linear term is 0 (JAX's rule, so p = 0 or 1 give exact 0); -inf outside {@code [0, n]}.
     */
    public static Array logpmf(Array k, Array n, Array p, Array loc) {
      Array[] a = promote("binom.logpmf", k, n, p, loc);
      Array nn = a[1];
      Array y = a[0].sub(a[3]);
      Array comb = Special.gammaln(nn.add(1.0))
          .sub(Special.gammaln(y.add(1.0)).add(Special.gammaln(nn.sub(y).add(1.0))));
      Array logLinear = Special.xlogy(y, a[2]).add(Special.xlog1py(nn.sub(y), a[2].neg()));
      Array logProbs = comb.add(logLinear);
      Array certain = y.eq(0).logicalAnd(nn.eq(0)).logicalOr(logLinear.eq(0));
      logProbs = Array.where(certain, 0.0, logProbs);
      Array inside = a[0].ge(a[3]).logicalAnd(a[0].lt(a[3].add(nn).add(1.0)));
      return Array.where(inside, logProbs, Double.NEGATIVE_INFINITY);
    }

    public static Array pmf(Array k, Array n, Array p) { return logpmf(k, n, p).exp(); }
    public static Array pmf(Array k, Array n, Array p, Array loc) { return logpmf(k, n, p, loc).exp(); }
  }

  /** {@code jax.scipy.stats.geom}: trials until the first success, support {1, 2, ...}. */
  public static final class Geom {
    private Geom() {}

    public static Array logpmf(Array k, Array p) { return logpmf(k, p, zero(k)); }

    /** {@code xlog1py(k - 1, -p) + log(p)}; -inf for k at or below loc. */
    public static Array logpmf(Array k, Array p, Array loc) {
      Array[] a = promote("geom.logpmf", k, p, loc);
      Array x = a[0].sub(a[2]);
      Array logProbs = Special.xlog1py(x.sub(1.0), a[1].neg()).add(a[1].log());
      return Array.where(x.le(0), Double.NEGATIVE_INFINITY, logProbs);
    }

    public static Array pmf(Array k, Array p) { return logpmf(k, p).exp(); }
    public static Array pmf(Array k, Array p, Array loc) { return logpmf(k, p, loc).exp(); }
  }

  // ---- multivariate -------------------------------------------------------------------------

  /** {@code jax.scipy.stats.multinomial}: counts {@code x} (last axis: the categories) of {@code n} draws. */
  public static final class Multinomial {
    private Multinomial() {}

    /**
     * {@code gammaln(n + 1) + sum(xlogy(x, p) - gammaln(x + 1), axis=-1)}; -inf unless the counts
     * sum to n. x and n must be integer arrays (JAX's rule). As JAX 0.10.2, the check sums every
     * element of x, so a batch of several count vectors gives -inf: vmap over the batch instead.
     */
    public static Array logpmf(Array x, Array n, Array p) {
      if (!x.dtype().isInteger() || !n.dtype().isInteger()) {
        throw new IllegalArgumentException("multinomial.logpmf: x and n must be of integer type; got x.dtype="
            + x.dtype() + ", n.dtype=" + n.dtype() + " (JAX refuses float counts too); pass counts as I32, "
            + "e.g. x.astype(DType.I32)");
      }
      Array probs = NumpyMath.floaty(p);
      Array counts = x.astype(probs.dtype());
      Array total = n.astype(probs.dtype());
      Array perCategory = Special.xlogy(counts, probs).sub(Special.gammaln(counts.add(1.0)));
      Array logProbs = Special.gammaln(total.add(1.0)).add(perCategory.sum(-1));
      return Array.where(counts.sum().eq(total), logProbs, Double.NEGATIVE_INFINITY);
    }

    public static Array pmf(Array x, Array n, Array p) { return logpmf(x, n, p).exp(); }
  }

  /** {@code jax.scipy.stats.dirichlet}: concentration {@code alpha} (1-D, K categories). */
  public static final class Dirichlet {
    private Dirichlet() {}

    /**
     * The log density at {@code x}, whose <b>first</b> axis holds the K (or K-1: the last is
     * {@code 1 - sum}) components, as JAX; further axes are a batch. -inf off the simplex
     * (a component not positive, or a sum more than 1e-6 from 1).
     */
    public static Array logpdf(Array x, Array alpha) {
      DType dt = DType.promote(NumpyMath.floatyDtype(x.dtype()), NumpyMath.floatyDtype(alpha.dtype()));
      Array xs = x.astype(dt);
      Array a = alpha.astype(dt);
      if (a.ndim() != 1) {
        throw new ShapeError("dirichlet.logpdf: `alpha` must be one-dimensional; got alpha.shape="
            + a.aval().shapeString() + "; pass the K concentrations as a vector");
      }
      int k = a.dim(0);
      if (xs.ndim() == 0 || (xs.dim(0) != k && xs.dim(0) != k - 1)) {
        throw new ShapeError("dirichlet.logpdf: `x` must have either the same number of entries as `alpha` or one "
            + "entry fewer along its first axis; got x.shape=" + xs.aval().shapeString() + ", alpha.shape="
            + a.aval().shapeString() + " (the components are x's first axis; move them there with moveaxis)");
      }
      if (xs.dim(0) != k) {
        xs = Array.concatenate(0, xs, xs.sumKeepDims(0).rsub(1));
      }
      Array normalize = Special.gammaln(a).sum().sub(Special.gammaln(a.sum()));
      if (xs.ndim() > 1) {
        int[] column = new int[xs.ndim()];
        java.util.Arrays.fill(column, 1);
        column[0] = k;
        a = a.reshape(column);
      }
      Array logProbs = Special.xlogy(a.sub(1.0), xs).sum(0).sub(normalize);
      Array simplex = xs.gt(0).all(0).logicalAnd(xs.sum(0).sub(1.0).abs().lt(1e-6));
      return Array.where(simplex, logProbs, Double.NEGATIVE_INFINITY);
    }

    public static Array pdf(Array x, Array alpha) { return logpdf(x, alpha).exp(); }
  }

  /** {@code jax.scipy.stats.multivariate_normal}. */
  public static final class MultivariateNormal {
    private MultivariateNormal() {}

    /**
     * The log density of {@code x [..., n]} under mean {@code [..., n]} and covariance
     * {@code cov}: a matrix {@code [..., n, n]} (through its Cholesky factor L, as JAX:
     * {@code -|L^-1 (x - mean)|^2 / 2 - n/2 log(2 pi) - sum(log(diag L))}), or a rank-0 variance
     * shared by every component. A rank-0 mean is the univariate normal with variance cov. A cov
     * that is not positive definite gives NaN (JAX's Cholesky on CPU).
     */
    public static Array logpdf(Array x, Array mean, Array cov) {
      DType dt = DType.promote(NumpyMath.floatyDtype(x.dtype()),
          DType.promote(NumpyMath.floatyDtype(mean.dtype()), NumpyMath.floatyDtype(cov.dtype())));
      Array xs = x.astype(dt);
      Array mu = mean.astype(dt);
      Array c = cov.astype(dt);
      Array log2Pi = Array.scalar(dt, 2 * Math.PI).log();
      if (mu.ndim() == 0) {
        return xs.sub(mu).square().mul(-0.5).div(c).sub(log2Pi.add(c.log()).mul(0.5));
      }
      int n = mu.dim(mu.ndim() - 1);
      if (c.ndim() == 0) {
        Array y = xs.sub(mu);
        return y.mul(y).sum(-1).mul(-0.5).div(c).sub(log2Pi.add(c.log()).mul(n / 2.0));
      }
      if (c.ndim() < 2 || c.dim(c.ndim() - 1) != n || c.dim(c.ndim() - 2) != n) {
        throw new ShapeError("multivariate_normal.logpdf got incompatible shapes: mean " + mu.aval().shapeString()
            + " and cov " + c.aval().shapeString() + "; cov must be [..., " + n + ", " + n
            + "] (or a rank-0 variance) for a mean of " + n + " components");
      }
      Array l = Linalg.cholesky(c);
      Array y = whiten(l, xs.sub(mu));
      Array logDiagonal = l.diagonal(0, -1, -2).log().sum(-1);
      return y.mul(y).sum(-1).mul(-0.5).sub(log2Pi.mul(n / 2.0)).sub(logDiagonal);
    }

    public static Array pdf(Array x, Array mean, Array cov) { return logpdf(x, mean, cov).exp(); }

    /**
     * {@code L^-1 d} for every batch element: JAX vectorizes {@code triangular_solve(L, d,
     * lower, transpose_a)} (right side: {@code y L^T = d}) with signature {@code (n,n),(n)->(n)},
     * so L's and d's batch axes broadcast against each other first.
     */
    private static Array whiten(Array l, Array d) {
      int[] lBatch = java.util.Arrays.copyOf(l.shape(), l.ndim() - 2);
      int[] dBatch = java.util.Arrays.copyOf(d.shape(), d.ndim() - 1);
      int[] batch = Array.broadcastShapes("multivariate_normal.logpdf", lBatch, dBatch);
      int n = d.dim(d.ndim() - 1);
      Array lb = l.broadcastTo(Array.concat(batch, n, n));
      Array db = d.broadcastTo(Array.concat(batch, n));
      return Linalg.triangularSolve(lb, db, false, true, true, false);
    }
  }

  // ---- session 15 (jnp9): gennorm, gumbel_l/gumbel_r, pareto, wrapcauchy, betabinom, nbinom ----

  /** {@code jax.scipy.stats.gennorm}: the generalized normal with shape {@code beta} (no loc/scale, as JAX). */
  public static final class Gennorm {
    private Gennorm() {}

    /** {@code log(beta / 2) - lgamma(1 / beta) - |x|^beta}; NaN for beta below 0 (JAX checks nothing). */
    public static Array logpdf(Array x, Array beta) {
      Array[] p = promote("gennorm.logpdf", x, beta);
      Array b = p[1];
      return b.mul(0.5).log().sub(Special.gammaln(b.rdiv(1))).sub(p[0].abs().pow(b));
    }

    public static Array pdf(Array x, Array beta) { return logpdf(x, beta).exp(); }

    /** {@code (1 + sign(x) igamma(1 / beta, |x|^beta)) / 2}. */
    public static Array cdf(Array x, Array beta) {
      Array[] p = promote("gennorm.cdf", x, beta);
      Array lower = Special.gammainc(p[1].rdiv(1), p[0].abs().pow(p[1]));
      return p[0].sign().mul(lower).add(1.0).mul(0.5);
    }
  }

  /** {@code jax.scipy.stats.gumbel_l}: the left-skewed Gumbel (minimum) distribution; NaN where scale is not positive. */
  public static final class GumbelL {
    private GumbelL() {}

    public static Array logpdf(Array x) { return logpdf(x, zero(x), one(x)); }

    /** {@code -log(scale) + z - exp(z)}, {@code z = (x - loc) / scale}. */
    public static Array logpdf(Array x, Array loc, Array scale) {
      Array[] p = promote("gumbel_l.logpdf", x, loc, scale);
      Array z = standardize(p);
      Array logPdf = negLog(p[2]).add(z.sub(z.exp()));
      return positiveScaleOrNan(p[2], logPdf);
    }

    public static Array pdf(Array x) { return logpdf(x).exp(); }
    public static Array pdf(Array x, Array loc, Array scale) { return logpdf(x, loc, scale).exp(); }

    public static Array logcdf(Array x) { return logcdf(x, zero(x), one(x)); }

    /** {@code log(-expm1(-exp(z)))}: JAX's stable form. */
    public static Array logcdf(Array x, Array loc, Array scale) {
      Array[] p = promote("gumbel_l.logcdf", x, loc, scale);
      Array logCdf = standardize(p).exp().neg().expm1().neg().log();
      return positiveScaleOrNan(p[2], logCdf);
    }

    public static Array cdf(Array x) { return logcdf(x).exp(); }
    public static Array cdf(Array x, Array loc, Array scale) { return logcdf(x, loc, scale).exp(); }

    public static Array logsf(Array x) { return logsf(x, zero(x), one(x)); }

    /** {@code -exp(z)}. */
    public static Array logsf(Array x, Array loc, Array scale) {
      Array[] p = promote("gumbel_l.logsf", x, loc, scale);
      return positiveScaleOrNan(p[2], standardize(p).exp().neg());
    }

    public static Array sf(Array x) { return logsf(x).exp(); }
    public static Array sf(Array x, Array loc, Array scale) { return logsf(x, loc, scale).exp(); }

    public static Array ppf(Array q) { return ppf(q, zero(q), one(q)); }

    /** {@code loc + scale log(-log1p(-q))} for {@code 0 < q < 1}, else NaN (0 and 1 included, as JAX). */
    public static Array ppf(Array q, Array loc, Array scale) {
      Array[] p = promote("gumbel_l.ppf", q, loc, scale);
      Array t1 = Special.xlog1py(Array.scalar(p[0].dtype(), -1), p[0].neg());
      Array quantile = p[1].add(p[2].mul(t1.log()));
      return Array.where(openUnit(p[0]), quantile, Double.NaN);
    }
  }

  /** {@code jax.scipy.stats.gumbel_r}: the right-skewed Gumbel (maximum) distribution; NaN where scale is not positive. */
  public static final class GumbelR {
    private GumbelR() {}

    public static Array logpdf(Array x) { return logpdf(x, zero(x), one(x)); }

    /** {@code -log(scale) - (z + exp(-z))}. */
    public static Array logpdf(Array x, Array loc, Array scale) {
      Array[] p = promote("gumbel_r.logpdf", x, loc, scale);
      Array z = standardize(p);
      Array logPdf = negLog(p[2]).add(z.add(z.neg().exp()).neg());
      return positiveScaleOrNan(p[2], logPdf);
    }

    public static Array pdf(Array x) { return logpdf(x).exp(); }
    public static Array pdf(Array x, Array loc, Array scale) { return logpdf(x, loc, scale).exp(); }

    public static Array logcdf(Array x) { return logcdf(x, zero(x), one(x)); }

    /** {@code -exp(-z)}. */
    public static Array logcdf(Array x, Array loc, Array scale) {
      Array[] p = promote("gumbel_r.logcdf", x, loc, scale);
      return positiveScaleOrNan(p[2], standardize(p).neg().exp().neg());
    }

    public static Array cdf(Array x) { return logcdf(x).exp(); }
    public static Array cdf(Array x, Array loc, Array scale) { return logcdf(x, loc, scale).exp(); }

    public static Array sf(Array x) { return sf(x, zero(x), one(x)); }

    /** {@code 1 - exp(-exp((loc - x) / scale))} (JAX does not use expm1 here). */
    public static Array sf(Array x, Array loc, Array scale) {
      Array[] p = promote("gumbel_r.sf", x, loc, scale);
      Array negZ = p[1].sub(p[0]).div(p[2]);
      return positiveScaleOrNan(p[2], negZ.exp().neg().exp().rsub(1));
    }

    public static Array logsf(Array x) { return logsf(x, zero(x), one(x)); }

    /** {@code log1mexp(exp((loc - x) / scale))} ({@link Nn#log1mexp}, with its derivative). */
    public static Array logsf(Array x, Array loc, Array scale) {
      Array[] p = promote("gumbel_r.logsf", x, loc, scale);
      Array negZ = p[1].sub(p[0]).div(p[2]);
      return positiveScaleOrNan(p[2], Nn.log1mexp(negZ.exp()));
    }

    public static Array ppf(Array q) { return ppf(q, zero(q), one(q)); }

    /** {@code loc - scale log(-log(q))} for {@code 0 < q < 1}, else NaN. */
    public static Array ppf(Array q, Array loc, Array scale) {
      Array[] p = promote("gumbel_r.ppf", q, loc, scale);
      Array quantile = p[1].sub(p[2].mul(negLog(p[0]).log()));
      return Array.where(openUnit(p[0]), quantile, Double.NaN);
    }
  }

  /** {@code jax.scipy.stats.pareto}: shape {@code b}, support {@code [loc + scale, inf)}. */
  public static final class Pareto {
    private Pareto() {}

    public static Array logpdf(Array x, Array b) { return logpdf(x, b, zero(x), one(x)); }

    /** {@code -(log(scale / b) + (b + 1) log((x - loc) / scale))}; -inf below {@code loc + scale}. */
    public static Array logpdf(Array x, Array b, Array loc, Array scale) {
      Array[] p = promote("pareto.logpdf", x, b, loc, scale);
      Array scaled = p[0].sub(p[2]).div(p[3]);
      Array logProbs = p[3].div(p[1]).log().add(p[1].add(1.0).mul(scaled.log())).neg();
      return Array.where(belowSupport(p), Double.NEGATIVE_INFINITY, logProbs);
    }

    public static Array pdf(Array x, Array b) { return logpdf(x, b).exp(); }
    public static Array pdf(Array x, Array b, Array loc, Array scale) { return logpdf(x, b, loc, scale).exp(); }

    public static Array cdf(Array x, Array b) { return cdf(x, b, zero(x), one(x)); }

    /** {@code 1 - ((x - loc) / scale)^-b}; 0 below the support. */
    public static Array cdf(Array x, Array b, Array loc, Array scale) {
      Array[] p = promote("pareto.cdf", x, b, loc, scale);
      Array cdf = p[0].sub(p[2]).div(p[3]).pow(p[1].neg()).rsub(1);
      return Array.where(belowSupport(p), 0.0, cdf);
    }

    public static Array logcdf(Array x, Array b) { return logcdf(x, b, zero(x), one(x)); }

    /** {@code log1p(-((x - loc) / scale)^-b)}; -inf below the support. */
    public static Array logcdf(Array x, Array b, Array loc, Array scale) {
      Array[] p = promote("pareto.logcdf", x, b, loc, scale);
      Array value = p[0].sub(p[2]).div(p[3]).pow(p[1].neg()).neg().log1p();
      return Array.where(belowSupport(p), Double.NEGATIVE_INFINITY, value);
    }

    public static Array logsf(Array x, Array b) { return logsf(x, b, zero(x), one(x)); }

    /** {@code -b log((x - loc) / scale)}; 0 below the support. */
    public static Array logsf(Array x, Array b, Array loc, Array scale) {
      Array[] p = promote("pareto.logsf", x, b, loc, scale);
      Array value = p[1].mul(p[0].sub(p[2]).div(p[3]).log()).neg();
      return Array.where(belowSupport(p), 0.0, value);
    }

    public static Array sf(Array x, Array b) { return logsf(x, b).exp(); }
    public static Array sf(Array x, Array b, Array loc, Array scale) { return logsf(x, b, loc, scale).exp(); }

    public static Array ppf(Array q, Array b) { return ppf(q, b, zero(q), one(q)); }

    /** {@code loc + scale (1 - q)^(-1/b)}; NaN for q outside [0, 1]. */
    public static Array ppf(Array q, Array b, Array loc, Array scale) {
      Array[] p = promote("pareto.ppf", q, b, loc, scale);
      Array value = p[2].add(p[3].mul(p[0].rsub(1).pow(p[1].rdiv(1).neg())));
      return Array.where(outsideUnit(p[0]), Double.NaN, value);
    }

    /** {@code x < loc + scale} of promoted {@code (x, b, loc, scale)}. */
    private static Array belowSupport(Array[] p) {
      return p[0].lt(p[2].add(p[3]));
    }
  }

  /** {@code jax.scipy.stats.wrapcauchy}: the wrapped Cauchy on {@code [0, 2 pi]} with concentration {@code c}. */
  public static final class Wrapcauchy {
    private Wrapcauchy() {}

    /**
     * {@code log(1 - c^2) - log(2 pi) - log(1 + c^2 - 2 c cos x)} on {@code [0, 2 pi]}, -inf
     * outside it; NaN unless {@code 0 < c < 1} (JAX: x is not wrapped).
     */
    public static Array logpdf(Array x, Array c) {
      Array[] p = promote("wrapcauchy.logpdf", x, c);
      Array xs = p[0];
      Array cc = p[1];
      DType dt = xs.dtype();
      Array cSquared = cc.mul(cc);
      Array density = cSquared.rsub(1).log().sub(Array.scalar(dt, 2 * Math.PI).log())
          .sub(cSquared.add(1.0).sub(cc.mul(2.0).mul(xs.cos())).log());
      Array onCircle = xs.ge(0).logicalAnd(xs.le(Array.scalar(dt, 2 * Math.PI)));
      Array inRange = cc.gt(0).logicalAnd(cc.lt(1));
      return Array.where(inRange, Array.where(onCircle, density, Double.NEGATIVE_INFINITY), Double.NaN);
    }

    public static Array pdf(Array x, Array c) { return logpdf(x, c).exp(); }
  }

  /** {@code jax.scipy.stats.betabinom}: {@code n} trials whose success probability is Beta(a, b). */
  public static final class Betabinom {
    private Betabinom() {}

    public static Array logpmf(Array k, Array n, Array a, Array b) { return logpmf(k, n, a, b, zero(k)); }

    /**
     * {@code -(log1p(n) + betaln(n - y + 1, y + 1)) + betaln(y + a, n - y + b) - betaln(a, b)} with
     * {@code y = floor(k) - loc} (a non-integer k counts as its floor, as JAX); 0 at y = n = 0;
     * -inf for {@code y < -loc}, {@code y > n} or {@code y + a <= 0} (JAX's test, literally);
     * NaN for {@code n < 0}, {@code a <= 0} or {@code b <= 0}.
     */
    public static Array logpmf(Array k, Array n, Array a, Array b, Array loc) {
      Array[] p = promote("betabinom.logpmf", k, n, a, b, loc);
      Array nn = p[1];
      Array aa = p[2];
      Array bb = p[3];
      Array y = p[0].floor().sub(p[4]);
      Array combiln = nn.log1p().add(Special.betaln(nn.sub(y).add(1.0), y.add(1.0))).neg();
      Array betaLns = Special.betaln(y.add(aa), nn.sub(y).add(bb)).sub(Special.betaln(aa, bb));
      Array logProbs = combiln.add(betaLns);
      logProbs = Array.where(y.eq(0).logicalAnd(nn.eq(0)), 0.0, logProbs);
      Array outside = y.lt(p[4].neg()).logicalOr(y.gt(nn)).logicalOr(y.add(aa).le(0));
      logProbs = Array.where(outside, Double.NEGATIVE_INFINITY, logProbs);
      Array badParameters = nn.lt(0).logicalOr(aa.le(0)).logicalOr(bb.le(0));
      return Array.where(badParameters, Double.NaN, logProbs);
    }

    public static Array pmf(Array k, Array n, Array a, Array b) { return logpmf(k, n, a, b).exp(); }
    public static Array pmf(Array k, Array n, Array a, Array b, Array loc) { return logpmf(k, n, a, b, loc).exp(); }
  }

  /** {@code jax.scipy.stats.nbinom}: failures before the {@code n}-th success of probability {@code p}. */
  public static final class Nbinom {
    private Nbinom() {}

    public static Array logpmf(Array k, Array n, Array p) { return logpmf(k, n, p, zero(k)); }

    /**
     * {@code gammaln(y + n) - gammaln(n) - gammaln(y + 1) + xlogy(n, p) + xlogy(y, 1 - p)},
     * {@code y = k - loc}; -inf below loc. JAX checks nothing else: a non-integer k, p outside
     * [0, 1] or n &le; 0 give whatever the formula gives.
     */
    public static Array logpmf(Array k, Array n, Array p, Array loc) {
      Array[] a = promote("nbinom.logpmf", k, n, p, loc);
      Array nn = a[1];
      Array y = a[0].sub(a[3]);
      Array comb = Special.gammaln(y.add(nn)).sub(Special.gammaln(nn)).sub(Special.gammaln(y.add(1.0)));
      Array logLinear = Special.xlogy(nn, a[2]).add(Special.xlogy(y, a[2].rsub(1)));
      return Array.where(a[0].lt(a[3]), Double.NEGATIVE_INFINITY, comb.add(logLinear));
    }

    public static Array pmf(Array k, Array n, Array p) { return logpmf(k, n, p).exp(); }
    public static Array pmf(Array k, Array n, Array p, Array loc) { return logpmf(k, n, p, loc).exp(); }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static Array[] promote(String op, Array... args) {
    return NumpyMath.promoteInexact(op, args);
  }

  /** JAX's default {@code loc = 0}, weakly typed: in x's own float dtype. */
  private static Array zero(Array x) {
    return Array.scalar(NumpyMath.floatyDtype(x.dtype()), 0);
  }

  /** JAX's default {@code scale = 1}. */
  private static Array one(Array x) {
    return Array.scalar(NumpyMath.floatyDtype(x.dtype()), 1);
  }

  /** {@code (x - loc) / scale} of promoted {@code (x, loc, scale)}. */
  private static Array standardize(Array[] p) {
    return p[0].sub(p[1]).div(p[2]);
  }

  /** {@code isnan(q) | q < 0 | q > 1}. */
  private static Array outsideUnit(Array q) {
    return q.isnan().logicalOr(q.lt(0)).logicalOr(q.gt(1));
  }

  /**
   * {@code xlogy(-1, x)}: JAX's {@code -log(x)} in the Gumbel families (of the scale, and of q in
   * gumbel_r's quantile), with its derivative {@code -1/x}.
   */
  private static Array negLog(Array x) {
    return Special.xlogy(Array.scalar(x.dtype(), -1), x);
  }

  /** {@code where(scale > 0, value, nan)}: the Gumbel families' only parameter check. */
  private static Array positiveScaleOrNan(Array scale, Array value) {
    return Array.where(scale.gt(0), value, Double.NaN);
  }

  /** {@code 0 < q < 1}. */
  private static Array openUnit(Array q) {
    return q.gt(0).logicalAnd(q.lt(1));
  }
}
