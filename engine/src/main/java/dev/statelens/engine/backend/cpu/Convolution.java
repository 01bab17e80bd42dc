package dev.statelens.engine.backend.cpu;

import static dev.statelens.engine.backend.cpu.Elementwise.one;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.ConvPrims;
import dev.statelens.engine.ir.ConvPrims.Conv;
import java.util.Arrays;

/**
 * {@code conv_general_dilated} as im2col feeding {@link Matmul}, channels last: the operands are
 * laid out as lhs {@code [N, spatial..., C]} and rhs {@code [window..., I, O]} (a strided gather
 * unless they already are: flax's NHWC/HWIO need none), then, per feature (or batch) group and
 * per block of output positions, a patch block {@code [positions, K * I]} (K window taps; zero
 * where a tap falls in padding or between dilated input elements) is multiplied by the group's
 * weights {@code [K * I, O/G]}. The result {@code [N, spatial..., O]} is permuted to the output
 * spec (nothing to do for NHWC). Blocks keep the patches in cache — a transposed convolution's
 * patch matrix would otherwise be the input times the window size — and are spread over the
 * cores. One {@code [S, K]} table of input offsets serves every image and channel.
 */
final class Convolution {
  private Convolution() {}

  /** Patch elements per block: 256 KB of F32, so a block and its weights stay in L2. */
  static final int BLOCK_ELEMENTS = 1 << 16;
  /** Fewest output positions per block, so packing the weights stays a small part of a block's work. */
  static final int MIN_BLOCK_ROWS = 64;

  static void registerAll() {
    CpuKernels.register(ConvPrims.CONV_GENERAL_DILATED, (p, in, out) ->
        one(out[0], conv(in[0], in[1], Conv.of(p), out[0])));
  }

