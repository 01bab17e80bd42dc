package dev.statelens.engine;

import static dev.statelens.engine.SpecialTest.assertClose;
import static dev.statelens.engine.SpecialTest.f64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Special#hyp1f1}, {@link Special#besselJn} and {@link Special#sphHarmY} (session 16)
 * against closed forms and series in double, JAX 0.10.2's edge values and oddities, derivatives
 * and errors. Real JAX: {@code JaxReferenceTest} ({@code jnp10/special.hyp1f1}, ...).
 */
class SpecialHypergeometricBesselTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static Array i32(int... v) {
    return Array.of(DType.I32, new int[] {v.length}, v);
  }

  @Test
  void hyp1f1MatchesClosedFormsOnBothSeries() {
    // 1F1(1; 2; x) = (e^x - 1)/x: the Taylor series below |x| = 100, the asymptotic one from there
    // (not large negative x: the Taylor series cancels there, in JAX too: 1e-4 relative at x = -30)
    double[] xs = {0.5, 3, -2, 20, -5, 150, 300};
    double[] expected = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      expected[i] = Math.expm1(xs[i]) / xs[i];
    }
    Array ones = Array.full(DType.F64, new int[] {xs.length}, 1);
    assertClose(expected, Special.hyp1f1(ones, ones.mul(2.0), f64(xs)), 1e-13);
    // 1F1(1/2; 3/2; -x^2) = sqrt(pi) erf(x) / (2x); Kummer: 1F1(a; b; x) = e^x 1F1(b - a; b; -x)
    double x = 1.2;
    double erf = Special.erf(f64(x)).item();
    assertClose(new double[] {Math.sqrt(Math.PI) * erf / (2 * x)}, Special.hyp1f1(f64(0.5), f64(1.5), f64(-x * x)), 1e-14);
    double kummer = Math.exp(3) * Special.hyp1f1(f64(1.6), f64(2.3), f64(-3)).item();
    assertClose(new double[] {kummer}, Special.hyp1f1(f64(0.7), f64(2.3), f64(3)), 1e-13);
    // JAX's special values: 1 at a = 0 (also a = b = 0, where scipy differs), e^x at a = b, inf at b = 0 != a
    assertClose(new double[] {1, 1, Math.exp(2.5), INF}, Special.hyp1f1(f64(0, 0, 1.7, 2), f64(3, 0, 1.7, 0),
        f64(5, 1, 2.5, 1)), 1e-15);
  }

  @Test
  void hyp1f1DerivativesAreJaxsRules() {
    // d/dx 1F1(1; 2; x) = (x e^x - e^x + 1) / x^2 through a/b 1F1(a + 1; b + 1; x); again for the second
    double[] xs = {0.5, 3, -2};
    double[] first = new double[xs.length];
    double[] second = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      double x = xs[i];
      double e = Math.exp(x);
      first[i] = (x * e - e + 1) / (x * x);
      second[i] = ((x * x - 2 * x + 2) * e - 2) / (x * x * x);
    }
    Array a = f64(1, 1, 1);
    Array b = f64(2, 2, 2);
    assertClose(first, Transforms.grad((Array t) -> Special.hyp1f1(a, b, t).sum()).apply(f64(xs)), 1e-13);
    assertClose(second, Transforms.grad((Array t) -> Transforms.grad((Array u) -> Special.hyp1f1(a, b, u).sum())
        .apply(t).sum()).apply(f64(xs)), 1e-12);
    // in a and b: JAX's digamma series, against central differences of the value
    double h = 1e-6;
    double da = (Special.hyp1f1(f64(0.7 + h), f64(2.3), f64(1.5)).item()
        - Special.hyp1f1(f64(0.7 - h), f64(2.3), f64(1.5)).item()) / (2 * h);
    double db = (Special.hyp1f1(f64(0.7), f64(2.3 + h), f64(1.5)).item()
        - Special.hyp1f1(f64(0.7), f64(2.3 - h), f64(1.5)).item()) / (2 * h);
    java.util.List<Array> g = Transforms.grad((java.util.List<Array> p) -> Special.hyp1f1(p.get(0), p.get(1), p.get(2)))
        .apply(java.util.List.of(f64(0.7).reshape(), f64(2.3).reshape(), f64(1.5).reshape()));
    assertEquals(da, g.get(0).item(), 1e-8 * Math.abs(da));
    assertEquals(db, g.get(1).item(), 1e-8 * Math.abs(db));
    // a second derivative in a goes through JAX's while-loop series: refused, as JAX refuses it
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Transforms.grad(
        (Array t) -> Transforms.grad((Array u) -> Special.hyp1f1(u, f64(2.3), f64(1.5)).sum()).apply(t).sum())
        .apply(f64(0.7)));
    assertTrue(e.getMessage().contains("derivative in a is a while-loop series"), e.getMessage());
  }

  /** {@code J_n(x) = sum_k (-1)^k (x/2)^(2k+n) / (k! (k+n)!)}. */
  private static double besselSeries(int n, double x) {
    double term = Math.pow(x / 2, n);
    for (int j = 2; j <= n; j++) {
      term /= j;
    }
    double sum = term;
    for (int k = 1; k < 80; k++) {
      term *= -(x / 2) * (x / 2) / (k * (double) (k + n));
      sum += term;
    }
    return sum;
  }

  @Test
  void besselJnMatchesThePowerSeries() {
    double[] zs = {0.5, 2, 7.5, -3, 10};
    Array j = Special.besselJn(f64(zs), 5);
    assertArrayEquals(new int[] {6, zs.length}, j.shape());
    double[] got = j.toDoubleArray();
    for (int n = 0; n <= 5; n++) {
      for (int i = 0; i < zs.length; i++) {
        assertEquals(besselSeries(n, zs[i]), got[n * zs.length + i], 1e-12, "J_" + n + "(" + zs[i] + ")");
      }
    }
    // J_0' = -J_1, by composition through the unrolled recurrence
    Array g = Transforms.grad((Array z) -> Special.besselJn(z, 1).get(0).sum()).apply(f64(2, 7.5));
    assertClose(new double[] {-besselSeries(1, 2), -besselSeries(1, 7.5)}, g, 1e-11);
    // shape (v + 1, *z.shape); with v past n_iter, n_iter + 1 rows (JAX slices [:v + 1])
    assertArrayEquals(new int[] {3, 2, 2}, Special.besselJn(Array.of(DType.F64, new int[] {2, 2}, 1, 2, 3, 4), 2).shape());
    assertArrayEquals(new int[] {11, 1}, Special.besselJn(f64(3), 40, 10).shape());
  }

  @Test
  void besselJnInF32OverflowsAtSmallArgumentsAsJaxDoes() {
    // JAX 0.10.2 with its default n_iter = 50: the unnormalized recurrence passes f32's max at small |z|
    double[] f32 = Special.besselJn(Array.of(0.5f, 2f, 10f), 1).toDoubleArray();
    assertTrue(Double.isNaN(f32[0]) && Double.isNaN(f32[1]), java.util.Arrays.toString(f32));
    assertEquals(besselSeries(0, 10), f32[2], 2e-6);
    // fewer iterations keep it in range
    assertEquals(besselSeries(0, 0.5), Special.besselJn(Array.of(0.5f), 0, 20).item(), 1e-6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Special.besselJn(f64(1), -1));
    assertTrue(e.getMessage().contains("order v must be >= 0"), e.getMessage());
  }

  @Test
  void sphHarmYMatchesTheLowDegreeClosedForms() {
    float[] th = {0.3f, 0.7f, 1.1f, 2.0f, 2.5f, 1.3f};
    float[] ph = {0.1f, 0.5f, 1.0f, 3.0f, 4.0f, 2.2f};
    int[] n = {0, 1, 2, 2, 1, 3};
    int[] m = {0, 1, -1, 2, -1, 0};
    Array y = Special.sphHarmY(i32(n), i32(m), Array.of(th), Array.of(ph));
    assertEquals(DType.C64, y.dtype());
    double[] re = y.real().toDoubleArray();
    double[] im = y.imag().toDoubleArray();
    double pi = Math.PI;
    for (int i = 0; i < n.length; i++) {
      double t = th[i];
      double p = ph[i];
      double s = Math.sin(t);
      double c = Math.cos(t);
      double amp = switch (i) {
        case 0 -> 0.5 / Math.sqrt(pi);
        case 1 -> -Math.sqrt(3 / (8 * pi)) * s;
        case 2 -> 0.5 * Math.sqrt(15 / (2 * pi)) * s * c;
        case 3 -> 0.25 * Math.sqrt(15 / (2 * pi)) * s * s;
        case 4 -> Math.sqrt(3 / (8 * pi)) * s;
        default -> 0.25 * Math.sqrt(7 / pi) * (5 * c * c * c - 3 * c);
      };
      double angle = m[i] * p;
      assertEquals(amp * Math.cos(angle), re[i], 2e-6, "Re Y_" + n[i] + "^" + m[i]);
      assertEquals(amp * Math.sin(angle), im[i], 2e-6, "Im Y_" + n[i] + "^" + m[i]);
    }
  }

  @Test
  void sphHarmYNeedsNMaxUnderJitAndRefusesF64() {
    Array n = i32(1, 2);
    Array m = i32(0, 1);
    Array th = Array.of(0.4f, 1.2f);
    Array ph = Array.of(0.3f, 0.9f);
    Array eager = Special.sphHarmY(n, m, th, ph);
    Array jitted = Transforms.jit((Array a, Array b) -> Special.sphHarmY(a, b, th, ph, 2)).apply(n, m);
    assertArrayEquals(eager.real().toFloatArray(), jitted.real().toFloatArray());
    assertArrayEquals(eager.imag().toFloatArray(), jitted.imag().toFloatArray());
    ConcretizationError c = assertThrows(ConcretizationError.class,
        () -> Transforms.jit((Array a, Array b) -> Special.sphHarmY(a, b, th, ph)).apply(n, m));
    assertTrue(c.getMessage().contains("pass nMax"), c.getMessage());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Special.sphHarmY(n, m, f64(0.4, 1.2), f64(0.3, 0.9)));
    assertTrue(e.getMessage().contains("complex128"), e.getMessage());
    // n_max below max(n) clips n, as JAX: Y_2^0 with n_max = 1 is Y_1^0
    Array clipped = Special.sphHarmY(i32(2), i32(0), Array.of(0.4f), Array.of(0f), 1);
    assertEquals(Math.sqrt(3 / (4 * Math.PI)) * Math.cos(0.4f), clipped.real().item(), 2e-6);
  }
}
