package dev.statelens.examples;

import dev.statelens.engine.Array;
import dev.statelens.engine.Pair;

/**
 * The counter with explicit state: {@code count(n) -> (value, newState)}. Nothing is stored in
 * the object, so the jitted version counts 1, 2, 3 like the eager one.
 */
public class CounterV2 {

  /** The state a new count starts from. */
  public Array reset() {
    return Array.scalar(0);
  }

  /** Returns {@code (value, newState)}; the caller threads {@code newState} into the next call. */
  public Pair<Array, Array> count(Array n) {
    Array next = n.add(1);
    return Pair.of(next, next);
  }
}
