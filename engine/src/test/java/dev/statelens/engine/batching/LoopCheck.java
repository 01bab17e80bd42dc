package dev.statelens.engine.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The reference for every vmap test: a Java loop that calls the function on each batch element
 * and stacks the results. vmap must agree eagerly, under jit (jit(vmap(f))) and around jit
 * (vmap(jit(f))).
 */
final class LoopCheck {
  private LoopCheck() {}

  static Array loop(Function<Array, Array> f, Array xs) {
    Array[] out = new Array[xs.dim(0)];
    for (int b = 0; b < out.length; b++) {
      out[b] = f.apply(xs.get(b));
    }
    return Array.stack(0, out);
  }

  /** Per element: x_b (or x when axisX is null) and y_b (or y). */
  static Array loop(BiFunction<Array, Array, Array> f, Array x, Integer axisX, Array y, Integer axisY) {
    int n = axisX != null ? x.dim(axisX) : y.dim(axisY);
    Array[] out = new Array[n];
    for (int b = 0; b < n; b++) {
      Array xb = axisX == null ? x : take(x, axisX, b);
      Array yb = axisY == null ? y : take(y, axisY, b);
      out[b] = f.apply(xb, yb);
    }
    return Array.stack(0, out);
  }

  static Array take(Array x, int axis, int index) {
    return x.sliceAxis(axis, index, index + 1).squeeze(axis);
  }

  static void check(String what, Function<Array, Array> f, Array xs) {
    Array expected = loop(f, xs);
    assertSame(what + " eager vmap", expected, Transforms.vmap(f).apply(xs));
    assertSame(what + " jit(vmap)", expected, Transforms.jit(Transforms.vmap(f)).apply(xs));
    assertSame(what + " vmap(jit)", expected, Transforms.vmap(Transforms.jit(f)).apply(xs));
  }

  static void check(String what, BiFunction<Array, Array, Array> f, Array x, Integer axisX, Array y, Integer axisY) {
    Array expected = loop(f, x, axisX, y, axisY);
    String tag = what + " in_axes=(" + axisX + "," + axisY + ")";
    assertSame(tag + " eager vmap", expected, Transforms.vmap(f, axisX, axisY).apply(x, y));
    assertSame(tag + " jit(vmap)", expected, Transforms.jit(Transforms.vmap(f, axisX, axisY)).apply(x, y));
    assertSame(tag + " vmap(jit)", expected, Transforms.vmap(Transforms.jit(f), axisX, axisY).apply(x, y));
  }

  /** Same shape and dtype; values equal up to float reassociation (NaN equals NaN). */
  static void assertSame(String what, Array expected, Array actual) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    double tol = expected.dtype() == DType.F32 ? 1e-5 : expected.dtype() == DType.F64 ? 1e-12 : 0;
    for (int i = 0; i < e.length; i++) {
      boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
          : e[i] == a[i] || Math.abs(e[i] - a[i]) <= tol * Math.max(1, Math.abs(e[i]));
      if (!ok) {
        fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i] + "\nexpected "
            + expected + "\nactual   " + actual);
      }
    }
  }

  /** A deterministic F32 array with values in [lo, hi). */
  static Array data(long seed, double lo, double hi, int... shape) {
    java.util.Random r = new java.util.Random(seed);
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (lo + (hi - lo) * r.nextDouble());
    }
    return Array.of(DType.F32, shape, v);
  }

  static Array ints(long seed, int lo, int hi, int... shape) {
    return data(seed, lo, hi, shape).floor().astype(DType.I32);
  }
}
