package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * VJP rules of the functional-update primitives ({@link ArrayPrims}), as JAX defines them:
 * <ul>
 *   <li>{@code scatter} (set): the operand's cotangent is zeroed where an update was written; an
 *       update gets the cotangent at its index only if it was the one written (the last
 *       duplicate; a dropped out-of-bounds update gets zero) — JAX's "scatter ids" trick;
 *   <li>{@code scatter_mul}: linear in the operand ({@code ct} scattered-multiplied by the
 *       updates); an update's cotangent is {@code ct * operand * (the other updates at its
 *       index)} — exact for unique indices, and for duplicates unless the update itself is 0
 *       (JAX refuses non-unique indices here altogether);
 *   <li>{@code scatter_min/max}: the cotangent goes to the operand element and the updates that
 *       equal the result, split evenly on ties (as {@code max}'s rule);
 *   <li>{@code dynamic_slice} and {@code dynamic_update_slice}: each other's transpose.
 * </ul>
 * Indices get no cotangent.
 */
final class ArrayVjps {
  private ArrayVjps() {}

  static void registerAll() {
    Vjp.register(ArrayPrims.SCATTER, (p, in, out, ct, needed) -> {
      Array x = in.get(0);
      Array idx = in.get(1);
      Array u = in.get(2);
      Array g = ct.get(0);
      int axis = p.getInt("axis");
      Array gx = needed[0] ? ArrayPrims.SCATTER.bind1(p, g, idx, Vjp.zeros(u)) : null;
      Array gu = null;
      if (needed[2]) {
        // which update landed at each position: write each update's own id, read it back
        Array ids = updateIds(idx, u.shape(), axis);
        Array landed = ArrayPrims.SCATTER.bind1(p, full(x.shape(), DType.I32, -1), idx, ids);
        Array won = Prims.GATHER.bind1(p, landed, idx).eq(ids);
        gu = Array.where(won, Prims.GATHER.bind1(p, g, idx), 0.0);
      }
      return Arrays.asList(gx, null, gu);
    });
    Vjp.register(ArrayPrims.SCATTER_MUL, (p, in, out, ct, needed) -> {
      Array x = in.get(0);
      Array idx = in.get(1);
      Array u = in.get(2);
      Array g = ct.get(0);
      Array gx = needed[0] ? ArrayPrims.SCATTER_MUL.bind1(p, g, idx, u) : null;
      Array gu = null;
      if (needed[2]) {
        int axis = p.getInt("axis");
        // d/du_j of x[k] * prod_i u_i (the updates landing at k) is x[k] times the product of the
        // others, computed without dividing by a zero: the non-zero updates' product over u_j where
        // no zero landed at k; that product itself for the only zero at k; 0 where another zero is
        Array ok = inBounds(idx, x.dim(axis), u.shape(), axis);
        Array isZero = u.eq(0);
        Array nonzero = ArrayPrims.SCATTER_MUL.bind1(p, Array.onesLike(x), idx, Array.where(isZero, 1.0, u));
        Array zeros = Prims.SCATTER_ADD.bind1(p, Array.zerosLike(x), idx,
            isZero.logicalAnd(ok).astype(x.dtype())); // scatter_add clamps: count the in-bounds zeros only
        Array nonzeroAt = Prims.GATHER.bind1(p, nonzero, idx);
        Array zerosAt = Prims.GATHER.bind1(p, zeros, idx);
        Array others = Array.where(isZero, Array.where(zerosAt.eq(1), nonzeroAt, 0.0),
            Array.where(zerosAt.gt(0), 0.0, nonzeroAt.div(u)));
        Array at = Prims.GATHER.bind1(p, g.mul(x), idx).mul(others);
        gu = Array.where(ok, at, 0.0);
      }
      return Arrays.asList(gx, null, gu);
    });
    registerScansAndSort();
    registerTopK();
    Vjp.register(ArrayPrims.SCATTER_MIN, ArrayVjps::extremal);
    Vjp.register(ArrayPrims.SCATTER_MAX, ArrayVjps::extremal);

    Vjp.register(ArrayPrims.DYNAMIC_SLICE, (p, in, out, ct, needed) -> {
      List<Array> r = new ArrayList<>();
      Array[] args = new Array[in.size() + 1];
      args[0] = Vjp.zeros(in.get(0));
      args[1] = ct.get(0);
      for (int i = 1; i < in.size(); i++) {
        args[i + 1] = in.get(i);
        r.add(null);
      }
      r.add(0, needed[0] ? ArrayPrims.DYNAMIC_UPDATE_SLICE.bind1(Params.EMPTY, args) : null);
      return r;
    });
    Vjp.register(ArrayPrims.DYNAMIC_UPDATE_SLICE, (p, in, out, ct, needed) -> {
      Array g = ct.get(0);
      Array u = in.get(1);
      List<Array> starts = in.subList(2, in.size());
      List<Array> r = new ArrayList<>();
      if (needed[0]) {
        List<Array> args = new ArrayList<>(List.of(g, Vjp.zeros(u)));
        args.addAll(starts);
        r.add(ArrayPrims.DYNAMIC_UPDATE_SLICE.bind1(Params.EMPTY, args.toArray(Array[]::new)));
      } else {
        r.add(null);
      }
      if (needed[1]) {
        List<Array> args = new ArrayList<>(List.of(g));
        args.addAll(starts);
        r.add(ArrayPrims.DYNAMIC_SLICE.bind1(Params.of("slice_sizes", u.shape()), args.toArray(Array[]::new)));
      } else {
        r.add(null);
      }
      starts.forEach(s -> r.add(null));
      return r;
    });
  }

  /** cumsum's transpose is the cumulative sum the other way; cumprod and sort below. */
  static void registerScansAndSort() {
    Vjp.register(ArrayPrims.CUMSUM, (p, in, out, ct, needed) ->
        Arrays.asList(ArrayPrims.CUMSUM.bind1(p.with("reverse", !p.getBoolean("reverse")), ct.get(0))));
    Vjp.register(ArrayPrims.CUMPROD, ArrayVjps::cumprod);
    Vjp.register(ArrayPrims.CUMMAX, (p, in, out, ct, needed) -> cumulativeExtremal(Array::maximum, p, in, ct));
    Vjp.register(ArrayPrims.CUMMIN, (p, in, out, ct, needed) -> cumulativeExtremal(Array::minimum, p, in, ct));
    Vjp.register(ArrayPrims.SORT, (p, in, out, ct, needed) -> {
      int dim = p.getInt("dimension");
      Array keys = in.get(0);
      Array iota = Prims.IOTA.bind1(Params.of("dtype", DType.I32, "shape", keys.shape(), "dimension", dim));
      Array perm = ArrayPrims.SORT.bind(p, keys, iota).get(1);  // sorted[i] = x[perm[i]]
      Array inverse = ArrayPrims.SORT.bind(p, perm, iota).get(1); // x[j] = sorted[inverse[j]]
      List<Array> r = new ArrayList<>();
      for (int k = 0; k < in.size(); k++) {
        r.add(needed[k] && in.get(k).dtype().isFloating() ? ct.get(k).takeAlongAxis(inverse, dim) : null);
      }
      return r;
    });
  }

  /**
   * {@code top_k}: the values' cotangent goes back to the selected positions (JAX's JVP gathers
   * the tangent at the indices; this is its transpose): one {@code scatter_add} of the
   * [lines, k] cotangent into the flat [lines * n] zeros at {@code line * n + index}.
   */
  static void registerTopK() {
    Vjp.register(ArrayPrims.TOP_K, (p, in, out, ct, needed) -> {
      Array x = in.get(0);
      if (!needed[0] || !x.dtype().isFloating()) {
        return Arrays.asList((Array) null);
      }
      int n = x.dim(x.ndim() - 1);
      int k = p.getInt("k");
      int lines = x.size() / Math.max(n, 1);
      if (n == 0 || k == 0) {
        return Arrays.asList(Array.zeros(x.dtype(), x.shape()));
      }
      Array lineStart = Prims.IOTA.bind1(Params.of("dtype", DType.I32, "shape", new int[] {lines, k}, "dimension", 0))
          .mul(n);
      Array at = out.get(1).reshape(lines, k).add(lineStart);
      Array zeros = Array.zeros(x.dtype(), lines * n);
      Array dx = Prims.SCATTER_ADD.bind1(Params.of("axis", 0), zeros, at, ct.get(0).reshape(lines, k));
      return Arrays.asList(dx.reshape(x.shape()));
    });
  }

  /**
   * d/dx_i of y_j = prod_{k<=j} x_k (in scan order) is the product of the others, computed
   * without dividing by a zero: before the first zero of a line it is {@code y_j / x_i}; at the
   * first zero it is the running product with that zero replaced by 1; after it, 0.
   */
  private static List<Array> cumprod(Params p, List<Array> in, List<Array> out, List<Array> ct, boolean[] needed) {
    Array x = in.get(0);
    Array y = out.get(0);
    Array g = ct.get(0);
    boolean reverse = p.getBoolean("reverse");
    Params back = p.with("reverse", !reverse);
    Array zeros = ArrayPrims.CUMSUM.bind1(p, x.eq(0).astype(DType.I32)); // zeros seen so far
    Array before = zeros.eq(0);
    Array atFirst = x.eq(0).logicalAnd(zeros.eq(1));
    Array beforeTerm = ArrayPrims.CUMSUM.bind1(back, g.mul(y)).div(Array.where(before, x, 1.0));
    Array withoutFirstZero = ArrayPrims.CUMPROD.bind1(p, Array.where(atFirst, 1.0, x));
    Array atTerm = ArrayPrims.CUMSUM.bind1(back, g.mul(withoutFirstZero));
    return Arrays.asList(Array.where(before, beforeTerm, Array.where(atFirst, atTerm, 0.0)));
  }

  /**
   * cummax/cummin as JAX differentiates them: the VJP of the associative scan of max/min
   * ({@code _cumulative_jvp_rule}), so ties split the gradient as lax.max does (1/2 each).
   */
  private static List<Array> cumulativeExtremal(java.util.function.BinaryOperator<Array> op, Params p, List<Array> in,
      List<Array> ct) {
    Array x = in.get(0);
    if (!x.dtype().isInexact() || x.size() == 0) {
      return Arrays.asList(x.dtype().isInexact() ? ct.get(0) : null);
    }
    int axis = p.getInt("axis");
    boolean reverse = p.getBoolean("reverse");
    Array dx = Derivatives.vjp("cummax/cummin", (Array v) -> dev.statelens.engine.Lax.associativeScan(op::apply, v,
        reverse, axis), x).pullback(ct.get(0));
    return Arrays.asList(dx);
  }

  /** scatter_min/max: to every input equal to the result, split evenly among them. */
  private static List<Array> extremal(Params p, List<Array> in, List<Array> out, List<Array> ct, boolean[] needed) {
    Array x = in.get(0);
    Array idx = in.get(1);
    Array u = in.get(2);
    Array y = out.get(0);
    Array g = ct.get(0);
    int axis = p.getInt("axis");
    Array xWins = x.eq(y).astype(x.dtype());
    Array uWins = u.eq(Prims.GATHER.bind1(p, y, idx))
        .logicalAnd(inBounds(idx, x.dim(axis), u.shape(), axis)).astype(u.dtype());
    // dropped updates are 0 here, so scatter_add's clamping adds nothing for them
    Array count = xWins.add(Prims.SCATTER_ADD.bind1(p, Vjp.zeros(x), idx, uWins));
    Array share = g.div(Array.where(count.eq(0), 1.0, count));
    return Arrays.asList(
        needed[0] ? share.mul(xWins) : null,
        null,
        needed[2] ? Prims.GATHER.bind1(p, share, idx).mul(uWins) : null);
  }

  /** Each update element's index position {@code j} (its flat position in {@code indices}), i32. */
  private static Array updateIds(Array idx, int[] updShape, int axis) {
    int m = idx.size();
    Array ids = Array.arange(m).reshape(idx.shape());
    return broadcastIndexShaped(ids, updShape, axis);
  }

  /** True for update elements whose index lies in {@code [0, n)} (the ones a scatter applies). */
  static Array inBounds(Array idx, int n, int[] updShape, int axis) {
    Array ok = idx.dtype() == DType.U32 ? idx.lt(Array.scalar(DType.U32, n))
        : idx.ge(0).logicalAnd(idx.lt(n));
    return broadcastIndexShaped(ok, updShape, axis);
  }

  /** An array of the indices' shape, broadcast to the updates' shape (indices at {@code axis}). */
  private static Array broadcastIndexShaped(Array a, int[] updShape, int axis) {
    int[] dims = new int[a.ndim()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = axis + i;
    }
    return Prims.BROADCAST_IN_DIM.bind1(Params.of("shape", updShape, "broadcast_dimensions", dims), a);
  }

  private static Array full(int[] shape, DType dtype, double v) {
    return Prims.BROADCAST_IN_DIM.bind1(Params.of("shape", shape, "broadcast_dimensions", new int[0]),
        Array.scalar(dtype, v));
  }
}
