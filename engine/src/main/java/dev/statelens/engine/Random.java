package dev.statelens.engine;

import dev.statelens.engine.random.RandomPrimitives;
import java.util.List;
import java.util.Objects;

/**
 * JAX's {@code jax.random} with its default threefry PRNG, bit for bit: {@code Random.key(42)}
 * here and {@code jax.random.key(42)} in JAX give the same key words, the same splits and the
 * same floats (JAX's default {@code jax_threefry_partitionable=True} layout; see
 * {@code docs/prng.md}).
 *
 * <p>State is explicit, as in JAX: every function takes a {@link Key} and never changes it; the
 * same key gives the same numbers, so split a key for every new use:
 *
 * <pre>{@code
 * Key key = Random.key(0);
 * Pair<Key, Key> keys = Random.split(key);       // key, subkey = jax.random.split(key)
 * Array w = Random.normal(keys.second(), 3, 2);  // jax.random.normal(subkey, (3, 2))
 * key = keys.first();
 * }</pre>
 *
 * <p>Every float sampler takes {@code F32}, {@code F64}, {@code BF16} and {@code F16}. As in JAX,
 * bf16 values come from 8 random bits and f16 values from 16, computed in the 16-bit dtype, so
 * {@code normal(key, shape, DType.BF16)} is not {@code normal(key, shape).astype(DType.BF16)}
 * ({@code docs/prng.md}, "16-bit floats").
 *
 * <p>All functions are built from array primitives (plus {@code threefry2x32} and
 * {@code erf_inv}), so they run eagerly and inside {@code Transforms.jit} with traced keys. The
 * same algorithms on plain Java arrays are in {@link dev.statelens.engine.random.HostRandom}.
 */
public final class Random {

  /** The algorithms, in JAX's default (partitionable) threefry layout. */
  private static final RandomSampler SAMPLER = RandomSampler.PARTITIONABLE;
  private static final GammaFamily GAMMA = new GammaFamily(SAMPLER);
  private static final CountSamplers COUNTS = new CountSamplers(SAMPLER);
  private static final VectorSamplers VECTORS = new VectorSamplers(SAMPLER, GAMMA);
  private static final BinomialSamplers BINOMIALS = new BinomialSamplers(SAMPLER);

  private Random() {}

  // ---- keys -------------------------------------------------------------------------------------

  /**
   * {@code jax.random.key(seed)} for a 64-bit seed: words {@code [seed >>> 32, seed & 0xFFFFFFFF]}
   * (JAX with {@code jax_enable_x64} and an int64 seed). Equal to {@link #key(int)} for seeds in
   * {@code [0, 2^31)}.
   */
  public static Key key(long seed) {
    return Key.of((int) (seed >>> 32), (int) seed);
  }

  /** {@code jax.random.key(seed)} for a 32-bit seed: words {@code [0, seed]}, negative ones too. */
  public static Key key(int seed) {
    return Key.of(0, seed);
  }

  /** {@code new_key, subkey = jax.random.split(key)}: two new keys. */
  public static Pair<Key, Key> split(Key key) {
    List<Key> keys = split(key, 2);
    return Pair.of(keys.get(0), keys.get(1));
  }

  /** {@code jax.random.split(key, num)}: {@code num} new keys; key {@code i} is the block {@code (0, i)}. */
  public static List<Key> split(Key key, int num) {
    return SAMPLER.split(key, num);
  }

  /** {@code jax.random.fold_in(key, data)}: the block on counter {@code (0, data)}. */
  public static Key foldIn(Key key, int data) {
    requireKey(key, "foldIn");
    return foldInWord(key, u32(Integer.toUnsignedLong(data)));
  }

  /**
   * {@code jax.random.fold_in(key, data)} with {@code data} an integer scalar array, e.g. the step
   * counter passed into a jitted step (there it is traced, as in JAX; {@link #foldIn(Key, int)}'s
   * Java int would be a constant of the trace). The value is read as uint32, as JAX's
   * {@code jnp.uint32(data)}: a negative i32 wraps, so {@code foldIn(key, Array.scalar(DType.I32, -1))}
   * equals {@code foldIn(key, -1)}.
   */
  public static Key foldIn(Key key, Array data) {
    requireKey(key, "foldIn");
    if (data.ndim() != 0 || !data.dtype().isInteger()) {
      throw new IllegalArgumentException("foldIn: data must be an integer scalar (i32 or u32), got " + data.aval()
          + "; fold in one number at a time, e.g. Array.scalar(DType.I32, step)");
    }
    return foldInWord(key, data.astype(DType.U32));
  }

