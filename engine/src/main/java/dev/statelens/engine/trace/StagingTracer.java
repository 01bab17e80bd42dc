package dev.statelens.engine.trace;

import dev.statelens.engine.ir.Var;

/** A tracer of a {@link StagingTrace}: stands for one jaxpr variable. */
final class StagingTracer extends Tracer {
  private final Var var;

  StagingTracer(StagingTrace trace, Var var) {
    super(trace, var.aval());
    this.var = var;
  }

  Var var() {
    return var;
  }
}
