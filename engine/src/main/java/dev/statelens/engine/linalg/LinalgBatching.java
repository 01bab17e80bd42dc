package dev.statelens.engine.linalg;

import dev.statelens.engine.Array;
import dev.statelens.engine.batching.Batched;
import dev.statelens.engine.batching.Batching;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import java.util.ArrayList;
import java.util.List;

/**
 * vmap of the linalg primitives: they take leading batch axes natively, so the rule only makes
 * every operand mapped (vmap keeps the batch axis in front; an unmapped operand is broadcast, as
 * the primitive wants equal batch axes) and binds the same primitive once. A triangular solve
 * whose matrix is not batched folds the batch into b's columns instead.
 */
final class LinalgBatching {
  private LinalgBatching() {}

  static void registerAll() {
    for (Primitive p : LinalgPrims.all()) {
      Batching.register(p, (ctx, params, in, out) -> {
        if (p == LinalgPrims.TRIANGULAR_SOLVE && !in.get(0).mapped()) {
          return List.of(Batched.mapped(solveWithSharedA(params, in.get(0).value(), in.get(1).value())));
        }
        Array[] ops = new Array[in.size()];
        for (int i = 0; i < ops.length; i++) {
          Batched b = in.get(i);
          ops[i] = Batching.materialize(b, b.exampleAval().shape(), ctx.batchSize());
        }
        List<Batched> r = new ArrayList<>();
        p.bind(params, ops).forEach(a -> r.add(Batched.mapped(a)));
        return r;
      });
    }
  }

  /**
   * vmap over b only (JAX's rule too): the batch becomes more right-hand sides of one solve
   * instead of copies of a — b {@code [B, ..., m, k]} is solved as {@code [..., m, k*B]} (left
   * side) or {@code [..., B*k, m]} (right side).
   */
  private static Array solveWithSharedA(Params params, Array a, Array b) {
    int r = b.ndim(); // B, batch axes (r - 3 of them), then the two matrix axes
    int nb = r - 3;
    int[] s = b.shape();
    int batch = s[0];
    int rows = s[r - 2];
    int cols = s[r - 1];
    boolean left = params.getBoolean("left_side");
    int[] perm = new int[r];
    int[] flat = new int[nb + 2];
    for (int i = 0; i < nb; i++) {
      perm[i] = i + 1;
      flat[i] = s[i + 1];
    }
    if (left) { // [..., m, k, B]
      perm[nb] = r - 2;
      perm[nb + 1] = r - 1;
      perm[nb + 2] = 0;
      flat[nb] = rows;
      flat[nb + 1] = cols * batch;
    } else {    // [..., B, k, m]
      perm[nb] = 0;
      perm[nb + 1] = r - 2;
      perm[nb + 2] = r - 1;
      flat[nb] = batch * rows;
      flat[nb + 1] = cols;
    }
    Array moved = b.transpose(perm);
    Array x = LinalgPrims.TRIANGULAR_SOLVE.bind1(params, a, moved.reshape(flat)).reshape(moved.shape());
    int[] back = new int[r];
    for (int i = 0; i < r; i++) {
      back[perm[i]] = i;
    }
    return x.transpose(back);
  }
}
