package dev.statelens.engine.linalg;

import dev.statelens.engine.Array;
import dev.statelens.engine.batching.Batched;
import dev.statelens.engine.batching.Batching;
import dev.statelens.engine.ir.Primitive;
import java.util.ArrayList;
import java.util.List;

/**
 * vmap of the linalg primitives: they take leading batch axes natively, so the rule only makes
 * every operand mapped (vmap keeps the batch axis in front; an unmapped operand is broadcast, as
 * the primitive wants equal batch axes) and binds the same primitive once.
 */
final class LinalgBatching {
  private LinalgBatching() {}

  static void registerAll() {
    for (Primitive p : LinalgPrims.all()) {
      Batching.register(p, (ctx, params, in, out) -> {
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
}
