package dev.statelens.engine;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/** Test stub: jit has the engine's overloads and runs the function eagerly. */
public final class Transforms {
  private Transforms() {}

  public static <R> Supplier<R> jit(Supplier<R> fn) {
    return fn;
  }

  public static <R> Supplier<R> jit(String name, Supplier<R> fn) {
    return fn;
  }

  public static <A, R> Function<A, R> jit(Function<A, R> fn) {
    return fn;
  }

  public static <A, R> Function<A, R> jit(String name, Function<A, R> fn) {
    return fn;
  }

  public static <A, B, R> BiFunction<A, B, R> jit(BiFunction<A, B, R> fn) {
    return fn;
  }

  public static <A, B, R> BiFunction<A, B, R> jit(String name, BiFunction<A, B, R> fn) {
    return fn;
  }

  public static <A, B, C, R> Fn3<A, B, C, R> jit(Fn3<A, B, C, R> fn) {
    return fn;
  }

  public static <A, B, C, R> Fn3<A, B, C, R> jit(String name, Fn3<A, B, C, R> fn) {
    return fn;
  }

  public static <A, B, C, D, R> Fn4<A, B, C, D, R> jit(Fn4<A, B, C, D, R> fn) {
    return fn;
  }

  public static <A, B, C, D, R> Fn4<A, B, C, D, R> jit(String name, Fn4<A, B, C, D, R> fn) {
    return fn;
  }
}
