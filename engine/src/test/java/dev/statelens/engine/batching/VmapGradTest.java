package dev.statelens.engine.batching;

import static dev.statelens.engine.batching.LoopCheck.assertSame;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
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
}
