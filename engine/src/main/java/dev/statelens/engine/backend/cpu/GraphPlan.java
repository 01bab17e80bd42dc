package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How {@link GraphCodegen} lays a jaxpr out as straight-line code: equations are grouped, in
 * order, into
 * <ul>
 *   <li>{@link Loop}s — float elementwise equations over one shape plus float reductions of
 *       values of that shape, computed in one pass. A value used by several members (two
 *       reductions and a product, say) is computed once per element and kept in a local; it is
 *       written to an array only when something outside the loop reads it.
 *   <li>{@link ScalarOp}s — float elementwise equations on one-element values, done in locals.
 *   <li>{@link KernelCall}s — everything else, through the interpreter's own kernel.
 * </ul>
 * A step that does not depend on the open loop is moved in front of it (pure steps only), so a
 * scalar computed between two halves of an elementwise chain does not split the loop.
 *
 * <p>Reductions are folded in loops only where {@link Reductions} folds each output's elements in
 * its lanes order (element k into accumulator k % 4) without chunking or threads, which the loop
 * reproduces: the results are the same bits.
 */
final class GraphPlan {
  /** A graph step. */
  sealed interface Step permits Loop, ScalarOp, KernelCallStep {}

  /**
   * One pass over {@code shape}. {@code split} is the axis where the inner loop starts (the
   * inner loop covers axes {@code split..rank-1}); -1 while nothing requires a split (one flat
   * loop).
   */
  static final class Loop implements Step {
    final int[] shape;
    int split = -1;
    final List<Eqn> members = new ArrayList<>();

    Loop(int[] shape) {
      this.shape = shape;
    }

    int size() {
      return Aval.of(DType.F32, shape).size();
    }

    /** Elements of the inner loop. */
    int inner() {
      int k = Math.max(split, 0);
      int n = 1;
      for (int d = k; d < shape.length; d++) {
        n *= shape[d];
      }
      return n;
    }
  }

  record ScalarOp(Eqn eqn) implements Step {}

  record KernelCallStep(Eqn eqn) implements Step {}

  /** How a loop reduction maps input elements to outputs. */
  enum ReduceKind {
    /** every axis: one accumulator for the whole loop */
    FULL,
    /** trailing axes from {@code split}: one accumulator per outer iteration */
    TRAILING,
    /** leading axes up to {@code split}: one accumulator per inner index */
    LEADING
  }

  final Jaxpr jaxpr;
  final List<Step> steps = new ArrayList<>();
  /** broadcast_in_dim of a one-element value: reads of the output read the source instead. */
  final Map<Var, Atom> alias = new IdentityHashMap<>();

  /** Largest reduction input folded in a loop: below it {@link Reductions} folds without chunks or threads. */
  static final int MAX_LOOP_REDUCTION = Math.min(2 * Reductions.CHUNK, 2 * Parallel.ELEMENTWISE_GRAIN) - 1;

  private Loop open;
  private final List<Step> pending = new ArrayList<>();
  private final Set<Var> inOpen = identitySet();
  private final Set<Var> reducedInOpen = identitySet();
  private final Set<Var> pendingOut = identitySet();

  /** Values whose consumers need them as arrays of their own shape (kernel inputs, graph outputs). */
  private final Set<Var> neededAsArray = identitySet();

  GraphPlan(Jaxpr jaxpr) {
    this.jaxpr = jaxpr;
    for (Eqn e : jaxpr.eqns()) {
      if (!Fusion.isFusibleElementwise(e) && reduceKind(e) == null) {
        for (Atom a : e.inputs()) {
          if (a instanceof Var v) {
            neededAsArray.add(v);
          }
        }
      }
    }
    for (Atom a : jaxpr.outvars()) {
      if (a instanceof Var v) {
        neededAsArray.add(v);
      }
    }
    for (Eqn e : jaxpr.eqns()) {
      add(e);
    }
    close();
  }

  static <T> Set<T> identitySet() {
    return java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  }

  static boolean isFloat(DType d) {
    return d == DType.F32 || d == DType.F64;
  }

  /** A one-element float or bool value: kept in a double local. */
  static boolean isScalar(Aval a) {
    return a.size() == 1 && (isFloat(a.dtype()) || a.dtype() == DType.BOOL);
  }

  /** The atom a read of {@code a} really reads (through scalar broadcasts). */
  Atom resolve(Atom a) {
    while (a instanceof Var v && alias.containsKey(v)) {
      a = alias.get(v);
    }
    return a;
  }

