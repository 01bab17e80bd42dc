package dev.statelens.engine.backend.cpu;

import static dev.statelens.engine.backend.cpu.Elementwise.one;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;

/**
 * Reductions: each input row is folded into the output at the offsets given by output strides
 * that are 0 on reduced axes. F32 sums accumulate in double.
 */
final class Reductions {
  private Reductions() {}

  private enum Op { SUM, MAX, MIN }

  static void registerAll() {
    register(Prims.REDUCE_SUM, Op.SUM);
    register(Prims.REDUCE_MAX, Op.MAX);
    register(Prims.REDUCE_MIN, Op.MIN);
    CpuKernels.register(Prims.ARGMAX, (p, in, out) -> argReduce(in[0], p.getInts("axes")[0], true, out[0]));
    CpuKernels.register(Prims.ARGMIN, (p, in, out) -> argReduce(in[0], p.getInts("axes")[0], false, out[0]));
  }

  private static void register(Primitive p, Op op) {
    CpuKernels.register(p, (params, in, out) -> reduce(in[0], params.getInts("axes"), op, out[0]));
  }

  /** For each input axis, the stride of the output it maps to (0 for reduced axes). */
  private static int[] outStridesPerInputAxis(Aval x, int[] axes, Aval out) {
    int[] outStrides = Strided.rowMajor(out.shape());
    int[] s = new int[x.rank()];
    boolean[] reduced = new boolean[x.rank()];
    for (int a : axes) {
      reduced[a] = true;
    }
    for (int d = 0, j = 0; d < x.rank(); d++) {
      s[d] = reduced[d] ? 0 : outStrides[j++];
    }
    return s;
  }

