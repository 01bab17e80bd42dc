package dev.statelens.engine;

import java.util.List;
import java.util.Objects;

/**
 * JAX's integer-valued samplers, {@code poisson} and {@code geometric}, op for op as
 * {@code jax/_src/random.py} draws them (docs/prng.md, "Counts").
 *
 * <p>{@code poisson} runs both of JAX's algorithms on the whole array, each a
 * {@link Lax#whileLoop} that draws fresh uniforms for every element until all are done, and
 * picks per element: Knuth's product of uniforms below {@code lam = 10}, Hörmann's transformed
 * rejection (PTRS) from 10 on. Both loops consume the same key, as in JAX.
 */
final class CountSamplers {

  /** JAX's {@code max_iters}: {@code iinfo(int32).max}, "insanely conservative". */
  private static final int MAX_ITERS = Integer.MAX_VALUE;

  private final RandomSampler sampler;

  CountSamplers(RandomSampler sampler) {
    this.sampler = sampler;
  }

  // ---- poisson ----------------------------------------------------------------------------------

  /** JAX's {@code poisson(key, lam, shape, dtype)}; {@code lam} is converted to F32 as in JAX. */
  Array poisson(Key key, Array lam, int[] shape, DType dtype) {
    RandomSampler.requireKey(key, "poisson");
    requireInteger("poisson", dtype);
    int[] out = GammaFamily.drawShape("poisson", "lam", lam, shape);
    requireNonNegative("poisson", "lam", lam);
    Array rate = lam.broadcastTo(out).astype(DType.F32);
    Array useKnuth = rate.ne(rate).or(rate.lt(10)); // _isnan(lam) | (lam < 10)
    Array lamKnuth = Array.where(useKnuth, rate, 0.0);
    Array lamRejection = Array.where(useKnuth, 1e5, rate);
    Array result = Array.where(useKnuth, knuth(key, lamKnuth, out, dtype), rejection(key, lamRejection, out, dtype));
    return Array.where(rate.eq(0), 0, result);
  }

  /** {@code _poisson_knuth}'s loop state: {@code (i, k, rng, log_prod)}. */
  record Knuth(Array i, Array k, Key rng, Array logProd) {}

  /**
   * {@code _poisson_knuth}: multiply uniforms (add their logs) until the product falls below
   * {@code exp(-lam)}; {@code k - 1} is the count.
   */
  private Array knuth(Key key, Array lam, int[] shape, DType dtype) {
    Array negLam = lam.neg();
    // broadcast scalars, not eager zeros: under jit those would be captured constants
    Knuth init = new Knuth(Array.scalar(DType.I32, 0), Array.scalar(dtype, 0).broadcastTo(shape), key,
        Array.scalar(DType.F32, 0).broadcastTo(shape));
    Knuth end = Lax.whileLoop(
        c -> c.logProd().gt(negLam).any().and(c.i().lt(MAX_ITERS)),
        c -> {
          List<Key> keys = sampler.split(c.rng(), 2);
          Array k = Array.where(c.logProd().gt(negLam), c.k().add(1), c.k());
          Array u = sampler.uniform(keys.get(1), shape, DType.F32, 0, 1);
          return new Knuth(c.i().add(1), k, keys.get(0), c.logProd().add(u.log()));
        },
        init);
    return end.k().sub(1).astype(dtype);
  }

  /** {@code _poisson_rejection}'s loop state: {@code (i, k_out, accepted, key)}. */
  record Rejection(Array i, Array k, Array accepted, Key key) {}

