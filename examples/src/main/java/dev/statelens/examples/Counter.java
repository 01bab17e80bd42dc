package dev.statelens.examples;

import dev.statelens.engine.Array;

/**
 * The seed's stateful counter (JAX's "Stateful computations" tutorial): {@link #count()} writes
 * a field. Eagerly it counts 1, 2, 3; under {@code Transforms.jit(counter::count)} the write runs
 * once, at trace time, and every call returns 1. {@link CounterV2} is the fix.
 *
 * <p>Kept deliberately wrong: the linter reports the field write here (SL001).
 */
public class Counter {
  Array n = Array.scalar(0);

  public Array count() {
    n = n.add(1);
    return n;
  }

  public void reset() {
    n = Array.scalar(0);
  }
}
