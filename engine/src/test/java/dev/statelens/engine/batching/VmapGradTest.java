package dev.statelens.engine.batching;

import static dev.statelens.engine.batching.LoopCheck.assertSame;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** vmap composes with grad in both orders, and with jit around both. */
class VmapGradTest {

  static final Array W = Array.of(0.3, -0.2, 0.1);
  static final Array XS = Array.of(DType.F64, new int[] {4, 3}, 1, 2, 3, -1, 0.5, 2, 0, 0, 0, 0.2, -0.3, 0.7);

  static final BiFunction<Array, Array, Array> LOSS = (w, x) -> x.mul(w).sum().tanh().add(w.square().sum().mul(0.1));

  @Test
  void perExampleGradientsAreVmapOfGrad() {
    BiFunction<Array, Array, Array> g = Transforms.grad(LOSS);
    Array expected = LoopCheck.loop(g, W, null, XS, 0);
    assertSame("vmap(grad)", expected, Transforms.vmap(g, null, 0).apply(W, XS));
    assertSame("jit(vmap(grad))", expected, Transforms.jit(Transforms.vmap(g, null, 0)).apply(W, XS));
    assertSame("vmap(jit(grad))", expected, Transforms.vmap(Transforms.jit(g), null, 0).apply(W, XS));
  }

  @Test
  void gradOfABatchedLossEqualsTheSumOfPerExampleGradients() {
    Function<Array, Array> total = w -> Transforms.vmap((Array x) -> LOSS.apply(w, x)).apply(XS).sum();
    Array expected = Transforms.vmap(Transforms.grad(LOSS), null, 0).apply(W, XS).sum(0);
    assertSame("grad(vmap)", expected, Transforms.grad(total).apply(W));
    assertSame("jit(grad(vmap))", expected, Transforms.jit(Transforms.grad(total)).apply(W));
  }

  @Test
  void perExampleGradientsThroughAStagedScan() {
    // grad of a scan under jit runs a reverse scan; vmap must batch both directions
    BiFunction<Array, Array, Array> rnn = (w, xs) -> Lax.scan(
        (Array h, Array x) -> Pair.of(h.mul(w.get(0)).add(x.mul(w.get(1))).tanh(), h), Array.scalar(DType.F64, 0), xs)
        .first();
    BiFunction<Array, Array, Array> g = Transforms.jit(Transforms.grad(rnn));
    Array w = Array.of(0.5, -0.7);
    Array seqs = Array.of(DType.F64, new int[] {3, 4}, 1, 2, 3, 4, -1, 0.5, 0, 2, 0.1, 0.2, 0.3, 0.4);
    Array expected = LoopCheck.loop(g, w, null, seqs, 0);
    assertSame("vmap(jit(grad(scan)))", expected, Transforms.vmap(g, null, 0).apply(w, seqs));
    assertSame("jit(vmap(grad(scan)))", expected,
        Transforms.jit(Transforms.vmap(Transforms.grad(rnn), null, 0)).apply(w, seqs));
  }
}
