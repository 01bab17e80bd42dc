package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Tree;
import dev.statelens.engine.TreeDef;
import dev.statelens.engine.TreeStructureError;
import dev.statelens.engine.trace.TraceStack;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A function run once for reverse mode at a point (a {@link Grad.Forward} plus its flattened
 * output), offering the two linear maps everything in {@link Derivatives} is built from:
 * <ul>
 *   <li>{@link #pullback}: output cotangent to input cotangent ({@code vᵀJ}), one reverse sweep of
 *       the tape;
 *   <li>{@link #pushforward}: input tangent to output tangent ({@code J t}), obtained by
 *       transposing the pullback: the pullback is linear in its cotangent, so running it once on
 *       a traced zero cotangent under a second {@link GradTrace} records it, and a reverse sweep
 *       of that tape seeded with {@code t} gives {@code (Jᵀ)ᵀ t = J t}. This reuses every VJP
 *       rule (gather, scatter_add, cond, scan included) instead of a second rule set.
 * </ul>
 * Both work on flat leaf lists, in the order of {@link Tree#flatten}.
 */
final class Linearized {
  private final Grad.Forward forward;
  private final Tree.Flat out;
  private final List<Array> outPrimals;

  private Linearized(Grad.Forward forward, Tree.Flat out) {
    this.forward = forward;
    this.out = out;
    List<Array> primals = new ArrayList<>(out.leaves().size());
    for (Array leaf : out.leaves()) {
      primals.add(forward.primal(leaf));
    }
    this.outPrimals = List.copyOf(primals);
  }

  /** Runs {@code fn(x)}, every leaf of {@code x} (float) traced, and flattens its output. */
  static <A> Linearized of(String what, Function<A, ?> fn, A x) {
    return of(what, fn, x, InputLeaves.GRAD);
  }

  /**
   * {@link #of(String, Function, Object)} with the leaves {@code accepted} takes; with
   * {@link InputLeaves#ANY} integer and bool leaves go in untraced (vjp, jvp, linearize, jacrev's
   * allow_int): constants of the trace, with no tangent or cotangent.
   */
  static <A> Linearized of(String what, Function<A, ?> fn, A x, InputLeaves accepted) {
    Grad.Forward f = Grad.forward(what, fn, x, accepted);
    Tree.Flat out;
    try {
      out = Tree.flatten(f.out());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": the function's output must be a pytree of arrays: "
          + e.getMessage(), e);
    }
    for (Array leaf : out.leaves()) {
      if (leaf.tracer() != null && !(leaf.tracer() instanceof GradTracer g && g.trace() == f.trace())) {
        TraceStack.checkAlive(leaf.tracer(), "output of " + what);
      }
    }
    return new Linearized(f, out);
  }

  String what() {
    return forward.what();
  }

  Tree.Flat in() {
    return forward.in();
  }

  TreeDef outDef() {
    return out.def();
  }

  List<Array> outPrimals() {
    return outPrimals;
  }

  /**
   * Input cotangents (one per input leaf; zeros for an integer or bool input, JAX's float0) for the
   * output cotangents {@code cts} (one per output leaf; those of integer or bool outputs are
   * ignored, as JAX's float0).
   */
  List<Array> pullback(List<Array> cts) {
    List<Array> seeds = new ArrayList<>(cts.size());
    for (int i = 0; i < cts.size(); i++) {
      seeds.add(outPrimals.get(i).dtype().isInexact() ? cts.get(i) : null);
    }
    return Vjp.withZerosForNonFloat(forward.in().leaves(), forward.backward(out.leaves(), seeds));
  }

  /**
   * The pushforward {@code t -> J t} over flat leaves: records the pullback once (see the class
   * comment); the returned function sweeps that record and can be called many times, also under
   * vmap. Integer and bool outputs get zero tangents.
   */
  Function<List<Array>, List<Array>> pushforward() {
    GradTrace transpose = TraceStack.push(level -> new GradTrace(level, forward.what()));
    List<GradTracer> ctArgs = new ArrayList<>();
    List<Array> inCts;
    try {
      List<Array> cts = new ArrayList<>(outPrimals.size());
      for (Array p : outPrimals) {
        if (p.dtype().isInexact()) {
          GradTracer t = transpose.newArg(Vjp.zeros(p));
          ctArgs.add(t);
          cts.add(Array.fromTracer(t));
        } else {
          cts.add(null);
        }
      }
      inCts = pullback(cts);
    } finally {
      TraceStack.pop(transpose);
    }
    return tangents -> Vjp.withZerosForNonFloat(outPrimals, transpose.backward(inCts, tangents, ctArgs));
  }

  /**
   * The leaves of the tangent {@code given} for the primal leaves {@code primals}, checked as
   * {@link #matching} checks them, and, for an integer or bool primal leaf, that its tangent is
   * what stands for JAX's {@code float0} here: zeros of the leaf's own dtype (what {@code vjp} gives
   * such a leaf). A non-zero tangent is refused where its values are known (not traced): JAX has no
   * tangent for an integer, so it would be silently ignored.
   */
  static List<Array> tangents(String what, TreeDef def, List<Array> primals, Object given) {
    List<Array> t = matching(what, "tangent", "primal", def, primals, given);
    List<String> paths = null;
    for (int i = 0; i < primals.size(); i++) {
      Array primal = primals.get(i);
      Array tangent = t.get(i);
      if (primal.dtype().isInexact()) {
        continue;
      }
      paths = paths == null ? def.paths("tangent") : paths;
      String fix = "; an integer or bool leaf has no tangent (JAX's float0): pass zeros of its own dtype, "
          + "Array.zeros(" + primal.aval().javaArgs() + ")";
      if (tangent.dtype() != primal.dtype()) {
        throw new ShapeError(what + ": " + paths.get(i) + " is " + tangent.aval() + " but the primal leaf it belongs "
            + "to is " + primal.aval() + fix);
      }
      if (tangent.tracer() == null && tangent.size() > 0 && tangent.any().toBooleanArray()[0]) {
        throw new IllegalArgumentException(what + ": " + paths.get(i) + " (of the " + primal.aval() + " primal leaf) "
            + "is not zero" + fix);
      }
    }
    return t;
  }

  /**
   * The leaves of {@code given}, checked to have the structure {@code def} and, leaf by leaf, the
   * shape of {@code like} (and its dtype where {@code like} is float), e.g. a cotangent against
   * the output or a tangent against the primal.
   *
   * @param role what {@code given} is ("cotangent", "tangent")
   * @param of what it must match ("output", "primal")
   */
  static List<Array> matching(String what, String role, String of, TreeDef def, List<Array> like, Object given) {
    Tree.Flat flat;
    try {
      flat = Tree.flatten(given);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": the " + role + " must be a pytree of arrays like the "
          + of + ": " + e.getMessage(), e);
    }
    if (!flat.def().equals(def)) {
      throw TreeStructureError.between(what + ": the " + role + " does not have the structure of the " + of,
          def, flat.def());
    }
    List<String> paths = def.paths(role);
    for (int i = 0; i < like.size(); i++) {
      Array want = like.get(i);
      Array got = flat.leaves().get(i);
      boolean dtypeOk = !want.dtype().isInexact() || got.dtype() == want.dtype();
      if (!java.util.Arrays.equals(want.shape(), got.shape()) || !dtypeOk) {
        throw new ShapeError(what + ": " + paths.get(i) + " is " + got.aval() + " but the " + of + " leaf "
            + "it belongs to is " + want.aval() + "; each " + role + " leaf needs the shape and dtype of its "
            + of + " leaf");
      }
    }
    return flat.leaves();
  }
}
