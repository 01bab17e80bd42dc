package dev.statelens.engine;

import static dev.statelens.engine.HelperChecks.gradCheck;
import static dev.statelens.engine.HelperChecks.jitMatchesEager;
import static dev.statelens.engine.HelperChecks.random;
import static dev.statelens.engine.HelperChecks.vmapMatchesLoop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code Lax.topK} against a selection loop (largest first, lower index on ties) and
 * {@code Array.searchsorted} against a linear count, with jit, vmap, gradients and errors.
 */
class TopKSearchTest {
  private final Random rnd = new Random(7);

  /** Row by row: k times, the largest not yet taken (NaN largest), the lowest index on ties. */
  private static void checkTopK(Array x, int k) {
    Pair<Array, Array> got = Lax.topK(x, k);
    int n = x.dim(-1);
    int rows = x.size() / Math.max(n, 1);
    double[] v = x.toDoubleArray();
    double[] values = got.first().toDoubleArray();
    int[] indices = got.second().toIntArray();
    assertEquals(DType.I32, got.second().dtype());
    assertEquals(x.dtype(), got.first().dtype());
    for (int r = 0; r < rows; r++) {
      boolean[] taken = new boolean[n];
      for (int j = 0; j < k; j++) {
        int best = -1;
        for (int i = 0; i < n; i++) {
          if (!taken[i] && (best < 0 || greater(v[r * n + i], v[r * n + best]))) {
            best = i;
          }
        }
        taken[best] = true;
        assertEquals(best, indices[r * k + j], "row " + r + " rank " + j);
        assertEquals(v[r * n + best], values[r * k + j], 0, "row " + r + " rank " + j);
      }
    }
  }

  private static boolean greater(double a, double b) {
    if (Double.isNaN(b)) {
      return false;
    }
    return Double.isNaN(a) || a > b;
  }

  @Test
  void topKIsDescendingWithTiesByLowerIndex() {
    Array x = Array.of(5f, 3f, 5f, 1f, 3f, 9f);
    Pair<Array, Array> r = Lax.topK(x, 4);
    assertArrayEquals(new float[] {9, 5, 5, 3}, r.first().toFloatArray());
    assertArrayEquals(new int[] {5, 0, 2, 1}, r.second().toIntArray());
    checkTopK(random(rnd, 4, 7), 3);
    checkTopK(random(rnd, 2, 3, 5), 5);
    checkTopK(random(rnd, 3, 6), 0);
    checkTopK(Array.of(DType.I32, new int[] {2, 5}, 3, 1, 3, 7, 1, -2, -2, 0, Integer.MIN_VALUE, Integer.MAX_VALUE), 3);
    checkTopK(Array.of(2f, Float.NaN, 1f, Float.NEGATIVE_INFINITY, Float.NaN), 3);
    // rounding ties in a larger F32 row
    float[] many = new float[200];
    for (int i = 0; i < many.length; i++) {
      many[i] = (i * 37) % 11;
    }
    checkTopK(Array.of(many), 30);
  }

  @Test
  void topKUnderJitVmapAndGrad() {
    Array x = random(rnd, 4, 9);
    jitMatchesEager("topK values", a -> Lax.topK(a, 3).first(), x);
    jitMatchesEager("topK indices", a -> Lax.topK(a, 3).second().astype(DType.F64), x);
    vmapMatchesLoop("topK values", a -> Lax.topK(a, 4).first(), x);
    vmapMatchesLoop("topK indices", a -> Lax.topK(a, 4).second().astype(DType.F64), random(rnd, 3, 2, 6));
    gradCheck("topK values", a -> Lax.topK(a.get(0), 3).first(), random(rnd, 3, 5));
    // the cotangent lands on the selected elements only
    Array g = Transforms.grad((Array a) -> Lax.topK(a, 2).first().sum()).apply(Array.of(DType.F64, new int[] {4}, 1, 4, 2, 3));
    assertArrayEquals(new double[] {0, 1, 0, 1}, g.toDoubleArray());
  }

  @Test
  void topKAccuracyAtK() {
    // accuracy@2: is the label among each row's two largest logits?
    Array logits = Array.of(DType.F32, new int[] {3, 4}, 0.1f, 0.9f, 0.5f, 0.2f, 0.7f, 0.1f, 0.3f, 0.6f, 0.2f, 0.2f, 0.9f, 0.1f);
    Array labels = Array.of(2, 0, 3);
    Array hit = Lax.topK(logits, 2).second().eq(labels.reshape(3, 1)).any(1);
    assertArrayEquals(new boolean[] {true, true, false}, hit.toBooleanArray());
  }

  @Test
  void topKBadInput() {
    ShapeError e = assertThrows(ShapeError.class, () -> Lax.topK(Array.zeros(2, 3), 4));
    assertTrue(e.getMessage().contains("k=4") && e.getMessage().contains("between 0 and 3"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Lax.topK(Array.scalar(1), 1));
    assertTrue(e.getMessage().contains("rank-0"), e.getMessage());
  }

  /** Linear reference: how many sorted elements are below (left) or at most (right) v. */
  private static int[] countReference(double[] sorted, double[] values, boolean left) {
    int[] r = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      int c = 0;
      for (double s : sorted) {
        c += (left ? s < values[i] : s <= values[i]) ? 1 : 0;
      }
      r[i] = c;
    }
    return r;
  }

