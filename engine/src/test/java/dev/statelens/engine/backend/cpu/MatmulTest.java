package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.backend.cpu.Matmul.Impl;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every matmul implementation (plain, k-blocked scalar, Vector API) against a double-precision
 * reference, on sizes that exercise partial tiles (not multiples of 4 rows / 16 columns), more
 * than one K block (k > 256), batches, and the threaded split.
 */
class MatmulTest {
  private static final int[][] SIZES = {
      {1, 1, 1}, {1, 7, 1}, {5, 3, 17}, {6, 16, 16}, {13, 300, 35}, {64, 64, 64}, {97, 513, 33}, {150, 40, 290}, {37, 300, 1}};

  private static List<Impl> impls() {
    List<Impl> l = new ArrayList<>(List.of(Impl.SIMPLE, Impl.BLOCKED_SCALAR));
    if (Matmul.vectorized()) {
      l.add(Impl.VECTOR);
      l.add(Impl.SMALL_VECTOR);
    }
    return l;
  }

  private static double[] reference(double[] a, double[] b, int batch, int m, int k, int n) {
    double[] c = new double[batch * m * n];
    for (int bt = 0; bt < batch; bt++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int p = 0; p < k; p++) {
            s += a[bt * m * k + i * k + p] * b[bt * k * n + p * n + j];
          }
          c[bt * m * n + i * n + j] = s;
        }
      }
    }
    return c;
  }

  @Test
  void f32AllImplementationsMatchReference() {
    Random r = new Random(11);
    for (int[] s : SIZES) {
      for (int batch : new int[] {1, 3}) {
        int m = s[0], k = s[1], n = s[2];
        float[] a = new float[batch * m * k];
        float[] b = new float[batch * k * n];
        double[] ad = new double[a.length];
        double[] bd = new double[b.length];
        for (int i = 0; i < a.length; i++) ad[i] = a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) bd[i] = b[i] = (float) r.nextGaussian();
        double[] ref = reference(ad, bd, batch, m, k, n);
        for (Impl impl : impls()) {
          float[] c = Matmul.f32(a, b, batch, m, k, n, impl);
          for (int i = 0; i < c.length; i++) {
            // float accumulation error grows like sqrt(k) * eps * |terms|
            assertEquals(ref[i], c[i], 1e-5 * Math.sqrt(k) * 4 + 1e-6,
                impl + " " + batch + "x" + m + "x" + k + "x" + n + " element " + i);
          }
        }
      }
    }
  }

  @Test
  void f64AllImplementationsMatchReference() {
    Random r = new Random(12);
    for (int[] s : SIZES) {
      int m = s[0], k = s[1], n = s[2];
      int batch = 2;
      double[] a = r.doubles(batch * m * k).map(x -> x - 0.5).toArray();
      double[] b = r.doubles(batch * k * n).map(x -> x - 0.5).toArray();
      double[] ref = reference(a, b, batch, m, k, n);
      for (Impl impl : impls()) {
        double[] c = Matmul.f64(a, b, batch, m, k, n, impl);
        for (int i = 0; i < c.length; i++) {
          assertEquals(ref[i], c[i], 1e-12 * k, impl + " " + m + "x" + k + "x" + n + " element " + i);
        }
      }
    }
  }

  @Test
  void largeProductSplitOverThreadsMatchesSingleThreadedRows() {
    // 300x300x300 is above the parallel grain: rows are split, each row's sums are unchanged
    int m = 300, k = 300, n = 300;
    Random r = new Random(5);
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
    for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
    for (Impl impl : impls()) {
      float[] whole = Matmul.f32(a, b, 1, m, k, n, impl);
      // the same product one row block at a time (no threads involved) must give identical bits
      float[] rows = new float[m * n];
      for (int i0 = 0; i0 < m; i0 += 60) {
        float[] part = Matmul.f32(java.util.Arrays.copyOfRange(a, i0 * k, (i0 + 60) * k), b, 1, 60, k, n, impl);
        System.arraycopy(part, 0, rows, i0 * n, part.length);
      }
      assertArrayEquals(rows, whole, impl.toString());
    }
  }

  @Test
  void matrixVectorDotFormGivesTheSameBitsAsTheRowLoop() {
    Random r = new Random(8);
    int m = 40, k = 333;
    float[] a = new float[m * k];
    float[] v = new float[k];
    for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
    // SIMPLE takes the dot-product path for n == 1; BLOCKED_SCALAR always runs the i-k-j loop
    assertArrayEquals(Matmul.f32(a, v, 1, m, k, 1, Impl.BLOCKED_SCALAR), Matmul.f32(a, v, 1, m, k, 1, Impl.SIMPLE));
  }

  @Test
  void smallVectorKernelGivesTheBlockedKernelsBitsWhateverTheSize() {
    Assumptions.assumeTrue(Matmul.vectorized(), "jdk.incubator.vector not loaded");
    // k within one K block: both compute each element as one FMA chain over k from zero, so a
    // product gives the same bits whether its size picks the small or the blocked path (and a
    // batched attention product those of the same product alone); partial rows and columns too
    Random r = new Random(14);
    for (int[] s : new int[][] {{32, 12, 32}, {32, 32, 12}, {13, 48, 35}, {4, 1, 16}, {7, 256, 9}, {64, 48, 48},
        {48, 48, 48}, {48, 48, 192}, {48, 192, 48}, {45, 50, 197}}) {
      int batch = 3, m = s[0], k = s[1], n = s[2];
      float[] a = new float[batch * m * k];
      float[] b = new float[batch * k * n];
      for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
      for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
      assertArrayEquals(Matmul.f32(a, b, batch, m, k, n, Impl.VECTOR), Matmul.f32(a, b, batch, m, k, n, Impl.SMALL_VECTOR),
          batch + "x" + m + "x" + k + "x" + n);
    }
    assertEquals(Impl.SMALL_VECTOR, Matmul.chosen(32, 12, 32), "attention's per-head product");
    assertEquals(Impl.SIMPLE, Matmul.chosen(40, 333, 1), "a matrix-vector product keeps the dot form");
    // Muon's Newton–Schulz products run unpacked too (the blocked kernel's buffers cost more than them)
    assertEquals(Impl.SMALL_VECTOR, Matmul.chosen(48, 48, 48), "Muon's X Xᵀ of a 48 x 48 matrix");
    assertEquals(Impl.SMALL_VECTOR, Matmul.chosen(48, 48, 192), "Muon's B X of a 48 x 192 matrix");
    assertEquals(Impl.SMALL_VECTOR, Matmul.chosen(48, 192, 48), "Muon's X Xᵀ of a 48 x 192 matrix");
    assertEquals(Impl.VECTOR, Matmul.chosen(512, 48, 192), "a dense layer's [512,48] x [48,192] stays blocked");
    assertEquals(Impl.VECTOR, Matmul.chosen(48, 512, 48), "k past one K block stays blocked");
  }

  @Test
  void narrowSmallProductsAreOneFmaChainPerElementAsXlaComputesThem() {
    Assumptions.assumeTrue(Matmul.vectorized(), "jdk.incubator.vector not loaded");
    // the gnn layer's narrow products take the FMA rows too: fewer columns than a vector, and
    // weight gradients contracting the 800 edges (k > one K block). Each element is then one FMA
    // chain over p from zero, which is what XLA's CPU dot gives for [8,800]x[800,16] and
    // [16,800]x[800,3] (bench/cpu/dot_bits.py: all elements equal; the blocked kernel's per-block
    // chains: 7 % and 6 %)
    assertEquals(Impl.SMALL_VECTOR, Matmul.chosen(800, 16, 3), "a layer's [800,16] x [16,3]");
    assertEquals(Impl.SMALL_VECTOR, Matmul.chosen(8, 800, 16), "a weight gradient over 800 edges");
    assertEquals(Impl.SMALL_VECTOR, Matmul.chosen(16, 800, 3), "a narrow weight gradient over 800 edges");
    Random r = new Random(16);
    for (int[] s : new int[][] {{800, 16, 3}, {8, 800, 16}, {16, 800, 3}, {5, 700, 2}, {3, 1000, 17}}) {
      int batch = 2, m = s[0], k = s[1], n = s[2];
      float[] a = new float[batch * m * k];
      float[] b = new float[batch * k * n];
      for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
      for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
      float[] c = Matmul.f32(a, b, batch, m, k, n);
      for (int e = 0; e < batch; e++) {
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            float chain = 0;
            for (int p = 0; p < k; p++) {
              chain = Math.fma(a[e * m * k + i * k + p], b[e * k * n + p * n + j], chain);
            }
            assertEquals(Float.floatToRawIntBits(chain), Float.floatToRawIntBits(c[e * m * n + i * n + j]),
                m + "x" + k + "x" + n + " entry " + e + " element " + i + "," + j);
          }
        }
      }
    }
  }

  @Test
  void transposedLhsIsPackedInPlaceWithTheSameBits() {
    Assumptions.assumeTrue(Matmul.vectorized(), "jdk.incubator.vector not loaded");
    // a weight gradient's xᵀ g: A arrives as its transpose (k x m); packing its columns in place
    // must give exactly the bits of transposing it first (partial tiles, k > 256, several K blocks)
    Random r = new Random(15);
    for (int[] s : new int[][] {{48, 512, 48}, {97, 513, 33}, {150, 40, 290}, {13, 300, 35}, {192, 512, 48}}) {
      int m = s[0], k = s[1], n = s[2];
      float[] at = new float[k * m];
      float[] b = new float[k * n];
      for (int i = 0; i < at.length; i++) at[i] = (float) r.nextGaussian();
      for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
      float[] a = new float[m * k];
      for (int p = 0; p < k; p++) {
        for (int i = 0; i < m; i++) {
          a[i * k + p] = at[p * m + i];
        }
      }
      assertArrayEquals(Matmul.f32(a, b, 1, m, k, n), Matmul.f32TransposedA(at, b, m, k, n), m + "x" + k + "x" + n);
    }
    // small products (the gnn's weight gradients [800,16]ᵀ[800,3], attention's [12,32]ᵀ...): FMA
    // chains down A's rows in place, the small kernel's bits on the transposed copy; every row
    // count around the 8-lane vectors, column counts around the 4-column groups
    for (int[] s : new int[][] {{32, 12, 32}, {16, 800, 3}, {8, 800, 16}, {16, 200, 3}, {1, 5, 2}, {7, 9, 5},
        {9, 30, 4}, {17, 64, 7}, {24, 3, 13}, {3, 0, 2}}) {
      int m = s[0], k = s[1], n = s[2];
      float[] at = new float[k * m];
      float[] b = new float[k * n];
      for (int i = 0; i < at.length; i++) at[i] = (float) r.nextGaussian();
      for (int i = 0; i < b.length; i++) b[i] = i % 7 == 0 ? 0f : (float) r.nextGaussian(); // zero products too
      float[] a = new float[m * k];
      for (int p = 0; p < k; p++) {
        for (int i = 0; i < m; i++) {
          a[i * k + p] = at[p * m + i];
        }
      }
      assertEquals(Matmul.Impl.SMALL_VECTOR, Matmul.chosen(m, k, n), m + "x" + k + "x" + n);
      assertArrayEquals(Matmul.f32(a, b, 1, m, k, n), Matmul.f32TransposedA(at, b, m, k, n), m + "x" + k + "x" + n);
    }
    assertEquals(null, Matmul.f32TransposedA(new float[12 * 32], new float[12], 32, 12, 1),
        "a matrix-vector product keeps its scalar kernel (after a transposed copy)");
    // through dot_general: x[16,32,48] contracted with g[16,32,40] over the leading axes
    Array x = dev.statelens.engine.Random.normal(dev.statelens.engine.Random.key(1), 16, 32, 48);
    Array g = dev.statelens.engine.Random.normal(dev.statelens.engine.Random.key(2), 16, 32, 40);
    Array viaTranspose = x.reshape(512, 48).transpose().matmul(g.reshape(512, 40));
    Array direct = Array.dotGeneral(x, g, new int[] {0, 1}, new int[] {0, 1}, new int[0], new int[0]);
    assertArrayEquals(viaTranspose.toFloatArray(), direct.toFloatArray());
  }

  @Test
  void vectorKernelsAreUsedWhenTheModuleIsLoaded() {
    boolean loaded = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    Assumptions.assumeTrue(loaded, "jdk.incubator.vector not in this JVM (surefire adds it via the engine pom)");
    assertTrue(Matmul.vectorized(), Matmul.describe());
  }

  @Test
  void arrayMatmulUsesTheFastPathAndTransposedOperands() {
    Random r = new Random(9);
    int m = 70, k = 90, n = 50;
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
    for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
    Array x = Array.of(DType.F32, new int[] {m, k}, a);
    Array y = Array.of(DType.F32, new int[] {k, n}, b);
    float[] direct = x.matmul(y).toFloatArray();
    // (y^T x^T)^T computes the same sums through transposed layouts
    float[] viaT = y.transpose().matmul(x.transpose()).transpose().toFloatArray();
    double[] ad = new double[a.length];
    double[] bd = new double[b.length];
    for (int i = 0; i < a.length; i++) ad[i] = a[i];
    for (int i = 0; i < b.length; i++) bd[i] = b[i];
    double[] ref = reference(ad, bd, 1, m, k, n);
    for (int i = 0; i < ref.length; i++) {
      assertEquals(ref[i], direct[i], 1e-4, "element " + i);
      assertEquals(ref[i], viaT[i], 1e-4, "transposed, element " + i);
    }
  }
}
