package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code Ops.segmentSum/Prod/Max/Min}: hand-checked values (identities of empty segments, dropped
 * ids, integer dtypes), jit == eager under a traced id array, vmap == a loop, and the errors.
 * Real-JAX values and gradients are in the jax-reference file ({@code jnp5/*}).
 */
class OpsSegmentTest {
  private static final Array DATA = Array.of(1f, 3f, 3f, 2f, 5f, -1f, 4f);
  private static final Array IDS = Array.of(DType.I32, new int[] {7}, new int[] {0, 0, 0, 2, 2, -1, 7});

  @Test
  void emptySegmentsHoldTheIdentityAndOutOfRangeIdsAreDropped() {
    float inf = Float.POSITIVE_INFINITY;
    assertArrayEquals(new float[] {7, 0, 7, 0}, Ops.segmentSum(DATA, IDS, 4).toFloatArray());
    assertArrayEquals(new float[] {9, 1, 10, 1}, Ops.segmentProd(DATA, IDS, 4).toFloatArray());
    assertArrayEquals(new float[] {3, -inf, 5, -inf}, Ops.segmentMax(DATA, IDS, 4).toFloatArray());
    assertArrayEquals(new float[] {1, inf, 2, inf}, Ops.segmentMin(DATA, IDS, 4).toFloatArray());
    // inferred count: max(ids) + 1 = 8, so id 7 lands in the last segment
    assertArrayEquals(new float[] {7, 0, 7, 0, 0, 0, 0, 4}, Ops.segmentSum(DATA, IDS).toFloatArray());
    assertArrayEquals(new float[0], Ops.segmentSum(DATA, IDS, 0).toFloatArray());
  }

  @Test
  void integerDataKeepsItsDtypeAndItsExtremesAsIdentities() {
    Array ints = Array.of(DType.I32, new int[] {3}, new int[] {2, 3, -4});
    Array ids = Array.of(DType.I32, new int[] {3}, new int[] {0, 0, 2});
    Array max = Ops.segmentMax(ints, ids, 3);
    assertTrue(max.dtype() == DType.I32);
    assertArrayEquals(new int[] {3, Integer.MIN_VALUE, -4}, max.toIntArray());
    assertArrayEquals(new int[] {2, Integer.MAX_VALUE, -4}, Ops.segmentMin(ints, ids, 3).toIntArray());
    Array u = Array.of(DType.U32, new int[] {2}, new int[] {5, 7});
    assertArrayEquals(new int[] {5, -1}, Ops.segmentMin(u, Array.of(DType.I32, new int[] {2}, new int[] {0, 5}), 2)
        .toIntArray(), "u32's identity for min is 0xFFFFFFFF");
  }

  @Test
  void rowsAreReducedWholeAndJitAndVmapAgreeWithEager() {
    Array rows = Array.of(DType.F32, new int[] {4, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8});
    Array ids = Array.of(DType.I32, new int[] {4}, new int[] {1, 1, 0, 1});
    assertArrayEquals(new float[] {5, 6, 11, 14}, Ops.segmentSum(rows, ids, 2).toFloatArray());
    Array jitted = Transforms.jit((Array d, Array i) -> Ops.segmentMax(d, i, 2)).apply(rows, ids);
    assertArrayEquals(Ops.segmentMax(rows, ids, 2).toFloatArray(), jitted.toFloatArray());
    // vmap over columns: each column is its own 1-d segment sum
    Array cols = Transforms.vmap((Array c) -> Ops.segmentSum(c, ids, 2), 1).apply(rows);
    assertArrayEquals(new float[] {5, 11, 6, 14}, cols.toFloatArray());
  }

  @Test
  void prodGradientIsTheProductOfTheOthersWithZerosAmongThem() {
    // segment 0: one zero (its gradient is 2 * 3, the others' 0); segment 1: two zeros (all 0)
    Array data = Array.of(2f, 0f, 3f, 0f, 0f, 5f);
    Array ids = Array.of(DType.I32, new int[] {6}, new int[] {0, 0, 0, 1, 1, 2});
    Array g = Transforms.grad((Array d) -> Ops.segmentProd(d, ids, 3).sum()).apply(data);
    assertArrayEquals(new float[] {0, 6, 0, 0, 0, 1}, g.toFloatArray());
    Array noZeros = Array.of(2f, 4f, 3f, 1f, 7f, 5f);
    assertArrayEquals(new float[] {12, 6, 8, 7, 1, 1},
        Transforms.grad((Array d) -> Ops.segmentProd(d, ids, 3).sum()).apply(noZeros).toFloatArray());
  }

  @Test
  void badInputNamesTheProblemAndTheFix() {
    String msg = assertThrows(ShapeError.class, () -> Ops.segmentSum(DATA, IDS.astype(DType.F32), 3)).getMessage();
    assertTrue(msg.contains("astype(DType.I32)"), msg);
    msg = assertThrows(ShapeError.class, () -> Ops.segmentSum(DATA, IDS.reshape(7, 1), 3)).getMessage();
    assertTrue(msg.contains("1-d"), msg);
    msg = assertThrows(ShapeError.class, () -> Ops.segmentSum(DATA.sliceAxis(0, 0, 5), IDS, 3)).getMessage();
    assertTrue(msg.contains("data.shape[0] must be 7"), msg);
    msg = assertThrows(ShapeError.class, () -> Ops.segmentMax(DATA.gt(0), IDS, 3)).getMessage();
    assertTrue(msg.contains("bool"), msg);
    msg = assertThrows(ShapeError.class, () -> Ops.segmentSum(DATA, IDS, -1)).getMessage();
    assertTrue(msg.contains(">= 0"), msg);
    msg = assertThrows(ConcretizationError.class,
        () -> Transforms.jit((Array d, Array i) -> Ops.segmentSum(d, i)).apply(DATA, IDS)).getMessage();
    assertTrue(msg.contains("pass numSegments"), msg);
  }
}
