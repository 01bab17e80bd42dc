package dev.statelens.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.VjpResult;
import org.junit.jupiter.api.Test;

/**
 * Gradients with respect to integer and bool inputs, as JAX 0.10.2: {@code jax.grad} refuses them
 * unless {@code allow_int=True} ({@code Transforms.gradAllowInt}), and with it, as {@code jax.vjp}
 * always, the integer leaves' gradient is {@code float0} zeros — here zeros of the leaf's own
 * dtype (docs/decisions.md, jnp13). The float leaves' values are JAX's: for
 * {@code f(x, w) = sum(float(x) * w)} at {@code x = arange(3)}, {@code df/dw = [0, 1, 2]}.
 */
class IntegerInputsGradTest {
  record Params(Array w, Array step) {}

  static Array loss(Params p) {
    return p.step().astype(DType.F32).mul(p.w()).sum();
  }

  static final Params AT = new Params(Array.of(1f, 1f, 1f), Array.arange(3));

  @Test
  void gradRefusesAnIntegerLeafNamingAllowIntAndVjp() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Transforms.grad(IntegerInputsGradTest::loss).apply(AT));
    assertTrue(e.getMessage().contains("arg0.step") && e.getMessage().contains("i32[3]"), e.getMessage());
    assertTrue(e.getMessage().contains("gradAllowInt") && e.getMessage().contains("vjp"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Transforms.grad((Array b) -> b.astype(DType.F32).sum()).apply(Array.of(true, false)));
  }

  @Test
  void gradAllowIntDifferentiatesTheFloatLeavesAndGivesZerosForTheOthers() {
    Params g = Transforms.gradAllowInt(IntegerInputsGradTest::loss).apply(AT);
    assertArrayEquals(new float[] {0f, 1f, 2f}, g.w().toFloatArray(), 0f);
    assertEquals(DType.I32, g.step().dtype());
    assertArrayEquals(new int[] {3}, g.step().shape());
    assertArrayEquals(new int[] {0, 0, 0}, g.step().toIntArray());
    // a bool leaf: false zeros
    Array mask = Array.of(true, false, true);
    Array gm = Transforms.gradAllowInt((Array m) -> m.astype(DType.F32).mul(2f).sum()).apply(mask);
    assertEquals(DType.BOOL, gm.dtype());
    assertEquals(0, gm.astype(DType.I32).sum().toIntArray()[0]);
    // all-float arguments: the same as grad
    Array x = Array.of(0.5f, -2f);
    assertArrayEquals(Transforms.grad((Array v) -> v.mul(v).sum()).apply(x).toFloatArray(),
        Transforms.gradAllowInt((Array v) -> v.mul(v).sum()).apply(x).toFloatArray(), 0f);
  }

  @Test
  void vjpGivesAnIntegerInputZeros() {
    VjpResult<Array, Params> r = Transforms.vjp(IntegerInputsGradTest::loss, AT);
    assertEquals(3f, r.out().toFloatArray()[0], 0f);
    Params ct = r.pullback(Array.scalar(1f));
    assertArrayEquals(new float[] {0f, 1f, 2f}, ct.w().toFloatArray(), 0f);
    assertEquals(DType.I32, ct.step().dtype());
    assertArrayEquals(new int[] {0, 0, 0}, ct.step().toIntArray());
  }

  @Test
  void underJitTheSame() {
    Params g = Transforms.jit(Transforms.gradAllowInt(IntegerInputsGradTest::loss)).apply(AT);
    assertArrayEquals(new float[] {0f, 1f, 2f}, g.w().toFloatArray(), 0f);
    assertArrayEquals(new int[] {0, 0, 0}, g.step().toIntArray());
  }
}
