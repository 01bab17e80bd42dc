package dev.statelens.engine.complex;

import static dev.statelens.engine.complex.ComplexTest.pairs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * complex64 elementary functions: branch cuts and signed zeros as real JAX 0.10.2 gives them
 * (JaxReferenceTest's complex/ cases compare every value against JAX; the reference comparison
 * treats +0 and -0 as equal, so the zero signs are pinned here), jit == eager, vmap, integer
 * powers, vdot, the predicates.
 */
class ComplexMathTest {

  static Array c(float re, float im) {
    return Array.complex(Array.scalar(re), Array.scalar(im));
  }

  /** The bits of both parts: +0 and -0 differ, NaN equals NaN. */
  static void assertBits(float re, float im, Array z, String what) {
    float[] p = pairs(z);
    assertEquals(Float.floatToIntBits(re), Float.floatToIntBits(p[0]), what + " real part: " + p[0]);
    assertEquals(Float.floatToIntBits(im), Float.floatToIntBits(p[1]), what + " imaginary part: " + p[1]);
  }

  @Test
  void branchCutsOnTheNegativeRealAxisAndSignedZeros() {
    float pi = (float) Math.PI;
    // log: the sign of a zero imaginary part picks the side of the cut, as in JAX and NumPy
    assertBits(0f, pi, c(-1f, 0f).log(), "log(-1+0j)");
    assertBits(0f, -pi, c(-1f, -0f).log(), "log(-1-0j)");
    assertBits(Float.NEGATIVE_INFINITY, 0f, c(0f, 0f).log(), "log(0)");
    assertBits(Float.NEGATIVE_INFINITY, pi, c(-0f, 0f).log(), "log(-0+0j)");
    // sqrt: XLA ignores the sign of a zero imaginary part (JAX gives +2j for -4-0j; NumPy -2j)
    assertBits(0f, 2f, c(-4f, 0f).sqrt(), "sqrt(-4+0j)");
    assertBits(0f, 2f, c(-4f, -0f).sqrt(), "sqrt(-4-0j)");
    assertBits((float) (1e-30f / 4.0), -2f, c(-4f, -1e-30f).sqrt(), "sqrt(-4-1e-30j)"); // below the cut
    assertBits(2f, 0f, c(4f, -0f).sqrt(), "sqrt(4-0j)");
    assertBits(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, c(1f, Float.NEGATIVE_INFINITY).sqrt(), "sqrt(1-inf j)");
    // rsqrt is XLA's polar form with the f32 argument: cos(f32(pi)/2) is -4.371139e-8
    assertBits(-4.371139e-8f, -1f, c(-1f, 0f).rsqrt(), "rsqrt(-1+0j)");
    assertBits(1f, -0f, c(1f, 0f).rsqrt(), "rsqrt(1+0j)");
    // log1p keeps the digits of a tiny z; division by zero is inf * the dividend (Annex G)
    assertBits(1e-20f, 1e-20f, c(1e-20f, 1e-20f).log1p(), "log1p(1e-20+1e-20j)");
    assertBits(Float.POSITIVE_INFINITY, Float.NaN, c(0f, 0f).reciprocal(), "1/(0+0j)");
    assertBits(0f, -0f, c(Float.NaN, Float.POSITIVE_INFINITY).reciprocal(), "1/(nan+inf j)");
    // XLA's exp, sin, cos, tanh turn a zero imaginary part into +0
    assertBits((float) Math.E, 0f, c(1f, -0f).exp(), "exp(1-0j)");
    assertBits(0f, 0f, c(-0f, 0f).sin(), "sin(-0+0j)");
    assertBits(1f, 0f, c(0f, -0f).cos(), "cos(0-0j)");
    assertBits(1f, 0f, c(Float.POSITIVE_INFINITY, Float.NaN).tanh(), "tanh(inf+nan j)");
    assertBits(0f, 1f, c(Float.NaN, Float.POSITIVE_INFINITY).tan(), "tan(nan+inf j)");
  }

  @Test
  void elementaryFunctionsAgreeWithTheirDefinitions() {
    Array z = Array.complex(Array.of(0.3f, -1.2f, 2f, -0.5f), Array.of(0.7f, 0.4f, -1.5f, -2f));
    Array i = c(0f, 1f);
    List<Function<Array, Array>[]> pairsOfForms = List.of(
        forms(Array::sin, x -> x.mul(i).exp().sub(x.mul(i).neg().exp()).div(c(0f, 2f))),
        forms(Array::cos, x -> x.mul(i).exp().add(x.mul(i).neg().exp()).div(2)),
        forms(Array::tan, x -> x.sin().div(x.cos())),
        forms(Array::sinh, x -> x.exp().sub(x.neg().exp()).div(2)),
        forms(Array::cosh, x -> x.exp().add(x.neg().exp()).div(2)),
        forms(Array::tanh, x -> x.sinh().div(x.cosh())),
        forms(x -> x.log().exp(), x -> x),
        forms(x -> x.sqrt().mul(x.sqrt()), x -> x),
        forms(x -> x.rsqrt(), x -> x.sqrt().reciprocal()),
        forms(Array::expm1, x -> x.exp().sub(1)),
        forms(Array::log1p, x -> x.add(1).log()),
        forms(x -> x.pow(c(2f, 0f)), x -> x.mul(x)),
        forms(x -> x.pow(0.5), Array::sqrt));
    for (Function<Array, Array>[] f : pairsOfForms) {
      assertArrayEquals(pairs(f[1].apply(z)), pairs(f[0].apply(z)), 2e-5f);
    }
  }

