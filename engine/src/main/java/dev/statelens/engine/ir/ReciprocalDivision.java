package dev.statelens.engine.ir;

import dev.statelens.engine.DType;
import dev.statelens.engine.trace.SourceInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * XLA's "A / Const => A * InvertConstant(Const)" and "A / Broadcast(B) => A * Broadcast(1 / B)"
 * (algebraic_simplifier.cc HandleDivide), applied to a graph before any backend compiles it, so
 * every backend gives JAX's bits: {@code x / 3} is {@code x * 0.33333334f}, one ulp from the
 * correctly rounded quotient wherever {@code 1/3} is inexact (JAX 0.10.2 on CPU:
 * {@code jnp.array([-2.5]) / -3 = 0.8333334}). The map that fixes the conditions, from JAX's
 * optimised HLO, is {@code bench/gpu/recip_reference.py}:
 *
 * <ul>
 *   <li>a divisor that is a constant (a literal, a closed-over array) is inverted in its own dtype,
 *       f32, f64, f16 and complex, unless the dividend is a constant too (XLA folds that quotient exactly);
 *   <li>a divisor that is broadcast to more elements (a {@code broadcast_in_dim} output, or a rank-0
 *       operand next to a larger dividend, which this engine broadcasts implicitly) is inverted before the
 *       broadcast, for f32, f64 and f16 only (XLA leaves a complex traced divisor alone; bf16: see
 *       {@link #invertsBroadcast}), unless the divisor is a rank-0 value with another reader: JAX
 *       0.10.2's {@code jit(lambda x, t, y: (x / y, t / y))} divides both ({@link #inverts});
 *   <li>anything else, integer division, {@code rem} and same-shape traced divisors stay divisions.
 * </ul>
 *
 * Eager code, {@code vmap} and {@code grad} get the same rule from {@code Array.div} and {@code mean}
 * ({@code EagerReciprocal}, on the shapes they compute), as JAX's eager {@code jnp.divide} and
 * {@code jnp.mean} are small jitted graphs.
 */
public final class ReciprocalDivision {
  private ReciprocalDivision() {}

  /** Off with {@code -Dstatelens.reciprocalDivision=false}: plain correctly rounded division. */
  public static final boolean ENABLED = !"false".equals(System.getProperty("statelens.reciprocalDivision"));

  /**
   * The dtypes XLA multiplies by the reciprocal of a broadcast divisor in: f32, f64, and f16 (with
   * the reciprocal rounded to f16). Not bf16: XLA CPU computes bf16 in f32, so its reciprocal is
   * not rounded to bf16, and the f32 product rounded once to bf16 equals the quotient rounded once
   * (every point of 8 million checked against JAX 0.10.2): the division gives JAX's bits as it is.
   */
  public static boolean invertsBroadcast(DType dt) {
    return dt == DType.F32 || dt == DType.F64 || dt == DType.F16;
  }

  /** The dtypes XLA inverts a constant divisor in: those above and complex (1/c in c's own dtype). */
  static boolean invertsConstant(DType dt) {
    return invertsBroadcast(dt) || dt.isComplex();
  }

  /** {@code jaxpr} with its qualifying divisions rewritten (itself when none qualifies). */
  public static Jaxpr apply(Jaxpr jaxpr) {
    if (!ENABLED) {
      return jaxpr;
    }
    Set<Var> constants = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    constants.addAll(jaxpr.constvars());
    return rewrite(jaxpr, constants);
  }

  private static Jaxpr rewrite(Jaxpr jaxpr, Collection<Var> constants) {
    Map<Var, Eqn> producer = new IdentityHashMap<>();
    Map<Var, List<Eqn>> users = users(jaxpr);
    List<Eqn> out = new ArrayList<>(jaxpr.eqns().size() + 4);
    List<SourceInfo> sources = new ArrayList<>();
    boolean keepSources = !jaxpr.sources().isEmpty();
    boolean changed = false;
    for (int i = 0; i < jaxpr.eqns().size(); i++) {
      Eqn e = jaxpr.eqns().get(i);
      // cond branches, scan/while bodies: rewritten too (their closed-over values are operands there)
      Params params = e.params().mapJaxprs(j -> rewrite(j, List.of()));
      if (params != e.params()) {
        e = new Eqn(e.primitive(), params, e.inputs(), e.outputs());
        changed = true;
      }
      List<Eqn> replacement = e.primitive() == Prims.DIV ? reciprocal(e, producer, users, constants) : null;
      List<Eqn> emitted = replacement == null ? List.of(e) : replacement;
      changed |= replacement != null;
      for (Eqn r : emitted) {
        out.add(r);
        if (keepSources) {
          sources.add(jaxpr.source(i));
        }
      }
      for (Var v : e.outputs()) {
        producer.put(v, e);
      }
    }
    return changed ? new Jaxpr(jaxpr.constvars(), jaxpr.invars(), out, jaxpr.outvars(), sources) : jaxpr;
  }

  /** The equations that replace {@code div(a, b)}, or null when XLA keeps the division. */
  private static List<Eqn> reciprocal(Eqn div, Map<Var, Eqn> producer, Map<Var, List<Eqn>> users,
      Collection<Var> constants) {
    Atom a = div.inputs().get(0);
    Atom b = div.inputs().get(1);
    Var result = div.outputs().get(0);
    DType dt = result.aval().dtype();
    if (!invertsConstant(dt) || isConstant(a, constants)) {
      return null;
    }
    if (isConstant(b, constants)) {
      return multiplyByInverse(a, b, result, null);
    }
    if (!invertsBroadcast(dt) || !(b instanceof Var bv)) {
      return null;
    }
    Eqn bcast = producer.get(bv);
    if (bcast != null && bcast.primitive() == Prims.BROADCAST_IN_DIM && grows(bcast.inputs().get(0).aval(), result.aval())) {
      Atom operand = bcast.inputs().get(0);
      return inverts(div, operand, bcast, users) ? multiplyByInverse(a, operand, result, bcast) : null;
    }
    if (bv.aval().isScalar() && grows(bv.aval(), result.aval()) && inverts(div, bv, null, users)) {
      return multiplyByInverse(a, bv, result, null);
    }
    return null;
  }

  /**
   * True when broadcasting {@code from} to {@code to} adds elements. XLA turns a broadcast that only
   * adds size-1 axes into a reshape, which is no broadcast to this rule: JAX's {@code x[1] / -3}
   * is the quotient 0.8333333, {@code x[5] / -3} gives 0.8333334 five times.
   */
  public static boolean grows(Aval from, Aval to) {
    return from.size() < to.size();
  }

  /** The equations that read each variable of {@code jaxpr} (a variable read twice by one equation: twice). */
  private static Map<Var, List<Eqn>> users(Jaxpr jaxpr) {
    Map<Var, List<Eqn>> users = new IdentityHashMap<>();
    for (Eqn e : jaxpr.eqns()) {
      for (Atom in : e.inputs()) {
        if (in instanceof Var v) {
          users.computeIfAbsent(v, k -> new ArrayList<>(2)).add(e);
        }
      }
    }
    for (Atom out : jaxpr.outvars()) {
      if (out instanceof Var v) {
        users.computeIfAbsent(v, k -> new ArrayList<>(2)).add(null); // an output is a user too
      }
    }
    return users;
  }

  /**
   * True unless the broadcast divisor comes from a rank-0 value that something else reads too.
   * JAX 0.10.2 on CPU (the recip/ cases, by experiment): {@code jit(lambda a, q: (a / q, q))} or
   * {@code (a / q, q + 1)} or {@code (x / q, t / q)} (a jvp's primal and tangent) with a traced rank-0
   * {@code q} divide, {@code a / q} alone multiplies; a rank-1 {@code r} in {@code (a / r, r)},
   * {@code (a / r, a * r)} or {@code (a / r, (a + 1) / r)} is inverted all the same.
   */
  private static boolean inverts(Eqn div, Atom divisor, Eqn bcast, Map<Var, List<Eqn>> users) {
    if (!divisor.aval().isScalar() || !(divisor instanceof Var v)) {
      return true;
    }
    List<Eqn> readers = users.getOrDefault(v, List.of());
    Eqn only = bcast == null ? div : bcast;
    if (readers.size() != 1 || readers.get(0) != only) {
      return false;
    }
    return bcast == null || users.getOrDefault(bcast.outputs().get(0), List.of()).equals(List.of(div));
  }

  private static boolean isConstant(Atom x, Collection<Var> constants) {
    return x instanceof Literal || (x instanceof Var v && constants.contains(v));
  }

  /** {@code r = 1 / b; [rb = broadcast_in_dim(r) as bcast did;] result = a * rb}. */
  private static List<Eqn> multiplyByInverse(Atom a, Atom b, Var result, Eqn bcast) {
    Aval recipAval = b.aval();
    Var recip = new Var(recipAval);
    Literal one = new Literal(Aval.scalar(recipAval.dtype()), 1.0);
    List<Eqn> eqns = new ArrayList<>(3);
    eqns.add(new Eqn(Prims.DIV, Params.EMPTY, List.of(one, b), List.of(recip)));
    Atom factor = recip;
    if (bcast != null) {
      Var broadcast = new Var(bcast.outputs().get(0).aval());
      eqns.add(new Eqn(Prims.BROADCAST_IN_DIM, bcast.params(), List.of(recip), List.of(broadcast)));
      factor = broadcast;
    }
    eqns.add(new Eqn(Prims.MUL, Params.EMPTY, List.of(a, factor), List.of(result)));
    return eqns;
  }
}
