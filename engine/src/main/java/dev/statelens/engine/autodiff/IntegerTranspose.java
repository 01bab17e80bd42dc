package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import dev.statelens.engine.trace.JaxprEval;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code linearTranspose} of an integer-to-integer function, as JAX 0.10.2's
 * {@code linear_transpose} transposes one: the traced graph swept backwards with each step's own
 * reverse-mode rule, in the integers' arithmetic (i32 and u32 wrap, as XLA's). The float path's
 * {@link GradTrace} never carries integer cotangents (in {@code grad} they are JAX's float0), so
 * this sweep is its own: it evaluates the graph once at zeros for the primal values the rules read
 * (the constant factor of {@code c * x}), then hands each step that the argument reaches the
 * cotangents of its outputs. {@link Linearity} has already refused what JAX refuses.
 *
 * <p>Where JAX's transpose of an integer step gives a float0 cotangent ({@code dot_general}, a
 * {@code convert_element_type} between integer types) the step passes nothing back, so the
 * argument's cotangent is zeros (the engine's float0, as {@code vjp} gives integer leaves).
 * A {@code cond} whose index does not depend on the argument is transposed through the branch it
 * takes (a sweep of that branch, as JAX transposes it); a scan or while loop on the argument's path
 * is refused: JAX's transpose of a scan with an integer carry fails, and the nested sweeps of the
 * float machinery carry no integer cotangents.
 */
final class IntegerTranspose {
  private IntegerTranspose() {}

  /** Steps whose transpose JAX gives as float0 on integers. */
  private static final Set<String> FLOAT0 = Set.of("dot_general", "convert_element_type");

  /** The transpose of {@code jaxpr} (integer invars and outvars, linear in the invars) as a map of flat leaves. */
  static java.util.function.Function<List<Array>, List<Array>> of(String what, Jaxpr jaxpr, List<Array> consts) {
    return cts -> sweep(what, jaxpr, consts, cts);
  }

  private static List<Array> sweep(String what, Jaxpr jaxpr, List<Array> consts, List<Array> cts) {
    List<Array> zeros = new ArrayList<>(jaxpr.invars().size());
    for (Var v : jaxpr.invars()) {
      zeros.add(Array.zeros(v.aval().dtype(), v.aval().shape()));
    }
    boolean[] linear = new boolean[zeros.size()];
    java.util.Arrays.fill(linear, true);
    return sweep(what, jaxpr, consts, zeros, linear, cts);
  }

  /**
   * The cotangents of {@code jaxpr}'s {@code linear} invars (null for the others) for its outputs'
   * {@code cts}; {@code invarValues} are the primal values (zeros for the linear ones).
   */
  private static List<Array> sweep(String what, Jaxpr jaxpr, List<Array> consts, List<Array> invarValues,
      boolean[] linear, List<Array> cts) {
    Map<Var, Array> value = new IdentityHashMap<>();
    Set<Var> reached = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < consts.size(); i++) {
      value.put(jaxpr.constvars().get(i), consts.get(i));
    }
    for (int i = 0; i < jaxpr.invars().size(); i++) {
      Var v = jaxpr.invars().get(i);
      value.put(v, invarValues.get(i));
      if (linear[i]) {
        reached.add(v);
      }
    }
    // forward: the primal values at zeros, and which variables the argument reaches
    for (Eqn e : jaxpr.eqns()) {
      List<Array> in = read(value, e.inputs());
      List<Array> out = e.primitive().bind(e.params(), in.toArray(Array[]::new));
      boolean fromArgument = e.inputs().stream().anyMatch(a -> a instanceof Var v && reached.contains(v));
      for (int i = 0; i < out.size(); i++) {
        value.put(e.outputs().get(i), out.get(i));
        if (fromArgument) {
          reached.add(e.outputs().get(i));
        }
      }
    }
    // backward: each reached step gets its outputs' cotangents (zeros where none arrived)
    Map<Var, Array> ct = new IdentityHashMap<>();
    for (int i = 0; i < cts.size(); i++) {
      if (jaxpr.outvars().get(i) instanceof Var v) {
        ct.merge(v, cts.get(i), Array::add);
      }
    }
    for (int k = jaxpr.eqns().size() - 1; k >= 0; k--) {
      Eqn e = jaxpr.eqns().get(k);
      boolean[] needed = new boolean[e.inputs().size()];
      boolean any = false;
      for (int i = 0; i < needed.length; i++) {
        needed[i] = e.inputs().get(i) instanceof Var v && reached.contains(v);
        any |= needed[i];
      }
      VjpRule rule = Vjp.rule(e.primitive());
      if (!any || e.outputs().stream().noneMatch(ct::containsKey) || FLOAT0.contains(e.primitive().name())
          || rule == Vjp.ZERO) {
        continue;
      }
      List<Array> outCts = new ArrayList<>(e.outputs().size());
      for (Var o : e.outputs()) {
        Array c = ct.get(o);
        outCts.add(c != null ? c : Vjp.zeros(value.get(o)));
      }
      if (e.primitive() == Prims.COND && !needed[0]) {
        // JAX transposes a cond whose index does not depend on the argument: the branch it takes
        List<Jaxpr> branches = e.params().getList("branches");
        int index = read(value, e.inputs().subList(0, 1)).get(0).astype(dev.statelens.engine.DType.I32).toIntArray()[0];
        Jaxpr branch = branches.get(Math.max(0, Math.min(branches.size() - 1, index)));
        List<? extends Atom> operands = e.inputs().subList(1, e.inputs().size());
        List<Array> opCts = sweep(what, branch, List.of(), read(value, operands),
            java.util.Arrays.copyOfRange(needed, 1, needed.length), outCts);
        for (int i = 0; i < operands.size(); i++) {
          if (needed[i + 1] && opCts.get(i) != null) {
            ct.merge((Var) operands.get(i), opCts.get(i), Array::add);
          }
        }
        continue;
      }
      if (e.params().holdsJaxprs()) { // scan's and while's bodies, a cond choosing by the argument
        throw new IllegalArgumentException(what + ": " + e.primitive().name() + Linearity.at(jaxpr.source(k))
            + " is on the integer argument's path, and the transpose of an integer function goes through a "
            + "cond only where its predicate does not depend on the argument, not through a scan or a loop (JAX's "
            + "fails for a scan with an integer carry); transpose the float function instead: cast the argument "
            + "and the result with astype(DType.F32)");
      }
      List<Array> inCts = rule.apply(e.params(), read(value, e.inputs()),
          read(value, List.copyOf(e.outputs())), outCts, needed);
      for (int i = 0; i < needed.length; i++) {
        if (needed[i] && inCts.get(i) != null) {
          ct.merge((Var) e.inputs().get(i), inCts.get(i), Array::add);
        }
      }
    }
    List<Array> result = new ArrayList<>(jaxpr.invars().size());
    for (int i = 0; i < jaxpr.invars().size(); i++) {
      Var v = jaxpr.invars().get(i);
      Array c = ct.get(v);
      result.add(!linear[i] ? null : c != null ? c : Vjp.zeros(value.get(v)));
    }
    return result;
  }

  private static List<Array> read(Map<Var, Array> value, List<? extends Atom> atoms) {
    List<Array> r = new ArrayList<>(atoms.size());
    for (Atom a : atoms) {
      r.add(a instanceof Literal l ? JaxprEval.literal(l) : value.get((Var) a));
    }
    return r;
  }

}
