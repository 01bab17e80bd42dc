package dev.statelens.engine.trace;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records every operation as an equation (JAX's DynamicJaxprTrace, with omnistaging: operations
 * on concrete arrays are staged too). Concrete rank-0 operands become inline literals; other
 * concrete arrays and tracers of outer traces become constvars (closure conversion), whose
 * values the caller supplies when the graph runs.
 */
public final class StagingTrace extends Trace {
  private String name;
  private final boolean resolveNameFromStack;
  /** Whether to note the user's frame at the first operation (jit's first trace, for the recorder). */
  private final boolean captureSite;
  private boolean nameResolved;
  private CodeSite site;
  private final List<Var> invars = new ArrayList<>();
  private final List<Eqn> eqns = new ArrayList<>();
  /** Parallel to {@link #eqns}: where the user's code bound each one ({@link SourcePositions}). */
  private final List<SourceInfo> sources = new ArrayList<>();
  private final List<Var> constvars = new ArrayList<>();
  private final List<Array> constValues = new ArrayList<>();
  private final Map<Object, Var> constByIdentity = new IdentityHashMap<>();

  private StagingTrace(int level, String name, boolean resolveNameFromStack, boolean captureSite) {
    super(level);
    this.name = name;
    this.resolveNameFromStack = resolveNameFromStack;
    this.captureSite = captureSite;
  }

  /** Pushes a staging trace for {@code name}. */
  public static StagingTrace push(String name) {
    return TraceStack.push(level -> new StagingTrace(level, name, false, false));
  }

  /**
   * Pushes jit's trace: names it after the traced method unless {@code explicitName}, and with
   * {@code captureSite} notes that method's frame ({@link #site()}) in the same stack walk.
   */
  static StagingTrace pushForJit(String name, boolean explicitName, boolean captureSite) {
    return TraceStack.push(level -> new StagingTrace(level, name, !explicitName, captureSite));
  }

  /** The traced user frame at the first operation, when captured; else null. */
  CodeSite site() {
    return site;
  }

  @Override
  public boolean isDynamic() {
    return true;
  }

  @Override
  public String functionName() {
    if ((resolveNameFromStack || captureSite) && !nameResolved && isActive()) {
      CodeSite found = FunctionNames.siteFromStack(); // one walk gives the name and the site
      if (found != null) {
        if (resolveNameFromStack) {
          name = FunctionNames.pretty(found.methodName());
        }
        if (captureSite) {
          site = found;
        }
      }
      nameResolved = true;
    }
    return name;
  }

  /** A new input variable; returns its tracer wrapped in an Array. */
  public Array newArg(Aval aval) {
    Var v = new Var(aval);
    invars.add(v);
    return Array.fromTracer(new StagingTracer(this, v));
  }

  @Override
  public List<Array> process(Primitive p, Params params, Array[] inputs) {
    if ((resolveNameFromStack || captureSite) && !nameResolved) {
      functionName();
    }
    List<Atom> atoms = new ArrayList<>(inputs.length);
    List<Aval> inAvals = new ArrayList<>(inputs.length);
    for (Array a : inputs) {
      atoms.add(atomFor(a));
      inAvals.add(a.aval());
    }
    List<Aval> outAvals = p.abstractEval(inAvals, params);
    List<Var> outs = new ArrayList<>(outAvals.size());
    List<Array> result = new ArrayList<>(outAvals.size());
    for (Aval aval : outAvals) {
      Var v = new Var(aval);
      outs.add(v);
      result.add(Array.fromTracer(new StagingTracer(this, v)));
    }
    eqns.add(new Eqn(p, params, atoms, outs));
    sources.add(SourcePositions.current());
    return result;
  }

  private Atom atomFor(Array a) {
    Tracer t = a.tracer();
    if (t instanceof StagingTracer st && st.trace() == this) {
      return st.var();
    }
    if (t == null && a.fitsLiteral()) {
      return new Literal(a.aval(), a.scalarValueForLiteral());
    }
    // a concrete array or a tracer of an outer trace: captured as a constant of this graph
    Object key = t != null ? t : a.buffer();
    Var v = constByIdentity.get(key);
    if (v == null) {
      v = new Var(a.aval());
      constByIdentity.put(key, v);
      constvars.add(v);
      constValues.add(a);
    }
    return v;
  }

  /**
   * Traces {@code fn} on fresh arguments of {@code inAvals} under a new staging trace (for the
   * bodies of cond/scan): returns the graph, the captured constants and the output structure.
   */
  public static TracedFunction traceFunction(String name, List<Aval> inAvals,
      java.util.function.Function<List<Array>, Object> fn) {
    StagingTrace st = push(name);
    try {
      List<Array> args = new ArrayList<>(inAvals.size());
      for (Aval a : inAvals) {
        args.add(st.newArg(a));
      }
      dev.statelens.engine.Tree.Flat out = dev.statelens.engine.Tree.flatten(fn.apply(args));
      return new TracedFunction(st.build(out.leaves()), out.def());
    } finally {
      TraceStack.pop(st);
    }
  }

  /** A traced function: graph + constants, and the structure of its result. */
  public record TracedFunction(Traced traced, dev.statelens.engine.TreeDef outTree) {}

  /** Builds the closed graph whose outputs are {@code outputs}. */
  public Traced build(List<Array> outputs) {
    List<Atom> outAtoms = new ArrayList<>(outputs.size());
    for (Array a : outputs) {
      Tracer t = a.tracer();
      if (t != null && t.trace() != this) {
        TraceStack.checkAlive(t, "output of " + name);
      }
      outAtoms.add(atomFor(a));
    }
    Jaxpr jaxpr = new Jaxpr(constvars, invars, eqns, outAtoms, sources);
    return new Traced(jaxpr, List.copyOf(constValues));
  }

  /**
   * A traced graph and the values of its constvars (concrete arrays, or tracers of outer traces
   * when the traced function closed over them).
   */
  public record Traced(Jaxpr jaxpr, List<Array> consts) {
    /** True if every constant is concrete, so the graph can be cached and reused. */
    public boolean constsConcrete() {
      for (Array a : consts) {
        if (a.tracer() != null) {
          return false;
        }
      }
      return true;
    }

    /**
     * The graph with its constvars turned into trailing invars (for sub-graphs of cond/scan,
     * whose captured values become explicit operands).
     */
    public Jaxpr closureConverted() {
      List<Var> in = new ArrayList<>(jaxpr.invars());
      in.addAll(jaxpr.constvars());
      return new Jaxpr(List.of(), in, jaxpr.eqns(), jaxpr.outvars(), jaxpr.sources());
    }

    /** The graph with its constvars turned into leading invars (scan's convention). */
    public Jaxpr closureConvertedConstsFirst() {
      List<Var> in = new ArrayList<>(jaxpr.constvars());
      in.addAll(jaxpr.invars());
      return new Jaxpr(List.of(), in, jaxpr.eqns(), jaxpr.outvars(), jaxpr.sources());
    }
  }

  @Override
  public String toString() {
    return "StagingTrace(" + name + ", level " + level() + ", " + eqns.size() + " eqns)";
  }
}