  /** JAX's {@code threefry_fold_in}: the key hashes the counter block {@code (0, data)}, a U32 scalar. */
  private static Key foldInWord(Key key, Array data) {
    Array[] words = words(key);
    List<Array> block = RandomPrimitives.threefry2x32(words[0], words[1], u32(0), data);
    return new Key(Array.stack(0, block.get(0), block.get(1)));
  }

  /**
   * {@code jax.random.split(key, num)} as JAX returns it, one key array: a {@link Key} of data
   * {@code [num, 2]} holding the keys of {@link #split(Key, int)}, in order. Hand it to
   * {@link Lax#scan} as {@code xs} (each step gets one key, as {@code lax.scan(f, c,
   * jax.random.split(key, n))}) or to {@link Transforms#vmap}.
   */
  public static Key splitStacked(Key key, int num) {
    if (num < 1) {
      throw new IllegalArgumentException("splitStacked: num must be >= 1 (a key array of num keys), got " + num);
    }
    return new Key(SAMPLER.splitData(key, num)); // split's [num, 2] words as they come, not sliced and restacked
  }

  /**
   * {@code jax.random.clone(key)}: the same key. JAX needs it only for its key-reuse checker
   * ({@code jax.experimental.key_reuse}), which StateLens does not have; code ported from JAX keeps
   * its calls, and the draws from a clone equal the draws from the key.
   */
  public static Key clone(Key key) {
    requireKey(key, "clone");
    return new Key(key.keyData());
  }

  /**
   * {@code jax.random.key_data(key)}: the key's U32 words, shape {@code [2]} ({@code [..., 2]} for
   * a batch of keys). Unlike {@link Key#data()} it is an array, so it works inside jit (traced).
   */
  public static Array keyData(Key key) {
    requireKey(key, "keyData");
    return key.keyData();
  }

  /**
   * {@code jax.random.wrap_key_data(data)}: the key with these U32 words, shape {@code [2]}
   * ({@code [..., 2]}: a batch of keys); works on traced data inside jit.
   */
  public static Key wrapKeyData(Array data) {
    java.util.Objects.requireNonNull(data, "wrapKeyData: data is null");
    if (data.dtype() != DType.U32) {
      throw new IllegalArgumentException("wrapKeyData: key data must be U32 (JAX's uint32 key words), got "
          + data.aval() + "; take it from Random.keyData(key), or convert raw words with astype(DType.U32)");
    }
    if (data.ndim() < 1 || data.dim(-1) != 2) {
      throw new ShapeError("wrapKeyData: threefry key data has 2 words on its last axis, got " + data.aval()
          + "; pass shape [2] for one key or [..., 2] for a batch (what Random.keyData returns)");
    }
    return new Key(data);
  }

  // ---- samplers ---------------------------------------------------------------------------------

  /** {@code jax.random.bits(key, shape)}: uniform U32 bits. */
  public static Array bits(Key key, int... shape) {
    return SAMPLER.bits(key, shape);
  }

  /** {@code jax.random.uniform(key, shape)}: F32 in [0, 1). */
  public static Array uniform(Key key, int... shape) {
    return uniform(key, shape, DType.F32, 0, 1);
  }

  /** {@code jax.random.uniform(key, shape, dtype)}: in [0, 1). */
  public static Array uniform(Key key, int[] shape, DType dtype) {
    return uniform(key, shape, dtype, 0, 1);
  }

  /**
   * {@code jax.random.uniform(key, shape, dtype, minval, maxval)}: in {@code [min, max)}. The
   * random mantissa gives {@code u} in [0, 1); the value is {@code max(min, u * (max - min) +
   * min)}, rounded once as XLA's fused multiply-add does (for F32 through an exact F64 product;
   * for F64 with ranges other than [0, 1) the product is rounded first, see docs/prng.md).
   */
  public static Array uniform(Key key, int[] shape, DType dtype, double min, double max) {
    return SAMPLER.uniform(key, shape, dtype, min, max);
  }

