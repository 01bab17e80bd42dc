package dev.statelens.engine.trace;

import dev.statelens.engine.Array;
import dev.statelens.engine.ConcretizationError;
import dev.statelens.engine.ir.Aval;

/** The abstract stand-in an {@link Array} holds while a trace is active. */
public abstract class Tracer {
  private final Trace trace;
  private final Aval aval;

  protected Tracer(Trace trace, Aval aval) {
    this.trace = trace;
    this.aval = aval;
  }

  public final Trace trace() {
    return trace;
  }

  public final Aval aval() {
    return aval;
  }

  /**
   * The concrete value behind this tracer, for {@code item()} and friends. Staging tracers have
   * none and throw {@link ConcretizationError}; a grad trace returns its primal when that is
   * concrete.
   */
  public Array toConcrete(String operation) {
    throw ConcretizationError.of(trace.functionName(), aval.toString(), operation);
  }

  /**
   * The array computed in this tracer's place when nothing is staged: a batch tracer's batched
   * value, a grad tracer's primal; null for tracers of a staged graph (jit, shape-only). Eager
   * rules that depend on the shapes XLA computes with (the reciprocal division) read it.
   */
  public Array computedValue() {
    return null;
  }

  @Override
  public String toString() {
    return "Traced<" + aval + "> in " + trace.functionName();
  }
}
