package demo.solve;

import dev.statelens.engine.Array;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import java.util.function.Function;

/** Root finding with whileLoop and a fixed-step scan, as a numerical person writes it. */
public final class Newton {
  private int iterations;
  private static final double TOL = 1e-6;

  record Carry(Array x, Array step, Array i) {}

  static Array f(Array x) {
    return x.mul(x).sub(2);
  }

  static Array df(Array x) {
    return x.mul(2);
  }

  /** Correct: the loop is Lax.whileLoop, the condition a traced boolean. */
  public static Array sqrt2() {
    Function<Array, Array> solve = Transforms.jit((Array x0) -> {
      Carry end = Lax.whileLoop(
          (Carry c) -> c.step().abs().gt(TOL).logicalAnd(c.i().lt(50)),
          (Carry c) -> {
            Array step = f(c.x()).div(df(c.x()));
            return new Carry(c.x().sub(step), step, c.i().add(1));
          },
          new Carry(x0, Array.scalar(1.0), Array.scalar(0)));
      return end.x();
    });
    return solve.apply(Array.scalar(1.0));
  }

  /** The eager habit: a Java while on a traced error, and a counter in a field. */
  public Array sqrt2Eager() {
    Function<Array, Array> solve = Transforms.jit((Array x0) -> {
      Array x = x0;
      while (f(x).abs().item() > TOL) { // expect SL007
        x = x.sub(f(x).div(df(x)));
        iterations++; // expect SL001
      }
      return x;
    });
    return solve.apply(Array.scalar(1.0));
  }

  /** A fixed number of steps through scan, with a discarded update inside. */
  public static Array fixedSteps(int n) {
    var solve = Transforms.jit((Array x0) -> {
      Pair<Array, Array> out = Lax.scan((Array x, Array unused) -> {
        Array next = x.sub(f(x).div(df(x)));
        next.clip(0, 10); // expect SL009
        return Pair.of(next, next);
      }, x0, Array.zeros(n));
      return out.first();
    });
    return solve.apply(Array.scalar(1.0));
  }

  /** forI with a Java ternary on the traced value. */
  public static Array damped(int n) {
    var solve = Transforms.jit((Array x0) -> Lax.forI(0, n, (Array i, Array x) -> {
      Array step = f(x).div(df(x));
      double damping = step.abs().item() > 1 ? 0.5 : 1.0; // expect SL007
      return x.sub(step.mul(damping));
    }, x0));
    return solve.apply(Array.scalar(1.0));
  }

  public int iterations() {
    return iterations;
  }
}
