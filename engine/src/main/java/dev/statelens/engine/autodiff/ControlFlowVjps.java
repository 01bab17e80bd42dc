package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.ConcretizationError;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Pair;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import dev.statelens.engine.trace.JaxprEval;
import dev.statelens.engine.trace.StagingTrace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * VJP rules of the control-flow primitives. The backward pass of a staged {@code cond} or
 * {@code scan} is itself a staged {@code cond} or {@code scan} (plain Java control flow when the
 * values are concrete), so it stays one graph node under jit and can be differentiated again.
 */
final class ControlFlowVjps {
  private ControlFlowVjps() {}

  static void registerAll() {
    Vjp.register(Prims.COND, ControlFlowVjps::cond);
    Vjp.register(Prims.SCAN, ControlFlowVjps::scan);
    // as JAX: the trip count is data, so reverse mode would have to store every step's carry
    Vjp.register(Prims.WHILE, new Vjp.NotDifferentiable("Lax.whileLoop is not reverse-differentiable (as in JAX); "
        + "use Lax.forI/Lax.scan with a fixed trip count, or stopGradient the loop's inputs"));
  }

  /**
   * cond(index, ops...): the cotangents come from the VJP of the branch that ran. With a known
   * index that branch's VJP runs directly; staged, the rule stages a cond over the branches'
   * VJPs, each taking (ops, output cotangents, every branch's captured constants).
   */
  private static List<Array> cond(Params p, List<Array> in, List<Array> out, List<Array> ct, boolean[] needed) {
    List<Jaxpr> branches = p.getList("branches");
    Array index = in.get(0);
    List<Array> ops = in.subList(1, in.size());
    List<Array> opCts;
    Integer known = knownIndex(index);
    if (known != null) {
      int k = Math.max(0, Math.min(branches.size() - 1, known));
      opCts = Grad.jaxprVjp(branches.get(k), ops, ct);
    } else {
      opCts = stagedCondVjp(branches, index, ops, ct);
    }
    List<Array> r = new ArrayList<>(in.size());
    r.add(null);
    for (int i = 0; i < ops.size(); i++) {
      r.add(needed[i + 1] && ops.get(i).dtype().isInexact() ? opCts.get(i) : null);
    }
    return r;
  }

  private static List<Array> stagedCondVjp(List<Jaxpr> branches, Array index, List<Array> ops, List<Array> ct) {
    int nOps = ops.size();
    List<Aval> avals = new ArrayList<>();
    ops.forEach(a -> avals.add(a.aval()));
    ct.forEach(a -> avals.add(a.aval()));
    List<StagingTrace.Traced> traced = new ArrayList<>();
    List<Array> allConsts = new ArrayList<>();
    for (Jaxpr b : branches) {
      StagingTrace.Traced t = StagingTrace.traceFunction("cond_vjp", avals,
          leaves -> Grad.jaxprVjp(b, leaves.subList(0, nOps), leaves.subList(nOps, leaves.size()))).traced();
      traced.add(t);
      allConsts.addAll(t.consts());
    }
    // every branch takes (ops, cts, consts of branch 0, consts of branch 1, ...), using its own
    List<Jaxpr> vjpBranches = new ArrayList<>();
    for (int k = 0; k < traced.size(); k++) {
      Jaxpr j = traced.get(k).jaxpr();
      List<Var> invars = new ArrayList<>(j.invars());
      for (int m = 0; m < traced.size(); m++) {
        if (m == k) {
          invars.addAll(j.constvars());
        } else {
          for (Array c : traced.get(m).consts()) {
            invars.add(new Var(c.aval()));
          }
        }
      }
      vjpBranches.add(new Jaxpr(List.of(), invars, j.eqns(), j.outvars()));
    }
    List<Array> operands = new ArrayList<>();
    operands.add(index);
    operands.addAll(ops);
    operands.addAll(ct);
    operands.addAll(allConsts);
    return Prims.COND.bind(Params.of("branches", vjpBranches), operands.toArray(Array[]::new));
  }

  /** The branch index if it is known now (concrete, or the concrete primal of a grad tracer). */
  private static Integer knownIndex(Array index) {
    Array c = index;
    if (!index.isConcrete()) {
      try {
        c = index.tracer().toConcrete("cond");
      } catch (ConcretizationError e) {
        return null;
      }
    }
    return c.dtype() == DType.BOOL ? (c.boolValue() ? 1 : 0) : c.intValue();
  }

