package dev.statelens.engine;

/**
 * {@code jnp.isclose}, {@code array_equal}, {@code isin}, {@code count_nonzero}, {@code ptp},
 * {@code average}, {@code digitize}, {@code trapezoid}, {@code nanargmax/nanargmin}: the metric helpers of evaluation code, as {@code jax/_src/numpy} writes them
 * (compositions, so jit and vmap follow; {@code average} and {@code ptp} have gradients). See
 * docs/arrays.md.
 */
final class Comparisons {
  private Comparisons() {}

  /**
   * {@code jnp.isclose(a, b, rtol, atol, equal_nan)}: {@code |a - b| <= atol + rtol |b|} in the
   * promoted float dtype; infinities are close only to the same infinity, NaN to nothing (or to
   * NaN with {@code equalNan}). Integers and bools compare exactly.
   */
  static Array isclose(Array a, Array b, double rtol, double atol, boolean equalNan) {
    DType dt = DType.promote(a.dtype(), b.dtype());
    if (!dt.isFloating()) {
      return a.astype(dt).eq(b.astype(dt));
    }
    Array x = a.astype(dt);
    Array y = b.astype(dt);
    Array out = x.sub(y).abs().le(Array.scalar(dt, atol).add(Array.scalar(dt, rtol).mul(y.abs())));
    Array xInf = x.isinf();
    Array yInf = y.isinf();
    out = out.logicalAnd(xInf.logicalOr(yInf).logicalNot());
    out = out.logicalOr(xInf.logicalAnd(yInf).logicalAnd(x.eq(y)));
    Array xNan = x.isnan();
    Array yNan = y.isnan();
    out = out.logicalAnd(xNan.logicalOr(yNan).logicalNot());
    return equalNan ? out.logicalOr(xNan.logicalAnd(yNan)) : out;
  }

  /** {@code jnp.array_equal(a, b, equal_nan)}: a bool scalar, false for different shapes. */
  static Array arrayEqual(Array a, Array b, boolean equalNan) {
    if (!java.util.Arrays.equals(a.shape(), b.shape())) {
      return Array.scalar(DType.BOOL, 0);
    }
    DType dt = DType.promote(a.dtype(), b.dtype());
    Array x = a.astype(dt);
    Array y = b.astype(dt);
    Array eq = x.eq(y);
    if (equalNan && dt.isFloating()) {
      eq = eq.logicalOr(x.isnan().logicalAnd(y.isnan()));
    }
    return eq.all();
  }

  /** {@code jnp.isin(element, test_elements)}: for each element, whether it equals any test element. */
  static Array isin(Array element, Array testElements, boolean invert) {
    DType dt = DType.promote(element.dtype(), testElements.dtype());
    Array flat = testElements.astype(dt).ravel();
    Array found = element.astype(dt).expandDims(element.ndim()).eq(flat).any(element.ndim());
    return invert ? found.logicalNot() : found;
  }

  /** {@code jnp.count_nonzero(a, axis)}: i32 counts of the non-zero elements over {@code axes} (none = all). */
  static Array countNonzero(Array a, int[] axes) {
    Array nonzero = a.dtype() == DType.BOOL ? a : a.ne(Array.scalar(a.dtype(), 0));
    return nonzero.astype(DType.I32).sum(axes);
  }

  /** {@code jnp.ptp(a, axis)}: {@code max - min} over {@code axes} (none = all). */
  static Array ptp(Array a, int[] axes) {
    return a.max(axes).sub(a.min(axes));
  }

  /**
   * {@code jnp.average(a, axis, weights)}: {@code sum(a * w, axis) / sum(w, axis)}; {@code weights}
   * of {@code a}'s shape, or 1-d along {@code axis} (as NumPy). Null weights: the mean.
   */
  static Array average(Array a, Integer axis, Array weights) {
    if (weights == null) {
      return axis == null ? a.mean() : a.mean(axis);
    }
    DType dt = DType.promote(NumpyMath.floatyDtype(a.dtype()), NumpyMath.floatyDtype(weights.dtype()));
    Array x = a.astype(dt);
    Array w = weights.astype(dt);
    if (!java.util.Arrays.equals(w.shape(), x.shape())) {
      if (axis == null) {
        throw new ShapeError("average: weights " + weights.aval() + " differ from a's shape " + a.aval()
            + "; pass an axis (1-d weights along it) or weights of a's shape");
      }
      int ax = MatrixHelpers.axis("average", axis, x.ndim());
      if (w.ndim() != 1 || w.dim(0) != x.dim(ax)) {
        throw new ShapeError("average: 1-d weights must have the length of axis " + axis + " of " + a.aval()
            + " (" + x.dim(ax) + "), got " + weights.aval());
      }
      int[] shape = new int[x.ndim()];
      java.util.Arrays.fill(shape, 1);
      shape[ax] = w.dim(0);
      w = w.reshape(shape).broadcastTo(x.shape());
    }
    return axis == null ? x.mul(w).sum().div(w.sum()) : x.mul(w).sum(axis).div(w.sum(axis));
  }

