package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The StateLens twins of {@code jax_reference.py}'s {@code jnp6/*} cases (session 13,
 * {@code bench/gpu/jnp6_reference.py}): {@code Random.binomial/multinomial/generalizedNormal} and
 * the key plumbing, eager, jitted and vmapped.
 */
final class StateLensJnp6Side {
  private StateLensJnp6Side() {}

  static boolean handles(String fn) {
    return fn.startsWith("jnp6/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    String fn = c.fn().substring("jnp6/".length());
    Map<String, Array> out = new LinkedHashMap<>();
    if (!random(fn, c, in, out)) {
      throw new IllegalArgumentException("StateLensJnp6Side has no twin for " + c.name());
    }
    return out;
  }

  /** binomial, multinomial, generalized_normal, key_data / wrap_key_data / clone. */
  private static boolean random(String fn, Case c, Map<String, Array> in, Map<String, Array> out) {
    if (!fn.startsWith("random/")) {
      return false;
    }
    JsonNode a = c.args();
    Key key = Random.key(c.seed());
    String label = label(c);
    switch (fn) {
      case "random/binomial" -> {
        Array n = in.get("n"), p = in.get("p");
        out.put("out", switch (label) {
          case "arrays" -> Random.binomial(key, n, p, null, DType.F32);
          case "broadcast" -> Random.binomial(key, n, p, ints(a.path("shape")), DType.F32);
          case "jit" -> Transforms.jit((Key k, Array nn, Array pp) -> Random.binomial(k, nn, pp, null, DType.F32))
              .apply(key, n, p);
          case "vmap-keys" -> Transforms.vmap((Key k) -> Random.binomial(k, n, p, null, DType.F32))
              .apply(Random.wrapKeyData(Array.stack(0, Random.split(key, 3).stream().map(Random::keyData)
                  .toArray(Array[]::new))));
          default -> Random.binomial(key, a.path("n").asDouble(), a.path("p").asDouble(), ints(a.path("shape")));
        });
      }
      case "random/multinomial" -> {
        Array n = in.get("n"), p = in.get("p");
        out.put("out", switch (label) {
          case "shape" -> Random.multinomial(key, n, p, ints(a.path("shape")), DType.F32);
          case "jit" -> Transforms.jit((Key k, Array nn, Array pp) -> Random.multinomial(k, nn, pp)).apply(key, n, p);
          default -> Random.multinomial(key, n, p);
        });
      }
      case "random/generalized_normal" -> out.put("out",
          Random.generalizedNormal(key, a.path("p").asDouble(), ints(a.path("shape")), DType.F32));
      case "random/key_data" -> {
        Key sub = Random.split(key).second();
        Array data = Random.keyData(sub);
        out.put("data", data);
        List<Key> three = Random.split(key, 3);
        out.put("batch", Array.stack(0, three.stream().map(Random::keyData).toArray(Array[]::new)));
        out.put("wrapped", Transforms.jit((Array d) -> Random.normal(Random.wrapKeyData(d), 5)).apply(data));
        out.put("clone", Random.uniform(Random.clone(sub), 5));
      }
      default -> throw new IllegalArgumentException("StateLensJnp6Side has no twin for " + c.name());
    }
    return true;
  }

  /** The case's label: its name after {@code fn} and the key, e.g. {@code "arrays"}. */
  private static String label(Case c) {
    String rest = c.name().substring(c.fn().length());
    if (rest.startsWith("/key(")) {
      rest = rest.substring(rest.indexOf(')') + 1);
    }
    return rest.startsWith("/") ? rest.substring(1) : rest;
  }

  private static int[] ints(JsonNode node) {
    int[] r = new int[node.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = node.get(i).asInt();
    }
    return r;
  }
}
