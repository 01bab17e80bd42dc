package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.Pair;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Tree;
import dev.statelens.engine.TreeDef;
import dev.statelens.engine.TreeStructureError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code Transforms.customVjp} (JAX's {@code jax.custom_vjp}) over pytrees: flattens the argument,
 * builds the flat {@link CustomVjpCall.Rule} for this application and checks what the user's
 * functions return (fwd's output against f's, bwd's cotangent against the argument, by path).
 */
public final class CustomVjp {
  private CustomVjp() {}

  /** {@code f} with the reverse-mode rule {@code fwd}/{@code bwd}; see {@code Transforms.customVjp}. */
  public static <A, R, Res> Function<A, R> function(Function<A, R> f, Function<A, Pair<R, Res>> fwd,
      BiFunction<Res, R, A> bwd) {
    Objects.requireNonNull(f, "customVjp: f must not be null");
    Objects.requireNonNull(fwd, "customVjp: fwd must not be null");
    Objects.requireNonNull(bwd, "customVjp: bwd must not be null");
    return a -> apply(f, fwd, bwd, a, "x");
  }

  /** The two-argument form: bwd returns {@code Pair.of(cotangent of a, cotangent of b)}. */
  public static <A, B, R, Res> BiFunction<A, B, R> function(BiFunction<A, B, R> f,
      BiFunction<A, B, Pair<R, Res>> fwd, BiFunction<Res, R, Pair<A, B>> bwd) {
    Objects.requireNonNull(f, "customVjp: f must not be null");
    Objects.requireNonNull(fwd, "customVjp: fwd must not be null");
    Objects.requireNonNull(bwd, "customVjp: bwd must not be null");
    Function<Pair<A, B>, R> f1 = p -> f.apply(p.first(), p.second());
    Function<Pair<A, B>, Pair<R, Res>> fwd1 = p -> fwd.apply(p.first(), p.second());
    return (a, b) -> apply(f1, fwd1, bwd, Pair.of(a, b), "args");
  }

  /** The structures one application learns: f's (or fwd's) output, fwd's residuals. */
  private static final class Structure {
    volatile TreeDef out;
    volatile TreeDef residuals;

    void out(TreeDef def, String who) {
      if (out == null) {
        out = def;
      } else if (!out.equals(def)) {
        throw TreeStructureError.between("customVjp: " + who + " returned an output structured unlike f's "
            + "(fwd must return Pair.of(f(x), residuals))", out, def);
      }
    }
  }

  private static <A, R, Res> R apply(Function<A, R> f, Function<A, Pair<R, Res>> fwd, BiFunction<Res, R, A> bwd,
      A a, String root) {
    Tree.Flat in = Tree.flatten(a);
    TreeDef inDef = in.def();
    List<String> paths = inDef.paths(root);
    List<Array> inLeaves = in.leaves();
    Structure s = new Structure();
    Function<List<Array>, List<Array>> fun = leaves -> {
      Tree.Flat o = Tree.flatten(f.apply(inDef.unflatten(leaves)));
      s.out(o.def(), "f");
      return o.leaves();
    };
    Function<List<Array>, CustomVjpCall.FwdOut> fwdFlat = leaves -> {
      Pair<R, Res> r = fwd.apply(inDef.unflatten(leaves));
      if (r == null) {
        throw new IllegalArgumentException("customVjp: fwd returned null; return Pair.of(f(x), residuals)");
      }
      Tree.Flat o = Tree.flatten(r.first());
      s.out(o.def(), "fwd");
      Tree.Flat res;
      try {
        res = Tree.flatten(r.second());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("customVjp: fwd's residuals must be a pytree of arrays (records, List, "
            + "Map, Pair, Optional, null): " + e.getMessage(), e);
      }
      // a replayed graph runs this fwd again (grad(jit(f))): same structure each time, so one
      // shared field is safe across calls and threads
      if (s.residuals == null) {
        s.residuals = res.def();
      } else if (!s.residuals.equals(res.def())) {
        throw TreeStructureError.between("customVjp: fwd returned residuals structured unlike on its first call",
            s.residuals, res.def());
      }
      return new CustomVjpCall.FwdOut(o.leaves(), res.leaves());
    };
    BiFunction<List<Array>, List<Array>, List<Array>> bwdFlat = (res, cts) -> {
      A g = bwd.apply(s.residuals.unflatten(res), s.out.unflatten(cts));
      Tree.Flat gf;
      try {
        gf = Tree.flatten(g);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("customVjp: bwd must return a cotangent shaped like the argument "
            + inDef + ": " + e.getMessage(), e);
      }
      if (!gf.def().equals(inDef)) {
        throw TreeStructureError.between("customVjp: bwd returned a cotangent structured unlike the argument "
            + "(return one cotangent per argument leaf, zeros where there is none)", inDef, gf.def());
      }
      List<Array> result = new ArrayList<>(inLeaves.size());
      for (int i = 0; i < inLeaves.size(); i++) {
        Array x = inLeaves.get(i);
        Array c = gf.leaves().get(i);
        if (!x.dtype().isInexact()) {
          result.add(null); // integer and bool arguments get zero cotangents, whatever bwd says
        } else if (!c.aval().equals(x.aval())) {
          throw new ShapeError("customVjp: bwd returned " + c.aval() + " as the cotangent of " + paths.get(i)
              + ", which is " + x.aval() + "; return a cotangent of the argument's shape and dtype"
              + (c.dtype() != x.dtype() ? " (astype(" + x.dtype() + "))" : " (reshape or broadcast it)"));
        } else {
          result.add(c);
        }
      }
      return result;
    };
    CustomVjpCall.Rule rule = new CustomVjpCall.Rule("custom_vjp", 0, fun, fwdFlat, bwdFlat);
    List<Array> outs = CustomVjpCall.call(rule, inLeaves);
    return s.out.unflatten(outs);
  }
}