  @SafeVarargs
  private static Function<Array, Array>[] forms(Function<Array, Array>... fs) {
    return fs;
  }

  @Test
  void jitGivesTheBitsOfEagerAndVmapTheBitsOfEachElement() {
    Array z = Array.complex(Array.of(0.3f, -1.2f, 2f, -0.5f, -3f), Array.of(0.7f, 0f, -1.5f, -2f, -0f));
    List<Function<Array, Array>> fs = List.of(Array::log, Array::log1p, Array::sqrt, Array::rsqrt, Array::sin,
        Array::cos, Array::tan, Array::sinh, Array::cosh, Array::tanh, Array::expm1, Array::reciprocal,
        x -> x.pow(c(0.5f, 0.25f)), x -> x.integerPow(3), Array::cumprod, x -> x.prod().reshape(1));
    for (Function<Array, Array> f : fs) {
      float[] eager = pairs(f.apply(z));
      assertArrayEquals(eager, pairs(Transforms.jit(f).apply(z)), 0f);
    }
    for (Function<Array, Array> f : fs.subList(0, 13)) {
      Array batched = Transforms.vmap(f).apply(z);
      for (int k = 0; k < z.size(); k++) {
        Array one = z.sliceAxis(0, k, k + 1).reshape();
        assertArrayEquals(pairs(f.apply(one)), pairs(batched.sliceAxis(0, k, k + 1).reshape()), 0f);
      }
    }
  }

  @Test
  void integerPowersAreExactProducts() {
    Array m1 = c(-1f, 0f);
    assertBits(1f, -0f, m1.integerPow(2), "(-1)^2"); // (-1)(0) + (0)(-1) is -0, in JAX too
    assertBits(-1f, 0f, m1.integerPow(3), "(-1)^3");
    assertBits(-1f, 0f, c(0f, 1f).integerPow(2), "i^2");
    assertBits(0f, -1f, c(0f, 1f).integerPow(-1), "i^-1");
    assertBits(1f, 0f, c(0.3f, 2f).integerPow(0), "z^0");
    // lax.pow (x ** 2.0; pow(2) is integer_pow) goes through the polar form: (-1)^2 picks up the f32
    // rounding of pi, 1 + sinf(2 f32(pi)) i in real JAX 0.10.2 too
    assertBits(1f, 1.7484555e-7f, m1.pow(2.0), "(-1)^2.0");
    assertEquals(32f, Array.scalar(2f).integerPow(5).item(), 0f);
    assertEquals(-0.125f, Array.scalar(-2f).integerPow(-3).item(), 0f);
  }

  @Test
  void vdotConjugatesTheFirstArgumentAndDotDoesNot() {
    Array a = Array.complex(Array.of(1f, 2f), Array.of(1f, -1f));
    Array b = Array.complex(Array.of(3f, 0f), Array.of(0f, 2f));
    // conj(a) . b = (1-i)*3 + (2+i)*(2i) = 3-3i + 4i-2 = 1+1i
    assertArrayEquals(new float[] {1, 1}, pairs(a.vdot(b).reshape(1)), 0f);
    // a . b = (1+i)*3 + (2-i)*(2i) = 3+3i + 4i+2 = 5+7i
    assertArrayEquals(new float[] {5, 7}, pairs(a.dot(b).reshape(1)), 0f);
    assertEquals(7f, a.vdot(a).real().item(), 0f); // |a|^2 = 2 + 5
    assertEquals(7f, Array.of(1f, 2f).vdot(Array.of(3f, 2f)).item(), 0f); // real arrays: plain dot
    ShapeError e = assertThrows(ShapeError.class, () -> a.vdot(Array.zeros(DType.C64, 3)));
    assertTrue(e.getMessage().contains("vdot") && e.getMessage().contains("same size"), e.getMessage());
  }

  @Test
  void predicatesLookAtBothParts() {
    Array z = Array.complex(Array.of(1f, Float.NaN, 0f, Float.POSITIVE_INFINITY, 2f),
        Array.of(0f, 0f, Float.NaN, 1f, Float.NEGATIVE_INFINITY));
    assertArrayEquals(new boolean[] {false, true, true, false, false}, z.isnan().toBooleanArray());
    assertArrayEquals(new boolean[] {false, false, false, true, true}, z.isinf().toBooleanArray());
    assertArrayEquals(new boolean[] {true, false, false, false, false}, z.isFinite().toBooleanArray());
    assertArrayEquals(new boolean[] {true, false, false, false, false},
        Transforms.jit(Array::isFinite).apply(z).toBooleanArray());
  }
}
