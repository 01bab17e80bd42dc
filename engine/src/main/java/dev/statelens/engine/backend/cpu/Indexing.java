package dev.statelens.engine.backend.cpu;

import static dev.statelens.engine.backend.cpu.Elementwise.one;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Prims;

/**
 * {@code gather} and {@code scatter_add} along one axis. Both view the operand as
 * {@code [outer, n, inner]} (the axes before, at and after {@code axis}) and the indices as a
 * flat list; an index is clamped to {@code [0, n-1]} (u32 read as unsigned).
 */
final class Indexing {
  private Indexing() {}

  static void registerAll() {
    CpuKernels.register(Prims.GATHER, (p, in, out) -> gather(in[0], in[1], p.getInt("axis"), out[0]));
    CpuKernels.register(Prims.SCATTER_ADD, (p, in, out) -> scatterAdd(in[0], in[1], in[2], p.getInt("axis"), out[0]));
  }

  /** The operand's extent before {@code axis}. */
  private static int outer(Aval x, int axis) {
    int o = 1;
    for (int d = 0; d < axis; d++) {
      o *= x.dim(d);
    }
    return o;
  }

  /** The operand's extent after {@code axis}. */
  private static int inner(Aval x, int axis) {
    int o = 1;
    for (int d = axis + 1; d < x.rank(); d++) {
      o *= x.dim(d);
    }
    return o;
  }

  /** The clamped indices (JAX's clip mode). */
  static int[] clamped(CpuBuffer indices, int n) {
    int[] raw = indices.i32();
    int[] k = new int[raw.length];
    boolean unsigned = indices.aval().dtype() == DType.U32;
    for (int j = 0; j < raw.length; j++) {
      long v = unsigned ? Integer.toUnsignedLong(raw[j]) : raw[j];
      k[j] = (int) Math.max(0, Math.min(n - 1L, v));
    }
    return k;
  }

  private static CpuBuffer[] gather(CpuBuffer x, CpuBuffer indices, int axis, Aval out) {
    Aval xa = x.aval();
    int n = xa.dim(axis);
    int outer = outer(xa, axis);
    int inner = inner(xa, axis);
    int[] k = clamped(indices, n);
    Object data = HostArrays.allocate(out.dtype(), out.size());
    if (inner > 0) {
      // typed copies: an arraycopy between Object references checks both arrays' types on every
      // row, which cost more than copying a gnn edge's 16 features
      switch (data) {
        case float[] d -> gatherRows((float[]) x.data(), d, k, outer, n, inner);
        case double[] d -> gatherRows((double[]) x.data(), d, k, outer, n, inner);
        case int[] d -> gatherRows((int[]) x.data(), d, k, outer, n, inner);
        default -> {
          for (int o = 0; o < outer; o++) {
            for (int j = 0; j < k.length; j++) {
              System.arraycopy(x.data(), (o * n + k[j]) * inner, data, (o * k.length + j) * inner, inner);
            }
          }
        }
      }
    }
    return one(out, data);
  }

  private static void gatherRows(float[] x, float[] d, int[] k, int outer, int n, int inner) {
    if (VectorRows.AVAILABLE && inner <= 64) {
      for (int o = 0; o < outer; o++) {
        for (int j = 0; j < k.length; j++) {
          VectorRows.copy(x, (o * n + k[j]) * inner, d, (o * k.length + j) * inner, inner);
        }
      }
      return;
    }
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < k.length; j++) {
        System.arraycopy(x, (o * n + k[j]) * inner, d, (o * k.length + j) * inner, inner);
      }
    }
  }

  private static void gatherRows(double[] x, double[] d, int[] k, int outer, int n, int inner) {
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < k.length; j++) {
        System.arraycopy(x, (o * n + k[j]) * inner, d, (o * k.length + j) * inner, inner);
      }
    }
  }

  private static void gatherRows(int[] x, int[] d, int[] k, int outer, int n, int inner) {
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < k.length; j++) {
        System.arraycopy(x, (o * n + k[j]) * inner, d, (o * k.length + j) * inner, inner);
      }
    }
  }

  /** Adds in the order of the updates (row-major), so duplicates sum deterministically. */
  private static CpuBuffer[] scatterAdd(CpuBuffer x, CpuBuffer indices, CpuBuffer updates, int axis, Aval out) {
    Aval xa = x.aval();
    int n = xa.dim(axis);
    int outer = outer(xa, axis);
    int inner = inner(xa, axis);
    int[] k = clamped(indices, n);
    int m = k.length;
    switch (x.data()) {
      case float[] a -> {
        float[] r = a.clone();
        float[] u = updates.f32();
        boolean vector = VectorRows.AVAILABLE && inner >= 8;
        for (int o = 0; o < outer; o++) {
          for (int j = 0; j < m; j++) {
            int dst = (o * n + k[j]) * inner;
            int src = (o * m + j) * inner;
            if (vector) {
              VectorRows.add(r, dst, u, src, inner);
              continue;
            }
            for (int q = 0; q < inner; q++) {
              r[dst + q] += u[src + q];
            }
          }
        }
        return one(out, r);
      }
      case double[] a -> {
        double[] r = a.clone();
        double[] u = updates.f64();
        for (int o = 0; o < outer; o++) {
          for (int j = 0; j < m; j++) {
            int dst = (o * n + k[j]) * inner;
            int src = (o * m + j) * inner;
            for (int q = 0; q < inner; q++) {
              r[dst + q] += u[src + q];
            }
          }
        }
        return one(out, r);
      }
      case int[] a -> { // i32 and u32 wrap alike
        int[] r = a.clone();
        int[] u = updates.i32();
        for (int o = 0; o < outer; o++) {
          for (int j = 0; j < m; j++) {
            int dst = (o * n + k[j]) * inner;
            int src = (o * m + j) * inner;
            for (int q = 0; q < inner; q++) {
              r[dst + q] += u[src + q];
            }
          }
        }
        return one(out, r);
      }
      default -> throw new IllegalArgumentException("scatter_add: unsupported operand " + xa);
    }
  }
}
