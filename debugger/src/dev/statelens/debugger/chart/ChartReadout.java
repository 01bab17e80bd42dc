package dev.statelens.debugger.chart;

import dev.statelens.debugger.model.Format;
import java.util.ArrayList;
import java.util.List;

/**
 * A chart's numbers in words, for whoever cannot see the drawing: a screen reader (the chart's
 * accessible name and value), a keyboard user (the box drawn at the crosshair) and the pointer's
 * tooltip. A custom-drawn chart is otherwise one picture with nothing to read.
 */
public final class ChartReadout {
  private ChartReadout() {}

  /** "Loss: 2 lines over steps 0–39" (the chart's accessible name), or the title alone without lines. */
  public static String summary(ChartSpec spec) {
    if (spec == null || spec.lines().isEmpty()) {
      return spec == null ? "Chart: no data" : spec.title() + ": no data";
    }
    long[] range = range(spec);
    int n = spec.lines().size();
    return spec.title() + ": " + n + (n == 1 ? " line" : " lines")
        + (range != null ? String.format(" over steps %,d–%,d", range[0], range[1]) : "");
  }

  /**
   * Each line's value at {@code step}: "loss 0.0345", or "grad_norm 0.98 … 1.2" where a point
   * holds several steps (a downsampled chart: their smallest and largest value); lines that have no
   * point at that step are left out. First "step 12".
   */
  public static List<String> at(ChartSpec spec, long step) {
    List<String> out = new ArrayList<>();
    if (spec == null || step < 0) {
      return out;
    }
    out.add(String.format("step %,d", step)); // "step 999,999", as the timeline and the step axis write it
    for (ChartLine l : spec.lines()) {
      int i = pointAt(l, step);
      if (i < 0) {
        continue;
      }
      double lo = l.series().lo()[i], hi = l.series().hi()[i];
      String value = lo == hi || Double.isNaN(lo) && Double.isNaN(hi) ? Format.num(lo)
          : Format.num(lo) + " … " + Format.num(hi);
      out.add(l.label() + " " + value);
    }
    return out;
  }

  /**
   * The pointer's tooltip over the plot at {@code step}: {@link #at}'s lines, one a line, or null
   * when no line has a point there (a lone "step 12" says nothing the axis does not).
   */
  public static String tooltip(ChartSpec spec, long step) {
    List<String> lines = at(spec, step);
    return lines.size() > 1 ? String.join("\n", lines) : null;
  }

  /** {@link #at} in one line, "; " between lines: the chart's accessible value. */
  public static String atAsText(ChartSpec spec, long step) {
    return String.join("; ", at(spec, step));
  }

  /**
   * How far ←/→ move a chart's crosshair: the steps of the finest line's points, so each press
   * reaches the next point (a million-step run downsampled to 1,000-step points moved one step, inside
   * the same point, and read the same values); 1 without points.
   */
  public static long keyStep(ChartSpec spec) {
    long finest = Long.MAX_VALUE;
    for (ChartLine l : spec == null ? List.<ChartLine>of() : spec.lines()) {
      if (l.series().size() > 0) {
        finest = Math.min(finest, Math.max(1, l.series().bucketSteps()));
      }
    }
    return finest == Long.MAX_VALUE ? 1 : finest;
  }

  /** The point of {@code line} whose steps hold {@code step}, or -1 (binary search: points are in step order). */
  static int pointAt(ChartLine line, long step) {
    long[] first = line.series().firstStep(), last = line.series().lastStep();
    int lo = 0, hi = first.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (last[mid] < step) {
        lo = mid + 1;
      } else if (first[mid] > step) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** The first and last step any line has, or null without points. */
  public static long[] range(ChartSpec spec) {
    if (spec == null) {
      return null;
    }
    long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
    for (ChartLine l : spec.lines()) {
      if (l.series().size() > 0) {
        first = Math.min(first, l.series().firstStep()[0]);
        last = Math.max(last, l.series().lastStep()[l.series().size() - 1]);
      }
    }
    return first <= last ? new long[] {first, last} : null;
  }
}
