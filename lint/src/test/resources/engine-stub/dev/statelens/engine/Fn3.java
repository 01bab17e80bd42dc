package dev.statelens.engine;

/** Test stub. */
@FunctionalInterface
public interface Fn3<A, B, C, R> {
  R apply(A a, B b, C c);
}
