package dev.statelens.engine.trace;

import dev.statelens.engine.Array;
import dev.statelens.engine.Tree;
import dev.statelens.engine.TreeDef;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.backend.Executable;
import dev.statelens.engine.ir.Aval;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The machinery behind {@code Transforms.jit}: traces a Java function once per input signature
 * (pytree structure + leaf shapes and dtypes), caches the graph, and replays it. Called while
 * another trace is active, the cached graph is inlined into that trace instead.
 */
public final class JitFunction {
  /** The method under which the user's function runs while traced (for {@link FunctionNames}). */
  static final String TRACE_METHOD = "trace";

  private final String explicitName;
  private volatile String name;
  private final Function<Object[], Object> body;
  private final ConcurrentHashMap<Signature, CompiledGraph> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Signature, Object> traceLocks = new ConcurrentHashMap<>();
  private final List<CompiledGraph> graphs = new CopyOnWriteArrayList<>();
  private volatile CompiledGraph last;
  private final AtomicLong steps = new AtomicLong();
  /**
   * Graphs whose trace asked whether a run is recorded ({@link RecordingTaps#consult}), with the
   * answer: such a graph fits only calls made with the same answer. Other graphs fit every call.
   */
  private final ConcurrentHashMap<CompiledGraph, Boolean> tapsAnswer = new ConcurrentHashMap<>();
  /** For a signature whose graph depends on recording: the graph traced with the other answer. */
  private final ConcurrentHashMap<Signature, CompiledGraph> otherAnswer = new ConcurrentHashMap<>();
  /** Where {@code Transforms.jit} was called (one stack walk per jit, not per call). */
  private final CodeSite jitSite;
  /** The method the function ran when first traced, at the line of its first operation. */
  private volatile CodeSite implementationSite;
  /** {@link #jitSite}'s entry in {@link JitSites}; null when the site is unknown. */
  private final JitSites.Site site;
  /** The jit made at the same site before this one, when it was dropped after a few calls (see JitSites). */
  private final WeakReference<JitFunction> predecessor;

  /**
   * @param name the function's name, or null to name it after the Java method it runs
   * @param body the function over its argument array
   */
  public JitFunction(String name, Function<Object[], Object> body) {
    this.explicitName = name;
    this.name = name != null ? name : "<lambda>";
    this.body = body;
    this.jitSite = FunctionNames.creationSite();
    this.site = JitSites.of(jitSite);
    this.predecessor = site == null ? null : site.replaceLatest(this);
  }

  /** The name given to {@code Transforms.jit(name, fn)}, or null. */
  String explicitName() {
    return explicitName;
  }

  /** Where {@code Transforms.jit} was called: the first frame outside the jit machinery; null if none. */
  public CodeSite jitSite() {
    return jitSite;
  }

  /**
   * The jit made by the same {@code Transforms.jit} call before this one, under the same name, when
   * that one was dropped after a few calls (at most {@value JitSites#SHORT_LIVED_CALLS}): this one
   * is the same function created anew, e.g. inside a loop. Null otherwise, or once it was garbage collected.
   * The recorder continues the predecessor's steps with it.
   */
  public JitFunction predecessor() {
    return predecessor == null ? null : predecessor.get();
  }

  /**
   * The user's method that ran when this function was first traced ({@code step} for
   * {@code Trainer::step}, {@code lambda$main$0} for a lambda), at the line of its first array
   * operation; null before the first trace or when the function did no operation.
   */
  public CodeSite implementationSite() {
    return implementationSite;
  }

  /** The name used in errors and by the recorder: explicit, or the traced Java method's name. */
  public String name() {
    return name;
  }

  /** Every graph traced so far, oldest first (one per signature). */
  public List<CompiledGraph> graphs() {
    return List.copyOf(graphs);
  }

  /** Number of top-level calls so far. */
  public long callCount() {
    return steps.get();
  }

