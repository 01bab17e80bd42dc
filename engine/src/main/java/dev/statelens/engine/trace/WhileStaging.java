package dev.statelens.engine.trace;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Stages JAX's {@code while} primitive from Java functions over a flat carry: traces the cond
 * and the body once each on fresh tracers of the carry's avals, makes what they closed over
 * explicit operands (each graph's captured values first, JAX's {@code cond_nconsts} /
 * {@code body_nconsts}), and binds {@link Prims#WHILE} on the current trace. Shared by
 * {@code Lax.whileLoop} and while's batching rule, which builds a new cond and body.
 */
public final class WhileStaging {
  private WhileStaging() {}

  /**
   * @param cond the carry's leaves to a bool scalar
   * @param body the carry's leaves to the next carry's leaves (same avals)
   * @param init the initial carry's leaves
   * @return the final carry's leaves
   */
  public static List<Array> stage(Function<List<Array>, Array> cond, Function<List<Array>, List<Array>> body,
      List<Array> init) {
    List<Aval> avals = new ArrayList<>(init.size());
    for (Array a : init) {
      avals.add(a.aval());
    }
    StagingTrace.Traced c = StagingTrace.traceFunction("while_cond", avals, cond::apply).traced();
    StagingTrace.Traced b = StagingTrace.traceFunction("while_body", avals, body::apply).traced();
    List<Array> operands = new ArrayList<>(c.consts());
    operands.addAll(b.consts());
    operands.addAll(init);
    return Prims.WHILE.bind(Params.of("cond_jaxpr", c.closureConvertedConstsFirst(),
        "body_jaxpr", b.closureConvertedConstsFirst(),
        "cond_nconsts", c.consts().size(), "body_nconsts", b.consts().size()),
        operands.toArray(Array[]::new));
  }
}
