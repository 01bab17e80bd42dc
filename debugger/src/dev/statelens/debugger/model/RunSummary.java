package dev.statelens.debugger.model;

import dev.statelens.engine.record.store.EventInfo;
import dev.statelens.engine.record.store.FunctionInfo;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.SeriesInfo;
import java.util.Comparator;
import java.util.List;

/**
 * What the views need to lay out a run without reading its steps: functions (with call counts),
 * events, logged scalars, the total number of calls, whether the recording finished, and how often
 * it kept leaf values ({@code statelens.record.every}).
 */
public record RunSummary(List<FunctionInfo> functions, List<EventInfo> events, List<SeriesInfo> scalars,
    long calls, boolean finished, int recordEvery) {

  public static RunSummary load(RunStore store) {
    return new RunSummary(store.functions(), store.events(), store.scalars(), store.callCount(), store.isFinished(),
        store.recordEvery());
  }

  /** "values every k steps" for a run recorded with {@code statelens.record.every=k} &gt; 1, else "". */
  public String valuesLabel() {
    return StepValues.everyLabel(recordEvery);
  }

  /** The function called most often (the training step), or null for an empty run. */
  public FunctionInfo mainFunction() {
    return functions.stream().max(Comparator.comparingLong(FunctionInfo::calls)).orElse(null);
  }

  public FunctionInfo function(String name) {
    return functions.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
  }

  /** Steps of a function run from 0 to {@code lastStep} (JitFunction counts its calls from 0). */
  public static long firstStep(FunctionInfo f) {
    return Math.max(0, f.lastStep() - f.calls() + 1);
  }

  /** Events of {@code function} that name a step (timeline markers). */
  public List<EventInfo> eventsOf(String function) {
    return events.stream().filter(e -> e.step() != null && function.equals(e.function())).toList();
  }
}
