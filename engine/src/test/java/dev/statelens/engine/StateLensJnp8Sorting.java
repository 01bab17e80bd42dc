package dev.statelens.engine;

import dev.statelens.engine.JaxReference.Case;
import java.util.Map;

/** The twins of the {@code jnp8/sort/...} cases (session 14): lexsort, partition, sort options. */
final class StateLensJnp8Sorting {
  private StateLensJnp8Sorting() {}

  /** Fills {@code out} for a sorting case; false when {@code fn} is not one. */
  static boolean run(String fn, String label, Case c, Map<String, Array> in, Map<String, Array> out) {
    return false;
  }
}
