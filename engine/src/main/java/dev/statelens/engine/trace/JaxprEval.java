package dev.statelens.engine.trace;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a jaxpr by binding each equation's primitive on the current trace: eagerly, staged
 * into an enclosing trace (inlining a jitted function), or recorded by a grad trace.
 */
public final class JaxprEval {
  private JaxprEval() {}

  /** Runs {@code jaxpr} on {@code consts} (for its constvars) and {@code args} (its invars). */
  public static List<Array> eval(Jaxpr jaxpr, List<Array> consts, List<Array> args) {
    if (consts.size() != jaxpr.constvars().size() || args.size() != jaxpr.invars().size()) {
      throw new IllegalArgumentException("jaxpr takes " + jaxpr.constvars().size() + " consts and "
          + jaxpr.invars().size() + " args, got " + consts.size() + " and " + args.size());
    }
    Map<Var, Array> env = new IdentityHashMap<>();
    for (int i = 0; i < consts.size(); i++) {
      env.put(jaxpr.constvars().get(i), consts.get(i));
    }
    for (int i = 0; i < args.size(); i++) {
      env.put(jaxpr.invars().get(i), args.get(i));
    }
    // an inlined graph's equations keep the positions its own trace recorded
    boolean positions = !jaxpr.sources().isEmpty() && SourcePositions.staging();
    for (int k = 0; k < jaxpr.eqns().size(); k++) {
      Eqn e = jaxpr.eqns().get(k);
      Array[] in = new Array[e.inputs().size()];
      for (int i = 0; i < in.length; i++) {
        in[i] = read(env, e.inputs().get(i));
      }
      List<Array> out = positions
          ? SourcePositions.at(SourcePositions.inlined(jaxpr.source(k)), () -> e.primitive().bind(e.params(), in))
          : e.primitive().bind(e.params(), in);
      for (int i = 0; i < out.size(); i++) {
        env.put(e.outputs().get(i), out.get(i));
      }
    }
    List<Array> result = new ArrayList<>(jaxpr.outvars().size());
    for (Atom a : jaxpr.outvars()) {
      result.add(read(env, a));
    }
    return result;
  }

  private static Array read(Map<Var, Array> env, Atom a) {
    if (a instanceof Literal l) {
      return literal(l);
    }
    return env.get((Var) a);
  }

  /** A concrete rank-0 array holding a literal's value. */
  public static Array literal(Literal l) {
    if (l.dtype().isInteger()) {
      return Array.scalar(l.dtype(), (double) (long) l.value());
    }
    return Array.scalar(l.dtype(), l.value());
  }
}
