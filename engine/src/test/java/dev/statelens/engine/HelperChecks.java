package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.statelens.engine.autodiff.GradCheck;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Shared checks of EinsumTest, TopKSearchTest and MatrixHelpersTest: random F64 arrays, reverse
 * gradients against central finite differences (a fixed random cotangent on every output
 * element), and vmap against a Java loop over the batch.
 */
final class HelperChecks {
  private HelperChecks() {}

  static Array random(Random rnd, int... shape) {
    return GradCheck.random(rnd, shape);
  }

  static Array randomF32(Random rnd, int... shape) {
    return random(rnd, shape).astype(DType.F32);
  }

  /** The gradient of {@code f} at {@code args} (all F64) matches central differences. */
  static void gradCheck(String what, Function<List<Array>, Array> f, Array... args) {
    GradCheck.check(what, f, 1e-6, 1e-7, 1e-6, args);
  }

  /** vmap(f) over axis 0, eager and jitted, equals stacking f of each row. */
  static void vmapMatchesLoop(String what, Function<Array, Array> f, Array xs) {
    Array[] rows = new Array[xs.dim(0)];
    for (int b = 0; b < rows.length; b++) {
      rows[b] = f.apply(xs.get(b));
    }
    Array expected = Array.stack(0, rows);
    Array eager = Transforms.vmap(f).apply(xs);
    Array jitted = Transforms.jit(Transforms.vmap(f)).apply(xs);
    assertArrayEquals(expected.shape(), eager.shape(), what + ": vmap shape");
    assertArrayEquals(expected.toDoubleArray(), eager.toDoubleArray(), 1e-9, what + ": vmap");
    assertArrayEquals(expected.toDoubleArray(), jitted.toDoubleArray(), 1e-9, what + ": jit(vmap)");
  }

  /** jit(f)(x) equals f(x). */
  static void jitMatchesEager(String what, Function<Array, Array> f, Array x) {
    Array eager = f.apply(x);
    Array jitted = Transforms.jit(f).apply(x);
    assertArrayEquals(eager.shape(), jitted.shape(), what + ": jit shape");
    assertArrayEquals(eager.toDoubleArray(), jitted.toDoubleArray(), 1e-9, what + ": jit");
  }

  static double[] flat(Array x) {
    return x.toDoubleArray();
  }
}
