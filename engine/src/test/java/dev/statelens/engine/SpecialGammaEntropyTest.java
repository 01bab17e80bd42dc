package dev.statelens.engine;

import static dev.statelens.engine.SpecialTest.assertClose;
import static dev.statelens.engine.SpecialTest.f64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The session-15 {@link Special} functions (gammasgn, gamma, loggamma, beta, factorial, comb, poch,
 * rel_entr, kl_div, boxcox, boxcox1p, erfcx) against closed forms in double, their JAX edge values and
 * their derivatives against finite differences. Real JAX: {@code JaxReferenceTest} (jnp9/stats/special.*).
 */
class SpecialGammaEntropyTest {
  private static final double NAN = Double.NaN;
  private static final double INF = Double.POSITIVE_INFINITY;

  private static Array s64(double v) {
    return Array.scalar(DType.F64, v);
  }

  @Test
  void gammaAndItsSignMatchKnownValues() {
    // Gamma(-0.5) = -2 sqrt(pi), Gamma(-1.5) = 4/3 sqrt(pi), Gamma(5) = 24, Gamma(1/2) = sqrt(pi)
    double root = Math.sqrt(Math.PI);
    assertClose(new double[] {-2 * root, 4 * root / 3, 24, root}, Special.gamma(f64(-0.5, -1.5, 5, 0.5)), 1e-14);
    // the sign flips between consecutive negative poles; NaN at the poles; +-inf at +-0 by the zero's sign
    assertClose(new double[] {-1, 1, -1, NAN, NAN, 1, -1, NAN}, Special.gammasgn(f64(-0.5, -1.5, -2.5, -2, NAN, 0, -0.0,
        Double.NEGATIVE_INFINITY)), 0);
    assertClose(new double[] {INF, Double.NEGATIVE_INFINITY, NAN}, Special.gamma(f64(0, -0.0, -3)), 0);
    // loggamma is lgamma on x > 0 only
    assertClose(new double[] {Math.log(24), NAN, NAN}, Special.loggamma(f64(5, 0, -0.5)), 1e-14);
    assertClose(new double[] {1, 1, 120, 3628800, 0}, Special.factorial(f64(0, 1, 5, 10, -1)), 1e-13);
    // beta's sign from the three gammas: B(-0.5, 2) = Gamma(-0.5) Gamma(2) / Gamma(1.5) = -4
    assertClose(new double[] {-4, 1.0 / 12}, Special.beta(f64(-0.5, 2), f64(2, 3)), 1e-13);
  }

  @Test
  void combAndPochAreTheirFactorialForms() {
    assertClose(new double[] {1, 10, 1, 0, 0, 0, 155117520}, Special.comb(f64(5, 5, 5, 5, 5, -1, 30),
        f64(0, 2, 5, 6, -1, 0, 15)), 1e-12);
    // with repetition: C(N + k - 1, k); 1 at k = 0
    assertClose(new double[] {15, 1, 35}, Special.comb(f64(5, 0, 5), f64(2, 0, 3), true), 1e-13);
    // poch(z, m) = z (z + 1) ... (z + m - 1); 1 at m = 0 (even at a pole of z)
    assertClose(new double[] {3 * 4 * 5, 0.5 * 1.5, 1, 1.0 / (3 * 2)}, Special.poch(f64(3, 0.5, -2, 4), f64(3, 2, 0, -2)),
        1e-13);
  }

  @Test
  void pochDerivativesAreJaxsRules() {
    Pair<Array, Array> g = Transforms.grad((Pair<Array, Array> p) -> Special.poch(p.first(), p.second()).sum())
        .apply(Pair.of(f64(1.5, 3.0), f64(2.5, 0.5)));
    double h = 1e-6;
    double[] z = {1.5, 3.0};
    double[] m = {2.5, 0.5};
    for (int i = 0; i < 2; i++) {
      double dz = (Special.poch(s64(z[i] + h), s64(m[i])).item() - Special.poch(s64(z[i] - h), s64(m[i])).item()) / (2 * h);
      double dm = (Special.poch(s64(z[i]), s64(m[i] + h)).item() - Special.poch(s64(z[i]), s64(m[i] - h)).item()) / (2 * h);
      assertEquals(dz, g.first().toDoubleArray()[i], 1e-7 * Math.max(1, Math.abs(dz)));
      assertEquals(dm, g.second().toDoubleArray()[i], 1e-7 * Math.max(1, Math.abs(dm)));
    }
    // gamma's gradient is Gamma(x) digamma(x), through the sign (gradient 0) and exp(lgamma)
    Array dg = Transforms.grad((Array x) -> Special.gamma(x).sum()).apply(f64(-0.5, 3));
    assertClose(Special.gamma(f64(-0.5, 3)).mul(Special.digamma(f64(-0.5, 3))).toDoubleArray(), dg, 1e-14);
  }

