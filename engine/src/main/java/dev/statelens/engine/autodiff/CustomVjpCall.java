package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.batching.BatchContext;
import dev.statelens.engine.batching.Batched;
import dev.statelens.engine.batching.BatchedCalls;
import dev.statelens.engine.batching.Batching;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.trace.JaxprEval;
import dev.statelens.engine.trace.StagingTrace;
import dev.statelens.engine.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * JAX's {@code custom_vjp_call} primitive over flat operands: a function {@code f} with a
 * user-supplied reverse-mode rule ({@code fwd}, {@code bwd}). How each trace handles it:
 * <ul>
 *   <li>eager: runs {@code f};
 *   <li>staging (jit): traces {@code f} into {@code call_jaxpr} and stages one equation whose
 *       params also carry the Java {@code fwd}/{@code bwd} ({@link Rule}); backends inline
 *       {@code call_jaxpr} ({@code CallInlining});
 *   <li>grad: runs {@code fwd} on the primals and puts one node on the tape whose rule is
 *       {@code bwd} on the residuals ({@code GradTrace}); {@code f}'s own operations are not
 *       differentiated;
 *   <li>vmap: a new call whose {@code f}, {@code fwd} and {@code bwd} are the batched originals.
 * </ul>
 * The typed API ({@code Transforms.customVjp}) is {@link CustomVjp}.
 */
public final class CustomVjpCall {
  private CustomVjpCall() {}

  public static final Primitive PRIMITIVE = new Primitive("custom_vjp_call", CustomVjpCall::abstractEval);

  static {
    CallPrimitives.registerCall(PRIMITIVE, "call_jaxpr");
    Batching.register(PRIMITIVE, CustomVjpCall::batch);
    // applied by GradTrace itself (fwd on the forward pass); registered so that registry checks see a rule
    Vjp.register(PRIMITIVE, (params, in, out, ct, needed) -> {
      throw new IllegalStateException("custom_vjp_call is differentiated by its own bwd, not a VJP rule");
    });
  }

  /** fwd's result, flat: the outputs (as f's) and the residual leaves. */
  public record FwdOut(List<Array> outs, List<Array> residuals) {}

