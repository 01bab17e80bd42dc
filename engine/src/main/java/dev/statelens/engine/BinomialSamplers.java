package dev.statelens.engine;

import java.util.List;
import java.util.Objects;

/**
 * JAX's {@code jax.random.binomial} and {@code multinomial}, op for op as
 * {@code jax/_src/random/core.py} draws them ({@code _binomial}, {@code _binomial_inversion},
 * {@code _btrs}, {@code multinomial}), so the same key gives JAX's counts (docs/prng.md, "Counts").
 *
 * <p>{@code binomial} runs both of JAX's algorithms on the whole array, each a {@link Lax#whileLoop}
 * over fresh uniforms, and picks per element: the geometric-sum inversion where {@code n q <= 10}
 * ({@code q = min(p, 1 - p)}), Hörmann's transformed rejection (BTRS) elsewhere; {@code p > 1/2}
 * draws the failures and returns {@code n - k}. {@code multinomial} is a {@link Lax#scan} of
 * binomials over the categories, one key each.
 */
final class BinomialSamplers {

  /** JAX's {@code max_iters} is {@code finfo(dtype).max}: in effect no limit. */
  private static final int MAX_ITERS = Integer.MAX_VALUE;

  /** {@code _stirling_approx_tail}'s table: {@code log(k!) - } Stirling's formula for k = 0..9. */
  private static final float[] STIRLING_TAIL = {
      0.0810614667953272f, 0.0413406959554092f, 0.0276779256849983f, 0.02079067210376509f, 0.0166446911898211f,
      0.0138761288230707f, 0.0118967099458917f, 0.0104112652619720f, 0.00925546218271273f, 0.00833056343336287f};

  private final RandomSampler sampler;

  BinomialSamplers(RandomSampler sampler) {
    this.sampler = sampler;
  }

  // ---- binomial ---------------------------------------------------------------------------------

  /** binomial's and multinomial's common checks: a key, n and p given, counts in a float dtype (as JAX). */
  private static void requireCountArguments(String op, Key key, Array n, Array p, DType dtype) {
    RandomSampler.requireKey(key, op);
    Objects.requireNonNull(n, op + ": n is null");
    Objects.requireNonNull(p, op + ": p is null");
    Objects.requireNonNull(dtype, op + ": dtype is null");
    if (!dtype.isFloating()) {
      throw new IllegalArgumentException(op + ": dtype must be a float dtype (F32, as JAX's default), got " + dtype
          + "; JAX returns the counts as floats: convert them afterwards with astype(DType.I32)");
    }
  }

  /** JAX's {@code binomial(key, n, p, shape, dtype)}; {@code shape} null: the broadcast of n's and p's. */
  Array binomial(Key key, Array n, Array p, int[] shape, DType dtype) {
    requireCountArguments("binomial", key, n, p, dtype);
    int[] out;
    if (shape == null) {
      out = Array.broadcastShapes("binomial", n.shape(), p.shape());
    } else {
      out = RandomSampler.requireShape("binomial", shape);
      GammaFamily.requireBroadcast("binomial", "n", n.shape(), out);
      GammaFamily.requireBroadcast("binomial", "p", p.shape(), out);
    }
    Array prob = NumpyMath.floaty(p); // promote_dtypes_inexact(prob)
    Array count = n.astype(prob.dtype()).broadcastTo(out);
    prob = prob.broadcastTo(out);
    Array pLtHalf = prob.lt(0.5);
    Array q = Array.where(pLtHalf, prob, prob.rsub(1.0));
    Array countNanOrNeg = count.isnan().or(count.lt(0.0));
    Array countInf = count.isinf();
    Array qIsNan = q.isnan();
    Array qLt0 = q.lt(0.0);
    q = Array.where(qIsNan.or(qLt0), 0.01, q);
    Array useInversion = countNanOrNeg.or(count.mul(q).le(10.0));
    count = count.floor(); // as np.random.binomial does for a float count
    Array countInv = Array.where(useInversion, count, 0.0);
    Array countBtrs = Array.where(useInversion, 1e4, count);
    Array qBtrs = Array.where(useInversion, 0.5, q);
    Array samples = Array.where(useInversion, inversion(key, countInv, q, out, dtype), btrs(key, countBtrs, qBtrs, out, dtype));
    // a NaN q or a NaN/negative count gives NaN; an infinite count gives inf
    Array invalid = qLt0.or(qIsNan).or(countNanOrNeg);
    samples = Array.where(invalid, Double.NaN, samples);
    samples = Array.where(countInf.and(invalid.not()), Double.POSITIVE_INFINITY, samples);
    return Array.where(pLtHalf.or(countNanOrNeg).or(qIsNan).or(countInf), samples, count.astype(dtype).sub(samples));
  }

