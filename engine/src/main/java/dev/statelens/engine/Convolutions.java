package dev.statelens.engine;

import dev.statelens.engine.ir.ConvPrims;
import dev.statelens.engine.ir.ConvPrims.Conv;
import dev.statelens.engine.ir.ConvPrims.Window;
import java.util.Arrays;
import java.util.Locale;

/**
 * The user-facing convolution and pooling functions behind {@link Lax#conv}, {@link
 * Lax#convGeneralDilated}, {@link Lax#reduceWindowSum}, {@link Nn#conv2d}, {@link Nn#maxPool} and
 * {@link Nn#avgPool}: layout strings, padding strings ({@code lax.padtype_to_pads}) and the
 * shape checks that name the layouts the caller used.
 */
final class Convolutions {
  private Convolutions() {}

  /**
   * {@code lax.padtype_to_pads}: VALID is no padding; SAME pads so that the output has
   * {@code ceil(in / stride)} positions, the odd element at the end ({@code SAME_LOWER}: at the
   * start).
   */
  static int[][] padtypeToPads(int[] in, int[] window, int[] strides, String padding) {
    String p = padding == null ? "" : padding.toUpperCase(Locale.ROOT);
    int[][] pads = new int[in.length][2];
    switch (p) {
      case "VALID" -> { }
      case "SAME", "SAME_LOWER" -> {
        for (int d = 0; d < in.length; d++) {
          int out = (in[d] + strides[d] - 1) / strides[d];
          int total = Math.max(0, (out - 1) * strides[d] + window[d] - in[d]);
          int small = total / 2;
          pads[d] = p.equals("SAME") ? new int[] {small, total - small} : new int[] {total - small, small};
        }
      }
      default -> throw new IllegalArgumentException("padding '" + padding
          + "' is not one of \"SAME\", \"SAME_LOWER\", \"VALID\"; pass one of those or explicit (lo, hi) pairs");
    }
    return pads;
  }

  /**
   * {@code lax.conv_general_dilated} with string dimension numbers ({@code "NCHW", "OIHW",
   * "NCHW"} or {@code "NHWC", "HWIO", "NHWC"}, any letters for the spatial dims).
   */
  static Array convGeneralDilated(Array lhs, Array rhs, int[] strides, int[][] padding, int[] lhsDilation,
      int[] rhsDilation, String[] dimensionNumbers, int featureGroupCount, int batchGroupCount) {
    if (dimensionNumbers == null || dimensionNumbers.length != 3) {
      throw new IllegalArgumentException("conv: dimension numbers are three layout strings (lhs, rhs, out), e.g. "
          + "{\"NCHW\", \"OIHW\", \"NCHW\"}; got " + Arrays.toString(dimensionNumbers));
    }
    int[] lhsSpec = spec(dimensionNumbers[0], 'N', 'C', "lhs", lhs);
    int[] rhsSpec = spec(dimensionNumbers[1], 'O', 'I', "rhs", rhs);
    int[] outSpec = spec(dimensionNumbers[2], 'N', 'C', "out", null);
    int s = lhsSpec.length - 2;
    if (rhsSpec.length != s + 2 || outSpec.length != s + 2) {
      throw new IllegalArgumentException("conv: layouts " + Arrays.toString(dimensionNumbers)
          + " differ in their number of spatial dims");
    }
    strides = orOnes(strides, s, "window strides");
    lhsDilation = orOnes(lhsDilation, s, "lhs dilation");
    rhsDilation = orOnes(rhsDilation, s, "rhs dilation");
    if (padding == null || padding.length != s) {
      throw new IllegalArgumentException("conv: padding needs " + s + " (lo, hi) pairs, one per spatial dim, got "
          + (padding == null ? "null" : Arrays.deepToString(padding)));
    }
    checkChannels(lhs, rhs, lhsSpec, rhsSpec, featureGroupCount, dimensionNumbers);
    Conv c = new Conv(strides, padding, lhsDilation, rhsDilation, lhsSpec, rhsSpec, outSpec, featureGroupCount,
        batchGroupCount);
    return ConvPrims.CONV_GENERAL_DILATED.bind1(c.params(), lhs, rhs);
  }

