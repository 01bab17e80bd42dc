package dev.statelens.engine;

/**
 * Two values, typically {@code (output, newState)} returned by an explicit-state step function.
 *
 * <p>A pytree node like any record: its children are {@code first} and {@code second}, so the
 * leaf paths read {@code first...} and {@code second...}.
 */
public record Pair<A, B>(A first, B second) {

  public static <A, B> Pair<A, B> of(A first, B second) {
    return new Pair<>(first, second);
  }
}
