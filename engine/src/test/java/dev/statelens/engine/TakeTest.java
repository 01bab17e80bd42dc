package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * {@code Array.take} / {@code takeAlongAxis} (the {@code gather} primitive, clip mode),
 * {@code scatter_add}, {@code clip}, {@code var} and {@code std}: values against direct loops,
 * out-of-range indices, jit against eager, gradients and clear errors.
 */
class TakeTest {

  /** x[i, j, k] = 100 i + 10 j + k, so a taken value names its source. */
  private static Array cube(int a, int b, int c) {
    double[] v = new double[a * b * c];
    for (int i = 0; i < a; i++) {
      for (int j = 0; j < b; j++) {
        for (int k = 0; k < c; k++) {
          v[(i * b + j) * c + k] = 100 * i + 10 * j + k;
        }
      }
    }
    return Array.of(DType.F64, new int[] {a, b, c}, v);
  }

  @Test
  void takeAlongTheMiddleAxisMatchesALoop() {
    Array x = cube(2, 4, 3);
    Array idx = Array.of(DType.I32, new int[] {2, 2}, 3, 0, 1, 1);
    Array r = x.take(idx, 1);
    assertArrayEquals(new int[] {2, 2, 2, 3}, r.shape());
    double[] got = r.toDoubleArray();
    int[] ix = {3, 0, 1, 1};
    int n = 0;
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 4; j++) {
        for (int k = 0; k < 3; k++) {
          assertEquals(100 * i + 10 * ix[j] + k, got[n++], "element " + (n - 1));
        }
      }
    }
  }

  @Test
  void embeddingLookupTakesRowsAndKeepsTheDtype() {
    Array table = Array.of(DType.F32, new int[] {3, 2}, 0f, 1f, 10f, 11f, 20f, 21f);
    Array tokens = Array.of(DType.I32, new int[] {2, 2}, 2, 0, 1, 2);
    Array e = table.take(tokens, 0);
    assertEquals(DType.F32, e.dtype());
    assertArrayEquals(new int[] {2, 2, 2}, e.shape());
    assertArrayEquals(new float[] {20, 21, 0, 1, 10, 11, 20, 21}, e.toFloatArray());
    // negative axis, rank-0 index: one column, the axis removed
    assertArrayEquals(new float[] {1, 11, 21}, table.take(Array.scalar(DType.I32, 1), -1).toFloatArray());
    // integer and bool operands are gathered as well
    assertArrayEquals(new int[] {7, 5}, Array.of(5, 6, 7).take(Array.of(2, 0)).toIntArray());
    assertArrayEquals(new boolean[] {true, false}, Array.of(false, true).take(Array.of(1, 0)).toBooleanArray());
  }

  @Test
  void outOfRangeIndicesAreClampedAsJaxClipMode() {
    Array x = Array.of(10.0, 11.0, 12.0);
    // -1 is clamped to 0 (clip mode does not wrap negatives), 3 and 1000 to 2
    assertArrayEquals(new double[] {10, 10, 12, 12, 11}, x.take(Array.of(-1, -7, 3, 1000, 1)).toDoubleArray());
    // u32 indices are unsigned: 0xFFFFFFFF is huge, so it takes the last element
    Array big = Array.of(DType.U32, new int[] {2}, 0xFFFFFFFF, 1);
    assertArrayEquals(new double[] {12, 11}, x.take(big).toDoubleArray());
    // the same under jit (the compiled graph clamps too)
    Array jitted = Transforms.jit((Array a, Array i) -> a.take(i, 0)).apply(x, Array.of(-1, 3, 1));
    assertArrayEquals(new double[] {10, 12, 11}, jitted.toDoubleArray());
  }

  @Test
  void takeWithoutAxisIndexesTheFlattenedArray() {
    Array x = cube(2, 2, 2);
    assertArrayEquals(new double[] {111, 0, 10}, x.take(Array.of(7, 0, 2)).toDoubleArray());
  }

  @Test
  void takeAlongAxisPicksOneElementPerRow() {
    Array logits = Array.of(DType.F64, new int[] {3, 4}, 0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23);
    Array labels = Array.of(3, 0, 9);
    Array picked = logits.takeAlongAxis(labels.expandDims(-1), -1);
    assertArrayEquals(new int[] {3, 1}, picked.shape());
    assertArrayEquals(new double[] {3, 10, 23}, picked.toDoubleArray()); // 9 clamped to 3
    // along axis 0 with two picks per column
    Array rows = Array.of(DType.I32, new int[] {2, 4}, 0, 1, 2, -5, 2, 2, 0, 1);
    assertArrayEquals(new double[] {0, 11, 22, 3, 20, 21, 2, 13},
        logits.takeAlongAxis(rows, 0).toDoubleArray());
    // indices broadcast along the other axes
    assertArrayEquals(new double[] {1, 11, 21},
        logits.takeAlongAxis(Array.of(DType.I32, new int[] {1, 1}, 1), 1).reshape(-1).toDoubleArray());
  }

  @Test
  void jitMatchesEagerAndTracesOneGatherEquation() {
    Array x = cube(3, 5, 2);
    Array idx = Array.of(DType.I32, new int[] {4}, 4, -2, 0, 9);
    BiFunction<Array, Array, Array> f = (a, i) -> a.take(i, 1).mul(2).sum(2);
    Array eager = f.apply(x, idx);
    Array jitted = Transforms.jit(f).apply(x, idx);
    assertArrayEquals(eager.toDoubleArray(), jitted.toDoubleArray());
    assertEquals("""
        { lambda ; a:f64[3,5,2] b:i32[4]. let
            c:f64[3,4,2] = gather[axis=1] a b
          in (c,) }""", Transforms.makeJaxpr((Array a, Array i) -> a.take(i, 1), x, idx).toString());
  }

  @Test
  void gradientOfTakeAddsIntoTheTakenRows() {
    Array x = Array.of(1.0, 2.0, 3.0, 4.0);
    Array idx = Array.of(2, 0, 2, 9); // 2 twice, 9 clamped to 3
    Array w = Array.of(1.0, 10.0, 100.0, 1000.0);
    Array g = Transforms.grad((Array a) -> a.take(idx).mul(w).sum()).apply(x);
    assertArrayEquals(new double[] {10, 0, 101, 1000}, g.toDoubleArray());
    // and the same gradient under jit
    Array gj = Transforms.jit(Transforms.grad((Array a) -> a.take(idx).mul(w).sum())).apply(x);
    assertArrayEquals(g.toDoubleArray(), gj.toDoubleArray());
    String text = Transforms.makeJaxpr(Transforms.grad((Array a) -> a.take(idx).mul(w).sum()), x).toString();
    assertTrue(text.contains("scatter_add[axis=0]"), text);
  }

  @Test
  void scatterAddAccumulatesDuplicatesInOrder() {
    Array x = Array.of(DType.F32, new int[] {2, 3}, 0f, 0f, 0f, 1f, 1f, 1f);
    Array idx = Array.of(1, 1, -4);
    Array upd = Array.of(DType.F32, new int[] {2, 3}, 1f, 2f, 4f, 10f, 20f, 40f);
    Array r = Prims.SCATTER_ADD.bind1(Params.of("axis", 1), x, idx, upd);
    assertArrayEquals(new float[] {4, 3, 0, 41, 31, 1}, r.toFloatArray());
    Array ri = Prims.SCATTER_ADD.bind1(Params.of("axis", 0), Array.of(5, 5), Array.of(0, 0, 1),
        Array.of(1, 2, 3));
    assertArrayEquals(new int[] {8, 8}, ri.toIntArray());
  }

  @Test
  void badIndicesAndShapesGiveClearErrors() {
    Array x = Array.of(1f, 2f, 3f);
    ShapeError floats = assertThrows(ShapeError.class, () -> x.take(Array.of(0f, 1f), 0));
    assertTrue(floats.getMessage().contains("indices must be i32 or u32") && floats.getMessage().contains("astype(DType.I32)"),
        floats.getMessage());
    assertThrows(ShapeError.class, () -> x.take(Array.of(true, false), 0));
    ShapeError axis = assertThrows(ShapeError.class, () -> x.take(Array.of(0), 1));
    assertTrue(axis.getMessage().contains("axis 1 is out of range"), axis.getMessage());
    ShapeError empty = assertThrows(ShapeError.class, () -> Array.zeros(2, 0).take(Array.of(0), 1));
    assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
    ShapeError rank = assertThrows(ShapeError.class, () -> Array.zeros(2, 3).takeAlongAxis(Array.of(0, 1), 1));
    assertTrue(rank.getMessage().contains("expandDims"), rank.getMessage());
    ShapeError upd = assertThrows(ShapeError.class, () -> Prims.SCATTER_ADD.bind1(Params.of("axis", 0),
        Array.zeros(3), Array.of(0, 1), Array.zeros(3)));
    assertTrue(upd.getMessage().contains("needs f32[2]"), upd.getMessage());
    // the float-index error is raised while tracing too, naming the jitted function
    ShapeError traced = assertThrows(ShapeError.class,
        () -> Transforms.jit("lookup", (Array a, Array i) -> a.take(i, 0)).apply(x, Array.of(0f)));
    assertTrue(traced.getMessage().contains("lookup"), traced.getMessage());
  }

  @Test
  void clipVarAndStdFollowNumpy() {
    Array x = Array.of(-2.0, 0.5, 3.0, Double.NaN);
    double[] c = x.clip(-1, 1).toDoubleArray();
    assertArrayEquals(new double[] {-1, 0.5, 1}, java.util.Arrays.copyOf(c, 3));
    assertTrue(Double.isNaN(c[3]), "NaN stays NaN");
    assertArrayEquals(new double[] {0, 0.5, 2},
        Array.of(-2.0, 0.5, 3.0).clip(Array.of(0.0), Array.of(1.0, 1.0, 2.0)).toDoubleArray());
    Array m = Array.of(DType.F64, new int[] {2, 3}, 1, 2, 3, 4, 6, 11);
    // row variances: mean 2 -> (1+0+1)/3; mean 7 -> (9+1+16)/3
    assertArrayEquals(new double[] {2.0 / 3, 26.0 / 3}, m.var(1).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {Math.sqrt(2.0 / 3), Math.sqrt(26.0 / 3)}, m.std(1).toDoubleArray(), 1e-12);
    double mean = 27.0 / 6;
    double v = 0;
    for (double e : new double[] {1, 2, 3, 4, 6, 11}) {
      v += (e - mean) * (e - mean) / 6;
    }
    assertEquals(v, m.var().doubleValue(), 1e-12);
    assertEquals(DType.F32, Array.of(1, 2, 3).var().dtype(), "integers give f32");
    assertEquals(2.0 / 3, Array.of(1, 2, 3).var().doubleValue(), 1e-6);
  }
}
