package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code Ops.segment*} with JAX's {@code indices_are_sorted} and {@code bucket_size}: the same
 * segments as without them (values against real JAX: the {@code jnp6/segment_*} cases).
 */
class SegmentBucketsTest {

  @Test
  void bucketsGiveTheSameSegmentsAndDropOutOfRangeIds() {
    Array data = Array.of(DType.F32, new int[] {7}, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
    Array ids = Array.of(DType.I32, new int[] {7}, 0, 0, 2, -1, 2, 5, 1);
    float[] plain = Ops.segmentSum(data, ids, 3).toFloatArray();
    for (int b : new int[] {1, 2, 3, 7, 100}) {
      assertArrayEquals(plain, Ops.segmentSum(data, ids, 3, true, b).toFloatArray(), "bucketSize " + b);
      assertArrayEquals(Ops.segmentMax(data, ids, 3).toFloatArray(), Ops.segmentMax(data, ids, 3, false, b).toFloatArray());
      assertArrayEquals(Ops.segmentProd(data, ids, 3).toFloatArray(), Ops.segmentProd(data, ids, 3, false, b).toFloatArray());
    }
    assertArrayEquals(new float[] {3f, 7f, 8f}, plain);
    var e = assertThrows(IllegalArgumentException.class, () -> Ops.segmentMin(data, ids, 3, false, 0));
    assertTrue(e.getMessage().contains("bucketSize must be positive"), e.getMessage());
  }
}
