package dev.statelens.debugger.model;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Pytree paths ({@code state.optState.mu.blocks[0].mlp.up.w}) shortened to a width, for the state
 * flow's boxes and the charts' legends. No SWT here: each caller measures in its own units
 * (pixels of a GC, characters of a legend).
 */
public final class PathText {
  private PathText() {}

  /**
   * A pytree path shortened to {@code width}: as many of its last whole segments as fit, after its
   * root when that fits too ({@code state.…mu.conv1.wSelf}, else {@code …mu.conv1.wSelf}), and after
   * the list index that the cut left out ({@code …[1]…query.w}: which block); cut in its middle,
   * twice as much kept of the end as of the start, when not even the last segment fits. Whole
   * segments, because the leaf end tells leaves apart (Adam's {@code mu} from its {@code nu}), and a
   * cut at the character ("state.o…u.conv1.wSelf", "state.pa…ention.query.w") lost exactly that.
   */
  public static String fit(String path, int width, ToIntFunction<String> measure) {
    if (measure.applyAsInt(path) <= width) {
      return path;
    }
    List<Integer> starts = segmentStarts(path);
    if (starts.size() > 1) {
      String root = path.substring(0, starts.get(1));
      root = root.endsWith(".") ? root : root + ".";
      for (boolean withIndex : new boolean[] {true, false}) {
        for (int i = 1; i < starts.size(); i++) { // the longest tail first; with the root when that fits too
          String index = droppedIndex(path, starts, i);
          if (!withIndex && index.isEmpty()) {
            continue; // no index left out here: the first pass measured these candidates already
          }
          index = withIndex ? index : "";
          String tail = path.substring(starts.get(i));
          tail = tail.startsWith(".") ? tail.substring(1) : tail;
          for (String head : List.of(root, "")) {
            String candidate = head + "…" + index + tail;
            if (measure.applyAsInt(candidate) <= width) {
              return candidate;
            }
          }
        }
      }
    }
    return cutMiddle(path, width, measure);
  }

  /** The last list index ("[1]") among the segments before segment {@code i}, with its "…", or "". */
  private static String droppedIndex(String path, List<Integer> starts, int i) {
    for (int k = i - 1; k >= 1; k--) {
      if (path.charAt(starts.get(k)) == '[') {
        int end = path.indexOf(']', starts.get(k));
        return path.substring(starts.get(k), end + 1) + "…";
      }
    }
    return "";
  }

  /** Where each segment of a path starts: at 0, after each '.', at each '['. */
  private static List<Integer> segmentStarts(String path) {
    List<Integer> starts = new java.util.ArrayList<>(List.of(0));
    for (int i = 1; i < path.length(); i++) {
      if (path.charAt(i) == '.' && i + 1 < path.length()) {
        starts.add(i + 1);
      } else if (path.charAt(i) == '[' && path.charAt(i - 1) != '.') {
        starts.add(i);
      }
    }
    return starts;
  }

  private static String cutMiddle(String path, int width, ToIntFunction<String> measure) {
    String head = path.substring(0, path.length() / 2);
    String tail = path.substring(path.length() / 2);
    while (head.length() + tail.length() > 2 && measure.applyAsInt(head + "…" + tail) > width) {
      if (head.length() > tail.length() / 2) {
        head = head.substring(0, head.length() - 1); // keep twice as much of the leaf end as of the root
      } else {
        tail = tail.substring(1);
      }
    }
    return head + "…" + tail;
  }
}
