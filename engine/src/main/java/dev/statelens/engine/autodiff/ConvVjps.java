package dev.statelens.engine.autodiff;

import static dev.statelens.engine.batching.ConvRules.reshapeAxisInto;
import static dev.statelens.engine.batching.ConvRules.reshapeAxisOutOf;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.ConvPrims;
import dev.statelens.engine.ir.ConvPrims.Conv;
import dev.statelens.engine.ir.ConvPrims.Window;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.Arrays;

/**
 * VJP rules of {@link ConvPrims}, transcribed from JAX's {@code lax/convolution.py} and
 * {@code lax/windowed_reductions.py}:
 * <ul>
 *   <li>{@code conv_general_dilated}: the lhs cotangent is a convolution of the cotangent with the
 *       spatially flipped kernel, in/out features swapped, lhs dilation = the forward strides
 *       ({@code _conv_general_dilated_transpose_lhs}); the rhs cotangent a convolution of lhs with
 *       the cotangent as kernel, batch and feature axes swapped, feature groups turned into batch
 *       groups ({@code _conv_general_dilated_transpose_rhs});
 *   <li>{@code reduce_window_sum}: the cotangent padded (interior = stride - 1) and summed over
 *       windows again ({@code _reduce_window_sum_transpose_rule});
 *   <li>{@code reduce_window_max}: {@code select_and_scatter_add} — each cotangent to its window's
 *       first maximum; {@code select_and_scatter_add} and {@code select_and_gather_add} are each
 *       other's transpose in their first operand (the operand only chooses, so it gets none).
 * </ul>
 */
final class ConvVjps {
  private ConvVjps() {}

  static void registerAll() {
    Vjp.register(ConvPrims.CONV_GENERAL_DILATED, (p, in, out, ct, needed) -> {
      Conv c = Conv.of(p);
      Array g = ct.get(0);
      Array gl = needed[0] ? transposeLhs(c, g, in.get(0), in.get(1)) : null;
      Array gr = needed[1] ? transposeRhs(c, g, in.get(0), in.get(1)) : null;
      return Arrays.asList(gl, gr);
    });
    Vjp.register(ConvPrims.REDUCE_WINDOW_SUM, (p, in, out, ct, needed) ->
        Arrays.asList(reduceWindowSumTranspose(Window.of(p), ct.get(0), in.get(0).shape())));
    Vjp.register(ConvPrims.REDUCE_WINDOW_MAX, (p, in, out, ct, needed) ->
        Arrays.asList(ConvPrims.SELECT_AND_SCATTER_ADD.bind1(p, ct.get(0), in.get(0))));
    Vjp.register(ConvPrims.SELECT_AND_SCATTER_ADD, (p, in, out, ct, needed) -> Arrays.asList(
        needed[0] ? ConvPrims.SELECT_AND_GATHER_ADD.bind1(p, ct.get(0), in.get(1)) : null, null));
    Vjp.register(ConvPrims.SELECT_AND_GATHER_ADD, (p, in, out, ct, needed) -> Arrays.asList(
        needed[0] ? ConvPrims.SELECT_AND_SCATTER_ADD.bind1(p, ct.get(0), in.get(1)) : null, null));
  }