  /** Calls the jitted function. */
  public Object call(Object... args) {
    CompiledGraph cachedGraph = last;
    if (cachedGraph != null) {
      // cache hit of the last signature: one walk over the arguments, no TreeDef, no lists
      Array[] matched = cachedGraph.matchArgs(args);
      if (matched != null && !TraceStack.isTracing() && fits(cachedGraph)) {
        JitListener[] listeners = JitListeners.current();
        if (listeners.length == 0) {
          long step = steps.getAndIncrement();
          return cachedGraph.outTree().unflatten(runGraph(cachedGraph, cachedGraph.signature().treeDef(), matched, step));
        }
        return observed(listeners, step -> callCached(cachedGraph, matched, args, listeners, step));
      }
    }
    List<Object> argList = Arrays.asList(args);
    Tree.Flat flat = Tree.flatten(argList);
    if (TraceStack.isTracing()) {
      return callInline(flat);
    }
    JitListener[] listeners = JitListeners.current();
    Object result = listeners.length == 0 ? callTopLevel(flat, null, -1, null)
        : observed(listeners, step -> callTopLevel(flat, listeners, step, argList));
    CompiledGraph g = last;
    if (g != null) {
      g.learnArgs(args, flat.def()); // lets the next call with this structure take the cache-hit path
    }
    return result;
  }

  /**
   * Runs top-level call {@code body} (given its step) between the listeners' {@code beforeCall}
   * and, if it throws, their {@code callFailed}; {@code body} reports {@code afterCall} itself.
   */
  private Object observed(JitListener[] listeners, java.util.function.LongFunction<Object> body) {
    long step = steps.getAndIncrement();
    for (JitListener l : listeners) {
      l.beforeCall(this, step);
    }
    try {
      return body.apply(step);
    } catch (RuntimeException | Error e) {
      for (JitListener l : listeners) {
        l.callFailed(this, step, e);
      }
      throw e;
    }
  }

  /**
   * A cache hit of the last signature while listeners (the recorder) watch: the same
   * {@link JitCall} as the general path, without flattening the arguments again.
   */
  private Object callCached(CompiledGraph g, Array[] matched, Object[] args, JitListener[] listeners, long step) {
    long start = System.nanoTime();
    TreeDef inputTree = g.signature().treeDef();
    Array[] out = runGraph(g, inputTree, matched, step);
    Object result = g.outTree().unflatten(out);
    JitCall call = new JitCall(this, step, false, null, Arrays.asList(args), inputTree, Arrays.asList(matched),
        result, g.outTree(), Arrays.asList(out), g, start, System.nanoTime());
    for (JitListener l : listeners) {
      l.afterCall(call);
    }
    return result;
  }

  private Object callTopLevel(Tree.Flat flat, JitListener[] listeners, long step, List<Object> args) {
    long start = listeners == null ? 0 : System.nanoTime();
    List<Array> leaves = flat.leaves();
    CompiledGraph g = last;
    boolean compiled = false;
    String reason = null;
    if (g == null || !g.signature().matches(flat.def(), leaves) || !fits(g)) {
      Signature sig = Signature.of(flat.def(), leaves);
      g = cached(sig);
      if (g == null) {
        // one trace per signature even when first calls race on several threads (the Java
        // function's side effects must run once, as they would with a single caller)
        synchronized (traceLocks.computeIfAbsent(sig, k -> new Object())) {
          g = cached(sig);
          if (g == null) {
            CompiledGraph previous = last;
            reason = previous == null ? null : sig.equals(previous.signature())
                ? "recording " + (RecordingTaps.on() ? "started" : "stopped") + " (the graph has recorder taps)"
                : sig.differenceFrom(previous.signature());
            g = traceAndCache(sig, flat);
            compiled = true;
            if (previous == null) {
              reason = recreatedReason(sig, g);
            }
          }
        }
      }
      last = g;
    }
    if (listeners == null) {
      step = steps.getAndIncrement();
    }
    List<Array> outLeaves = Arrays.asList(runGraph(g, flat.def(), leaves.toArray(Array[]::new), step));
    Object result = g.outTree().unflatten(outLeaves);
    if (listeners != null) {
      JitCall call = new JitCall(this, step, compiled, reason, args, flat.def(), leaves, result,
          g.outTree(), outLeaves, g, start, System.nanoTime());
      for (JitListener l : listeners) {
        l.afterCall(call);
      }
    }
    return result;
  }

