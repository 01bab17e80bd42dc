package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code Array.tensordot}, {@code hstack/vstack/dstack/columnStack}, {@code atleast*}, {@code diff},
 * {@code ediff1d}, {@code select} and {@code Lax.convTranspose}: hand-checked values and shapes,
 * jit == eager, and the errors. Real-JAX values and gradients: {@code jnp5/*} in the jax-reference file.
 */
class TensordotStackDiffTest {
  private static Array f32(int[] shape, float... v) {
    return Array.of(DType.F32, shape, v);
  }

  @Test
  void tensordotContractsTheNamedAxes() {
    Array a = f32(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
    Array b = f32(new int[] {3, 2}, 1, 0, 0, 1, 1, 1);
    assertArrayEquals(a.matmul(b).toFloatArray(), Array.tensordot(a, b, 1).toFloatArray());
    assertArrayEquals(new int[] {2, 3, 3, 2}, Array.tensordot(a, b, 0).shape());
    // contract a's axis 0 with b's axis 1: a^T b^T
    assertArrayEquals(a.transpose().matmul(b.transpose()).toFloatArray(),
        Array.tensordot(a, b, new int[] {0}, new int[] {1}).toFloatArray());
    assertEquals(91f, Array.tensordot(a, a, 2).floatValue());
    String msg = assertThrows(ShapeError.class, () -> Array.tensordot(a, b, new int[] {1}, new int[] {1})).getMessage();
    assertTrue(msg.contains("equal lengths"), msg);
    msg = assertThrows(ShapeError.class, () -> Array.tensordot(a, b, 3)).getMessage();
    assertTrue(msg.contains("axes=3"), msg);
    msg = assertThrows(ShapeError.class, () -> Array.tensordot(a, b, new int[] {0, 1}, new int[] {0})).getMessage();
    assertTrue(msg.contains("same length"), msg);
  }

  @Test
  void stacksReshapeToTheirMinimumRankFirst() {
    Array v = f32(new int[] {2}, 1, 2);
    Array s = Array.scalar(9);
    assertArrayEquals(new float[] {1, 2, 9}, Array.hstack(v, s).toFloatArray());
    assertArrayEquals(new int[] {2, 2}, Array.vstack(v, v).shape());
    assertArrayEquals(new int[] {2, 2}, Array.columnStack(v, v).shape());
    assertArrayEquals(new float[] {1, 1, 2, 2}, Array.columnStack(v, v).toFloatArray());
    assertArrayEquals(new int[] {1, 2, 2}, Array.dstack(v, v).shape());
    assertArrayEquals(new int[] {1}, s.atleast1d().shape());
    assertArrayEquals(new int[] {1, 2}, v.atleast2d().shape());
    assertArrayEquals(new int[] {1, 2, 1}, v.atleast3d().shape());
    assertThrows(ShapeError.class, Array::hstack);
    String msg = assertThrows(ShapeError.class, () -> Array.vstack(v, f32(new int[] {3}, 1, 2, 3))).getMessage();
    assertTrue(msg.contains("differ outside axis 0"), msg);
  }

  @Test
  void diffAndEdiff1d() {
    Array x = f32(new int[] {5}, 1, 4, 9, 16, 25);
    assertArrayEquals(new float[] {3, 5, 7, 9}, x.diff().toFloatArray());
    assertArrayEquals(new float[] {2, 2, 2}, x.diff(2, 0).toFloatArray());
    assertArrayEquals(new int[] {0}, x.diff(9, 0).shape(), "more differences than elements: empty");
    assertArrayEquals(new float[] {1, 3, 5, 7, 9, -25}, x.diff(1, 0, Array.scalar(0f), Array.scalar(0f)).toFloatArray());
    assertArrayEquals(new float[] {-1, 3, 5, 7, 9, 0}, x.ediff1d(Array.scalar(0f), Array.scalar(-1f)).toFloatArray());
    Array jitted = Transforms.jit((Array t) -> t.diff(2, 0)).apply(x);
    assertArrayEquals(x.diff(2, 0).toFloatArray(), jitted.toFloatArray());
    String msg = assertThrows(ShapeError.class, () -> Array.scalar(1f).diff()).getMessage();
    assertTrue(msg.contains("rank >= 1"), msg);
    msg = assertThrows(ShapeError.class, () -> x.diff(-1, 0)).getMessage();
    assertTrue(msg.contains("non-negative"), msg);
    msg = assertThrows(ShapeError.class, () -> x.diff(1, 1)).getMessage();
    assertTrue(msg.contains("axis 1 is out of range"), msg);
  }

  @Test
  void selectPicksTheFirstTrueCondition() {
    Array x = f32(new int[] {4}, -2, -0.5f, 0.5f, 3);
    Array r = Array.select(List.of(x.lt(0), x.lt(-1)), List.of(x.mul(0).add(5), x.mul(100)), -1);
    assertArrayEquals(new float[] {5, 5, -1, -1}, r.toFloatArray(), "x < 0 is first, so -2 takes choice 0");
    assertEquals(DType.I32, Array.select(List.of(x.lt(0)), List.of(Array.of(DType.I32, new int[] {4}, new int[] {1, 2, 3, 4})),
        0).dtype(), "an integer choice with the weak default 0 stays i32");
    String msg = assertThrows(ShapeError.class, () -> Array.select(List.of(x), List.of(x), 0)).getMessage();
    assertTrue(msg.contains("not bool"), msg);
    msg = assertThrows(ShapeError.class, () -> Array.select(List.of(x.lt(0)), List.of(), 0)).getMessage();
    assertTrue(msg.contains("one choice per condition"), msg);
  }

  @Test
  void convTransposeUpsamplesByTheStride() {
    Array x = Array.ones(1, 4, 5, 3); // NHWC
    Array k = Array.ones(3, 3, 3, 2); // HWIO
    assertArrayEquals(new int[] {1, 8, 10, 2}, Lax.convTranspose(x, k, new int[] {2, 2}, "SAME").shape());
    assertArrayEquals(new int[] {1, 9, 11, 2}, Lax.convTranspose(x, k, new int[] {2, 2}, "VALID").shape());
    Array eager = Lax.convTranspose(x, k, new int[] {2, 2}, "SAME");
    Array jitted = Transforms.jit((Array a, Array b) -> Lax.convTranspose(a, b, new int[] {2, 2}, "SAME")).apply(x, k);
    assertArrayEquals(eager.toFloatArray(), jitted.toFloatArray());
    String msg = assertThrows(IllegalArgumentException.class,
        () -> Lax.convTranspose(x, k, new int[] {2, 2}, "FULL")).getMessage();
    assertTrue(msg.contains("\"SAME\" or \"VALID\""), msg);
    msg = assertThrows(IllegalArgumentException.class, () -> Lax.convTranspose(x, k, new int[] {2}, "SAME")).getMessage();
    assertTrue(msg.contains("one per spatial dim"), msg);
    msg = assertThrows(ShapeError.class, () -> Lax.convTranspose(x, Array.ones(3, 3, 4, 2), new int[] {2, 2}, "SAME"))
        .getMessage();
    assertTrue(msg.contains("channels"), msg);
  }
}