  /** {@code _binomial_inversion}'s loop state: {@code (i, num_geom, geom_sum, key)}. */
  record Inversion(Array i, Array numGeom, Array geomSum, Key key) {}

  /**
   * {@code _binomial_inversion}: add geometric waiting times ({@code ceil(log u / log1p(-p))})
   * until they pass {@code count}; the number of them minus one is the count of successes.
   */
  private Array inversion(Key key, Array count, Array prob, int[] shape, DType dtype) {
    Array log1MinusProb = prob.neg().log1p();
    Array zeros = Array.scalar(prob.dtype(), 0).broadcastTo(shape); // not eager zeros: under jit a captured constant
    Inversion init = new Inversion(Array.scalar(DType.I32, 0), zeros, zeros, key);
    Inversion end = Lax.whileLoop(
        c -> c.geomSum().le(count).any().and(c.i().lt(MAX_ITERS)),
        c -> {
          List<Key> keys = sampler.split(c.key(), 2);
          Array numGeom = Array.where(c.geomSum().le(count), c.numGeom().add(1.0), c.numGeom());
          Array u = sampler.uniform(keys.get(0), shape, prob.dtype(), 0, 1);
          Array geom = u.log().div(log1MinusProb).ceil();
          return new Inversion(c.i().add(1), numGeom, c.geomSum().add(geom), keys.get(1));
        },
        init);
    return end.numGeom().sub(1.0).astype(dtype);
  }

  /** {@code _btrs}'s loop state: {@code (i, k_out, accepted, key)}. */
  record Btrs(Array i, Array k, Array accepted, Key key) {}

  /**
   * {@code _btrs}: Hörmann (1993), "The generation of binomial random variates", with JAX's
   * constants and operation order. The multiply-adds XLA's CPU code contracts into one rounding
   * ({@code 1.15 + 2.53 s}, {@code -0.0873 + 0.0248 b + 0.01 p}, {@code n p + 0.5},
   * {@code (2a/us + b) u + c}) are rounded once here too.
   */
  private Array btrs(Key key, Array count, Array prob, int[] shape, DType dtype) {
    Array stddev = count.mul(prob).mul(prob.rsub(1.0)).sqrt();
    Array b = fma(stddev, 2.53, 1.15);
    Array a = fma(prob, 0.01, fma(b, 0.0248, -0.0873));
    Array c = fma(count, prob, 0.5);
    Array vR = b.rdiv(4.2).rsub(0.92);
    Array r = prob.div(prob.rsub(1.0));
    Array alpha = b.rdiv(5.1).add(2.83).mul(stddev);
    Array m = count.add(1.0).mul(prob).floor();
    Array mTail = stirlingTail(m).add(stirlingTail(count.sub(m)));
    Array mTerm = m.add(0.5).mul(m.add(1.0).div(r.mul(count.sub(m).add(1.0))).log());
    Array init0 = Array.scalar(prob.dtype(), -1).broadcastTo(shape);
    Btrs init = new Btrs(Array.scalar(DType.I32, 0), init0, Array.scalar(DType.BOOL, 0).broadcastTo(shape), key);
    Btrs end = Lax.whileLoop(
        s -> s.accepted().not().any().and(s.i().lt(MAX_ITERS)),
        s -> {
          List<Key> keys = sampler.split(s.key(), 3);
          Array u = sampler.uniform(keys.get(1), shape, prob.dtype(), 0, 1).sub(0.5);
          Array v = sampler.uniform(keys.get(2), shape, prob.dtype(), 0, 1);
          Array us = u.abs().rsub(0.5);
          Array accept1 = us.ge(0.07).and(v.le(vR));
          Array k = fma(a.mul(2.0).div(us).add(b), u, c).floor();
          Array reject = k.lt(0.0).or(k.gt(count));
          Array logV = v.mul(alpha).div(a.div(us.mul(us)).add(b)).log();
          Array nMinusK1 = count.sub(k).add(1.0);
          Array ub = mTerm
              .add(count.add(1.0).mul(count.sub(m).add(1.0).div(nMinusK1).log()))
              .add(k.add(0.5).mul(r.mul(nMinusK1).div(k.add(1.0)).log()))
              .add(mTail)
              .sub(stirlingTail(k))
              .sub(stirlingTail(count.sub(k)));
          Array accept = accept1.or(reject.not().and(logV.le(ub)));
          return new Btrs(s.i().add(1), Array.where(accept, k, s.k()), s.accepted().or(accept), keys.get(0));
        },
        init);
    return end.k().astype(dtype);
  }

