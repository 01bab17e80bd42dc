package dev.statelens.engine;

/** Test stub of the engine's Pair. */
public record Pair<A, B>(A first, B second) {
  public static <A, B> Pair<A, B> of(A first, B second) {
    return new Pair<>(first, second);
  }
}
