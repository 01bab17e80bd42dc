package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Params;
import java.util.List;

/**
 * The reverse-mode rule of one primitive: given the primal inputs and outputs of an application
 * and the cotangents of its outputs, the cotangents of its inputs.
 *
 * <p>Rules are written with ordinary {@link Array} operations. The reverse pass runs on the trace
 * the primal values live on, so a rule is itself traced under {@code jit} and differentiated
 * again under an outer {@code grad} (grad of grad).
 */
@FunctionalInterface
public interface VjpRule {
  /**
   * @param params the primitive's params
   * @param inputs primal inputs (concrete, or tracers of an enclosing trace)
   * @param outputs primal outputs
   * @param outCts one cotangent per output, never null (zeros where no gradient flowed)
   * @param needed which inputs need a cotangent; a rule may skip the others
   * @return one entry per input: its cotangent (same shape and dtype as the input), or null
   *     for "zero" (not differentiable, or not needed)
   */
  List<Array> apply(Params params, List<Array> inputs, List<Array> outputs, List<Array> outCts,
      boolean[] needed);
}
