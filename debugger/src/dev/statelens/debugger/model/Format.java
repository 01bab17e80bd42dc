package dev.statelens.debugger.model;

import dev.statelens.engine.record.store.LeafSample;
import java.util.Arrays;
import java.util.Locale;

/** Number and leaf formatting shared by the tree, the flow picture and the clipboard. */
public final class Format {
  private Format() {}

  /** Up to 6 significant digits, scientific for very small/large magnitudes, "nan"/"inf" as NumPy. */
  public static String num(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e-4 && a < 1e6) {
      String s = String.format(Locale.ROOT, "%.6g", v);
      if (s.contains(".") && !s.contains("e")) {
        s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
      }
      return s;
    }
    return String.format(Locale.ROOT, "%.4e", v);
  }

  public static String num(Double v) {
    return v == null ? "-" : num(v.doubleValue());
  }

  public static String shape(int[] shape) {
    return shape.length == 0 ? "()" : Arrays.toString(shape).replace('[', '(').replace(']', ')');
  }

  /** The value for one-element leaves, all values for short ones, else the summary statistics. */
  public static String value(LeafSample s) {
    if (s.size() == 1 && s.values().length == 1) {
      return num(s.values()[0]);
    }
    if (!s.sampled() && s.values().length == s.size() && s.size() <= 6) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < s.values().length; i++) {
        b.append(i == 0 ? "" : ", ").append(num(s.values()[i]));
      }
      return b.append(']').toString();
    }
    return summary(s);
  }

  /** dtype and shape as the state tree writes them: "f32(32, 1)". */
  public static String type(LeafSample s) {
    return s.dtype().toString().toLowerCase(Locale.ROOT) + shape(s.shape());
  }

  /** One short value: the values of leaves of up to 6 elements (as {@link #value}), else the L2 norm. */
  public static String brief(LeafSample s) {
    if (s.size() <= 6 && !s.sampled() && s.values().length == s.size()) {
      return value(s);
    }
    return s.norm() == null ? "no finite values" : "‖·‖ " + num(s.norm());
  }

  /** How many values {@link #detail} lists. */
  public static final int DETAIL_VALUES = 16;

  /**
   * A leaf in a few short lines (the debugger's detail pane, often narrow): type and size, the value
   * of a one-element leaf or the statistics, NaN/Inf counts, the first values.
   */
  public static String detail(String path, LeafSample s) {
    StringBuilder b = new StringBuilder(path).append("  ").append(type(s)).append(", ").append(s.size())
        .append(s.size() == 1 ? " element" : " elements").append('\n');
    if (s.size() == 1 && s.values().length == 1) {
      return b.append("value ").append(num(s.values()[0])).append('\n')
          .append("NaN ").append(s.nan()).append("  Inf ").append(s.inf()).toString();
    }
    b.append(s.mean() == null ? "no finite values"
        : "mean " + num(s.mean()) + "  std " + num(s.std()) + "\nmin " + num(s.min()) + "  max " + num(s.max())
            + "  ‖·‖ " + num(s.norm())).append('\n');
    b.append("NaN ").append(s.nan()).append("  Inf ").append(s.inf()).append('\n');
    int shown = Math.min(DETAIL_VALUES, s.values().length);
    b.append(s.sampled() ? "first " + shown + " of " + s.values().length + " recorded values (an evenly spaced sample)"
        : shown == s.size() ? "values" : "first " + shown + " of " + s.size() + " values").append(": [");
    for (int i = 0; i < shown; i++) {
      b.append(i == 0 ? "" : ", ").append(num(s.values()[i]));
    }
    return b.append(shown < s.values().length ? ", …]" : "]").toString();
  }

  /** mean ± std, [min, max], L2 norm. */
  public static String summary(LeafSample s) {
    if (s.mean() == null) {
      return "no finite values";
    }
    return "mean " + num(s.mean()) + " ± " + num(s.std()) + "  [" + num(s.min()) + ", " + num(s.max()) + "]  ‖·‖ "
        + num(s.norm());
  }

  /** The clipboard text of a leaf's values: all recorded values, or a note that they are a sample. */
  public static String values(LeafSample s) {
    StringBuilder b = new StringBuilder();
    if (s.sampled()) {
      b.append("# ").append(s.values().length).append(" of ").append(s.size())
          .append(" elements (evenly spaced sample); ").append(summary(s)).append('\n');
    }
    b.append('[');
    for (int i = 0; i < s.values().length; i++) {
      b.append(i == 0 ? "" : ", ").append(num(s.values()[i]));
    }
    return b.append(']').toString();
  }

  /** "2 NaN, 1 Inf", or "" when all elements are finite. */
  public static String badges(LeafSample s) {
    StringBuilder b = new StringBuilder();
    if (s.nan() > 0) {
      b.append(s.nan()).append(" NaN");
    }
    if (s.inf() > 0) {
      b.append(b.isEmpty() ? "" : ", ").append(s.inf()).append(" Inf");
    }
    return b.toString();
  }

  /**
   * A leaf's relative change: "new" when it grew from all zeros, "inf" when an element overflowed
   * to ±Inf (the change itself is infinite), "-" when NaN makes it meaningless.
   */
  public static String percent(dev.statelens.engine.record.store.LeafDiff d) {
    return Double.isInfinite(d.deltaNorm()) ? "inf" : percent(d.relativeChange());
  }

  public static String percent(double relative) {
    if (Double.isInfinite(relative)) {
      return "new";
    }
    if (Double.isNaN(relative)) {
      return "-";
    }
    double p = relative * 100;
    return (Math.abs(p) >= 0.01 || p == 0 ? String.format(Locale.ROOT, "%.2f", p) : String.format(Locale.ROOT, "%.1e", p))
        + "%";
  }
}
