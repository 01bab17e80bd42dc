package dev.statelens.engine;

import java.util.function.Function;

/**
 * {@code jax.scipy.stats.gaussian_kde}: a Gaussian kernel density estimate of {@code dataset}
 * ({@code [d, n]}: n points of d dimensions; a 1-D array is one dimension), composed as JAX
 * 0.10.2's {@code jax/_src/scipy/stats/kde.py}. A record, so it is a pytree with JAX's leaves in
 * JAX's order ({@code neff, dataset, weights, covariance, invCov}) and passes through
 * {@code jit}/{@code vmap}/{@code grad} like any other state.
 *
 * <pre>{@code
 * GaussianKde kde = GaussianKde.of(samples);                 // Scott's rule, equal weights
 * Array density = kde.evaluate(Array.of(-1f, 0f, 2f));
 * Array mass = kde.integrateBox1d(Array.scalar(-1f), Array.scalar(1f));
 * }</pre>
 */
public record GaussianKde(Array neff, Array dataset, Array weights, Array covariance, Array invCov) {

  /** {@code gaussian_kde(dataset)}: Scott's bandwidth, equal weights. */
  public static GaussianKde of(Array dataset) {
    return of(dataset, "scott", null);
  }

  /**
   * {@code gaussian_kde(dataset, bw_method, weights)}: {@code bwMethod} "scott" (null too:
   * {@code neff^(-1/(d+4))}) or "silverman" ({@code (neff (d+2) / 4)^(-1/(d+4))}); weights
   * (null: equal) are normalized to sum 1.
   */
  public static GaussianKde of(Array dataset, String bwMethod, Array weights) {
    String method = bwMethod == null ? "scott" : bwMethod;
    return build(dataset, weights, partial -> switch (method) {
      case "scott" -> partial.neff.pow(-1.0 / (partial.d() + 4));
      case "silverman" -> partial.neff.mul(partial.d() + 2).div(4.0).pow(-1.0 / (partial.d() + 4));
      default -> throw new IllegalArgumentException("gaussian_kde: `bw_method` should be 'scott', 'silverman', "
          + "a scalar, or a callable; got \"" + method + "\" (pass a number for a fixed factor)");
    });
  }

  /** {@code gaussian_kde(dataset, bw_method=factor, weights)}: a fixed bandwidth factor. */
  public static GaussianKde of(Array dataset, double factor, Array weights) {
    return build(dataset, weights, partial -> Array.scalar(partial.dataset.dtype(), factor));
  }

  /**
   * {@code gaussian_kde(dataset, bw_method=callable, weights)}: the factor computed from the
   * estimate under construction (its {@code neff}, {@code dataset}, {@code weights}, {@code d()},
   * {@code n()}; covariance and invCov are still null), as JAX calls {@code bw_method(self)}.
   */
  public static GaussianKde of(Array dataset, Function<GaussianKde, Array> bwMethod, Array weights) {
    return build(dataset, weights, bwMethod);
  }

  private static GaussianKde build(Array dataset, Array weights, Function<GaussianKde, Array> factorRule) {
    if (dataset.dtype().isComplex()) {
      throw new UnsupportedOperationException("gaussian_kde does not support complex data (dataset is "
          + dataset.dtype() + "); pass the real and imaginary parts as two dimensions");
    }
    Array data = dataset.atleast2d();
    if (data.size() <= 1) {
      throw new IllegalArgumentException("gaussian_kde: `dataset` input should have multiple elements; got shape "
          + data.aval().shapeString());
    }
    int n = data.dim(1);
    Array w;
    if (weights != null) {
      Array[] p = NumpyMath.promoteDtypesInexact(data, weights);
      data = p[0];
      w = p[1].atleast1d();
      w = w.div(w.sum());
      if (w.ndim() != 1) {
        throw new ShapeError("gaussian_kde: `weights` input should be one-dimensional; got shape "
            + w.aval().shapeString());
      }
      if (w.dim(0) != n) {
        throw new ShapeError("gaussian_kde: `weights` input should be of length n = " + n + " (the dataset's "
            + "points are its columns); got " + w.dim(0));
      }
    } else {
      data = NumpyMath.floaty(data);
      w = Array.full(data.dtype(), new int[] {n}, 1.0 / n);
    }
    Array neff = w.square().sum().rdiv(1);
    Array factor = factorRule.apply(new GaussianKde(neff, data, w, null, null));
    Array dataCovariance = Array.cov(data, null, true, false, null, null, w).atleast2d();
    Array dataInverse = Linalg.inv(dataCovariance);
    Array factorSquared = factor.square();
    return new GaussianKde(neff, data, w, dataCovariance.mul(factorSquared), dataInverse.div(factorSquared));
  }

