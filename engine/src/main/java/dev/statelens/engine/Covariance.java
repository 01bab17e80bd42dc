package dev.statelens.engine;

/**
 * {@code jnp.cov} and {@code jnp.corrcoef}, composed as {@code jax/_src/numpy/lax_numpy.py} does:
 * centre each variable (a row, or a column with {@code rowvar = false}) on its (weighted) mean,
 * {@code X @ (w X)^T / f} with {@code f} the degrees of freedom; corrcoef divides by the standard
 * deviations and clips to {@code [-1, 1]}. Grad, jit and vmap follow from the ops. See docs/arrays.md.
 */
final class Covariance {
  private Covariance() {}

  static Array cov(Array m, Array y, boolean rowvar, boolean bias, Integer ddof, Array fweights, Array aweights) {
    java.util.Objects.requireNonNull(m, "cov: m is null");
    DType dt = NumpyMath.floatyDtype(y == null ? m.dtype() : DType.promote(m.dtype(), y.dtype()));
    if (m.ndim() > 2 || y != null && y.ndim() > 2) {
      throw new ShapeError("cov: m and y may have at most 2 axes (variables x observations), got "
          + m.aval() + (y == null ? "" : " and " + y.aval()) + "; reshape the observations into one axis");
    }
    Array x = m.astype(dt).atleast2d();
    if (!rowvar && m.ndim() != 1) {
      x = x.T();
    }
    if (x.dim(0) == 0) {
      return Array.zeros(dt, 0, 0);
    }
    if (y != null) {
      Array ys = y.astype(dt).atleast2d();
      if (!rowvar && ys.dim(0) != 1) {
        ys = ys.T();
      }
      if (ys.dim(1) != x.dim(1)) {
        throw new ShapeError("cov: m has " + x.dim(1) + " observations per variable and y " + ys.dim(1)
            + " (" + m.aval() + ", " + y.aval() + ", rowvar=" + rowvar + "); pass arrays with the same number of observations");
      }
      x = Array.concatenate(0, x, ys);
    }
    int vars = x.dim(0), n = x.dim(1);
    if (n == 0) {
      return Array.full(dt, vars == 1 ? new int[0] : new int[] {vars, vars}, Double.NaN);
    }
    int dof = ddof == null ? (bias ? 0 : 1) : ddof;
    Array w = null;
    if (fweights != null) {
      requireWeights("fweights", fweights, n);
      if (!fweights.dtype().isInteger()) {
        throw new IllegalArgumentException("cov: fweights must be integers (repeat counts), got " + fweights.aval()
            + "; for real-valued weights use aweights");
      }
      w = fweights.abs();
    }
    Array aw = null;
    if (aweights != null) {
      requireWeights("aweights", aweights, n);
      aw = aweights.abs();
      w = w == null ? aw : w.astype(DType.promote(w.dtype(), aw.dtype())).mul(aw);
    }
    if (w == null) {
      Array centred = x.sub(x.mean(1).reshape(vars, 1));
      return centred.matmul(centred.T()).div(Array.scalar(dt, n - dof)).squeeze();
    }
    Array wf = w.astype(dt);
    Array wRow = wf.reshape(1, n);
    Array wSum = wf.sum();
    Array avg = x.mul(wRow).sum(1).div(wSum);
    Array f = dof == 0 ? wSum
        : aw == null ? wSum.sub(dof)
        : wSum.sub(wf.mul(aw.astype(dt)).sum().mul(dof).div(wSum));
    Array centred = x.sub(avg.reshape(vars, 1));
    return centred.matmul(centred.mul(wRow).T()).div(f).squeeze();
  }

  static Array corrcoef(Array x, Array y, boolean rowvar) {
    Array c = cov(x, y, rowvar, false, null, null, null);
    if (c.ndim() == 0) {
      return c.div(c); // one variable: 1, or NaN for a constant/empty one (as JAX)
    }
    Array stddev = c.diagonal().sqrt();
    int k = stddev.dim(0);
    return c.div(stddev.reshape(k, 1)).div(stddev.reshape(1, k)).clip(-1, 1);
  }

  private static void requireWeights(String name, Array w, int n) {
    if (w.ndim() != 1 || w.dim(0) != n) {
      throw new ShapeError("cov: " + name + " must be 1-d with one weight per observation (" + n + "), got "
          + w.aval());
    }
  }
}
