package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The twins of the {@code jnp8/sort/...} cases (session 14): {@link Sorting}'s sort/argsort with
 * descending, lexsort, lax.sort with num_keys, partition/argpartition and searchsorted's method.
 */
final class StateLensJnp8Sorting {
  private StateLensJnp8Sorting() {}

  /** Fills {@code out} for a sorting case; false when {@code fn} is not one. */
  static boolean run(String fn, String label, Case c, Map<String, Array> in, Map<String, Array> out) {
    if (!fn.startsWith("sort/")) {
      return false;
    }
    JsonNode a = c.args();
    Integer axis = a.path("axis").asInt() == -99 ? null : a.path("axis").asInt();
    Array x = in.get("x");
    switch (fn.substring("sort/".length())) {
      case "sort" -> out.put("out", Sorting.sort(x, axis, true, a.path("descending").asBoolean()));
      case "argsort" -> out.put("out", Sorting.argsort(x, axis, true, a.path("descending").asBoolean()));
      case "lexsort" -> out.put("out", Sorting.lexsort(new ArrayList<>(in.values()), axis));
      case "lax_sort" -> {
        List<Array> sorted = Lax.sort(new ArrayList<>(in.values()), a.path("dimension").asInt(), true,
            a.path("num_keys").asInt());
        for (int i = 0; i < sorted.size(); i++) {
          out.put("o" + i, sorted.get(i));
        }
      }
      case "partition" -> out.put("out", Sorting.partition(x, a.path("kth").asInt(), axis));
      case "argpartition" -> out.put("out", Sorting.argpartition(x, a.path("kth").asInt(), axis));
      case "grad_partition" -> out.put("dx", Transforms.grad(
          (Array t) -> Sorting.partition(t, a.path("kth").asInt(), axis).mul(in.get("w")).sum()).apply(x));
      case "grad_sort_descending" -> out.put("dx", Transforms.grad(
          (Array t) -> Sorting.sort(t, axis, true, true).mul(in.get("w")).sum()).apply(x));
      case "searchsorted" -> out.put("out", Sorting.searchsorted(in.get("a"), in.get("v"), a.path("side").asText(),
          a.path("method").asText()));
      case "unique_axis" -> {
        int ax = a.path("axis").asInt();
        Integer size = a.has("size") ? a.path("size").asInt() : null;
        Double fill = a.has("fill_value") ? a.path("fill_value").asDouble() : null;
        if (a.path("jit").asBoolean(false)) {
          out.put("values", Transforms.jit((Array t) -> Nonzero.uniqueAxis(t, ax, size, fill)).apply(x));
        } else {
          Nonzero.Unique u = Nonzero.uniqueAllAxis(x, ax, size, fill);
          out.put("values", u.values());
          out.put("indices", u.indices());
          out.put("inverse", u.inverse());
          out.put("counts", u.counts());
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }
}