  static Object conv(CpuBuffer lhs, CpuBuffer rhs, Conv c, Aval out) {
    Aval l = lhs.aval();
    Aval r = rhs.aval();
    int s = c.spatial();
    int ch = l.dim(c.lhsSpec()[1]);
    int o = r.dim(c.rhsSpec()[0]);
    int i = r.dim(c.rhsSpec()[1]);
    int[] inS = new int[s];
    int[] kS = new int[s];
    int[] outS = new int[s];
    int[] lhsOrder = new int[s + 2];
    int[] rhsOrder = new int[s + 2];
    lhsOrder[0] = c.lhsSpec()[0];
    lhsOrder[s + 1] = c.lhsSpec()[1];
    rhsOrder[s] = c.rhsSpec()[1];
    rhsOrder[s + 1] = c.rhsSpec()[0];
    for (int d = 0; d < s; d++) {
      inS[d] = l.dim(c.lhsSpec()[2 + d]);
      kS[d] = r.dim(c.rhsSpec()[2 + d]);
      outS[d] = out.dim(c.outSpec()[2 + d]);
      lhsOrder[1 + d] = c.lhsSpec()[2 + d];
      rhsOrder[d] = c.rhsSpec()[2 + d];
    }
    int groups = c.featureGroups() * c.batchGroups();
    int nOut = out.dim(c.outSpec()[0]);
    int og = o / groups;
    int k = prod(kS);
    int sOut = prod(outS);
    int sIn = prod(inS);
    int rowLen = k * i;
    int rows = nOut * sOut;
    boolean f32 = l.dtype() == DType.F32;
    Object result = f32 ? new float[rows * o] : new double[rows * o];
    if (rows * o != 0 && rowLen != 0) {
      Object x = Strided.permuted(lhs, lhsOrder);
      Object w = Strided.permuted(rhs, rhsOrder);
      int[] taps = taps(c, inS, kS, outS);
      if (og < i) {
        for (int g = 0; g < groups; g++) {
          pull(x, w, taps, result, g, c, nOut, sIn, sOut, k, i, ch, o, og, f32);
        }
      } else {
        // at least MIN_BLOCK_ROWS rows: each block's matmul packs the weights again
        int block = Math.min(rows, Math.max(MIN_BLOCK_ROWS, BLOCK_ELEMENTS / rowLen));
        int blocks = (rows + block - 1) / block;
        int parts = Parallel.parts((long) rows * rowLen * og, Matmul.PARALLEL_GRAIN_FLOPS);
        for (int g = 0; g < groups; g++) {
          // feature groups read channels [g*I, (g+1)*I); batch groups read images [g*N', (g+1)*N')
          int c0 = c.featureGroups() > 1 ? g * i : 0;
          int img0 = c.batchGroups() > 1 ? g * nOut : 0;
          Object wg = groups == 1 ? w : columns(w, rowLen, o, g * og, og);
          int col0 = g * og;
          Parallel.forRange(blocks, parts, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
              int r0 = b * block;
              int r1 = Math.min(rows, r0 + block);
              if (f32) {
                float[] patches = new float[(r1 - r0) * rowLen];
                fill((float[]) x, patches, taps, r0, r1, k, i, sOut, sIn, ch, img0, c0);
                store(Matmul.f32(patches, (float[]) wg, 1, r1 - r0, rowLen, og), result, r0, r1, o, col0, og);
              } else {
                double[] patches = new double[(r1 - r0) * rowLen];
                fill((double[]) x, patches, taps, r0, r1, k, i, sOut, sIn, ch, img0, c0);
                store(Matmul.f64(patches, (double[]) wg, 1, r1 - r0, rowLen, og), result, r0, r1, o, col0, og);
              }
            }
          });
        }
      }
    }
    // [N', spatial..., O] -> the output spec's order
    int[] canon = new int[s + 2];
    canon[0] = nOut;
    System.arraycopy(outS, 0, canon, 1, s);
    canon[s + 1] = o;
    int[] cs = Strided.rowMajor(canon);
    int[] strides = new int[s + 2];
    strides[c.outSpec()[0]] = cs[0];
    strides[c.outSpec()[1]] = cs[s + 1];
    boolean identity = c.outSpec()[0] == 0 && c.outSpec()[1] == s + 1;
    for (int d = 0; d < s; d++) {
      strides[c.outSpec()[2 + d]] = cs[1 + d];
      identity &= c.outSpec()[2 + d] == 1 + d;
    }
    return identity ? result : Strided.gather(result, out.dtype(), out.shape(), strides, 0);
  }

  /**
   * The output-side form for few output features per group ({@code O/G < I}, e.g. a transposed
   * convolution back to 1 channel): {@code Z = X [N*S_in, I] @ W' [I, K*O/G]} (every input
   * element's contribution through every tap), then each output position sums, over its taps,
   * the contribution of the input element the tap reads ({@code Z[input, tap, :]}). Multiply-adds
   * as im2col's, but no {@code K*I}-wide patch rows to build.
   */
  private static void pull(Object x, Object w, int[] taps, Object result, int g, Conv c, int nOut, int sIn,
      int sOut, int k, int i, int ch, int o, int og, boolean f32) {
    int c0 = c.featureGroups() > 1 ? g * i : 0;
    int img0 = c.batchGroups() > 1 ? g * nOut : 0;
    int inRows = nOut * sIn;
    int zLen = k * og;
    // X rows of this group: images [img0, img0 + nOut), channels [c0, c0 + I)
    Object xg = ch == i && img0 == 0 && java.lang.reflect.Array.getLength(x) == inRows * i ? x
        : subMatrix(x, img0 * sIn, inRows, ch, c0, i);
    // W' [I, K * og]: W' [ci, kk * og + q] = w [kk, ci, g * og + q]  (w is [K, I, O])
    Object wz = java.lang.reflect.Array.newInstance(f32 ? float.class : double.class, i * zLen);
    for (int ci = 0; ci < i; ci++) {
      for (int kk = 0; kk < k; kk++) {
        System.arraycopy(w, (kk * i + ci) * o + g * og, wz, ci * zLen + kk * og, og);
      }
    }
    int rows = nOut * sOut;
    int col0 = g * og;
    int parts = Parallel.parts((long) rows * k * og, Parallel.ELEMENTWISE_GRAIN);
    if (f32) {
      float[] z = Matmul.f32((float[]) xg, (float[]) wz, 1, inRows, i, zLen);
      float[] r = (float[]) result;
      Parallel.forRange(rows, parts, 1, (r0, r1) -> {
        for (int row = r0; row < r1; row++) {
          int img = row / sOut;
          int tapRow = (row % sOut) * k;
          int dst = row * o + col0;
          for (int kk = 0; kk < k; kk++) {
            int t = taps[tapRow + kk];
            if (t >= 0) {
              int src = (img * sIn + t) * zLen + kk * og;
              for (int q = 0; q < og; q++) {
                r[dst + q] += z[src + q];
              }
            }
          }
        }
      });
    } else {
      double[] z = Matmul.f64((double[]) xg, (double[]) wz, 1, inRows, i, zLen);
      double[] r = (double[]) result;
      Parallel.forRange(rows, parts, 1, (r0, r1) -> {
        for (int row = r0; row < r1; row++) {
          int img = row / sOut;
          int tapRow = (row % sOut) * k;
          int dst = row * o + col0;
          for (int kk = 0; kk < k; kk++) {
            int t = taps[tapRow + kk];
            if (t >= 0) {
              int src = (img * sIn + t) * zLen + kk * og;
              for (int q = 0; q < og; q++) {
                r[dst + q] += z[src + q];
              }
            }
          }
        }
      });
    }
  }

  /** Rows {@code [row0, row0 + rows)}, columns {@code [col0, col0 + count)} of a {@code [.., cols]} matrix. */
  private static Object subMatrix(Object m, int row0, int rows, int cols, int col0, int count) {
    Object r = java.lang.reflect.Array.newInstance(m.getClass().getComponentType(), rows * count);
    for (int q = 0; q < rows; q++) {
      System.arraycopy(m, (row0 + q) * cols + col0, r, q * count, count);
    }
    return r;
  }

  /** Columns {@code [from, from + count)} of a row-major {@code [rows, cols]} matrix. */
  private static Object columns(Object m, int rows, int cols, int from, int count) {
    Object r = java.lang.reflect.Array.newInstance(m.getClass().getComponentType(), rows * count);
    for (int q = 0; q < rows; q++) {
      System.arraycopy(m, q * cols + from, r, q * count, count);
    }
    return r;
  }

  /** Rows {@code [r0, r1)} of a group's product {@code [.., og]} into the result's columns. */
  private static void store(Object y, Object result, int r0, int r1, int o, int col0, int og) {
    if (og == o) {
      System.arraycopy(y, 0, result, r0 * o, (r1 - r0) * o);
      return;
    }
    for (int q = r0; q < r1; q++) {
      System.arraycopy(y, (q - r0) * og, result, q * o + col0, og);
    }
  }

  /**
   * For output position {@code so} and window tap {@code kk} (both row-major over the spatial
   * dims), at {@code [so * K + kk]}: the row-major spatial offset of the input element it reads,
   * or -1 for padding and the holes of lhs dilation: input coordinate
   * {@code (so_d * stride + kk_d * rhs_dil - lo) / lhs_dil} when that divides exactly and lies inside.
   */
  static int[] taps(Conv c, int[] inS, int[] kS, int[] outS) {
    int s = inS.length;
    int k = prod(kS);
    int sOut = prod(outS);
    int[] inStrides = Strided.rowMajor(inS);
    int[] t = new int[k * sOut];
    int[] kc = new int[s];
    int[] oc = new int[s];
    for (int so = 0; so < sOut; so++) {
      Arrays.fill(kc, 0);
      for (int kk = 0; kk < k; kk++) {
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
        t[so * k + kk] = at;
        next(kc, kS);
      }
      next(oc, outS);
    }
    return t;
  }

  /**
   * Patch rows {@code [r0, r1)} (row {@code r} = image {@code r / S}, position {@code r % S}):
   * for each tap, the group's {@code I} channels of the input element it reads, or zeros.
   */
  private static void fill(float[] x, float[] p, int[] taps, int r0, int r1, int k, int i, int sOut, int sIn,
      int ch, int img0, int c0) {
    int rowLen = k * i;
    for (int r = r0; r < r1; r++) {
      int img = r / sOut;
      int tapRow = (r % sOut) * k;
      int src0 = (img0 + img) * sIn;
      int dst = (r - r0) * rowLen;
      for (int kk = 0; kk < k; kk++, dst += i) {
        int t = taps[tapRow + kk];
        if (t >= 0) {
          int src = (src0 + t) * ch + c0;
          for (int q = 0; q < i; q++) {
            p[dst + q] = x[src + q];
          }
        }
      }
    }
  }

  private static void fill(double[] x, double[] p, int[] taps, int r0, int r1, int k, int i, int sOut, int sIn,
      int ch, int img0, int c0) {
    int rowLen = k * i;
    for (int r = r0; r < r1; r++) {
      int img = r / sOut;
      int tapRow = (r % sOut) * k;
      int src0 = (img0 + img) * sIn;
      int dst = (r - r0) * rowLen;
      for (int kk = 0; kk < k; kk++, dst += i) {
        int t = taps[tapRow + kk];
        if (t >= 0) {
          int src = (src0 + t) * ch + c0;
          for (int q = 0; q < i; q++) {
            p[dst + q] = x[src + q];
          }
        }
      }
    }
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
