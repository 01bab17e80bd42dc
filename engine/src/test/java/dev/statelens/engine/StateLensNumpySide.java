package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The StateLens twins of {@code jax_reference.py}'s {@code jnp/*} cases (session 10): the
 * trig/hyperbolic primitives and jnp compositions under their jnp names ({@code jnp/arcsin} is
 * {@link Array#asin()}), their gradients ({@code jnp/grad/*}), the axis moves and the quantiles.
 */
final class StateLensNumpySide {
  private StateLensNumpySide() {}

  static boolean handles(String fn) {
    return fn.startsWith("jnp/");
  }

  /** The jnp ufunc of each name, as StateLens spells it. */
  static Function<Array, Array> unary(String jnpName) {
    return switch (jnpName) {
      case "tan" -> Array::tan;
      case "arcsin" -> Array::asin;
      case "arccos" -> Array::acos;
      case "arctan" -> Array::atan;
      case "sinh" -> Array::sinh;
      case "cosh" -> Array::cosh;
      case "arcsinh" -> Array::asinh;
      case "arccosh" -> Array::acosh;
      case "arctanh" -> Array::atanh;
      case "exp2" -> Array::exp2;
      case "log2" -> Array::log2;
      case "log10" -> Array::log10;
      case "isnan" -> Array::isnan;
      case "isinf" -> Array::isinf;
      default -> null;
    };
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    JsonNode a = c.args();
    String fn = c.fn().substring("jnp/".length());
    Array x = in.get("x");
    Map<String, Array> out = new LinkedHashMap<>();
    Function<Array, Array> f = unary(fn);
    if (f != null) {
      out.put("out", a.path("jit").asBoolean(false) ? Transforms.jit(f).apply(x) : f.apply(x));
      return out;
    }
    if (fn.startsWith("grad/")) {
      grad(c, fn.substring("grad/".length()), in, out);
      return out;
    }
    Integer axis = a.path("axis").isInt() ? a.path("axis").asInt() : null;
    boolean keep = a.path("keepdims").asBoolean(false);
    out.put("out", switch (fn) {
      case "hypot" -> x.hypot(in.get("y"));
      case "nan_to_num" -> a.has("nan") ? x.nanToNum(a.path("nan").asDouble(), a.path("posinf").asDouble(),
          a.path("neginf").asDouble()) : x.nanToNum();
      case "floor_divide" -> x.floorDivide(in.get("y"));
      case "roll" -> a.path("shift").isArray() ? x.roll(ints(a.path("shift")), ints(a.path("axis")))
          : axis == null ? x.roll(a.path("shift").asInt()) : x.roll(a.path("shift").asInt(), axis);
      case "moveaxis" -> a.path("source").isArray() ? x.moveaxis(ints(a.path("source")), ints(a.path("destination")))
          : x.moveaxis(a.path("source").asInt(), a.path("destination").asInt());
      case "swapaxes" -> x.swapaxes(a.path("axis1").asInt(), a.path("axis2").asInt());
      case "ravel" -> x.swapaxes(1, 2).ravel();
      case "quantile" -> a.path("q").isArray() ? x.quantile(doubles(a.path("q")), axis, keep)
          : axis == null ? x.quantile(a.path("q").asDouble()) : x.quantile(a.path("q").asDouble(), axis, keep);
      case "percentile" -> axis == null ? x.percentile(a.path("q").asDouble()) : x.percentile(a.path("q").asDouble(), axis, keep);
      case "median" -> axis == null ? x.median() : x.median(axis, keep);
      case "nansum" -> axis == null ? x.nansum() : x.nansum(axis);
      case "nanmean" -> axis == null ? x.nanmean() : x.nanmean(axis);
      default -> throw new IllegalArgumentException("jax-reference case " + c.name() + ": no StateLens twin for fn '"
          + c.fn() + "'; add a branch to StateLensNumpySide.run");
    });
    return out;
  }

  private static void grad(Case c, String fn, Map<String, Array> in, Map<String, Array> out) {
    Array x = in.get("x");
    Function<Array, Array> f = unary(fn);
    if (f != null) {
      out.put("dx", Transforms.grad((Array v) -> f.apply(v).sum()).apply(x));
      return;
    }
    switch (fn) {
      case "hypot" -> {
        var g = Transforms.grad((java.util.List<Array> v) -> v.get(0).hypot(v.get(1)).sum())
            .apply(java.util.List.of(x, in.get("y")));
        out.put("dx", g.get(0));
        out.put("dy", g.get(1));
      }
      case "roll" -> {
        Array w = in.get("w");
        out.put("dx", Transforms.grad((Array v) -> v.roll(3, 1).mul(w).sum()).apply(x));
      }
      case "median" -> out.put("dx", Transforms.grad((Array v) -> v.median(1, false).sum()).apply(x));
      case "quantile" -> out.put("dx", Transforms.grad((Array v) -> v.quantile(0.3, 0, false).sum()).apply(x));
      default -> throw new IllegalArgumentException("jax-reference case " + c.name() + ": no StateLens twin for fn '"
          + c.fn() + "'; add a branch to StateLensNumpySide.grad");
    }
  }

  private static int[] ints(JsonNode n) {
    int[] r = new int[n.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = n.get(i).asInt();
    }
    return r;
  }

  private static double[] doubles(JsonNode n) {
    double[] r = new double[n.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = n.get(i).asDouble();
    }
    return r;
  }
}