  /**
   * The user's functions over flat leaves.
   *
   * @param name what to print in the jaxpr ({@code fwd=name.fwd bwd=name.bwd})
   * @param numConsts leading operands only {@code fun} takes: values {@code f} closed over,
   *     made operands when staged; fwd and bwd take the operands after them
   * @param fun all operands to the outputs
   * @param fwd the operands after the constants to outputs and residuals
   * @param bwd residual leaves and output cotangents to one cotangent per operand after the
   *     constants (null: zero, e.g. for integer operands)
   */
  public record Rule(String name, int numConsts, Function<List<Array>, List<Array>> fun,
      Function<List<Array>, FwdOut> fwd, BiFunction<List<Array>, List<Array>, List<Array>> bwd) {
    /** The same rule after staging: {@code more} captured constants lead, f is now {@code jaxpr}. */
    Rule staged(int more, Jaxpr jaxpr) {
      return new Rule(name, numConsts + more, ops -> JaxprEval.eval(jaxpr, List.of(), ops), fwd, bwd);
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  /** How a rule is shown in params: {@code fwd=name.fwd}, {@code bwd=name.bwd}. */
  record Shown(String text, Rule rule) implements Params.Opaque {
    @Override
    public String toString() {
      return text;
    }
  }

  static Rule rule(Params params) {
    return ((Shown) params.get("bwd")).rule();
  }

  static Params params(Rule rule, Jaxpr callJaxpr) {
    Params p = Params.of("fwd", new Shown(rule.name() + ".fwd", rule), "bwd", new Shown(rule.name() + ".bwd", rule),
        "num_consts", rule.numConsts(), "symbolic_zeros", false);
    return callJaxpr == null ? p : p.with("call_jaxpr", callJaxpr);
  }

  /** Applies the rule's function to {@code operands} on the current traces (see the class comment). */
  public static List<Array> call(Rule rule, List<Array> operands) {
    Trace top = CallPrimitives.top(operands);
    if (top.level() == 0) {
      return rule.fun().apply(operands);
    }
    if (top instanceof GradTrace) {
      // grad runs fwd, never f: no need to trace f
      return PRIMITIVE.bind(params(rule, null), operands.toArray(Array[]::new));
    }
    StagingTrace.Traced t = CallPrimitives.trace("custom_vjp_fun", operands, rule.fun());
    Rule staged = rule.staged(t.consts().size(), t.closureConvertedConstsFirst());
    return PRIMITIVE.bind(params(staged, t.closureConvertedConstsFirst()),
        CallPrimitives.concat(t.consts(), operands).toArray(Array[]::new));
  }

  private static List<Aval> abstractEval(List<Aval> in, Params params) {
    if (!params.has("call_jaxpr")) {
      throw new IllegalStateException("custom_vjp_call without call_jaxpr reached " + in
          + "; only grad handles the unstaged form");
    }
    Jaxpr j = params.getJaxpr("call_jaxpr");
    if (!j.inAvals().equals(in)) {
      throw new IllegalArgumentException("custom_vjp_call: call_jaxpr takes " + j.inAvals() + ", got " + in);
    }
    return j.outAvals();
  }

  // ---- vmap ---------------------------------------------------------------------------------

  /**
   * vmap of a custom_vjp_call: a call of the batched f, whose fwd and bwd are the originals
   * batched (as JAX's batch_custom_vjp). Every output and residual comes back mapped; bwd's
   * cotangent for an unmapped operand is summed over the batch.
   */
  private static List<Batched> batch(BatchContext ctx, Params p, List<Batched> in, List<Aval> exampleOut) {
    Rule rule = rule(p);
    Jaxpr j = p.getJaxpr("call_jaxpr");
    int nConsts = p.getInt("num_consts");
    int batch = ctx.batchSize();
    boolean[] mapped = new boolean[in.size()];
    List<Array> values = new ArrayList<>(in.size());
    for (int i = 0; i < mapped.length; i++) {
      mapped[i] = in.get(i).mapped();
      values.add(in.get(i).value());
    }
    boolean[] argMapped = java.util.Arrays.copyOfRange(mapped, nConsts, mapped.length);
    int nOut = exampleOut.size();
    Function<List<Array>, List<Array>> fun = ops -> BatchedCalls.call("custom_vjp_fun", batch, rebatch(mapped, ops),
        xs -> JaxprEval.eval(j, List.of(), xs));
    Function<List<Array>, FwdOut> fwd = args -> {
      List<Array> r = BatchedCalls.call("custom_vjp_fwd", batch, rebatch(argMapped, args), xs -> {
        FwdOut o = rule.fwd().apply(xs);
        return CallPrimitives.concat(o.outs(), o.residuals());
      });
      return new FwdOut(r.subList(0, nOut), r.subList(nOut, r.size()));
    };
    BiFunction<List<Array>, List<Array>, List<Array>> bwd = (res, cts) -> {
      List<Array> all = CallPrimitives.concat(res, cts);
      boolean[] allMapped = new boolean[all.size()];
      java.util.Arrays.fill(allMapped, true);
      List<Array> r = BatchedCalls.call("custom_vjp_bwd", batch, rebatch(allMapped, all),
          xs -> rule.bwd().apply(xs.subList(0, res.size()), xs.subList(res.size(), xs.size())));
      List<Array> cts2 = new ArrayList<>(r.size());
      for (int i = 0; i < r.size(); i++) {
        Array c = r.get(i);
        cts2.add(c == null || argMapped[i] ? c : c.sum(0)); // an unmapped operand: the batch's sum
      }
      return cts2;
    };
    List<Array> outs = call(new Rule(rule.name(), nConsts, fun, fwd, bwd), values);
    List<Batched> result = new ArrayList<>(outs.size());
    for (Array o : outs) {
      result.add(Batched.mapped(o));
    }
    return result;
  }

  private static List<Batched> rebatch(boolean[] mapped, List<Array> values) {
    List<Batched> r = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      r.add(new Batched(values.get(i), mapped[i]));
    }
    return r;
  }
}