  /**
   * {@code _stirling_approx_tail(k)}: the table for {@code k <= 9}, else the series
   * {@code (1/12 - (1/360 - 1/1260/(k+1)^2)/(k+1)^2)/(k+1)}. As in JAX, the series is evaluated at
   * {@code clamp(k, 0, 9)}, so every {@code k > 9} gets the value of {@code k = 9}'s series.
   */
  private static Array stirlingTail(Array k) {
    Array useTable = k.le(9.0);
    Array clamped = k.clip(0, 9);
    Array k1 = clamped.add(1.0);
    Array kp1sq = k1.mul(k1);
    Array approx = Array.scalar(k.dtype(), 1.0 / 12).sub(Array.scalar(k.dtype(), 1.0 / 360)
        .sub(Array.scalar(k.dtype(), 1.0 / 1260).div(kp1sq)).div(kp1sq)).div(k1);
    Array table = Array.of(STIRLING_TAIL).astype(k.dtype());
    Array fromTable = table.take(clamped.floor().astype(DType.I32), 0);
    return Array.where(useTable, fromTable, approx);
  }

  // ---- multinomial ------------------------------------------------------------------------------

  /**
   * JAX's {@code multinomial(key, n, p, shape, dtype)}: counts of {@code n} trials over the
   * categories on {@code p}'s last axis. {@code shape} (null: {@code p}'s) is the whole result
   * shape, categories last, as JAX's code reads it; {@code n} broadcasts to {@code shape[:-1]}.
   */
  Array multinomial(Key key, Array n, Array p, int[] shape, DType dtype) {
    requireCountArguments("multinomial", key, n, p, dtype);
    if (p.ndim() == 0) {
      throw new ShapeError("multinomial: p must have the categories on its last axis, got a scalar; pass an array "
          + "of probabilities such as Array.of(0.2f, 0.3f, 0.5f)");
    }
    int[] out = shape == null ? p.shape() : RandomSampler.requireShape("multinomial", shape);
    if (out.length == 0) {
      throw new ShapeError("multinomial: shape must end with the number of categories (" + p.dim(-1) + "), got []; "
          + "pass the whole result shape, e.g. {batch, " + p.dim(-1) + "}, or null for p's shape");
    }
    int[] batch = java.util.Arrays.copyOf(out, out.length - 1);
    GammaFamily.requireBroadcast("multinomial", "n", n.shape(), batch);
    GammaFamily.requireBroadcast("multinomial", "p", p.shape(), out);
    DType ft = NumpyMath.floatyDtype(DType.promote(n.dtype(), p.dtype())); // promote_dtypes_inexact(n, p)
    Array trials = n.astype(ft).broadcastTo(batch);
    Array probs = p.astype(ft).broadcastTo(out).moveaxis(-1, 0);
    Array remaining = probs.flip(0).cumsum(0).flip(0); // cumsum(p, 0, reverse=True)
    Array ratios = probs.div(Array.where(remaining.eq(0.0), 1.0, remaining));
    List<Key> keyList = sampler.split(key, ratios.dim(0));
    Key keys = new Key(Array.stack(0, keyList.stream().map(Key::keyData).toArray(Array[]::new)));
    Pair<Array, Array> scanned = Lax.scan((Array remainder, Pair<Array, Key> ratioKey) -> {
      Array draws = binomial(ratioKey.second(), remainder, ratioKey.first().clip(0, 1), null, remainder.dtype());
      return Pair.of(remainder.sub(draws), draws);
    }, trials, Pair.of(ratios, keys));
    return scanned.second().moveaxis(0, -1).astype(dtype);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** {@code a * b + c} rounded once, as XLA's contracted multiply-add (see CountSamplers). */
  private static Array fma(Array a, double b, double c) {
    DType dt = a.dtype();
    if (dt == DType.F64) {
      return a.mul(b).add(c); // no wider type to round once in; F64 is JAX's x64 mode, not checked bit for bit
    }
    return a.astype(DType.F64).mul((double) (float) b).add((double) (float) c).astype(dt);
  }

  private static Array fma(Array a, Array b, double c) {
    DType dt = a.dtype();
    if (dt == DType.F64) {
      return a.mul(b).add(c);
    }
    return a.astype(DType.F64).mul(b.astype(DType.F64)).add((double) (float) c).astype(dt);
  }

  private static Array fma(Array a, Array b, Array c) {
    DType dt = a.dtype();
    if (dt == DType.F64) {
      return a.mul(b).add(c);
    }
    return a.astype(DType.F64).mul(b.astype(DType.F64)).add(c.astype(DType.F64)).astype(dt);
  }

  private static Array fma(Array a, double b, Array c) {
    DType dt = a.dtype();
    if (dt == DType.F64) {
      return a.mul(b).add(c);
    }
    return a.astype(DType.F64).mul((double) (float) b).add(c.astype(DType.F64)).astype(dt);
  }
}
