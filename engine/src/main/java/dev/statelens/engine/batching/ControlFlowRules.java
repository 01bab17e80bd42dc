package dev.statelens.engine.batching;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import dev.statelens.engine.trace.JaxprEval;
import dev.statelens.engine.trace.StagingTrace;
import dev.statelens.engine.trace.TraceStack;
import dev.statelens.engine.trace.WhileStaging;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batching of the higher-order primitives. {@code cond} with an unmapped predicate stays a cond
 * of batched branches; with a mapped predicate every branch runs and the results are selected
 * per element (as JAX turns it into {@code select_n}; effects of all branches run).
 * {@code scan} batches its body; a carry becomes mapped when the body makes it depend on mapped
 * values (found by iterating to a fixed point, as JAX does). {@code while} with an unmapped
 * predicate stays a while of batched cond and body; with a mapped one it runs while any
 * example's predicate holds and updates only the examples whose own predicate holds (JAX's rule).
 */
final class ControlFlowRules {
  private ControlFlowRules() {}

  static void registerAll() {
    Batching.register(Prims.COND, ControlFlowRules::cond);
    Batching.register(Prims.SCAN, ControlFlowRules::scan);
    Batching.register(Prims.WHILE, ControlFlowRules::whileLoop);
  }

  // ---- batching a closed sub-graph ---------------------------------------------------------

  /**
   * A closed jaxpr batched: {@code jaxpr} takes the original inputs (mapped ones with a leading
   * batch axis) followed by {@code consts}, the values the batching rules captured.
   */
  record BatchedJaxpr(Jaxpr jaxpr, List<Array> consts, boolean[] outMapped) {}