  /** {@code jax.random.normal(key, shape)}: standard normal F32. */
  public static Array normal(Key key, int... shape) {
    return normal(key, shape, DType.F32);
  }

  /**
   * {@code jax.random.normal(key, shape, dtype)}: {@code sqrt(2) * erf_inv(u)} with {@code u}
   * uniform in {@code [nextafter(-1, 0), 1)}.
   */
  public static Array normal(Key key, int[] shape, DType dtype) {
    return SAMPLER.normal(key, shape, dtype);
  }

  /** {@code jax.random.bernoulli(key, p, shape)}: BOOL, true with probability {@code p} (a float32). */
  public static Array bernoulli(Key key, double p, int... shape) {
    return uniform(key, shape).lt(p);
  }

  /**
   * {@code jax.random.bernoulli(key, p, shape)} with an array of probabilities (any float dtype, may
   * be traced) broadcast to {@code shape}.
   */
  public static Array bernoulli(Key key, Array p, int... shape) {
    Objects.requireNonNull(p, "p");
    if (!p.dtype().isFloating()) {
      throw new IllegalArgumentException(
          "bernoulli: p must be a float array, got " + p.aval() + "; convert with p.astype(DType.F32)");
    }
    if (!Array.canBroadcastTo(p.shape(), shape)) { // checked first: lt's own error would name lt, not bernoulli
      throw new ShapeError(
          "bernoulli: p of shape " + ShapeError.format(p.shape()) + " does not broadcast to shape "
              + ShapeError.format(shape) + "; its shape must broadcast to exactly that shape");
    }
    return uniform(key, shape, p.dtype()).lt(p);
  }


  /**
   * {@code jax.random.randint(key, shape, minval, maxval)}: I32 in {@code [min, max)}, or
   * {@code min} everywhere when {@code max <= min}. Draws 32 bits from each half of
   * {@code split(key)} and reduces the 64-bit number modulo the span, in wrapping uint32
   * arithmetic exactly as JAX does.
   */
  public static Array randint(Key key, int[] shape, int min, int max) {
    return SAMPLER.randint(key, shape, min, max);
  }

  // ---- more distributions (jax.random.gumbel, exponential, truncated_normal, ...) --------------

  /** {@code jax.random.gumbel(key, shape)}: standard Gumbel F32, {@code -log(-log(u))}. */
  public static Array gumbel(Key key, int... shape) {
    return SAMPLER.gumbel(key, shape, DType.F32);
  }

  /**
   * {@code jax.random.gumbel(key, shape, dtype)} (JAX's default {@code mode="low"}):
   * {@code -log(-log(u))} with {@code u = uniform(key, shape, dtype, finfo(dtype).tiny, 1)}.
   */
  public static Array gumbel(Key key, int[] shape, DType dtype) {
    return SAMPLER.gumbel(key, shape, dtype);
  }

  /** {@code jax.random.exponential(key, shape)}: rate-1 exponential F32. */
  public static Array exponential(Key key, int... shape) {
    return SAMPLER.exponential(key, shape, DType.F32);
  }

  /** {@code jax.random.exponential(key, shape, dtype)}: {@code -log1p(-uniform(key, shape, dtype))}. */
  public static Array exponential(Key key, int[] shape, DType dtype) {
    return SAMPLER.exponential(key, shape, dtype);
  }

  /** {@code jax.random.laplace(key, shape)}: standard Laplace F32. */
  public static Array laplace(Key key, int... shape) {
    return SAMPLER.laplace(key, shape, DType.F32);
  }

  /**
   * {@code jax.random.laplace(key, shape, dtype)}: {@code sign(u) * log1p(-|u|)} with {@code u}
   * uniform in {@code [-1 + epsneg, 1)}.
   */
  public static Array laplace(Key key, int[] shape, DType dtype) {
    return SAMPLER.laplace(key, shape, dtype);
  }

