package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.Fn4;
import dev.statelens.engine.Pair;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Tree;
import dev.statelens.engine.TreeDef;
import dev.statelens.engine.TreeStructureError;
import dev.statelens.engine.ir.Aval;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code Transforms.customJvp} (JAX's {@code jax.custom_jvp}): {@code f} with a forward-mode rule
 * {@code jvp(primals, tangents) -> (primal out, tangent out)}, the tangent out linear in the
 * tangents.
 *
 * <p>StateLens differentiates in reverse mode, so the rule reaches the engine as a
 * {@code custom_vjp_call} ({@link CustomVjpCall}) whose
 * <ul>
 *   <li>fwd runs the rule at zero tangents for its primal output (JAX too takes the primal
 *       output from the rule, not from {@code f}) and keeps the primals as residuals;
 *   <li>bwd transposes the rule's tangent map at those primals: the VJP of
 *       {@code t -> jvp(x, t).tangent} applied to the output cotangent. That map is linear in
 *       {@code t}, so its VJP at {@code t = 0} is its transpose — JAX's linearize + transpose of the
 *       rule, done with the reverse-mode machinery.
 * </ul>
 * Forward mode ({@code jvp}, {@code jacfwd}) transposes that pullback again, which gives back the
 * rule's own tangent map. Second derivatives differentiate the rule's operations, as in JAX.
 */
public final class CustomJvp {
  private CustomJvp() {}

  /** {@code f} with the forward-mode rule {@code jvp}; see {@code Transforms.customJvp}. */
  public static <A, R> Function<A, R> function(Function<A, R> f, BiFunction<A, A, Pair<R, R>> jvp) {
    Objects.requireNonNull(f, "customJvp: f must not be null");
    Objects.requireNonNull(jvp, "customJvp: the jvp rule must not be null");
    return a -> apply(f, jvp, a, "x");
  }

  /** The two-argument form: {@code jvp(a, b, ta, tb)} returns {@code Pair.of(f(a, b), tangent)}. */
  public static <A, B, R> BiFunction<A, B, R> function(BiFunction<A, B, R> f, Fn4<A, B, A, B, Pair<R, R>> jvp) {
    Objects.requireNonNull(f, "customJvp: f must not be null");
    Objects.requireNonNull(jvp, "customJvp: the jvp rule must not be null");
    Function<Pair<A, B>, R> f1 = p -> f.apply(p.first(), p.second());
    BiFunction<Pair<A, B>, Pair<A, B>, Pair<R, R>> jvp1 =
        (p, t) -> jvp.apply(p.first(), p.second(), t.first(), t.second());
    return (a, b) -> apply(f1, jvp1, Pair.of(a, b), "args");
  }

  /** The output structure and types one application learns from f or the rule, whichever runs first. */
  private static final class Structure {
    volatile TreeDef out;
    volatile List<Aval> outAvals;

    void out(TreeDef def, List<Array> leaves, String who) {
      List<Aval> avals = leaves.stream().map(Array::aval).toList();
      if (out == null) {
        out = def;
        outAvals = avals;
        return;
      }
      if (!out.equals(def)) {
        throw TreeStructureError.between("customJvp: " + who + " returned an output structured unlike f's "
            + "(the rule must return Pair.of(f(x), tangent of f(x)))", out, def);
      }
      if (!outAvals.equals(avals)) {
        throw new ShapeError("customJvp: " + who + " returned outputs of types " + avals + " where f returns "
            + outAvals + "; the rule's primal output must be f(x), with f's shapes and dtypes");
      }
    }
  }

  private static <A, R> R apply(Function<A, R> f, BiFunction<A, A, Pair<R, R>> jvp, A a, String root) {
    Tree.Flat in = Tree.flatten(a);
    TreeDef inDef = in.def();
    List<Array> inLeaves = in.leaves();
    Structure s = new Structure();
    Function<List<Array>, List<Array>> fun = leaves -> {
      Tree.Flat o = Tree.flatten(f.apply(inDef.unflatten(leaves)));
      s.out(o.def(), o.leaves(), "f");
      return o.leaves();
    };
    // primals -> (primal out leaves, tangent out leaves), the rule's output checked
    BiFunction<List<Array>, List<Array>, Pair<List<Array>, List<Array>>> rule = (primals, tangents) -> {
      Pair<R, R> r = jvp.apply(inDef.unflatten(primals), inDef.unflatten(tangents));
      if (r == null) {
        throw new IllegalArgumentException("customJvp: the jvp rule returned null; return "
            + "Pair.of(f(x), tangent of f(x))");
      }
      Tree.Flat po = Tree.flatten(r.first());
      s.out(po.def(), po.leaves(), "the jvp rule");
      Tree.Flat to;
      try {
        to = Tree.flatten(r.second());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("customJvp: the jvp rule's tangent output must be a pytree of arrays "
            + "shaped like f's output " + po.def() + ": " + e.getMessage(), e);
      }
      if (!to.def().equals(po.def())) {
        throw TreeStructureError.between("customJvp: the jvp rule returned a tangent structured unlike its "
            + "primal output (return one tangent per output leaf)", po.def(), to.def());
      }
      List<String> outPaths = po.def().paths("out");
      for (int i = 0; i < po.leaves().size(); i++) {
        Aval p = po.leaves().get(i).aval();
        Aval t = to.leaves().get(i).aval();
        if (p.dtype().isInexact() && !p.equals(t)) {
          throw new ShapeError("customJvp: the jvp rule returned " + t + " as the tangent of " + outPaths.get(i)
              + ", which is " + p + "; a tangent has its primal's shape and dtype"
              + (t.dtype() != p.dtype() ? " (astype(" + p.dtype() + "))" : " (reshape or broadcast it)"));
        }
      }
      return Pair.of(po.leaves(), to.leaves());
    };
    Function<List<Array>, CustomVjpCall.FwdOut> fwd =
        leaves -> new CustomVjpCall.FwdOut(rule.apply(leaves, zeroTangents(leaves, null)).first(), leaves);
    BiFunction<List<Array>, List<Array>, List<Array>> bwd = (primals, cts) -> transpose(rule, primals, cts);
    List<Array> outs = CustomVjpCall.call(new CustomVjpCall.Rule("custom_jvp", 0, fun, fwd, bwd), inLeaves);
    return s.out.unflatten(outs);
  }

  /**
   * The rule's tangent map at {@code primals}, transposed and applied to {@code cts}: one cotangent
   * per primal (null for integer and bool primals, which have no tangent).
   */
  private static List<Array> transpose(BiFunction<List<Array>, List<Array>, Pair<List<Array>, List<Array>>> rule,
      List<Array> primals, List<Array> cts) {
    List<Integer> floats = new ArrayList<>();
    List<Array> zeros = new ArrayList<>();
    for (int i = 0; i < primals.size(); i++) {
      if (primals.get(i).dtype().isInexact()) {
        floats.add(i);
        zeros.add(Array.zerosLike(primals.get(i)));
      }
    }
    List<Array> result = new ArrayList<>(java.util.Collections.nCopies(primals.size(), (Array) null));
    if (floats.isEmpty()) {
      return result;
    }
    // only the float outputs carry a tangent (the rule's integer "tangents" are not differentiated)
    List<Integer> floatOuts = new ArrayList<>();
    Function<List<Array>, List<Array>> tangentMap = ts -> {
      List<Array> outT = rule.apply(primals, zeroTangents(primals, new Placed(floats, ts))).second();
      if (floatOuts.isEmpty()) {
        for (int i = 0; i < outT.size(); i++) {
          if (outT.get(i).dtype().isInexact()) {
            floatOuts.add(i);
          }
        }
      }
      return floatOuts.stream().map(outT::get).toList();
    };
    var vjp = Derivatives.vjp("customJvp", tangentMap, zeros);
    List<Array> outCts = new ArrayList<>(floatOuts.size());
    for (int k = 0; k < floatOuts.size(); k++) {
      Array ct = cts.get(floatOuts.get(k));
      outCts.add(ct != null ? ct : Array.zerosLike(vjp.out().get(k)));
    }
    List<Array> g = vjp.pullback(outCts);
    for (int k = 0; k < floats.size(); k++) {
      result.set(floats.get(k), g.get(k));
    }
    return result;
  }

  /** Float tangents placed at their primal's index. */
  private record Placed(List<Integer> at, List<Array> values) {}

  /** Tangents for {@code primals}: {@code given}'s at their places, zeros of the primal's type elsewhere. */
  private static List<Array> zeroTangents(List<Array> primals, Placed given) {
    List<Array> t = new ArrayList<>(primals.size());
    for (Array p : primals) {
      t.add(Array.zerosLike(p));
    }
    if (given != null) {
      for (int k = 0; k < given.at().size(); k++) {
        t.set(given.at().get(k), given.values().get(k));
      }
    }
    return t;
  }
}
