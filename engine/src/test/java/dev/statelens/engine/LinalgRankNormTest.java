package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Linalg#matrixRank}, {@link Linalg#cond}, {@link Linalg#multiDot}, {@link Linalg#vectorNorm}
 * and {@link Linalg#matrixNorm}: exact cases, the chain order, errors. The real-JAX comparison is
 * JaxReferenceTest's jnp7/linalg cases.
 */
class LinalgRankNormTest {

  @Test
  void rankAndConditionOfKnownMatrices() {
    Array m = Array.of(DType.F64, new int[] {2, 3, 3}, 1, 0, 0, 0, 2, 0, 0, 0, 4, 1, 2, 3, 2, 4, 6, 0, 0, 1);
    assertArrayEquals(new int[] {3, 2}, Linalg.matrixRank(m).toIntArray());
    Array diag = m.sliceAxis(0, 0, 1).squeeze(0);
    assertEquals(4.0, Linalg.cond(diag).item(), 1e-12);
    assertEquals(4.0, Linalg.cond(diag, 1).item(), 1e-12);
    assertEquals(0.25, Linalg.cond(diag, -2).item(), 1e-12);
    // a singular matrix: inf, not NaN (as JAX)
    assertEquals(Double.POSITIVE_INFINITY, Linalg.cond(Array.of(DType.F64, new int[] {2, 2}, 1, 2, 2, 4), 1).item());
  }

  @Test
  void multiDotPicksTheCheapestOrder() {
    // 10x100, 100x5, 5x50: (AB)C costs 7500, A(BC) 75000
    int[][] split = MultiDot.chainOrder(new int[] {10, 100, 5, 50});
    assertEquals(1, split[0][2]);
    Array a = Array.arange(DType.F64, 0, 6, 1).reshape(2, 3);
    Array b = Array.arange(DType.F64, 0, 12, 1).reshape(3, 4);
    Array v = Array.of(DType.F64, new int[] {4}, 1, -1, 2, 0.5);
    assertArrayEquals(a.matmul(b).matmul(v).toDoubleArray(), Linalg.multiDot(a, b, v).toDoubleArray(), 1e-12);
    Exception e = assertThrows(ShapeError.class, () -> Linalg.multiDot(a, a));
    assertTrue(e.getMessage().contains("[2, 3], [2, 3]"), e.getMessage());
    assertThrows(ShapeError.class, () -> Linalg.multiDot(a));
  }

  @Test
  void normsAndTheirErrors() {
    Array x = Array.of(DType.F64, new int[] {2, 2}, 3, -4, 0, 12);
    assertEquals(13.0, Linalg.vectorNorm(x).item(), 1e-12);
    assertArrayEquals(new int[] {1, 2}, Linalg.vectorNorm(x, 1, true, 0).shape());
    assertEquals(3.0, Linalg.vectorNorm(x, 0, false).item());
    assertEquals(13.0, Linalg.matrixNorm(x).item(), 1e-12);
    assertEquals(16.0, Linalg.matrixNorm(x, 1).item(), 1e-12);
    Exception e = assertThrows(ShapeError.class, () -> Linalg.matrixNorm(Array.of(1f, 2f)));
    assertTrue(e.getMessage().contains("vectorNorm"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Linalg.cond(Array.ones(DType.F32, 2, 3), 1));
    assertTrue(e.getMessage().contains("square") && e.getMessage().contains("p = 2"), e.getMessage());
    assertThrows(ShapeError.class, () -> Linalg.cond(Array.of(1f, 2f)));
  }
}
