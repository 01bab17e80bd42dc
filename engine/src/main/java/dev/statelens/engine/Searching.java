package dev.statelens.engine;

import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;

/**
 * {@code lax.top_k} and {@code jnp.searchsorted} as compositions (docs/arrays.md): top-k is one
 * stable {@code sort} of the reversed line, searchsorted an unrolled binary search of
 * {@code bitLength(n)} gather/select steps, O(m log n) as JAX's default "scan" method.
 */
final class Searching {
  private Searching() {}

  /**
   * The k largest along the last axis, descending; equal values by lower index first. A stable
   * ascending sort of the REVERSED line keeps equal values in decreasing index order, so reading
   * its end backwards gives them in increasing index order.
   */
  static Pair<Array, Array> topK(Array x, int k) {
    if (x.ndim() == 0) {
      throw new ShapeError("topK: a rank-0 array has no last axis; reshape(1) it first");
    }
    int axis = x.ndim() - 1;
    int n = x.dim(axis);
    if (k < 0 || k > n) {
      throw new ShapeError("topK: k=" + k + " for a last axis of size " + n + " (shape " + x.aval().shapeString()
          + "); k must be between 0 and " + n);
    }
    Array iota = Prims.IOTA.bind1(Params.of("dtype", DType.I32, "shape", x.shape(), "dimension", axis));
    Array reversedIndex = iota.rsub(n - 1);    // position in x of each element of x.flip(axis)
    var sorted = ArrayPrims.SORT.bind(Params.of("dimension", axis, "is_stable", true, "num_keys", 1),
        x.flip(axis), reversedIndex);
    Array values = sorted.get(0).sliceAxis(axis, n - k, n).flip(axis);
    Array indices = sorted.get(1).sliceAxis(axis, n - k, n).flip(axis);
    return Pair.of(values, indices);
  }

  /**
   * jnp.searchsorted: for each value, the i32 insertion point in the 1-D {@code sorted} that
   * keeps it sorted ("left": before equal elements, "right": after). Floats compare in
   * {@code sort}'s order (NaN last), so a NaN value goes after every number.
   */
  static Array searchsorted(Array sorted, Array values, String side) {
    boolean left = switch (side) {
      case "left" -> true;
      case "right" -> false;
      default -> throw new ShapeError("searchsorted: side \"" + side + "\" is not \"left\" or \"right\"");
    };
    if (sorted.ndim() != 1) {
      throw new ShapeError("searchsorted: the sorted array must be 1-D, got " + sorted.aval().shapeString()
          + "; vmap over rows for a stack of sorted arrays");
    }
    DType dt = DType.promote(sorted.dtype(), values.dtype());
    Array a = sorted.astype(dt);
    Array v = values.astype(dt);
    int n = a.dim(0);
    Array lo = Array.zeros(DType.I32, v.shape());
    if (n == 0) {
      return lo;
    }
    Array hi = Array.full(DType.I32, v.shape(), n);
    int steps = 32 - Integer.numberOfLeadingZeros(n);   // the range [lo, hi] of size n+1 halves each step
    for (int s = 0; s < steps; s++) {
      Array active = lo.lt(hi);
      Array mid = lo.add(hi).shiftRightArithmetic(1);
      Array atMid = a.take(mid);
      // "left": the answer is after mid when sorted[mid] < v; "right": when not v < sorted[mid]
      Array after = left ? less(atMid, v) : less(v, atMid).logicalNot();
      lo = Array.where(active.logicalAnd(after), mid.add(1), lo);
      hi = Array.where(active.logicalAnd(after.logicalNot()), mid, hi);
    }
    return lo;
  }

  /** {@code a < b} in sort's order: for floats NaN is above everything (and equal to NaN). */
  private static Array less(Array a, Array b) {
    if (!a.dtype().isFloating()) {
      return a.lt(b);
    }
    return a.lt(b).logicalOr(b.ne(b).logicalAnd(a.eq(a)));
  }
}
