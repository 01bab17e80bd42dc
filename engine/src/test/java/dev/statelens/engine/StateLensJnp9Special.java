package dev.statelens.engine;

import dev.statelens.engine.JaxReference.Case;
import java.util.List;
import java.util.function.Function;

/** The {@link Special} twins of {@code jnp9/stats/special.<name>} cases (session 15, bench/gpu/jnp9_reference.py). */
final class StateLensJnp9Special {
  private StateLensJnp9Special() {}

  static Function<List<Array>, Array> function(String name, int arity, Case c) {
    return switch (name + "/" + arity) {
      case "special.xlogy/2" -> a -> Special.xlogy(a.get(0), a.get(1));
      default -> throw new IllegalArgumentException("StateLensJnp9Side has no twin for " + name + " with " + arity
          + " arguments (" + c.name() + ")");
    };
  }
}
