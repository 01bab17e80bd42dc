package dev.statelens.engine;

import dev.statelens.engine.JaxReference.Case;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The StateLens twins of {@code jax_reference.py}'s {@code jnp7/*} cases (session 13,
 * {@code bench/gpu/jnp7_reference.py}): {@code Special.zeta}/{@code Lax.zeta} and their gradient,
 * the jnp math functions, the lax pieces, the shape helpers and the linalg norms.
 */
final class StateLensJnp7Side {
  private StateLensJnp7Side() {}

  static boolean handles(String fn) {
    return fn.startsWith("jnp7/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    String fn = c.fn().substring("jnp7/".length());
    String label = c.name().substring(c.fn().length());
    Map<String, Array> out = new LinkedHashMap<>();
    Array x = in.get("x");
    Array q = in.get("q");
    switch (fn) {
      case "zeta" -> out.put("out", label.startsWith("/jit/") ? Transforms.jit(Special::zeta).apply(x, q)
          : label.startsWith("/vmap/") ? Transforms.vmap((Array qq) -> Special.zeta(x, qq)).apply(q)
          : Special.zeta(x, q));
      case "lax_zeta" -> out.put("out", Lax.zeta(x, q));
      case "grad/zeta" -> {
        Pair<Array, Array> g = Transforms.grad((Pair<Array, Array> p) -> Special.zeta(p.first(), p.second()).sum())
            .apply(Pair.of(x, q));
        out.put("dx", g.first());
        out.put("dq", g.second());
      }
      default -> {
        if (!StateLensJnp7Math.run(fn, label, c, in, out)) {
          throw new IllegalArgumentException("StateLensJnp7Side has no twin for " + c.name());
        }
      }
    }
    return out;
  }
}
