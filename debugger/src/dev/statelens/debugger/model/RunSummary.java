package dev.statelens.debugger.model;

import dev.statelens.engine.record.store.EventInfo;
import dev.statelens.engine.record.store.FunctionInfo;
import dev.statelens.engine.record.store.RunFiles;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.SeriesInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * What the views need to lay out a run without reading its steps: functions (with call counts),
 * events, logged scalars, the total number of calls, whether the recording finished, how often
 * it kept leaf values ({@code statelens.record.every}), and the recording process ({@code meta.pid},
 * -1 when unknown) and whether it is still alive on this machine, and which functions thread state
 * (an output of one call is an input of the next: the training step).
 */
public record RunSummary(List<FunctionInfo> functions, List<EventInfo> events, List<SeriesInfo> scalars,
    long calls, boolean finished, int recordEvery, long pid, boolean writerAlive, Set<String> threadingState) {

  public static RunSummary load(RunStore store) {
    boolean finished = store.isFinished();
    long pid = RunFiles.pid(store.meta());
    // a run whose status is still "running" is either being written or was left by a killed process
    // (this process: exactly, by its open writers; another: while it is alive)
    boolean alive = !finished && pid > 0 && RunFiles.writerAlive(pid, store.path());
    List<FunctionInfo> functions = store.functions();
    // one query on the state_links index; reading every link of every function cost a big run seconds
    Set<String> threading = Set.copyOf(store.functionsThreadingState());
    // the calls of all functions: summed here, not read again (store.callCount() is a second pass over calls)
    long calls = functions.stream().mapToLong(FunctionInfo::calls).sum();
    return new RunSummary(functions, store.events(), store.scalars(), calls, finished,
        store.recordEvery(), pid, alive, threading);
  }

  /** Still being recorded by a live process (the view re-reads it, as a launched run). */
  public boolean beingRecorded() {
    return !finished && writerAlive;
  }

  /** The recording process ended without closing the run (killed, crashed, or halted). */
  public boolean endedEarly() {
    return !finished && !writerAlive;
  }

  /** The last recorded step of the main function, or -1 when nothing was recorded. */
  public long lastStep() {
    FunctionInfo f = mainFunction();
    return f == null ? -1 : f.lastStep();
  }

  /**
   * What the recording's state means for the reader, or "" for a finished run: "being recorded by
   * process 4711; re-read every second" or "the process (pid 4711) stopped at step 4,611 without
   * closing the run: this is what it recorded".
   */
  public String recordingNote() {
    if (finished) {
      return "";
    }
    String process = pid > 0 ? "process " + pid : "the recording process";
    if (writerAlive) {
      return "being recorded by " + process + "; re-read every second";
    }
    // grouped as the calls before it and the timeline's label: "380,624 calls, … stopped at step 380,623"
    String where = lastStep() >= 0 ? " at step " + String.format("%,d", lastStep()) : " before its first jitted call";
    return (pid > 0 ? "the process (pid " + pid + ")" : "the recording process") + " stopped" + where
        + " without closing the run: this is what it recorded";
  }

  /** "values every k steps" for a run recorded with {@code statelens.record.every=k} &gt; 1, else "". */
  public String valuesLabel() {
    return StepValues.everyLabel(recordEvery);
  }

  /**
   * The training step, or null for an empty run: of the functions that thread state, the one called
   * most often; the most called function when none does. (A transformer run calls its jitted batch
   * sampler as often as its step, and first: by calls alone it opened on the sampler.)
   */
  public FunctionInfo mainFunction() {
    return functions.stream().max(Comparator.comparing((FunctionInfo f) -> threadingState.contains(f.name()))
        .thenComparingLong(FunctionInfo::calls)).orElse(null);
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
