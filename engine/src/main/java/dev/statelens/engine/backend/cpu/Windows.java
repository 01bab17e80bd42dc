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
      double[] v = toDouble(in[1].data());
      double[] src = toDouble(in[0].data());
      double[] r = new double[x.size()];
      boolean f32 = in[1].data() instanceof float[];
      int[] oc = new int[x.rank()];
      for (int o = 0; o < windows.size(); o++) {
        int sel = plan.select(v, o, oc);
        if (sel >= 0) {
          // f32: a float add (rounding the exact double sum of two floats once is float addition)
          r[sel] = f32 ? (float) (r[sel] + src[o]) : r[sel] + src[o];
        }
      }
      return one(out[0], back(r, in[1].data()));
    });
    CpuKernels.register(ConvPrims.SELECT_AND_GATHER_ADD, (p, in, out) -> {
      Aval x = in[1].aval();
      Plan plan = Plan.of(Window.of(p), x.shape(), out[0].shape());
      double[] v = toDouble(in[1].data());
      double[] t = toDouble(in[0].data());
      double[] r = new double[out[0].size()];
      int[] oc = new int[x.rank()];
      for (int o = 0; o < r.length; o++) {
        int sel = plan.select(v, o, oc);
        r[o] = sel >= 0 ? t[sel] : 0;
      }
      return one(out[0], back(r, in[1].data()));
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
      int[] oc = new int[rank];
      for (int o = 0; o < n; o++) {
        int b = 0;
        boolean ok = true;
        for (int d = 0; d < rank; d++) {
          b += start[d][oc[d]] * xs[d];
          ok &= in[d][oc[d]];
        }
        base[o] = b;
        inside[o] = ok;
        Convolution.next(oc, outShape);
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

  private static Object reduce(CpuBuffer x, dev.statelens.engine.ir.Params p, Aval out, boolean max) {
    Plan plan = Plan.of(Window.of(p), x.aval().shape(), out.shape());
    int n = out.size();
    int[] rel = plan.rel();
    int[] oc = new int[out.rank()];
    if (x.data() instanceof float[] f) {
      float[] r = new float[n];
      for (int o = 0; o < n; o++) {
        float acc = max ? Float.NEGATIVE_INFINITY : 0f;
        if (plan.inside()[o]) {
          int b = plan.base()[o];
          for (int t : rel) {
            acc = max ? Math.max(acc, f[b + t]) : acc + f[b + t];
          }
        } else {
          plan.coords(o, oc);
          for (int j = 0; j < rel.length; j++) {
            int t = plan.tap(o, j, oc);
            if (t >= 0) {
              acc = max ? Math.max(acc, f[t]) : acc + f[t];
            }
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
      if (plan.inside()[o]) {
        int b = plan.base()[o];
        for (int t : rel) {
          acc = max ? Math.max(acc, d[b + t]) : acc + d[b + t];
        }
      } else {
        plan.coords(o, oc);
        for (int j = 0; j < rel.length; j++) {
          int t = plan.tap(o, j, oc);
          if (t >= 0) {
            acc = max ? Math.max(acc, d[t]) : acc + d[t];
          }
        }
      }
      r[o] = acc;
    }
    return r;
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
