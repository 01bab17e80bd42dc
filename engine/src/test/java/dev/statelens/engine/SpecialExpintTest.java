package dev.statelens.engine;

import static dev.statelens.engine.SpecialTest.assertClose;
import static dev.statelens.engine.SpecialTest.f64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Special#expi}, {@link Special#exp1} and {@link Special#expn} (session 16) against their
 * series and recurrences in double, at JAX 0.10.2's edge values, and their derivatives. Real JAX:
 * {@code JaxReferenceTest} ({@code jnp10/special.expi}, ...).
 */
class SpecialExpintTest {
  private static final double EULER = 0.5772156649015329;
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final double NAN = Double.NaN;

  /** {@code Ei(x) = euler + log|x| + sum_k x^k / (k k!)}: exact in double for |x| <= 5. */
  private static double eiSeries(double x) {
    double sum = 0;
    double term = 1;
    for (int k = 1; k < 200; k++) {
      term *= x / k;
      sum += term / k;
    }
    return EULER + Math.log(Math.abs(x)) + sum;
  }

  @Test
  void expiAndExp1MatchTheirSeries() {
    double[] xs = {-1, -0.25, 0.1, 0.5, 1.9, 2.5, 4.5};
    double[] expected = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      expected[i] = eiSeries(xs[i]);
    }
    assertClose(expected, Special.expi(f64(xs)), 2e-14);
    // E1(x) = -Ei(-x) for x > 0; E1(5) from scipy (the series cancels there)
    assertClose(new double[] {-eiSeries(-0.5), -eiSeries(-3), 1.1482955912753257e-3}, Special.exp1(f64(0.5, 3, 5)),
        2e-14);
    assertClose(new double[] {-1.1482955912753257e-3}, Special.expi(f64(-5)), 2e-14);
    // JAX's values at the edges: Ei NaN at +-0 and +-inf, E1 inf at 0, NaN below 0 and at inf (JAX: inf/inf)
    assertClose(new double[] {NAN, NAN, NAN, NAN, NAN}, Special.expi(f64(0, -0.0, INF, -INF, NAN)), 0);
    assertClose(new double[] {INF, NAN, NAN}, Special.exp1(f64(0, -1, INF)), 0);
    // F32 overflows past x = 88.7 (e^x), F64 at 700 is still finite
    assertEquals(INF, Special.expi(Array.of(100f)).toDoubleArray()[0]);
    assertTrue(Double.isFinite(Special.expi(f64(700)).item()));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void exp1AtATinyArgumentReturnsTheSeriesValue() {
    // JAX's piecewise runs the x > 1 continued fraction on x = 1e-30 too and never returns; each loop
    // here runs only on its own elements, so the power series answers: E1(x) = -euler - log x + x - ...
    double[] xs = {1e-30, 1e-12, 1e-6};
    double[] expected = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      expected[i] = -EULER - Math.log(xs[i]) + xs[i] - xs[i] * xs[i] / 4;
    }
    assertClose(expected, Special.exp1(f64(xs)), 1e-15);
    assertClose(new double[] {-expected[0]}, Special.expi(f64(-1e-30)), 1e-15);
    float f = (float) Special.exp1(Array.of(1e-30f, 2f)).toDoubleArray()[0];
    assertEquals((float) expected[0], f, 2e-6f * f);
  }

  @Test
  void expnSatisfiesItsRecurrenceOnEveryBranch() {
    // n E_{n+1}(x) = e^-x - x E_n(x), on the series (x <= 1), the continued fraction (x > 1) and from n = 5000
    double[] n = {1, 2, 3, 5, 1, 2, 4, 9, 5000, 6000};
    double[] x = {0.2, 0.7, 1.0, 0.05, 1.5, 3, 12, 40, 2, 0.5};
    double[] nNext = new double[n.length];
    for (int i = 0; i < n.length; i++) {
      nNext[i] = n[i] + 1;
    }
    double[] en = Special.expn(f64(n), f64(x)).toDoubleArray();
    double[] enNext = Special.expn(f64(nNext), f64(x)).toDoubleArray();
    for (int i = 0; i < n.length; i++) {
      double lhs = n[i] * enNext[i];
      double rhs = Math.exp(-x[i]) - x[i] * en[i];
      assertEquals(rhs, lhs, 1e-12 * Math.abs(rhs), "n = " + n[i] + ", x = " + x[i]);
    }
    // E_0(x) = e^-x / x; inf at x = 0 for n < 2; E_1 = exp1; NaN for n < 0 with x <= 1. E_n(0) for n >= 2 is
    // 1/(n - 1), but JAX 0.10.2 returns 1/n there ("one / n1"), and so does StateLens: E_2(0) = 0.5
    assertClose(new double[] {Math.exp(-2) / 2, 0.5, 0.2, INF, INF, NAN},
        Special.expn(f64(0, 2, 5, 1, 0, -1), f64(2, 0, 0, 0, 0, 0.5)), 1e-15);
    assertArrayEquals(Special.exp1(f64(0.3, 4)).toDoubleArray(), Special.expn(1, f64(0.3, 4)).toDoubleArray());
    // JAX's piecewise: the last condition that holds wins, so n = -1 with x = 2 is the continued fraction, not NaN
    assertTrue(Double.isFinite(Special.expn(f64(-1), f64(2)).item()));
  }

  @Test
  void derivativesAreJaxsRules() {
    Array x = f64(-2, 0.5, 3, 20);
    double[] dEi = Transforms.grad((Array t) -> Special.expi(t).sum()).apply(x).toDoubleArray();
    double[] xv = x.toDoubleArray();
    for (int i = 0; i < xv.length; i++) {
      assertEquals(Math.exp(xv[i]) / xv[i], dEi[i], 1e-14 * Math.abs(dEi[i]));
    }
    // d/dx E_n(x) = -E_{n-1}(x); second derivative through the rule again: E_{n-2}(x)
    Array xs = f64(0.4, 1.5, 6);
    Array n = f64(3, 3, 3);
    assertClose(Special.expn(f64(2, 2, 2), xs).neg().toDoubleArray(),
        Transforms.grad((Array t) -> Special.expn(n, t).sum()).apply(xs), 1e-15);
    assertClose(Special.expn(f64(1, 1, 1), xs).toDoubleArray(),
        Transforms.grad((Array t) -> Transforms.grad((Array u) -> Special.expn(n, u).sum()).apply(t).sum()).apply(xs),
        1e-15);
    // none in n: JAX's nondiff_argnums, its gradient is 0
    assertClose(new double[] {0, 0, 0}, Transforms.grad((Array t) -> Special.expn(t, xs).sum()).apply(n), 0);
  }

  @Test
  void jitAndVmapGiveTheEagerBits() {
    Array n = f64(0, 1, 2, 3, 7, 5000);
    Array x = f64(0.5, 0.01, 1.5, 0.9, 30, 2);
    double[] eager = Special.expn(n, x).toDoubleArray();
    assertArrayEquals(eager, Transforms.jit((Array a, Array b) -> Special.expn(a, b)).apply(n, x).toDoubleArray());
    assertArrayEquals(eager, Transforms.vmap((Array a, Array b) -> Special.expn(a, b)).apply(n, x).toDoubleArray());
    Array e = Array.of(-3f, 0.5f, 5f, 50f);
    assertArrayEquals(Special.expi(e).toFloatArray(), Transforms.jit((Array t) -> Special.expi(t)).apply(e).toFloatArray());
  }

  @Test
  void promotionAndComplexRefusal() {
    assertEquals(DType.F32, Special.expi(Array.of(DType.I32, new int[] {2}, 1, 2)).dtype());
    assertEquals(DType.F64, Special.expn(1, f64(0.5)).dtype());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Special.exp1(Array.complex(Array.of(1f), Array.of(1f))));
    assertTrue(e.getMessage().contains("exp1 does not support complex"), e.getMessage());
  }
}
