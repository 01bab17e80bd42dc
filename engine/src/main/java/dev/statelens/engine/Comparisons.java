package dev.statelens.engine;

/**
 * {@code jnp.isclose}, {@code array_equal}, {@code isin}, {@code count_nonzero}, {@code ptp} and
 * {@code average}: the metric helpers of evaluation code, as {@code jax/_src/numpy} writes them
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
}
