package dev.statelens.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A {@code lax.while_loop} whose condition holds element by element: what JAX runs when a scalar
 * while loop sits under {@code jnp.vectorize}/{@code vmap} (expn's series and continued fraction,
 * hyp1f1's series). The loop goes on while any element's own condition holds, and updates only
 * those elements ({@code select(cond, body(carry), carry)}, the batching rule), so each element
 * stops where JAX's per-element loop stops. Every carry leaf has the condition's shape.
 */
final class ElementwiseWhile {
  private ElementwiseWhile() {}

  static List<Array> run(Function<List<Array>, Array> cond, UnaryOperator<List<Array>> body, List<Array> init) {
    return Lax.whileLoop((List<Array> c) -> cond.apply(c).any(), (List<Array> c) -> {
      Array go = cond.apply(c);
      List<Array> next = body.apply(c);
      List<Array> kept = new ArrayList<>(next.size());
      for (int i = 0; i < next.size(); i++) {
        kept.add(Array.where(go, next.get(i), c.get(i)));
      }
      return kept;
    }, init);
  }
}
