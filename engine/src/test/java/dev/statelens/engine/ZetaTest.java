package dev.statelens.engine;

import static dev.statelens.engine.SpecialTest.assertClose;
import static dev.statelens.engine.SpecialTest.f64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Special#zeta} and {@link Lax#zeta}: the Hurwitz zeta function against closed forms and
 * identities, its gradient (JAX's series-expansion rule) against the identity
 * {@code d/dq zeta(x, q) = -x zeta(x + 1, q)} and central differences, errors, jit and vmap. The
 * real-JAX comparison is JaxReferenceTest's jnp7/zeta cases.
 */
class ZetaTest {

  @Test
  void matchesClosedFormsAndPoles() {
    double pi2 = Math.PI * Math.PI;
    Array z = Special.zeta(f64(2, 4, 2, 3, 1, 0.5, 2, 3, 4), f64(1, 1, 0.5, 2, 1, 1, -1, -2, 0));
    // zeta(2, 1/2) = (2^2 - 1) zeta(2); zeta(3, 2) = zeta(3) - 1 (Apery's constant);
    // x = 1 is a pole, x < 1 NaN; a non-positive integer q: +inf for even x, NaN for odd x
    assertClose(new double[] {pi2 / 6, pi2 * pi2 / 90, pi2 / 2, 0.2020569031595942, Double.POSITIVE_INFINITY,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NaN, Double.POSITIVE_INFINITY}, z, 1e-15);
  }

  @Test
  void polygammaIsAScaledZeta() {
    Array x = f64(0.3, 1.7, 5.5, 40);
    // polygamma(1, x) = zeta(2, x); polygamma(2, x) = -2 zeta(3, x)
    assertArrayEquals(Special.polygamma(1, x).toDoubleArray(), Special.zeta(f64(2), x).toDoubleArray(), 1e-15);
    assertClose(Special.polygamma(2, x).toDoubleArray(), Special.zeta(f64(3), x).mul(-2), 1e-14);   // exp(lgamma(3)) is 2 to 1e-15
  }

  @Test
  void gradientFollowsJaxsSeriesExpansion() {
    Array x = f64(2.5, 3.0, 4.2, 6.0);
    Array q = f64(0.7, 2.0, 5.5, 1.3);
    Pair<Array, Array> g = Transforms.grad((Pair<Array, Array> p) -> Special.zeta(p.first(), p.second()).sum())
        .apply(Pair.of(x, q));
    assertClose(Special.zeta(x.add(1), q).mul(x).neg().toDoubleArray(), g.second(), 1e-12);
    double h = 1e-6;
    double[] central = Special.zeta(x.add(h), q).sub(Special.zeta(x.sub(h), q)).div(2 * h).toDoubleArray();
    assertClose(central, g.first(), 1e-8);
    // float32 runs the 8-term series, as JAX's
    Pair<Array, Array> g32 = Transforms.grad((Pair<Array, Array> p) -> Special.zeta(p.first(), p.second()).sum())
        .apply(Pair.of(x.astype(DType.F32), q.astype(DType.F32)));
    assertEquals(DType.F32, g32.first().dtype());
    assertClose(g.second().toDoubleArray(), g32.second(), 1e-5);
  }

  @Test
  void laxZetaHasNoGradientAndTheRiemannFormIsRefused() {
    Array x = f64(2, 3);
    Array q = f64(1, 2);
    Exception e = assertThrows(RuntimeException.class,
        () -> Transforms.grad((Array t) -> Lax.zeta(t, q).sum()).apply(x));
    assertTrue(e.getMessage().contains("Special.zeta"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Special.zeta(x, null));
    assertTrue(e.getMessage().contains("Riemann") && e.getMessage().contains("q = 1"), e.getMessage());
    assertThrows(RuntimeException.class, () -> Lax.zeta(Array.of(2, 3), Array.of(1, 2)));   // int32: lax does not promote
    assertThrows(ShapeError.class, () -> Lax.zeta(x, f64(1, 2, 3)));
  }

  @Test
  void promotesBroadcastsAndAgreesUnderJitAndVmap() {
    Array z = Special.zeta(Array.of(2, 3), Array.of(1, 2));
    assertEquals(DType.F32, z.dtype());
    Array q = f64(0.5, 1.5, 2.5, 9.0, 30.0, 1e4).reshape(2, 3);
    Array eager = Special.zeta(Array.scalar(DType.F64, 3.5), q);
    assertArrayEquals(new int[] {2, 3}, eager.shape());
    assertArrayEquals(eager.toDoubleArray(),
        Transforms.jit((Array t) -> Special.zeta(Array.scalar(DType.F64, 3.5), t)).apply(q).toDoubleArray());
    assertArrayEquals(eager.toDoubleArray(),
        Transforms.vmap((Array t) -> Special.zeta(Array.scalar(DType.F64, 3.5), t)).apply(q).toDoubleArray());
    // the fused jit loop (zeta beside other elementwise ops) computes the eager kernel's values
    Array fused = Transforms.jit((Array t) -> Special.zeta(t.add(1), t).mul(2)).apply(q);
    assertArrayEquals(Special.zeta(q.add(1), q).mul(2).toDoubleArray(), fused.toDoubleArray());
  }
}