  /**
   * Traces {@code closed} under a fresh vmap of {@code batch} with the inputs flagged in
   * {@code inMapped} mapped; outputs flagged in {@code forceOut} are made mapped (broadcast) even
   * where they do not depend on mapped inputs.
   */
  static BatchedJaxpr batchJaxpr(String name, Jaxpr closed, boolean[] inMapped, int batch, boolean[] forceOut) {
    if (!closed.constvars().isEmpty()) {
      throw new IllegalArgumentException("vmap: the sub-graph of " + name + " has "
          + closed.constvars().size() + " constvars; sub-graphs of cond/scan must be closed");
    }
    List<Aval> inAvals = new ArrayList<>();
    for (int i = 0; i < closed.invars().size(); i++) {
      Aval a = closed.invars().get(i).aval();
      inAvals.add(inMapped[i] ? a.withShape(BatchTrace.prepend(batch, a.shape())) : a);
    }
    List<Aval> outAvals = closed.outAvals();
    boolean[] outMapped = new boolean[outAvals.size()];
    StagingTrace.TracedFunction traced = StagingTrace.traceFunction(name, inAvals, args -> {
      BatchTrace bt = BatchTrace.pushInternal(name, batch);
      List<Array> out;
      List<Batched> unwrapped = new ArrayList<>();
      try {
        List<Array> wrapped = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
          wrapped.add(bt.wrap(new Batched(args.get(i), inMapped[i])));
        }
        out = JaxprEval.eval(closed, List.of(), wrapped);
        for (Array a : out) {
          unwrapped.add(bt.unwrap(a));
        }
      } finally {
        TraceStack.pop(bt);
      }
      List<Array> result = new ArrayList<>(out.size());
      for (int j = 0; j < out.size(); j++) {
        Batched b = unwrapped.get(j);
        outMapped[j] = b.mapped() || forceOut[j];
        result.add(outMapped[j] ? Batching.materialize(b, outAvals.get(j).shape(), batch) : b.value());
      }
      return result;
    });
    return new BatchedJaxpr(traced.traced().closureConverted(), traced.traced().consts(), outMapped);
  }

  private static boolean[] or(boolean[] a, boolean[] b) {
    boolean[] r = new boolean[a.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = a[i] || b[i];
    }
    return r;
  }

  private static boolean[] mappedFlags(List<Batched> xs) {
    boolean[] r = new boolean[xs.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = xs.get(i).mapped();
    }
    return r;
  }

  // ---- cond ----------------------------------------------------------------------------------

  private static List<Batched> cond(BatchContext ctx, Params p, List<Batched> in, List<Aval> out) {
    List<Jaxpr> branches = p.getList("branches");
    Batched index = in.get(0);
    List<Batched> ops = in.subList(1, in.size());
    if (index.mapped()) {
      return condAsSelect(ctx, branches, index, ops);
    }
    int batch = ctx.batchSize();
    boolean[] opsMapped = mappedFlags(ops);
    // outputs mapped in any branch must be mapped in all (the branches' types must agree)
    boolean[] outMapped = new boolean[out.size()];
    List<BatchedJaxpr> batched = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      batched.clear();
      boolean[] union = outMapped.clone();
      for (int k = 0; k < branches.size(); k++) {
        BatchedJaxpr bj = batchJaxpr("cond_branch" + k, branches.get(k), opsMapped, batch, outMapped);
        batched.add(bj);
        union = or(union, bj.outMapped());
      }
      if (Arrays.equals(union, outMapped)) {
        break;
      }
      outMapped = union;
    }
    // each branch takes: operands, then every branch's captured constants (its own used)
    List<Array> operands = new ArrayList<>();
    operands.add(index.value());
    for (Batched b : ops) {
      operands.add(b.value());
    }
    List<Jaxpr> newBranches = new ArrayList<>();
    for (int k = 0; k < batched.size(); k++) {
      Jaxpr j = batched.get(k).jaxpr();
      int nOps = ops.size();
      List<Var> invars = new ArrayList<>(j.invars().subList(0, nOps));
      for (int m = 0; m < batched.size(); m++) {
        if (m == k) {
          invars.addAll(j.invars().subList(nOps, j.invars().size()));
        } else {
          for (Array c : batched.get(m).consts()) {
            invars.add(new Var(c.aval()));
          }
        }
      }
      newBranches.add(new Jaxpr(List.of(), invars, j.eqns(), j.outvars()));
    }
    for (BatchedJaxpr bj : batched) {
      operands.addAll(bj.consts());
    }
    List<Array> r = Prims.COND.bind(p.with("branches", newBranches), operands.toArray(Array[]::new));
    List<Batched> result = new ArrayList<>(r.size());
    for (int j = 0; j < r.size(); j++) {
      result.add(new Batched(r.get(j), outMapped[j]));
    }
    return result;
  }

  /** A per-element predicate: run every branch batched, then pick per element. */
  private static List<Batched> condAsSelect(BatchContext ctx, List<Jaxpr> branches, Batched index,
      List<Batched> ops) {
    List<Array> args = new ArrayList<>(ops.size());
    for (Batched b : ops) {
      args.add(ctx.wrap(b));
    }
    Array idx = ctx.wrap(index);
    List<List<Array>> outs = new ArrayList<>();
    for (Jaxpr branch : branches) {
      outs.add(JaxprEval.eval(branch, List.of(), args));
    }
    List<Batched> result = new ArrayList<>();
    for (int j = 0; j < outs.get(0).size(); j++) {
      Array chosen;
      if (idx.dtype() == DType.BOOL) {
        chosen = Array.where(idx, outs.get(1).get(j), outs.get(0).get(j));
      } else {
        // lax.cond clamps an integer index into range: below 0 is branch 0, above is the last
        chosen = outs.get(0).get(j);
        for (int k = 1; k < branches.size(); k++) {
          chosen = Array.where(idx.ge(k), outs.get(k).get(j), chosen);
        }
      }
      result.add(ctx.unwrap(chosen));
    }
    return result;
  }

  // ---- scan ----------------------------------------------------------------------------------

  private static List<Batched> scan(BatchContext ctx, Params p, List<Batched> in, List<Aval> out) {
    Jaxpr body = p.getJaxpr("jaxpr");
    int nConsts = p.getInt("num_consts");
    int nCarry = p.getInt("num_carry");
    int batch = ctx.batchSize();
    int nIn = in.size();
    int nYs = out.size() - nCarry;
    boolean[] inMapped = mappedFlags(in);
    // fixed point: a carry is mapped if its init is, or if the body makes it so
    BatchedJaxpr bj;
    while (true) {
      boolean[] force = new boolean[nCarry + nYs];
      System.arraycopy(inMapped, nConsts, force, 0, nCarry);
      bj = batchJaxpr("scan_body", body, inMapped, batch, force);
      boolean changed = false;
      for (int c = 0; c < nCarry; c++) {
        if (bj.outMapped()[c] && !inMapped[nConsts + c]) {
          inMapped[nConsts + c] = true;
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }
    // operands: the captured constants first (as extra consts), then consts, carry, xs
    List<Array> operands = new ArrayList<>(bj.consts());
    for (int i = 0; i < nIn; i++) {
      Batched x = in.get(i);
      Array v;
      if (i >= nConsts && i < nConsts + nCarry && inMapped[i] && !x.mapped()) {
        v = Batching.materialize(x, x.value().shape(), batch);
      } else if (i >= nConsts + nCarry && x.mapped()) {
        v = Batching.moveFrontAxisTo(x.value(), 1); // [B,T,...] -> [T,B,...]: scan slices axis 0
      } else {
        v = x.value();
      }
      operands.add(v);
    }
    Jaxpr j = bj.jaxpr();
    int nExtra = bj.consts().size();
    List<Var> invars = new ArrayList<>(j.invars().subList(nIn, nIn + nExtra));
    invars.addAll(j.invars().subList(0, nIn));
    Jaxpr newBody = new Jaxpr(List.of(), invars, j.eqns(), j.outvars());
    List<Array> r = Prims.SCAN.bind(p.with("jaxpr", newBody).with("num_consts", nConsts + nExtra),
        operands.toArray(Array[]::new));
    List<Batched> result = new ArrayList<>(r.size());
    for (int k = 0; k < r.size(); k++) {
      boolean mapped = bj.outMapped()[k];
      Array v = r.get(k);
      if (k >= nCarry && mapped) {
        v = Batching.moveAxisToFront(v, 1); // ys [T,B,...] -> [B,T,...]
      }
      result.add(new Batched(v, mapped));
    }
    return result;
  }

  // ---- while ---------------------------------------------------------------------------------

  /**
   * {@code while(cond_consts, body_consts, carry)}. A carry becomes mapped when the body mixes it
   * with mapped values (fixed point, as scan). If the predicate is mapped, every carry is mapped:
   * the new cond is {@code any} of the per-example predicates and the new body keeps an
   * example's old carry once its predicate is false ({@code select}), so each example ends with
   * the carry of its own trip count. The body's effects run for every example on every step.
   */
  private static List<Batched> whileLoop(BatchContext ctx, Params p, List<Batched> in, List<Aval> out) {
    Jaxpr cond = p.getJaxpr("cond_jaxpr");
    Jaxpr body = p.getJaxpr("body_jaxpr");
    int nc = p.getInt("cond_nconsts");
    int nb = p.getInt("body_nconsts");
    int nCarry = in.size() - nc - nb;
    int batch = ctx.batchSize();
    boolean[] inMapped = mappedFlags(in);
    boolean[] carryMapped = Arrays.copyOfRange(inMapped, nc + nb, in.size());
    BatchedJaxpr bc;
    BatchedJaxpr bb;
    boolean predMapped;
    while (true) {
      bc = batchJaxpr("while_cond", cond, concat(Arrays.copyOfRange(inMapped, 0, nc), carryMapped), batch,
          new boolean[1]);
      predMapped = bc.outMapped()[0];
      boolean[] force = carryMapped.clone();
      if (predMapped) {
        Arrays.fill(force, true);
      }
      bb = batchJaxpr("while_body", body, concat(Arrays.copyOfRange(inMapped, nc, nc + nb), carryMapped), batch,
          force);
      boolean[] next = or(force, bb.outMapped());
      if (Arrays.equals(next, carryMapped)) {
        break;
      }
      carryMapped = next;
    }
    List<Array> condConsts = values(in.subList(0, nc));
    List<Array> bodyConsts = values(in.subList(nc, nc + nb));
    List<Array> init = new ArrayList<>(nCarry);
    for (int i = 0; i < nCarry; i++) {
      Batched x = in.get(nc + nb + i);
      init.add(carryMapped[i] ? Batching.materialize(x, x.exampleAval().shape(), batch) : x.value());
    }
    BatchedJaxpr bcFinal = bc;
    BatchedJaxpr bbFinal = bb;
    boolean lanes = predMapped;
    List<Array> r = WhileStaging.stage(
        carry -> {
          Array pred = evalBatched(bcFinal, condConsts, carry).get(0);
          return lanes ? pred.any() : pred;
        },
        carry -> {
          List<Array> next = evalBatched(bbFinal, bodyConsts, carry);
          if (!lanes) {
            return next;
          }
          Array pred = evalBatched(bcFinal, condConsts, carry).get(0);
          List<Array> kept = new ArrayList<>(nCarry);
          for (int i = 0; i < nCarry; i++) {
            int[] lane = new int[next.get(i).ndim()];
            Arrays.fill(lane, 1);
            lane[0] = batch;
            kept.add(Array.where(pred.reshape(lane), next.get(i), carry.get(i)));
          }
          return kept;
        },
        init);
    List<Batched> result = new ArrayList<>(nCarry);
    for (int i = 0; i < nCarry; i++) {
      result.add(new Batched(r.get(i), carryMapped[i]));
    }
    return result;
  }

  /** Runs a batched sub-graph on (its operands, carry, the constants batching captured). */
  private static List<Array> evalBatched(BatchedJaxpr bj, List<Array> consts, List<Array> carry) {
    List<Array> args = new ArrayList<>(consts);
    args.addAll(carry);
    args.addAll(bj.consts());
    return JaxprEval.eval(bj.jaxpr(), List.of(), args);
  }

  private static List<Array> values(List<Batched> xs) {
    List<Array> r = new ArrayList<>(xs.size());
    for (Batched b : xs) {
      r.add(b.value());
    }
    return r;
  }

  private static boolean[] concat(boolean[] a, boolean[] b) {
    boolean[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
