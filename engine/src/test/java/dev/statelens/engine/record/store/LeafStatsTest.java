package dev.statelens.engine.record.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.statelens.engine.DType;
import org.junit.jupiter.api.Test;

/** The f32 fast path of LeafStats.of gives what the general path gives for the same values. */
class LeafStatsTest {

  private static void assertSameStats(float[] f, int maxValues) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    int[] shape = {f.length};
    LeafStats fast = LeafStats.of(DType.F32, shape, f, maxValues);
    LeafStats general = LeafStats.of(DType.F64, shape, d, maxValues); // the per-element path
    assertEquals(general.min(), fast.min());
    assertEquals(general.max(), fast.max());
    assertEquals(general.mean(), fast.mean());
    assertEquals(general.std(), fast.std());
    assertEquals(general.norm(), fast.norm());
    assertEquals(general.nan(), fast.nan());
    assertEquals(general.inf(), fast.inf());
    assertEquals(general.sampled(), fast.sampled());
    assertEquals(f.length, fast.size());
    assertArrayEquals(LeafStats.decode(DType.F64, general.values()), LeafStats.decode(DType.F32, fast.values()));
  }

  @Test
  void floatsAsTheGeneralPath() {
    java.util.Random r = new java.util.Random(7);
    float[] f = new float[1000];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (r.nextGaussian() * 3 + 1);
    }
    assertSameStats(f, 64); // sampled: 64 of 1000, evenly spaced
    assertSameStats(java.util.Arrays.copyOf(f, 10), 64);
    f[3] = Float.NaN;
    f[500] = Float.POSITIVE_INFINITY;
    f[999] = Float.NEGATIVE_INFINITY;
    assertSameStats(f, 64);
    assertSameStats(new float[] {2.5f}, 0);
  }

  @Test
  void noFiniteElementHasNoStatistics() {
    LeafStats s = LeafStats.of(DType.F32, new int[] {2}, new float[] {Float.NaN, Float.POSITIVE_INFINITY}, 64);
    assertNull(s.min());
    assertNull(s.norm());
    assertEquals(1, s.nan());
    assertEquals(1, s.inf());
    double[] values = LeafStats.decode(DType.F32, s.values());
    assertEquals(2, values.length);
    assertEquals(Double.POSITIVE_INFINITY, values[1]);
  }
}