  /** Like {@link #convGeneralDilated} with a padding string, resolved as JAX does (kernel dilated). */
  static Array convGeneralDilated(Array lhs, Array rhs, int[] strides, String padding, int[] lhsDilation,
      int[] rhsDilation, String[] dimensionNumbers, int featureGroupCount) {
    if (dimensionNumbers == null || dimensionNumbers.length != 3) {
      return convGeneralDilated(lhs, rhs, strides, new int[0][], lhsDilation, rhsDilation, dimensionNumbers,
          featureGroupCount, 1); // throws the layout error
    }
    int[] lhsSpec = spec(dimensionNumbers[0], 'N', 'C', "lhs", lhs);
    int[] rhsSpec = spec(dimensionNumbers[1], 'O', 'I', "rhs", rhs);
    int s = lhsSpec.length - 2;
    int[] st = orOnes(strides, s, "window strides");
    int[] rd = orOnes(rhsDilation, s, "rhs dilation");
    int[] in = new int[s];
    int[] window = new int[s];
    for (int d = 0; d < s; d++) {
      in[d] = lhs.shape()[lhsSpec[2 + d]];
      window[d] = ConvPrims.dilate(rhs.shape()[rhsSpec[2 + d]], rd[d]);
    }
    return convGeneralDilated(lhs, rhs, st, padtypeToPads(in, window, st, padding), lhsDilation, rd,
        dimensionNumbers, featureGroupCount, 1);
  }

  /**
   * {@code lax.conv_transpose}: the gradient of a strided convolution, used as an upsampling layer
   * (flax {@code ConvTranspose}, U-Net and VAE decoders). As JAX: a convolution with unit window
   * strides, the input dilated by {@code strides} ({@code lhs_dilation}), padding from
   * {@code _conv_transpose_padding} for "SAME"/"VALID" (or the explicit pairs), and with
   * {@code transposeKernel} the kernel's spatial axes flipped and its O/I axes swapped. A null
   * {@code dimensionNumbers} is JAX's channels-last default ("NHWC"/"HWIO"/"NHWC" for rank 4).
   */
  static Array convTranspose(Array lhs, Array rhs, int[] strides, String padding, int[][] explicitPads,
      int[] rhsDilation, String[] dimensionNumbers, boolean transposeKernel) {
    String[] dn = dimensionNumbers != null ? dimensionNumbers : channelsLast(lhs);
    if (dn.length != 3) {
      throw new IllegalArgumentException("convTranspose: dimension numbers are three layout strings (lhs, rhs, "
          + "out), e.g. {\"NHWC\", \"HWIO\", \"NHWC\"}; got " + Arrays.toString(dn));
    }
    int[] rhsSpec = spec(dn[1], 'O', 'I', "rhs", rhs);
    int s = rhsSpec.length - 2;
    int[] st = orOnes(strides, s, "strides");
    int[] rd = orOnes(rhsDilation, s, "rhs dilation");
    int[][] pads = explicitPads;
    if (pads == null) {
      pads = new int[s][];
      for (int d = 0; d < s; d++) {
        pads[d] = transposePadding(ConvPrims.dilate(rhs.dim(rhsSpec[2 + d]), rd[d]), st[d], padding);
      }
    }
    Array kernel = rhs;
    if (transposeKernel) {
      kernel = kernel.flip(Arrays.copyOfRange(rhsSpec, 2, rhsSpec.length)).swapaxes(rhsSpec[0], rhsSpec[1]);
    }
    return convGeneralDilated(lhs, kernel, ones(s), pads, st, rd, dn, 1, 1);
  }

  /** JAX's {@code _conv_transpose_padding(k, s, padding)} for an effective (dilated) kernel size k. */
  private static int[] transposePadding(int k, int s, String padding) {
    String p = padding == null ? "" : padding.toUpperCase(Locale.ROOT);
    int padLen;
    int padA;
    switch (p) {
      case "SAME" -> {
        padLen = k + s - 2;
        padA = s > k - 1 ? k - 1 : (padLen + 1) / 2;
      }
      case "VALID" -> {
        padLen = k + s - 2 + Math.max(k - s, 0);
        padA = k - 1;
      }
      default -> throw new IllegalArgumentException("convTranspose: padding '" + padding
          + "' is not \"SAME\" or \"VALID\"; pass one of those or explicit (lo, hi) pairs");
    }
    return new int[] {padA, padLen - padA};
  }

