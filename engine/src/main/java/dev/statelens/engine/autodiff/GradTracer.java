package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.trace.Tracer;

/**
 * A value under {@code grad}: its primal (concrete, or a tracer of an enclosing trace) plus its
 * identity on the tape, which the reverse pass keys cotangents by.
 */
final class GradTracer extends Tracer {
  private final Array primal;

  GradTracer(GradTrace trace, Array primal) {
    super(trace, primal.aval());
    this.primal = primal;
  }

  Array primal() {
    return primal;
  }

  @Override
  public Array computedValue() {
    return primal;
  }

  /** As in JAX, {@code item()} inside {@code grad} sees the primal value when it is concrete. */
  @Override
  public Array toConcrete(String operation) {
    return primal.tracer() == null ? primal : primal.tracer().toConcrete(operation);
  }
}