  /**
   * {@code jnp.digitize(x, bins, right)}: i32 bin indices, {@code searchsorted(bins, x)} with side
   * "right" ("left" when {@code right}); decreasing bins are searched reversed, as JAX.
   */
  static Array digitize(Array x, Array bins, boolean right) {
    if (bins.ndim() != 1) {
      throw new ShapeError("digitize: bins must be 1-d, got " + bins.aval());
    }
    int n = bins.dim(0);
    if (n == 0) {
      return Array.zeros(DType.I32, x.shape());
    }
    String side = right ? "left" : "right";
    DType dt = DType.promote(x.dtype(), bins.dtype());
    Array b = bins.astype(dt);
    Array v = x.astype(dt);
    Array increasing = b.sliceAxis(0, n - 1, n).reshape().ge(b.sliceAxis(0, 0, 1).reshape());
    Array up = Array.searchsorted(b, v, side);
    Array down = Array.searchsorted(b.flip(0), v, side).rsub(n).astype(DType.I32);
    return Array.where(increasing, up, down);
  }

  /**
   * {@code jnp.trapezoid(y, x, dx, axis)}: the trapezoidal rule along {@code axis}, sample points
   * {@code x} (1-d, null for the constant spacing {@code dx}). JAX's two forms: constant spacing
   * {@code dx * (sum(y) - (y[0] + y[-1]) / 2)}, else {@code sum(dx * (y[1:] + y[:-1])) / 2}.
   */
  static Array trapezoid(Array y, Array x, double dx, int axis) {
    if (x != null && x.ndim() != 1) {
      throw new ShapeError("trapezoid: sample points x must be 1-d, got " + x.aval());
    }
    DType dt = NumpyMath.floatyDtype(y.dtype());
    if (x != null) {
      dt = DType.promote(dt, NumpyMath.floatyDtype(x.dtype()));
    }
    Array yf = y.astype(dt);
    Array spacing = x == null ? Array.scalar(dt, dx) : x.astype(dt).diff();
    int ax = MatrixHelpers.axis("trapezoid", axis, yf.ndim());
    Array ym = yf.moveaxis(new int[] {ax}, new int[] {-1});
    int n = ym.dim(ym.ndim() - 1);
    if (x != null && x.dim(0) != n) {
      throw new ShapeError("trapezoid: x has " + x.dim(0) + " points but axis " + axis + " of y " + y.aval()
          + " has " + n);
    }
    Array first = ym.sliceAxis(-1, 0, 1).squeeze(ym.ndim() - 1);
    Array last = ym.sliceAxis(-1, n - 1, n).squeeze(ym.ndim() - 1);
    if (spacing.ndim() == 0 || spacing.dim(0) == 1) {
      Array d = spacing.ndim() == 0 ? spacing : spacing.reshape();
      return d.mul(ym.sum(-1).sub(first.add(last).mul(0.5)));
    }
    return spacing.mul(ym.sliceAxis(-1, 1, n).add(ym.sliceAxis(-1, 0, n - 1))).sum(-1).mul(0.5);
  }

  /** {@code jnp.nanargmax}/{@code nanargmin}: the index ignoring NaNs, -1 where all are NaN. */
  static Array nanArgExtreme(Array a, int axis, boolean max) {
    if (!a.dtype().isFloating()) {
      return max ? a.argmax(axis) : a.argmin(axis);
    }
    Array nan = a.isnan();
    Array filled = Array.where(nan, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, a);
    Array res = max ? filled.argmax(axis) : filled.argmin(axis);
    return Array.where(nan.all(axis), -1, res);
  }
}
