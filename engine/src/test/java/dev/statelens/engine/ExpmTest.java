package dev.statelens.engine;

import static dev.statelens.engine.SpecialTest.assertClose;
import static dev.statelens.engine.SpecialTest.f64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code Linalg.expm} against closed forms: a rotation generator gives the rotation, a diagonal
 * the exponentials, {@code expm(A) expm(-A) = I}; the gradient of {@code trace(expm(A))} is
 * {@code expm(A)^T}; batches, jit, JAX's NaN when the squarings run out, errors. Against real
 * JAX: {@code JaxReferenceTest}'s jnp8/expm cases.
 */
class ExpmTest {
  @Test
  void closedFormsHoldAtEveryPadeOrderAndWithSquarings() {
    for (double t : new double[] {0.005, 0.2, 0.9, 1.9, 7, 40}) {   // each f64 Pade order, then squarings
      Array r = Linalg.expm(f64(0, -t, t, 0).reshape(2, 2));
      // t = 40: JAX scales by 2^floor(log2(|A|/maxnorm)) (scipy: ceil), so Pade 13 runs at norm 10 and
      // is 1.5e-8 off cos(40); real JAX 0.10.2 gives the same -0.66693805146291 to 1 ulp
      assertClose(new double[] {Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)}, r.reshape(4), t < 10 ? 1e-12 : 3e-8);
      Array d = Linalg.expm(f64(t, 0, 0, -t / 2).reshape(2, 2));
      assertClose(new double[] {Math.exp(t), 0, 0, Math.exp(-t / 2)}, d.reshape(4), t < 10 ? 1e-11 : 3e-7);
    }
    Array a = f64(0.3, -1.2, 0.5, 2.0, 0.1, -0.7, 0.4, 0.9, -1.5).reshape(3, 3);
    Array product = Linalg.expm(a).matmul(Linalg.expm(a.neg()));
    double offIdentity = product.sub(Array.eye(3).astype(DType.F64)).abs().max().item();
    assertTrue(offIdentity < 1e-12, "expm(A) expm(-A) - I reaches " + offIdentity);
    // f32 too, and a batch runs each matrix as alone
    Array f = Array.of(0f, -3f, 3f, 0f).reshape(2, 2);
    assertClose(new double[] {Math.cos(3), -Math.sin(3)}, Linalg.expm(f).reshape(4).slice(new int[] {0}, new int[] {2}),
        1e-5);
    Array batch = Array.stack(0, a, a.mul(3.0));
    assertArrayEquals(new int[] {2, 3, 3}, Linalg.expm(batch).shape());
    assertClose(Linalg.expm(a.mul(3.0)).reshape(9).toDoubleArray(),
        Linalg.expm(batch).slice(new int[] {1, 0, 0}, new int[] {2, 3, 3}).reshape(9), 1e-14);
    assertClose(Linalg.expm(a).reshape(9).toDoubleArray(), Transforms.jit((Array t) -> Linalg.expm(t)).apply(a).reshape(9), 0);
  }

  @Test
  void gradientOfTheTraceIsTheTransposedExponential() {
    Array a = f64(0.3, -1.2, 0.5, 2.0, 0.1, -0.7, 0.4, 0.9, -1.5).reshape(3, 3);
    Array g = Transforms.grad((Array t) -> Linalg.expm(t).trace()).apply(a);
    assertClose(Linalg.expm(a).T().reshape(9).toDoubleArray(), g.reshape(9), 1e-11);
  }

  @Test
  void upperTriangularAndTooFewSquarings() {
    Array u = f64(1, 2, 0, 3).reshape(2, 2);
    // [[e, 2(e^3 - e)/2], [0, e^3]]
    assertClose(new double[] {Math.E, Math.exp(3) - Math.E, 0, Math.exp(3)},
        Linalg.expm(u, true, 16).reshape(4), 1e-12);
    Array nan = Linalg.expm(f64(0, -900, 900, 0).reshape(2, 2), false, 4);
    for (double v : nan.toDoubleArray()) {
      assertTrue(Double.isNaN(v), "more squarings than allowed gives NaN, as JAX");
    }
  }

  @Test
  void badInputIsRefusedWithTheFix() {
    var s = assertThrows(ShapeError.class, () -> Linalg.expm(f64(1, 2, 3, 4, 5, 6).reshape(2, 3)));
    assertTrue(s.getMessage().contains("square") && s.getMessage().contains("[..., n, n]"), s.getMessage());
    var d = assertThrows(IllegalArgumentException.class, () -> Linalg.expm(Array.eye(2).astype(DType.BF16)));
    assertTrue(d.getMessage().contains("astype(DType.F32)"), d.getMessage());
  }
}
