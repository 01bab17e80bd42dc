package dev.statelens.engine.backend.cpu;

import static dev.statelens.engine.backend.cpu.Elementwise.one;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.ConvPrims;
import dev.statelens.engine.ir.ConvPrims.Window;

/**
 * The reduce-window family ({@link ConvPrims}): {@code reduce_window_sum/max}, and max pooling's
 * derivatives {@code select_and_scatter_add} / {@code select_and_gather_add}. One table lists,
 * per window, the operand offsets of its taps in row-major window order (-1 for padding); the
 * kernels walk it. The selection is XLA's with {@code ge}: a later tap replaces the selected one
 * only if {@code !(selected >= tap)}, so ties keep the first; padding is never selected.
 */
final class Windows {
  private Windows() {}

  static void registerAll() {
    CpuKernels.register(ConvPrims.REDUCE_WINDOW_SUM, (p, in, out) -> one(out[0], reduce(in[0], p, out[0], false)));
    CpuKernels.register(ConvPrims.REDUCE_WINDOW_MAX, (p, in, out) -> one(out[0], reduce(in[0], p, out[0], true)));
    CpuKernels.register(ConvPrims.SELECT_AND_SCATTER_ADD, (p, in, out) -> {
      Aval x = in[1].aval();
      Aval windows = in[0].aval();
      int[] taps = taps(Window.of(p), x.shape(), windows.shape());
      int k = taps.length / Math.max(1, windows.size());
      double[] v = toDouble(in[1].data());
      double[] src = toDouble(in[0].data());
      double[] r = new double[x.size()];
      boolean f32 = in[1].data() instanceof float[];
      for (int o = 0; o < windows.size(); o++) {
        int sel = select(v, taps, o * k, k);
        if (sel >= 0) {
          // f32: a float add (rounding the exact double sum of two floats once is float addition)
          r[sel] = f32 ? (float) (r[sel] + src[o]) : r[sel] + src[o];
        }
      }
      return one(out[0], back(r, in[1].data()));
    });
    CpuKernels.register(ConvPrims.SELECT_AND_GATHER_ADD, (p, in, out) -> {
      Aval x = in[1].aval();
      int[] taps = taps(Window.of(p), x.shape(), out[0].shape());
      int k = taps.length / Math.max(1, out[0].size());
      double[] v = toDouble(in[1].data());
      double[] t = toDouble(in[0].data());
      double[] r = new double[out[0].size()];
      for (int o = 0; o < r.length; o++) {
        int sel = select(v, taps, o * k, k);
        r[o] = sel >= 0 ? t[sel] : 0;
      }
      return one(out[0], back(r, in[1].data()));
    });
  }

  /** The selected tap's operand offset in window {@code [from, from + k)}, or -1 if all are padding. */
  static int select(double[] v, int[] taps, int from, int k) {
    int sel = -1;
    for (int j = from; j < from + k; j++) {
      int t = taps[j];
      if (t >= 0 && (sel < 0 || !(v[sel] >= v[t]))) {
        sel = t;
      }
    }
    return sel;
  }

  private static Object reduce(CpuBuffer x, dev.statelens.engine.ir.Params p, Aval out, boolean max) {
    int[] taps = taps(Window.of(p), x.aval().shape(), out.shape());
    int n = out.size();
    int k = n == 0 ? 0 : taps.length / n;
    if (x.data() instanceof float[] f) {
      float[] r = new float[n];
      for (int o = 0; o < n; o++) {
        float acc = max ? Float.NEGATIVE_INFINITY : 0f;
        for (int j = o * k; j < o * k + k; j++) {
          int t = taps[j];
          if (t >= 0) {
            acc = max ? Math.max(acc, f[t]) : acc + f[t];
          }
        }
        r[o] = acc;
      }
      return r;
    }
    double[] d = (double[]) x.data();
    double[] r = new double[n];
    for (int o = 0; o < n; o++) {
      double acc = max ? Double.NEGATIVE_INFINITY : 0;
      for (int j = o * k; j < o * k + k; j++) {
        int t = taps[j];
        if (t >= 0) {
          acc = max ? Math.max(acc, d[t]) : acc + d[t];
        }
      }
      r[o] = acc;
    }
    return r;
  }

  /**
   * {@code [windows, taps]}: for each output position (row-major) and window tap (row-major),
   * the operand offset {@code sum_d (o_d * stride_d + k_d * dilation_d - lo_d) * stride(d)}, or -1
   * when a coordinate falls in the padding.
   */
  static int[] taps(Window w, int[] shape, int[] outShape) {
    int rank = shape.length;
    int k = Convolution.prod(w.dims());
    int n = Convolution.prod(outShape);
    int[] strides = Strided.rowMajor(shape);
    int[] t = new int[n * k];
    int[] oc = new int[rank];
    int[] kc = new int[rank];
    for (int o = 0; o < n; o++) {
      java.util.Arrays.fill(kc, 0);
      for (int j = 0; j < k; j++) {
        int at = 0;
        for (int d = 0; d < rank && at >= 0; d++) {
          int q = oc[d] * w.strides()[d] + kc[d] * w.windowDilation()[d] - w.padding()[d][0];
          at = q < 0 || q >= shape[d] ? -1 : at + q * strides[d];
        }
        t[o * k + j] = at;
        Convolution.next(kc, w.dims());
      }
      Convolution.next(oc, outShape);
    }
    return t;
  }

  private static double[] toDouble(Object data) {
    if (data instanceof double[] d) {
      return d;
    }
    float[] f = (float[]) data;
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** Back to the operand's element type (values already representable in it). */
  private static Object back(double[] r, Object like) {
    if (like instanceof double[]) {
      return r;
    }
    float[] f = new float[r.length];
    for (int i = 0; i < r.length; i++) {
      f[i] = (float) r[i];
    }
    return f;
  }
}
