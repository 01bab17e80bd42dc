package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.Tree;
import dev.statelens.engine.batching.Batched;
import dev.statelens.engine.batching.BatchedCalls;
import dev.statelens.engine.batching.Batching;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.trace.JaxprEval;
import dev.statelens.engine.trace.StagingTrace;
import dev.statelens.engine.trace.TraceStack;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code Transforms.checkpoint} (JAX's {@code jax.checkpoint} / remat): the {@code checkpoint}
 * primitive holds the block's jaxpr (captured values first). Under grad only the block's inputs
 * and outputs stay on the tape; its VJP re-runs the block from the inputs under a fresh grad
 * trace and sweeps that. Called with nothing traced it is just the function; under jit it stages
 * {@code checkpoint[jaxpr={...} prevent_cse=True ...]}, which backends inline. (Not to be confused
 * with {@code dev.statelens.engine.checkpoint}, which saves pytrees to disk.)
 */
public final class Remat {
  private Remat() {}

  public static final Primitive PRIMITIVE = new Primitive("checkpoint",
      (in, p) -> p.getJaxpr("jaxpr").outAvals());

  static {
    CallPrimitives.registerCall(PRIMITIVE, "jaxpr");
    // recompute the forward pass from the primal inputs, then its reverse sweep
    Vjp.register(PRIMITIVE, (params, in, out, ct, needed) -> Grad.jaxprVjp(params.getJaxpr("jaxpr"), in, ct));
    Batching.register(PRIMITIVE, (ctx, p, in, exampleOut) -> {
      Jaxpr j = p.getJaxpr("jaxpr");
      boolean[] mapped = new boolean[in.size()];
      List<Array> values = new ArrayList<>(in.size());
      for (int i = 0; i < mapped.length; i++) {
        mapped[i] = in.get(i).mapped();
        values.add(in.get(i).value());
      }
      List<Array> outs = call(values, ops -> {
        List<Batched> b = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
          b.add(new Batched(ops.get(i), mapped[i]));
        }
        return BatchedCalls.call("checkpoint", ctx.batchSize(), b, xs -> JaxprEval.eval(j, List.of(), xs));
      });
      return outs.stream().map(Batched::mapped).toList();
    });
  }

  /** {@code f(a)} as a remat block (see the class comment). */
  public static <A, R> R apply(Function<A, R> f, A a) {
    Tree.Flat in = Tree.flatten(a);
    if (CallPrimitives.top(in.leaves()).level() == 0) {
      return f.apply(a); // nothing to differentiate or stage: the block is just f
    }
    StagingTrace.TracedFunction t = StagingTrace.traceFunction("checkpoint", CallPrimitives.avals(in.leaves()),
        leaves -> f.apply(in.def().unflatten(leaves)));
    return t.outTree().unflatten(bind(t.traced(), in.leaves()));
  }

  /** {@code fn} over flat operands as a remat block. */
  static List<Array> call(List<Array> operands, Function<List<Array>, List<Array>> fn) {
    if (CallPrimitives.top(operands).level() == 0) {
      return fn.apply(operands);
    }
    return bind(CallPrimitives.trace("checkpoint", operands, fn), operands);
  }

  private static List<Array> bind(StagingTrace.Traced t, List<Array> args) {
    Params params = Params.of("jaxpr", t.closureConvertedConstsFirst(), "prevent_cse", true,
        "differentiated", false, "policy", null);
    return PRIMITIVE.bind(params, CallPrimitives.concat(t.consts(), args).toArray(Array[]::new));
  }

  /**
   * The block's forward pass on primal operands for a grad trace: op by op on the traces below
   * (the same operations, so the same bits, as without checkpoint), or one staged equation when
   * a jit is staging it.
   */
  static List<Array> evalPrimal(Params params, Array[] primals) {
    if (TraceStack.dynamic() instanceof StagingTrace) {
      return PRIMITIVE.bind(params, primals);
    }
    return JaxprEval.eval(params.getJaxpr("jaxpr"), List.of(), List.of(primals));
  }
}
