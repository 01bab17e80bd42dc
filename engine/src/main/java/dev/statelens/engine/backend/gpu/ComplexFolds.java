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
 *   <li>{@link #foldBody}: {@code reduce_max/min/prod} in XLA's window tree ({@code
 *       backend/cpu/ComplexReduceTree}), one thread per output.
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
   * The body of a thread computing output {@code o} of a c64 {@code reduce_max/min} of {@code shape}
   * over {@code axes}: {@code base} is the input offset of {@code o}'s kept coordinates, and the
   * reduced elements fold as XLA CPU folds them. While a reduced axis is longer than {@value #WINDOW},
   * XLA first folds windows — {@value #WINDOW} long on each such axis (padded to a multiple of
   * {@value #WINDOW}, half the padding before; padding skipped), the whole axis on the other reduced
   * axes — into partial results, and rewrites the partials again; a plain row-major fold of what is
   * left gives the output. Each fold starts from {@code -inf+0j} ({@code +inf+0j}). A thread computes
   * each partial it needs as a nested loop over its window (every input element is read once), so
   * the levels need no memory: level {@code l}'s coordinates are {@code c<l>_<axis>}, its fold
   * {@code acc<l>}.
   */
  static String extremumBody(int[] shape, int[] axes, long[] strides, boolean max) {
    return foldBody(shape, axes, strides, extremumStart(max), extremumStep(max));
  }

  /**
   * {@link #extremumBody} for any c64 fold: XLA's reducer {@code step(acc, x)} from {@code start}
   * ({@code reduce_prod}: {@code sl_cmul} from {@code 1+0j}, as {@code backend/cpu/ComplexReduceTree}).
   */
  static String foldBody(int[] shape, int[] axes, long[] strides, String start, String step) {
    int[] reduced = axes.clone();
    Arrays.sort(reduced);
    List<int[]> levels = new ArrayList<>(List.of(shape));
    while (Arrays.stream(reduced).anyMatch(a -> levels.getLast()[a] > WINDOW)) {
      int[] partials = levels.getLast().clone();
      for (int a : reduced) {
        partials[a] = partials[a] > WINDOW ? (partials[a] + WINDOW - 1) / WINDOW : 1;
      }
      levels.add(partials);
    }
    int top = levels.size() - 1;
    StringBuilder s = new StringBuilder("  sl_c64 acc" + top + " = " + start + ";\n");
    foldLevel(s, top, levels, reduced, strides, step, start, "  ");
    return s.append("  out[o] = acc").append(top).append(";\n").toString();
  }

  /**
   * Folds into {@code acc<l>} level {@code l}'s elements: all of them at the top level, else those in
   * the window of level {@code l + 1}'s element at {@code c<l+1>_*}. An element of level 0 is the
   * input's; one of a higher level is the fold of its own window one level down.
   */
  private static void foldLevel(StringBuilder s, int l, List<int[]> levels, int[] reduced, long[] strides, String step,
      String start, String indent) {
    int[] shape = levels.get(l);
    boolean top = l == levels.size() - 1;
    String in = indent;
    for (int a : reduced) {
      String c = "c" + l + "_" + a;
      if (top || shape[a] <= WINDOW) { // the whole axis (at the top, or not windowed at this level)
        s.append(in).append("for (sl_idx ").append(c).append(" = 0; ").append(c).append(" < ").append(shape[a])
            .append("LL; ").append(c).append("++) {\n");
      } else { // window c<l+1>_a: [c * 32 - padLow, + 32), clipped to the axis (padding is skipped)
        long padLow = ((long) levels.get(l + 1)[a] * WINDOW - shape[a]) / 2;
        String w = "w" + l + "_" + a;
        s.append(in).append("const sl_idx ").append(w).append(" = c").append(l + 1).append("_").append(a).append(" * ")
            .append(WINDOW).append("LL - ").append(padLow).append("LL;\n");
        s.append(in).append("for (sl_idx ").append(c).append(" = ").append(w).append(" < 0 ? 0 : ").append(w).append("; ")
            .append(c).append(" < ").append(w).append(" + ").append(WINDOW).append("LL && ").append(c).append(" < ")
            .append(shape[a]).append("LL; ").append(c).append("++) {\n");
      }
      in += "  ";
    }
    String value;
    if (l == 0) {
      StringBuilder at = new StringBuilder("base");
      for (int a : reduced) {
        at.append(" + c0_").append(a).append(" * ").append(strides[a]).append("LL");
      }
      value = "x[" + at + "]";
    } else {
      s.append(in).append("sl_c64 acc").append(l - 1).append(" = ").append(start).append(";\n");
      foldLevel(s, l - 1, levels, reduced, strides, step, start, in);
      value = "acc" + (l - 1);
    }
    s.append(in).append("acc").append(l).append(" = ").append(step).append("(acc").append(l).append(", ").append(value)
        .append(");\n");
    for (int k = reduced.length - 1; k >= 0; k--) {
      in = in.substring(2);
      s.append(in).append("}\n");
    }
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
