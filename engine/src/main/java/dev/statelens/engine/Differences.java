package dev.statelens.engine;

/**
 * {@code jnp.diff} and {@code jnp.ediff1d}: differences of neighbours along an axis, written as
 * JAX writes them ({@code x[1:] - x[:-1]}, {@code !=} for bool, repeated {@code n} times), so
 * grad, jit and vmap follow from slice and subtract. See docs/arrays.md.
 */
final class Differences {
  private Differences() {}

  /**
   * {@code jnp.diff(x, n, axis, prepend, append)}: the {@code n}-th difference along {@code axis};
   * {@code prepend}/{@code append} (null for none; a scalar is broadcast to one slice) are joined
   * to {@code x} along the axis first.
   */
  static Array diff(Array x, int n, int axis, Array prepend, Array append) {
    if (n < 0) {
      throw new ShapeError("diff: order n must be non-negative, got " + n);
    }
    if (x.ndim() == 0) {
      throw new ShapeError("diff: needs an array of rank >= 1, got a scalar " + x.aval()
          + "; reshape it to [1] (its difference is then empty)");
    }
    if (n == 0) {
      return x;
    }
    int ax = MatrixHelpers.axis("diff", axis, x.ndim());
    if (prepend != null || append != null) {
      java.util.List<Array> parts = new java.util.ArrayList<>();
      if (prepend != null) {
        parts.add(edge(x, prepend, ax));
      }
      parts.add(x);
      if (append != null) {
        parts.add(edge(x, append, ax));
      }
      x = Array.concatenate(ax, parts);
    }
    for (int i = 0; i < n; i++) {
      int len = x.dim(ax);
      Array hi = x.sliceAxis(ax, Math.min(1, len), len);
      Array lo = x.sliceAxis(ax, 0, Math.max(len - 1, 0));
      x = x.dtype() == DType.BOOL ? hi.ne(lo) : hi.sub(lo);
    }
    return x;
  }

  /** A scalar {@code prepend}/{@code append} becomes one slice of {@code x} along the axis (JAX's rule). */
  private static Array edge(Array x, Array e, int axis) {
    if (e.ndim() != 0) {
      return e;
    }
    int[] shape = x.shape().clone();
    shape[axis] = 1;
    return e.broadcastTo(shape);
  }

  /** {@code jnp.ediff1d(x, to_end, to_begin)}: differences of the flattened array, with optional ends. */
  static Array ediff1d(Array x, Array toEnd, Array toBegin) {
    Array flat = x.ravel();
    int len = flat.dim(0);
    Array d = flat.sliceAxis(0, Math.min(1, len), len).sub(flat.sliceAxis(0, 0, Math.max(len - 1, 0)));
    if (toBegin != null) {
      d = Array.concatenate(0, toBegin.ravel(), d);
    }
    if (toEnd != null) {
      d = Array.concatenate(0, d, toEnd.ravel());
    }
    return d;
  }
}
