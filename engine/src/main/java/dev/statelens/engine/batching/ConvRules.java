package dev.statelens.engine.batching;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.ConvPrims;
import dev.statelens.engine.ir.ConvPrims.Conv;
import dev.statelens.engine.ir.ConvPrims.Window;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import java.util.ArrayList;
import java.util.List;

/**
 * Batching rules of {@link ConvPrims}, as JAX's {@code _conv_general_dilated_batch_rule}: the vmap
 * axis is folded into an axis the convolution already loops over, so one convolution serves the
 * whole batch.
 * <ul>
 *   <li>lhs mapped, rhs not: into the batch axis ({@code [B, N] -> [B*N]});
 *   <li>rhs mapped, lhs not, one feature group: into the kernel's out features
 *       ({@code [B, O] -> [B*O]}), then back out of the output's features;
 *   <li>both mapped (or rhs mapped with feature groups): into feature groups — lhs channels
 *       {@code [B, C] -> [B*C]}, kernel out features {@code [B, O] -> [B*O]},
 *       {@code feature_group_count * B}: group {@code b*G + g} pairs example b's group g;
 *   <li>batch groups with a mapped operand run once per example ({@link Batching#loop}).
 * </ul>
 * The windowed primitives get one more window axis of size 1 (stride 1, no padding) in front.
 */
public final class ConvRules {
  private ConvRules() {}

  static void registerAll() {
    Batching.register(ConvPrims.CONV_GENERAL_DILATED, ConvRules::conv);
    for (Primitive p : List.of(ConvPrims.REDUCE_WINDOW_SUM, ConvPrims.REDUCE_WINDOW_MAX,
        ConvPrims.SELECT_AND_SCATTER_ADD, ConvPrims.SELECT_AND_GATHER_ADD)) {
      Batching.register(p, (ctx, params, in, out) -> {
        Array[] ops = new Array[in.size()];
        for (int i = 0; i < ops.length; i++) {
          ops[i] = Batching.materialize(in.get(i), in.get(i).exampleAval().shape(), ctx.batchSize());
        }
        Window w = Window.of(params);
        int[][] pads = new int[w.dims().length + 1][];
        pads[0] = new int[] {0, 0};
        System.arraycopy(w.padding(), 0, pads, 1, w.dims().length);
        Window batched = new Window(prepend(1, w.dims()), prepend(1, w.strides()), pads,
            prepend(1, w.baseDilation()), prepend(1, w.windowDilation()));
        return List.of(Batched.mapped(p.bind1(batched.params(), ops)));
      });
    }
  }

  private static List<Batched> conv(BatchContext ctx, Params params, List<Batched> in, List<Aval> out) {
    Conv c = Conv.of(params);
    int b = ctx.batchSize();
    Batched lb = in.get(0);
    Batched rb = in.get(1);
    if (c.batchGroups() > 1) {
      return Batching.loop(ConvPrims.CONV_GENERAL_DILATED).apply(ctx, params, in, out);
    }
    if (lb.mapped() && !rb.mapped()) {
      Array lhs = reshapeAxisInto(0, c.lhsSpec()[0], lb.value());
      Array y = ConvPrims.CONV_GENERAL_DILATED.bind1(params, lhs, rb.value());
      return List.of(Batched.mapped(reshapeAxisOutOf(c.outSpec()[0], b, y, true)));
    }
    if (rb.mapped() && !lb.mapped() && c.featureGroups() == 1) {
      Array rhs = reshapeAxisInto(0, c.rhsSpec()[0], rb.value());
      Array y = ConvPrims.CONV_GENERAL_DILATED.bind1(params, lb.value(), rhs);
      return List.of(Batched.mapped(reshapeAxisOutOf(c.outSpec()[1], b, y, true)));
    }
    Array lhs = Batching.materialize(lb, lb.exampleAval().shape(), b);
    Array rhs = Batching.materialize(rb, rb.exampleAval().shape(), b);
    lhs = reshapeAxisInto(0, c.lhsSpec()[1], lhs);
    rhs = reshapeAxisInto(0, c.rhsSpec()[0], rhs);
    Conv grouped = new Conv(c.strides(), c.padding(), c.lhsDilation(), c.rhsDilation(), c.lhsSpec(), c.rhsSpec(),
        c.outSpec(), c.featureGroups() * b, 1);
    Array y = ConvPrims.CONV_GENERAL_DILATED.bind1(grouped.params(), lhs, rhs);
    return List.of(Batched.mapped(reshapeAxisOutOf(c.outSpec()[1], b, y, true)));
  }

  /**
   * JAX's {@code _reshape_axis_into(src, dst, x)}: merges axis {@code src} into axis {@code dst}
   * (numbered as if {@code src} were removed) as its major part.
   */
  public static Array reshapeAxisInto(int src, int dst, Array x) {
    int n = x.ndim();
    List<Integer> perm = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i != src) {
        perm.add(i);
      }
    }
    perm.add(dst, src);
    int[] p = perm.stream().mapToInt(Integer::intValue).toArray();
    int[] shape = new int[n - 1];
    for (int i = 0, j = 0; i < n; i++) {
      if (i != src) {
        shape[j++] = x.shape()[i];
      }
    }
    shape[dst] *= x.shape()[src];
    return x.transpose(p).reshape(shape);
  }

  /**
   * JAX's {@code _reshape_axis_out_of(src, size1, x)}: splits axis {@code src} into
   * {@code [size1, dim / size1]}; with {@code toFront} the {@code size1} axis then moves to 0
   * (the vmap axis).
   */
  public static Array reshapeAxisOutOf(int src, int size1, Array x, boolean toFront) {
    int[] s = x.shape();
    int[] shape = new int[s.length + 1];
    System.arraycopy(s, 0, shape, 0, src);
    shape[src] = size1;
    shape[src + 1] = s[src] / size1;
    System.arraycopy(s, src + 1, shape, src + 2, s.length - src - 1);
    Array y = x.reshape(shape);
    return toFront ? Batching.moveAxisToFront(y, src) : y;
  }

  private static int[] prepend(int v, int[] a) {
    int[] r = new int[a.length + 1];
    r[0] = v;
    System.arraycopy(a, 0, r, 1, a.length);
    return r;
  }
}
