package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * kron, cross, vander, polyval, convolve/correlate, interp, bincount, Linalg.pinv and
 * matrixPower: small hand-checked values, jit == eager, vmap, pinv's gradient and the errors.
 * Real-JAX values are in the jax-reference file ({@code more/*}).
 */
class JnpCompositionsTest {

  private static Array f64(int[] shape, double... v) {
    return Array.of(DType.F64, shape, v);
  }

  @Test
  void handCheckedValues() {
    Array k = Array.kron(f64(new int[] {2}, 1, 2), f64(new int[] {2, 2}, 1, 0, 0, 1));
    assertArrayEquals(new int[] {2, 4}, k.shape());
    assertArrayEquals(new double[] {1, 0, 2, 0, 0, 1, 0, 2}, k.toDoubleArray());
    assertArrayEquals(new double[] {0, 0, 1}, Array.cross(f64(new int[] {3}, 1, 0, 0), f64(new int[] {3}, 0, 1, 0))
        .toDoubleArray());
    assertArrayEquals(new double[] {4, 2, 1, 9, 3, 1}, Array.vander(f64(new int[] {2}, 2, 3), 3, false).toDoubleArray());
    assertArrayEquals(new double[] {1, 2, 1, 3}, Array.vander(f64(new int[] {2}, 2, 3), 2, true).toDoubleArray());
    // 2x^2 - 3x + 1 at 0, 1, 2
    assertArrayEquals(new double[] {1, 0, 3},
        Array.polyval(f64(new int[] {3}, 2, -3, 1), f64(new int[] {3}, 0, 1, 2)).toDoubleArray());
    // (1 + 2x)(1 + x) = 1 + 3x + 2x^2
    assertArrayEquals(new double[] {1, 3, 2},
        Array.convolve(f64(new int[] {2}, 1, 2), f64(new int[] {2}, 1, 1)).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {5},
        Array.correlate(f64(new int[] {2}, 1, 2), f64(new int[] {2}, 1, 2)).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {0, 0.5, 1, 1},
        Array.interp(f64(new int[] {4}, -1, 0.5, 1, 5), f64(new int[] {2}, 0, 1), f64(new int[] {2}, 0, 1))
            .toDoubleArray());
    assertArrayEquals(new int[] {2, 1, 0, 1}, Array.bincount(Array.of(DType.I32, new int[] {5}, new int[] {0, -3, 1, 3, 7}), 4)
        .toIntArray(), "negatives count as 0, 7 is past length 4: dropped");
    Array a = f64(new int[] {2, 2}, 1, 1, 0, 1);
    assertArrayEquals(new double[] {1, 5, 0, 1}, Linalg.matrixPower(a, 5).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {1, -2, 0, 1}, Linalg.matrixPower(a, -2).toDoubleArray(), 1e-12);
    Array tall = f64(new int[] {3, 2}, 1, 0, 0, 1, 0, 0);
    assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, Linalg.pinv(tall).toDoubleArray(), 1e-12);
  }

  @Test
  void jitEqualsEagerAndVmapEqualsALoop() {
    Array x = f64(new int[] {2, 3}, 0.1, 0.7, 1.3, -0.4, 2.2, 3.0);
    Array xp = f64(new int[] {4}, 0, 1, 2, 3), fp = f64(new int[] {4}, 1, -1, 2, 0);
    Function<Array, Array> f = r -> Array.interp(r, xp, fp).add(Array.polyval(fp, r))
        .add(Array.convolve(r, fp, "same").sliceAxis(0, 0, 3));
    Array rows = Transforms.vmap(f).apply(x);
    Array jitted = Transforms.jit(Transforms.vmap(f)).apply(x);
    for (int i = 0; i < 2; i++) {
      Array row = x.sliceAxis(0, i, i + 1).reshape(3);
      assertArrayEquals(f.apply(row).toDoubleArray(), rows.sliceAxis(0, i, i + 1).reshape(3).toDoubleArray(), 1e-12);
    }
    assertArrayEquals(rows.toDoubleArray(), jitted.toDoubleArray(), 1e-12);
  }

  @Test
  void pinvGradientMatchesFiniteDifferences() {
    Array a = f64(new int[] {2, 3}, 1, 2, 0.5, -1, 0.3, 2);
    Array w = f64(new int[] {3, 2}, 1, -2, 0.5, 3, -1, 0.7);
    Function<Array, Array> loss = m -> Linalg.pinv(m).mul(w).sum();
    Array g = Transforms.grad(loss).apply(a);
    double[] x = a.toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      double[] up = x.clone(), dn = x.clone();
      up[i] += 1e-6;
      dn[i] -= 1e-6;
      double fd = (loss.apply(f64(a.shape(), up)).doubleValue() - loss.apply(f64(a.shape(), dn)).doubleValue()) / 2e-6;
      assertEquals(fd, g.toDoubleArray()[i], 1e-6 * (1 + Math.abs(fd)));
    }
    assertArrayEquals(g.toDoubleArray(), Transforms.jit(Transforms.grad(loss)).apply(a).toDoubleArray(), 1e-12);
  }

  @Test
  void badInputIsNamed() {
    Array v = Array.of(1f, 2f, 3f, 4f);
    ShapeError cross = assertThrows(ShapeError.class, () -> Array.cross(v, v));
    assertTrue(cross.getMessage().contains("length 2 or 3"), cross.getMessage());
    IllegalArgumentException mode = assertThrows(IllegalArgumentException.class, () -> Array.convolve(v, v, "wide"));
    assertTrue(mode.getMessage().contains("\"full\", \"same\", \"valid\""), mode.getMessage());
    ShapeError conv2d = assertThrows(ShapeError.class, () -> Array.convolve(v.reshape(2, 2), v));
    assertTrue(conv2d.getMessage().contains("only 1-d"), conv2d.getMessage());
    ShapeError interp = assertThrows(ShapeError.class, () -> Array.interp(v, v, Array.of(1f)));
    assertTrue(interp.getMessage().contains("equal size"), interp.getMessage());
    ShapeError bincount = assertThrows(ShapeError.class, () -> Array.bincount(v, 3));
    assertTrue(bincount.getMessage().contains("astype(DType.I32)"), bincount.getMessage());
    ShapeError power = assertThrows(ShapeError.class, () -> Linalg.matrixPower(Array.ones(2, 3), 2));
    assertTrue(power.getMessage().contains("not square"), power.getMessage());
    ShapeError polyval = assertThrows(ShapeError.class, () -> Array.polyval(Array.ones(2, 2), v));
    assertTrue(polyval.getMessage().contains("1-d array of coefficients"), polyval.getMessage());
  }
}