  /**
   * "jit created anew at ..." when the predecessor from this site had traced the same graph for
   * {@code sig} already, else null. A different graph is a different function made at the same
   * site (one per test case, say), not the same one made again.
   */
  private String recreatedReason(Signature sig, CompiledGraph traced) {
    JitFunction before = predecessor();
    CompiledGraph earlier = before == null ? null : before.cache.get(sig);
    return earlier != null && earlier.jaxpr().toString().equals(traced.jaxpr().toString())
        ? site.retraced(this) : null;
  }

  /**
   * Runs cached graph {@code g} on argument leaves (structure {@code argsDef}) as top-level call
   * {@code step} (counted from 0, as the recorder numbers them; named by a NaN check); returns
   * the output leaves.
   */
  private Array[] runGraph(CompiledGraph g, TreeDef argsDef, Array[] leaves, long step) {
    Executable exe = g.executable(Backends.current());
    Executable.HostEntry host = exe.hostEntry();
    Array[] outArrays = host == null ? null : runHost(g, host, argsDef, leaves);
    if (outArrays == null) {
      outArrays = runBuffers(g, exe, argsDef, leaves);
    }
    if (NanCheck.enabled()) {
      NanCheck.checkJitOutputs(this, step, g.outTree().paths(), Arrays.asList(outArrays),
          () -> body.apply(argsDef.<List<Object>>unflatten(leaves).toArray()));
    }
    return outArrays;
  }

  /**
   * The graph on the leaves' host arrays (no {@code Buffer[]} in, no buffer array out); null,
   * before running anything, when a leaf or constant has no host array here.
   */
  private Array[] runHost(CompiledGraph g, Executable.HostEntry host, TreeDef argsDef, Array[] leaves) {
    Object[] consts = g.constHostData(host);
    if (consts == null) {
      return null;
    }
    Object[] in = new Object[consts.length + leaves.length];
    System.arraycopy(consts, 0, in, 0, consts.length);
    for (int i = 0; i < leaves.length; i++) {
      Array leaf = leaves[i];
      checkArgumentAlive(argsDef, i, leaf);
      Object data = host.hostData(leaf.buffer());
      if (data == null) {
        return null;
      }
      in[consts.length + i] = data;
    }
    Object[] out = host.run(in);
    Array[] outArrays = new Array[out.length];
    for (int i = 0; i < out.length; i++) {
      outArrays[i] = Array.fromBuffer(host.output(i, out[i]));
    }
    return outArrays;
  }

  private Array[] runBuffers(CompiledGraph g, Executable exe, TreeDef argsDef, Array[] leaves) {
    Buffer[] consts = g.constBuffers();
    Buffer[] in = new Buffer[consts.length + leaves.length];
    System.arraycopy(consts, 0, in, 0, consts.length);
    for (int i = 0; i < leaves.length; i++) {
      Array leaf = leaves[i];
      checkArgumentAlive(argsDef, i, leaf);
      in[consts.length + i] = leaf.buffer();
    }
    Buffer[] out = exe.execute(in);
    Array[] outArrays = new Array[out.length];
    for (int i = 0; i < out.length; i++) {
      outArrays[i] = Array.fromBuffer(out[i]);
    }
    return outArrays;
  }

  /** A tracer of a trace that has ended, passed as an argument, is a leak: name the argument. */
  private void checkArgumentAlive(TreeDef argsDef, int i, Array leaf) {
    Tracer t = leaf.tracer();
    if (t != null) {
      TraceStack.checkAlive(t, "jit(" + name + ") argument " + Signature.argPaths(argsDef).get(i));
    }
  }

