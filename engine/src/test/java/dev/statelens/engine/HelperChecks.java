package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
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
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextGaussian();
    }
    return Array.of(DType.F64, shape, v);
  }

  static Array randomF32(Random rnd, int... shape) {
    return random(rnd, shape).astype(DType.F32);
  }

  /** The gradient of {@code f} at {@code args} (all F64) matches central differences. */
  static void gradCheck(String what, Function<List<Array>, Array> f, Array... args) {
    List<Array> in = List.of(args);
    Array w = random(new Random(99), f.apply(in).shape());
    Function<List<Array>, Array> loss = xs -> f.apply(xs).mul(w).sum();
    List<Array> analytic = Transforms.grad(loss).apply(in);
    double h = 1e-6;
    for (int k = 0; k < args.length; k++) {
      double[] base = args[k].toDoubleArray();
      double[] got = analytic.get(k).toDoubleArray();
      assertEquals(base.length, got.length, what + ": gradient size of arg " + k);
      for (int i = 0; i < base.length; i++) {
        double numeric = (lossAt(loss, in, k, base, i, h) - lossAt(loss, in, k, base, i, -h)) / (2 * h);
        if (!(Math.abs(numeric - got[i]) <= 1e-7 + 1e-6 * Math.abs(numeric))) {
          fail(what + ": d/d arg" + k + "[" + i + "] is " + got[i] + " but finite differences give " + numeric);
        }
      }
    }
  }

  private static double lossAt(Function<List<Array>, Array> loss, List<Array> in, int k, double[] base, int i, double h) {
    double[] v = base.clone();
    v[i] += h;
    List<Array> moved = new ArrayList<>(in);
    moved.set(k, Array.of(DType.F64, in.get(k).shape(), v));
    return loss.apply(moved).doubleValue();
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
