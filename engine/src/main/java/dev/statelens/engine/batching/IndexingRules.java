package dev.statelens.engine.batching;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.List;

/**
 * Batching rules of {@code gather} and {@code scatter_add}. Mapped indices with a mapped operand
 * become one gather/scatter over the operand with its batch folded into the indexed axis
 * ({@code [B, n] -> [B*n]}): each example's indices are clamped to {@code [0, n-1]} first (so the
 * clip semantics stay per example) and shifted by {@code b * n}.
 */
final class IndexingRules {
  private IndexingRules() {}

  static void registerAll() {
    Batching.register(Prims.GATHER, IndexingRules::gather);
    Batching.register(Prims.SCATTER_ADD, IndexingRules::scatterAdd);
  }

  private static List<Batched> gather(BatchContext ctx, Params p, List<Batched> in, List<Aval> out) {
    Batched x = in.get(0);
    Batched idx = in.get(1);
    int axis = p.getInt("axis");
    if (!idx.mapped()) {
      return one(Prims.GATHER.bind1(p.with("axis", axis + 1), x.value(), idx.value()));
    }
    if (!x.mapped()) {
      // the indices' batch axis lands where the indexed axis was
      return one(Batching.moveAxisToFront(Prims.GATHER.bind1(p, x.value(), idx.value()), axis));
    }
    int n = x.exampleAval().dim(axis);
    Array folded = foldBatchInto(x.value(), axis);
    Array r = Prims.GATHER.bind1(p, folded, offsetIndices(idx.value(), n));
    return one(Batching.moveAxisToFront(r, axis));
  }

  private static List<Batched> scatterAdd(BatchContext ctx, Params p, List<Batched> in, List<Aval> out) {
    int axis = p.getInt("axis");
    int batch = ctx.batchSize();
    Batched idx = in.get(1);
    Array x = Batching.materialize(in.get(0), in.get(0).exampleAval().shape(), batch);
    Array upd = Batching.materialize(in.get(2), in.get(2).exampleAval().shape(), batch);
    if (!idx.mapped()) {
      return one(Prims.SCATTER_ADD.bind1(p.with("axis", axis + 1), x, idx.value(), upd));
    }
    int[] shape = x.shape(); // [B, pre..., n, post...]
    int n = shape[axis + 1];
    Array r = Prims.SCATTER_ADD.bind1(p, foldBatchInto(x, axis), offsetIndices(idx.value(), n),
        Batching.moveFrontAxisTo(upd, axis));
    // [pre..., B*n, post...] -> [pre..., B, n, post...] -> batch in front
    int[] unfolded = new int[shape.length];
    System.arraycopy(shape, 1, unfolded, 0, axis);
    unfolded[axis] = shape[0];
    System.arraycopy(shape, axis + 1, unfolded, axis + 1, shape.length - axis - 1);
    return one(Batching.moveAxisToFront(Prims.RESHAPE.bind1(Params.of("new_sizes", unfolded), r), axis));
  }

  /** {@code [B, pre..., n, post...]} as {@code [pre..., B*n, post...]}. */
  private static Array foldBatchInto(Array x, int axis) {
    int[] s = x.shape();
    Array moved = Batching.moveFrontAxisTo(x, axis); // [pre..., B, n, post...]
    int[] folded = new int[s.length - 1];
    System.arraycopy(s, 1, folded, 0, axis);
    folded[axis] = s[0] * s[axis + 1];
    System.arraycopy(s, axis + 2, folded, axis + 1, s.length - axis - 2);
    return Prims.RESHAPE.bind1(Params.of("new_sizes", folded), moved);
  }

  /** Example b's indices, clamped to {@code [0, n-1]}, plus {@code b * n}. */
  private static Array offsetIndices(Array idx, int n) {
    Array clamped = idx.maximum(0).minimum(n - 1);
    int[] s = idx.shape();
    Array base = Prims.IOTA.bind1(Params.of("dtype", idx.dtype(), "shape", s, "dimension", 0)).mul(n);
    return clamped.add(base);
  }

  private static List<Batched> one(Array a) {
    return List.of(Batched.mapped(a));
  }
}
