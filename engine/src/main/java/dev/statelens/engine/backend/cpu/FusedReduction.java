package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;

/**
 * A float reduction over trailing axes fed by a fused elementwise group: the group's values are
 * computed a block at a time and folded into the outputs, never stored. Each output folds its
 * segment in index order, in double, as {@link Reductions} does, so the bits are the same as
 * the unfused pair (only segments shorter than 2 x {@link Reductions#CHUNK} are fused).
 */
final class FusedReduction implements CpuKernel {
  private final FusedElementwise expr;
  private final Primitive op;

  FusedReduction(FusedElementwise expr, Primitive op) {
    this.expr = expr;
    this.op = op;
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
    int size = expr.size();
    int len = n == 0 ? 0 : size / n;
    if (expr.isFlat()) {
      int parts = Parallel.parts(size, Parallel.ELEMENTWISE_GRAIN);
      Parallel.forRange(n, parts, 1, (o0, o1) -> {
        for (int o = o0; o < o1; o++) {
          double[] a = {init};
          expr.forEachBlock(src, o * len, o * len + len, (block, count) -> a[0] = fold(a[0], block, count));
          acc[o] = a[0];
        }
      });
    } else {
      // broadcast operands: materialize the group, then fold (still one step, same bits)
      double[] values = expr.values(src);
      for (int o = 0; o < n; o++) {
        double a = init;
        for (int j = o * len; j < o * len + len; j++) {
          a = foldOne(a, values[j]);
        }
        acc[o] = a;
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

  private double fold(double a, double[] block, int count) {
    if (op == Prims.REDUCE_SUM) {
      for (int j = 0; j < count; j++) a += block[j];
    } else if (op == Prims.REDUCE_MAX) {
      for (int j = 0; j < count; j++) a = Math.max(a, block[j]);
    } else {
      for (int j = 0; j < count; j++) a = Math.min(a, block[j]);
    }
    return a;
  }

  private double foldOne(double a, double v) {
    return op == Prims.REDUCE_SUM ? a + v : op == Prims.REDUCE_MAX ? Math.max(a, v) : Math.min(a, v);
  }
}
