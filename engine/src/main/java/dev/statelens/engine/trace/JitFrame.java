package dev.statelens.engine.trace;

import dev.statelens.engine.Array;
import dev.statelens.engine.TreeDef;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A jit trace in progress on this thread: the function, its traced arguments, and whether the
 * trace asked if a run is recorded ({@link RecordingTaps#consult}). The recorder's taps use it to
 * name a traced leaf by the argument path it came from ({@code params.weight}).
 */
public final class JitFrame {
  private static final ThreadLocal<ArrayDeque<JitFrame>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

  private final JitFunction function;
  private final List<Object> args;
  private final TreeDef argsDef;
  private final List<Array> argLeaves;
  private final StagingTrace trace;
  private boolean recordingDependent;
  private boolean tapsOn;

  private JitFrame(JitFunction function, List<Object> args, TreeDef argsDef, List<Array> argLeaves,
      StagingTrace trace) {
    this.function = function;
    this.args = args;
    this.argsDef = argsDef;
    this.argLeaves = argLeaves;
    this.trace = trace;
  }

  static JitFrame push(JitFunction function, List<Object> args, TreeDef argsDef, List<Array> argLeaves,
      StagingTrace trace) {
    JitFrame f = new JitFrame(function, args, argsDef, argLeaves, trace);
    STACK.get().push(f);
    return f;
  }

  static void pop(JitFrame f) {
    STACK.get().remove(f);
  }

  /** Every jit trace in progress here depends on whether a run is recorded ({@code on}). */
  static void markRecordingDependent(boolean on) {
    for (JitFrame f : STACK.get()) {
      f.recordingDependent = true;
      f.tapsOn = on;
    }
  }

  /** The jit trace that is the innermost trace now, or null (eager, makeJaxpr, a cond/scan body). */
  public static JitFrame current() {
    JitFrame f = STACK.get().peek();
    return f != null && TraceStack.innermost() == f.trace ? f : null;
  }

  public JitFunction function() {
    return function;
  }

  /** The arguments as the traced function got them (tracers in the caller's structure). */
  public List<Object> args() {
    return args;
  }

  /** The structure of the argument list (one child per argument). */
  public TreeDef argsDef() {
    return argsDef;
  }

  /** The index of {@code a} among the flattened arguments (the call's input leaves), or -1. */
  public int argIndex(Array a) {
    Tracer t = a.tracer();
    if (t == null) {
      return -1;
    }
    for (int i = 0; i < argLeaves.size(); i++) {
      if (argLeaves.get(i).tracer() == t) {
        return i;
      }
    }
    return -1;
  }

  boolean recordingDependent() {
    return recordingDependent;
  }

  boolean tapsOn() {
    return tapsOn;
  }
}
