package dev.statelens.engine.batching;

import dev.statelens.engine.Array;
import dev.statelens.engine.trace.Tracer;

/**
 * A tracer of a {@link BatchTrace}: stands for one batch element of {@code value}, whose axis 0 is
 * the batch. Its aval is the per-example aval, which is what the user's function sees.
 */
final class BatchTracer extends Tracer {
  private final Array value;

  BatchTracer(BatchTrace trace, Array value) {
    super(trace, Batched.mapped(value).exampleAval());
    this.value = value;
  }

  /** The batched value: batch on axis 0. */
  Array value() {
    return value;
  }

  @Override
  public Array computedValue() {
    return value;
  }

  @Override
  public String toString() {
    return "BatchTracer<" + aval() + "> in " + trace().functionName() + " (batch of "
        + value.shape()[0] + ")";
  }
}
