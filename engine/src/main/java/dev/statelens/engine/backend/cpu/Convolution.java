package dev.statelens.engine.backend.cpu;

import static dev.statelens.engine.backend.cpu.Elementwise.one;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.ConvPrims;
import dev.statelens.engine.ir.ConvPrims.Conv;
import java.util.Arrays;

/**
 * {@code conv_general_dilated} as im2col feeding {@link Matmul}: the operands are laid out as
 * lhs {@code [N, C, spatial...]} and rhs {@code [O, I, window...]} (a strided gather unless they
 * already are), then, per feature (or batch) group, a patch matrix {@code [I * K, N * S]} (K
 * window positions, S output positions; zero where a tap falls in padding or between dilated
 * input elements) is multiplied by the group's weights {@code [O/G, I * K]}. The result
 * {@code [O, N, spatial...]} is permuted to the output spec. One {@code [K, S]} table of input
 * offsets serves every channel and image, so the patch fill is a gather loop.
 */
final class Convolution {
  private Convolution() {}

  static void registerAll() {
    CpuKernels.register(ConvPrims.CONV_GENERAL_DILATED, (p, in, out) ->
        one(out[0], conv(in[0], in[1], Conv.of(p), out[0])));
  }

  static Object conv(CpuBuffer lhs, CpuBuffer rhs, Conv c, Aval out) {
    Aval l = lhs.aval();
    Aval r = rhs.aval();
    int s = c.spatial();
    int n = l.dim(c.lhsSpec()[0]);
    int ch = l.dim(c.lhsSpec()[1]);
    int o = r.dim(c.rhsSpec()[0]);
    int i = r.dim(c.rhsSpec()[1]);
    int[] inS = new int[s];
    int[] kS = new int[s];
    int[] outS = new int[s];
    for (int d = 0; d < s; d++) {
      inS[d] = l.dim(c.lhsSpec()[2 + d]);
      kS[d] = r.dim(c.rhsSpec()[2 + d]);
      outS[d] = out.dim(c.outSpec()[2 + d]);
    }
    int groups = c.featureGroups() * c.batchGroups();
    int nOut = n / c.batchGroups();
    int og = o / groups;
    int k = prod(kS);
    int sOut = prod(outS);
    int sIn = prod(inS);
    boolean f32 = l.dtype() == dev.statelens.engine.DType.F32;
    int total = o * nOut * sOut;
    Object result = f32 ? new float[total] : new double[total];
    if (total != 0 && i * k != 0) {
      Object x = arrange(lhs, c.lhsSpec());
      Object w = arrange(rhs, c.rhsSpec());
      int[] taps = taps(c, inS, kS, outS);
      int rows = i * k;
      int cols = nOut * sOut;
      for (int g = 0; g < groups; g++) {
        // feature groups take channels [g*I, (g+1)*I); batch groups take images [g*nOut, (g+1)*nOut)
        int base = c.featureGroups() > 1 ? g * i * sIn : g * nOut * ch * sIn;
        int wFrom = g * og * rows;
        if (f32) {
          float[] patches = fill((float[]) x, taps, base, rows, k, nOut, sOut, ch * sIn, sIn);
          float[] wg = Arrays.copyOfRange((float[]) w, wFrom, wFrom + og * rows);
          float[] y = Matmul.f32(wg, patches, 1, og, rows, cols);
          System.arraycopy(y, 0, result, g * og * cols, og * cols);
        } else {
          double[] patches = fill((double[]) x, taps, base, rows, k, nOut, sOut, ch * sIn, sIn);
          double[] wg = Arrays.copyOfRange((double[]) w, wFrom, wFrom + og * rows);
          double[] y = Matmul.f64(wg, patches, 1, og, rows, cols);
          System.arraycopy(y, 0, result, g * og * cols, og * cols);
        }
      }
    }
    // [O, N, spatial...] -> the output spec's order
    int[] canon = new int[s + 2];
    canon[0] = o;
    canon[1] = nOut;
    System.arraycopy(outS, 0, canon, 2, s);
    int[] cs = Strided.rowMajor(canon);
    int[] strides = new int[s + 2];
    strides[c.outSpec()[0]] = cs[1];
    strides[c.outSpec()[1]] = cs[0];
    for (int d = 0; d < s; d++) {
      strides[c.outSpec()[2 + d]] = cs[2 + d];
    }
    return Strided.gather(result, out.dtype(), out.shape(), strides, 0);
  }

