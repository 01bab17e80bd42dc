package dev.statelens.engine.backend.cpu;

import static dev.statelens.engine.backend.cpu.Elementwise.one;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.ConvPrims;
import dev.statelens.engine.ir.ConvPrims.Window;

/**
 * The reduce-window family ({@link ConvPrims}): {@code reduce_window_sum/max}, and max pooling's
 * derivatives {@code select_and_scatter_add} / {@code select_and_gather_add}. A {@link Plan} gives
 * each window its start offset and whether it lies wholly inside the operand; inside windows read
 * their taps at fixed offsets from it, border windows check each tap's coordinates (padding is
 * skipped). Taps are visited in row-major window order. The selection is XLA's with {@code ge}: a
 * later tap replaces the selected one only if {@code !(selected >= tap)}, so ties keep the first.
 */
final class Windows {
  private Windows() {}

  static void registerAll() {
    CpuKernels.register(ConvPrims.REDUCE_WINDOW_SUM, (p, in, out) -> one(out[0], reduce(in[0], p, out[0], false)));
    CpuKernels.register(ConvPrims.REDUCE_WINDOW_MAX, (p, in, out) -> one(out[0], reduce(in[0], p, out[0], true)));
    CpuKernels.register(ConvPrims.SELECT_AND_SCATTER_ADD, (p, in, out) -> {
      Aval x = in[1].aval();
      Aval windows = in[0].aval();
      Plan plan = Plan.of(Window.of(p), x.shape(), windows.shape());
      int[] oc = new int[x.rank()];
      if (in[1].data() instanceof float[] v) {
        float[] src = in[0].f32();
        float[] r = new float[x.size()];
        for (int o = 0; o < src.length; o++) {
          int sel = plan.select(v, o, oc);
          if (sel >= 0) {
            r[sel] += src[o];
          }
        }
        return one(out[0], r);
      }
      double[] v = in[1].f64();
      double[] src = in[0].f64();
      double[] r = new double[x.size()];
      for (int o = 0; o < src.length; o++) {
        int sel = plan.select(v, o, oc);
        if (sel >= 0) {
          r[sel] += src[o];
        }
      }
      return one(out[0], r);
    });
    CpuKernels.register(ConvPrims.SELECT_AND_GATHER_ADD, (p, in, out) -> {
      Aval x = in[1].aval();
      Plan plan = Plan.of(Window.of(p), x.shape(), out[0].shape());
      int[] oc = new int[x.rank()];
      int n = out[0].size();
      if (in[1].data() instanceof float[] v) {
        float[] t = in[0].f32();
        float[] r = new float[n];
        for (int o = 0; o < n; o++) {
          int sel = plan.select(v, o, oc);
          r[o] = sel >= 0 ? t[sel] : 0;
        }
        return one(out[0], r);
      }
      double[] v = in[1].f64();
      double[] t = in[0].f64();
      double[] r = new double[n];
      for (int o = 0; o < n; o++) {
        int sel = plan.select(v, o, oc);
        r[o] = sel >= 0 ? t[sel] : 0;
      }
      return one(out[0], r);
    });
  }

  /**
   * Window {@code o}'s start offset {@code base[o] = sum_d (o_d * stride_d - lo_d) * xstride_d},
   * whether all its taps are inside ({@code inside[o]}), and the taps' offsets from the start
   * ({@code rel}, row-major window order) and per-axis displacements ({@code tapOff[j][d]}).
   */
  record Plan(int[] base, boolean[] inside, int[] rel, int[][] tapOff, int[][] start, int[] shape, int[] outShape) {

    static Plan of(Window w, int[] shape, int[] outShape) {
      int rank = shape.length;
      int n = Convolution.prod(outShape);
      int k = Convolution.prod(w.dims());
      int[] xs = Strided.rowMajor(shape);
      int[] rel = new int[k];
      int[][] tapOff = new int[k][rank];
      int[] kc = new int[rank];
      for (int j = 0; j < k; j++) {
        for (int d = 0; d < rank; d++) {
          tapOff[j][d] = kc[d] * w.windowDilation()[d];
          rel[j] += tapOff[j][d] * xs[d];
        }
        Convolution.next(kc, w.dims());
      }
      int[][] start = new int[rank][];
      boolean[][] in = new boolean[rank][];
      for (int d = 0; d < rank; d++) {
        start[d] = new int[outShape[d]];
        in[d] = new boolean[outShape[d]];
        int span = (w.dims()[d] - 1) * w.windowDilation()[d];
        for (int o = 0; o < outShape[d]; o++) {
          start[d][o] = o * w.strides()[d] - w.padding()[d][0];
          in[d][o] = start[d][o] >= 0 && start[d][o] + span < shape[d];
        }
      }
      int[] base = new int[n];
      boolean[] inside = new boolean[n];
      if (n > 0) {
        // the leading axes' part once per row of windows, then the last axis' per window
        int last = rank - 1;
        int row = outShape[last];
        int[] oc = new int[last];
        int[] lead = java.util.Arrays.copyOf(outShape, last);
        for (int o0 = 0; o0 < n; o0 += row) {
          int b = 0;
          boolean ok = true;
          for (int d = 0; d < last; d++) {
            b += start[d][oc[d]] * xs[d];
            ok &= in[d][oc[d]];
          }
          for (int q = 0; q < row; q++) {
            base[o0 + q] = b + start[last][q] * xs[last];
            inside[o0 + q] = ok && in[last][q];
          }
          Convolution.next(oc, lead);
        }
      }
      return new Plan(base, inside, rel, tapOff, start, shape, outShape);
    }