  /** {@code jax.random.logistic(key, shape)}: standard logistic F32. */
  public static Array logistic(Key key, int... shape) {
    return SAMPLER.logistic(key, shape, DType.F32);
  }

  /** {@code jax.random.logistic(key, shape, dtype)}: {@code log(x) - log1p(-x)}, {@code x} uniform in {@code [tiny, 1)}. */
  public static Array logistic(Key key, int[] shape, DType dtype) {
    return SAMPLER.logistic(key, shape, dtype);
  }

  /** {@code jax.random.rademacher(key, shape)}: I32, -1 or 1 with probability 1/2 each. */
  public static Array rademacher(Key key, int... shape) {
    return SAMPLER.rademacher(key, shape, DType.I32);
  }

  /** {@code jax.random.rademacher(key, shape, dtype)}: {@code 2 * bernoulli(key, 0.5, shape) - 1}. */
  public static Array rademacher(Key key, int[] shape, DType dtype) {
    return SAMPLER.rademacher(key, shape, dtype);
  }

  /** {@code jax.random.pareto(key, b, shape)}: F32 on {@code [1, inf)}, density {@code b / x^(b+1)}. */
  public static Array pareto(Key key, double b, int... shape) {
    return SAMPLER.pareto(key, b, shape, DType.F32);
  }

  /** {@code jax.random.pareto(key, b, shape, dtype)}: {@code exp(exponential / b)}. */
  public static Array pareto(Key key, double b, int[] shape, DType dtype) {
    return SAMPLER.pareto(key, b, shape, dtype);
  }

  /**
   * {@code jax.random.weibull_min(key, scale, concentration, shape, dtype)}: the inverse CDF
   * {@code (-log1p(-u))^(1/concentration) * scale}.
   */
  public static Array weibullMin(Key key, double scale, double concentration, int[] shape, DType dtype) {
    return SAMPLER.weibullMin(key, scale, concentration, shape, dtype);
  }

  /** {@code jax.random.maxwell(key, shape, dtype)}: the length of a 3-D standard normal vector. */
  public static Array maxwell(Key key, int[] shape, DType dtype) {
    return SAMPLER.maxwell(key, shape, dtype);
  }

  /**
   * {@code jax.random.double_sided_maxwell(key, loc, scale, shape, dtype)}: a Maxwell magnitude
   * with a random sign, {@code * scale + loc} (scalar {@code loc} and {@code scale}).
   */
  public static Array doubleSidedMaxwell(Key key, double loc, double scale, int[] shape, DType dtype) {
    return SAMPLER.doubleSidedMaxwell(key, loc, scale, shape, dtype);
  }

  /** {@code jax.random.truncated_normal(key, lower, upper, shape)}: F32 in {@code (lower, upper)}. */
  public static Array truncatedNormal(Key key, double lower, double upper, int... shape) {
    return SAMPLER.truncatedNormal(key, lower, upper, shape, DType.F32);
  }

  /**
   * {@code jax.random.truncated_normal(key, lower, upper, shape, dtype)}: a standard normal
   * restricted to the open interval {@code (lower, upper)}, by inverse CDF: {@code u} uniform
   * between {@code erf(lower / sqrt2)} and {@code erf(upper / sqrt2)}, {@code sqrt2 * erf_inv(u)},
   * clipped to the floats just inside the bounds. {@code lower < upper} is required (JAX does
   * not check it and returns clipped nonsense).
   */
  public static Array truncatedNormal(Key key, double lower, double upper, int[] shape, DType dtype) {
    return SAMPLER.truncatedNormal(key, lower, upper, shape, dtype);
  }

  /** {@code jax.random.lognormal(key, sigma, shape, dtype)}: {@code exp(sigma * normal)}. */
  public static Array lognormal(Key key, double sigma, int[] shape, DType dtype) {
    return ContinuousSamplers.lognormal(key, sigma, shape, dtype);
  }

  /** {@code jax.random.rayleigh(key, scale, shape, dtype)}: {@code scale * sqrt(-2 log u)}. */
  public static Array rayleigh(Key key, double scale, int[] shape, DType dtype) {
    return ContinuousSamplers.rayleigh(key, scale, shape, dtype);
  }