  /**
   * scan(consts, init, xs): recomputes the carry entering each step with a forward scan, then
   * runs the body's VJP in a reverse scan, accumulating the consts' cotangents in its carry.
   */
  private static List<Array> scan(Params p, List<Array> in, List<Array> out, List<Array> ct, boolean[] needed) {
    // the recomputation below must not repeat the body's effects (they ran in the primal scan)
    Jaxpr body = Grad.withoutEffects(p.getJaxpr("jaxpr"));
    int length = p.getInt("length");
    int nConsts = p.getInt("num_consts");
    int nCarry = p.getInt("num_carry");
    boolean reverse = p.getBoolean("reverse");
    List<Array> consts = in.subList(0, nConsts);
    List<Array> init = in.subList(nConsts, nConsts + nCarry);
    List<Array> xs = in.subList(nConsts + nCarry, in.size());
    List<Array> ctCarry = ct.subList(0, nCarry);
    List<Array> ctYs = ct.subList(nCarry, ct.size());
    if (length == 0) {
      List<Array> r = new ArrayList<>();
      consts.forEach(c -> r.add(null));
      r.addAll(ctCarry);
      xs.forEach(x -> r.add(null));
      return floatOnly(r, in);
    }
    // Lax.scan runs forwards: a reverse scan is a forward scan over flipped xs, ys flipped back.
    List<Array> fxs = reverse ? flipAll(xs) : xs;

    // 1. the carry entering each step, stacked
    Pair<List<Array>, List<Array>> fwd = Lax.scan((List<Array> carry, List<Array> x) -> {
      List<Array> args = new ArrayList<>(consts);
      args.addAll(carry);
      args.addAll(x);
      List<Array> o = JaxprEval.eval(body, List.of(), args);
      return Pair.of(List.copyOf(o.subList(0, nCarry)), List.copyOf(carry));
    }, List.copyOf(init), List.copyOf(fxs), length);
    List<Array> carriesIn = fwd.second();

    // 2. backwards over the steps (last step first): carry = (consts' cotangent sums, carry
    //    cotangent); xs = (carry entering the step, the step's x, the step's y cotangent)
    List<Array> bxs = new ArrayList<>(carriesIn);
    bxs.addAll(fxs);
    bxs.addAll(reverse ? flipAll(ctYs) : ctYs);
    List<Array> stepXs = flipAll(bxs);
    List<Array> startCarry = new ArrayList<>();
    for (Array c : consts) {
      startCarry.add(Vjp.zeros(c));
    }
    startCarry.addAll(ctCarry);
    int nX = xs.size();
    Pair<List<Array>, List<Array>> bwd = Lax.scan((List<Array> carry, List<Array> x) -> {
      List<Array> primals = new ArrayList<>(consts);
      primals.addAll(x.subList(0, nCarry + nX));
      List<Array> cts = new ArrayList<>(carry.subList(nConsts, nConsts + nCarry));
      cts.addAll(x.subList(nCarry + nX, x.size()));
      List<Array> g = Grad.jaxprVjp(body, primals, cts);
      List<Array> next = new ArrayList<>(nConsts + nCarry);
      for (int i = 0; i < nConsts; i++) {
        next.add(carry.get(i).add(g.get(i)));
      }
      next.addAll(g.subList(nConsts, nConsts + nCarry));
      return Pair.of(next, List.copyOf(g.subList(nConsts + nCarry, g.size())));
    }, startCarry, stepXs, length);

    List<Array> r = new ArrayList<>(bwd.first());
    // the xs cotangents come out last step first: flip to step order, and again for a reverse scan
    List<Array> ctXs = bwd.second();
    r.addAll(reverse ? ctXs : flipAll(ctXs));
    return floatOnly(r, in);
  }

  private static List<Array> floatOnly(List<Array> cts, List<Array> in) {
    List<Array> r = Arrays.asList(new Array[in.size()]);
    for (int i = 0; i < in.size(); i++) {
      r.set(i, in.get(i).dtype().isInexact() ? cts.get(i) : null);
    }
    return r;
  }

  private static List<Array> flipAll(List<Array> xs) {
    List<Array> r = new ArrayList<>(xs.size());
    for (Array x : xs) {
      r.add(Prims.REV.bind1(Params.of("dimensions", new int[] {0}), x));
    }
    return r;
  }
}