  /** JAX's default conv_transpose layouts: channels last, e.g. NHWC / HWIO / NHWC. */
  private static String[] channelsLast(Array lhs) {
    String spatial = "HWDXYZUV";
    if (lhs.ndim() < 2 || lhs.ndim() - 2 > spatial.length()) {
      throw new ShapeError("convTranspose: lhs " + lhs.aval() + " needs rank >= 2 (batch, spatial..., channels)");
    }
    String sp = spatial.substring(0, lhs.ndim() - 2);
    return new String[] {"N" + sp + "C", sp + "IO", "N" + sp + "C"};
  }

  /** Axis numbers of a layout string: {@code [batch, feature, spatial...]} positions. */
  private static int[] spec(String layout, char batch, char feature, String which, Array x) {
    String hint = " (e.g. \"NCHW\"/\"OIHW\"/\"NCHW\" as lax.conv, \"NHWC\"/\"HWIO\"/\"NHWC\" as flax)";
    if (layout == null || layout.indexOf(batch) < 0 || layout.indexOf(feature) < 0
        || layout.indexOf(batch) != layout.lastIndexOf(batch) || layout.indexOf(feature) != layout.lastIndexOf(feature)
        || layout.length() < 3) {
      throw new IllegalArgumentException("conv: " + which + " layout '" + layout + "' needs one '" + batch
          + "', one '" + feature + "' and at least one spatial letter" + hint);
    }
    if (x != null && x.ndim() != layout.length()) {
      throw new ShapeError("conv: " + which + " " + x.aval().shapeString() + " has rank " + x.ndim()
          + " but its layout '" + layout + "' has " + layout.length() + " letters" + hint);
    }
    int[] spec = new int[layout.length()];
    spec[0] = layout.indexOf(batch);
    spec[1] = layout.indexOf(feature);
    int k = 2;
    for (int a = 0; a < layout.length(); a++) {
      if (a != spec[0] && a != spec[1]) {
        spec[k++] = a;
      }
    }
    return spec;
  }

  private static void checkChannels(Array lhs, Array rhs, int[] lhsSpec, int[] rhsSpec, int groups, String[] dn) {
    if (lhs.ndim() != lhsSpec.length || rhs.ndim() != rhsSpec.length) {
      return; // the primitive's rank error
    }
    int c = lhs.shape()[lhsSpec[1]];
    int i = rhs.shape()[rhsSpec[1]];
    if (groups >= 1 && c != i * groups) {
      throw new ShapeError("conv: input " + lhs.aval() + " (" + dn[0] + ") has " + c
          + " channels but kernel " + rhs.aval() + " (" + dn[1] + ") expects " + i
          + (groups > 1 ? " per group x " + groups + " groups" : "") + "; make the kernel's '"
          + dn[1].charAt(rhsSpec[1]) + "' axis " + (groups > 1 ? c / Math.max(1, groups) + " (channels / groups)" : c)
          + " or feed an input with " + i * groups + " channels");
    }
  }

  private static int[] orOnes(int[] v, int n, String what) {
    if (v == null) {
      int[] ones = new int[n];
      Arrays.fill(ones, 1);
      return ones;
    }
    if (v.length != n) {
      throw new IllegalArgumentException("conv: " + what + " " + Arrays.toString(v) + " needs " + n
          + " entries, one per spatial dim");
    }
    return v.clone();
  }

  // ---- flax-style NHWC helpers ----------------------------------------------------------------------

