package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The thread split itself, and the threaded reductions and eager elementwise kernels. */
class ParallelTest {

  @Test
  void forRangeVisitsEveryIndexOnceWithAlignedBoundaries() {
    for (int n : new int[] {0, 1, 63, 64, 1000, 100_003}) {
      for (int parts : new int[] {1, 2, 3, 8}) {
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        Parallel.forRange(n, parts, 64, (from, to) -> {
          assertTrue(from % 64 == 0, "part starts at " + from);
          for (int i = from; i < to; i++) {
            seen.incrementAndGet(i);
          }
        });
        for (int i = 0; i < n; i++) {
          assertEquals(1, seen.get(i), "n=" + n + " parts=" + parts + " index " + i);
        }
      }
    }
  }

  @Test
  void largeWorkUsesMoreThanOneThread() {
    Assumptions.assumeTrue(Parallel.threads() > 1, "single-core machine");
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    Parallel.forRange(1_000_000, Parallel.parts(1_000_000, 1000), 1, (from, to) -> {
      threads.add(Thread.currentThread());
      try {
        Thread.sleep(20); // keep each part busy so the pool really takes one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertTrue(threads.size() > 1, "ran on " + threads);
    assertEquals(1, Parallel.parts(100, Parallel.ELEMENTWISE_GRAIN), "small work stays on the caller");
  }

  @Test
  void failureInAnyPartIsRethrown() {
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException e = assertThrows(IllegalStateException.class, () ->
        Parallel.forRange(1000, 4, 1, (from, to) -> {
          if (from > 0) {
            throw boom;
          }
        }));
    assertSame(boom, e);
  }

  /** Gaussian terms scaled by 1e-6 to 1e6: sums in another order give other bits. */
  private static double[] randomDoubles(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) a[i] = r.nextGaussian() * Math.pow(10, r.nextInt(13) - 6);
    return a;
  }

  private static float[] randomFloats(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
    return a;
  }

  @Test
  void rowSumsOfALargeMatrixEqualTheSingleThreadLanesOrder() {
    int m = 300, n = 400; // 120k elements: threaded, trailing axis reduced, short segments
    double[] a = randomDoubles(m * n, 1);
    double[] got = Array.of(DType.F64, new int[] {m, n}, a).sum(1).toDoubleArray();
    for (int i = 0; i < m; i++) {
      double[] row = java.util.Arrays.copyOfRange(a, i * n, i * n + n);
      assertEquals(ReductionOrderTest.lanesSum(row), got[i], 0.0, "row " + i);
    }
  }

  @Test
  void columnReductionsOfALargeMatrixEqualTheSingleThreadLanesOrder() {
    int m = 500, n = 300; // last axis kept: columns are split over threads
    double[] a = randomDoubles(m * n, 2);
    Array x = Array.of(DType.F64, new int[] {m, n}, a);
    double[] sum = x.sum(0).toDoubleArray();
    double[] max = x.max(0).toDoubleArray();
    for (int j = 0; j < n; j++) {
      double[] column = new double[m];
      double mx = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < m; i++) {
        column[i] = a[i * n + j];
        mx = Math.max(mx, a[i * n + j]);
      }
      assertEquals(ReductionOrderTest.lanesSum(column), sum[j], 0.0, "column sum " + j);
      assertEquals(mx, max[j], 0.0, "column max " + j);
    }
  }

  @Test
  void fullSumOfALongVectorFoldsFixedChunksInOrder() {
    int n = 5 * Reductions.CHUNK + 123;
    double[] a = new java.util.Random(3).doubles(n).map(v -> v - 0.5).toArray();
    double got = Array.of(DType.F64, new int[] {n}, a).sum().item();
    double expect = 0;
    for (int c = 0; c < n; c += Reductions.CHUNK) {
      expect += ReductionOrderTest.lanesSum(java.util.Arrays.copyOfRange(a, c, Math.min(n, c + Reductions.CHUNK)));
    }
    assertEquals(expect, got, 0.0);
    double max = Array.of(DType.F64, new int[] {n}, a).max().item();
    assertEquals(java.util.Arrays.stream(a).max().getAsDouble(), max, 0.0);
  }

  @Test
  void largeEagerElementwiseKernelsAreCorrect() {
    int n = 200_000;
    float[] a = randomFloats(n, 4);
    float[] b = randomFloats(n, 5);
    Array x = Array.of(DType.F32, new int[] {n}, a);
    Array y = Array.of(DType.F32, new int[] {n}, b);
    float[] sum = x.add(y).toFloatArray();
    float[] ex = x.exp().toFloatArray();
    for (int i = 0; i < n; i++) {
      assertEquals(a[i] + b[i], sum[i], 0f, "add " + i);
      assertEquals(XlaF32Math.exp(a[i]), ex[i], 0f, "exp " + i); // f32 exp is XLA's, split or not
    }
  }
}
