package dev.statelens.debugger.model;

import dev.statelens.engine.record.store.RunStore;
import java.util.List;

/**
 * Whether a step of a function has leaf values, and if not, the nearest steps that do. A run
 * recorded with {@code -Dstatelens.record.every=k} keeps values only every k-th step (and at
 * retraces and stale-state calls); a failed call has none either. The views show
 * {@link #message()} instead of an empty state tree, with {@link #before()} / {@link #after()} to
 * jump to.
 *
 * @param every the run's {@code statelens.record.every} (1: values at every call)
 * @param before the nearest earlier step with values, or null
 * @param after the nearest later step with values, or null
 */
public record StepValues(String function, long step, boolean present, int every, Long before, Long after) {

  /** Reads whether {@code step} has values and, if not, the nearest steps in first..last that have. */
  public static StepValues at(RunStore store, String function, long step, long first, long last) {
    return store.hasState(function, step) ? new StepValues(function, step, true, store.recordEvery(), null, null)
        : without(store, function, step, first, last);
  }

  /** A step known to have no values, with the nearest steps in first..last that have. */
  static StepValues without(RunStore store, String function, long step, long first, long last) {
    int every = store.recordEvery();
    return new StepValues(function, step, false, every, nearest(store, function, step, first, every, false),
        nearest(store, function, step, last, every, true));
  }

  /**
   * Searches outward from {@code step} in windows that start at k steps and double, so a sparse
   * run costs a query or two and a run with a long gap (failed calls) still finds its neighbour.
   */
  private static Long nearest(RunStore store, String function, long step, long bound, int every, boolean later) {
    long window = Math.max(every, 16);
    while (later ? step < bound : step > bound) {
      long from = later ? step + 1 : Math.max(bound, step - window);
      long to = later ? Math.min(bound, step + window) : step - 1;
      List<Long> steps = store.stateSteps(function, from, to);
      if (!steps.isEmpty()) {
        return later ? steps.getFirst() : steps.getLast();
      }
      if (later ? to >= bound : from <= bound) {
        return null;
      }
      window *= 2;
    }
    return null;
  }

  /** The nearest steps with values, earlier first (none, one or two). */
  public List<Long> nearest() {
    return java.util.stream.Stream.of(before, after).filter(java.util.Objects::nonNull).toList();
  }

  /** The nearest step with values, the earlier on a tie; null when the function has none. */
  public Long closest() {
    if (before == null || after == null) {
      return before != null ? before : after;
    }
    return step - before <= after - step ? before : after;
  }

  /** "values every 100 steps" for a sparse run, "" for one with values at every call. */
  public static String everyLabel(int every) {
    return every > 1 ? "values every " + every + " steps" : "";
  }

  /** Says why the step has no values and where the nearest are; "" when it has them. */
  public String message() {
    if (present) {
      return "";
    }
    String why = every > 1
        ? "this run keeps values every " + every + " steps (-Dstatelens.record.every=" + every + ")"
        : "the call recorded none (it failed, or the step was not recorded)";
    List<Long> near = nearest();
    String where = near.isEmpty() ? "No step of " + function + " has values."
        : "Nearest: " + String.join(" · ", near.stream().map(s -> "step " + s).toList());
    return "Step " + step + " has no values: " + why + ". " + where;
  }
}