  @Test
  void searchsortedMatchesACount() {
    double[] sorted = {-1, 0, 0, 2, 2, 2, 5, 7.5};
    double[] values = {-3, -1, 0, 1, 2, 3, 7.5, 8, 2.5, 0};
    Array s = Array.of(DType.F64, new int[] {8}, sorted);
    Array v = Array.of(DType.F64, new int[] {2, 5}, values);
    Array left = Array.searchsorted(s, v, "left");
    Array right = Array.searchsorted(s, v, "right");
    assertEquals(DType.I32, left.dtype());
    assertArrayEquals(new int[] {2, 5}, left.shape());
    assertArrayEquals(new int[] {0, 0, 1, 3, 3, 6, 7, 8, 6, 1}, left.toIntArray());
    assertArrayEquals(countReference(sorted, values, true), left.toIntArray());
    assertArrayEquals(countReference(sorted, values, false), right.toIntArray());
    assertArrayEquals(left.toIntArray(), Array.searchsorted(s, v).toIntArray(), "side defaults to left");
    // every length from 0 to 17 (the number of halving steps changes at powers of two)
    for (int n = 0; n <= 17; n++) {
      double[] sn = new double[n];
      for (int i = 0; i < n; i++) {
        sn[i] = i / 2;     // duplicates
      }
      double[] vn = {-1, 0, 0.5, 1, n / 4.0, n / 2.0, n};
      Array sa = Array.of(DType.F64, new int[] {n}, sn);
      Array va = Array.of(DType.F64, new int[] {vn.length}, vn);
      assertArrayEquals(countReference(sn, vn, true), Array.searchsorted(sa, va, "left").toIntArray(), "n=" + n);
      assertArrayEquals(countReference(sn, vn, false), Array.searchsorted(sa, va, "right").toIntArray(), "n=" + n);
    }
    // integers, and an int array searched with float values (promoted)
    Array si = Array.of(1, 3, 3, 9);
    assertArrayEquals(new int[] {0, 3, 3, 4}, Array.searchsorted(si, Array.of(0, 3, 4, 10), "right").toIntArray());
    assertArrayEquals(new int[] {1, 3}, Array.searchsorted(si, Array.of(2.5f, 3.5f)).toIntArray());
  }

  @Test
  void searchsortedPutsNanLastAsSortDoes() {
    Array s = Array.of(1f, 2f, Float.NaN);
    assertArrayEquals(new int[] {2, 0, 2}, Array.searchsorted(s, Array.of(Float.NaN, 0f, 3f), "left").toIntArray());
    assertArrayEquals(new int[] {3, 0, 2}, Array.searchsorted(s, Array.of(Float.NaN, 0f, 3f), "right").toIntArray());
  }

  @Test
  void searchsortedUnderJitAndVmapAndAsInverseCdf() {
    Array s = Array.of(DType.F64, new int[] {5}, 0.1, 0.3, 0.6, 0.9, 1.0);
    Array u = random(rnd, 6).abs().clip(0, 1);
    jitMatchesEager("searchsorted", v -> Array.searchsorted(s, v, "right").astype(DType.F64), u);
    vmapMatchesLoop("values mapped", v -> Array.searchsorted(s, v, "left").astype(DType.F64), random(rnd, 3, 4));
    vmapMatchesLoop("sorted mapped", t -> Array.searchsorted(t, Array.of(DType.F64, new int[] {3}, -0.5, 0, 0.5)).astype(DType.F64),
        random(rnd, 4, 6).sort(1));
    // inverse CDF sampling: bucket of each uniform in the cumulative probabilities
    Array cdf = Array.of(0.2f, 0.5f, 0.5f, 1f).astype(DType.F32);   // p = [0.2, 0.3, 0, 0.5]
    Array buckets = Array.searchsorted(cdf, Array.of(0.1f, 0.2f, 0.3f, 0.5f, 0.75f), "right");
    assertArrayEquals(new int[] {0, 1, 1, 3, 3}, buckets.toIntArray(), "a zero-probability bucket is never chosen");
    // a gradient through values that searchsorted only indexes: the index itself has none
    Array g = Transforms.grad((Array t) -> t.take(Array.searchsorted(t, Array.of(DType.F64, new int[] {1}, 0.4))).sum()).apply(s);
    assertArrayEquals(new double[] {0, 0, 1, 0, 0}, g.toDoubleArray());
  }

  @Test
  void searchsortedBadInput() {
    ShapeError e = assertThrows(ShapeError.class, () -> Array.searchsorted(Array.zeros(2, 2), Array.zeros(3)));
    assertTrue(e.getMessage().contains("must be 1-D"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.searchsorted(Array.zeros(3), Array.zeros(3), "middle"));
    assertTrue(e.getMessage().contains("\"left\" or \"right\""), e.getMessage());
  }
}
