package dev.statelens.engine.ir;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Inlines "call" primitives before a graph is compiled: equations whose only run-time meaning is
 * "evaluate this sub-graph on my operands" ({@code custom_vjp_call}, whose {@code call_jaxpr} is
 * what runs once differentiation is done, and {@code checkpoint}, remat). JAX lowers them the
 * same way; the staged jaxpr keeps them, so {@code makeJaxpr} prints them, while backends never
 * see them and fuse across their boundaries. Sub-graphs of cond/scan/while are inlined too.
 */
public final class CallInlining {
  private CallInlining() {}

  /** Primitive -> the key of its params' sub-graph, which takes the equation's operands in order. */
  private static final Map<Primitive, String> CALLS = new ConcurrentHashMap<>();

  /** Marks {@code p} as a call of the closed sub-graph {@code params.get(jaxprKey)}. */
  public static void register(Primitive p, String jaxprKey) {
    CALLS.put(p, jaxprKey);
  }

  public static boolean isCall(Primitive p) {
    return CALLS.containsKey(p);
  }

  /** {@code jaxpr} with every registered call replaced by its sub-graph's equations (itself if none). */
  public static Jaxpr inline(Jaxpr jaxpr) {
    if (CALLS.isEmpty() || !containsCall(jaxpr)) {
      return jaxpr;
    }
    Map<Var, Atom> env = new IdentityHashMap<>();
    List<Eqn> out = new ArrayList<>(jaxpr.eqns().size());
    emit(jaxpr.eqns(), env, out);
    List<Atom> outvars = new ArrayList<>(jaxpr.outvars().size());
    for (Atom a : jaxpr.outvars()) {
      outvars.add(read(env, a));
    }
    return new Jaxpr(jaxpr.constvars(), jaxpr.invars(), out, outvars);
  }

  private static boolean containsCall(Jaxpr jaxpr) {
    for (Eqn e : jaxpr.eqns()) {
      if (CALLS.containsKey(e.primitive())) {
        return true;
      }
      for (String key : e.params().keys()) {
        Object v = e.params().get(key);
        if (v instanceof Jaxpr j && containsCall(j)) {
          return true;
        }
        if (v instanceof List<?> l && l.stream().anyMatch(x -> x instanceof Jaxpr j && containsCall(j))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Appends {@code eqns} to {@code out} with their variables renamed through {@code env}; the
   * equations of inlined sub-graphs get fresh variables, since one sub-graph object can be the
   * body of several equations (a jitted function replayed twice).
   */
  private static void emit(List<Eqn> eqns, Map<Var, Atom> env, List<Eqn> out) {
    for (Eqn e : eqns) {
      List<Atom> inputs = new ArrayList<>(e.inputs().size());
      for (Atom a : e.inputs()) {
        inputs.add(read(env, a));
      }
      String key = CALLS.get(e.primitive());
      if (key != null) {
        Jaxpr body = e.params().getJaxpr(key);
        Map<Var, Atom> inner = new IdentityHashMap<>();
        for (int i = 0; i < body.invars().size(); i++) {
          inner.put(body.invars().get(i), inputs.get(i));
        }
        emitFresh(body.eqns(), inner, out);
        for (int i = 0; i < e.outputs().size(); i++) {
          env.put(e.outputs().get(i), read(inner, body.outvars().get(i)));
        }
        continue;
      }
      out.add(new Eqn(e.primitive(), e.params().mapJaxprs(CallInlining::inline), inputs, e.outputs()));
    }
  }

  private static void emitFresh(List<Eqn> eqns, Map<Var, Atom> env, List<Eqn> out) {
    List<Eqn> renamed = new ArrayList<>(eqns.size());
    for (Eqn e : eqns) {
      List<Var> outs = new ArrayList<>(e.outputs().size());
      for (Var v : e.outputs()) {
        Var fresh = new Var(v.aval());
        outs.add(fresh);
      }
      List<Atom> inputs = new ArrayList<>(e.inputs().size());
      for (Atom a : e.inputs()) {
        inputs.add(read(env, a));
      }
      for (int i = 0; i < outs.size(); i++) {
        env.put(e.outputs().get(i), outs.get(i));
      }
      renamed.add(new Eqn(e.primitive(), e.params(), inputs, outs));
    }
    // the renamed equations may themselves hold calls: inline them on the way out
    emit(renamed, env, out);
  }

  /** Follows renamings to the end (a fresh variable may be the output of an inlined call). */
  private static Atom read(Map<Var, Atom> env, Atom a) {
    while (a instanceof Var v) {
      Atom mapped = env.get(v);
      if (mapped == null || mapped == v) {
        return v;
      }
      a = mapped;
    }
    return a;
  }
}
