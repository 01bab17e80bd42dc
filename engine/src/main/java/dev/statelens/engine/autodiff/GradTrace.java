package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.trace.SourceInfo;
import dev.statelens.engine.trace.SourcePositions;
import dev.statelens.engine.trace.Trace;
import dev.statelens.engine.trace.Tracer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trace of one {@code grad} call: evaluates every primitive applied to its tracers on the
 * primal values (handing it to the trace below: eager, or a staging trace under {@code jit}) and
 * records the application on a tape; {@link #backward} then sweeps the tape in reverse with each
 * primitive's {@link VjpRule}.
 *
 * <p>Not dynamic: operations on constants go to the trace below, as JAX's JVPTrace. Values of
 * integer or bool dtype carry no gradient (JAX's float0), so such outputs are returned as plain
 * primals and never enter the tape.
 */
final class GradTrace extends Trace {
  private final String kind;
  private String name;
  private boolean nameResolved;
  private final List<Node> tape = new ArrayList<>();

  /**
   * One recorded application: inputs are our tracers (or null for constants) and primals; the
   * rule is the primitive's, or a custom_vjp_call's bwd bound to its residuals.
   */
  private record Node(Primitive primitive, Params params, GradTracer[] inTracers, List<Array> inPrimals,
      List<GradTracer> outTracers, List<Array> outPrimals, VjpRule rule, SourceInfo source) {}

  /** Bytes of the values this tape keeps for the reverse pass (its nodes' outputs), for {@link TapeStats}. */
  private long residualBytes;

  /** @param kind the transformation, {@code grad} or {@code valueAndGrad}, for messages */
  GradTrace(int level, String kind) {
    super(level);
    this.kind = kind;
    this.name = "<lambda>";
  }

  @Override
  public boolean isDynamic() {
    return false;
  }

  /** {@code grad(loss)}: the transformation and the differentiated Java method. */
  @Override
  public String functionName() {
    return kind + "(" + name + ")";
  }

  /**
   * Names the differentiated function after the outermost user frame below {@link Grad}'s entry
   * (as jit names its functions); resolved on the first operation, while that frame is live.
   */
  private void resolveName() {
    nameResolved = true;
    String found = StackWalker.getInstance().walk(frames -> {
      String candidate = null;
      for (var it = frames.iterator(); it.hasNext(); ) {
        StackWalker.StackFrame f = it.next();
        String cls = f.getClassName();
        if (cls.equals(Grad.class.getName())) {
          return candidate;
        }
        // walking outwards, the last frame that is not a wrapper is the differentiated function
        if (!cls.startsWith("dev.statelens.engine.Transforms") && !cls.startsWith("dev.statelens.engine.trace.")) {
          candidate = f.getMethodName();
        }
      }
      return null;
    });
    if (found != null) {
      name = found.startsWith("lambda$") ? "<lambda>" : found;
    }
  }

  /** A tracer for an argument being differentiated. */
  GradTracer newArg(Array primal) {
    return new GradTracer(this, primal);
  }

  @Override
  public List<Array> process(Primitive p, Params params, Array[] inputs) {
    if (!nameResolved) {
      resolveName();
    }
    GradTracer[] mine = new GradTracer[inputs.length];
    Array[] primals = new Array[inputs.length];
    boolean any = false;
    for (int i = 0; i < inputs.length; i++) {
      Tracer t = inputs[i].tracer();
      if (t instanceof GradTracer g && g.trace() == this) {
        mine[i] = g;
        primals[i] = g.primal();
        any = true;
      } else {
        primals[i] = inputs[i];
      }
    }
    // under jit: the user's line of this operation, for the primal equation and (marked backward)
    // for its transposes in the reverse sweep, where the stack no longer shows it
    SourceInfo source = any && SourcePositions.staging() ? SourcePositions.current() : null;
    if (p == CustomVjpCall.PRIMITIVE && any) {
      return SourcePositions.at(source, () -> processCustomVjp(params, mine, primals, source));
    }
    // remat: the block's forward runs on the primals (op by op, as without checkpoint, unless it
    // is being staged); only its inputs and outputs stay on the tape
    List<Array> outs = SourcePositions.at(source,
        () -> p == Remat.PRIMITIVE ? Remat.evalPrimal(params, primals) : p.bind(params, primals));
    if (!any) {
      return outs;
    }
    VjpRule rule = Vjp.rule(p);
    if (rule == Vjp.ZERO) {
      return outs;
    }
    List<GradTracer> outTracers = new ArrayList<>(outs.size());
    List<Array> result = new ArrayList<>(outs.size());
    boolean tracked = false;
    for (Array o : outs) {
      if (o.dtype().isInexact()) { // complex intermediates carry cotangents too
        GradTracer g = new GradTracer(this, o);
        outTracers.add(g);
        result.add(Array.fromTracer(g));
        tracked = true;
      } else {
        outTracers.add(null);
        result.add(o);
      }
    }
    if (!tracked) {
      return outs;
    }
    if (rule instanceof Vjp.NotDifferentiable nd) {
      throw new UnsupportedOperationException(functionName() + ": " + nd.reason());
    }
    if (rule == null) {
      throw new UnsupportedOperationException(functionName() + ": primitive '" + p.name()
          + "' has no VJP rule, so it cannot be differentiated; register one with "
          + "dev.statelens.engine.autodiff.Vjp.register, or wrap its input in stopGradient()");
    }
    record(new Node(p, params, mine, List.of(primals), outTracers, outs, rule, source));
    return result;
  }

  private void record(Node node) {
    tape.add(node);
    long bytes = 0;
    for (Array o : node.outPrimals()) {
      if (o.isConcrete()) {
        bytes += (long) o.size() * o.dtype().byteSize();
      }
    }
    residualBytes += bytes;
    TapeStats.held(bytes);
  }

  /** This tape's residuals are no longer needed (its one reverse sweep is done). */
  void release() {
    TapeStats.held(-residualBytes);
    residualBytes = 0;
  }

  /**
   * custom_vjp_call under grad (JAX's process_custom_vjp_call): runs the user's fwd on the
   * primals (on the traces below), and records one node whose rule is bwd on fwd's residuals.
   */
  private List<Array> processCustomVjp(Params params, GradTracer[] mine, Array[] primals, SourceInfo source) {
    CustomVjpCall.Rule rule = CustomVjpCall.rule(params);
    int nConsts = rule.numConsts();
    for (int i = 0; i < nConsts; i++) {
      if (mine[i] != null) {
        throw closedOver(rule);
      }
    }
    CustomVjpCall.FwdOut fwd = rule.fwd().apply(List.of(primals).subList(nConsts, primals.length));
    List<Array> outs = fwd.outs();
    if (params.has("call_jaxpr")) {
      List<dev.statelens.engine.ir.Aval> expected = params.getJaxpr("call_jaxpr").outAvals();
      List<dev.statelens.engine.ir.Aval> got = outs.stream().map(Array::aval).toList();
      if (!expected.equals(got)) {
        throw new dev.statelens.engine.ShapeError(rule.name().equals("custom_jvp")
            ? "customJvp: the jvp rule must return Pair.of(f(x), tangent) with f's output types " + expected
                + ", got " + got + "; compute the primal output in the rule exactly as f does"
            : "customVjp: fwd must return Pair.of(f(x), residuals) with f's "
            + "output types " + expected + ", got " + got + "; compute the output in fwd exactly as f does");
      }
    }
    for (Array a : CallPrimitives.concat(outs, fwd.residuals())) {
      if (a.tracer() instanceof GradTracer g && g.trace() == this) {
        throw closedOver(rule);
      }
    }
    List<Array> residuals = fwd.residuals();
    VjpRule bwd = (ps, in, out, ct, needed) -> {
      List<Array> argCts = rule.bwd().apply(residuals, ct);
      List<Array> all = new ArrayList<>(in.size());
      for (int i = 0; i < nConsts; i++) {
        all.add(null);
      }
      all.addAll(argCts);
      return all;
    };
    List<GradTracer> outTracers = new ArrayList<>(outs.size());
    List<Array> result = new ArrayList<>(outs.size());
    for (Array o : outs) {
      if (o.dtype().isInexact()) { // complex intermediates carry cotangents too
        GradTracer g = new GradTracer(this, o);
        outTracers.add(g);
        result.add(Array.fromTracer(g));
      } else {
        outTracers.add(null);
        result.add(o);
      }
    }
    record(new Node(CustomVjpCall.PRIMITIVE, params, mine, List.of(primals), outTracers, outs, bwd, source));
    return result;
  }

  private UnsupportedOperationException closedOver(CustomVjpCall.Rule rule) {
    if (rule.name().equals("custom_jvp")) {
      return new UnsupportedOperationException(functionName() + ": a customJvp function closes over a value "
          + "being differentiated; its jvp rule only gives tangents for its explicit arguments. "
          + "Pass the value as an argument of f and of the rule instead of capturing it");
    }
    return new UnsupportedOperationException(functionName() + ": a customVjp function closes over a value "
        + "being differentiated; its bwd only gives cotangents for its explicit arguments (as in JAX). "
        + "Pass the value as an argument of f, fwd and bwd instead of capturing it");
  }

  /**
   * The reverse sweep: seeds each of {@code outputs} with its {@code seeds} entry and returns the
   * cotangent of each of {@code args} (zeros where the outputs do not depend on it). Call after
   * popping this trace: the rules then run on the primals' own trace, so they are staged under
   * jit and recorded by an enclosing grad.
   */
  List<Array> backward(List<Array> outputs, List<Array> seeds, List<GradTracer> args) {
    Map<GradTracer, Array> ct = new IdentityHashMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      if (outputs.get(i).tracer() instanceof GradTracer g && g.trace() == this && seeds.get(i) != null) {
        ct.merge(g, seeds.get(i), Array::add);
      }
    }
    for (int n = tape.size() - 1; n >= 0 && !ct.isEmpty(); n--) {
      Node node = tape.get(n);
      List<Array> outCts = new ArrayList<>(node.outTracers().size());
      boolean anyCt = false;
      for (int i = 0; i < node.outTracers().size(); i++) {
        GradTracer o = node.outTracers().get(i);
        Array c = o == null ? null : ct.remove(o);
        anyCt |= c != null;
        outCts.add(c);
      }
      if (!anyCt) {
        continue;
      }
      // the transposes (zero cotangents and sums of cotangents too) take the primal equation's
      // position, as JAX's source_info does
      SourcePositions.at(node.source() == null ? null : node.source().transposed(), () -> {
        sweep(node, outCts, ct);
        return null;
      });
    }
    List<Array> result = new ArrayList<>(args.size());
    for (GradTracer a : args) {
      Array c = ct.get(a);
      result.add(c != null ? c : Vjp.zeros(a.primal()));
    }
    return result;
  }

  /** One node of the reverse sweep: its rule's cotangents for its inputs (null output cotangents: zeros), added into {@code ct}. */
  private static void sweep(Node node, List<Array> outCts, Map<GradTracer, Array> ct) {
    for (int i = 0; i < outCts.size(); i++) {
      if (outCts.get(i) == null) {
        outCts.set(i, Vjp.zeros(node.outPrimals().get(i)));
      }
    }
    boolean[] needed = new boolean[node.inTracers().length];
    for (int i = 0; i < needed.length; i++) {
      needed[i] = node.inTracers()[i] != null;
    }
    List<Array> inCts = node.rule()
        .apply(node.params(), node.inPrimals(), node.outPrimals(), outCts, needed);
    for (int i = 0; i < needed.length; i++) {
      Array c = inCts.get(i);
      if (needed[i] && c != null) {
        Vjp.checkCotangent(node.primitive(), i, node.inPrimals().get(i), c);
        ct.merge(node.inTracers()[i], c, Array::add);
      }
    }
  }

  @Override
  public String toString() {
    return "GradTrace(" + functionName() + ", level " + level() + ", " + tape.size() + " nodes)";
  }
}
