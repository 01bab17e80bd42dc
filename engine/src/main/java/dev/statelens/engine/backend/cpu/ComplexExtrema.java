package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;

/**
 * {@code jnp.max/min} of c64 ({@code reduce_max/min}) in XLA CPU's fold order, so that results
 * with NaN parts are real JAX 0.10.2's. XLA's complex max is {@code acc > x ? acc : x}
 * (min: {@code <}), lexicographic (real part, then imaginary); a comparison with a NaN part is
 * false, so the fold moves on to {@code x}, and which element wins depends on the order.
 *
 * <p>The order: when any reduced axis is longer than {@value #WINDOW}, XLA's tree reduction
 * rewriter first folds windows — {@value #WINDOW} long on each such axis (the axis padded to a
 * multiple of {@value #WINDOW}, half the padding before, the rest after; padding is skipped, not
 * folded), the whole axis on the other reduced axes — into partial results, and rewrites its own
 * output again until no reduced axis is longer than {@value #WINDOW}; then a plain reduce folds
 * what is left. Each fold, window or plain, starts from {@code -inf+0j} ({@code +inf+0j}) and visits
 * its elements in row-major order. Checked against real JAX on 33 to 5000 elements, several axes
 * ({@code complexorder/} reference cases).
 *
 * <p>{@code cummax/cummin} of c64 ({@link #cumulative}) follow XLA's order for them: JAX lowers a
 * cumulative extremum to a reduce-window whose output {@code i} folds, from the initial value and
 * front to back, the elements {@code 0..i} ({@code i..n-1} when reversed: a reversed scan folds
 * each suffix forwards too), and past 16 elements XLA's reduce-window rewriter
 * turns that into a tree ({@link ComplexScanTree}).
 */
final class ComplexExtrema {
  private ComplexExtrema() {}

  /** XLA CPU's tree reduction window. */
  static final int WINDOW = 32;

  static CpuBuffer[] reduce(Params p, CpuBuffer in, Aval out, boolean max) {
    int[] axes = p.getInts("axes");
    int[] shape = in.aval().shape();
    float[] v = in.f32();
    while (rewritten(shape, axes)) {
      int[] partials = partialShape(shape, axes);
      v = foldWindows(v, shape, partials, axes, max);
      shape = partials;
    }
    float[] r = initial(out.size(), max);
    // the plain reduce: the real reductions' walk, input rows in row-major order
    int[] outStrides = Reductions.outStridesPerInputAxis(in.aval().withShape(shape), axes, out);
    float[] x = v;
    Strided.forEachRow(shape, outStrides, 0, (row, outStart, len, outStride) -> {
      for (int j = 0; j < len; j++) {
        fold(r, outStart + j * outStride, x, row + j, max);
      }
    });
    return new CpuBuffer[] {new CpuBuffer(out, r)};
  }

  /** Whether XLA rewrites this reduce into windows: some reduced axis is longer than a window. */
  private static boolean rewritten(int[] shape, int[] axes) {
    for (int a : axes) {
      if (shape[a] > WINDOW) {
        return true;
      }
    }
    return false;
  }

  /** The reduce-window's output: a windowed axis becomes its number of windows, another reduced axis 1. */
  private static int[] partialShape(int[] shape, int[] axes) {
    int[] s = shape.clone();
    for (int a : axes) {
      s[a] = shape[a] > WINDOW ? (shape[a] + WINDOW - 1) / WINDOW : 1;
    }
    return s;
  }

  /**
   * Folds each window into its partial result. Visiting the input in row-major order and sending
   * each element to its window visits every window's elements in the window's own row-major order.
   */
  private static float[] foldWindows(float[] v, int[] shape, int[] partials, int[] axes, boolean max) {
    int rank = shape.length;
    int[] window = new int[rank];
    int[] padLow = new int[rank];
    java.util.Arrays.fill(window, 1);
    for (int a : axes) {
      window[a] = shape[a] > WINDOW ? WINDOW : shape[a];
      padLow[a] = shape[a] > WINDOW ? (partials[a] * WINDOW - shape[a]) / 2 : 0;
    }
    // partialOffset[d][c]: coordinate c of axis d's share of its window's partial offset
    int[] partialStrides = Strided.rowMajor(partials);
    int[][] partialOffset = new int[rank][];
    for (int d = 0; d < rank; d++) {
      partialOffset[d] = new int[shape[d]];
      for (int c = 0; c < shape[d]; c++) {
        partialOffset[d][c] = (c + padLow[d]) / window[d] * partialStrides[d];
      }
    }
    float[] r = initial(java.util.Arrays.stream(partials).reduce(1, Math::multiplyExact), max);
    int n = v.length / 2;
    int[] coord = new int[rank];
    for (int i = 0; i < n; i++) {
      int o = 0;
      for (int d = 0; d < rank; d++) {
        o += partialOffset[d][coord[d]];
      }
      fold(r, o, v, i, max);
      for (int d = rank - 1; d >= 0 && ++coord[d] == shape[d]; d--) {
        coord[d] = 0;
      }
    }
    return r;
  }

  /** {@code cummax/cummin} of c64 along {@code p}'s axis, each line in XLA's order ({@link ComplexScanTree}). */
  static CpuBuffer[] cumulative(Params p, CpuBuffer in, Aval out, boolean max) {
    ComplexScanTree.Fold f = (aRe, aIm, bRe, bIm, r, i) -> {
      boolean keep = keeps(aRe, aIm, bRe, bIm, max);
      r[i] = keep ? aRe : bRe;
      r[i + 1] = keep ? aIm : bIm;
    };
    float init = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    return new CpuBuffer[] {new CpuBuffer(out, ComplexScanTree.scanLines(p, in, f, init, 0f))};
  }

  private static float[] initial(int size, boolean max) {
    float[] r = new float[2 * size];
    for (int k = 0; k < size; k++) {
      r[2 * k] = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    }
    return r;
  }

  /** XLA's step: the accumulator at {@code r[2o]} stays only when it is strictly greater (less). */
  private static void fold(float[] r, int o, float[] x, int i, boolean max) {
    if (!keeps(r[2 * o], r[2 * o + 1], x[2 * i], x[2 * i + 1], max)) {
      r[2 * o] = x[2 * i];
      r[2 * o + 1] = x[2 * i + 1];
    }
  }

  /** XLA's complex max {@code a > b ? a : b} (min: {@code <}) keeps {@code a}: false when a part is NaN. */
  private static boolean keeps(float aRe, float aIm, float bRe, float bIm, boolean max) {
    return max ? aRe > bRe || (aRe == bRe && aIm > bIm) : aRe < bRe || (aRe == bRe && aIm < bIm);
  }
}
