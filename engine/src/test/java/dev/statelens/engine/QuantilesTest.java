package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * quantile/percentile/median (numpy's "linear" and median's "midpoint") against a sort-and-
 * interpolate reference written here, over axes and keepDims; NaN slices; gradients (into the two
 * neighbours of each level) and vmap; nansum/nanmean.
 */
class QuantilesTest {

  /** numpy's linear method on one line: sorted[lo] (1 - f) + sorted[hi] f at q (n - 1). */
  static double reference(double[] line, double q) {
    double[] s = line.clone();
    Arrays.sort(s);
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    double f = pos - lo;
    return s[lo] * (1 - f) + s[hi] * f;
  }

  private static Array data() { // 3 x 5, no ties
    double[] v = new double[15];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.sin(i * 1.7 + 0.3) * 10;
    }
    return Array.of(DType.F64, new int[] {3, 5}, v);
  }

  @Test
  void matchesTheLinearReferenceOverAllElementsAndEachAxis() {
    Array x = data();
    double[] all = x.toDoubleArray();
    for (double q : new double[] {0, 0.1, 0.25, 0.3, 0.5, 0.9, 1}) {
      assertEquals(reference(all, q), x.quantile(q).doubleValue(), 1e-12, "q=" + q);
      assertEquals(0, x.quantile(q).ndim());
      Array rows = x.quantile(q, 1, false);
      assertArrayEquals(new int[] {3}, rows.shape());
      for (int r = 0; r < 3; r++) {
        assertEquals(reference(Arrays.copyOfRange(all, 5 * r, 5 * r + 5), q), rows.toDoubleArray()[r], 1e-12);
      }
      Array cols = x.quantile(q, 0, true);
      assertArrayEquals(new int[] {1, 5}, cols.shape());
      for (int c = 0; c < 5; c++) {
        double[] col = {all[c], all[5 + c], all[10 + c]};
        assertEquals(reference(col, q), cols.toDoubleArray()[c], 1e-12);
      }
    }
    // numpy: np.quantile([1, 2, 3, 4], 0.3) = 1.9; np.median([[10, 7, 4], [3, 2, 1]]) = 3.5
    assertEquals(1.9, Array.of(4.0, 1.0, 3.0, 2.0).quantile(0.3).doubleValue(), 1e-15);
    assertEquals(3.5, Array.of(DType.F32, new int[] {2, 3}, 10f, 7f, 4f, 3f, 2f, 1f).median().floatValue());
    assertArrayEquals(new float[] {7f, 2f}, Array.of(DType.F32, new int[] {2, 3}, 10f, 7f, 4f, 3f, 2f, 1f)
        .median(1, false).toFloatArray());
  }

  @Test
  void severalLevelsFormALeadingAxisAndPercentileDividesBy100() {
    Array x = data();
    Array qs = x.quantile(new double[] {0.25, 0.5, 0.75}, 1, false);
    assertArrayEquals(new int[] {3, 3}, qs.shape());
    assertArrayEquals(x.quantile(0.75, 1, false).toDoubleArray(), qs.sliceAxis(0, 2, 3).squeeze(0).toDoubleArray());
    assertArrayEquals(new int[] {2, 3, 1}, x.quantile(new double[] {0.1, 0.9}, -1, true).shape());
    assertArrayEquals(x.quantile(new double[] {0.1, 0.9}, 0, false).toDoubleArray(),
        x.percentile(new double[] {10, 90}, 0, false).toDoubleArray());
    assertEquals(x.quantile(0.3).doubleValue(), x.percentile(30).doubleValue());
    // f32: jnp divides in float32 (30 / 100 = 0.3f)
    Array f = x.astype(DType.F32);
    assertEquals(f.quantile((float) 0.3).floatValue(), f.percentile(30).floatValue());
    assertArrayEquals(new int[] {3, 1}, x.median(-1, true).shape());
    assertArrayEquals(new int[] {1, 1}, x.median(0, true).median(1, true).shape());
  }

  @Test
  void dtypesNanAndErrors() {
    assertEquals(DType.F32, Array.of(3, 1, 2).median().dtype()); // ints promote, as jnp
    assertEquals(2f, Array.of(3, 1, 2).median().floatValue());
    assertEquals(DType.BF16, Array.of(1f, 2f).astype(DType.BF16).quantile(0.3).dtype());
    // a NaN makes its slice NaN (jnp.quantile; nanquantile is not built)
    Array withNan = Array.of(DType.F32, new int[] {2, 3}, 1f, Float.NaN, 3f, 4f, 5f, 6f);
    float[] m = withNan.median(1, false).toFloatArray();
    assertTrue(Float.isNaN(m[0]));
    assertEquals(5f, m[1]);
    var e = assertThrows(ShapeError.class, () -> data().quantile(1.5));
    assertTrue(e.getMessage().contains("outside [0, 1]"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> data().percentile(150));
    assertTrue(e.getMessage().contains("percentile takes 0 to 100"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.zeros(0, 3).quantile(0.5, 0, false));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void gradientFlowsIntoTheTwoNeighbours() {
    // median of 4 values is the mean of the two middle ones: 1/2 each; quantile 0.3 of 1..4 sits at
    // position 0.9: 0.1 to the smallest, 0.9 to the second
    Array x = Array.of(4.0, 1.0, 3.0, 2.0);
    assertArrayEquals(new double[] {0, 0, 0.5, 0.5}, Transforms.grad((Array v) -> v.median()).apply(x).toDoubleArray());
    assertArrayEquals(new double[] {0, 0.1, 0, 0.9},
        Transforms.grad((Array v) -> v.quantile(0.3)).apply(x).toDoubleArray(), 1e-15);
  }

  @Test
  void vmapAndJitAgreeWithEagerRows() {
    Array x = data();
    Array eager = x.quantile(0.3, 1, false);
    assertArrayEquals(eager.toDoubleArray(), Transforms.vmap((Array r) -> r.quantile(0.3)).apply(x).toDoubleArray());
    assertArrayEquals(eager.toDoubleArray(), Transforms.jit((Array a) -> a.quantile(0.3, 1, false)).apply(x).toDoubleArray());
    assertArrayEquals(x.median(0, false).toDoubleArray(),
        Transforms.vmap((Array c) -> c.median(), 1).apply(x).toDoubleArray());
  }

  /** The values and gradients real JAX 0.10.2 gives for this array (printed with jnp.nanquantile & co.). */
  @Test
  void nanQuantilesUseEachSlicesNonNanElementsAsJax() {
    float n = Float.NaN;
    Array x = Array.of(DType.F32, new int[] {3, 4}, 1f, n, 3f, 7f, n, n, n, n, 4f, 2f, n, n);
    float[] q = x.nanquantile(0.3, 1, false).toFloatArray();
    assertEquals(2.2f, q[0]);
    assertTrue(Float.isNaN(q[1])); // an all-NaN slice
    assertEquals(2.6f, q[2]);
    Array m = x.nanmedian(1, true);
    assertArrayEquals(new int[] {3, 1}, m.shape());
    assertArrayEquals(new float[] {3f, Float.NaN, 3f}, m.toFloatArray());
    assertEquals(3f, x.nanmedian().floatValue());
    assertEquals(4f, x.nanpercentile(75).floatValue());
    assertArrayEquals(new int[] {2, 3}, x.nanquantile(new double[] {0.3, 0.5}, 1, false).shape());
    // no NaN: the same as quantile
    assertArrayEquals(data().quantile(0.3, 1, false).toDoubleArray(), data().nanquantile(0.3, 1, false).toDoubleArray(), 1e-15);
    // gradients: into the two neighbours of each slice's own position, nothing from an all-NaN slice
    assertArrayEquals(new float[] {0.4f, 0f, 0.6f, 0f, 0f, 0f, 0f, 0f, 0.3f, 0.7f, 0f, 0f},
        Transforms.grad((Array v) -> v.nanquantile(0.3, 1, false).nansum()).apply(x).toFloatArray(), 1e-7f);
    assertArrayEquals(new float[] {0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f},
        Transforms.grad((Array v) -> v.nanmedian()).apply(x).toFloatArray());
    assertArrayEquals(x.nanquantile(0.3, 1, false).toFloatArray(),
        Transforms.vmap((Array r) -> r.nanquantile(0.3)).apply(x).toFloatArray());
    assertArrayEquals(x.nanquantile(0.3, 1, false).toFloatArray(),
        Transforms.jit((Array a) -> a.nanquantile(0.3, 1, false)).apply(x).toFloatArray());
    var e = assertThrows(ShapeError.class, () -> x.nanpercentile(-1));
    assertTrue(e.getMessage().contains("nanpercentile takes 0 to 100"), e.getMessage());
  }

  @Test
  void nansumAndNanmeanSkipNans() {
    Array x = Array.of(DType.F32, new int[] {2, 3}, 1f, Float.NaN, 3f, Float.NaN, Float.NaN, Float.NaN);
    assertEquals(4f, x.nansum().floatValue());
    assertArrayEquals(new float[] {4f, 0f}, x.nansum(1).toFloatArray());
    assertEquals(2f, x.nanmean().floatValue());
    float[] rows = x.nanmean(1).toFloatArray();
    assertEquals(2f, rows[0]);
    assertTrue(Float.isNaN(rows[1])); // 0 / 0, as jnp (with a RuntimeWarning in numpy)
    assertEquals(1.5, Array.of(1, 2).nanmean().doubleValue());
    // gradient: 1/count where kept, 0 at the NaNs
    assertArrayEquals(new float[] {0.5f, 0f, 0.5f, 0f, 0f, 0f},
        Transforms.grad((Array v) -> v.nanmean()).apply(x).toFloatArray());
  }
}