    /** Tap {@code j} of border window {@code o} (coordinates {@code oc}): its offset, or -1 in the padding. */
    int tap(int o, int j, int[] oc) {
      for (int d = 0; d < shape.length; d++) {
        int q = start[d][oc[d]] + tapOff[j][d];
        if (q < 0 || q >= shape[d]) {
          return -1;
        }
      }
      return base[o] + rel[j];
    }

    /** Fills {@code oc} with window {@code o}'s coordinates. */
    void coords(int o, int[] oc) {
      for (int d = outShape.length - 1; d >= 0; d--) {
        oc[d] = o % outShape[d];
        o /= outShape[d];
      }
    }

    /** The offset of window {@code o}'s first maximum, or -1 when all its taps are padding. */
    int select(float[] v, int o, int[] oc) {
      int sel = -1;
      if (inside[o]) {
        int b = base[o];
        for (int t : rel) {
          if (sel < 0 || !(v[sel] >= v[b + t])) {
            sel = b + t;
          }
        }
        return sel;
      }
      coords(o, oc);
      for (int j = 0; j < rel.length; j++) {
        int t = tap(o, j, oc);
        if (t >= 0 && (sel < 0 || !(v[sel] >= v[t]))) {
          sel = t;
        }
      }
      return sel;
    }

    /** The offset of window {@code o}'s first maximum, or -1 when all its taps are padding. */
    int select(double[] v, int o, int[] oc) {
      int sel = -1;
      if (inside[o]) {
        int b = base[o];
        for (int t : rel) {
          if (sel < 0 || !(v[sel] >= v[b + t])) {
            sel = b + t;
          }
        }
        return sel;
      }
      coords(o, oc);
      for (int j = 0; j < rel.length; j++) {
        int t = tap(o, j, oc);
        if (t >= 0 && (sel < 0 || !(v[sel] >= v[t]))) {
          sel = t;
        }
      }
      return sel;
    }
  }

  /**
   * A box window's sum or max is one per axis: each axis with a real window (size, stride,
   * padding or dilation other than 1/1/0/1) is reduced in turn, {@code [outer, n, inner] ->
   * [outer, n', inner]}, the inner loop running over contiguous memory. Maxima are exact in any
   * order; sums are added axis by axis (the GPU kernel adds in row-major tap order: the last bits
   * may differ, as any two reduction orders).
   */
  private static Object reduce(CpuBuffer x, dev.statelens.engine.ir.Params p, Aval out, boolean max) {
    Window w = Window.of(p);
    Object data = x.data();
    int[] shape = x.aval().shape().clone();
    if (out.size() == 0) {
      return data instanceof float[] ? new float[0] : new double[0];
    }
    for (int d = 0; d < shape.length; d++) {
      if (w.dims()[d] == 1 && w.strides()[d] == 1 && w.padding()[d][0] == 0 && w.padding()[d][1] == 0) {
        continue;
      }
      long outer = 1;
      for (int a = 0; a < d; a++) {
        outer *= shape[a];
      }
      int inner = 1;
      for (int a = d + 1; a < shape.length; a++) {
        inner *= shape[a];
      }
      data = axis(data, (int) outer, shape[d], inner, out.dim(d), w.dims()[d], w.strides()[d], w.padding()[d][0],
          w.windowDilation()[d], max);
      shape[d] = out.dim(d);
    }
    return data == x.data() ? dev.statelens.engine.backend.HostArrays.copy(data) : data;
  }

  /** One axis: {@code [outer, n, inner] -> [outer, m, inner]} over windows of {@code k} taps. */
  private static Object axis(Object data, int outer, int n, int inner, int m, int k, int stride, int lo, int dil,
      boolean max) {
    if (data instanceof float[] f) {
      float[] r = new float[outer * m * inner];
      if (max) {
        java.util.Arrays.fill(r, Float.NEGATIVE_INFINITY);
      }
      for (int a = 0; a < outer; a++) {
        for (int o = 0; o < m; o++) {
          int dst = (a * m + o) * inner;
          for (int j = 0; j < k; j++) {
            int q = o * stride + j * dil - lo;
            if (q < 0 || q >= n) {
              continue;
            }
            int src = (a * n + q) * inner;
            if (max) {
              for (int e = 0; e < inner; e++) {
                r[dst + e] = Math.max(r[dst + e], f[src + e]);
              }
            } else {
              for (int e = 0; e < inner; e++) {
                r[dst + e] += f[src + e];
              }
            }
          }
        }
      }
      return r;
    }
    double[] f = (double[]) data;
    double[] r = new double[outer * m * inner];
    if (max) {
      java.util.Arrays.fill(r, Double.NEGATIVE_INFINITY);
    }
    for (int a = 0; a < outer; a++) {
      for (int o = 0; o < m; o++) {
        int dst = (a * m + o) * inner;
        for (int j = 0; j < k; j++) {
          int q = o * stride + j * dil - lo;
          if (q < 0 || q >= n) {
            continue;
          }
          int src = (a * n + q) * inner;
          if (max) {
            for (int e = 0; e < inner; e++) {
              r[dst + e] = Math.max(r[dst + e], f[src + e]);
            }
          } else {
            for (int e = 0; e < inner; e++) {
              r[dst + e] += f[src + e];
            }
          }
        }
      }
    }
    return r;
  }
}
