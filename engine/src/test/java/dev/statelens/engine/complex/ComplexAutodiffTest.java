package dev.statelens.engine.complex;

import static dev.statelens.engine.complex.ComplexTest.pairs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.VjpResult;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Autodiff through complex64 in JAX's conventions (JaxReferenceTest's complex/grad, jvp, vjp,
 * jac* cases compare the numbers with real JAX): holomorphic grad is f'(z); a real loss of a
 * complex input gives the conjugated gradient; jvp pushes a complex tangent through f'(z);
 * the refusals name holomorphic and the alternative.
 */
class ComplexAutodiffTest {

  static final Array Z = Array.complex(Array.of(0.3f, -1.2f, 2f), Array.of(0.7f, 0.4f, -1.5f));

  @Test
  void holomorphicGradIsTheComplexDerivative() {
    assertArrayEquals(pairs(Z.mul(2)), pairs(Transforms.grad((Array z) -> z.mul(z).sum(), true).apply(Z)), 1e-6f);
    assertArrayEquals(pairs(Z.cos()), pairs(Transforms.grad((Array z) -> z.sin().sum(), true).apply(Z)), 1e-6f);
    assertArrayEquals(pairs(Z.reciprocal()), pairs(Transforms.grad((Array z) -> z.log().sum(), true).apply(Z)), 1e-6f);
    assertArrayEquals(pairs(Z.integerPow(2).mul(3)),
        pairs(Transforms.grad((Array z) -> z.integerPow(3).sum(), true).apply(Z)), 1e-5f);
    // d/dz_i prod(z) = prod(z) / z_i, through the cumprod rule
    Array prod = Z.prod();
    assertArrayEquals(pairs(prod.div(Z)), pairs(Transforms.grad((Array z) -> z.prod(), true).apply(Z)), 1e-5f);
    // under jit the same numbers
    assertArrayEquals(pairs(Z.cos()),
        pairs(Transforms.jit(Transforms.grad((Array z) -> z.sin().sum(), true)).apply(Z)), 1e-6f);
    Pair<Array, Array> vg = Transforms.valueAndGrad((Array z) -> z.exp().sum(), true).apply(Z);
    assertArrayEquals(pairs(Z.exp().sum().reshape(1)), pairs(vg.first().reshape(1)), 1e-6f);
    assertArrayEquals(pairs(Z.exp()), pairs(vg.second()), 1e-6f);
  }

  @Test
  void aRealLossOfComplexInputsGivesTheConjugatedGradient() {
    // JAX returns the conjugate of the steepest-ascent direction: 2 conj(z) for |z|^2, conj(z)/|z| for |z|
    assertArrayEquals(pairs(Z.conj().mul(2)), pairs(Transforms.grad((Array z) -> z.abs().integerPow(2).sum()).apply(Z)), 1e-6f);
    Array unit = Z.div(Z.abs().astype(DType.C64));
    assertArrayEquals(pairs(unit.conj()), pairs(Transforms.grad((Array z) -> z.abs().sum()).apply(Z)), 1e-6f);
    // a loss of the parts: df/dx - i df/dy
    Array g = Transforms.grad((Array z) -> z.real().mul(3).add(z.imag().mul(5)).sum()).apply(Z);
    assertArrayEquals(new float[] {3, -5, 3, -5, 3, -5}, pairs(g), 0f);
  }

  @Test
  void jvpPushesComplexTangentsAndVjpPullsComplexCotangents() {
    Array t = Array.complex(Array.of(1f, 0f, -0.5f), Array.of(0f, 1f, 2f));
    Pair<Array, Array> pt = Transforms.jvp((Array z) -> z.sin(), Z, t);
    assertArrayEquals(pairs(Z.sin()), pairs(pt.first()), 0f);
    assertArrayEquals(pairs(Z.cos().mul(t)), pairs(pt.second()), 1e-6f);
    // not holomorphic: conj(z) * z has tangent conj(t) z + conj(z) t (real-valued in exact arithmetic)
    Pair<Array, Array> pc = Transforms.jvp((Array z) -> z.conj().mul(z), Z, t);
    assertArrayEquals(pairs(t.conj().mul(Z).add(Z.conj().mul(t))), pairs(pc.second()), 1e-6f);
    VjpResult<Array, Array> v = Transforms.vjp((Array z) -> z.mul(z), Z);
    assertArrayEquals(pairs(t.mul(Z).mul(2)), pairs(v.pullback(t)), 1e-6f);
    // a real input with complex intermediates: d/dx exp(i x) = i exp(i x)
    Array x = Array.of(0.1f, 1f, -2f);
    Function<Array, Array> cis = y -> y.astype(DType.C64).mul(Array.complex(Array.scalar(0f), Array.scalar(1f))).exp();
    Pair<Array, Array> px = Transforms.jvp(cis, x, Array.onesLike(x));
    assertArrayEquals(pairs(cis.apply(x).mul(Array.complex(Array.scalar(0f), Array.scalar(1f)))), pairs(px.second()), 1e-6f);
  }

  @Test
  void holomorphicJacobiansAreTheComplexDerivativeMatrix() {
    Function<Array, Array> f = z -> z.sin().mul(z.flip(0));
    Array fwd = Transforms.jacfwd(f, true).apply(Z);
    Array rev = Transforms.jacrev(f, true).apply(Z);
    assertArrayEquals(new int[] {3, 3}, fwd.shape());
    assertArrayEquals(pairs(fwd), pairs(rev), 1e-6f);
    // diagonal of a elementwise-times-reversed map: cos(z_i) z_{2-i} (+ sin(z_1) on the middle)
    Array diag = Z.cos().mul(Z.flip(0));
    float[] d = pairs(diag);
    float[] j = pairs(fwd);
    assertArrayEquals(new float[] {d[0], d[1]}, new float[] {j[0], j[1]}, 1e-6f);
    float[] mid = pairs(diag.sliceAxis(0, 1, 2).add(Z.sliceAxis(0, 1, 2).sin()));
    assertArrayEquals(mid, new float[] {j[8], j[9]}, 1e-6f);
  }

  @Test
  void refusalsNameHolomorphicAndTheAlternative() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Transforms.grad((Array z) -> z.mul(z).sum()).apply(Z));
    assertTrue(e.getMessage().contains("real-valued output") && e.getMessage().contains("holomorphic=true")
        && e.getMessage().contains("vjp"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Transforms.grad((Array x) -> x.sum(), true).apply(Array.of(1f, 2f)));
    assertTrue(e.getMessage().contains("complex dtype") && e.getMessage().contains("astype(DType.C64)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Transforms.grad((Array z) -> z.abs().sum(), true).apply(Z));
    assertTrue(e.getMessage().contains("complex output"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Transforms.jacfwd((Array z) -> z.sin()).apply(Z));
    assertTrue(e.getMessage().contains("real-valued inputs") && e.getMessage().contains("jvp"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Transforms.jacrev((Array z) -> z.sin()).apply(Z));
    assertTrue(e.getMessage().contains("real-valued output") && e.getMessage().contains("holomorphic=true"), e.getMessage());
  }
}
