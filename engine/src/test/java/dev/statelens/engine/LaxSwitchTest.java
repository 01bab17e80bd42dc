package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.Jaxpr;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Lax.switchCase (lax.switch): eager, under jit (one cond), clamped index, under vmap and grad. */
class LaxSwitchTest {

  private static final Array SCALE = Array.of(10f, 20f);

  static Array pick(Array i, Array x) {
    return Lax.switchCase(i, x,
        (Array v) -> v.add(1),
        (Array v) -> v.mul(SCALE),     // closes over a constant
        (Array v) -> v.neg().exp());
  }

  @Test
  void eagerAndJittedAgreeForEveryIndexIncludingClamped() {
    BiFunction<Array, Array, Array> jf = Transforms.jit(LaxSwitchTest::pick);
    Array x = Array.of(1f, 2f);
    float[][] expected = {{2, 3}, {2, 3}, {10, 40}, {(float) Math.exp(-1), (float) Math.exp(-2)}, {(float) Math.exp(-1), (float) Math.exp(-2)}};
    int[] indices = {-5, 0, 1, 2, 7};
    for (int k = 0; k < indices.length; k++) {
      Array i = Array.scalar(DType.I32, indices[k]);
      assertArrayEquals(expected[k], pick(i, x).toFloatArray(), 1e-6f, "eager index " + indices[k]);
      assertArrayEquals(expected[k], jf.apply(i, x).toFloatArray(), 1e-6f, "jit index " + indices[k]);
    }
    assertEquals(1, Transforms.jitInfo(jf).graphs().size());
    Jaxpr j = Transforms.jitInfo(jf).graphs().get(0).jaxpr();
    assertEquals("cond", j.eqns().get(j.eqns().size() - 1).primitive().name(), j.toString());
  }

  @Test
  void vmapOverTheIndexPicksPerElement() {
    Array idx = Array.of(2, 0, 1, 5);
    Array xs = Array.of(DType.F32, new int[] {4, 2}, 1, 2, 3, 4, 5, 6, 7, 8);
    Array r = Transforms.vmap(LaxSwitchTest::pick, 0, 0).apply(idx, xs);
    for (int b = 0; b < 4; b++) {
      assertArrayEquals(pick(idx.get(b), xs.get(b)).toFloatArray(), r.get(b).toFloatArray(), 1e-6f, "row " + b);
    }
    Array rj = Transforms.jit(Transforms.vmap(LaxSwitchTest::pick, 0, 0)).apply(idx, xs);
    assertArrayEquals(r.toFloatArray(), rj.toFloatArray(), 1e-6f);
  }

  @Test
  void gradFlowsThroughTheChosenBranch() {
    BiFunction<Array, Array, Array> loss = (x, i) -> pick(i, x).sum();
    BiFunction<Array, Array, Array> g = Transforms.jit(Transforms.grad(loss));
    Array x = Array.of(1f, 2f);
    assertArrayEquals(new float[] {10, 20}, g.apply(x, Array.scalar(DType.I32, 1)).toFloatArray(), 1e-5f);
    assertArrayEquals(new float[] {1, 1}, g.apply(x, Array.scalar(DType.I32, 0)).toFloatArray(), 1e-5f);
  }

  @Test
  void badIndexAndMismatchedBranchesAreClearErrors() {
    ShapeError e = assertThrows(ShapeError.class, () -> pick(Array.scalar(1), Array.zeros(2)));
    assertTrue(e.getMessage().contains("integer scalar") && e.getMessage().contains("f32[]"), e.getMessage());
    ShapeError m = assertThrows(ShapeError.class, () -> Transforms.jit((Array i) -> Lax.switchCase(i, null,
        (Object o) -> Array.zeros(2), (Object o) -> Array.zeros(3))).apply(Array.scalar(DType.I32, 0)));
    assertTrue(m.getMessage().contains("branch 1") && m.getMessage().contains("f32[3]"), m.getMessage());
  }
}
