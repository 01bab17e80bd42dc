package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;

/**
 * A float reduction over trailing axes fed by a fused elementwise group: the group's values are
 * computed a block at a time and folded into the outputs, never stored. Each output folds its
 * segment in double into {@link Reductions#LANES} interleaved accumulators, as {@link Reductions}
 * does, so the bits are the same as the unfused pair (only segments shorter than
 * 2 x {@link Reductions#CHUNK} are fused).
 */
final class FusedReduction implements CpuKernel {
  private final FusedElementwise expr;
  private final Primitive op;

  FusedReduction(FusedElementwise expr, Primitive op) {
    this.expr = expr;
    this.op = op;
  }

  /** The elementwise group whose values this reduction folds. */
  FusedElementwise expression() {
    return expr;
  }

  @Override
  public CpuBuffer[] apply(Params params, CpuBuffer[] in, Aval[] outAvals) {
    Aval out = outAvals[0];
    int n = out.size();
    double init = op == Prims.REDUCE_SUM ? 0 : op == Prims.REDUCE_MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    double[] acc = new double[n];
    Object[] src = new Object[in.length];
    for (int i = 0; i < in.length; i++) {
      src[i] = in[i].data();
    }
    expr.countRun(src);
    int size = expr.size();
    int len = n == 0 ? 0 : size / n;
    if (expr.isFlat()) {
      int parts = Parallel.parts(size, Parallel.ELEMENTWISE_GRAIN);
      Parallel.forRange(n, parts, 1, (o0, o1) -> {
        double[] lanes = new double[Reductions.LANES];
        if (len <= FusedElementwise.BLOCK / 2) {
          foldShortSegments(src, lanes, acc, o0, o1, len, init);
          return;
        }
        for (int o = o0; o < o1; o++) {
          java.util.Arrays.fill(lanes, init);
          // blocks start at multiples of BLOCK (a multiple of 4) from the segment's start,
          // so a block's element j is element k = j (mod 4) of the segment
          expr.forEachBlock(src, o * len, o * len + len, (block, count) -> fold(lanes, block, count));
          acc[o] = combine(lanes);
        }
      });
    } else {
      // broadcast operands: materialize the group, then fold (still one step, same bits)
      double[] values = expr.values(src);
      double[] lanes = new double[Reductions.LANES];
      for (int o = 0; o < n; o++) {
        java.util.Arrays.fill(lanes, init);
        fold(lanes, values, o * len, len);
        acc[o] = combine(lanes);
      }
    }
    if (out.dtype() == DType.F64) {
      return Elementwise.one(out, acc);
    }
    float[] r = new float[n];
    for (int i = 0; i < n; i++) {
      r[i] = (float) acc[i];
    }
    return Elementwise.one(out, r);
  }

  /**
   * Outputs {@code [o0, o1)} of segments of at most half a block (a softmax's rows of 32, a layer
   * norm's rows of 48): the group runs over as many whole segments as fill a block, then each
   * segment of the block is folded from its own start, so its element k still goes to lane
   * {@code k % 4} (the same bits). One segment per block ran the group's program for every 32
   * elements: the transformer's softmax-gradient sum took 250 µs for 65,536 elements.
   */
  private void foldShortSegments(Object[] src, double[] lanes, double[] acc, int o0, int o1, int len, double init) {
    if (len == 0) {
      for (int o = o0; o < o1; o++) {
        acc[o] = init;
      }
      return;
    }
    int perBlock = FusedElementwise.BLOCK / len;
    for (int o = o0; o < o1; o += perBlock) {
      int first = o;
      int segments = Math.min(perBlock, o1 - o);
      expr.forEachBlock(src, first * len, (first + segments) * len, (block, count) -> {
        for (int q = 0; q < segments; q++) {
          java.util.Arrays.fill(lanes, init);
          fold(lanes, block, q * len, len);
          acc[first + q] = combine(lanes);
        }
      });
    }
  }

  private void fold(double[] lanes, double[] block, int count) {
    fold(lanes, block, 0, count);
  }

  /** {@code values[from + k]} into lane {@code k % 4}, for k below {@code count}. */
  private void fold(double[] lanes, double[] values, int from, int count) {
    double a0 = lanes[0];
    double a1 = lanes[1];
    double a2 = lanes[2];
    double a3 = lanes[3];
    int k = 0;
    if (op == Prims.REDUCE_SUM) {
      for (; k + 3 < count; k += 4) {
        a0 += values[from + k];
        a1 += values[from + k + 1];
        a2 += values[from + k + 2];
        a3 += values[from + k + 3];
      }
    } else {
      for (; k + 3 < count; k += 4) {
        a0 = foldOne(a0, values[from + k]);
        a1 = foldOne(a1, values[from + k + 1]);
        a2 = foldOne(a2, values[from + k + 2]);
        a3 = foldOne(a3, values[from + k + 3]);
      }
    }
    if (k < count) a0 = foldOne(a0, values[from + k]);
    if (k + 1 < count) a1 = foldOne(a1, values[from + k + 1]);
    if (k + 2 < count) a2 = foldOne(a2, values[from + k + 2]);
    lanes[0] = a0;
    lanes[1] = a1;
    lanes[2] = a2;
    lanes[3] = a3;
  }

  private double combine(double[] lanes) {
    return foldOne(foldOne(lanes[0], lanes[1]), foldOne(lanes[2], lanes[3]));
  }

  private double foldOne(double a, double v) {
    return op == Prims.REDUCE_SUM ? a + v : op == Prims.REDUCE_MAX ? Math.max(a, v) : Math.min(a, v);
  }
}
