package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * complex64 folds whose order decides the bits, written to fold in the CPU backend's order: XLA
 * CPU's. A c64 product rounds differently with its operands swapped and a lexicographic max/min
 * with a NaN part is not associative ({@code max([1+2j, nan, 2])} is 2, {@code max([1+2j, nan])}
 * NaN), so only the CPU's order gives its answers.
 *
 * <ul>
 *   <li>{@link #levels}, {@link #windowFoldBody}, {@link #plainFoldBody}: {@code reduce_max/min/prod}
 *       in XLA's window tree ({@code backend/cpu/ComplexReduceTree}): one launch per window pass,
 *       one thread per window, then one thread per output for the plain fold of what is left.
 *   <li>{@link #scanLoop}: {@code cumprod}, {@code cummax}, {@code cummin} along a line in the
 *       reduce-window rewriter's block tree ({@code backend/cpu/ComplexScanTree}), one thread per line.
 * </ul>
 */
final class ComplexFolds {
  private ComplexFolds() {}

  /** XLA CPU's tree reduction window ({@code ComplexReduceTree.WINDOW}). */
  static final int WINDOW = 32;

  /** The block length of XLA's reduce-window rewrite ({@code ComplexScanTree.BASE}). */
  private static final int BLOCK = 16;

  /** The initial value of a c64 {@code reduce_max/cummax} ({@code max}) or {@code min} fold: {@code -inf+0j} / {@code +inf+0j}. */
  static String extremumStart(boolean max) {
    return CTypes.constant(DType.C64, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
  }

  /** XLA's step {@code acc > x ? acc : x} (min: {@code <}), a device function of {@link ComplexDevice#TEXT}. */
  static String extremumStep(boolean max) {
    return max ? "sl_cmax_step" : "sl_cmin_step";
  }

  /**
   * XLA CPU's levels for a c64 reduce of {@code shape} over {@code axes}: the input's shape, then,
   * while a reduced axis is longer than {@value #WINDOW}, the shape of the partial results of one
   * window pass — {@value #WINDOW} long on each such axis (padded to a multiple of {@value #WINDOW},
   * half the padding before; padding skipped, not folded), the whole axis on the other reduced axes.
   * The last shape is folded plainly ({@link #plainFoldBody}); each step before it is one
   * {@link #windowFoldBody} pass.
   */
  static List<int[]> levels(int[] shape, int[] axes) {
    List<int[]> levels = new ArrayList<>(List.of(shape));
    while (Arrays.stream(axes).anyMatch(a -> levels.getLast()[a] > WINDOW)) {
      int[] partials = levels.getLast().clone();
      for (int a : axes) {
        partials[a] = partials[a] > WINDOW ? (partials[a] + WINDOW - 1) / WINDOW : 1;
      }
      levels.add(partials);
    }
    return levels;
  }

  /**
   * The body of a thread computing partial result {@code p} (row-major over {@code to}) of one
   * window pass from level {@code from} ({@link #levels}): its window's elements of {@code x},
   * folded in row-major order with XLA's reducer {@code step(acc, x)} from {@code start}. One thread
   * per window, so a pass over n elements runs n/32 (or n/32^k) threads: this is what makes the
   * reduce parallel, in XLA's own tree, so each partial — and the result — has the CPU's bits
   * whatever the fold's algebra (a lexicographic max with NaN parts, a rounded product).
   */
  static String windowFoldBody(int[] from, int[] to, int[] axes, String start, String step) {
    int[] reduced = sorted(axes);
    long[] fromStrides = KernelGenerator.strides(from);
    long[] toStrides = KernelGenerator.strides(to);
    StringBuilder s = new StringBuilder();
    List<String> base = new ArrayList<>();
    for (int d = 0; d < to.length; d++) {
      String coord = "((p / " + toStrides[d] + "LL) % " + to[d] + "LL)";
      if (Arrays.binarySearch(reduced, d) < 0) {
        base.add(coord + " * " + fromStrides[d] + "LL");
      } else if (from[d] > WINDOW) {
        s.append("  const sl_idx c1_").append(d).append(" = ").append(coord).append(";\n");
      }
    }
    s.append("  const sl_idx base = ").append(base.isEmpty() ? "0" : String.join(" + ", base)).append(";\n");
    s.append("  sl_c64 acc = ").append(start).append(";\n");
    foldLoops(s, from, to, reduced, fromStrides, step);
    return s.append("  out[p] = acc;\n").toString();
  }

  /**
   * The body of a thread computing output {@code o} of a c64 reduce of {@code shape} over
   * {@code axes} where no reduced axis is longer than {@value #WINDOW} (the input, or the last
   * level of {@link #levels}): {@code base} is the offset of {@code o}'s kept coordinates, and the
   * reduced elements fold in row-major order from {@code start}, as XLA's plain reduce folds them.
   */
  static String plainFoldBody(int[] shape, int[] axes, long[] strides, String start, String step) {
    StringBuilder s = new StringBuilder("  sl_c64 acc = " + start + ";\n");
    foldLoops(s, shape, null, sorted(axes), strides, step);
    return s.append("  out[o] = acc;\n").toString();
  }

  /**
   * Loops folding into {@code acc} the elements of {@code shape} (strides {@code strides} from
   * {@code base}): along each reduced axis the whole axis, or — in a window pass ({@code to} not
   * null) on an axis longer than {@value #WINDOW} — window {@code c1_<axis>}: {@code [c * 32 -
   * padLow, + 32)} clipped to the axis (padding is skipped).
   */
  private static void foldLoops(StringBuilder s, int[] shape, int[] to, int[] reduced, long[] strides, String step) {
    String in = "  ";
    StringBuilder at = new StringBuilder("base");
    for (int a : reduced) {
      String c = "c0_" + a;
      if (to == null || shape[a] <= WINDOW) {
        s.append(in).append("for (sl_idx ").append(c).append(" = 0; ").append(c).append(" < ").append(shape[a])
            .append("LL; ").append(c).append("++) {\n");
      } else {
        long padLow = ((long) to[a] * WINDOW - shape[a]) / 2;
        String w = "w_" + a;
        s.append(in).append("const sl_idx ").append(w).append(" = c1_").append(a).append(" * ").append(WINDOW)
            .append("LL - ").append(padLow).append("LL;\n");
        s.append(in).append("for (sl_idx ").append(c).append(" = ").append(w).append(" < 0 ? 0 : ").append(w).append("; ")
            .append(c).append(" < ").append(w).append(" + ").append(WINDOW).append("LL && ").append(c).append(" < ")
            .append(shape[a]).append("LL; ").append(c).append("++) {\n");
      }
      at.append(" + ").append(c).append(" * ").append(strides[a]).append("LL");
      in += "  ";
    }
    s.append(in).append("acc = ").append(step).append("(acc, x[").append(at).append("]);\n");
    for (int k = reduced.length - 1; k >= 0; k--) {
      in = in.substring(2);
      s.append(in).append("}\n");
    }
  }

  private static int[] sorted(int[] axes) {
    int[] r = axes.clone();
    Arrays.sort(r);
    return r;
  }

  /**
   * The loop of one thread's c64 scan over its line of {@code n} (elements at {@code base + k *
   * INNERLL} of {@code x}, written to {@code out}) with XLA's reducer {@code step(acc, x)} from
   * {@code start}, folded in the CPU's order ({@code backend/cpu/ComplexScanTree}: XLA's
   * reduce-window tree, blocks of 16, each fold from {@code start}, the last block padded with
   * {@code start} values, which a reversed scan folds). Forwards it streams: each level keeps its
   * block's running fold and the exclusive fold of the blocks before ({@code e1, e2, ...}), and
   * an output is {@code step(its block's fold, the blocks before)}. Reversed each output folds its
   * suffix front to back, so each level keeps its block's values ({@code b0, b1, ...}).
   */
  static String scanLoop(long n, boolean reverse, String start, String step) {
    List<Long> sizes = new ArrayList<>(List.of(n));
    while (sizes.getLast() > BLOCK) {
      sizes.add((sizes.getLast() + BLOCK - 1) / BLOCK);
    }
    int top = sizes.size() - 1; // the level short enough for a plain window scan
    StringBuilder s = new StringBuilder("const sl_c64 start = " + start + ";\n");
    for (int l = 1; l <= top; l++) {
      s.append("sl_c64 e").append(l).append(" = start;\n");
    }
    if (!reverse) {
      for (int l = 0; l <= top; l++) {
        s.append("sl_c64 acc").append(l).append(" = start;\n");
        if (l > 0) {
          s.append("sl_idx cnt").append(l).append(" = 0;\n");
        }
      }
      s.append("for (sl_idx k = 0; k < ").append(n).append("LL; k++) {\n  const sl_idx at = base + k * INNERLL;\n");
      if (top == 0) {
        s.append("  acc0 = " + step + "(acc0, x[at]); out[at] = acc0;\n");
      } else {
        s.append("  if (k % 16 == 0) acc0 = start;\n  acc0 = " + step + "(acc0, x[at]);\n  out[at] = " + step + "(acc0, e1);\n")
            .append("  if (k % 16 == 15) {\n").append(forwardPush(1, top, "acc0", step)).append("  }\n");
      }
      return s.append("}\n").toString();
    }
    for (int l = 0; l <= top; l++) {
      long width = l == top ? sizes.get(l) : BLOCK; // tree levels pad their last block with start values
      s.append("sl_c64 b").append(l).append("[").append(width).append("];\nfor (int j = 0; j < ").append(width)
          .append("; j++) b").append(l).append("[j] = start;\n");
    }
    s.append("for (sl_idx k = ").append(n - 1).append("LL; k >= 0; k--) {\n  const sl_idx at = base + k * INNERLL;\n");
    long width0 = top == 0 ? n : BLOCK;
    s.append("  const sl_idx i0 = k;\n").append(suffixFold(0, width0, step));
    if (top == 0) {
      s.append("  out[at] = a0;\n");
    } else {
      s.append("  out[at] = " + step + "(a0, e1);\n  if (i0 % 16 == 0) {\n").append(reversePush(1, top, sizes, step)).append("  }\n");
    }
    return s.append("}\n").toString();
  }

  /** Level {@code l} takes the total {@code t} of a finished block of level {@code l - 1} (forwards). */
  private static String forwardPush(int l, int top, String t, String step) {
    if (l == top) {
      return "acc" + l + " = " + step + "(acc" + l + ", " + t + "); e" + l + " = acc" + l + ";\n";
    }
    return "if (cnt" + l + " % 16 == 0) acc" + l + " = start;\nacc" + l + " = " + step + "(acc" + l + ", " + t + ");\ne" + l
        + " = " + step + "(acc" + l + ", e" + (l + 1) + ");\nif (cnt" + l + " % 16 == 15) {\n"
        + forwardPush(l + 1, top, "acc" + l, step)
        + "}\ncnt" + l + "++;\n";
  }

  /** {@code a<l>}: the fold from {@code start}, front to back, of level {@code l}'s block values from index {@code i<l>} on. */
  private static String suffixFold(int l, long width, String step) {
    return "b" + l + "[i" + l + " % " + width + "] = " + (l == 0 ? "x[at]" : "a" + (l - 1)) + ";\nsl_c64 a" + l
        + " = start;\nfor (sl_idx j = i" + l + " % " + width + "; j < " + width + "; j++) a" + l + " = " + step + "(a" + l
        + ", b" + l + "[j]);\n";
  }

  /** Level {@code l} takes the total {@code a<l-1>} of block {@code i<l-1> / 16} of level {@code l - 1} (reversed). */
  private static String reversePush(int l, int top, List<Long> sizes, String step) {
    String s = "const sl_idx i" + l + " = i" + (l - 1) + " / 16;\n" + suffixFold(l, l == top ? sizes.get(l) : BLOCK, step);
    if (l == top) {
      return "{\n" + s + "e" + l + " = a" + l + ";\n}\n";
    }
    return "{\n" + s + "e" + l + " = " + step + "(a" + l + ", e" + (l + 1) + ");\nif (i" + l + " % 16 == 0) {\n"
        + reversePush(l + 1, top, sizes, step) + "}\n}\n";
  }
}
