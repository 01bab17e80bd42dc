package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;

/**
 * A c64 reduction ({@code reduce_max/min}, {@code reduce_prod}) folded in XLA CPU's order, which
 * decides the result where the fold is not associative in f32 (a maximum with NaN parts, a product
 * rounded at each step). When any reduced axis is longer than {@value #WINDOW}, XLA's tree
 * reduction rewriter first folds windows — {@value #WINDOW} long on each such axis (the axis padded
 * to a multiple of {@value #WINDOW}, half the padding before, the rest after; padding is skipped,
 * not folded), the whole axis on the other reduced axes — into partial results, and rewrites its
 * own output again until no reduced axis is longer than {@value #WINDOW}; then a plain reduce folds
 * what is left. Each fold, window or plain, starts from the initial value and visits its elements
 * in row-major order, the accumulator first ({@code f(acc, x)}). The HLO after XLA's passes shows it:
 * {@code jnp.prod} of c64[1000] is {@code reduce-window(size=32 stride=32 pad=12_12)} then
 * {@code reduce}.
 */
final class ComplexReduceTree {
  private ComplexReduceTree() {}

  /** XLA CPU's tree reduction window. */
  static final int WINDOW = 32;

  /** {@code in} reduced over {@code p}'s axes to {@code out}'s interleaved parts. */
  static float[] reduce(Params p, CpuBuffer in, Aval out, ComplexScanTree.Fold f, float initRe, float initIm) {
    int[] axes = p.getInts("axes");
    int[] shape = in.aval().shape();
    float[] v = in.f32();
    while (rewritten(shape, axes)) {
      int[] partials = partialShape(shape, axes);
      v = foldWindows(v, shape, partials, axes, f, initRe, initIm);
      shape = partials;
    }
    float[] r = ComplexScanTree.filled(out.size(), initRe, initIm);
    // the plain reduce: the real reductions' walk, input rows in row-major order
    int[] outStrides = Reductions.outStridesPerInputAxis(in.aval().withShape(shape), axes, out);
    float[] x = v;
    Strided.forEachRow(shape, outStrides, 0, (row, outStart, len, outStride) -> {
      for (int j = 0; j < len; j++) {
        int o = 2 * (outStart + j * outStride);
        int i = 2 * (row + j);
        f.apply(r[o], r[o + 1], x[i], x[i + 1], r, o);
      }
    });
    return r;
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
  private static float[] foldWindows(float[] v, int[] shape, int[] partials, int[] axes, ComplexScanTree.Fold f,
      float initRe, float initIm) {
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
    float[] r = ComplexScanTree.filled(java.util.Arrays.stream(partials).reduce(1, Math::multiplyExact), initRe, initIm);
    int n = v.length / 2;
    int[] coord = new int[rank];
    for (int i = 0; i < n; i++) {
      int o = 0;
      for (int d = 0; d < rank; d++) {
        o += partialOffset[d][coord[d]];
      }
      f.apply(r[2 * o], r[2 * o + 1], v[2 * i], v[2 * i + 1], r, 2 * o);
      for (int d = rank - 1; d >= 0 && ++coord[d] == shape[d]; d--) {
        coord[d] = 0;
      }
    }
    return r;
  }
}