  private void add(Eqn e) {
    if (isScalarBroadcast(e) && !neededAsArray.contains(e.outputs().get(0))) {
      alias.put(e.outputs().get(0), e.inputs().get(0));
      return;
    }
    if (Fusion.isFusibleElementwise(e)) {
      Aval out = e.outputs().get(0).aval();
      if (out.size() == 1) {
        nonLoop(new ScalarOp(e));
      } else {
        member(e, out.shape(), -1);
      }
      return;
    }
    ReduceKind kind = reduceKind(e);
    if (kind != null) {
      Aval x = e.inputs().get(0).aval();
      int split = switch (kind) {
        case FULL -> -1;
        case TRAILING -> x.rank() - e.params().getInts("axes").length;
        case LEADING -> e.params().getInts("axes").length;
      };
      member(e, x.shape(), split);
      return;
    }
    nonLoop(new KernelCallStep(e));
  }

  private static boolean isScalarBroadcast(Eqn e) {
    if (e.primitive() != Prims.BROADCAST_IN_DIM || !CpuKernels.isStandard(e.primitive())) {
      return false;
    }
    Aval src = e.inputs().get(0).aval();
    return isScalar(src);
  }

  /** The loop form of a float reduction, or null when it must run as a kernel. */
  static ReduceKind reduceKind(Eqn e) {
    if ((e.primitive() != Prims.REDUCE_SUM && e.primitive() != Prims.REDUCE_MAX && e.primitive() != Prims.REDUCE_MIN)
        || !CpuKernels.isStandard(e.primitive())) {
      return null;
    }
    Aval x = e.inputs().get(0).aval();
    if (!isFloat(x.dtype()) || x.size() == 0 || x.size() > MAX_LOOP_REDUCTION) {
      return null;
    }
    int[] axes = e.params().getInts("axes").clone();
    Arrays.sort(axes);
    int r = x.rank();
    if (axes.length == r) {
      return ReduceKind.FULL;
    }
    if (axes.length == 0) {
      return null;
    }
    boolean trailing = true;
    boolean leading = true;
    for (int j = 0; j < axes.length; j++) {
      trailing &= axes[j] == r - axes.length + j;
      leading &= axes[j] == j;
    }
    return trailing ? ReduceKind.TRAILING : leading ? ReduceKind.LEADING : null;
  }

  /** Adds a loop member (elementwise or reduction) over {@code shape} needing {@code split}. */
  private void member(Eqn e, int[] shape, int split) {
    if (open == null || !canJoin(e, shape, split)) {
      close();
      open = new Loop(shape);
    }
    if (split >= 0) {
      open.split = split;
    }
    open.members.add(e);
    if (reduceKind(e) != null) {
      reducedInOpen.add(e.outputs().get(0));
    } else {
      inOpen.add(e.outputs().get(0));
    }
  }

  private boolean canJoin(Eqn e, int[] shape, int split) {
    if (!Arrays.equals(open.shape, shape) || (split >= 0 && open.split >= 0 && split != open.split)) {
      return false;
    }
    for (Atom a : e.inputs()) {
      Atom r = resolve(a);
      if (r instanceof Var v && (reducedInOpen.contains(v) || pendingOut.contains(v))) {
        return false;
      }
    }
    return true;
  }

  /** A scalar op or kernel call: in front of the open loop when it may, else after it. */
  private void nonLoop(Step s) {
    Eqn e = s instanceof ScalarOp op ? op.eqn() : ((KernelCallStep) s).eqn();
    boolean after = open != null && e.primitive().isEffectful();
    for (Atom a : e.inputs()) {
      Atom r = resolve(a);
      if (r instanceof Var v && (inOpen.contains(v) || reducedInOpen.contains(v) || pendingOut.contains(v))) {
        after = true;
      }
    }
    if (after) {
      pending.add(s);
      pendingOut.addAll(e.outputs());
    } else {
      steps.add(s);
    }
  }

  private void close() {
    if (open != null) {
      steps.add(open);
      open = null;
    }
    steps.addAll(pending);
    pending.clear();
    inOpen.clear();
    reducedInOpen.clear();
    pendingOut.clear();
  }

  /** Step names like the interpreter's: {@code loop[mul,add,reduce_sum]}, {@code div}. */
  List<String> names() {
    List<String> names = new ArrayList<>();
    for (Step s : steps) {
      names.add(switch (s) {
        case Loop l -> "loop[" + String.join(",", l.members.stream().map(m -> m.primitive().name()).toList()) + "]";
        case ScalarOp op -> "scalar[" + op.eqn().primitive().name() + "]";
        case KernelCallStep k -> k.eqn().primitive().name();
      });
    }
    return names;
  }

  static boolean isLiteral(Atom a) {
    return a instanceof Literal;
  }
}
