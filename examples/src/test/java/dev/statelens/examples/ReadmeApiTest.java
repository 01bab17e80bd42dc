package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.Tree;
import org.junit.jupiter.api.Test;

/** The README's "engine API in ten lines", verbatim: it must compile, fit, and print a jaxpr. */
class ReadmeApiTest {
  record Params(Array weight, Array bias) {}

  @Test
  void theTenLinesFitTheLineAndPrintTheGraph() {
    // --- from README.md (keep in sync) ---
    Key key = Random.key(42);
    Pair<Key, Key> k = Random.split(key);
    Array xs = Random.normal(k.first(), 128, 1), ys = xs.mul(2).sub(1);
    Fn3<Params, Array, Array, Array> loss = (p, x, y) -> p.weight().mul(x).add(p.bias()).sub(y).square().mean();
    var update = Transforms.jit("update", (Params p, Array x, Array y) ->
        Tree.map((w, g) -> w.sub(g.mul(0.005)), p, Transforms.grad(loss).apply(p, x, y)));
    Params params = new Params(Array.scalar(1), Array.scalar(0));
    for (int i = 0; i < 1000; i++) params = update.apply(params, xs, ys);
    String jaxpr = Transforms.makeJaxpr(update, params, xs, ys).toString();
    // --- end ---
    assertEquals(2.0, params.weight().item(), 0.05, "weight");
    assertEquals(-1.0, params.bias().item(), 0.05, "bias");
    assertTrue(jaxpr.startsWith("{ lambda"), jaxpr);
    assertTrue(jaxpr.contains("mul") && jaxpr.contains("sub"), jaxpr);
  }
}
