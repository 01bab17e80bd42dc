package dev.statelens.engine.complex;

import static dev.statelens.engine.complex.ComplexTest.pairs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Special;
import dev.statelens.engine.Stats;
import org.junit.jupiter.api.Test;

/**
 * A complex array handed to jax.scipy-style functions keeps its imaginary part, as jnp's
 * {@code promote_args_inexact} keeps complex: the function computes in c64 where its operations
 * take complex, and refuses where one does not — never silently on the real part alone.
 * Expected values from real JAX 0.10.2 (CPU): {@code jax.scipy.stats.norm.logpdf(x)},
 * {@code jax.scipy.special.xlogy(x, x)} for {@code x = [1+2j, -0.5+0.25j]} (complex64).
 */
class ComplexIntoScipyTest {
  private static final Array X = Array.complex(Array.of(1f, -0.5f), Array.of(2f, 0.25f));

  @Test
  void normLogpdfOfAComplexArrayIsComplexAsJax() {
    assertArrayEquals(new float[] {0.5810615f, -2f, -1.0126885f, 0.125f}, pairs(Stats.Norm.logpdf(X)), 2e-6f);
  }

  @Test
  void xlogyOfComplexArraysIsComplexAsJax() {
    assertArrayEquals(new float[] {-1.4095786f, 2.7165866f, -0.3786986f, -1.4843664f}, pairs(Special.xlogy(X, X)), 2e-6f);
  }

  @Test
  void aFunctionWithoutAComplexFormRefusesInsteadOfDroppingTheImaginaryPart() {
    // JAX: "lgamma does not accept dtype complex64"
    Exception e = assertThrows(RuntimeException.class, () -> Special.gammaln(X));
    assertTrue(e.getMessage().contains("c64") || e.getMessage().contains("complex"), e.getMessage());
  }
}