  /** The number of dimensions, {@code dataset.shape[0]}. */
  public int d() {
    return dataset.dim(0);
  }

  /** The number of points, {@code dataset.shape[1]}. */
  public int n() {
    return dataset.dim(1);
  }

  /**
   * The density at {@code points} ({@code [d, m]}, or {@code [m]} when d = 1, or {@code [d]}:
   * one point): {@code sum_j w_j N(x; x_j, covariance)}, shape {@code [m]}.
   */
  public Array evaluate(Array points) {
    return kernelEval(false, points);
  }

  /** Same as {@link #evaluate}. */
  public Array pdf(Array points) {
    return evaluate(points);
  }

  /** {@code log(evaluate(points))} as a {@code logsumexp} over the data points: finite far in the tails. */
  public Array logpdf(Array points) {
    return kernelEval(true, points);
  }

  /** The mass between the scalars {@code low} and {@code high} (d = 1 only): {@code sum_j w_j (ndtr(high') - ndtr(low'))}. */
  public Array integrateBox1d(Array low, Array high) {
    if (d() != 1) {
      throw new IllegalArgumentException("gaussian_kde.integrate_box_1d() only handles 1D pdfs; this one has d = "
          + d() + " (integrate_box in more dimensions is not supported by JAX either)");
    }
    if (low.ndim() != 0 || high.ndim() != 0) {
      throw new ShapeError("gaussian_kde.integrate_box_1d: the limits of integration must be scalars; got "
          + low.aval().shapeString() + " and " + high.aval().shapeString());
    }
    Array sigma = covariance.sqrt().squeeze();
    Array lo = low.sub(dataset).div(sigma).squeeze();
    Array hi = high.sub(dataset).div(sigma).squeeze();
    return weights.mul(Special.ndtr(hi).sub(Special.ndtr(lo))).sum();
  }

  /** The integral of this density times the Gaussian {@code N(mean, cov)} ({@code mean [d]}, {@code cov [d, d]}). */
  public Array integrateGaussian(Array mean, Array cov) {
    Array m = mean.squeeze().atleast1d();
    Array c = cov.atleast2d();
    if (m.ndim() != 1 || m.dim(0) != d()) {
      throw new ShapeError("gaussian_kde.integrate_gaussian: mean does not have dimension " + d() + "; got shape "
          + mean.aval().shapeString());
    }
    if (c.ndim() != 2 || c.dim(0) != d() || c.dim(1) != d()) {
      throw new ShapeError("gaussian_kde.integrate_gaussian: covariance does not have dimension " + d() + "x" + d()
          + "; got shape " + cov.aval().shapeString());
    }
    Array chol = Linalg.cholesky(covariance.add(c));
    Array norm = convolutionNorm(chol);
    return kernelConvolve(chol, norm, dataset, weights, m.reshape(d(), 1)).reshape();
  }

  /** The integral of the product of this density and {@code other} (same d). */
  public Array integrateKde(GaussianKde other) {
    if (other.d() != d()) {
      throw new ShapeError("gaussian_kde.integrate_kde: KDEs are not the same dimensionality (" + d() + " and "
          + other.d() + ")");
    }
    Array chol = Linalg.cholesky(covariance.add(other.covariance));
    Array norm = convolutionNorm(chol);
    GaussianKde small = n() < other.n() ? this : other;
    GaussianKde large = n() < other.n() ? other : this;
    Array perPoint = kernelConvolve(chol, norm, large.dataset, large.weights, small.dataset);
    return perPoint.mul(small.weights).sum();
  }

