package dev.statelens.debugger.tests;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.util.function.BiFunction;

/**
 * The program {@link GoToSourceTest} records in this JVM. The test also writes a source file of
 * the same binary names into a workspace project (with {@link #step}'s first array operation on
 * the line the run recorded), so Go to Source has something to open.
 */
public final class SourceProgram {
  /** The state: {@code params.weight}, {@code params.bias}. */
  public record Params(Array weight, Array bias) {}

  private SourceProgram() {}

  /** One SGD step of a linear model, jitted by method reference (recorded as {@code step}). */
  static Params step(Params p, Array x) {
    Array g = p.weight().mul(x).sum(); // FIRST_OP: the recorded line of jit step
    return new Params(p.weight().sub(g.mul(0.1)), p.bias().sub(g.mul(0.1)));
  }

  static BiFunction<Params, Array, Params> jitted() {
    return Transforms.jit(SourceProgram::step);
  }
}
