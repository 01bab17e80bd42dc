package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Params;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code x.at(idx).set/add/mul/min/max/get} (JAX's {@code x.at[idx]}): values against what JAX
 * gives (written out by hand below), negative and out-of-bounds indices (updates dropped, reads
 * clamped), duplicates, the input never modified, jit == eager, the jaxpr names, and errors.
 */
class AtUpdateTest {
  private static final Array X = Array.of(DType.F32, new int[] {4, 2}, 0f, 1f, 10f, 11f, 20f, 21f, 30f, 31f);

  @Test
  void setWritesRowsAndLeavesTheInputAlone() {
    // jnp.arange-like x; x.at[2].set(jnp.array([7., 8.]))
    Array y = X.at(2).set(Array.of(7f, 8f));
    assertArrayEquals(new float[] {0, 1, 10, 11, 7, 8, 30, 31}, y.toFloatArray());
    assertArrayEquals(new float[] {0, 1, 10, 11, 20, 21, 30, 31}, X.toFloatArray(), "x is never changed");
    // a scalar update broadcasts over the row; -1 is the last row
    assertArrayEquals(new float[] {0, 1, 10, 11, 20, 21, -5, -5}, X.at(-1).set(-5).toFloatArray());
    // index array: rows 3 and 0, one update row each
    Array z = X.at(Array.of(3, 0)).set(Array.of(DType.F32, new int[] {2, 2}, 1f, 2f, 3f, 4f));
    assertArrayEquals(new float[] {3, 4, 10, 11, 20, 21, 1, 2}, z.toFloatArray());
  }

  @Test
  void duplicateSetsKeepTheLastAndDuplicateAddsAccumulate() {
    Array v = Array.of(DType.F32, new int[] {3, 1}, 100f, 200f, 300f);
    Array idx = Array.of(1, 1, 1);
    // documented: the last duplicate in index order wins (JAX leaves the order unspecified)
    assertArrayEquals(new float[] {0, 1, 300, 300, 20, 21, 30, 31}, X.at(idx).set(v).toFloatArray());
    // x.at[[1, 1, 1]].add(...): all three land
    assertArrayEquals(new float[] {0, 1, 610, 611, 20, 21, 30, 31}, X.at(idx).add(v).toFloatArray());
    // multiply twice into row 0
    assertArrayEquals(new float[] {0, 6, 10, 11, 20, 21, 30, 31},
        X.at(Array.of(0, 0)).mul(Array.of(DType.F32, new int[] {2, 1}, 2f, 3f)).toFloatArray());
  }

  @Test
  void outOfBoundsUpdatesAreDroppedAndReadsClamped() {
    Array idx = Array.of(4, -5, 1, 100);  // 4 and 100 past the end, -5 before the start after wrapping
    Array v = Array.of(DType.F32, new int[] {4, 1}, 1f, 2f, 3f, 4f);
    float[] onlyRow1 = {0, 1, 3, 3, 20, 21, 30, 31};
    assertArrayEquals(onlyRow1, X.at(idx).set(v).toFloatArray());
    assertArrayEquals(new float[] {0, 1, 13, 14, 20, 21, 30, 31}, X.at(idx).add(v).toFloatArray());
    assertArrayEquals(new float[] {0, 1, 30, 33, 20, 21, 30, 31}, X.at(idx).mul(v).toFloatArray());
    assertArrayEquals(new float[] {0, 1, 3, 3, 20, 21, 30, 31}, X.at(idx).min(v).toFloatArray());
    assertArrayEquals(X.toFloatArray(), X.at(idx).max(v).toFloatArray());
    assertArrayEquals(X.toFloatArray(), X.at(7).set(0).toFloatArray(), "a static out-of-bounds index too");
    Array empty = Array.zeros(DType.F32, 0, 2);
    for (Array r : new Array[] {empty.at(Array.of(0, 3)).set(1), empty.at(0).add(1), empty.at(Array.of(1)).max(1)}) {
      assertArrayEquals(new int[] {0, 2}, r.shape(), "an empty axis drops every update");
    }
    // get: -1 is the last row; 9 clamps to the last row, -9 (still negative) to the first
    Array got = X.at(Array.of(-1, 9, -9)).get();
    assertArrayEquals(new int[] {3, 2}, got.shape());
    assertArrayEquals(new float[] {30, 31, 30, 31, 0, 1}, got.toFloatArray());
    assertArrayEquals(new float[] {20, 21}, X.at(2).get().toFloatArray());
  }

  @Test
  void minAndMaxPropagateNaNLikeLaxMinMax() {
    Array x = Array.of(1f, 5f, Float.NaN);
    assertArrayEquals(new float[] {1, 3, Float.NaN}, x.at(Array.of(0, 1, 2)).min(Array.of(2f, 3f, 0f)).toFloatArray());
    assertArrayEquals(new float[] {2, Float.NaN, Float.NaN},
        x.at(Array.of(0, 1, 2)).max(Array.of(2f, Float.NaN, 0f)).toFloatArray());
  }

  @Test
  void integerAndBoolArrays() {
    Array xi = Array.of(5, 6, 7);
    assertArrayEquals(new int[] {5, 60, 7}, xi.at(1).mul(10).toIntArray());
    assertArrayEquals(new int[] {5, -1, 7}, xi.at(Array.of(1)).min(Array.of(-1)).toIntArray());
    assertArrayEquals(new int[] {9, 6, 7}, xi.at(0).max(9).toIntArray());
    Array u = Array.of(DType.U32, new int[] {3}, 1, 2, 3);
    // u32: 0xFFFFFFFF is the largest value, so max keeps it and min does not
    assertArrayEquals(new int[] {-1, 2, 3}, u.at(Array.of(DType.U32, new int[] {1}, 0)).max(Array.of(DType.U32, new int[] {1}, -1)).toIntArray());
    Array b = Array.of(true, false);
    assertArrayEquals(new boolean[] {true, true}, b.at(1).set(Array.of(true).reshape()).toBooleanArray());
    assertEquals(DType.F32, X.at(0).set(Array.scalar(DType.F64, 1.5)).dtype(), "updates take x's dtype");
  }

  @Test
  void jitMatchesEagerAndStagesOneScatter() {
    Function<Array, Array> f = i -> X.at(i).set(Array.of(-1f, -2f)).at(i.add(1)).mul(2);
    var jitted = Transforms.jit(f);
    for (int i : new int[] {0, 2, 3, -1, 5}) {
      Array idx = Array.scalar(DType.I32, i);
      assertArrayEquals(f.apply(idx).toFloatArray(), jitted.apply(idx).toFloatArray(), "index " + i);
    }
    String jaxpr = Transforms.makeJaxpr(f, Array.scalar(DType.I32, 0)).toString();
    assertTrue(jaxpr.contains("scatter["), jaxpr);
    assertTrue(jaxpr.contains("scatter_mul["), jaxpr);
  }

  @Test
  void clearErrors() {
    ShapeError e = assertThrows(ShapeError.class, () -> X.at(Array.of(0.5f)));
    assertTrue(e.getMessage().contains("astype(DType.I32)"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.scalar(1).at(0));
    assertTrue(e.getMessage().contains("rank-0"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> X.at(Array.of(0, 1)).set(Array.of(1f, 2f, 3f)));
    assertTrue(e.getMessage().contains("[2,2]") && e.getMessage().contains("[3]"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.of(true).at(0).max(Array.of(false)));
    assertTrue(e.getMessage().contains("only set works on bool"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> ArrayPrims.SCATTER.bind1(Params.of("axis", 0), X,
        Array.of(0), Array.zeros(2, 2)));
    assertTrue(e.getMessage().contains("updates are") && e.getMessage().contains("f32[1,2]"), e.getMessage());
  }
}
