package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Edge cases of the matrix norms and {@link Linalg#pinv}: empty matrices and half-precision input.
 * The expected values are what real JAX 0.10.2 (CPU, /tmp/o2venv) printed for the same calls,
 * noted per case.
 */
class LinalgEmptyAndHalfTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  /** JAX: norm(x, ord, axis=(-2, -1)) with ord 1 or inf is amax(sums, initial=0), 0.0 for all four shapes. */
  @Test
  void emptyMatrixMaxNormsAreZeroAsJaxsInitialZero() {
    for (int[] shape : new int[][] {{0, 3}, {3, 0}, {0, 0}, {2, 0, 3}}) {
      Array x = Array.zeros(DType.F32, shape);
      int[] batch = java.util.Arrays.copyOf(shape, shape.length - 2);
      for (double ord : new double[] {1, INF}) {
        String what = java.util.Arrays.toString(shape) + " ord " + ord;
        Array viaArray = x.norm(ord, -2, -1);
        Array viaLinalg = Linalg.matrixNorm(x, ord);
        assertArrayEquals(batch, viaArray.shape(), what);
        assertArrayEquals(new double[batch.length == 0 ? 1 : batch[0]], viaArray.toDoubleArray(), what);
        assertArrayEquals(viaArray.toDoubleArray(), viaLinalg.toDoubleArray(), what);
        // JAX's grad is zeros of x's (empty) shape
        Array g = Transforms.grad((Array a) -> a.norm(ord, -2, -1).sum()).apply(x);
        assertArrayEquals(shape, g.shape(), what);
      }
    }
  }

  /**
   * JAX: ord -1 and -inf take amin with no initial, so an empty axis to take it over raises
   * "zero-size array to reduction operation min which has no identity" ([3, 0] ord -1, [0, 3]
   * ord -inf, [0, 0] both); where the min runs over non-empty zero sums it is 0.0.
   */
  @Test
  void emptyMatrixMinNormsAreRefusedWhereJaxRefusesThem() {
    double[][] refused = {{3, 0, -1}, {0, 3, -INF}, {0, 0, -1}, {0, 0, -INF}};
    for (double[] c : refused) {
      Array x = Array.zeros(DType.F32, (int) c[0], (int) c[1]);
      Exception e = assertThrows(ShapeError.class, () -> Linalg.matrixNorm(x, c[2]));
      assertTrue(e.getMessage().contains("min of nothing") && e.getMessage().contains("[" + (int) c[0] + "," + (int) c[1] + "]"),
          e.getMessage());
      assertThrows(ShapeError.class, () -> x.norm(c[2], 0, 1));
    }
    assertArrayEquals(new double[] {0}, Linalg.matrixNorm(Array.zeros(DType.F32, 0, 3), -1).toDoubleArray());
    assertArrayEquals(new double[] {0}, Linalg.matrixNorm(Array.zeros(DType.F32, 3, 0), -INF).toDoubleArray());
    assertArrayEquals(new double[] {0, 0}, Array.zeros(DType.F32, 2, 0, 3).norm(-1, -2, -1).toDoubleArray());
  }

  /** JAX: pinv of an empty [..., m, n] is an empty [..., n, m] (shapes (3, 0), (0, 3), (2, 3, 0)). */
  @Test
  void pinvOfAnEmptyMatrixIsEmptyTransposedShape() {
    assertArrayEquals(new int[] {3, 0}, Linalg.pinv(Array.zeros(DType.F32, 0, 3)).shape());
    assertArrayEquals(new int[] {0, 3}, Linalg.pinv(Array.zeros(DType.F32, 3, 0)).shape());
    assertArrayEquals(new int[] {2, 3, 0}, Linalg.pinv(Array.zeros(DType.F64, 2, 0, 3)).shape());
    Array g = Transforms.grad((Array a) -> Linalg.pinv(a).sum()).apply(Array.zeros(DType.F32, 0, 3));
    assertArrayEquals(new int[] {0, 3}, g.shape());
  }

  /**
   * JAX's default cutoff is {@code 10 * max(m, n) * finfo(a.dtype).eps} (jnp.linalg.pinv's source
   * and docstring); real JAX cannot show it for bf16/f16 on CPU, its SVD refuses them ("Unsupported
   * dtype bfloat16"). We keep the SVD and apply the formula with the input's own eps: 2x2 bf16
   * cuts at 20 * 2^-7 = 0.156, f16 at 20 * 2^-10 = 0.0195 of s_max (f32's eps would keep both small values).
   */
  @Test
  void pinvDefaultCutoffUsesTheHalfDtypesOwnEps() {
    Array bf = Array.of(DType.F32, new int[] {2, 2}, 1, 0, 0, 0.1f).astype(DType.BF16);
    assertArrayEquals(new double[] {1, 0, 0, 0}, Linalg.pinv(bf).astype(DType.F64).toDoubleArray(), 1e-2);
    Array bfKept = Array.of(DType.F32, new int[] {2, 2}, 1, 0, 0, 0.25f).astype(DType.BF16);
    assertArrayEquals(new double[] {1, 0, 0, 4}, Linalg.pinv(bfKept).astype(DType.F64).toDoubleArray(), 2e-2);
    Array h = Array.of(DType.F32, new int[] {2, 2}, 1, 0, 0, 0.01f).astype(DType.F16);
    assertArrayEquals(new double[] {1, 0, 0, 0}, Linalg.pinv(h).astype(DType.F64).toDoubleArray(), 1e-3);
    Array hKept = Array.of(DType.F32, new int[] {2, 2}, 1, 0, 0, 0.05f).astype(DType.F16);
    assertArrayEquals(new double[] {1, 0, 0, 20}, Linalg.pinv(hKept).astype(DType.F64).toDoubleArray(), 2e-2);
    // an explicit rtol still wins
    assertArrayEquals(new double[] {1, 0, 0, 10}, Linalg.pinv(bf, 1e-3).astype(DType.F64).toDoubleArray(), 0.1);
  }
}
