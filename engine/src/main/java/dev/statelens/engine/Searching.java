package dev.statelens.engine;

import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Params;

/**
 * {@code lax.top_k} (the {@code top_k} primitive) and {@code jnp.searchsorted} (a composition,
 * docs/arrays.md): searchsorted is an unrolled binary search of
 * {@code bitLength(n)} gather/select steps, O(m log n) as JAX's default "scan" method.
 */
final class Searching {
  private Searching() {}

  /**
   * The k largest along the last axis, descending; equal values by lower index first: the
   * {@code top_k} primitive (a per-line selection, see docs/arrays.md).
   */
  static Pair<Array, Array> topK(Array x, int k) {
    if (x.ndim() == 0) {
      throw new ShapeError("topK: a rank-0 array has no last axis; reshape(1) it first");
    }
    int n = x.dim(x.ndim() - 1);
    if (k < 0 || k > n) {
      throw new ShapeError("topK: k=" + k + " for a last axis of size " + n + " (shape " + x.aval().shapeString()
          + "); k must be between 0 and " + n);
    }
    var out = ArrayPrims.TOP_K.bind(Params.of("k", k), x);
    return Pair.of(out.get(0), out.get(1));
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
    if (a.dtype().isComplex()) { // JAX's sort comparator: the real parts, then the imaginary parts
      Array re = a.real();
      Array reB = b.real();
      Array sameRe = re.eq(reB).logicalOr(re.ne(re).logicalAnd(reB.ne(reB)));
      return Array.where(sameRe, less(a.imag(), b.imag()), less(re, reB));
    }
    if (!a.dtype().isFloating()) {
      return a.lt(b);
    }
    return a.lt(b).logicalOr(b.ne(b).logicalAnd(a.eq(a)));
  }
}
