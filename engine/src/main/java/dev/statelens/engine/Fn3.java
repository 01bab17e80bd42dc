package dev.statelens.engine;

/** A function of three arguments (for {@link Transforms#jit(Fn3)} and friends). */
@FunctionalInterface
public interface Fn3<A, B, C, R> {
  R apply(A a, B b, C c);
}