  /** {@code jax.random.wald(key, mean, shape, dtype)}: the inverse Gaussian with scale 1. */
  public static Array wald(Key key, double mean, int[] shape, DType dtype) {
    return ContinuousSamplers.wald(key, mean, shape, dtype);
  }

  /** {@code jax.random.triangular(key, left, mode, right, shape, dtype)}. */
  public static Array triangular(Key key, double left, double mode, double right, int[] shape, DType dtype) {
    return ContinuousSamplers.triangular(key, left, mode, right, shape, dtype);
  }

  // ---- the gamma family (jax.random.gamma, loggamma, beta, dirichlet, chisquare, t, f) ----------

  /** {@code jax.random.gamma(key, a, shape)}: F32 standard gamma with shape parameter {@code a > 0}. */
  public static Array gamma(Key key, double a, int... shape) {
    return GAMMA.gamma("gamma", key, Array.scalar(DType.F32, a), shape, DType.F32, false);
  }

  /**
   * {@code jax.random.gamma(key, a, shape, dtype)}: standard gamma (unit scale; multiply by a
   * scale or divide by a rate) with shape parameter {@code a}, an array that broadcasts to
   * {@code shape} ({@code shape} null: {@code a}'s shape). Marsaglia–Tsang rejection with one key
   * per element, as JAX draws it, so the values equal JAX's (docs/prng.md). A concrete {@code a}
   * must be positive; not differentiable with respect to {@code a} (yet).
   */
  public static Array gamma(Key key, Array a, int[] shape, DType dtype) {
    return GAMMA.gamma("gamma", key, a, shape, dtype, false);
  }

  /** {@code jax.random.loggamma(key, a, shape)}: the log of a gamma sample, F32. */
  public static Array loggamma(Key key, double a, int... shape) {
    return GAMMA.gamma("loggamma", key, Array.scalar(DType.F32, a), shape, DType.F32, true);
  }

  /**
   * {@code jax.random.loggamma(key, a, shape, dtype)}: {@code log(gamma)} computed in log space,
   * accurate where {@code gamma} underflows to 0 (small {@code a}); not {@code log(gamma(...))}
   * bit for bit, as in JAX.
   */
  public static Array loggamma(Key key, Array a, int[] shape, DType dtype) {
    return GAMMA.gamma("loggamma", key, a, shape, dtype, true);
  }

  /** {@code jax.random.beta(key, a, b, shape)}: F32 in [0, 1], density proportional to {@code x^(a-1) (1-x)^(b-1)}. */
  public static Array beta(Key key, double a, double b, int... shape) {
    return GAMMA.beta(key, Array.scalar(DType.F32, a), Array.scalar(DType.F32, b), shape, DType.F32);
  }

  /**
   * {@code jax.random.beta(key, a, b, shape, dtype)}: {@code ga / (ga + gb)} of two gamma
   * samples drawn in log space from {@code split(key)} (as JAX); {@code a} and {@code b}
   * broadcast to {@code shape} (null: their broadcast shape).
   */
  public static Array beta(Key key, Array a, Array b, int[] shape, DType dtype) {
    return GAMMA.beta(key, a, b, shape, dtype);
  }

  /**
   * {@code jax.random.dirichlet(key, alpha, shape, dtype)}: points on the simplex, one per
   * element of {@code shape} (null: {@code alpha.shape[:-1]}), each of {@code alpha}'s last
   * dimension; the softmax of log-gamma samples, as JAX.
   */
  public static Array dirichlet(Key key, Array alpha, int[] shape, DType dtype) {
    return GAMMA.dirichlet(key, alpha, shape, dtype);
  }

  /** {@code jax.random.dirichlet(key, alpha)}: F32, one draw per row of {@code alpha}. */
  public static Array dirichlet(Key key, Array alpha) {
    return GAMMA.dirichlet(key, alpha, null, DType.F32);
  }

  /** {@code jax.random.chisquare(key, df, shape)}: F32 chi-square with {@code df} degrees of freedom. */
  public static Array chisquare(Key key, double df, int... shape) {
    return GAMMA.chisquare(key, Array.scalar(DType.F32, df), shape, DType.F32);
  }

