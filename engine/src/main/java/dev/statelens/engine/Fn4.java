package dev.statelens.engine;

/** A function of four arguments (for {@link Transforms#jit(Fn4)} and friends). */
@FunctionalInterface
public interface Fn4<A, B, C, D, R> {
  R apply(A a, B b, C c, D d);
}