  /**
   * {@code _poisson_rejection}: Hörmann (1993), "The transformed rejection method for generating
   * Poisson random variables", with JAX's constants and operation order. The multiply-adds XLA's
   * CPU code fuses ({@code 0.931 + 2.53 sqrt(lam)}, {@code -0.059 + 0.02483 b},
   * {@code (2a/us + b) u + lam}, {@code -lam + k log(lam)}) are rounded once here too.
   */
  private Array rejection(Key key, Array lam, int[] shape, DType dtype) {
    Array logLam = lam.log();
    Array b = fma(lam.sqrt(), 2.53, 0.931);
    Array a = fma(b, 0.02483, -0.059);
    Array invAlpha = b.sub(3.4).rdiv(1.1328).add(1.1239);
    Array vR = b.sub(2).rdiv(-3.6224).add(0.9277);
    Rejection init = new Rejection(Array.scalar(DType.I32, 0), Array.scalar(DType.F32, -1).broadcastTo(shape),
        Array.scalar(DType.BOOL, 0).broadcastTo(shape), key);
    Rejection end = Lax.whileLoop(
        c -> c.accepted().not().any().and(c.i().lt(MAX_ITERS)),
        c -> {
          List<Key> keys = sampler.split(c.key(), 3);
          Array u = sampler.uniform(keys.get(1), shape, DType.F32, 0, 1).sub(0.5);
          Array v = sampler.uniform(keys.get(2), shape, DType.F32, 0, 1);
          Array us = u.abs().rsub(0.5);
          Array slope = a.mul(2).div(us).add(b);
          Array k = fma(slope, u, lam).add(0.43).floor();
          Array s = v.mul(invAlpha).div(a.div(us.mul(us)).add(b)).log();
          Array t = fma(k, logLam, lam.neg()).sub(Special.lgamma(k.add(1)));
          Array accept1 = us.ge(0.07).and(v.le(vR));
          Array reject = k.lt(0).or(us.lt(0.013).and(v.gt(us)));
          Array accept2 = s.le(t);
          Array accept = accept1.or(reject.not().and(accept2));
          return new Rejection(c.i().add(1), Array.where(accept, k, c.k()), c.accepted().or(accept), keys.get(0));
        },
        init);
    return end.k().astype(dtype);
  }

  // ---- geometric --------------------------------------------------------------------------------

  /**
   * JAX's {@code geometric(key, p, shape, dtype)}: {@code floor(log(u) / log1p(-p)) + 1} with
   * {@code u = uniform(key, shape, p's float dtype)} and {@code u = 0} mapped to 1.
   */
  Array geometric(Key key, Array p, int[] shape, DType dtype) {
    RandomSampler.requireKey(key, "geometric");
    requireInteger("geometric", dtype);
    int[] out = GammaFamily.drawShape("geometric", "p", p, shape);
    if (p.isConcrete()) {
      double[] ps = p.toDoubleArray();
      for (double v : ps) {
        if (!(v > 0 && v <= 1)) {
          throw new IllegalArgumentException("geometric: p must be in (0, 1] (the success probability), got " + v
              + "; the count of trials up to the first success needs a positive chance of success");
        }
      }
    }
    Array prob = NumpyMath.floaty(p); // promote_dtypes_inexact
    Array u = sampler.uniform(key, out, prob.dtype(), 0, 1);
    u = Array.where(u.eq(0), 1.0, u);
    Array logOneMinusP = prob.neg().log1p().broadcastTo(out);
    return u.log().div(logOneMinusP).floor().add(1).astype(dtype);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** {@code a * b + c} rounded once in F32, as XLA's contracted multiply-add (see GammaFamily). */
  private static Array fma(Array a, double b, double c) {
    return a.astype(DType.F64).mul((double) (float) b).add((double) (float) c).astype(DType.F32);
  }

  private static Array fma(Array a, Array b, Array c) {
    return a.astype(DType.F64).mul(b.astype(DType.F64)).add(c.astype(DType.F64)).astype(DType.F32);
  }

  private static Array fma(Array a, Array b, double c) {
    return a.astype(DType.F64).mul(b.astype(DType.F64)).add((double) (float) c).astype(DType.F32);
  }

  private static void requireInteger(String function, DType dtype) {
    Objects.requireNonNull(dtype, () -> function + ": dtype is null");
    if (dtype != DType.I32) {
      throw new IllegalArgumentException(function + ": dtype must be an integer dtype (I32, JAX's default), got "
          + dtype + "; convert the counts afterwards with astype");
    }
  }

  private static void requireNonNegative(String function, String name, Array p) {
    if (!p.isConcrete()) {
      return;
    }
    double[] values = p.toDoubleArray();
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] >= 0) || Double.isInfinite(values[i])) {
        throw new IllegalArgumentException(function + ": " + name + " must be a finite rate >= 0, got " + values[i]
            + (values.length > 1 ? " at flat index " + i : "") + "; it is the mean count per draw");
      }
    }
  }
}