  /** {@code jax.random.chisquare(key, df, shape, dtype)}: {@code 2 exp(loggamma(key, df / 2))}. */
  public static Array chisquare(Key key, Array df, int[] shape, DType dtype) {
    return GAMMA.chisquare(key, df, shape, dtype);
  }

  /** {@code jax.random.t(key, df, shape)}: F32 Student's t with {@code df} degrees of freedom. */
  public static Array t(Key key, double df, int... shape) {
    return GAMMA.t(key, Array.scalar(DType.F32, df), shape, DType.F32);
  }

  /** {@code jax.random.t(key, df, shape, dtype)}: {@code normal * sqrt((df/2) / gamma(df/2))}, keys from {@code split(key)}. */
  public static Array t(Key key, Array df, int[] shape, DType dtype) {
    return GAMMA.t(key, df, shape, dtype);
  }

  /** {@code jax.random.f(key, dfnum, dfden, shape)}: F32 F-distribution. */
  public static Array f(Key key, double dfnum, double dfden, int... shape) {
    return GAMMA.f(key, Array.scalar(DType.F32, dfnum), Array.scalar(DType.F32, dfden), shape, DType.F32);
  }

  /** {@code jax.random.f(key, dfnum, dfden, shape, dtype)}: the ratio of two scaled chi-squares, as JAX. */
  public static Array f(Key key, Array dfnum, Array dfden, int[] shape, DType dtype) {
    return GAMMA.f(key, dfnum, dfden, shape, dtype);
  }

  // ---- counts (jax.random.poisson, geometric) and cauchy ----------------------------------------

  /** {@code jax.random.poisson(key, lam, shape)}: I32 Poisson counts with mean {@code lam >= 0}. */
  public static Array poisson(Key key, double lam, int... shape) {
    return COUNTS.poisson(key, Array.scalar(DType.F32, lam), shape, DType.I32);
  }

  /**
   * {@code jax.random.poisson(key, lam, shape, dtype)}: {@code lam} (converted to F32, as JAX)
   * broadcast to {@code shape} (null: its own shape); Knuth's algorithm below 10 and Hörmann's
   * transformed rejection from 10, both as JAX draws them. {@code dtype} is I32.
   */
  public static Array poisson(Key key, Array lam, int[] shape, DType dtype) {
    return COUNTS.poisson(key, lam, shape, dtype);
  }

  /** {@code jax.random.geometric(key, p, shape)}: I32 number of trials up to the first success, {@code >= 1}. */
  public static Array geometric(Key key, double p, int... shape) {
    return COUNTS.geometric(key, Array.scalar(DType.F32, p), shape, DType.I32);
  }

  /** {@code jax.random.geometric(key, p, shape, dtype)}: {@code floor(log(u) / log1p(-p)) + 1}, {@code u} in p's float dtype. */
  public static Array geometric(Key key, Array p, int[] shape, DType dtype) {
    return COUNTS.geometric(key, p, shape, dtype);
  }

  /** {@code jax.random.cauchy(key, shape)}: standard Cauchy F32. */
  public static Array cauchy(Key key, int... shape) {
    return SAMPLER.cauchy(key, shape, DType.F32);
  }

  /** {@code jax.random.cauchy(key, shape, dtype)}: {@code tan(pi (u - 1/2))}, {@code u} uniform in {@code [eps, 1)}. */
  public static Array cauchy(Key key, int[] shape, DType dtype) {
    return SAMPLER.cauchy(key, shape, dtype);
  }

  /**
   * {@code jax.random.binomial(key, n, p)}: F32 counts of successes in {@code n} trials with
   * success probability {@code p} (scalars: one draw).
   */
  public static Array binomial(Key key, double n, double p, int... shape) {
    return BINOMIALS.binomial(key, Array.scalar(DType.F32, n), Array.scalar(DType.F32, p), shape, DType.F32);
  }

