package dev.statelens.engine;

import dev.statelens.engine.JaxReference.Case;
import java.util.Map;

/** {@link StateLensJnp7Side}'s twins of the jnp math, lax, shape and linalg cases. */
final class StateLensJnp7Math {
  private StateLensJnp7Math() {}

  static boolean run(String fn, String label, Case c, Map<String, Array> in, Map<String, Array> out) {
    return false;
  }
}
