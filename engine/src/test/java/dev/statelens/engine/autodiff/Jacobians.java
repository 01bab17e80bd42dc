package dev.statelens.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import java.util.function.Function;

/** References for the Jacobian-style tests: central finite differences in F64 and comparisons. */
final class Jacobians {
  private Jacobians() {}

  /** d f / d x by central differences (h = 1e-6), shaped {@code out.shape ++ x.shape}. */
  static Array numeric(Function<Array, Array> f, Array x) {
    double h = 1e-6;
    double[] base = x.toDoubleArray();
    Array out = f.apply(x);
    int m = out.size();
    int n = base.length;
    double[] jac = new double[m * n];
    for (int j = 0; j < n; j++) {
      double[] plus = base.clone();
      double[] minus = base.clone();
      plus[j] += h;
      minus[j] -= h;
      double[] fp = f.apply(Array.of(DType.F64, x.shape(), plus)).toDoubleArray();
      double[] fm = f.apply(Array.of(DType.F64, x.shape(), minus)).toDoubleArray();
      for (int i = 0; i < m; i++) {
        jac[i * n + j] = (fp[i] - fm[i]) / (2 * h);
      }
    }
    int[] shape = new int[out.ndim() + x.ndim()];
    System.arraycopy(out.shape(), 0, shape, 0, out.ndim());
    System.arraycopy(x.shape(), 0, shape, out.ndim(), x.ndim());
    return Array.of(DType.F64, shape, jac);
  }

  /** Same shape and dtype; values within {@code atol + rtol * |expected|}. */
  static void assertClose(String what, Array expected, Array actual, double rtol, double atol) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    for (int i = 0; i < e.length; i++) {
      if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]))) {
        fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i] + " (shape " + actual.aval() + ")");
      }
    }
  }

  /** Equal up to float reassociation. */
  static void assertSame(String what, Array expected, Array actual) {
    assertClose(what, expected, actual, 1e-12, 1e-12);
  }

  /** Against finite differences: tolerance for h = 1e-6 central differences. */
  static void assertNumeric(String what, Array expected, Array actual) {
    assertClose(what, expected, actual, 1e-6, 1e-7);
  }
}