  /** {@code flax.linen.Conv}'s computation: NHWC (any spatial rank) input, HWIO kernel. */
  static Array convChannelsLast(Array x, Array w, int[] strides, String padding, int[] dilation, int groups) {
    int s = x.ndim() - 2;
    if (s < 1 || w.ndim() != x.ndim()) {
      throw new ShapeError("conv: input " + x.aval().shapeString() + " must be [N, spatial..., C] and kernel "
          + w.aval().shapeString() + " [spatial..., C/groups, O] of the same rank (at least 3)");
    }
    String spatial = "HWDUVXYZ".substring(0, Math.min(s, 8));
    if (s > 8) {
      throw new ShapeError("conv: at most 8 spatial dims, got " + s);
    }
    String[] dn = {"N" + spatial + "C", spatial + "IO", "N" + spatial + "C"};
    return convGeneralDilated(x, w, strides, padding, null, dilation, dn, groups);
  }

  /** flax's {@code pool}: windows over the spatial dims of {@code [N, spatial..., C]} (or unbatched). */
  static Array pool(String op, Array x, int[] window, int[] strides, String padding) {
    if (window == null || window.length == 0) {
      throw new IllegalArgumentException(op + ": window shape must name at least one spatial dim");
    }
    int s = window.length;
    boolean unbatched = x.ndim() == s + 1;
    if (!unbatched && x.ndim() != s + 2) {
      throw new ShapeError(op + ": input " + x.aval().shapeString() + " must be [N, spatial..., C] with "
          + s + " spatial dims for window " + Arrays.toString(window) + " (or [spatial..., C] unbatched)");
    }
    Array in = unbatched ? x.reshape(prepend1(x.shape())) : x;
    int[] st = strides == null ? ones(s) : strides;
    if (st.length != s) {
      throw new IllegalArgumentException(op + ": strides " + Arrays.toString(st) + " need " + s
          + " entries, one per window dim " + Arrays.toString(window));
    }
    int[] dims = new int[s + 2];
    int[] allStrides = new int[s + 2];
    Arrays.fill(dims, 1);
    Arrays.fill(allStrides, 1);
    System.arraycopy(window, 0, dims, 1, s);
    System.arraycopy(st, 0, allStrides, 1, s);
    int[][] pads = padtypeToPads(in.shape(), dims, allStrides, padding);
    Array y = switch (op) {
      case "max_pool" -> reduceWindow(ConvPrims.REDUCE_WINDOW_MAX, in, dims, allStrides, pads);
      default -> reduceWindow(ConvPrims.REDUCE_WINDOW_SUM, in, dims, allStrides, pads);
    };
    return unbatched ? y.reshape(Arrays.copyOfRange(y.shape(), 1, y.ndim())) : y;
  }

  /** flax's {@code avg_pool}: the window sum over its size, or over the real (unpadded) elements. */
  static Array avgPool(Array x, int[] window, int[] strides, String padding, boolean countIncludePad) {
    Array in = NumpyMath.floaty(x); // a mean: integers average to F32, as jnp
    Array sum = pool("avg_pool", in, window, strides, padding);
    if (countIncludePad) {
      return sum.div(Arrays.stream(window).asLongStream().reduce(1, (a, b) -> a * b));
    }
    Array ones = Array.ones(in.dtype(), onesShape(in, window));
    return sum.div(pool("avg_pool", ones, window, strides, padding));
  }

  /** The ones whose pooled sum counts real elements: the input's shape with N and C of 1. */
  private static int[] onesShape(Array x, int[] window) {
    int[] s = x.shape().clone();
    boolean unbatched = x.ndim() == window.length + 1;
    if (!unbatched) {
      s[0] = 1;
    }
    s[s.length - 1] = 1;
    return s;
  }

  static Array reduceWindow(dev.statelens.engine.ir.Primitive p, Array x, int[] dims, int[] strides, int[][] pads) {
    int n = x.ndim();
    Window w = new Window(dims, strides == null ? ones(n) : strides, pads, ones(n), ones(n));
    Array in = x.dtype().isFloating() ? x : x.astype(DType.F32);
    return p.bind1(w.params(), in);
  }

  private static int[] ones(int n) {
    int[] o = new int[n];
    Arrays.fill(o, 1);
    return o;
  }

  private static int[] prepend1(int[] shape) {
    int[] s = new int[shape.length + 1];
    s[0] = 1;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }
}