  private static CpuBuffer[] reduce(CpuBuffer xb, int[] axes, Op op, Aval out) {
    Aval x = xb.aval();
    int[] map = outStridesPerInputAxis(x, axes, out);
    int n = out.size();
    DType dt = x.dtype();
    switch (dt) {
      case F32, F64 -> {
        double[] threaded = parallelFloat(xb, axes, op, map, out);
        if (threaded != null) {
          if (dt == DType.F64) {
            return one(out, threaded);
          }
          float[] r = new float[n];
          for (int i = 0; i < n; i++) r[i] = (float) threaded[i];
          return one(out, r);
        }
        double[] acc = new double[n];
        java.util.Arrays.fill(acc, op == Op.SUM ? 0 : op == Op.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        if (dt == DType.F32) {
          float[] a = xb.f32();
          Strided.forEachRow(x.shape(), map, 0, (is, os, len, st) -> {
            for (int j = 0; j < len; j++) {
              int o = os + j * st;
              acc[o] = fold(op, acc[o], a[is + j]);
            }
          });
          float[] r = new float[n];
          for (int i = 0; i < n; i++) r[i] = (float) acc[i];
          return one(out, r);
        }
        double[] a = xb.f64();
        Strided.forEachRow(x.shape(), map, 0, (is, os, len, st) -> {
          for (int j = 0; j < len; j++) {
            int o = os + j * st;
            acc[o] = fold(op, acc[o], a[is + j]);
          }
        });
        return one(out, acc);
      }
      case I32, U32 -> {
        boolean unsigned = dt == DType.U32;
        int[] acc = new int[n];
        int init = switch (op) {
          case SUM -> 0;
          case MAX -> unsigned ? 0 : Integer.MIN_VALUE;
          case MIN -> unsigned ? -1 : Integer.MAX_VALUE;
        };
        java.util.Arrays.fill(acc, init);
        int[] a = xb.i32();
        Strided.forEachRow(x.shape(), map, 0, (is, os, len, st) -> {
          for (int j = 0; j < len; j++) {
            int o = os + j * st;
            int v = a[is + j];
            acc[o] = switch (op) {
              case SUM -> acc[o] + v;
              case MAX -> (unsigned ? Integer.compareUnsigned(v, acc[o]) > 0 : v > acc[o]) ? v : acc[o];
              case MIN -> (unsigned ? Integer.compareUnsigned(v, acc[o]) < 0 : v < acc[o]) ? v : acc[o];
            };
          }
        });
        return one(out, acc);
      }
      case BOOL -> {
        boolean[] acc = new boolean[n];
        java.util.Arrays.fill(acc, op == Op.MIN);
        boolean[] a = xb.bool();
        Strided.forEachRow(x.shape(), map, 0, (is, os, len, st) -> {
          for (int j = 0; j < len; j++) {
            int o = os + j * st;
            acc[o] = op == Op.MAX ? acc[o] | a[is + j] : acc[o] & a[is + j];
          }
        });
        return one(out, acc);
      }
      default -> throw new AssertionError();
    }
  }

  /** Elements per chunk when one long reduced segment is split (fixed: results do not depend on cores). */
  static final int CHUNK = 32_768;

  /**
   * Fast and threaded float reductions, or null when the generic strided loop should run.
   * (1) The reduced axes are the trailing ones (full sums, row sums; any size), so each output
   * folds one contiguous segment in a tight loop; segments are spread over threads, and a segment
   * longer than 2 x {@link #CHUNK} is folded in fixed chunks whose partial results combine in
   * order. (2) The last axis is kept (large inputs): columns are spread over threads, every output
   * folded in the same order as sequentially. The result never depends on the number of threads.
   */
  private static double[] parallelFloat(CpuBuffer xb, int[] axes, Op op, int[] map, Aval out) {
    Aval x = xb.aval();
    int size = x.size();
    int parts = Parallel.parts(size, Parallel.ELEMENTWISE_GRAIN);
    int rank = x.rank();
    boolean[] reduced = new boolean[rank];
    for (int a : axes) {
      reduced[a] = true;
    }
    int n = out.size();
    double init = op == Op.SUM ? 0 : op == Op.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    double[] acc = new double[n];
    java.util.Arrays.fill(acc, init);
    Object data = xb.data();
    int firstReduced = rank;
    while (firstReduced > 0 && reduced[firstReduced - 1]) {
      firstReduced--;
    }
    boolean trailing = true;
    for (int d = 0; d < firstReduced; d++) {
      trailing &= !reduced[d];
    }
    if (trailing && n > 0) {
      int len = size / n;
      if (len >= 2 * CHUNK) { // decided by size only: the order never depends on the core count
        int chunks = (len + CHUNK - 1) / CHUNK;
        double[] partial = new double[n * chunks];
        Parallel.forRange(n * chunks, parts, 1, (c0, c1) -> {
          for (int c = c0; c < c1; c++) {
            int o = c / chunks;
            int from = o * len + (c % chunks) * CHUNK;
            int to = Math.min(o * len + len, from + CHUNK);
            partial[c] = foldSegment(op, init, data, from, to);
          }
        });
        for (int o = 0; o < n; o++) {
          double a = init;
          for (int c = 0; c < chunks; c++) {
            a = fold(op, a, partial[o * chunks + c]);
          }
          acc[o] = a;
        }
      } else {
        Parallel.forRange(n, parts, 1, (o0, o1) -> {
          for (int o = o0; o < o1; o++) {
            acc[o] = foldSegment(op, init, data, o * len, o * len + len);
          }
        });
      }
      return acc;
    }
    if (!reduced[rank - 1] && size >= 2 * Parallel.ELEMENTWISE_GRAIN) {
      int len = x.dim(rank - 1);
      Parallel.forRange(len, parts, 16, (j0, j1) -> Strided.forEachRow(x.shape(), map, 0, (is, os, rowLen, st) -> {
        switch (data) {
          case float[] a -> {
            for (int j = j0; j < j1; j++) acc[os + j * st] = fold(op, acc[os + j * st], a[is + j]);
          }
          case double[] a -> {
            for (int j = j0; j < j1; j++) acc[os + j * st] = fold(op, acc[os + j * st], a[is + j]);
          }
          default -> throw new AssertionError();
        }
      }));
      return acc;
    }
    return null;
  }

  private static double foldSegment(Op op, double init, Object data, int from, int to) {
    double a = init;
    switch (data) {
      case float[] f -> {
        for (int i = from; i < to; i++) a = fold(op, a, f[i]);
      }
      case double[] d -> {
        for (int i = from; i < to; i++) a = fold(op, a, d[i]);
      }
      default -> throw new AssertionError();
    }
    return a;
  }

  private static double fold(Op op, double acc, double v) {
    return switch (op) {
      case SUM -> acc + v;
      case MAX -> Math.max(acc, v);
      case MIN -> Math.min(acc, v);
    };
  }

  private static CpuBuffer[] argReduce(CpuBuffer xb, int axis, boolean isMax, Aval out) {
    Aval x = xb.aval();
    int[] xs = Strided.rowMajor(x.shape());
    int[] strides = new int[out.rank()];
    for (int d = 0, j = 0; d < x.rank(); d++) {
      if (d != axis) {
        strides[j++] = xs[d];
      }
    }
    int len = x.dim(axis);
    int step = xs[axis];
    int[] result = new int[out.size()];
    DType dt = x.dtype();
    Strided.forEachRow(out.shape(), strides, 0, (os, ss, rowLen, st) -> {
      for (int j = 0; j < rowLen; j++) {
        int base = ss + j * st;
        int best = 0;
        double bestV = value(xb, dt, base);
        if (!Double.isNaN(bestV)) {
          for (int k = 1; k < len; k++) {
            double v = value(xb, dt, base + k * step);
            if (Double.isNaN(v)) {
              best = k;
              break;
            }
            if (isMax ? v > bestV : v < bestV) {
              best = k;
              bestV = v;
            }
          }
        }
        result[os + j] = best;
      }
    });
    return one(out, result);
  }

  private static double value(CpuBuffer b, DType dt, int i) {
    return switch (dt) {
      case F32 -> b.f32()[i];
      case F64 -> b.f64()[i];
      case I32 -> b.i32()[i];
      case U32 -> Integer.toUnsignedLong(b.i32()[i]);
      case BOOL -> b.bool()[i] ? 1 : 0;
    };
  }
}
