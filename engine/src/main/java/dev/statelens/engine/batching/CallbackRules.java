package dev.statelens.engine.batching;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.CallbackPrims;
import dev.statelens.engine.ir.HostCallback;
import dev.statelens.engine.ir.Params;
import java.util.ArrayList;
import java.util.List;

/**
 * vmap of the host callbacks, as JAX 0.10.2: {@code debug_callback} and an unordered
 * {@code io_callback} are called once per batch element; {@code pure_callback} follows its
 * {@code vmap_method} (sequential, sequential_unrolled: per element; expand_dims / broadcast_all /
 * legacy_vectorized: one call on the whole batch, unmapped operands given a size-1 or full batch
 * axis, or passed unchanged); an ordered io_callback is refused.
 */
final class CallbackRules {
  private CallbackRules() {}

  static void registerAll() {
    Batching.register(CallbackPrims.DEBUG_CALLBACK, Batching.loop(CallbackPrims.DEBUG_CALLBACK));
    BatchRule ioLoop = Batching.loop(CallbackPrims.IO_CALLBACK);
    Batching.register(CallbackPrims.IO_CALLBACK, (ctx, params, in, out) -> {
      if (params.getBoolean("ordered")) {
        throw new UnsupportedOperationException("io_callback: cannot vmap an ordered io_callback ("
            + CallbackPrims.callback(params) + "): its calls would have no program order across the batch. "
            + "Call it outside vmap, or pass ordered=false (JAX: Cannot `vmap` ordered IO callback.)");
      }
      return ioLoop.apply(ctx, params, in, out);
    });
    BatchRule sequential = Batching.loop(CallbackPrims.PURE_CALLBACK);
    Batching.register(CallbackPrims.PURE_CALLBACK, (ctx, params, in, out) -> {
      Object method = params.get("vmap_method");
      if (method == null) {
        throw new UnsupportedOperationException("pure_callback: vmap of the " + CallbackPrims.callback(params)
            + " needs a vmap_method: pass VmapMethod.SEQUENTIAL (one call per element), EXPAND_DIMS or "
            + "BROADCAST_ALL (one call on the whole batch) to Transforms.pureCallback (JAX: vmap is only "
            + "supported for the pure_callback primitive when vmap_method is one of 'sequential', "
            + "'sequential_unrolled', 'expand_dims', 'broadcast_all', or 'legacy_vectorized'. "
            + "Got vmap_method=None.)");
      }
      return switch ((String) method) {
        case "sequential", "sequential_unrolled" -> sequential.apply(ctx, params, in, out);
        case "expand_dims" -> wholeBatch(ctx, params, in, out, Unmapped.SIZE_ONE_AXIS);
        case "broadcast_all" -> wholeBatch(ctx, params, in, out, Unmapped.FULL_BATCH_AXIS);
        case "legacy_vectorized" -> wholeBatch(ctx, params, in, out, Unmapped.UNCHANGED);
        default -> throw new IllegalArgumentException("pure_callback: unknown vmap_method '" + method + "'");
      };
    });
  }

  /** What a whole-batch call does with an operand that is not mapped. */
  private enum Unmapped { SIZE_ONE_AXIS, FULL_BATCH_AXIS, UNCHANGED }

  /** One call on the whole batch: mapped operands carry the batch on axis 0, results must too. */
  private static List<Batched> wholeBatch(BatchContext ctx, Params params, List<Batched> in, List<Aval> exampleOut,
      Unmapped unmapped) {
    int n = ctx.batchSize();
    Array[] operands = new Array[in.size()];
    for (int i = 0; i < operands.length; i++) {
      Batched x = in.get(i);
      int[] shape = x.exampleAval().shape();
      operands[i] = x.mapped() ? x.value() : switch (unmapped) {
        case FULL_BATCH_AXIS -> Batching.materialize(x, shape, n);
        case SIZE_ONE_AXIS -> x.value().reshape(BatchTrace.prepend(1, shape));
        case UNCHANGED -> x.value();
      };
    }
    List<Aval> batchedResults = new ArrayList<>(exampleOut.size());
    for (Aval a : exampleOut) {
      batchedResults.add(a.withShape(BatchTrace.prepend(n, a.shape())));
    }
    HostCallback cb = CallbackPrims.callback(params);
    HostCallback batched = new HostCallback(cb.site(), batchedResults, cb.fn(), (String) params.get("vmap_method"));
    List<Array> outs = CallbackPrims.PURE_CALLBACK.bind(CallbackPrims.withCallback(params, batched), operands);
    List<Batched> result = new ArrayList<>(outs.size());
    for (Array o : outs) {
      result.add(Batched.mapped(o));
    }
    return result;
  }
}