  @Test
  void relativeEntropyEdgesAndGradient() {
    double p = 0.3;
    double q = 0.6;
    assertClose(new double[] {p * Math.log(p / q), 0, INF, INF, INF}, Special.relEntr(f64(p, 0, 0.5, -0.1, 0.5),
        f64(q, 0.4, 0, 0.4, -1)), 1e-15);
    assertClose(new double[] {p * Math.log(p / q) - p + q, 0.4}, Special.klDiv(f64(p, 0), f64(q, 0.4)), 1e-15);
    // d/dp rel_entr = log(p/q) + 1, d/dq = -p/q
    Pair<Array, Array> g = Transforms.grad((Pair<Array, Array> t) -> Special.relEntr(t.first(), t.second()).sum())
        .apply(Pair.of(f64(p), f64(q)));
    assertEquals(Math.log(p / q) + 1, g.first().item(), 1e-15);
    assertEquals(-p / q, g.second().item(), 1e-15);
    // kl_div over a distribution is the KL divergence: sum p log(p/q) when both sum to 1
    Array pd = f64(0.2, 0.5, 0.3);
    Array qd = f64(0.4, 0.4, 0.2);
    double kl = 0.2 * Math.log(0.5) + 0.5 * Math.log(1.25) + 0.3 * Math.log(1.5);
    assertEquals(kl, Special.klDiv(pd, qd).sum().item(), 1e-15);
  }

  @Test
  void boxcoxIsLogAtZeroLambdaAndContinuousThere() {
    assertClose(new double[] {Math.log(2), (Math.sqrt(2) - 1) / 0.5, NAN}, Special.boxcox(f64(2, 2, -1), f64(0, 0.5, 0.5)),
        1e-15);
    assertClose(new double[] {Math.log1p(2), (Math.pow(3, -1) - 1) / -1}, Special.boxcox1p(f64(2, 2), f64(0, -1)), 1e-15);
    // expm1 keeps a tiny lambda continuous with the log branch
    assertEquals(Math.log(3), Special.boxcox(f64(3), f64(1e-12)).item(), 1e-11);
  }

  @Test
  void erfcxIsScaledErfcAndStaysFiniteInTheTail() {
    // below the threshold exp(x^2) erfc(x) itself (erfc(0.5) = 0.4795001221869535)
    assertClose(new double[] {1, Math.exp(0.25) * 0.4795001221869535}, Special.erfcx(f64(0, 0.5)), 1e-15);
    // beyond sqrt(log(max double)) = 26.64 the asymptotic series: erfcx(x) ~ 1 / (x sqrt(pi)) (1 - 1/(2x^2) ...)
    double x = 1e3;
    assertClose(new double[] {(1 - 0.5 / (x * x) + 0.75 / Math.pow(x, 4)) / (x * Math.sqrt(Math.PI))},
        Special.erfcx(f64(x)), 1e-15);
    assertClose(new double[] {0, NAN}, Special.erfcx(f64(INF, NAN)), 0);
    // continuous across the F32 threshold (9.42): both sides agree with the double value to f32 precision
    // (not in (9.1, 9.42], where erfc(x) is an f32 subnormal of few significant bits; XLA flushes it to 0 from 9.2)
    float[] f32 = Special.erfcx(Array.of(9.0f, 9.45f)).toFloatArray();
    double[] f64 = Special.erfcx(f64(9.0, 9.45f)).toDoubleArray();
    assertEquals(f64[0], f32[0], 1e-6 * f64[0]);
    assertEquals(f64[1], f32[1], 1e-6 * f64[1]);
    // JAX's derivative 2 x erfcx(x) - 2/sqrt(pi), against a finite difference on each side
    Array g = Transforms.grad((Array t) -> Special.erfcx(t).sum()).apply(f64(-1.5, 0.7, 30));
    double[] points = {-1.5, 0.7, 30};
    for (int i = 0; i < 3; i++) {
      double h = 1e-6;
      double numeric = (Special.erfcx(s64(points[i] + h)).item() - Special.erfcx(s64(points[i] - h)).item()) / (2 * h);
      assertEquals(numeric, g.toDoubleArray()[i], 1e-7 * Math.max(1, Math.abs(numeric)));
    }
    assertEquals(DType.BF16, Special.erfcx(Array.of(1f).astype(DType.BF16)).dtype());
  }

  @Test
  void jitVmapAndPromotion() {
    Array x = Array.of(0.5f, 2.5f, 4f);
    assertArrayEquals(Special.gamma(x).toFloatArray(), Transforms.jit((Array t) -> Special.gamma(t)).apply(x)
        .toFloatArray());
    Array rows = Array.of(0.1f, 0.2f, 0.3f, 0.4f).reshape(2, 2);
    Array q = Array.of(0.25f, 0.25f);
    assertArrayEquals(Special.klDiv(rows, q).toFloatArray(), Transforms.vmap((Array r) -> Special.klDiv(r, q))
        .apply(rows).toFloatArray());
    Array ints = Array.of(DType.I32, new int[] {3}, 0, 3, 5);
    assertEquals(DType.F32, Special.factorial(ints).dtype());
    assertArrayEquals(new float[] {1, 6, 120}, Special.factorial(ints).toFloatArray(), 1e-4f);
  }
}
