package dev.statelens.engine;

/**
 * {@code jax.random.lognormal}, {@code rayleigh}, {@code wald} and {@code triangular}: JAX's
 * {@code _lognormal}/{@code _rayleigh}/{@code _wald}/{@code _triangular} ({@code jax/_src/random/core.py})
 * written over {@link Random#uniform} and {@link Random#normal} with the same keys and the same
 * operations in the same order, for scalar parameters. See docs/prng.md.
 */
final class ContinuousSamplers {
  private ContinuousSamplers() {}

  /** {@code exp(normal(key) * sigma)}. */
  static Array lognormal(Key key, double sigma, int[] shape, DType dtype) {
    requireFloat("lognormal", dtype);
    return Random.normal(key, shape, dtype).mul(Array.scalar(dtype, sigma)).exp();
  }

  /** {@code scale * sqrt(log(u) * -2)}, {@code u = uniform(key)}. */
  static Array rayleigh(Key key, double scale, int[] shape, DType dtype) {
    requireFloat("rayleigh", dtype);
    requirePositive("rayleigh", "scale", scale);
    Array u = Random.uniform(key, shape, dtype);
    return Array.scalar(dtype, scale).mul(u.log().mul(Array.scalar(dtype, -2)).sqrt());
  }

  /**
   * The inverse Gaussian with {@code scale = 1} (Michael, Schucany and Haas, as JAX): {@code v}
   * normal from the first of {@code split(key)}, {@code z} uniform from the second.
   */
  static Array wald(Key key, double mean, int[] shape, DType dtype) {
    requireFloat("wald", dtype);
    requirePositive("wald", "mean", mean);
    Pair<Key, Key> k = Random.split(key);
    Array mu = Array.full(dtype, shape, mean);
    Array v = Random.normal(k.first(), shape, dtype);
    Array z = Random.uniform(k.second(), shape, dtype);
    Array y = v.square();
    Array ySq = y.square();
    Array muSq = mu.square();
    Array sqrtTerm = mu.mul(4.0).mul(y).add(muSq.mul(ySq)).sqrt();
    Array x = mu.add(muSq.mul(y).div(2.0)).sub(mu.div(2.0).mul(sqrtTerm));
    return Array.where(z.le(mu.div(mu.add(x))), x, muSq.div(x));
  }

  /** The inverse CDF on {@code [left, right]} with its peak at {@code mode}. */
  static Array triangular(Key key, double left, double mode, double right, int[] shape, DType dtype) {
    requireFloat("triangular", dtype);
    if (!(left <= mode && mode <= right && left < right)) {
      throw new IllegalArgumentException("Random.triangular: needs left <= mode <= right and left < right, got left="
          + left + ", mode=" + mode + ", right=" + right);
    }
    Array l = Array.full(dtype, shape, left);
    Array r = Array.full(dtype, shape, right);
    Array m = Array.full(dtype, shape, mode);
    Array fc = m.sub(l).div(r.sub(l));
    Array u = Random.uniform(key, shape, dtype);
    Array out1 = l.add(u.mul(r.sub(l)).mul(m.sub(l)).sqrt());
    Array out2 = r.sub(u.rsub(1).mul(r.sub(l)).mul(r.sub(m)).sqrt());
    return Array.where(u.lt(fc), out1, out2);
  }

  /** RandomSampler's check, naming this sampler as {@code Random.<op>}. */
  private static void requireFloat(String op, DType dtype) {
    RandomSampler.requireFloat("Random." + op, dtype);
  }

  private static void requirePositive(String op, String name, double v) {
    if (!(v > 0)) {
      throw new IllegalArgumentException("Random." + op + ": " + name + " must be > 0, got " + v);
    }
  }

  /** {@code rademacher(k2) * gamma(k1, 1/p) ** (1/p)}, {@code k1, k2 = split(key)} (JAX's {@code _generalized_normal}). */
  static Array generalizedNormal(Key key, double p, int[] shape, DType dtype) {
    requireFloat("generalizedNormal", dtype);
    requirePositive("generalizedNormal", "p", p);
    Pair<Key, Key> k = Random.split(key);
    Array g = Random.gamma(k.first(), Array.scalar(dtype, 1 / p), shape, dtype);
    Array r = RandomSampler.PARTITIONABLE.rademacher(k.second(), shape, dtype);
    return r.mul(g.pow(1 / p));
  }
}