  /**
   * {@code resample(key, shape)}: {@code dataset[:, choice(k1, n, shape, p=weights)] +
   * multivariate_normal(k2, 0, covariance, shape).T} with {@code (k1, k2) = split(key)}, JAX's
   * draws bit for bit; shape {@code [d] + shape} (for a rank-1 shape).
   */
  public Array resample(Key key, int... shape) {
    Pair<Key, Key> keys = Random.split(key);
    Array index = Random.choice(keys.first(), n(), shape, true, weights);
    Array zeros = Array.zeros(covariance.dtype(), d());
    Array eps = Random.multivariateNormal(keys.second(), zeros, covariance, shape, dataset.dtype(), "cholesky");
    return dataset.take(index, 1).add(eps.transpose());
  }

  /** JAX's {@code _reshape_points}: {@code atleast_2d}, and a row of d numbers is one point. */
  private Array reshapePoints(Array points) {
    if (points.dtype().isComplex()) {
      throw new UnsupportedOperationException("gaussian_kde does not support complex coordinates");
    }
    Array p = points.atleast2d();
    if (p.ndim() != 2) {
      throw new ShapeError("gaussian_kde: points must be [d, m] (d = " + d() + "); got shape "
          + points.aval().shapeString());
    }
    if (p.dim(0) != d()) {
      if (p.dim(0) == 1 && p.dim(1) == d()) {
        return p.reshape(d(), 1);
      }
      throw new ShapeError("gaussian_kde: points have dimension " + p.dim(0) + ", dataset has dimension " + d()
          + "; pass points as [d, m]");
    }
    return p;
  }

  /**
   * JAX's {@code _gaussian_kernel_eval}: whiten data and points by the Cholesky factor of the
   * precision, then per point {@code log_norm - |x_j - x|^2 / 2}, summed (or logsumexp'd) over j.
   */
  private Array kernelEval(boolean inLog, Array points) {
    Array xi = reshapePoints(points).transpose();
    Array[] p = NumpyMath.promoteDtypesInexact(dataset.transpose(), weights, xi, invCov);
    Array whitening = Linalg.cholesky(p[3]);
    Array train = p[0].matmul(whitening);
    Array test = p[2].matmul(whitening);
    DType dt = train.dtype();
    Array logNorm = whitening.diagonal().log().sum().sub(Array.scalar(dt, 2 * Math.PI).log().mul(0.5 * d()));
    Array squared = train.expandDims(0).sub(test.expandDims(1)).square().sum(-1);   // [m, n]
    Array arg = logNorm.sub(squared.mul(0.5));
    if (inLog) {
      return Special.logsumexp(p[1].log().add(arg), new int[] {1}, null, false);
    }
    return p[1].mul(arg.exp()).sum(1);
  }

  /** {@code 1 / (sqrt(2 pi)^d prod(diag(chol)))}, the normalizer of the convolved Gaussian. */
  private Array convolutionNorm(Array chol) {
    Array root = Array.scalar(chol.dtype(), 2 * Math.PI).sqrt();
    return root.integerPow(d()).mul(chol.diagonal().prod()).rdiv(1);
  }

  /**
   * JAX's {@code _gaussian_kernel_convolve} for each column of {@code means} ({@code [d, k]}):
   * {@code norm sum_j w_j exp(-(x_j - mean)^T C^-1 (x_j - mean) / 2)}, shape {@code [k]}.
   */
  private static Array kernelConvolve(Array chol, Array norm, Array target, Array targetWeights, Array means) {
    int d = target.dim(0);
    int n = target.dim(1);
    int k = means.dim(1);
    Array diff = target.expandDims(2).sub(means.expandDims(1)).reshape(d, n * k);
    Array alpha = Linalg.choSolve(chol, diff);
    Array arg = diff.mul(alpha).sum(0).mul(0.5).reshape(n, k);
    return norm.mul(arg.neg().exp().mul(targetWeights.reshape(n, 1)).sum(0));
  }
}
