package dev.statelens.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * JAX's vector- and matrix-valued samplers: {@code multivariate_normal}, {@code orthogonal} and
 * {@code ball}, op for op as {@code jax/_src/random.py} draws them. The random parts are the
 * same bits as JAX's; the linear algebra (Cholesky, eigh, SVD, QR) is the engine's
 * {@link Linalg}, which agrees with LAPACK to a few ulps, not bit for bit (docs/prng.md).
 */
final class VectorSamplers {

  private final RandomSampler sampler;
  private final GammaFamily gamma;

  VectorSamplers(RandomSampler sampler, GammaFamily gamma) {
    this.sampler = sampler;
    this.gamma = gamma;
  }

  /**
   * {@code multivariate_normal(key, mean, cov, shape, dtype, method)}: {@code mean + factor @ z}
   * with {@code z = normal(key, shape + mean.shape[-1:])} and {@code factor} the Cholesky factor
   * ("cholesky"), {@code v sqrt(w)} of {@code eigh} ("eigh") or {@code u sqrt(s)} of {@code svd}
   * ("svd") of {@code cov}.
   */
  Array multivariateNormal(Key key, Array mean, Array cov, int[] shape, DType dtype, String method) {
    RandomSampler.requireKey(key, "multivariateNormal");
    Objects.requireNonNull(mean, "multivariateNormal: mean is null");
    Objects.requireNonNull(cov, "multivariateNormal: cov is null");
    RandomSampler.requireFloat("multivariateNormal", dtype);
    String m = method == null ? "cholesky" : method;
    if (!m.equals("cholesky") && !m.equals("eigh") && !m.equals("svd")) {
      throw new IllegalArgumentException("multivariateNormal: method must be \"cholesky\", \"eigh\" or \"svd\", got \""
          + method + "\" (eigh and svd also take a positive semi-definite cov)");
    }
    if (mean.ndim() < 1) {
      throw new ShapeError("multivariateNormal: mean must have at least one axis (the n dimensions), got a scalar; "
          + "pass a 1-D array of n means");
    }
    int n = mean.dim(mean.ndim() - 1);
    if (cov.ndim() < 2 || cov.dim(cov.ndim() - 1) != n || cov.dim(cov.ndim() - 2) != n) {
      throw new ShapeError("multivariateNormal: cov must have shape [..., " + n + ", " + n + "] for a mean of "
          + n + " dimensions, got " + ShapeError.format(cov.shape()) + "; pass the n x n covariance matrix");
    }
    int[] meanBatch = Arrays.copyOf(mean.shape(), mean.ndim() - 1);
    int[] covBatch = Arrays.copyOf(cov.shape(), cov.ndim() - 2);
    int[] out;
    if (shape == null) {
      out = Array.broadcastShapes("multivariateNormal", meanBatch, covBatch);
    } else {
      out = RandomSampler.requireShape("multivariateNormal", shape);
      GammaFamily.requireBroadcast("multivariateNormal", "mean's batch shape (mean.shape[:-1])", meanBatch, out);
      GammaFamily.requireBroadcast("multivariateNormal", "cov's batch shape (cov.shape[:-2])", covBatch, out);
    }
    Array c = cov.astype(dtype);
    Array factor = switch (m) {
      case "svd" -> {
        Linalg.Svd svd = Linalg.svd(c);
        yield svd.u().mul(svd.s().sqrt().expandDims(svd.s().ndim() - 1));
      }
      case "eigh" -> {
        Linalg.Eigh eigh = Linalg.eigh(c);
        yield eigh.eigenvectors().mul(eigh.eigenvalues().sqrt().expandDims(eigh.eigenvalues().ndim() - 1));
      }
      default -> Linalg.cholesky(c);
    };
    int[] zShape = Arrays.copyOf(out, out.length + 1);
    zShape[out.length] = n;
    Array z = sampler.normal(key, zShape, dtype);
    return mean.astype(dtype).add(Array.einsum("...ij,...j->...i", factor, z));
  }

  /**
   * {@code orthogonal(key, n, shape, dtype, m)}: the QR decomposition of a
   * {@code max(n, m) x min(n, m)} standard normal matrix, {@code q} with its columns' signs fixed
   * by {@code sign(diag(r))} (Haar measure, Mezzadri 2007), transposed when {@code n < m}.
   */
  Array orthogonal(Key key, int n, int m, int[] shape, DType dtype) {
    RandomSampler.requireKey(key, "orthogonal");
    RandomSampler.requireFloat("orthogonal", dtype);
    int[] batch = RandomSampler.requireShape("orthogonal", shape);
    if (n < 0 || m < 0) {
      throw new IllegalArgumentException("orthogonal: n and m must be >= 0, got n=" + n + ", m=" + m);
    }
    int[] zShape = Arrays.copyOf(batch, batch.length + 2);
    zShape[batch.length] = Math.max(n, m);
    zShape[batch.length + 1] = Math.min(n, m);
    Array z = sampler.normal(key, zShape, dtype);
    Linalg.Qr qr = Linalg.qr(z);
    Array d = qr.r().diagonal(0, -2, -1);
    Array x = qr.q().mul(d.sign().expandDims(d.ndim() - 1));
    if (n < m) {
      int rank = x.ndim();
      int[] perm = new int[rank];
      for (int i = 0; i < rank; i++) {
        perm[i] = i;
      }
      perm[rank - 2] = rank - 1;
      perm[rank - 1] = rank - 2;
      return x.transpose(perm);
    }
    return x;
  }

  /**
   * {@code ball(key, d, p, shape, dtype)}: uniform in the unit {@code L_p} ball of dimension
   * {@code d} (Barthe et al. 2005): {@code k1, k2 = split(key)}, {@code g} generalized normal of
   * {@code k1}, {@code e} exponential of {@code k2}, {@code g / (sum |g|^p + e)^(1/p)}.
   */
  Array ball(Key key, int d, double p, int[] shape, DType dtype) {
    RandomSampler.requireKey(key, "ball");
    RandomSampler.requireFloat("ball", dtype);
    int[] batch = RandomSampler.requireShape("ball", shape);
    if (d < 1) {
      throw new IllegalArgumentException("ball: d must be >= 1 (the dimension of the ball), got " + d);
    }
    if (!(p > 0) || Double.isInfinite(p)) {
      throw new IllegalArgumentException("ball: p must be a positive finite number (the L_p norm), got " + p);
    }
    List<Key> keys = sampler.split(key, 2);
    int[] full = Arrays.copyOf(batch, batch.length + 1);
    full[batch.length] = d;
    Array pArr = Array.scalar(dtype, p);
    Array g = generalizedNormal(keys.get(0), pArr, full, dtype);
    Array e = sampler.exponential(keys.get(1), batch, dtype);
    Array norm = g.abs().pow(pArr).sum(batch.length).add(e).pow(pArr.rdiv(1));
    return g.div(norm.expandDims(batch.length));
  }

  /**
   * JAX's {@code generalized_normal(key, p, shape, dtype)}: {@code keys = split(key)},
   * {@code rademacher(keys[1]) * gamma(keys[0], 1/p) ** (1/p)}.
   */
  private Array generalizedNormal(Key key, Array p, int[] shape, DType dtype) {
    List<Key> keys = sampler.split(key, 2);
    Array inv = p.rdiv(1);
    Array g = gamma.gammaImpl(keys.get(0), inv.broadcastTo(shape), false);
    Array r = sampler.rademacher(keys.get(1), shape, dtype);
    return r.mul(g.pow(inv));
  }
}