  private Object callInline(Tree.Flat flat) {
    Signature sig = Signature.of(flat.def(), flat.leaves());
    CompiledGraph g = cached(sig);
    if (g != null && tapsAnswer.containsKey(g)) {
      JitFrame.markRecordingDependent(tapsAnswer.get(g)); // the enclosing trace inlines a graph that depends on it
    }
    List<Array> consts;
    dev.statelens.engine.ir.Jaxpr jaxpr;
    TreeDef outTree;
    if (g != null) {
      jaxpr = g.jaxpr();
      consts = g.consts();
      outTree = g.outTree();
    } else {
      Traced t = trace(sig, flat);
      jaxpr = t.traced.jaxpr();
      consts = t.traced.consts();
      outTree = t.outTree;
      if (t.traced.constsConcrete()) {
        cacheGraph(sig, t);
      }
    }
    List<Array> out = JaxprEval.eval(jaxpr, consts, flat.leaves());
    return outTree.unflatten(out);
  }

  private CompiledGraph traceAndCache(Signature sig, Tree.Flat flat) {
    Traced t = trace(sig, flat);
    if (!t.traced.constsConcrete()) {
      // cannot happen at top level: no outer trace is active to capture from
      throw new IllegalStateException("jit(" + name + ") captured a traced value at top level");
    }
    return cacheGraph(sig, t);
  }

  private CompiledGraph cacheGraph(Signature sig, Traced t) {
    synchronized (graphs) {
      CompiledGraph existing = cached(sig, t.tapsOn);
      if (existing != null) {
        return existing;
      }
      CompiledGraph g = new CompiledGraph(sig, t.traced.jaxpr(), t.traced.consts(), t.outTree, graphs.size());
      graphs.add(g);
      if (t.recordingDependent) {
        tapsAnswer.put(g, t.tapsOn);
      }
      if (cache.containsKey(sig)) { // holds the graph traced with the other answer
        otherAnswer.put(sig, g);
      } else {
        cache.put(sig, g);
      }
      return g;
    }
  }

  /** Whether {@code g} fits a call made now (its trace did not depend on recording, or got today's answer). */
  private boolean fits(CompiledGraph g) {
    return tapsAnswer.isEmpty() || fits(g, RecordingTaps.on());
  }

  private boolean fits(CompiledGraph g, boolean tapsOn) {
    Boolean answer = tapsAnswer.get(g);
    return answer == null || answer == tapsOn;
  }

  private CompiledGraph cached(Signature sig) {
    return cached(sig, RecordingTaps.on());
  }

  /** The cached graph of {@code sig} for calls made while recording is {@code tapsOn}, or null. */
  private CompiledGraph cached(Signature sig, boolean tapsOn) {
    CompiledGraph g = cache.get(sig);
    if (g != null && !fits(g, tapsOn)) {
      g = otherAnswer.get(sig);
      if (g != null && !fits(g, tapsOn)) {
        g = null;
      }
    }
    return g;
  }

  private record Traced(StagingTrace.Traced traced, TreeDef outTree, boolean recordingDependent, boolean tapsOn) {}

  /** Runs the Java function on tracers under a new staging trace. */
  private Traced trace(Signature sig, Tree.Flat flat) {
    boolean captureSite = implementationSite == null; // the first trace only: retraces run the same code
    StagingTrace st = StagingTrace.pushForJit(explicitName != null ? explicitName : name, explicitName != null,
        captureSite);
    try {
      List<Array> argLeaves = new ArrayList<>(flat.leaves().size());
      for (Aval a : sig.avals()) {
        argLeaves.add(st.newArg(a));
      }
      List<Object> args = flat.def().unflatten(argLeaves);
      JitFrame frame = JitFrame.push(this, args, flat.def(), argLeaves, st);
      try {
        Object result = body.apply(args.toArray());
        Tree.Flat out = Tree.flatten(result);
        StagingTrace.Traced traced = st.build(out.leaves());
        return new Traced(traced, out.def(), frame.recordingDependent(), frame.tapsOn());
      } finally {
        JitFrame.pop(frame);
      }
    } finally {
      TraceStack.pop(st);
      if (explicitName == null) {
        name = st.functionName();
      }
      if (captureSite && st.site() != null) {
        implementationSite = st.site();
      }
    }
  }

  @Override
  public String toString() {
    return "jit(" + name + ")";
  }
}
