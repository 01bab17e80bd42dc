package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code Random.lognormal/rayleigh/wald/triangular}: sample means against the distributions'
 * (20,000 draws), the support, and the errors. Bits against real JAX: {@code jnp5/random/*}.
 */
class ContinuousSamplersTest {
  private static final int N = 20_000;

  private static double mean(Array x) {
    return x.astype(DType.F64).mean().doubleValue();
  }

  @Test
  void sampleMeansMatchTheDistributions() {
    int[] n = {N};
    // lognormal(sigma): exp(sigma^2 / 2); rayleigh(s): s sqrt(pi / 2); wald(mu): mu; triangular: (l + m + r) / 3
    assertTrue(Math.abs(mean(Random.lognormal(Random.key(1), 0.5, n, DType.F32)) - Math.exp(0.125)) < 0.02);
    assertTrue(Math.abs(mean(Random.rayleigh(Random.key(2), 1.5, n, DType.F32)) - 1.5 * Math.sqrt(Math.PI / 2)) < 0.03);
    assertTrue(Math.abs(mean(Random.wald(Random.key(3), 2.0, n, DType.F32)) - 2.0) < 0.1);
    Array tri = Random.triangular(Random.key(4), -1, 0.5, 3, n, DType.F32);
    assertTrue(Math.abs(mean(tri) - 2.5 / 3) < 0.03);
    assertTrue(tri.min().doubleValue() >= -1 && tri.max().doubleValue() <= 3, "triangular stays in [left, right]");
    assertTrue(Random.wald(Random.key(5), 1.0, n, DType.F32).min().doubleValue() > 0, "wald is positive");
  }

  @Test
  void badParametersNameTheRule() {
    int[] n = {3};
    String msg = assertThrows(IllegalArgumentException.class, () -> Random.triangular(Random.key(0), 1, 0, 2, n, DType.F32))
        .getMessage();
    assertTrue(msg.contains("left <= mode <= right"), msg);
    msg = assertThrows(IllegalArgumentException.class, () -> Random.wald(Random.key(0), 0, n, DType.F32)).getMessage();
    assertTrue(msg.contains("mean must be > 0"), msg);
    msg = assertThrows(IllegalArgumentException.class, () -> Random.rayleigh(Random.key(0), 1, n, DType.I32)).getMessage();
    assertTrue(msg.contains("must be a float"), msg);
  }
}
