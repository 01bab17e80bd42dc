package dev.statelens.engine.backend.cpu;

/**
 * One line of a c64 cumulative op ({@code cumprod}, {@code cummax}, {@code cummin}) folded in the
 * order XLA's CPU folds it. JAX lowers these to a reduce-window whose output {@code i} folds, from
 * the initial value and front to back, the elements {@code 0..i} ({@code i..n-1} when reversed: a
 * reversed scan folds each suffix forwards too). Past {@value #BASE} elements XLA's
 * {@code ReduceWindowRewriter} turns that into a tree: the line padded at the end with the initial
 * value (real elements, so a reversed scan folds them) to blocks of {@value #BASE}; each block
 * scanned; the blocks' totals (last element of each block's scan, first when reversed) scanned
 * exclusively by the same rule (recursively); each element combined as {@code f(its block's scan,
 * the blocks before's total)} (after, when reversed). The order matters for a product as for a
 * maximum with NaNs: XLA's complex multiply is not commutative in its rounding
 * ({@link ComplexKernels#mul}).
 */
final class ComplexScanTree {
  private ComplexScanTree() {}

  /** The rewriter's block length. */
  static final int BASE = 16;

  /** XLA's reducer {@code f((aRe, aIm), (bRe, bIm))}, the accumulator first; writes {@code r[i], r[i + 1]}. */
  interface Fold {
    void apply(float aRe, float aIm, float bRe, float bIm, float[] r, int i);
  }

  /** Every line of {@code in} along {@code p}'s axis ({@code reverse} as {@code p} says), scanned. */
  static float[] scanLines(dev.statelens.engine.ir.Params p, CpuBuffer in, Fold f, float initRe, float initIm) {
    float[] v = in.f32();
    float[] r = new float[v.length];
    boolean reverse = p.getBoolean("reverse");
    // the lines front to back whatever the direction: a reversed scan's folds run forwards too
    Cumulative.forEachLine(p.with("reverse", false), in.aval(), (first, step, n) -> {
      float[] line = new float[2 * n];
      for (int k = 0, at = first; k < n; k++, at += step) {
        line[2 * k] = v[2 * at];
        line[2 * k + 1] = v[2 * at + 1];
      }
      float[] scanned = scanLine(line, n, reverse, false, f, initRe, initIm);
      for (int k = 0, at = first; k < n; k++, at += step) {
        r[2 * at] = scanned[2 * k];
        r[2 * at + 1] = scanned[2 * k + 1];
      }
    });
    return r;
  }

  /**
   * The scan of the {@code n} interleaved values {@code x}. {@code exclusive} gives {@code n + 1}
   * outputs, the initial value first (last when reversed).
   */
  static float[] scanLine(float[] x, int n, boolean reverse, boolean exclusive, Fold f, float initRe, float initIm) {
    if (n <= BASE) {
      return windowScan(x, n, reverse, exclusive, f, initRe, initIm);
    }
    int blocks = (n + BASE - 1) / BASE;
    float[] padded = filled(blocks * BASE, initRe, initIm);
    System.arraycopy(x, 0, padded, 0, 2 * n);
    float[] inBlocks = new float[padded.length];
    float[] totals = new float[2 * blocks];
    float[] block = new float[2 * BASE];
    for (int b = 0; b < blocks; b++) {
      System.arraycopy(padded, 2 * b * BASE, block, 0, block.length);
      float[] scanned = windowScan(block, BASE, reverse, false, f, initRe, initIm);
      System.arraycopy(scanned, 0, inBlocks, 2 * b * BASE, scanned.length);
      int total = reverse ? 0 : BASE - 1;
      totals[2 * b] = scanned[2 * total];
      totals[2 * b + 1] = scanned[2 * total + 1];
    }
    float[] others = scanLine(totals, blocks, reverse, true, f, initRe, initIm);
    float[] r = new float[2 * (exclusive ? n + 1 : n)];
    int shift = exclusive && !reverse ? 1 : 0;
    if (exclusive) {
      int at = reverse ? n : 0;
      r[2 * at] = initRe;
      r[2 * at + 1] = initIm;
    }
    for (int i = 0; i < n; i++) {
      int o = i / BASE + (reverse ? 1 : 0);
      f.apply(inBlocks[2 * i], inBlocks[2 * i + 1], others[2 * o], others[2 * o + 1], r, 2 * (i + shift));
    }
    return r;
  }

  /** The reduce-window that XLA does not rewrite: each output's own fold from the initial value. */
  private static float[] windowScan(float[] x, int n, boolean reverse, boolean exclusive, Fold f, float initRe,
      float initIm) {
    float[] r = filled(exclusive ? n + 1 : n, initRe, initIm);
    if (!reverse) {
      float[] acc = {initRe, initIm};
      for (int i = 0; i < n; i++) {
        f.apply(acc[0], acc[1], x[2 * i], x[2 * i + 1], acc, 0);
        int at = exclusive ? i + 1 : i;
        r[2 * at] = acc[0];
        r[2 * at + 1] = acc[1];
      }
      return r;
    }
    for (int i = 0; i < n; i++) { // output n (exclusive) keeps the initial value
      for (int k = i; k < n; k++) {
        f.apply(r[2 * i], r[2 * i + 1], x[2 * k], x[2 * k + 1], r, 2 * i);
      }
    }
    return r;
  }

  /** {@code size} copies of {@code (re, im)}, interleaved. */
  static float[] filled(int size, float re, float im) {
    float[] r = new float[2 * size];
    for (int k = 0; k < size; k++) {
      r[2 * k] = re;
      r[2 * k + 1] = im;
    }
    return r;
  }
}
