package dev.statelens.engine;

/**
 * {@code jnp.linalg.lstsq} as JAX writes it ({@code jax/_src/numpy/linalg.py}, {@code _lstsq}):
 * {@code x = V diag(1/s) U^T b} over the singular values kept by the {@code rcond} cutoff, from
 * {@link Linalg#svd}. Its gradient is the SVD's, as in JAX (which has no custom rule either).
 */
final class LeastSquares {
  private LeastSquares() {}

  static Linalg.Lstsq lstsq(Array a, Array b, Double rcond) {
    if (a.ndim() != 2) {
      throw new ShapeError("Linalg.lstsq: a must be a matrix [m, n], got " + a.aval()
          + "; for a batch, vmap over the leading axis");
    }
    if (b.ndim() != 1 && b.ndim() != 2) {
      throw new ShapeError("Linalg.lstsq: b must be [m] or [m, k], got " + b.aval());
    }
    if (a.dim(0) != b.dim(0)) {
      throw new ShapeError("Linalg.lstsq: a " + a.aval() + " and b " + b.aval() + " need the same number of rows "
          + "(equations); got " + a.dim(0) + " and " + b.dim(0));
    }
    DType dt = DType.promote(NumpyMath.floatyDtype(a.dtype()), NumpyMath.floatyDtype(b.dtype()));
    Array af = a.astype(dt);
    Array bf = b.ndim() == 1 ? b.astype(dt).reshape(b.dim(0), 1) : b.astype(dt);
    int m = a.dim(0);
    int n = a.dim(1);
    Array x;
    Array s;
    Array rank;
    if (a.size() == 0) {
      s = Array.zeros(dt, 0);
      rank = Array.scalar(DType.I32, 0);
      x = Array.zeros(dt, n, bf.dim(1));
    } else {
      double eps = RandomSampler.eps(dt); // finfo(dt).eps
      double cutoff = rcond == null ? eps * Math.max(n, m) : rcond < 0 ? eps : rcond;
      Linalg.Svd usv = Linalg.svd(af);
      s = usv.s();
      Array mask = s.gt(0).logicalAnd(s.ge(Array.scalar(s.dtype(), cutoff).mul(s.sliceAxis(0, 0, 1))));
      rank = mask.astype(DType.I32).sum();
      Array safe = Array.where(mask, s, 1.0);
      Array sInv = Array.where(mask, safe.reciprocal(), 0.0).reshape(-1, 1);
      Array uTb = usv.u().transpose().matmul(bf);
      x = usv.vh().transpose().matmul(sInv.mul(uTb));
    }
    Array residuals = bf.sub(af.matmul(x)).square().sum(0).sqrt().square();
    if (b.ndim() == 1) {
      x = x.ravel();
    }
    return new Linalg.Lstsq(x, residuals, rank, s);
  }
}