  /**
   * For window position {@code kk} and output position {@code so} (both row-major over the
   * spatial dims), the row-major offset of the input element it reads, or -1 for padding and
   * the holes of lhs dilation: input coordinate {@code (so_d * stride + kk_d * rhs_dil - lo) /
   * lhs_dil} when that divides exactly and lies inside.
   */
  static int[] taps(Conv c, int[] inS, int[] kS, int[] outS) {
    int s = inS.length;
    int k = prod(kS);
    int sOut = prod(outS);
    int[] inStrides = Strided.rowMajor(inS);
    int[] t = new int[k * sOut];
    int[] kc = new int[s];
    int[] oc = new int[s];
    for (int kk = 0; kk < k; kk++) {
      Arrays.fill(oc, 0);
      for (int so = 0; so < sOut; so++) {
        int at = 0;
        for (int d = 0; d < s && at >= 0; d++) {
          int q = oc[d] * c.strides()[d] + kc[d] * c.rhsDilation()[d] - c.padding()[d][0];
          int dil = c.lhsDilation()[d];
          if (q < 0 || q % dil != 0 || q / dil >= inS[d]) {
            at = -1;
          } else {
            at += q / dil * inStrides[d];
          }
        }
        t[kk * sOut + so] = at;
        next(oc, outS);
      }
      next(kc, kS);
    }
    return t;
  }

  /** Patch matrix {@code [I*K, N*S]}: row {@code (channel, tap)}, column {@code (image, position)}. */
  private static float[] fill(float[] x, int[] taps, int base, int rows, int k, int n, int sOut, int imageStride,
      int channelStride) {
    int cols = n * sOut;
    float[] p = new float[rows * cols];
    for (int row = 0; row < rows; row++) {
      int ch = row / k;
      int tapRow = (row % k) * sOut;
      for (int img = 0; img < n; img++) {
        int src = base + img * imageStride + ch * channelStride;
        int dst = row * cols + img * sOut;
        for (int so = 0; so < sOut; so++) {
          int t = taps[tapRow + so];
          if (t >= 0) {
            p[dst + so] = x[src + t];
          }
        }
      }
    }
    return p;
  }

  private static double[] fill(double[] x, int[] taps, int base, int rows, int k, int n, int sOut, int imageStride,
      int channelStride) {
    int cols = n * sOut;
    double[] p = new double[rows * cols];
    for (int row = 0; row < rows; row++) {
      int ch = row / k;
      int tapRow = (row % k) * sOut;
      for (int img = 0; img < n; img++) {
        int src = base + img * imageStride + ch * channelStride;
        int dst = row * cols + img * sOut;
        for (int so = 0; so < sOut; so++) {
          int t = taps[tapRow + so];
          if (t >= 0) {
            p[dst + so] = x[src + t];
          }
        }
      }
    }
    return p;
  }

  /** Row-major data of {@code x} with axes in {@code order} (shared if already so). */
  static Object arrange(CpuBuffer x, int[] order) {
    boolean identity = true;
    for (int a = 0; a < order.length; a++) {
      identity &= order[a] == a;
    }
    if (identity) {
      return x.data();
    }
    Aval a = x.aval();
    int[] xs = Strided.rowMajor(a.shape());
    int[] shape = new int[order.length];
    int[] strides = new int[order.length];
    for (int d = 0; d < order.length; d++) {
      shape[d] = a.dim(order[d]);
      strides[d] = xs[order[d]];
    }
    return Strided.gather(x.data(), a.dtype(), shape, strides, 0);
  }

  /** Advances a row-major odometer {@code c} over {@code shape}. */
  static void next(int[] c, int[] shape) {
    for (int d = c.length - 1; d >= 0; d--) {
      if (++c[d] < shape[d]) {
        return;
      }
      c[d] = 0;
    }
  }

  static int prod(int[] a) {
    int p = 1;
    for (int v : a) {
      p *= v;
    }
    return p;
  }
}
