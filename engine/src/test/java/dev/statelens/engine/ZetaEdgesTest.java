package dev.statelens.engine;

import static dev.statelens.engine.SpecialTest.assertClose;
import static dev.statelens.engine.SpecialTest.f64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * zeta's special-value edges as real JAX 0.10.2 gives them on the CPU (session 16): XLA flushes
 * subnormal arguments and results to zero, and chlo.zeta's initial-sum shortcut never holds there.
 * Real JAX: {@code jnp10/special.zeta/edges} in {@code JaxReferenceTest}.
 */
class ZetaEdgesTest {
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final double NAN = Double.NaN;

  @Test
  void subnormalArgumentsAndResultsAreFlushed() {
    // q = 1e-40 is the pole q = 0 (+inf for even x, else NaN); x = 1e-40 is 0, an even integer, at a pole q
    Array x = Array.of(2f, 3f, 2.5f, 1e-40f, 2f);
    Array q = Array.of(1e-40f, 1e-40f, 1e-40f, -2f, 1e38f);
    // zeta(2, 1e38) = 1e-38, an f32 subnormal: 0, as XLA's result
    assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.NaN, Float.NaN, Float.POSITIVE_INFINITY, 0f},
        Special.zeta(x, q).toFloatArray());
    assertArrayEquals(Special.zeta(x, q).toFloatArray(), Lax.zeta(x, q).toFloatArray());
    // F64 flushes below its own smallest normal; an f32-subnormal value is a normal double and stays
    assertClose(new double[] {INF, NAN}, Special.zeta(f64(2, 3), f64(1e-310, 1e-310)), 0);
    assertClose(new double[] {1e80}, Special.zeta(f64(2), f64(1e-40)), 1e-6);
  }

  @Test
  void f32IsComputedInF32AsXlaDoes() {
    // real JAX 0.10.2 (f32): (q + 10)^2 and (x + 22)(x + 21) overflow past 3.4e38 (NaN: inf * 0 in
    // the tail), the flushed first tail term keeps (1e15, 1.38e12) at 0; double arithmetic gave 0, 0, 0, 0
    Array x = Array.of(1e20f, 1e30f, 2e19f, 1e19f, 1e19f, 1e18f, 1e15f, 1e15f);
    Array q = Array.of(1e38f, 1e38f, 1e38f, 1e10f, 1e18f, 0.5f, 1.3827337e12f, 1e11f);
    float[] jax = {Float.NaN, Float.NaN, Float.NaN, Float.NaN, 0f, Float.NaN, 0f, Float.NaN};
    assertArrayEquals(jax, Special.zeta(x, q).toFloatArray());
    assertArrayEquals(jax, Transforms.jit((Array a, Array b) -> Lax.zeta(a, b)).apply(x, q).toFloatArray());
    // F64 keeps the double steps: zeta(1e20, 1e38) underflows to 0 there
    assertClose(new double[] {0}, Special.zeta(f64(1e20), f64(1e38)), 0);
  }

  @Test
  void anOverflowingTailIsNaNAsInJax() {
    // the Euler-Maclaurin tail overflows (inf * 0): NaN, where the shortcut used to answer with the initial sum
    assertClose(new double[] {NAN, NAN, NAN, NAN}, Special.zeta(f64(INF, INF, 1e300, 1e38), f64(0.5, -0.5, 1, 2)), 0);
    // ordinary values are unchanged: zeta(2, 1) = pi^2 / 6, zeta(40, 1) = 1 + 2^-40 + ...
    assertClose(new double[] {Math.PI * Math.PI / 6, 1 + Math.pow(2, -40) + Math.pow(3, -40)},
        Special.zeta(f64(2, 40), f64(1, 1)), 1e-15);
  }
}
