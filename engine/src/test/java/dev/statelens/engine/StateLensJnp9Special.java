package dev.statelens.engine;

import dev.statelens.engine.JaxReference.Case;
import java.util.List;
import java.util.function.Function;

/** The {@link Special} twins of {@code jnp9/stats/special.<name>} cases (session 15, bench/gpu/jnp9_reference.py). */
final class StateLensJnp9Special {
  private StateLensJnp9Special() {}

  static Function<List<Array>, Array> function(String name, int arity, Case c) {
    return switch (name + "/" + arity) {
      case "special.gammasgn/1" -> a -> Special.gammasgn(a.get(0));
      case "special.gamma/1" -> a -> Special.gamma(a.get(0));
      case "special.loggamma/1" -> a -> Special.loggamma(a.get(0));
      case "special.factorial/1" -> a -> Special.factorial(a.get(0));
      case "special.beta/2" -> a -> Special.beta(a.get(0), a.get(1));
      case "special.comb/2" -> a -> Special.comb(a.get(0), a.get(1));
      case "special.comb_repetition/2" -> a -> Special.comb(a.get(0), a.get(1), true);
      case "special.poch/2" -> a -> Special.poch(a.get(0), a.get(1));
      case "special.rel_entr/2" -> a -> Special.relEntr(a.get(0), a.get(1));
      case "special.kl_div/2" -> a -> Special.klDiv(a.get(0), a.get(1));
      case "special.boxcox/2" -> a -> Special.boxcox(a.get(0), a.get(1));
      case "special.erfcx/1" -> a -> Special.erfcx(a.get(0));
      case "special.boxcox1p/2" -> a -> Special.boxcox1p(a.get(0), a.get(1));
      default -> throw new IllegalArgumentException("StateLensJnp9Side has no twin for " + name + " with " + arity
          + " arguments (" + c.name() + ")");
    };
  }
}
