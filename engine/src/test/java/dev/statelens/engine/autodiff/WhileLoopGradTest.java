package dev.statelens.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Lax.whileLoop is not reverse-differentiable, as in JAX: grad and jvp (our jvp transposes the
 * pullback) name it and the fix, eagerly and under jit; a loop no differentiated value enters
 * is fine.
 */
class WhileLoopGradTest {
  static final String MESSAGE = "Lax.whileLoop is not reverse-differentiable (as in JAX); use Lax.forI/Lax.scan "
      + "with a fixed trip count, or stopGradient the loop's inputs";

  /** Doubles x until its sum exceeds 10. */
  static Array doubling(Array x) {
    return Lax.whileLoop(c -> c.sum().lt(10), c -> c.mul(2), x).sum();
  }

  /** The loop closes over x instead of carrying it. */
  static Array closingOver(Array x) {
    return Lax.whileLoop((Array c) -> c.lt(3), c -> c.add(x.sum()), Array.scalar(DType.F64, 0)).mul(1);
  }

  private static void assertTheMessage(Throwable e) {
    assertTrue(e instanceof UnsupportedOperationException, e.toString());
    assertTrue(e.getMessage().endsWith(MESSAGE), e.getMessage());
  }

  @Test
  void gradSaysWhileIsNotReverseDifferentiable() {
    Array x = Array.of(1.0, 2.0);
    List<Function<Array, Array>> grads = List.of(
        Transforms.grad(WhileLoopGradTest::doubling),
        Transforms.jit(Transforms.grad(WhileLoopGradTest::doubling)),
        Transforms.grad(Transforms.jit(WhileLoopGradTest::doubling)),
        Transforms.grad(WhileLoopGradTest::closingOver),
        Transforms.jit(Transforms.grad(WhileLoopGradTest::closingOver)));
    for (Function<Array, Array> g : grads) {
      assertTheMessage(assertThrows(RuntimeException.class, () -> g.apply(x)));
    }
    RuntimeException e = assertThrows(RuntimeException.class, () -> Transforms.grad(WhileLoopGradTest::doubling).apply(x));
    assertEquals("grad(doubling): " + MESSAGE, e.getMessage());
  }

  @Test
  void jvpSaysSoToo() {
    Array x = Array.of(1.0, 2.0);
    assertTheMessage(assertThrows(RuntimeException.class,
        () -> Transforms.jvp(WhileLoopGradTest::doubling, x, Array.of(1.0, 0.0))));
    assertTheMessage(assertThrows(RuntimeException.class,
        () -> Transforms.jit((Array p) -> Transforms.jvp(WhileLoopGradTest::doubling, p, Array.of(1.0, 0.0)).second())
            .apply(x)));
  }

  @Test
  void aLoopThatNoDifferentiatedValueEntersIsFine() {
    // the trip count depends on x (through the cond), the carried values do not: JAX allows it too
    Function<Array, Array> f = x -> {
      Array n = Lax.whileLoop((Array c) -> c.astype(DType.F64).lt(x.sum()), c -> c.add(1), Array.scalar(DType.I32, 0));
      return x.mul(n.astype(DType.F64)).sum();
    };
    Array p = Array.of(1.5, 2.0); // sum 3.5: n = 4, f = 4 * sum(x)
    assertArrayEquals(new double[] {4, 4}, Transforms.grad(f).apply(p).toDoubleArray());
    assertArrayEquals(new double[] {4, 4}, Transforms.jit(Transforms.grad(f)).apply(p).toDoubleArray());
    // stopGradient on the loop's input: the fix the message suggests
    Function<Array, Array> stopped = x -> doubling(x.stopGradient()).mul(x.sum());
    Pair<Array, Array> vg = Transforms.valueAndGrad(stopped).apply(p);
    assertEquals(14.0 * 3.5, vg.first().doubleValue(), 1e-12); // 3.5 -> 7 -> 14
    assertEquals(14.0, vg.second().toDoubleArray()[0], 1e-12);
  }
}
