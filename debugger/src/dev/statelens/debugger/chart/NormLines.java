package dev.statelens.debugger.chart;

import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lines of the "Gradient &amp; update norms" chart, read from the logged scalars the recorder
 * writes (docs/run-store.md): the global {@code grad_norm} and {@code update_norm}, and for each
 * selected leaf its {@code grad_norm/<path>}, {@code update_norm/<path>} and
 * {@code update_ratio/<path>}. A leaf's gradient norm is found under its own path
 * ({@code grad_norm/params.weight}, as {@code Optim} names it) or under its path inside the
 * argument ({@code grad_norm/.weight}, as {@code Recorder.gradNorms} names it).
 */
public final class NormLines {
  public static final String GRAD = "grad_norm";
  public static final String UPDATE = "update_norm";
  public static final String RATIO = "update_ratio";
  /** Shown instead of the chart for runs without norms (older files, no optimizer, no state). */
  public static final String HINT = "No gradient norms recorded \u2014 use Optim or Recorder.gradNorms(grads).\n"
      + "Update norms appear once state is threaded from one step to the next.";
  /** Leaves charted at most, as in the leaf chart. */
  static final int MAX_LEAVES = 8;

  private NormLines() {}

  /** What to draw: the lines and the chart's title (which says what is missing). */
  public record Result(String title, List<ChartLine> lines) {}

  /** Whether a scalar is one of these norms (the Scalars chart leaves them to this chart). */
  public static boolean isNormSeries(String name) {
    for (String prefix : new String[] {GRAD, UPDATE, RATIO}) {
      if (name.equals(prefix) || name.startsWith(prefix + "/")) {
        return true;
      }
    }
    return false;
  }

  /** Reads the lines for {@code leafPaths} (state tree paths; may be empty), downsampled to {@code points}. */
  public static Result read(RunStore st, List<String> leafPaths, int points, long from, long to) {
    Map<String, SeriesInfo> byName = new HashMap<>();
    for (SeriesInfo info : st.scalars()) {
      if (isNormSeries(info.path())) {
        byName.put(info.path(), info);
      }
    }
    List<String> names = new ArrayList<>();
    add(names, byName, GRAD);
    add(names, byName, UPDATE);
    for (String path : leafPaths.stream().distinct().limit(MAX_LEAVES).toList()) {
      if (!add(names, byName, GRAD + "/" + path)) {
        String inside = insideArgument(path);
        if (inside != null) {
          add(names, byName, GRAD + "/" + inside);
        }
      }
      add(names, byName, UPDATE + "/" + path);
      add(names, byName, RATIO + "/" + path);
    }
    List<ChartLine> lines = new ArrayList<>(names.size());
    for (String n : names) {
      lines.add(new ChartLine(n, st.series(byName.get(n), Stat.MEAN, points, from, to)));
    }
    String title = "Gradient & update norms";
    if (!lines.isEmpty() && !byName.containsKey(GRAD)) {
      // Short enough to fit the chart's width on one line.
      title = "Update norms (no gradient norms: use Optim or Recorder.gradNorms)";
    } else if (!lines.isEmpty() && !byName.containsKey(UPDATE)) {
      title += " (no update norms: no state threaded from step to step)";
    }
    return new Result(title, lines);
  }

  private static boolean add(List<String> names, Map<String, SeriesInfo> byName, String name) {
    if (byName.containsKey(name) && !names.contains(name)) {
      names.add(name);
      return true;
    }
    return false;
  }

  /** {@code params.weight} → {@code .weight}, {@code layers[0].w} → {@code [0].w}; null for a lone argument. */
  static String insideArgument(String path) {
    for (int i = 1; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '.' || c == '[') {
        return path.substring(i);
      }
    }
    return null;
  }
}
