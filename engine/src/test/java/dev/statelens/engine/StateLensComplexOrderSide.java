package dev.statelens.engine;

import dev.statelens.engine.JaxReference.Case;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The StateLens twins of {@code bench/gpu/complex_order_reference.py}'s cases (every {@code fn}
 * under {@code complexorder/}): jnp's lexicographic order on complex64 — comparisons,
 * maximum/minimum, max/min (with NaN parts past 32 elements: XLA's tree reduction order),
 * cummax/cummin (XLA's scan order) and their gradient,
 * sort/argsort, unique, searchsorted.
 */
final class StateLensComplexOrderSide {
  private StateLensComplexOrderSide() {}

  static boolean handles(String fn) {
    return fn.startsWith("complexorder/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    String fn = c.fn().substring("complexorder/".length());
    Map<String, Array> out = new LinkedHashMap<>();
    if (fn.equals("maximum_vjp") || fn.equals("minimum_vjp")) {
      java.util.function.Function<Pair<Array, Array>, Array> f = fn.startsWith("maximum")
          ? p -> p.first().maximum(p.second()) : p -> p.first().minimum(p.second());
      Array ct = Array.complex(Array.full(a(in).shape(), 1), Array.full(a(in).shape(), 2));
      Pair<Array, Array> g = Transforms.vjp(f, Pair.of(a(in), b(in))).pullback().apply(ct);
      StateLensComplexSide.put(out, "da", g.first());
      StateLensComplexSide.put(out, "db", g.second());
      return out;
    }
    Array result = switch (fn) {
      case "less" -> a(in).lt(b(in));
      case "less_equal" -> a(in).le(b(in));
      case "greater" -> a(in).gt(b(in));
      case "greater_equal" -> a(in).ge(b(in));
      case "maximum" -> a(in).maximum(b(in));
      case "minimum" -> a(in).minimum(b(in));
      case "sort" -> Sorting.sort(x(in), -1, true, false);
      case "sort_descending" -> Sorting.sort(x(in), -1, true, true);
      case "argsort" -> Sorting.argsort(x(in), -1, true, false);
      case "argsort_descending" -> Sorting.argsort(x(in), -1, true, true);
      case "lax_sort" -> Lax.sort(java.util.List.of(x(in)), 0, true, 1).get(0);
      case "max" -> x(in).max();
      case "min" -> x(in).min();
      case "sort_axis0" -> x(in).sort(0);
      case "argsort_axis0" -> x(in).argsort(0);
      case "max_axis1" -> x(in).max(1);
      case "min_axis0" -> x(in).min(0);
      case "max_axes" -> x(in).max(StateLensMoreSide.ints(c.args().get("axes")));
      case "min_axes" -> x(in).min(StateLensMoreSide.ints(c.args().get("axes")));
      case "cummax" -> Lax.cummax(x(in), c.args().get("axis").asInt(), c.args().get("reverse").asBoolean());
      case "cummin" -> Lax.cummin(x(in), c.args().get("axis").asInt(), c.args().get("reverse").asBoolean());
      case "cummax_vjp", "cummin_vjp" -> {
        boolean reverse = c.args().get("reverse").asBoolean();
        java.util.function.Function<Array, Array> f = fn.startsWith("cummax")
            ? v -> Lax.cummax(v, 0, reverse) : v -> Lax.cummin(v, 0, reverse);
        yield Transforms.vjp(f, x(in)).pullback().apply(StateLensComplexSide.complex(in, "t"));
      }
      case "unique" -> Nonzero.unique(x(in));
      case "searchsorted" -> Array.searchsorted(a(in), b(in), c.args().get("side").asText());
      default -> throw new IllegalArgumentException("jax-reference case complexorder/" + fn
          + ": no StateLens twin; add a branch to StateLensComplexOrderSide.run");
    };
    StateLensComplexSide.put(out, "out", result);
    return out;
  }

  private static Array a(Map<String, Array> in) {
    return StateLensComplexSide.complex(in, "a");
  }

  private static Array b(Map<String, Array> in) {
    return StateLensComplexSide.complex(in, "b");
  }

  private static Array x(Map<String, Array> in) {
    return StateLensComplexSide.complex(in, "x");
  }
}
