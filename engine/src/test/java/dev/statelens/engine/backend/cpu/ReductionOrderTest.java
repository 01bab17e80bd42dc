package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The float summation order of every CPU reduction path (eager kernel, fused reduction, generated
 * code): element k of an output's elements (row-major over the reduced axes) into accumulator
 * k % 4, result (a0 + a1) + (a2 + a3). F64 inputs with terms of very different magnitudes make
 * every other order give other bits.
 */
class ReductionOrderTest {

  /** The documented order, written independently of the engine. */
  static double lanesSum(double[] terms) {
    double[] a = new double[4];
    for (int k = 0; k < terms.length; k++) {
      a[k % 4] += terms[k];
    }
    return (a[0] + a[1]) + (a[2] + a[3]);
  }

  private static double sequentialSum(double[] terms) {
    double s = 0;
    for (double t : terms) s += t;
    return s;
  }

  /** Terms whose sum depends on the order: magnitudes from 1e-8 to 1e8. */
  private static double[] wildTerms(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextGaussian() * Math.pow(10, r.nextInt(17) - 8);
    }
    return a;
  }

  @Test
  void fullSumsOfEveryLengthFollowTheLanesOrder() {
    int differsFromSequential = 0;
    for (int n = 0; n <= 67; n++) {
      double[] a = wildTerms(n, n);
      double got = Array.of(DType.F64, new int[] {n}, a).sum().item();
      assertEquals(lanesSum(a), got, 0.0, "length " + n);
      if (Double.compare(got, sequentialSum(a)) != 0) {
        differsFromSequential++;
      }
      // F32: summed in double, rounded once
      float[] f = new float[n];
      double[] fd = new double[n];
      for (int i = 0; i < n; i++) {
        f[i] = (float) a[i];
        fd[i] = f[i];
      }
      assertEquals((float) lanesSum(fd), Array.of(DType.F32, new int[] {n}, f).sum().floatValue(), 0f, "f32 length " + n);
    }
    assertTrue(differsFromSequential > 20, "the inputs must tell the orders apart: " + differsFromSequential);
  }

  @Test
  void everyAxisSetFollowsTheLanesOrderEagerFusedAndGenerated() {
    int[] shape = {5, 6, 7};
    double[] x = wildTerms(5 * 6 * 7, 42);
    double[] y = wildTerms(5 * 6 * 7, 43);
    int[][] axisSets = {{0}, {1}, {2}, {0, 1}, {1, 2}, {0, 2}, {0, 1, 2}};
    Array xa = Array.of(DType.F64, shape, x);
    Array ya = Array.of(DType.F64, shape, y);
    for (int[] axes : axisSets) {
      double[] expectSum = reference(shape, x, axes);
      double[] products = new double[x.length];
      for (int i = 0; i < x.length; i++) products[i] = x[i] * y[i];
      double[] expectProducts = reference(shape, products, axes);
      String what = java.util.Arrays.toString(axes);
      assertBits(expectSum, xa.sum(axes), "eager sum " + what);
      BiFunction<Array, Array, Array> f = Transforms.jit("sum_of_products", (Array a, Array b) -> a.mul(b).sum(axes));
      for (int call = 0; call < 3; call++) { // interpreted (fused reduction), then generated code
        assertBits(expectProducts, f.apply(xa, ya), "jit sum of products " + what + ", call " + call);
      }
    }
  }

  @Test
  void longReductionsInGeneratedLoopsUseRotatingLanesWithTheSameOrder() {
    // above GraphCodegen.TERMS_MAX terms per output the generated loop keeps its lanes in rotating
    // locals instead of buffering the terms: the same order, checked on both sides of the limit
    int big = GraphCodegen.TERMS_MAX + 5;
    for (int[] shape : new int[][] {{big}, {2, big}, {GraphCodegen.TERMS_MAX}, {3, GraphCodegen.TERMS_MAX - 1}}) {
      int size = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      double[] x = wildTerms(size, size);
      double[] y = wildTerms(size, size + 1);
      double[] products = new double[size];
      for (int i = 0; i < size; i++) products[i] = x[i] * y[i];
      int[] axes = {shape.length - 1};
      double[] expect = reference(shape, products, axes);
      BiFunction<Array, Array, Array> f = Transforms.jit("long_sum", (Array a, Array b) -> a.mul(b).sum(axes));
      Array xa = Array.of(DType.F64, shape, x);
      Array ya = Array.of(DType.F64, shape, y);
      for (int call = 0; call < 3; call++) {
        assertBits(expect, f.apply(xa, ya), java.util.Arrays.toString(shape) + ", call " + call);
      }
    }
  }

  @Test
  void sumsFoldedInPairsKeepEachSumsOrder() {
    // Reductions.sumLanesPair folds two buffered sums together (with the Vector API from 16
    // terms when it is loaded, as under surefire): each must equal sumLanes alone, both ways
    for (int n = 0; n <= 67; n++) {
      double[] a = wildTerms(n, 100 + n);
      double[] b = wildTerms(Math.max(n, 1), 200 + n);
      double[] bCopy = b.clone();
      double sumB = Reductions.sumLanes(b, 0, n);
      assertEquals(lanesSum(java.util.Arrays.copyOf(bCopy, n)), sumB, 0.0, "b, length " + n);
      assertEquals(Reductions.sumLanes(a, 0, n), Reductions.sumLanesPair(a, b, n), 0.0, "a, length " + n);
      assertEquals(sumB, b[0], 0.0, "b's sum comes back in b[0], length " + n);
      double[] b2 = bCopy.clone();
      assertEquals(Reductions.sumLanes(a, 0, n), Reductions.sumLanesPairScalar(a, b2, n), 0.0, "scalar a, length " + n);
      assertEquals(sumB, b2[0], 0.0, "scalar b, length " + n);
    }
    // and in generated code: three buffered sums (one pair, one alone) and a max in one loop
    for (int n : new int[] {1, 2, 3, 5, 8, 13, 128, 1001}) {
      double[] x = wildTerms(n, n + 7);
      double[] y = wildTerms(n, n + 8);
      double[] products = new double[n];
      double[] diffs = new double[n];
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        products[i] = x[i] * y[i];
        diffs[i] = x[i] - y[i];
        max = Math.max(max, x[i]);
      }
      double[] expect = {lanesSum(products), lanesSum(x), lanesSum(diffs), max};
      BiFunction<Array, Array, java.util.List<Array>> f = Transforms.jit("three_sums",
          (Array a, Array b) -> java.util.List.of(a.mul(b).sum(), a.sum(), a.sub(b).sum(), a.max()));
      Array xa = Array.of(DType.F64, new int[] {n}, x);
      Array ya = Array.of(DType.F64, new int[] {n}, y);
      for (int call = 0; call < 3; call++) { // interpreted, then generated
        java.util.List<Array> got = f.apply(xa, ya);
        for (int k = 0; k < expect.length; k++) {
          assertEquals(expect[k], got.get(k).toDoubleArray()[0], 0.0, "n " + n + ", output " + k + ", call " + call);
        }
      }
    }
  }

  @Test
  void vectorMaxAndMinFoldGivesTheScalarLanesBits() {
    // foldSegment's max/min run on 4-lane vectors when the Vector API is loaded (as under
    // surefire): the same lanes and combine order as the scalar fold, so the same bits, NaN
    // payloads and the sign of zero included, in float and double, at every tail length
    java.util.Random r = new java.util.Random(21);
    double[] specials = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.longBitsToDouble(0x7ff8000000000123L), Double.longBitsToDouble(0x7ff8000000000456L)};
    for (int n = 0; n <= 41; n++) {
      for (int trial = 0; trial < 20; trial++) {
        double[] d = new double[n + 3];
        float[] f = new float[n + 3];
        for (int i = 0; i < d.length; i++) {
          d[i] = r.nextInt(8) == 0 ? specials[r.nextInt(trial < 10 ? 4 : specials.length)] : r.nextGaussian();
          f[i] = (float) d[i];
        }
        for (Reductions.Op op : new Reductions.Op[] {Reductions.Op.MAX, Reductions.Op.MIN}) {
          double init = Reductions.init(op);
          String what = op + " n " + n + " trial " + trial;
          assertEquals(Double.doubleToRawLongBits(Reductions.foldSegmentScalar(op, init, d, 2, 2 + n)),
              Double.doubleToRawLongBits(Reductions.foldSegment(op, init, d, 2, 2 + n)), "f64 " + what);
          assertEquals(Double.doubleToRawLongBits(Reductions.foldSegmentScalar(op, init, f, 1, 1 + n)),
              Double.doubleToRawLongBits(Reductions.foldSegment(op, init, f, 1, 1 + n)), "f32 " + what);
        }
      }
    }
  }

  /** Sum over {@code axes}, each output's elements numbered row-major over the reduced axes. */
  private static double[] reference(int[] shape, double[] x, int[] axes) {
    boolean[] reduced = new boolean[shape.length];
    for (int a : axes) reduced[a] = true;
    int outSize = 1;
    int kSize = 1;
    for (int d = 0; d < shape.length; d++) {
      if (reduced[d]) kSize *= shape[d]; else outSize *= shape[d];
    }
    double[][] terms = new double[outSize][kSize];
    int[] idx = new int[shape.length];
    for (int i = 0; i < x.length; i++) {
      int o = 0;
      int k = 0;
      for (int d = 0; d < shape.length; d++) {
        if (reduced[d]) k = k * shape[d] + idx[d]; else o = o * shape[d] + idx[d];
      }
      terms[o][k] = x[i];
      for (int d = shape.length - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
    }
    double[] out = new double[outSize];
    for (int o = 0; o < outSize; o++) out[o] = lanesSum(terms[o]);
    return out;
  }

  private static void assertBits(double[] expect, Array got, String what) {
    double[] g = got.toDoubleArray();
    assertEquals(expect.length, g.length, what);
    for (int i = 0; i < g.length; i++) {
      assertEquals(expect[i], g[i], 0.0, what + " element " + i);
    }
  }
}