  /**
   * {@code jax.random.binomial(key, n, p, shape, dtype)}: {@code n} and {@code p} broadcast to
   * {@code shape} (null: their broadcast shape); float counts in {@code dtype}, as JAX. The
   * geometric-sum inversion where {@code n min(p, 1-p) <= 10}, Hörmann's BTRS elsewhere, both drawn
   * as JAX draws them, so the counts equal JAX's. A NaN or negative {@code n}, or {@code p} outside
   * {@code [0, 1]}, gives NaN (as JAX); an infinite {@code n} gives inf. Not differentiable (no
   * gradient in JAX either).
   */
  public static Array binomial(Key key, Array n, Array p, int[] shape, DType dtype) {
    return BINOMIALS.binomial(key, n, p, shape, dtype);
  }

  /**
   * {@code jax.random.multinomial(key, n, p)}: F32 counts of {@code n} trials over the categories on
   * {@code p}'s last axis (probabilities; each row should sum to 1), shape {@code p.shape}.
   */
  public static Array multinomial(Key key, Array n, Array p) {
    return BINOMIALS.multinomial(key, n, p, null, DType.F32);
  }

  /**
   * {@code jax.random.multinomial(key, n, p, shape=shape, dtype=dtype)}: {@code shape} is the whole
   * result shape with the categories last (as JAX's code reads it), e.g. {@code {4, 3}} for four
   * draws over three categories; {@code n} broadcasts to {@code shape[:-1]}. One binomial per
   * category on what is left, in a scan, keys from {@code split(key, categories)}, as JAX.
   */
  public static Array multinomial(Key key, Array n, Array p, int[] shape, DType dtype) {
    return BINOMIALS.multinomial(key, n, p, shape, dtype);
  }

  /**
   * {@code jax.random.generalized_normal(key, p, shape, dtype)}: density proportional to
   * {@code exp(-|x|^p)}, {@code p > 0} (2: a normal with variance 1/2, 1: Laplace). As JAX:
   * {@code rademacher(k2) * gamma(k1, 1/p) ^ (1/p)} with {@code k1, k2 = split(key)}.
   */
  public static Array generalizedNormal(Key key, double p, int[] shape, DType dtype) {
    return ContinuousSamplers.generalizedNormal(key, p, shape, dtype);
  }

  // ---- vectors and matrices (jax.random.multivariate_normal, orthogonal, ball) -----------------

  /** {@code jax.random.multivariate_normal(key, mean, cov)}: F32, Cholesky method, shape {@code mean.shape}. */
  public static Array multivariateNormal(Key key, Array mean, Array cov) {
    return VECTORS.multivariateNormal(key, mean, cov, null, DType.F32, "cholesky");
  }

  /**
   * {@code jax.random.multivariate_normal(key, mean, cov, shape, dtype, method)}:
   * {@code mean + factor @ normal(key, shape + [n])} with the factor of {@code cov} by
   * {@code method} "cholesky" (JAX's default), "eigh" or "svd" (both also take a positive
   * semi-definite {@code cov}); {@code shape} null is the broadcast of the batch shapes of
   * {@code mean} ({@code [..., n]}) and {@code cov} ({@code [..., n, n]}).
   */
  public static Array multivariateNormal(Key key, Array mean, Array cov, int[] shape, DType dtype, String method) {
    return VECTORS.multivariateNormal(key, mean, cov, shape, dtype, method);
  }

  /** {@code jax.random.orthogonal(key, n)}: an F32 {@code n x n} orthogonal matrix, uniform (Haar) on O(n). */
  public static Array orthogonal(Key key, int n) {
    return VECTORS.orthogonal(key, n, n, new int[0], DType.F32);
  }

  /**
   * {@code jax.random.orthogonal(key, n, shape, dtype, m)}: {@code shape + [n, m]}; for
   * {@code n != m} semi-orthogonal (orthonormal rows when {@code n < m}, columns when
   * {@code n > m}). The sign-fixed QR of a normal matrix, as JAX.
   */
  public static Array orthogonal(Key key, int n, int[] shape, DType dtype, int m) {
    return VECTORS.orthogonal(key, n, m, shape, dtype);
  }

  /** {@code jax.random.ball(key, d)}: an F32 point uniform in the unit Euclidean ball of dimension {@code d}. */
  public static Array ball(Key key, int d) {
    return VECTORS.ball(key, d, 2, new int[0], DType.F32);
  }

  /** {@code jax.random.ball(key, d, p, shape, dtype)}: {@code shape + [d]} points uniform in the unit L_p ball. */
  public static Array ball(Key key, int d, double p, int[] shape, DType dtype) {
    return VECTORS.ball(key, d, p, shape, dtype);
  }

