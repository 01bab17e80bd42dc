package dev.statelens.engine.backend.cpu;

import static dev.statelens.engine.backend.cpu.Elementwise.one;

import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Prims;

/** Shape kernels: broadcast, reshape, transpose, squeeze, slice, rev, pad, concatenate, iota. */
final class Layout {
  private Layout() {}

  static void registerAll() {
    CpuKernels.register(Prims.RESHAPE, (p, in, out) -> one(out[0], in[0].data()));
    CpuKernels.register(Prims.SQUEEZE, (p, in, out) -> one(out[0], in[0].data()));
    CpuKernels.register(Prims.BROADCAST_IN_DIM, (p, in, out) -> {
      Aval x = in[0].aval();
      int[] strides = Strided.broadcastStrides(x, p.getInts("broadcast_dimensions"), out[0].rank());
      return one(out[0], Strided.gather(in[0].data(), x.dtype(), out[0].shape(), strides, 0));
    });
    CpuKernels.register(Prims.TRANSPOSE, (p, in, out) -> {
      Aval x = in[0].aval();
      int[] perm = p.getInts("permutation");
      int[] xs = Strided.rowMajor(x.shape());
      int[] strides = new int[perm.length];
      for (int i = 0; i < perm.length; i++) {
        strides[i] = xs[perm[i]];
      }
      return one(out[0], Strided.gather(in[0].data(), x.dtype(), out[0].shape(), strides, 0));
    });
    CpuKernels.register(Prims.SLICE, (p, in, out) -> {
      Aval x = in[0].aval();
      int[] start = p.getInts("start_indices");
      int[] step = p.getInts("strides");
      int[] xs = Strided.rowMajor(x.shape());
      int base = 0;
      int[] strides = new int[x.rank()];
      for (int i = 0; i < x.rank(); i++) {
        base += start[i] * xs[i];
        strides[i] = xs[i] * step[i];
      }
      return one(out[0], Strided.gather(in[0].data(), x.dtype(), out[0].shape(), strides, base));
    });
    CpuKernels.register(Prims.REV, (p, in, out) -> {
      Aval x = in[0].aval();
      int[] strides = Strided.rowMajor(x.shape());
      int base = 0;
      for (int d : p.getInts("dimensions")) {
        if (x.dim(d) > 0) {
          base += (x.dim(d) - 1) * strides[d];
        }
        strides[d] = -strides[d];
      }
      return one(out[0], Strided.gather(in[0].data(), x.dtype(), x.shape(), strides, base));
    });
    CpuKernels.register(Prims.PAD, (p, in, out) -> pad(in[0], in[1], p.getInts("low"), p.getInts("interior"), out[0]));
    CpuKernels.register(Prims.CONCATENATE, (p, in, out) -> concatenate(in, p.getInt("dimension"), out[0]));
    CpuKernels.register(Prims.IOTA, (p, in, out) -> {
      Aval o = out[0];
      int dim = p.getInt("dimension");
      int[] strides = Strided.rowMajor(o.shape());
      Object data = HostArrays.allocate(o.dtype(), o.size());
      for (int i = 0; i < o.size(); i++) {
        HostArrays.setDouble(data, o.dtype(), i, (i / strides[dim]) % o.dim(dim));
      }
      return one(o, data);
    });
  }

  private static CpuBuffer[] pad(CpuBuffer x, CpuBuffer value, int[] lo, int[] interior, Aval out) {
    Object data = HostArrays.allocate(out.dtype(), out.size());
    Object src = x.data();
    // fill with the padding value
    switch (data) {
      case float[] o -> java.util.Arrays.fill(o, value.f32()[0]);
      case double[] o -> java.util.Arrays.fill(o, value.f64()[0]);
      case int[] o -> java.util.Arrays.fill(o, value.i32()[0]);
      case boolean[] o -> java.util.Arrays.fill(o, value.bool()[0]);
      default -> throw new AssertionError();
    }
    Aval xa = x.aval();
    int rank = xa.rank();
    int[] outStrides = Strided.rowMajor(out.shape());
    if (rank > 0 && interior[rank - 1] == 0) {
      padRows(src, xa, lo, interior, out, outStrides, data);
      return one(out, data);
    }
    int[] idx = new int[rank];
    for (int i = 0; i < xa.size(); i++) {
      int off = 0;
      boolean inside = true;
      for (int d = 0; d < rank; d++) {
        int pos = lo[d] + idx[d] * (interior[d] + 1);
        if (pos < 0 || pos >= out.dim(d)) {
          inside = false;
          break;
        }
        off += pos * outStrides[d];
      }
      if (inside) {
        System.arraycopy(src, i, data, off, 1);
      }
      for (int d = rank - 1; d >= 0; d--) {
        if (++idx[d] < xa.dim(d)) {
          break;
        }
        idx[d] = 0;
      }
    }
    return one(out, data);
  }

  /**
   * {@link #pad} when the last axis has no interior padding: each source row lands in the output
   * as one run (its part inside the output, for a negative padding), one copy per row instead of
   * one per element (the gnn step's {@code pad f32[200,16] -> [201,16]} took ~10 µs).
   */
  private static void padRows(Object src, Aval xa, int[] lo, int[] interior, Aval out, int[] outStrides, Object data) {
    int rank = xa.rank();
    int n = xa.dim(rank - 1);
    int first = Math.max(0, -lo[rank - 1]);
    int end = Math.min(n, out.dim(rank - 1) - lo[rank - 1]);
    if (end <= first) {
      return;
    }
    int rows = n == 0 ? 0 : xa.size() / n;
    int[] idx = new int[rank - 1];
    for (int r = 0; r < rows; r++) {
      int off = 0;
      boolean inside = true;
      for (int d = 0; d < rank - 1; d++) {
        int pos = lo[d] + idx[d] * (interior[d] + 1);
        if (pos < 0 || pos >= out.dim(d)) {
          inside = false;
          break;
        }
        off += pos * outStrides[d];
      }
      if (inside) {
        System.arraycopy(src, r * n + first, data, off + lo[rank - 1] + first, end - first);
      }
      for (int d = rank - 2; d >= 0; d--) {
        if (++idx[d] < xa.dim(d)) {
          break;
        }
        idx[d] = 0;
      }
    }
  }

  private static CpuBuffer[] concatenate(CpuBuffer[] in, int axis, Aval out) {
    Object data = HostArrays.allocate(out.dtype(), out.size());
    int outer = 1;
    for (int d = 0; d < axis; d++) {
      outer *= out.dim(d);
    }
    int outChunk = out.size() / Math.max(outer, 1);
    int offset = 0;
    for (CpuBuffer b : in) {
      int chunk = outer == 0 ? 0 : b.aval().size() / outer;
      for (int o = 0; o < outer; o++) {
        System.arraycopy(b.data(), o * chunk, data, o * outChunk + offset, chunk);
      }
      offset += chunk;
    }
    return one(out, data);
  }
}
