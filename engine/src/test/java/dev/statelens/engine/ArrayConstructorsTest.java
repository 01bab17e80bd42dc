package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The compositions: {@code pad}, {@code eye}, {@code linspace}, {@code prod} (and its gradient
 * with zeros), {@code tile}, {@code repeat}, {@code split}/{@code splitAt} — values as NumPy gives
 * them (written out), jit == eager, gradients, and errors.
 */
class ArrayConstructorsTest {
  private static final Array M = Array.of(DType.F32, new int[] {2, 3}, 1f, 2f, 3f, 4f, 5f, 6f);

  @Test
  void padAddsConstantBorders() {
    // np.pad([[1,2,3],[4,5,6]], ((1, 0), (0, 2)), constant_values=-1)
    Array p = M.pad(new int[][] {{1, 0}, {0, 2}}, -1);
    assertArrayEquals(new int[] {3, 5}, p.shape());
    assertArrayEquals(new float[] {-1, -1, -1, -1, -1, 1, 2, 3, -1, -1, 4, 5, 6, -1, -1}, p.toFloatArray());
    assertArrayEquals(new int[] {0, 7, 8, 0}, Array.of(7, 8).pad(new int[][] {{1, 1}}).toIntArray());
  }

  @Test
  void eyeAndLinspace() {
    assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, Array.eye(3).toFloatArray());
    Array e = Array.eye(DType.I32, 2, 3);
    assertArrayEquals(new int[] {2, 3}, e.shape());
    assertArrayEquals(new int[] {1, 0, 0, 0, 1, 0}, e.toIntArray());
    // jnp.linspace(0, 1, 5) and (2, -1, 4); the last value is stop exactly
    assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1}, Array.linspace(0, 1, 5).toFloatArray());
    // JAX's formula in f32: 2 * (1 - 1/3) + -1 * (1/3) rounds to 0.9999999, not NumPy's 1.0
    float[] down = Array.linspace(2, -1, 4).toFloatArray();
    assertArrayEquals(new float[] {2, 1, 0, -1}, down, 2e-7f);
    assertEquals(2 * (1 - 1 / 3f) + -1 * (1 / 3f), down[1], 0f);
    assertArrayEquals(new float[] {3}, Array.linspace(3, 9, 1).toFloatArray(), "num=1 gives start");
    assertEquals(0, Array.linspace(0, 1, 0).size());
    Array d = Array.linspace(DType.F64, 0, 0.3, 4);
    assertEquals(DType.F64, d.dtype());
    assertEquals(0.3, d.toDoubleArray()[3]);
    assertEquals(0 * (1 - 1.0 / 3) + 0.3 * (1.0 / 3), d.toDoubleArray()[1], 0.0, "JAX's formula, in f64");
  }

  @Test
  void prodIsTheProductAndItsGradientHandlesZeros() {
    assertEquals(720f, M.prod().floatValue());
    assertArrayEquals(new float[] {4, 10, 18}, M.prod(0).toFloatArray());
    assertArrayEquals(new float[] {6, 120}, M.prod(-1).toFloatArray());
    assertArrayEquals(new float[] {1, 1}, Array.zeros(DType.F32, 2, 0).prod(1).toFloatArray(), "empty product");
    assertEquals(DType.I32, Array.of(true, true).prod().dtype());
    assertArrayEquals(new int[] {0, 720}, Array.of(DType.I32, new int[] {2, 3}, 1, 0, 3, 4, 5, 36).prod(1).toIntArray());
    // d prod / dx_i = product of the others: [0, 2*3, 0] for x = [2, 0, 3]; no zero: prod / x_i
    Function<Array, Array> p = x -> x.prod();
    assertArrayEquals(new double[] {0, 6, 0}, Transforms.grad(p).apply(Array.of(DType.F64, new int[] {3}, 2, 0, 3)).toDoubleArray());
    assertArrayEquals(new double[] {0, 0, 0}, Transforms.grad(p).apply(Array.of(DType.F64, new int[] {3}, 0, 5, 0)).toDoubleArray());
    assertArrayEquals(new double[] {12, 8, 6}, Transforms.grad(p).apply(Array.of(DType.F64, new int[] {3}, 2, 3, 4)).toDoubleArray());
    // over two of three axes, under jit
    Array x = Array.of(DType.F64, new int[] {2, 2, 2}, 1, 2, 3, 4, 5, 6, 7, 8);
    Function<Array, Array> p02 = v -> v.prod(0, 2);
    assertArrayEquals(new double[] {1 * 2 * 5 * 6, 3 * 4 * 7 * 8}, Transforms.jit(p02).apply(x).toDoubleArray());
    assertArrayEquals(new double[] {2 * 5 * 6, 5 * 6, 1 * 2 * 6, 1 * 2 * 5}, Transforms.grad((Array v) -> v.prod(0, 2).sliceAxis(0, 0, 1).sum())
        .apply(x).reshape(-1).sliceAxis(0, 0, 8).take(Array.of(0, 1, 4, 5)).toDoubleArray());
  }

  @Test
  void tileAndRepeat() {
    // np.tile([[1,2,3],[4,5,6]], 2) and np.tile(x, (2, 1))
    assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}, M.tile(2).toFloatArray());
    assertArrayEquals(new int[] {2, 6}, M.tile(2).shape());
    assertArrayEquals(new int[] {4, 3}, M.tile(2, 1).shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, M.tile(2, 1).toFloatArray());
    assertArrayEquals(new int[] {3, 2, 3}, M.tile(3, 1, 1).shape());
    assertArrayEquals(new int[] {7, 8, 7, 8}, Array.of(7, 8).tile(2).toIntArray());
    // np.repeat(x, 2, axis=1) and flattened
    assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6}, M.repeat(2, 1).toFloatArray());
    assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}, M.repeat(2, 0).toFloatArray());
    assertArrayEquals(new int[] {1, 1, 1, 2, 2, 2}, Array.of(1, 2).repeat(3).toIntArray());
  }

  @Test
  void splitCutsIntoParts() {
    Array x = Array.arange(6).reshape(2, 3);
    List<Array> cols = x.split(3, 1);
    assertEquals(3, cols.size());
    assertArrayEquals(new int[] {1, 4}, cols.get(1).toIntArray());
    assertArrayEquals(new int[] {2, 1}, cols.get(1).shape());
    List<Array> parts = Array.arange(7).splitAt(new int[] {2, 5}, 0);
    assertArrayEquals(new int[] {0, 1}, parts.get(0).toIntArray());
    assertArrayEquals(new int[] {2, 3, 4}, parts.get(1).toIntArray());
    assertArrayEquals(new int[] {5, 6}, parts.get(2).toIntArray());
    Array joined = Array.concatenate(1, cols);
    assertArrayEquals(x.toIntArray(), joined.toIntArray());
  }

  @Test
  void compositionsAgreeUnderJit() {
    Function<Array, Array> f = x -> x.pad(new int[][] {{0, 1}, {2, 0}}, 1).tile(1, 2).repeat(2, 0).sum(0)
        .add(Array.linspace(0, 1, 10)).mul(Array.eye(10).sum(1));
    assertArrayEquals(f.apply(M).toFloatArray(), Transforms.jit(f).apply(M).toFloatArray());
  }

  @Test
  void clearErrors() {
    ShapeError e = assertThrows(ShapeError.class, () -> M.pad(new int[][] {{1, 1}}, 0));
    assertTrue(e.getMessage().contains("needs 2 {before, after} pairs"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> M.pad(new int[][] {{1, 1}, {-1, 0}}, 0));
    assertTrue(e.getMessage().contains("both >= 0"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> M.split(2, 1));
    assertTrue(e.getMessage().contains("does not divide into 2"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> M.splitAt(new int[] {2, 1}, 1));
    assertTrue(e.getMessage().contains("must ascend"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.linspace(DType.I32, 0, 1, 3));
    assertTrue(e.getMessage().contains("F32 or F64"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> M.tile(-1));
    assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
  }
}
