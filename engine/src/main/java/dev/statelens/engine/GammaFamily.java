package dev.statelens.engine;

import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * JAX's gamma sampler and the samplers built on it ({@code loggamma}, {@code beta},
 * {@code dirichlet}, {@code chisquare}, {@code t}, {@code f}), op for op as
 * {@code jax/_src/random.py} draws them, so the same key gives JAX's values (docs/prng.md, "The
 * gamma family").
 *
 * <p>JAX's {@code random_gamma} splits the key into one key per element and runs
 * {@code _gamma_one} under {@code vmap}: Marsaglia–Tsang rejection with its own key splits inside
 * two nested {@code while_loop}s, and the {@code a < 1} boost {@code Gamma(a) = Gamma(a + 1) *
 * U^(1/a)}. Here the same: {@link #gammaOne} on one key and one {@code a} with
 * {@link Lax#whileLoop}, vmapped over the per-element keys, so it runs eagerly, under jit and
 * under vmap, on every backend that runs while loops.
 */
final class GammaFamily {

  private final RandomSampler sampler;

  GammaFamily(RandomSampler sampler) {
    this.sampler = sampler;
  }

  // ---- gamma, loggamma --------------------------------------------------------------------------

  /**
   * {@code jax.random.gamma(key, a, shape, dtype)} ({@code logSpace} false) or
   * {@code jax.random.loggamma} (true). {@code shape} null means {@code a}'s shape; otherwise
   * {@code a} must broadcast to exactly {@code shape}.
   */
  Array gamma(String function, Key key, Array a, int[] shape, DType dtype, boolean logSpace) {
    RandomSampler.requireKey(key, function);
    RandomSampler.requireFloat(function, dtype);
    int[] out = drawShape(function, "a", a, shape);
    requirePositive(function, "a", a);
    Array alphas = a.astype(dtype).broadcastTo(out);
    return gammaImpl(key, alphas, logSpace);
  }

  /**
   * {@code _gamma_impl}: {@code split(key, size)} then {@code vmap(_gamma_one)} over the keys and
   * the flattened {@code a} (JAX lowers {@code random_gamma} with {@code use_vmap=True}).
   */
  Array gammaImpl(Key key, Array alphas, boolean logSpace) {
    int n = alphas.size();
    if (n == 0) {
      return Array.zeros(alphas.dtype(), alphas.shape());
    }
    BiFunction<Array, Array, Array> draw = (keyData, a) -> {
      Array keys = sampler.splitData(new Key(keyData), n);
      return Transforms.vmap((Array k, Array alpha) -> gammaOne(new Key(k), alpha, logSpace))
          .apply(keys, a.reshape(n)).reshape(a.shape());
    };
    if (alphas.isConcrete()) {
      return draw.apply(key.keyData(), alphas);
    }
    // traced a (jit, vmap, grad): JAX's JVP of random_gamma, tangent * _gamma_grad(sample, a), transposed;
    // the key data is an integer leaf, whose cotangent CustomVjp zeroes whatever bwd returns
    return Transforms.customVjp(draw, (k, a) -> {
      Array sample = draw.apply(k, a);
      return Pair.of(sample, Pair.of(k, Pair.of(a, sample)));
    }, (Pair<Array, Pair<Array, Array>> res, Array ct) ->
        Pair.of(res.first(), ct.mul(gammaGrad(res.second().second(), res.second().first(), logSpace))))
        .apply(key.keyData(), alphas);
  }

  /**
   * JAX's {@code _gamma_grad(sample, a, log_space)}: the derivative of a draw in its shape with the
   * draw's uniforms held fixed, {@code random_gamma_grad(a, sample)} (implicit reparameterization,
   * docs/special.md); in log space {@code d log(x) = dx / x}, with {@code x = exp(log x)} raised to
   * the dtype's smallest normal where it rounded to 0.
   */
  static Array gammaGrad(Array sample, Array a, boolean logSpace) {
    if (!logSpace) {
      return Prims.RANDOM_GAMMA_GRAD.bind1(Params.EMPTY, a, sample);
    }
    Array x = sample.exp();
    x = Array.where(x.eq(0), Array.scalar(x.dtype(), RandomSampler.tiny(a.dtype())), x);
    return Prims.RANDOM_GAMMA_GRAD.bind1(Params.EMPTY, a, x).div(x);
  }

  /** The rejection loop's state: JAX's {@code (key, X, V, U)}. */
  record Trial(Key key, Array xSquared, Array v, Array u) {}

  /** The inner loop's state: JAX's {@code (key, x, v)}, redrawn while {@code v <= 0}. */
  record Candidate(Key key, Array x, Array v) {}

  /**
   * {@code _gamma_one(key, alpha, log_space)} for one key and a scalar {@code alpha}.
   * Marsaglia & Tsang (2000): {@code d = a - 1/3}, {@code c = 1 / sqrt(9 d)}; draw
   * {@code x ~ N(0, 1)} until {@code v = (1 + c x)^3 > 0}, accept when {@code U < 1 - 0.0331 X^2}
   * or {@code log U < X/2 + d (1 - V + log V)} with {@code X = x^2}; the boost uses
   * {@code 1 - uniform} (JAX's order of draws and operations, which decide the values).
   */
  private Array gammaOne(Key key, Array alpha, boolean logSpace) {
    DType dtype = alpha.dtype();
    int[] scalar = new int[0];
    Array zero = Array.scalar(dtype, 0);
    Array one = Array.scalar(dtype, 1);
    Array boostMask = alpha.ge(one);
    Array boosted = Array.where(boostMask, alpha, alpha.add(one));
    Array d = boosted.sub(1.0 / 3.0);
    // JAX writes (1/3) / sqrt(d); XLA's simplifier rewrites A / sqrt(B) as A * rsqrt(B)
    Array c = d.rsqrt().mul(1.0 / 3.0);
    List<Key> first = sampler.split(key, 2);
    Key subkey = first.get(1);
    Trial start = new Trial(first.get(0), zero, one, Array.scalar(dtype, 2));
    Trial end = Lax.whileLoop(t -> rejected(t, d), t -> {
      List<Key> keys = sampler.split(t.key(), 3);
      Candidate init = new Candidate(keys.get(1), zero, Array.scalar(dtype, -1));
      Candidate x = Lax.whileLoop(cand -> cand.v().le(zero), cand -> {
        List<Key> kk = sampler.split(cand.key(), 2);
        Array z = sampler.normal(kk.get(1), scalar, dtype);
        return new Candidate(kk.get(0), z, fma(z, c, one));
      }, init);
      Array xx = x.x().mul(x.x());
      Array vvv = x.v().mul(x.v()).mul(x.v());
      Array u = sampler.uniform(keys.get(2), scalar, dtype, 0, 1);
      return new Trial(keys.get(0), xx, vvv, u);
    }, start);
    Array v = end.v();
    if (logSpace) {
      Array logSamples = sampler.exponential(subkey, scalar, dtype).neg();
      Array logBoost = Array.where(boostMask.or(logSamples.eq(zero)), zero, logSamples.mul(one.div(alpha)));
      return d.log().add(v.log()).add(logBoost);
    }
    Array samples = sampler.uniform(subkey, scalar, dtype, 0, 1).rsub(1);
    Array boost = Array.where(boostMask, one, samples.pow(one.div(alpha)));
    return d.mul(v).mul(boost);
  }

  /**
   * JAX's {@code _cond_fn}: keep drawing while {@code U >= 1 - 0.0331 X^2} and
   * {@code log U >= X/2 + d (1 - V + log V)} (the initial {@code (0, 1, 2)} always enters).
   */
  private static Array rejected(Trial t, Array d) {
    // 1 - 0.0331 X^2 with the multiply fused into the subtraction, as XLA's CPU code computes it
    Array squeeze = fma(t.xSquared().mul(t.xSquared()), Array.scalar(d.dtype(), -0.0331), Array.scalar(d.dtype(), 1));
    Array first = t.u().ge(squeeze);
    Array rhs = t.xSquared().mul(0.5).add(d.mul(t.v().rsub(1).add(t.v().log())));
    return first.and(t.u().log().ge(rhs));
  }

  /**
   * {@code a * b + c} rounded once, as XLA's CPU code contracts it (LLVM fuses the multiply into
   * the add). For F32 through F64: the product of two floats is exact there, so only the sum
   * rounds twice (53 then 24 bits), which differs from one rounding with probability below
   * 2^-28. F64 rounds the product and the sum separately (no wider type; see docs/prng.md).
   */
  private static Array fma(Array a, Array b, Array c) {
    if (a.dtype() != DType.F32) {
      return a.mul(b).add(c);
    }
    return a.astype(DType.F64).mul(b.astype(DType.F64)).add(c.astype(DType.F64)).astype(DType.F32);
  }

  // ---- samplers built on gamma ---------------------------------------------------------------

  /**
   * {@code jax.random.beta}: {@code key_a, key_b = split(key)}, log-gammas of {@code a} and
   * {@code b}, and {@code ga / (ga + gb)} from {@code exp(log_g - max)} so that small values do
   * not underflow.
   */
  Array beta(Key key, Array a, Array b, int[] shape, DType dtype) {
    RandomSampler.requireKey(key, "beta");
    Objects.requireNonNull(a, "beta: a is null");
    Objects.requireNonNull(b, "beta: b is null");
    RandomSampler.requireFloat("beta", dtype);
    int[] out = shape == null ? Array.broadcastShapes("beta", a.shape(), b.shape()) : RandomSampler.requireShape("beta", shape);
    requireBroadcast("beta", "a", a.shape(), out);
    requireBroadcast("beta", "b", b.shape(), out);
    requirePositive("beta", "a", a);
    requirePositive("beta", "b", b);
    List<Key> keys = sampler.split(key, 2);
    Array logA = gammaImpl(keys.get(0), a.astype(dtype).broadcastTo(out), true);
    Array logB = gammaImpl(keys.get(1), b.astype(dtype).broadcastTo(out), true);
    Array logMax = logA.max(logB);
    Array scaledA = logA.sub(logMax).exp();
    Array scaledB = logB.sub(logMax).exp();
    return scaledA.div(scaledA.add(scaledB));
  }

  /**
   * {@code jax.random.dirichlet}: log-gammas of {@code alpha} (its last axis holds the
   * concentrations) for {@code shape + alpha.shape[-1:]}, then a softmax over the last axis.
   */
  Array dirichlet(Key key, Array alpha, int[] shape, DType dtype) {
    RandomSampler.requireKey(key, "dirichlet");
    Objects.requireNonNull(alpha, "dirichlet: alpha is null");
    RandomSampler.requireFloat("dirichlet", dtype);
    if (alpha.ndim() < 1) {
      throw new ShapeError("dirichlet: alpha must have at least one axis (the concentrations of the categories), "
          + "got a scalar; pass a 1-D array such as Array.of(1f, 1f, 1f)");
    }
    int[] batch = Arrays.copyOf(alpha.shape(), alpha.ndim() - 1);
    int[] out = shape == null ? batch : RandomSampler.requireShape("dirichlet", shape);
    requireBroadcast("dirichlet", "alpha's batch shape (alpha.shape[:-1])", batch, out);
    requirePositive("dirichlet", "alpha", alpha);
    int[] full = Arrays.copyOf(out, out.length + 1);
    full[out.length] = alpha.dim(alpha.ndim() - 1);
    Array logGamma = gammaImpl(key, alpha.astype(dtype).broadcastTo(full), true);
    return Nn.softmax(logGamma, -1);
  }

  /** {@code jax.random.chisquare}: {@code 2 exp(loggamma(key, df / 2))}. */
  Array chisquare(Key key, Array df, int[] shape, DType dtype) {
    RandomSampler.requireKey(key, "chisquare");
    RandomSampler.requireFloat("chisquare", dtype);
    int[] out = drawShape("chisquare", "df", df, shape);
    requirePositive("chisquare", "df", df);
    return chisquareUnchecked(key, df.astype(dtype), out);
  }

  private Array chisquareUnchecked(Key key, Array df, int[] out) {
    Array halfDf = df.div(2);
    return gammaImpl(key, halfDf.broadcastTo(out), true).exp().mul(2);
  }

  /**
   * {@code jax.random.t}: {@code key_n, key_g = split(key)}, {@code n = normal(key_n)},
   * {@code g = gamma(key_g, df / 2)}, {@code n * sqrt((df / 2) / g)}.
   */
  Array t(Key key, Array df, int[] shape, DType dtype) {
    RandomSampler.requireKey(key, "t");
    RandomSampler.requireFloat("t", dtype);
    int[] out = drawShape("t", "df", df, shape);
    requirePositive("t", "df", df);
    List<Key> keys = sampler.split(key, 2);
    Array n = sampler.normal(keys.get(0), out, dtype);
    Array halfDf = df.astype(dtype).div(2);
    Array g = gammaImpl(keys.get(1), halfDf.broadcastTo(out), false);
    return n.mul(halfDf.div(g).sqrt());
  }

  /**
   * {@code jax.random.f}: {@code key_dfd, key_dfn = split(key)}, two chi-squares,
   * {@code (chi2_num / dfnum) / (chi2_den / dfden)}.
   */
  Array f(Key key, Array dfnum, Array dfden, int[] shape, DType dtype) {
    RandomSampler.requireKey(key, "f");
    Objects.requireNonNull(dfnum, "f: dfnum is null");
    Objects.requireNonNull(dfden, "f: dfden is null");
    RandomSampler.requireFloat("f", dtype);
    int[] out = shape == null ? Array.broadcastShapes("f", dfnum.shape(), dfden.shape())
        : RandomSampler.requireShape("f", shape);
    requireBroadcast("f", "dfnum", dfnum.shape(), out);
    requireBroadcast("f", "dfden", dfden.shape(), out);
    requirePositive("f", "dfnum", dfnum);
    requirePositive("f", "dfden", dfden);
    Array num = dfnum.astype(dtype);
    Array den = dfden.astype(dtype);
    List<Key> keys = sampler.split(key, 2);
    Array chiNum = chisquareUnchecked(keys.get(1), num, out);
    Array chiDen = chisquareUnchecked(keys.get(0), den, out);
    return chiNum.div(num).div(chiDen.div(den));
  }

  // ---- argument checks --------------------------------------------------------------------------

  /**
   * The shape a sampler draws with one parameter {@code name}: {@code shape}, or the parameter's
   * own when null; the parameter must be non-null and broadcast to it.
   */
  static int[] drawShape(String function, String name, Array param, int[] shape) {
    Objects.requireNonNull(param, () -> function + ": " + name + " is null");
    int[] out = shape == null ? param.shape() : RandomSampler.requireShape(function, shape);
    requireBroadcast(function, name, param.shape(), out);
    return out;
  }

  /** JAX's {@code _check_shape}: the parameter's shape must broadcast to exactly {@code shape}. */
  static void requireBroadcast(String function, String name, int[] param, int[] shape) {
    if (!Array.canBroadcastTo(param, shape)) {
      throw new ShapeError(function + ": " + name + " of shape " + ShapeError.format(param)
          + " does not broadcast to shape " + ShapeError.format(shape) + "; pass a shape that "
          + name + "'s shape broadcasts to (or null for " + name + "'s own shape)");
    }
  }

  /**
   * A concrete parameter must be positive everywhere (JAX does not check and returns NaN or 0);
   * a traced one cannot be checked and gives JAX's values.
   */
  static void requirePositive(String function, String name, Array p) {
    if (!p.isConcrete()) {
      return;
    }
    double[] values = p.toDoubleArray(); // no astype: under jit that would stage a traced op
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] > 0)) {
        throw new IllegalArgumentException(function + ": " + name + " must be > 0 everywhere, got " + values[i]
            + (values.length > 1 ? " at flat index " + i + " of " + name + " " + Arrays.toString(p.shape()) : "")
            + "; " + name + " is the distribution's shape parameter (for a scale, multiply the samples instead)");
      }
    }
  }
}
