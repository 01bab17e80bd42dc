package dev.statelens.engine.batching;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import java.util.ArrayList;
import java.util.List;

/**
 * Batching rules of the functional-update primitives ({@link ArrayPrims}).
 * <ul>
 *   <li>scatter family: unmapped indices shift the axis by one; mapped indices fold the batch
 *       into the indexed axis ({@code [B, n] -> [B*n]}, as {@code scatter_add}'s rule) with
 *       example b's in-range indices shifted by {@code b * n} and out-of-range ones sent to
 *       {@code B * n}, so they are still dropped and never land in another example;
 *   <li>{@code dynamic_slice}/{@code dynamic_update_slice} with unmapped starts: one more axis,
 *       started at 0 and taken whole. Mapped starts (a different offset per example) run once per
 *       example ({@link Batching#loop}), as JAX would turn them into a gather.
 * </ul>
 */
final class ArrayRules {
  private ArrayRules() {}

  static void registerAll() {
    for (Primitive p : List.of(ArrayPrims.SCATTER, ArrayPrims.SCATTER_MUL, ArrayPrims.SCATTER_MIN,
        ArrayPrims.SCATTER_MAX)) {
      Batching.register(p, (ctx, params, in, out) -> scatter(p, ctx, params, in));
    }
    for (Primitive p : List.of(ArrayPrims.CUMSUM, ArrayPrims.CUMPROD, ArrayPrims.CUMMAX, ArrayPrims.CUMMIN)) {
      Batching.register(p, (ctx, params, in, out) ->
          one(p.bind1(params.with("axis", params.getInt("axis") + 1), in.get(0).value())));
    }
    Batching.register(ArrayPrims.SORT, (ctx, params, in, out) -> {
      Array[] ops = new Array[in.size()];
      for (int i = 0; i < ops.length; i++) {
        ops[i] = Batching.materialize(in.get(i), in.get(i).exampleAval().shape(), ctx.batchSize());
      }
      List<Batched> r = new ArrayList<>();
      ArrayPrims.SORT.bind(params.with("dimension", params.getInt("dimension") + 1), ops)
          .forEach(a -> r.add(Batched.mapped(a)));
      return r;
    });
    // top_k works on the last axis; the batch axis is in front, so it never is the last
    Batching.register(ArrayPrims.TOP_K, (ctx, params, in, out) -> {
      Array x = Batching.materialize(in.get(0), in.get(0).exampleAval().shape(), ctx.batchSize());
      List<Batched> r = new ArrayList<>();
      ArrayPrims.TOP_K.bind(params, x).forEach(a -> r.add(Batched.mapped(a)));
      return r;
    });
    Batching.register(ArrayPrims.DYNAMIC_SLICE, ArrayRules::dynamicSlice);
    Batching.register(ArrayPrims.DYNAMIC_UPDATE_SLICE, ArrayRules::dynamicUpdateSlice);
  }

  private static List<Batched> scatter(Primitive prim, BatchContext ctx, Params p, List<Batched> in) {
    int axis = p.getInt("axis");
    int batch = ctx.batchSize();
    Batched idx = in.get(1);
    Array x = Batching.materialize(in.get(0), in.get(0).exampleAval().shape(), batch);
    Array upd = Batching.materialize(in.get(2), in.get(2).exampleAval().shape(), batch);
    if (!idx.mapped()) {
      return one(prim.bind1(p.with("axis", axis + 1), x, idx.value(), upd));
    }
    int[] shape = x.shape(); // [B, pre..., n, post...]
    int n = shape[axis + 1];
    Array r = prim.bind1(p, foldBatchInto(x, axis), offsetOrDrop(idx.value(), n, batch),
        Batching.moveFrontAxisTo(upd, axis));
    int[] unfolded = new int[shape.length];
    System.arraycopy(shape, 1, unfolded, 0, axis);
    unfolded[axis] = shape[0];
    System.arraycopy(shape, axis + 1, unfolded, axis + 1, shape.length - axis - 1);
    return one(Batching.moveAxisToFront(Prims.RESHAPE.bind1(Params.of("new_sizes", unfolded), r), axis));
  }

  /** {@code [B, pre..., n, post...]} as {@code [pre..., B*n, post...]}. */
  private static Array foldBatchInto(Array x, int axis) {
    int[] s = x.shape();
    Array moved = Batching.moveFrontAxisTo(x, axis);
    int[] folded = new int[s.length - 1];
    System.arraycopy(s, 1, folded, 0, axis);
    folded[axis] = s[0] * s[axis + 1];
    System.arraycopy(s, axis + 2, folded, axis + 1, s.length - axis - 2);
    return Prims.RESHAPE.bind1(Params.of("new_sizes", folded), moved);
  }

  /** Example b's indices in {@code [0, n)} plus {@code b * n}; the others {@code B * n} (dropped). */
  private static Array offsetOrDrop(Array idx, int n, int batch) {
    Array ok = idx.dtype() == DType.U32 ? idx.lt(Array.scalar(DType.U32, n)) : idx.ge(0).logicalAnd(idx.lt(n));
    Array base = Prims.IOTA.bind1(Params.of("dtype", idx.dtype(), "shape", idx.shape(), "dimension", 0)).mul(n);
    return Array.where(ok, idx.add(base), Array.scalar(idx.dtype(), (double) batch * n));
  }

  private static List<Batched> dynamicSlice(BatchContext ctx, Params p, List<Batched> in, List<Aval> out) {
    if (anyStartMapped(in, 1)) {
      return Batching.loop(ArrayPrims.DYNAMIC_SLICE).apply(ctx, p, in, out);
    }
    int[] sizes = p.getInts("slice_sizes");
    List<Array> args = new ArrayList<>();
    args.add(in.get(0).value());
    args.add(Array.scalar(DType.I32, 0));
    in.subList(1, in.size()).forEach(b -> args.add(b.value()));
    return one(ArrayPrims.DYNAMIC_SLICE.bind1(
        Params.of("slice_sizes", BatchTrace.prepend(ctx.batchSize(), sizes)), args.toArray(Array[]::new)));
  }

  private static List<Batched> dynamicUpdateSlice(BatchContext ctx, Params p, List<Batched> in, List<Aval> out) {
    if (anyStartMapped(in, 2)) {
      return Batching.loop(ArrayPrims.DYNAMIC_UPDATE_SLICE).apply(ctx, p, in, out);
    }
    int batch = ctx.batchSize();
    List<Array> args = new ArrayList<>();
    args.add(Batching.materialize(in.get(0), in.get(0).exampleAval().shape(), batch));
    args.add(Batching.materialize(in.get(1), in.get(1).exampleAval().shape(), batch));
    args.add(Array.scalar(DType.I32, 0));
    in.subList(2, in.size()).forEach(b -> args.add(b.value()));
    return one(ArrayPrims.DYNAMIC_UPDATE_SLICE.bind1(Params.EMPTY, args.toArray(Array[]::new)));
  }

  private static boolean anyStartMapped(List<Batched> in, int from) {
    for (int i = from; i < in.size(); i++) {
      if (in.get(i).mapped()) {
        return true;
      }
    }
    return false;
  }

  private static List<Batched> one(Array a) {
    return List.of(Batched.mapped(a));
  }
}