  /** {@code _conv_general_dilated_transpose_lhs}. */
  static Array transposeLhs(Conv c, Array g, Array lhs, Array rhs) {
    int s = c.spatial();
    int fgc = c.featureGroups();
    int bgc = c.batchGroups();
    int[] rhsSpec = c.rhsSpec();
    int[] tRhsSpec = swap01(rhsSpec);
    if (fgc > 1) {
      rhs = reshapeAxisOutOf(rhsSpec[0], fgc, rhs, false);
      rhs = reshapeAxisInto(rhsSpec[0], rhsSpec[1], rhs);
    } else if (bgc > 1) {
      rhs = reshapeAxisOutOf(rhsSpec[0], bgc, rhs, false);
      rhs = reshapeAxisInto(rhsSpec[0], rhsSpec[1], rhs);
      fgc = bgc;
    }
    int[][] pads = new int[s][];
    int[] rhsSpatialAxes = new int[s];
    for (int d = 0; d < s; d++) {
      int lhsD = ConvPrims.dilate(lhs.shape()[c.lhsSpec()[2 + d]], c.lhsDilation()[d]);
      int rhsD = ConvPrims.dilate(rhs.shape()[rhsSpec[2 + d]], c.rhsDilation()[d]);
      int outD = ConvPrims.dilate(g.shape()[c.outSpec()[2 + d]], c.strides()[d]);
      int before = rhsD - c.padding()[d][0] - 1;
      int after = lhsD + rhsD - 1 - outD - before;
      pads[d] = new int[] {before, after};
      rhsSpatialAxes[d] = rhsSpec[2 + d];
    }
    Array flipped = Prims.REV.bind1(Params.of("dimensions", rhsSpatialAxes), rhs);
    Conv t = new Conv(c.lhsDilation(), pads, c.strides(), c.rhsDilation(), c.outSpec(), tRhsSpec, c.lhsSpec(),
        fgc, 1);
    Array out = ConvPrims.CONV_GENERAL_DILATED.bind1(t.params(), g, flipped);
    if (bgc > 1) {
      out = reshapeAxisOutOf(c.lhsSpec()[1], bgc, out, false);
      out = reshapeAxisInto(c.lhsSpec()[1], c.lhsSpec()[0], out);
    }
    return out;
  }

  /** {@code _conv_general_dilated_transpose_rhs}. */
  static Array transposeRhs(Conv c, Array g, Array lhs, Array rhs) {
    if (g.size() == 0) {
      return Vjp.zeros(rhs);
    }
    int s = c.spatial();
    int fgc = c.featureGroups();
    int bgc = c.batchGroups();
    if (bgc > 1) {
      fgc = bgc;
      bgc = 1;
    } else if (fgc > 1) {
      bgc = fgc;
      fgc = 1;
    }
    int[][] pads = new int[s][];
    for (int d = 0; d < s; d++) {
      int lhsD = ConvPrims.dilate(lhs.shape()[c.lhsSpec()[2 + d]], c.lhsDilation()[d]);
      int rhsD = ConvPrims.dilate(rhs.shape()[c.rhsSpec()[2 + d]], c.rhsDilation()[d]);
      int outD = ConvPrims.dilate(g.shape()[c.outSpec()[2 + d]], c.strides()[d]);
      int lo = c.padding()[d][0];
      pads[d] = new int[] {lo, (outD - lhsD) + (rhsD - lo - 1)};
    }
    Conv t = new Conv(c.rhsDilation(), pads, c.lhsDilation(), c.strides(), swap01(c.lhsSpec()),
        swap01(c.outSpec()), swap01(c.rhsSpec()), fgc, bgc);
    return ConvPrims.CONV_GENERAL_DILATED.bind1(t.params(), lhs, g);
  }

  /** {@code _reduce_window_sum_transpose_rule}: pad the cotangent, sum its windows with stride 1. */
  static Array reduceWindowSumTranspose(Window w, Array ct, int[] inShape) {
    int n = inShape.length;
    int[] lo = new int[n];
    int[] hi = new int[n];
    int[] interior = new int[n];
    int[] ones = new int[n];
    for (int d = 0; d < n; d++) {
      int inD = inShape[d]; // base_dilation is 1
      int k = ConvPrims.dilate(w.dims()[d], w.windowDilation()[d]);
      int outD = ConvPrims.dilate(ct.shape()[d], w.strides()[d]);
      lo[d] = k - w.padding()[d][0] - 1;
      hi[d] = inD + k - 1 - outD - lo[d];
      interior[d] = w.strides()[d] - 1;
      ones[d] = 1;
    }
    Array padded = Prims.PAD.bind1(Params.of("low", lo, "high", hi, "interior", interior), ct,
        Array.scalar(ct.dtype(), 0));
    int[][] none = new int[n][2];
    Window back = new Window(w.dims(), ones, none, ones, w.windowDilation());
    return ConvPrims.REDUCE_WINDOW_SUM.bind1(back.params(), padded);
  }

  private static int[] swap01(int[] spec) {
    int[] t = spec.clone();
    t[0] = spec[1];
    t[1] = spec[0];
    return t;
  }
}
