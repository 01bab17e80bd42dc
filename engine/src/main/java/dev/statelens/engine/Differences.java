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

  /**
   * {@code jnp.gradient(f, h, axis=axis)} along one axis: central differences inside
   * ({@code (f[2:] - f[:-2]) * 0.5 / h}), one-sided at both ends; {@code spacing} is a scalar
   * step or a 1-d array of coordinates along the axis (then JAX's second-order formula for uneven
   * steps). As JAX, {@code edge_order} 1 only.
   */
  static Array gradient(Array f, int axis, Array spacing) {
    DType dt = NumpyMath.floatyDtype(DType.promote(f.dtype(), spacing.dtype()));
    Array a = f.astype(dt);
    Array h = spacing.astype(dt);
    int ax = axis < 0 ? axis + a.ndim() : axis;
    if (ax < 0 || ax >= a.ndim()) {
      throw new ShapeError("gradient: axis " + axis + " is out of range for " + f.aval());
    }
    int n = a.dim(ax);
    if (n < 2) {
      throw new ShapeError("gradient: axis " + axis + " of " + f.aval() + " has " + n + " element(s); a numerical "
          + "gradient needs at least 2 samples along it");
    }
    Array upper = a.sliceAxis(ax, 1, 2).sub(a.sliceAxis(ax, 0, 1));
    Array lower = a.sliceAxis(ax, n - 1, n).sub(a.sliceAxis(ax, n - 2, n - 1));
    Array inner;
    if (h.ndim() == 0) {
      inner = a.sliceAxis(ax, 2, n).sub(a.sliceAxis(ax, 0, n - 2)).mul(0.5).div(h);
      upper = upper.div(h);
      lower = lower.div(h);
    } else if (h.ndim() == 1) {
      if (h.dim(0) != n) {
        throw new ShapeError("gradient: the coordinates " + spacing.aval() + " must have one value per sample along "
            + "axis " + axis + " (" + n + ")");
      }
      int[] hs = new int[a.ndim()];
      java.util.Arrays.fill(hs, 1);
      hs[ax] = n;
      Array x = h.reshape(hs);
      upper = upper.div(x.sliceAxis(ax, 1, 2).sub(x.sliceAxis(ax, 0, 1)));
      lower = lower.div(x.sliceAxis(ax, n - 1, n).sub(x.sliceAxis(ax, n - 2, n - 1)));
      Array dx1 = x.sliceAxis(ax, 1, n - 1).sub(x.sliceAxis(ax, 0, n - 2));
      Array dx2 = x.sliceAxis(ax, 2, n).sub(x.sliceAxis(ax, 1, n - 1));
      Array ca = dx2.neg().div(dx1.mul(dx1.add(dx2)));
      Array cb = dx2.sub(dx1).div(dx1.mul(dx2));
      Array cc = dx1.div(dx2.mul(dx1.add(dx2)));
      inner = ca.mul(a.sliceAxis(ax, 0, n - 2)).add(cb.mul(a.sliceAxis(ax, 1, n - 1))).add(cc.mul(a.sliceAxis(ax, 2, n)));
    } else {
      throw new ShapeError("gradient: spacing must be a scalar step or 1-d coordinates, got " + spacing.aval());
    }
    return Array.concatenate(ax, upper, inner, lower);
  }
}
