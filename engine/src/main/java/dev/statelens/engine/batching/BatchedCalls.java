package dev.statelens.engine.batching;

import dev.statelens.engine.Array;
import dev.statelens.engine.trace.TraceStack;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a Java function over flat operands batched, for batching rules that must build new Java
 * functions (custom_vjp_call's batched f, fwd and bwd; remat's batched body): the function sees
 * per-example values and every non-null result comes back mapped (batch on axis 0).
 */
public final class BatchedCalls {
  private BatchedCalls() {}

  /**
   * @param name the vmap's name in error messages
   * @param batch the batch size
   * @param in the operands, mapped or not
   * @param fn per-example operands to per-example results (a null result stays null)
   * @return the results, each mapped (broadcast where it did not depend on a mapped operand)
   */
  public static List<Array> call(String name, int batch, List<Batched> in, Function<List<Array>, List<Array>> fn) {
    BatchTrace bt = BatchTrace.pushInternal(name, batch);
    List<Batched> unwrapped = new ArrayList<>();
    try {
      List<Array> wrapped = new ArrayList<>(in.size());
      for (Batched b : in) {
        wrapped.add(bt.wrap(b));
      }
      for (Array a : fn.apply(wrapped)) {
        unwrapped.add(a == null ? null : bt.unwrap(a));
      }
    } finally {
      TraceStack.pop(bt);
    }
    List<Array> result = new ArrayList<>(unwrapped.size());
    for (Batched b : unwrapped) {
      result.add(b == null ? null : Batching.materialize(b, b.exampleAval().shape(), batch));
    }
    return result;
  }
}
