package dev.statelens.engine.batching;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import java.util.List;

/**
 * How a primitive runs on batched operands (JAX's batching rule). At least one input is mapped.
 * A rule binds primitives on the unwrapped values (they go to the traces below the vmap) and
 * returns one {@link Batched} per output: mapped outputs carry the batch on axis 0.
 */
@FunctionalInterface
public interface BatchRule {

  /**
   * @param ctx the batch size and the enclosing vmap (to run sub-graphs batched)
   * @param params the equation's params
   * @param inputs the operands, mapped or not
   * @param exampleOut the per-example output avals (already shape-checked)
   */
  List<Batched> apply(BatchContext ctx, Params params, List<Batched> inputs, List<Aval> exampleOut);
}
