package dev.statelens.engine.backend.cpu;

import static dev.statelens.engine.backend.cpu.Elementwise.one;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;

/**
 * Reductions: each input row is folded into the output at the offsets given by output strides
 * that are 0 on reduced axes. F32 sums accumulate in double.
 *
 * <p><b>Float summation order</b> (also {@link FusedReduction} and {@link GraphCodegen}, which
 * must give the same bits): the elements that fold into one output, numbered {@code k = 0, 1, ...}
 * in row-major order of the reduced axes, go into {@link #LANES} interleaved double accumulators,
 * element {@code k} into accumulator {@code k % 4}, each in increasing {@code k}; the output is
 * {@code (a0 + a1) + (a2 + a3)}. Four independent chains instead of one let the CPU overlap the
 * adds (a dependent double add costs ~3 cycles), like XLA's vectorised CPU reductions; the error
 * bound is no worse than one sequential chain. Max and min use the same lanes (their results do
 * not depend on the order). A segment of 2 x {@link #CHUNK} elements or more is summed in fixed
 * chunks (each chunk as above), whose results then add up in chunk order. The order depends only
 * on the shapes, never on the number of threads.
 */
final class Reductions {
  private Reductions() {}

  enum Op { SUM, MAX, MIN }

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
  static int[] outStridesPerInputAxis(Aval x, int[] axes, Aval out) {
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
        double[] acc = floatReduce(xb, axes, op, out);
        if (dt == DType.F64) {
          return one(out, acc);
        }
        float[] r = new float[n];
        for (int i = 0; i < n; i++) r[i] = (float) acc[i];
        return one(out, r);
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

  /** Interleaved accumulators per output (see the class comment); the generated code uses them too. */
  static final int LANES = 4;

  /**
   * A float reduction in the lanes order of the class comment, as doubles. (1) The reduced axes
   * are the trailing ones (full sums, row sums; any size): each output folds one contiguous
   * segment in a tight loop; segments are spread over threads, and a segment of 2 x {@link #CHUNK}
   * or more is folded in fixed chunks whose results combine in order. (2) Any other axes: a
   * strided pass folds each element into its output's lane; large inputs whose last axis is kept
   * split the columns over threads. The result never depends on the number of threads.
   */
  private static double[] floatReduce(CpuBuffer xb, int[] axes, Op op, Aval out) {
    Aval x = xb.aval();
    int size = x.size();
    int parts = Parallel.parts(size, Parallel.ELEMENTWISE_GRAIN);
    int rank = x.rank();
    boolean[] reduced = new boolean[rank];
    for (int a : axes) {
      reduced[a] = true;
    }
    int n = out.size();
    double init = init(op);
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
    if (n == 0 || size == 0) {
      return acc;
    }
    // lanes[l * n + o]: lane l of output o. The visit's "source" offset is k * n + o (k: the
    // element's number among those of its output), from which each row reads its k and o.
    double[] lanes = new double[LANES * n];
    java.util.Arrays.fill(lanes, init);
    int[] kn = laneStrides(x, reduced, out);
    boolean lastReduced = rank > 0 && reduced[rank - 1];
    if (rank > 0 && !lastReduced && size >= 2 * Parallel.ELEMENTWISE_GRAIN) {
      int len = x.dim(rank - 1);
      Parallel.forRange(len, parts, 16, (j0, j1) -> Strided.forEachRow(x.shape(), kn, 0, (is, pos, rowLen, st) -> {
        int at = ((pos / n) & (LANES - 1)) * n + pos % n;
        switch (data) {
          case float[] a -> {
            for (int j = j0; j < j1; j++) lanes[at + j] = fold(op, lanes[at + j], a[is + j]);
          }
          case double[] a -> {
            for (int j = j0; j < j1; j++) lanes[at + j] = fold(op, lanes[at + j], a[is + j]);
          }
          default -> throw new AssertionError();
        }
      }));
    } else {
      Strided.forEachRow(x.shape(), kn, 0, (is, pos, len, st) -> {
        int k = pos / n;
        int o = pos % n;
        for (int j = 0; j < len; j++) {
          int at = lastReduced ? ((k + j) & (LANES - 1)) * n + o : (k & (LANES - 1)) * n + o + j;
          double v = data instanceof float[] f ? f[is + j] : ((double[]) data)[is + j];
          lanes[at] = fold(op, lanes[at], v);
        }
      });
    }
    for (int o = 0; o < n; o++) {
      acc[o] = combine(op, lanes[o], lanes[n + o], lanes[2 * n + o], lanes[3 * n + o]);
    }
    return acc;
  }

  /**
   * For each input axis, the stride of {@code k * n + o} (n outputs; o the output, k the element's
   * number among its output's elements, row-major over the reduced axes).
   */
  private static int[] laneStrides(Aval x, boolean[] reduced, Aval out) {
    int rank = x.rank();
    int n = out.size();
    int[] outStrides = Strided.rowMajor(out.shape());
    int[] s = new int[rank];
    int k = n;
    for (int d = rank - 1; d >= 0; d--) {
      if (reduced[d]) {
        s[d] = k;
        k *= x.dim(d);
      }
    }
    for (int d = 0, j = 0; d < rank; d++) {
      if (!reduced[d]) {
        s[d] = outStrides[j++];
      }
    }
    return s;
  }

  static double init(Op op) {
    return op == Op.SUM ? 0 : op == Op.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  /** {@code t[from..to)} summed in lanes order (generated code's buffered reductions, {@link GraphCodegen}). */
  static double sumLanes(double[] t, int from, int to) {
    return sumSegment(t, from, to);
  }

  /**
   * Two buffered sums at once, each exactly {@link #sumLanes}{@code (t, 0, to)}: returns
   * {@code a}'s and leaves {@code b}'s in {@code b[0]} (the caller's scratch, read right after).
   * Interleaving them gives the CPU eight independent add chains instead of two runs of four, so
   * the fold runs at add throughput rather than latency; each sum's order, and bits, are unchanged.
   */
  static double sumLanesPair(double[] a, double[] b, int to) {
    if (VECTOR_FOLD && to >= 16) {
      return VectorLanes.sumPair(a, b, to);
    }
    return sumLanesPairScalar(a, b, to);
  }

  /** Whether {@link VectorLanes} folds pairs (Vector API present, 256-bit doubles in hardware). */
  private static final boolean VECTOR_FOLD = vectorFold();

  private static boolean vectorFold() {
    if (!Matmul.vectorized()) {
      return false; // also honours -Dstatelens.cpu.vector=false
    }
    try {
      return VectorLanes.available();
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  /** {@link #sumLanesPair} without the Vector API (tests compare the two). */
  static double sumLanesPairScalar(double[] a, double[] b, int to) {
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    double b0 = 0;
    double b1 = 0;
    double b2 = 0;
    double b3 = 0;
    int i = 0;
    for (; i + 3 < to; i += 4) {
      a0 += a[i];
      b0 += b[i];
      a1 += a[i + 1];
      b1 += b[i + 1];
      a2 += a[i + 2];
      b2 += b[i + 2];
      a3 += a[i + 3];
      b3 += b[i + 3];
    }
    if (i < to) {
      a0 += a[i];
      b0 += b[i];
    }
    if (i + 1 < to) {
      a1 += a[i + 1];
      b1 += b[i + 1];
    }
    if (i + 2 < to) {
      a2 += a[i + 2];
      b2 += b[i + 2];
    }
    b[0] = (b0 + b1) + (b2 + b3);
    return (a0 + a1) + (a2 + a3);
  }

  /** {@code t[from..to)} folded by max in lanes order (generated code's buffered reductions). */
  static double maxLanes(double[] t, int from, int to) {
    return foldSegment(Op.MAX, Double.NEGATIVE_INFINITY, t, from, to);
  }

  /** {@code t[from..to)} folded by min in lanes order (generated code's buffered reductions). */
  static double minLanes(double[] t, int from, int to) {
    return foldSegment(Op.MIN, Double.POSITIVE_INFINITY, t, from, to);
  }

  /** One contiguous segment in lanes order: element {@code from + k} into lane {@code k % 4}. */
  static double foldSegment(Op op, double init, Object data, int from, int to) {
    if (op == Op.SUM) {
      return data instanceof float[] f ? sumSegment(f, from, to) : sumSegment((double[]) data, from, to);
    }
    if (VECTOR_FOLD && to - from >= 8) {
      double v = data instanceof float[] f ? VectorLanes.maxMin(op == Op.MAX, f, from, to)
          : VectorLanes.maxMin(op == Op.MAX, (double[]) data, from, to);
      if (!Double.isNaN(v)) {
        return v;
      } // which of two NaNs the vector max keeps is not Math.max's: the scalar fold says
    }
    return foldSegmentScalar(op, init, data, from, to);
  }

  /** {@link #foldSegment}'s max/min without the Vector API (tests compare the two). */
  static double foldSegmentScalar(Op op, double init, Object data, int from, int to) {
    double a0 = init;
    double a1 = init;
    double a2 = init;
    double a3 = init;
    int i = from;
    switch (data) {
      case float[] f -> {
        for (; i + 3 < to; i += 4) {
          a0 = fold(op, a0, f[i]);
          a1 = fold(op, a1, f[i + 1]);
          a2 = fold(op, a2, f[i + 2]);
          a3 = fold(op, a3, f[i + 3]);
        }
        if (i < to) a0 = fold(op, a0, f[i]);
        if (i + 1 < to) a1 = fold(op, a1, f[i + 1]);
        if (i + 2 < to) a2 = fold(op, a2, f[i + 2]);
      }
      case double[] d -> {
        for (; i + 3 < to; i += 4) {
          a0 = fold(op, a0, d[i]);
          a1 = fold(op, a1, d[i + 1]);
          a2 = fold(op, a2, d[i + 2]);
          a3 = fold(op, a3, d[i + 3]);
        }
        if (i < to) a0 = fold(op, a0, d[i]);
        if (i + 1 < to) a1 = fold(op, a1, d[i + 1]);
        if (i + 2 < to) a2 = fold(op, a2, d[i + 2]);
      }
      default -> throw new AssertionError();
    }
    return combine(op, a0, a1, a2, a3);
  }

  private static double sumSegment(float[] f, int from, int to) {
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    int i = from;
    for (; i + 3 < to; i += 4) {
      a0 += f[i];
      a1 += f[i + 1];
      a2 += f[i + 2];
      a3 += f[i + 3];
    }
    if (i < to) a0 += f[i];
    if (i + 1 < to) a1 += f[i + 1];
    if (i + 2 < to) a2 += f[i + 2];
    return (a0 + a1) + (a2 + a3);
  }

  private static double sumSegment(double[] d, int from, int to) {
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    int i = from;
    for (; i + 3 < to; i += 4) {
      a0 += d[i];
      a1 += d[i + 1];
      a2 += d[i + 2];
      a3 += d[i + 3];
    }
    if (i < to) a0 += d[i];
    if (i + 1 < to) a1 += d[i + 1];
    if (i + 2 < to) a2 += d[i + 2];
    return (a0 + a1) + (a2 + a3);
  }

  /** The lanes' result: {@code (a0 . a1) . (a2 . a3)}. */
  static double combine(Op op, double a0, double a1, double a2, double a3) {
    return fold(op, fold(op, a0, a1), fold(op, a2, a3));
  }

  static double fold(Op op, double acc, double v) {
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
      case BF16, F16 -> dev.statelens.engine.backend.HalfFloats.toFloat(dt, b.bits16()[i]);
      case C64 -> throw new IllegalStateException("a complex64 operand reached a real reduction (ComplexKernels)");
    };
  }
}
