package dev.statelens.engine.record;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.UnexpectedTracerError;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.record.live.LiveControl;
import dev.statelens.engine.record.store.EventKind;
import dev.statelens.engine.record.store.RecordNorms;
import dev.statelens.engine.record.store.RunWriter;
import dev.statelens.engine.record.store.WriteTask;
import dev.statelens.engine.trace.CompiledGraph;
import dev.statelens.engine.trace.JitCall;
import dev.statelens.engine.trace.JitFunction;
import dev.statelens.engine.trace.JitListener;
import dev.statelens.engine.trace.JitListeners;
import dev.statelens.engine.trace.RecordingTaps;
import dev.statelens.engine.trace.TraceStack;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records every top-level call of every jitted function into a run store (one SQLite file per
 * run; see docs/run-store.md): step, timing, compile vs cached and why it retraced, each input
 * and output leaf by path (statistics and values), scalars, each compiled graph once, state
 * threading, and events (first NaN/Inf, retraces, stale state, tracer leaks).
 *
 * <p>Switched on without changing the program by {@code -Dstatelens.record=runs/x.db} or
 * {@code STATELENS_RECORD=runs/x.db} (read at the first jit call; closed at JVM exit), or from
 * code with {@link #open(Path)}. One recorder is active at a time.
 *
 * <p>The calling thread only builds a small record per call; leaf statistics and SQLite writes
 * happen on the writer's background thread, committed in batches.
 */
public final class Recorder implements AutoCloseable {
  private static volatile Recorder current;

  private final RunWriter writer;
  private final Listener listener = new Listener();
  private final Map<JitFunction, FunctionState> functions = new IdentityHashMap<>(); // guarded by this
  private JitFunction lastFunction; // guarded by this
  private FunctionState lastFunctionState;
  private volatile RunObserver observer;
  /** The live channel attached ({@link #attach}), and its paused time then: the run's pauses are what it adds. */
  private volatile LiveControl live;
  private volatile long pausedBeforeAttach;
  /** Function names by the store's function id (the writer's events name only the id). */
  private final Map<Integer, String> functionNames = new java.util.concurrent.ConcurrentHashMap<>();
  private long nextSeq;
  private long lastStep;
  private int nextGraphId;
  private int nextFunctionId = 1;
  private boolean closed; // guarded by this
  private final long startNanos = System.nanoTime();
  /** The top-level call running on this thread, if any, and the norms its taps delivered. */
  private final ThreadLocal<CallScratch> scratch = ThreadLocal.withInitial(CallScratch::new);
  /** Value snapshots every this many steps of a function (1: every call). */
  private final int every;

  private Recorder(RunWriter writer) {
    this.writer = writer;
    this.every = writer.options().every();
  }

  /**
   * Starts recording to {@code path} with the options the settings give
   * ({@code -Dstatelens.record.every}, {@code -Dstatelens.record.maxValues} or their environment
   * variables), else the defaults (values up to 64 elements per leaf, at every call).
   */
  public static Recorder open(Path path) {
    return open(path, AutoStart.optionsFromSettings());
  }

  /**
   * Starts recording to {@code path}; an earlier run there is kept beside it (see RunWriter).
   *
   * @throws IllegalStateException if a run is already being recorded
   */
  public static synchronized Recorder open(Path path, RunWriter.Options options) {
    if (current != null) {
      throw new IllegalStateException("a run is already being recorded to " + current.path()
          + "; close that Recorder before opening " + path);
    }
    Recorder r = new Recorder(RunWriter.create(path, options));
    current = r;
    EarlyScalars.writeInto(r);
    if (RecordNorms.enabled()) {
      RecordingTaps.install(NormTap.OPTIMIZER); // Optim's updates traced from now on tap gradient norms
    }
    JitListeners.add(r.listener);
    LiveControl live = AutoStart.liveChannel();
    if (live != null) {
      // the IDE's channel opened at the first jit call, before this program-opened recorder: a
      // pause due at the end must come in this recorder's close, before the run is marked finished
      r.attach(live);
    }
    return r;
  }

  /** The active recorder, or null. */
  public static Recorder current() {
    return current;
  }

  /**
   * Logs a scalar (e.g. {@code Recorder.scalar("loss", loss)}) at the current step (the step of
   * the latest jitted call). Does nothing when no run is recorded, except before the program's
   * first jitted call while recording is switched on from outside ({@code -Dstatelens.record}, an
   * IDE launch): that recorder starts at the first jitted call, so the value (a setting such as
   * {@code lr}) is kept until then and written at step 0 (see {@link EarlyScalars}). Call it outside jitted
   * functions: inside, it would run once at trace time; return the value instead (an output leaf
   * named {@code loss} is logged automatically).
   */
  public static void scalar(String name, double value) {
    Recorder r = current;
    if (r != null) {
      r.logScalar(name, value, null);
    } else {
      EarlyScalars.keepIfRecordingStartsLater(name, value);
    }
  }

  /** Logs a one-element array as a scalar; see {@link #scalar(String, double)}. */
  public static void scalar(String name, Array value) {
    if (TraceStack.isTracing()) {
      throw new IllegalStateException("Recorder.scalar(\"" + name + "\", ...) was called inside a traced "
          + "function, where it would run once, at trace time. Return the value from the jitted function "
          + "instead (an output leaf named 'loss' is recorded automatically) and log it after the call.");
    }
    Recorder r = current;
    if (r != null) {
      if (value.size() != 1) {
        throw new IllegalArgumentException("Recorder.scalar(\"" + name + "\", x): x must have one element, got "
            + value.aval() + "; reduce it first (e.g. x.mean()).");
      }
      r.logScalar(name, Double.NaN, value);
    } else if (value.size() == 1 && EarlyScalars.keeping()) { // else unread: no device-to-host copy per step
      EarlyScalars.keepIfRecordingStartsLater(name, value.item());
    }
  }

  /**
   * Records the L2 norm of each leaf of {@code grads} as the scalar {@code grad_norm/<path>} (path
   * inside the tree, e.g. {@code .weight}) and the global norm as {@code grad_norm}, at the step of
   * the jitted call it runs in. Works inside jitted functions: the norms are computed in the graph
   * and handed over at run time (only these few numbers leave the device). While no run is
   * recorded it does nothing and adds nothing to the traced graph. {@code Optim}'s updates do this
   * for their gradients already.
   */
  public static void gradNorms(Object grads) {
    tapNorms("grad_norm", grads);
  }

  /**
   * Records the L2 norms of {@code tree}'s leaves as scalars {@code name/<path>} and their global
   * norm as {@code name}; see {@link #gradNorms}.
   */
  public static void tapNorms(String name, Object tree) {
    if (name == null || name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException("Recorder.tapNorms: the name must be non-empty and without '/', got '"
          + name + "' (leaf norms are logged as name/<path>)");
    }
    if (RecordingTaps.consult() != null) {
      NormTap.tap(name, tree);
    }
  }

  /**
   * Names the arguments of a jitted function for leaf paths ({@code params.weight} instead of
   * {@code arg0.weight}). {@code jitted} is what {@code Transforms.jit} returned. May be called
   * before recording starts.
   */
  public static void argNames(Object jitted, String... names) {
    LeafNames.setArgNames(Transforms.jitInfo(jitted), Arrays.asList(names));
  }

  public Path path() {
    return writer.path();
  }

  public RunWriter writer() {
    return writer;
  }

  /** Blocks until everything recorded so far is committed to the file. */
  public void flush() {
    writer.flush();
  }

  /**
   * Lets a live control channel hear this run's events (forwarded to the IDE, and checked by
   * {@code runUntil event}) and losses ({@code runUntil lossAbove}).
   */
  public void attach(LiveControl live) {
    this.pausedBeforeAttach = live.pausedNanos();
    this.live = live;
    live.numberStepsBy(this::stepAtStart); // one numbering: the live channel's steps are the run file's
    live.flushBy(this::flush); // every call committed before a pause, in this run's file
    this.observer = new RunObserver() {
      @Override
      public void event(String kind, String function, long step, String message) {
        live.eventObserved(kind, function, step, message);
      }

      @Override
      public void scalar(String name, double value) {
        if (name.equals("loss")) {
          live.lossObserved(value);
        }
      }

      @Override
      public boolean wantsLoss() {
        return live.wantsLoss();
      }

      @Override
      public void closing() {
        live.pauseAtExit();
      }
    };
    // the first NaN/Inf in a leaf is found by the writer, which reads the values
    writer.onEvents((kind, functionId, step, message) ->
        live.eventObserved(kind, functionNames.getOrDefault(functionId, "?"), step, message));
  }

  /**
   * Stops recording, commits what is queued, marks the run finished. Idempotent. With a live
   * channel attached whose break (or step, or pause) is due at a next call that never came, the
   * program pauses here first, on the last call, before the run is marked finished.
   */
  @Override
  public void close() {
    synchronized (Recorder.class) {
      if (current == this) {
        current = null;
        RecordingTaps.uninstall(NormTap.OPTIMIZER);
      }
    }
    JitListeners.remove(listener);
    writeAllEnded();
    RunObserver o = observer;
    if (o != null) {
      o.closing();
    }
    writer.submit(new WriteTask.Meta("paused_ms", Long.toString(pausedMillis())));
    writer.close();
  }

  /**
   * How long this run sat paused in the debugger (its live channel's pauses since it attached), so
   * a comparison can show training time without them; 0 without a channel.
   */
  long pausedMillis() {
    LiveControl l = live;
    return l == null ? 0 : (l.pausedNanos() - pausedBeforeAttach) / 1_000_000;
  }

  /** Norms from a tap: kept for the call running on this thread, or (eager) logged at the current step. */
  void tapped(NormTap.Labels labels, double[] norms) {
    CallScratch taps = scratch.get();
    NormTap.forEachScalar(labels, norms, taps.inCall ? taps : (n, v) -> logScalar(n, v, null));
  }

  /**
   * Per thread, reused for every call (no allocation, no ThreadLocal set/remove per call): whether
   * a recorded top-level call runs on this thread, and the scalars its taps delivered, logged with
   * that call once its step and seq are known.
   */
  private static final class CallScratch implements NormTap.ScalarSink {
    boolean inCall;
    int n;
    String[] names = new String[8];
    double[] values = new double[8];

    void begin() {
      inCall = true;
      n = 0;
    }

    @Override
    public void accept(String name, double value) {
      if (n == names.length) {
        names = Arrays.copyOf(names, 2 * n);
        values = Arrays.copyOf(values, 2 * n);
      }
      names[n] = name;
      values[n++] = value;
    }

    /** The tap scalars as arrays for the writer (names, values), or null when none. */
    Object[] take() {
      inCall = false;
      if (n == 0) {
        return null;
      }
      Object[] t = {Arrays.copyOf(names, n), Arrays.copyOf(values, n)};
      n = 0;
      return t;
    }
  }

  synchronized void logScalar(String name, double value, Array array) {
    long seq = nextSeq; // the scalar belongs to the latest call
    if (array != null) {
      value = array.item();
    }
    writer.submit(new WriteTask.Scalar(name, lastStep, Math.max(0, seq - 1), value, null));
    RunObserver o = observer;
    if (o != null) {
      o.scalar(name, value);
    }
  }

  /**
   * Per jitted function: its id, graphs seen, state threading, and the calls in flight.
   *
   * <p>Steps are numbered when a call starts (from 0 at the first call this recorder saw start),
   * but calls of one function from several threads can end in any order. A call that ends before
   * an earlier-numbered one waits in {@link #pending} and is written when every earlier call has
   * ended, so the store holds each function's calls in step order (its chunks, links and refs
   * rely on that).
   */
  private static final class FunctionState {
    final int id;
    final StateTracker tracker = new StateTracker();
    final Map<CompiledGraph, GraphMeta> graphs = new IdentityHashMap<>();
    CompiledGraph lastGraph;
    GraphMeta lastGraphMeta;
    List<String> lastOutPaths;
    /** Whether functions.source was written: after a successful call (final), or only after a failed one. */
    boolean sourceFinal, sourceAfterFailure;

    /** The recorded step of the next call to start. */
    long nextStep;
    /**
     * The common case without maps: the one call of this function in flight (engine call count,
     * or -1), its step and thread. A second call starting moves it into the maps below.
     */
    long soloCount = -1;
    long soloStep;
    Thread soloThread;
    /** Engine call count (JitCall.step) → recorded step, for the calls in flight. */
    final Map<Long, Long> stepOf = new HashMap<>();
    /** The call each thread has in flight (engine call count): one top-level call per thread at a time. */
    final Map<Thread, Long> running = new HashMap<>();
    /** Recorded step → its write (null while the call runs), for calls started and not yet written. */
    final TreeMap<Long, Runnable> pending = new TreeMap<>();

    FunctionState(int id) {
      this.id = id;
    }
  }

  private record GraphMeta(int id, List<String> inPaths, List<String> outPaths, int[] pairs, int lossIndex) {}

  /** The function's state, or null when it was never seen (the last one is cached: loops call one function). */
  private FunctionState known(JitFunction f) {
    if (f == lastFunction) {
      return lastFunctionState;
    }
    FunctionState fs = functions.get(f);
    if (fs != null) {
      lastFunction = f;
      lastFunctionState = fs;
    }
    return fs;
  }

  private FunctionState function(JitFunction f) {
    FunctionState fs = known(f);
    if (fs == null) {
      fs = continued(f);
      if (fs == null) {
        fs = new FunctionState(nextFunctionId++);
        functionNames.put(fs.id, f.name());
        writer.submit(new WriteTask.Function(fs.id, f.name()));
      }
      functions.put(f, fs);
    }
    return fs;
  }

  /**
   * A jit created anew at its predecessor's site (inside a loop, say) continues the predecessor's
   * function: the same row, steps and state threading, so the timeline shows one function whose
   * steps are marked "retraced: jit created anew at ...". The predecessor is let go (with its
   * graphs): one wrapper per step must not pile up. Null when there is none to continue, or it
   * still has a call in flight (then the two are used side by side).
   */
  private FunctionState continued(JitFunction f) {
    JitFunction before = f.predecessor();
    FunctionState fs = before == null ? null : functions.get(before);
    if (fs == null || fs.soloCount >= 0 || !fs.stepOf.isEmpty()) {
      return null;
    }
    functions.remove(before);
    for (CompiledGraph g : before.graphs()) {
      fs.graphs.remove(g);
    }
    if (lastFunction == before) {
      lastFunction = null;
      lastFunctionState = null;
    }
    return fs;
  }

  /** A call starts: it gets the function's next step. */
  private synchronized void started(JitFunction f, long callCount) {
    if (closed) {
      return;
    }
    FunctionState fs = function(f);
    if (fs.soloCount == callCount || (!fs.stepOf.isEmpty() && fs.stepOf.containsKey(callCount))) {
      return; // already numbered (the live channel asked first)
    }
    scratch.get().begin();
    Thread me = Thread.currentThread();
    if (fs.soloCount >= 0) {
      if (fs.soloThread == me) {
        fs.soloCount = -1; // abandoned: see below
      } else { // a second call in flight: number both through the maps
        fs.stepOf.put(fs.soloCount, fs.soloStep);
        fs.running.put(fs.soloThread, fs.soloCount);
        fs.pending.put(fs.soloStep, null);
        fs.soloCount = -1;
        fs.soloThread = null;
      }
    }
    if (fs.stepOf.isEmpty() && fs.pending.isEmpty()) {
      fs.soloCount = callCount;
      fs.soloStep = fs.nextStep++;
      fs.soloThread = me;
      return;
    }
    Long abandoned = fs.running.put(Thread.currentThread(), callCount);
    if (abandoned != null) {
      // this thread's previous call never reported its end (another listener's beforeCall threw
      // before it ran): it did not happen, and must not hold back the calls after it
      Long s = fs.stepOf.remove(abandoned);
      if (s != null) {
        fs.pending.remove(s);
      }
    }
    long step = fs.nextStep++;
    fs.stepOf.put(callCount, step);
    fs.pending.put(step, null);
    writeReady(fs);
  }

  /**
   * The recorded step of a call that is starting (numbering it now if its start was not seen yet),
   * or -1 when this recorder does not record it (closed). The live control channel numbers its
   * steps by this, so "pause at step N" and the run file agree with several calling threads.
   */
  public synchronized long stepAtStart(JitFunction f, long callCount) {
    started(f, callCount);
    FunctionState fs = known(f);
    if (fs != null && fs.soloCount == callCount) {
      return fs.soloStep;
    }
    Long step = fs == null ? null : fs.stepOf.get(callCount);
    return step == null ? -1 : step;
  }

  /**
   * A call ended: {@code write} records it under its step, now or once the calls started before
   * it have ended. Calls that started before this recorder opened (or after it closed) are skipped.
   */
  private synchronized void ended(JitFunction f, long callCount, java.util.function.LongConsumer write) {
    FunctionState fs = known(f);
    if (fs == null) {
      return;
    }
    long solo = endSolo(fs, callCount);
    if (solo >= 0) {
      write.accept(solo);
      return;
    }
    fs.running.remove(Thread.currentThread(), callCount);
    Long step = fs.stepOf.remove(callCount);
    if (step == null) {
      return;
    }
    fs.pending.put(step, () -> write.accept(step));
    writeReady(fs);
  }

  /** Writes the function's ended calls that no earlier call is still running before. */
  private void writeReady(FunctionState fs) {
    while (!fs.pending.isEmpty() && fs.pending.firstEntry().getValue() != null) {
      Runnable write = fs.pending.pollFirstEntry().getValue();
      try {
        write.run();
      } catch (RuntimeException e) {
        listener.report(e);
      }
    }
  }

  /** At close: writes every ended call still waiting, in step order; calls still running are dropped. */
  private synchronized void writeAllEnded() {
    closed = true;
    for (FunctionState fs : functions.values()) {
      for (Runnable write : fs.pending.values()) {
        if (write != null) {
          try {
            write.run();
          } catch (RuntimeException e) {
            listener.report(e);
          }
        }
      }
      fs.pending.clear();
      fs.stepOf.clear();
      fs.running.clear();
      fs.soloCount = -1;
      fs.soloThread = null;
    }
  }

  /** A call ended normally: recorded at once in the common case (no other call of it in flight). */
  private synchronized void endedCall(JitCall call, Object[] taps) {
    FunctionState fs = known(call.function());
    long solo = fs == null ? -1 : endSolo(fs, call.step());
    if (solo >= 0) {
      record(call, solo, taps); // no lambda for the common case
      return;
    }
    ended(call.function(), call.step(), step -> record(call, step, taps));
  }

  /** Ends call {@code callCount} if it is the function's one call in flight: its step, else -1. */
  private static long endSolo(FunctionState fs, long callCount) {
    if (fs.soloCount != callCount) {
      return -1;
    }
    fs.soloCount = -1;
    fs.soloThread = null;
    return fs.soloStep;
  }

  /**
   * Whether call {@code step} keeps a value snapshot: every {@code every}-th step, and always the
   * first call of a graph (a retrace) and a call with stale state (so its event can be inspected).
   */
  private boolean snapshot(long step, JitCall call, StateTracker.Result threading) {
    return every == 1 || step % every == 0 || call.compiled() || !threading.stale().isEmpty();
  }

  private void record(JitCall call, long step, Object[] taps) {
    long seq = nextSeq++;
    FunctionState fs = function(call.function());
    lastStep = step;
    // A wrapper's first trace carries a reason only when it re-creates a jit made before it; if that
    // one ran before this run (a model built again in the same JVM), this run has traced nothing yet.
    String retraceReason = fs.lastGraph == null && call.function().graphs().size() == 1 ? null : call.retraceReason();
    GraphMeta gm = call.graph() == fs.lastGraph ? fs.lastGraphMeta : fs.graphs.get(call.graph());
    if (gm == null) {
      List<String> argNames = LeafNames.argNames(call.function(), call.args());
      List<String> inPaths = LeafNames.inputPaths(call.inputTree(), argNames);
      List<String> outPaths = LeafNames.outputPaths(call.outputTree(), call.result());
      List<Aval> inAvals = call.inputs().stream().map(Array::aval).toList();
      List<Aval> outAvals = call.outputs().stream().map(Array::aval).toList();
      int[] pairs = StateTracker.structuralPairs(call.inputTree(), inAvals, inPaths, call.outputTree(), outAvals, outPaths);
      int loss = -1;
      for (int j = 0; j < outPaths.size(); j++) {
        if (LeafNames.isLossPath(outPaths.get(j)) && outAvals.get(j).size() == 1) {
          loss = j;
          break;
        }
      }
      gm = new GraphMeta(nextGraphId++, inPaths, outPaths, pairs, loss);
      fs.graphs.put(call.graph(), gm);
      CompiledGraph g = call.graph();
      writer.submit(new WriteTask.Graph(gm.id(), fs.id, g.traceIndex(), seq, g.signature().toString(), inPaths,
          outPaths, g.jaxpr().toString(), GraphStructure.toJson(g.jaxpr(), inPaths, outPaths),
          Sources.leaves(call.inputTree()), Sources.leaves(call.outputTree()), Sources.equations(g.jaxpr())));
    }
    fs.lastGraph = call.graph();
    fs.lastGraphMeta = gm;
    if (!fs.sourceFinal) { // once per function: the first trace has shown which method it runs
      fs.sourceFinal = true;
      writer.submit(Sources.function(fs.id, call.function()));
    }
    StateTracker.Result threading = fs.tracker.observe(call.inputs(), gm.inPaths(), call.outputs(), gm.outPaths(), gm.pairs());
    String fn = call.function().name();
    RunObserver o = observer;
    if (call.compiled() && retraceReason != null) {
      String msg = "jit(" + fn + ") retraced at step " + step + ": " + retraceReason;
      event(seq, fs.id, step, EventKind.RETRACE, null, msg, o, fn);
    }
    for (StateTracker.Stale s : threading.stale()) {
      if (fs.tracker.firstStale(s.inPath())) {
        String msg = "stale state: jit(" + fn + ") step " + step + " got input " + s.inPath()
            + " that is not output " + s.outPath() + " of step " + (step - 1)
            + (s.reused() ? " (it is the same array step " + (step - 1) + " got: the new state was dropped)" : "")
            + ". Pass the state the previous call returned into the next call.";
        event(seq, fs.id, step, EventKind.STALE_STATE, s.inPath(), msg, o, fn);
      }
    }
    boolean values = snapshot(step, call, threading);
    Array loss = gm.lossIndex() >= 0 ? call.outputs().get(gm.lossIndex()) : null;
    // one hand-off per call: leaves, loss and tap scalars travel together (the taps, gradient
    // norms, belong to the value snapshot)
    writer.submit(new WriteTask.Call(seq, fs.id, step, gm.id(), call.compiled(), retraceReason,
        call.startNanos() - startNanos, call.wallNanos(), threading.stale().size(), null,
        gm.inPaths(), values ? call.inputs() : null, gm.outPaths(), values ? call.outputs() : null,
        threading.linkFrom(), previousOutPaths(fs, gm), loss,
        values && taps != null ? (String[]) taps[0] : null, values && taps != null ? (double[]) taps[1] : null));
    fs.lastOutPaths = gm.outPaths();
    if (loss != null && o != null && o.wantsLoss()) {
      o.scalar("loss", loss.item());
    }
  }

  private static List<String> previousOutPaths(FunctionState fs, GraphMeta gm) {
    return fs.lastOutPaths != null ? fs.lastOutPaths : gm.outPaths();
  }

  private void event(long seq, int functionId, long step, String kind, String path, String message,
      RunObserver o, String function) {
    writer.submit(new WriteTask.Event(seq, functionId, step, kind, path, message));
    if (o != null) {
      o.event(kind, function, step, message);
    }
  }

  private void failed(JitFunction f, long step, Throwable error) {
    long seq = nextSeq++;
    FunctionState fs = function(f);
    lastStep = step;
    String kind = error instanceof UnexpectedTracerError ? EventKind.TRACER_LEAK : EventKind.ERROR;
    String msg = error.getClass().getSimpleName() + ": " + error.getMessage();
    if (!fs.sourceFinal && !fs.sourceAfterFailure) { // a failed trace may still have shown the method
      fs.sourceAfterFailure = true;
      writer.submit(Sources.function(fs.id, f));
    }
    writer.submit(new WriteTask.Call(seq, fs.id, step, -1, false, null, System.nanoTime() - startNanos, 0, 0, msg,
        List.of(), null, List.of(), null, null, null));
    event(seq, fs.id, step, kind, null, "jit(" + f.name() + ") step " + step + " failed: " + msg, observer, f.name());
  }

  /** The recorder must never break the program it records: a bug here is reported once, then ignored. */
  private final class Listener implements JitListener {
    private volatile boolean reported;

    @Override
    public void beforeCall(JitFunction function, long callCount) {
      try {
        started(function, callCount);
      } catch (RuntimeException e) {
        report(e);
      }
    }

    @Override
    public void afterCall(JitCall call) {
      Object[] taps = scratch.get().take(); // taken on the calling thread: the write may run on another
      try {
        endedCall(call, taps);
      } catch (RuntimeException e) {
        report(e);
      }
    }

    @Override
    public void callFailed(JitFunction function, long callCount, Throwable error) {
      scratch.get().take();
      try {
        ended(function, callCount, step -> failed(function, step, error));
      } catch (RuntimeException e) {
        report(e);
      }
    }

    private void report(RuntimeException e) {
      if (!reported) {
        reported = true;
        System.err.println("statelens: the recorder failed on a call and skips it (" + e
            + "); the program continues. Please report this.");
      }
    }
  }

  @Override
  public String toString() {
    return "Recorder(" + path() + ")";
  }
}
