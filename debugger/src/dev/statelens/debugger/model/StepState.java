package dev.statelens.debugger.model;

import dev.statelens.engine.record.store.CallInfo;
import dev.statelens.engine.record.store.EventInfo;
import dev.statelens.engine.record.store.FunctionInfo;
import dev.statelens.engine.record.store.LeafDiff;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.StateLink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything shown for one selected step of one function: the call, its leaves as a tree (with
 * the change from the previous step), the state threading into the next step, and its events.
 * {@code values} says whether the step has leaf values at all (a run recorded with
 * {@code statelens.record.every} &gt; 1 keeps them only every k-th step) and where the nearest are;
 * {@code nextRecorded} whether the function's call at step + 1 is recorded (the links lead there).
 */
public record StepState(String function, long step, CallInfo call, List<StateNode> roots, List<StateLink> links,
    List<EventInfo> events, StepValues values, boolean nextRecorded) {

  /** Reads step {@code step} of {@code function} (and step - 1 for the deltas). */
  public static StepState load(RunStore store, String function, long step) {
    List<CallInfo> calls = store.calls(function, step, step);
    CallInfo call = calls.isEmpty() ? null : calls.getFirst();
    List<LeafSample> leaves = store.state(function, step);
    Map<String, LeafDiff> diffs = new HashMap<>();
    if (step > 0 && !store.calls(function, step - 1, step - 1).isEmpty()) {
      for (LeafDiff d : store.diff(function, step - 1, step).leaves()) {
        diffs.put(d.role() + ":" + d.path(), d);
      }
    }
    List<StateLink> links = store.links(function).stream().filter(l -> l.covers(step + 1)).toList();
    List<EventInfo> events = store.events().stream()
        .filter(e -> function.equals(e.function()) && e.step() != null && e.step() == step).toList();
    StepValues values = leaves.isEmpty() ? missing(store, function, step)
        : new StepValues(function, step, true, store.recordEvery(), null, null);
    // the last step recorded (a finished run's end, a paused run's latest) has no next call to thread into
    boolean nextRecorded = !store.calls(function, step + 1, step + 1).isEmpty();
    return new StepState(function, step, call, StateNode.build(leaves, diffs), links, events, values, nextRecorded);
  }

  /** The nearest steps with values, searched within the function's recorded steps. */
  private static StepValues missing(RunStore store, String function, long step) {
    FunctionInfo f = store.functions().stream().filter(x -> x.name().equals(function)).findFirst().orElse(null);
    long first = f == null ? step : RunSummary.firstStep(f);
    long last = f == null ? step : f.lastStep();
    return StepValues.without(store, function, step, first, last); // its leaves were just read: none
  }

  /** Whether the step has leaf values (false between the snapshots of a sparse run, or for a failed call). */
  public boolean hasValues() {
    return values.present();
  }

  public List<StateNode> leaves() {
    return roots.stream().flatMap(r -> r.leaves().stream()).toList();
  }

  public List<StateNode> leaves(String role) {
    return roots.stream().filter(r -> r.role().equals(role)).flatMap(r -> r.leaves().stream()).toList();
  }

  /** Paths of inputs flagged stale at this step. */
  public List<String> staleInputs() {
    return events.stream().filter(e -> "stale_state".equals(e.kind()) && e.path() != null).map(EventInfo::path).toList();
  }
}
