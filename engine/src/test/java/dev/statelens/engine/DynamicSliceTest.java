package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code Lax.dynamicSlice/dynamicUpdateSlice} (and the {@code InDim} forms): values as
 * {@code lax.dynamic_slice} gives them (written out), start indices clamped so the block fits,
 * traced starts under jit, a jitted {@code forI} that writes row t of a buffer, and errors.
 */
class DynamicSliceTest {
  /** x[i, j] = 10 i + j, 4 x 3. */
  private static final Array X = Array.of(DType.F32, new int[] {4, 3}, 0f, 1f, 2f, 10f, 11f, 12f, 20f, 21f, 22f, 30f, 31f, 32f);

  private static Array i32(int v) {
    return Array.scalar(DType.I32, v);
  }

  @Test
  void sliceTakesTheBlockAtTheStart() {
    Array r = Lax.dynamicSlice(X, new Array[] {i32(1), i32(1)}, 2, 2);
    assertArrayEquals(new int[] {2, 2}, r.shape());
    assertArrayEquals(new float[] {11, 12, 21, 22}, r.toFloatArray());
    // lax clamps the start so the block fits: start (3, 2) for a 2x2 block becomes (2, 1)
    assertArrayEquals(new float[] {21, 22, 31, 32}, Lax.dynamicSlice(X, new Array[] {i32(3), i32(2)}, 2, 2).toFloatArray());
    assertArrayEquals(new float[] {0, 1, 10, 11}, Lax.dynamicSlice(X, new Array[] {i32(-4), i32(-1)}, 2, 2).toFloatArray());
    assertArrayEquals(new float[] {20, 21, 22}, Lax.dynamicSliceInDim(X, i32(2), 1, 0).reshape(-1).toFloatArray());
    Array u = Lax.dynamicSlice(X, new Array[] {Array.of(DType.U32, new int[0], -1), i32(0)}, 1, 3);
    assertArrayEquals(new float[] {30, 31, 32}, u.reshape(-1).toFloatArray(), "u32 0xFFFFFFFF is large, clamped to the end");
  }

  @Test
  void updateWritesTheBlockAndClamps() {
    Array patch = Array.of(DType.F32, new int[] {2, 2}, -1f, -2f, -3f, -4f);
    assertArrayEquals(new float[] {0, 1, 2, 10, -1, -2, 20, -3, -4, 30, 31, 32},
        Lax.dynamicUpdateSlice(X, patch, i32(1), i32(1)).toFloatArray());
    // start (5, -2) is clamped to (2, 0)
    assertArrayEquals(new float[] {0, 1, 2, 10, 11, 12, -1, -2, 22, -3, -4, 32},
        Lax.dynamicUpdateSlice(X, patch, i32(5), i32(-2)).toFloatArray());
    assertArrayEquals(new float[] {0, 1, 2, 7, 8, 9, 20, 21, 22, 30, 31, 32},
        Lax.dynamicUpdateSliceInDim(X, Array.of(7f, 8f, 9f).reshape(1, 3), i32(1), 0).toFloatArray());
    assertArrayEquals(new float[] {0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32}, X.toFloatArray(), "x is unchanged");
    // rank 0 and an i32 operand
    assertArrayEquals(new int[] {4}, Lax.dynamicUpdateSlice(Array.scalar(DType.I32, 3), Array.scalar(DType.I32, 4)).reshape(1).toIntArray());
  }

  @Test
  void jitWithTracedStartsMatchesEager() {
    BiFunction<Array, Array, Array> f = (i, j) -> Lax.dynamicSlice(X, new Array[] {i, j}, 2, 2).sum()
        .add(Lax.dynamicUpdateSlice(X, Array.zeros(DType.F32, 1, 3), i, j).sum());
    var jitted = Transforms.jit(f);
    for (int i = -1; i < 5; i++) {
      for (int j = -1; j < 3; j++) {
        assertArrayEquals(f.apply(i32(i), i32(j)).toFloatArray(), jitted.apply(i32(i), i32(j)).toFloatArray(), i + "," + j);
      }
    }
    String jaxpr = Transforms.makeJaxpr(f, i32(0), i32(0)).toString();
    assertTrue(jaxpr.contains("dynamic_slice[") && jaxpr.contains("dynamic_update_slice"), jaxpr);
  }

  @Test
  void aJittedLoopWritesRowTOfABuffer() {
    // buf[t] = t * (1, 2, 3) for t in 0..4, with t traced (a scan under jit)
    Function<Array, Array> fill = buf -> Lax.forI(0, 5, (t, b) ->
        Lax.dynamicUpdateSliceInDim(b, Array.of(1f, 2f, 3f).mul(t.astype(DType.F32)).reshape(1, 3), t, 0), buf);
    Array got = Transforms.jit(fill).apply(Array.zeros(DType.F32, 5, 3));
    assertArrayEquals(new float[] {0, 0, 0, 1, 2, 3, 2, 4, 6, 3, 6, 9, 4, 8, 12}, got.toFloatArray());
    assertArrayEquals(got.toFloatArray(), fill.apply(Array.zeros(DType.F32, 5, 3)).toFloatArray(), "eager loop");
  }

  @Test
  void clearErrors() {
    ShapeError e = assertThrows(ShapeError.class, () -> Lax.dynamicSlice(X, new Array[] {i32(0)}, 1, 1));
    assertTrue(e.getMessage().contains("needs 2 start indices"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Lax.dynamicSlice(X, new Array[] {i32(0), i32(0)}, 5, 1));
    assertTrue(e.getMessage().contains("do not fit") && e.getMessage().contains("[4,3]"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Lax.dynamicSlice(X, new Array[] {Array.scalar(1.0), i32(0)}, 1, 1));
    assertTrue(e.getMessage().contains("rank-0 i32 or u32"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Lax.dynamicUpdateSlice(X, Array.of(1f, 2f, 3f), i32(0), i32(0)));
    assertTrue(e.getMessage().contains("reshape the update"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Lax.dynamicUpdateSlice(X, Array.zeros(DType.F64, 1, 3), i32(0), i32(0)));
    assertTrue(e.getMessage().contains("astype(F32)") || e.getMessage().contains("astype(f32)"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Lax.dynamicUpdateSlice(X, Array.zeros(DType.F32, 5, 1), i32(0), i32(0)));
    assertTrue(e.getMessage().contains("larger than operand"), e.getMessage());
  }
}
