package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Aval;

/**
 * Strided index math: visiting an output shape row by row (the last axis is the inner loop)
 * while tracking the matching offset into a source with arbitrary (possibly 0 or negative)
 * strides. Broadcast, transpose, slice and reverse are all one strided gather.
 */
public final class Strided {
  private Strided() {}

  /** Visits one row: {@code len} elements at output offset {@code outStart}. */
  @FunctionalInterface
  public interface RowVisitor {
    void row(int outStart, int srcStart, int len, int srcStride);
  }

  /**
   * Row-major data of {@code x} with its axes permuted to {@code order} (the array itself when
   * {@code order} is the identity): what matmul and convolution kernels read their operands as.
   */
  static Object permuted(CpuBuffer x, int[] order) {
    boolean identity = true;
    for (int i = 0; i < order.length; i++) {
      identity &= order[i] == i;
    }
    if (identity) {
      return x.data();
    }
    int[] xs = rowMajor(x.aval().shape());
    int[] shape = new int[order.length];
    int[] strides = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      shape[i] = x.aval().dim(order[i]);
      strides[i] = xs[order[i]];
    }
    return gather(x.data(), x.aval().dtype(), shape, strides, 0);
  }

  /**
   * The strides in {@code x} (row-major) of each axis of {@code broadcast_in_dim(x, dims)}'s
   * rank-{@code outRank} output: x's own stride where {@code dims} maps an axis of x, 0 on the new
   * axes and on x's size-1 axes (broadcast there).
   */
  static int[] broadcastStrides(Aval x, int[] dims, int outRank) {
    int[] xs = rowMajor(x.shape());
    int[] s = new int[outRank];
    for (int i = 0; i < dims.length; i++) {
      s[dims[i]] = x.dim(i) == 1 ? 0 : xs[i];
    }
    return s;
  }

  /** Row-major strides of {@code shape}. */
  public static int[] rowMajor(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  /** Calls {@code v} for every row of {@code shape} (in row-major order). */
  public static void forEachRow(int[] shape, int[] srcStrides, int srcBase, RowVisitor v) {
    int rank = shape.length;
    if (rank == 0) {
      v.row(0, srcBase, 1, 0);
      return;
    }
    int len = shape[rank - 1];
    int innerStride = srcStrides[rank - 1];
    int rows = 1;
    for (int i = 0; i < rank - 1; i++) {
      rows *= shape[i];
    }
    if (len == 0 || rows == 0) {
      return;
    }
    int[] idx = new int[rank - 1];
    int src = srcBase;
    for (int r = 0; r < rows; r++) {
      v.row(r * len, src, len, innerStride);
      // odometer over the outer axes
      for (int d = rank - 2; d >= 0; d--) {
        idx[d]++;
        src += srcStrides[d];
        if (idx[d] < shape[d]) {
          break;
        }
        src -= srcStrides[d] * shape[d];
        idx[d] = 0;
      }
    }
  }

  /** A new row-major array of {@code outShape} read from {@code src} at the given strides. */
  public static Object gather(Object src, DType dtype, int[] outShape, int[] srcStrides, int srcBase) {
    int n = 1;
    for (int d : outShape) {
      n *= d;
    }
    Object out = HostArrays.allocate(dtype, n);
    switch (out) {
      case float[] o -> {
        float[] s = (float[]) src;
        forEachRow(outShape, srcStrides, srcBase, (os, ss, len, st) -> {
          if (st == 1) {
            System.arraycopy(s, ss, o, os, len);
          } else if (st == 0) { // a broadcast column (softmax's row max/sum over its row)
            java.util.Arrays.fill(o, os, os + len, s[ss]);
          } else {
            for (int j = 0; j < len; j++) o[os + j] = s[ss + j * st];
          }
        });
      }
      case double[] o -> {
        double[] s = (double[]) src;
        forEachRow(outShape, srcStrides, srcBase, (os, ss, len, st) -> {
          if (st == 1) {
            System.arraycopy(s, ss, o, os, len);
          } else {
            for (int j = 0; j < len; j++) o[os + j] = s[ss + j * st];
          }
        });
      }
      case int[] o -> {
        int[] s = (int[]) src;
        forEachRow(outShape, srcStrides, srcBase, (os, ss, len, st) -> {
          if (st == 1) {
            System.arraycopy(s, ss, o, os, len);
          } else {
            for (int j = 0; j < len; j++) o[os + j] = s[ss + j * st];
          }
        });
      }
      case boolean[] o -> {
        boolean[] s = (boolean[]) src;
        forEachRow(outShape, srcStrides, srcBase, (os, ss, len, st) -> {
          if (st == 1) {
            System.arraycopy(s, ss, o, os, len);
          } else {
            for (int j = 0; j < len; j++) o[os + j] = s[ss + j * st];
          }
        });
      }
      default -> throw new AssertionError();
    }
    return out;
  }
}
