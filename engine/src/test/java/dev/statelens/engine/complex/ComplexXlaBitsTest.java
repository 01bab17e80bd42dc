package dev.statelens.engine.complex;

import static dev.statelens.engine.complex.ComplexMathTest.assertBits;
import static dev.statelens.engine.complex.ComplexMathTest.c;
import static dev.statelens.engine.complex.ComplexTest.pairs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import org.junit.jupiter.api.Test;

/**
 * c64 divide, power and multiply with XLA CPU's bits where the reference comparison cannot see
 * them (it takes +0 for -0): the zero signs, XLA's flush of subnormal operands and results (its
 * kernels run with FTZ/DAZ), and which operand bits reach the C library. Every expected value is
 * what real JAX 0.10.2 gives on the CPU ({@code lax.div}, {@code lax.pow}, {@code *}); the
 * {@code complex/bits/div|pow|mul|square} reference cases check thousands of points besides.
 */
class ComplexXlaBitsTest {
  private static final float INF = Float.POSITIVE_INFINITY;

  @Test
  void divisionIsXlasSmithQuotientWithItsFlushesAndSigns() {
    // 1 / 3e38 is subnormal: XLA flushes it (exact arithmetic: 3.33e-39)
    assertBits(0f, 0f, c(1f, 0f).div(c(3e38f, 0f)), "1 / 3e38");
    assertBits(-0f, 0f, c(-1f, 0f).div(c(INF, 0f)), "-1 / inf");
    // a subnormal operand counts as zero: 1e-40 + i is i, and 1 + i over 1e-40 divides by zero
    assertBits(0f, 1f, c(1e-40f, 1f).div(c(1f, 0f)), "(1e-40 + i) / 1");
    assertBits(INF, INF, c(1f, 1f).div(c(1e-40f, 0f)), "(1 + i) / 1e-40");
    assertBits(Float.NaN, Float.NaN, c(0f, 0f).div(c(0f, 0f)), "0 / 0");
    // Smith's branch on |c| < |d|: the ratio -0 / 1e-30 keeps the real part's sign out of the sum
    assertBits(INF, 2.5e30f, c(-2.5f, 1e30f).div(c(-0f, 1e-30f)), "(-2.5 + 1e30 i) / (-0 + 1e-30 i)");
  }

  @Test
  void powerIsXlasPolarFormWithTheCLibrarysFunctions() {
    assertBits(0.20787957f, 0f, c(0f, 1f).pow(c(0f, 1f)), "i^i");
    assertBits(Float.NaN, Float.NaN, c(0f, 0f).pow(c(1f, 1f)), "0^(1+i)");
    // atan2f gets the operand's bits unflushed: arg(-3e-39 + i) is an ulp above pi/2 in glibc's atan2f,
    // while XLA's own arithmetic flushes the -3e-39 (so i^i's neighbour, not i^i)
    assertBits(0.20787959f, 0f, c(-3e-39f, 1f).pow(c(-3e-39f, 1f)), "(-3e-39 + i)^(-3e-39 + i)");
    assertBits(0f, 0f, c(INF, 0f).pow(c(-1f, 0f)), "inf^-1");
    assertBits(1f, 0f, c(1f, 0f).pow(c(Float.NaN, 0f)), "1^nan");
    assertBits(8.2718064e15f, -4.0757375e10f, c(-1e-30f, 2.5f).pow(c(40f, 0f)), "(-1e-30 + 2.5i)^(40+0i)");
  }

  @Test
  void multiplyFlushesSubnormalOperands() {
    assertBits(0f, 1f, c(1e-40f, 1f).mul(c(1f, 1e-40f)), "(1e-40 + i)(1 + 1e-40 i)");
  }

  @Test
  void jitAndEagerGiveTheSameBits() {
    Array x = Array.complex(Array.of(0.3f, -2f, 1e-40f, 7f, -0.5f), Array.of(1.5f, 0.25f, 1f, -3f, 0f));
    Array y = Array.complex(Array.of(-1.25f, 3e38f, 2f, 0.5f, 2.5f), Array.of(0.75f, 1f, -1e-40f, 2f, 0f));
    float[] eager = pairs(x.div(y).add(x.pow(y)));
    float[] jitted = pairs(Transforms.jit((Array a, Array b) -> a.div(b).add(a.pow(b))).apply(x, y));
    for (int k = 0; k < eager.length; k++) {
      assertEquals(Float.floatToIntBits(eager[k]), Float.floatToIntBits(jitted[k]), "part " + k);
    }
  }
}