  // ---- discrete: categorical, permutation, choice ---------------------------------------------

  /**
   * {@code jax.random.categorical(key, logits)}: one I32 category per distribution, drawn along
   * the last axis of the unnormalized log-probabilities {@code logits} (the gumbel-max trick:
   * {@code argmax(gumbel + logits)}).
   */
  public static Array categorical(Key key, Array logits) {
    return SAMPLER.categorical(key, logits, -1, null);
  }

  /** {@code jax.random.categorical(key, logits, axis)}: the categories lie along {@code axis}. */
  public static Array categorical(Key key, Array logits, int axis) {
    return SAMPLER.categorical(key, logits, axis, null);
  }

  /**
   * {@code jax.random.categorical(key, logits, axis, shape)}: {@code shape} must broadcast with
   * the logits' batch shape (their shape without {@code axis}) to itself; leading extra
   * dimensions draw several samples per distribution, e.g. {@code shape = {1000}} for 1000 draws
   * from one 1-D {@code logits}.
   */
  public static Array categorical(Key key, Array logits, int axis, int... shape) {
    return SAMPLER.categorical(key, logits, axis, Objects.requireNonNull(shape, "shape"));
  }

  /**
   * {@code jax.random.permutation(key, n)}: the I32 numbers {@code 0..n-1} in random order.
   * Sorts by random 32-bit keys as JAX does (one round up to about 1600 elements, more above),
   * so the order equals JAX's.
   */
  public static Array permutation(Key key, int n) {
    return SAMPLER.permutation(key, n);
  }

  /** {@code jax.random.permutation(key, x)}: {@code x} with its rows (axis 0) in random order. */
  public static Array permutation(Key key, Array x) {
    return SAMPLER.permutation(key, x, 0, false);
  }

  /**
   * {@code jax.random.permutation(key, x, axis, independent)}: {@code x} shuffled along
   * {@code axis}. With {@code independent = false} whole slices move together (one order for the
   * axis); with {@code true} every 1-D line along the axis gets its own order. A rank-0 integer
   * {@code x} means {@code permutation(key, n)} (and needs a concrete value, as in JAX).
   * ({@code jax.random.shuffle}, deprecated in JAX and since removed, is
   * {@code permutation(key, x, axis, true)}.)
   */
  public static Array permutation(Key key, Array x, int axis, boolean independent) {
    return SAMPLER.permutation(key, x, axis, independent);
  }

  /** {@code jax.random.choice(key, n, shape)}: I32 draws from {@code 0..n-1} with replacement. */
  public static Array choice(Key key, int n, int... shape) {
    return SAMPLER.choice(key, Array.scalar(DType.I32, n), shape, true, null, 0);
  }

  /**
   * {@code jax.random.choice(key, n, shape, replace, p)}: I32 draws from {@code 0..n-1}, with or
   * without replacement, uniformly or with probabilities {@code p} (a 1-D array of {@code n}
   * weights, need not sum to 1; null for uniform).
   */
  public static Array choice(Key key, int n, int[] shape, boolean replace, Array p) {
    return SAMPLER.choice(key, Array.scalar(DType.I32, n), shape, replace, p, 0);
  }

  /**
   * {@code jax.random.choice(key, a, shape, replace, p, axis)}: slices of {@code a} along
   * {@code axis}, picked with or without replacement, uniformly ({@code p} null) or with weights
   * {@code p}. The result has {@code a}'s shape with {@code axis} replaced by {@code shape}.
   * Without replacement, more draws than {@code a.shape[axis]} is an error.
   */
  public static Array choice(Key key, Array a, int[] shape, boolean replace, Array p, int axis) {
    return SAMPLER.choice(key, a, shape, replace, p, axis);
  }

  // ---- implementation ---------------------------------------------------------------------------

  private static Array[] words(Key key) {
    return key.words("Random");
  }

  private static Array u32(long value) {
    return Array.scalar(DType.U32, value);
  }

  private static void requireKey(Key key, String function) {
    RandomSampler.requireKey(key, function);
  }
}
