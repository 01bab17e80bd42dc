package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link Special}: values against independent references (closed forms, identities, high-precision
 * constants), promotion, errors, gradients (lax's rules and JAX's custom derivatives), jit and vmap,
 * and the gradient of {@link Random#gamma} in its shape. The real-JAX comparison is in
 * {@code JaxReferenceTest} (special/ cases).
 */
class SpecialTest {

  static Array f64(double... v) {
    return Array.of(DType.F64, new int[] {v.length}, v);
  }

  /** Each element equal, both NaN, or within {@code rtol} of {@code expected} (ZetaTest too). */
  static void assertClose(double[] expected, Array got, double rtol) {
    double[] g = got.toDoubleArray();
    assertEquals(expected.length, g.length);
    for (int i = 0; i < g.length; i++) {
      double tol = rtol * Math.abs(expected[i]);
      assertTrue(Math.abs(g[i] - expected[i]) <= tol || (Double.isNaN(expected[i]) && Double.isNaN(g[i]))
          || expected[i] == g[i], "element " + i + ": expected " + expected[i] + ", got " + g[i]);
    }
  }

  @Test
  void gammaFunctionsMatchKnownValues() {
    double euler = 0.5772156649015329;
    assertClose(new double[] {Math.log(Math.sqrt(Math.PI)), Math.log(362880), 0, 0, Double.POSITIVE_INFINITY,
        Double.POSITIVE_INFINITY, Math.log(2 * Math.sqrt(Math.PI))},
        Special.gammaln(f64(0.5, 10, 1, 2, 0, -3, -0.5)), 1e-14);
    assertClose(new double[] {-euler, 1 - euler, -euler - 2 * Math.log(2), Double.NaN, Double.NaN},
        Special.digamma(f64(1, 2, 0.5, 0, -2)), 1e-14);
    assertClose(new double[] {Math.PI * Math.PI / 6, Math.PI * Math.PI / 2, Math.PI * Math.PI / 6 - 1},
        Special.polygamma(1, f64(1, 0.5, 2)), 1e-14);
    // polygamma(2, 1) = -2 zeta(3)
    assertClose(new double[] {-2 * 1.2020569031595942}, Special.polygamma(2, f64(1)), 1e-14);
    // multigammaln(a, 1) = gammaln(a)
    assertClose(Special.gammaln(f64(2.5, 7)).toDoubleArray(), Special.multigammaln(f64(2.5, 7), 1), 0);
  }

  @Test
  void erfcKeepsItsRelativeAccuracyBelowOneAndInTheTail() {
    // high-precision values of erfc (the old 1 - erf lost ~12 bits below 2.5)
    double[] x = {0.5, 0.9, 1.5, 2.0, 2.4, 5.0, 10.0, 26.0, -1.5};
    double[] erfc = {0.47950012218695346232, 0.2030917875771678603353, 0.033894853524689273972,
        0.0046777349810472658379, 6.8851389664507888555e-4, 1.5374597944280348502e-12, 2.0884875837625447570e-45,
        5.663192408856142e-296, 1.966105146475310727067};
    assertClose(erfc, Special.erfc(f64(x)), 2e-15);
    assertClose(new double[] {1.5374597944280348502e-12f}, Special.erfc(Array.of(5f)), 1e-7);
  }

  @Test
  void incompleteGammaAndBetaSatisfyTheirIdentities() {
    Array a = f64(0.5, 1, 2.5, 10, 40, 0.05);
    Array x = f64(0.3, 2, 2.5, 25, 38, 3);
    double[] p = Special.gammainc(a, x).toDoubleArray();
    double[] q = Special.gammaincc(a, x).toDoubleArray();
    for (int i = 0; i < p.length; i++) {
      assertEquals(1, p[i] + q[i], 1e-14, "P + Q at " + i);
    }
    // P(1, x) = 1 - exp(-x), P(1/2, x) = erf(sqrt x)
    assertClose(new double[] {1 - Math.exp(-2)}, Special.gammainc(f64(1), f64(2)), 1e-14);
    assertClose(Special.erf(f64(Math.sqrt(0.3))).toDoubleArray(), Special.gammainc(f64(0.5), f64(0.3)), 1e-14);
    assertClose(new double[] {0, 1, Double.NaN, Double.NaN}, Special.gammainc(f64(2, 2, -1, 0), f64(0, Double.POSITIVE_INFINITY, 1, 0)), 0);
    // I_x(1, 1) = x, I_x(a, 1) = x^a, symmetry I_x(a, b) = 1 - I_{1-x}(b, a)
    assertClose(new double[] {0.3, 0.9}, Special.betainc(f64(1, 1), f64(1, 1), f64(0.3, 0.9)), 1e-15);
    assertClose(new double[] {Math.pow(0.4, 3.5)}, Special.betainc(f64(3.5), f64(1), f64(0.4)), 1e-14);
    double i1 = Special.betainc(f64(2.5), f64(7), f64(0.3)).toDoubleArray()[0];
    double i2 = Special.betainc(f64(7), f64(2.5), f64(0.7)).toDoubleArray()[0];
    assertEquals(1, i1 + i2, 1e-14);
    // betaln below and above b = 8 against scipy's betaln (JAX's algdiv is a truncated series: 1e-7 off at
    // b just above 8 with a small a, as in JAX, which this follows)
    assertClose(new double[] {Math.log(1.0 / 0.75) - Math.log(1), -33.968820791977386, -6.351866910579232},
        Special.betaln(f64(1, 20, 3), f64(0.75, 30, 9.5)), 2e-7);
    assertClose(new double[] {-33.968820791977386}, Special.betaln(f64(20), f64(30)), 1e-9);
  }

  @Test
  void randomGammaGradIsTheImplicitDerivative() {
    // x(a) with P(a, x(a)) fixed: dx/da = -(dP/da) / (dP/dx)
    Array a = f64(0.3, 1, 2.5, 40, 150);
    Array x = f64(0.05, 1.7, 2.2, 44, 140);
    Array pdf = x.neg().add(a.sub(1).mul(x.log())).sub(Special.gammaln(a)).exp();
    double[] expected = Special.igammaGradA(a, x).neg().div(pdf).toDoubleArray();
    assertClose(expected, Special.randomGammaGrad(a, x), 1e-10);
  }

  @Test
  void integersPromoteToFloat32AndShapesBroadcast() {
    Array r = Special.gammaln(Array.of(1, 2, 5));
    assertEquals(DType.F32, r.dtype());
    assertArrayEquals(new float[] {0, 0, (float) Math.log(24)}, r.toFloatArray(), 1e-6f);
    Array g = Special.gammainc(Array.of(2f), Array.of(DType.F32, new int[] {2, 2}, 0.5f, 1, 2, 3));
    assertArrayEquals(new int[] {2, 2}, g.shape());
    assertEquals(DType.F64, Special.betainc(Array.of(1), Array.scalar(DType.F64, 2), Array.of(0.5f)).dtype());
  }

  @Test
  void badInputNamesTheProblem() {
    Exception e = assertThrows(IllegalArgumentException.class, () -> Special.polygamma(Array.of(1f), f64(1)));
    assertTrue(e.getMessage().contains("integer dtype"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Special.polygamma(-1, f64(1)));
    assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Special.ndtr(Array.of(1, 2)));
    assertTrue(e.getMessage().contains("F32 or F64"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Special.multigammaln(f64(2), 0));
    assertTrue(e.getMessage().contains("d must be >= 1"), e.getMessage());
    // betainc differentiates in x only, as lax
    Exception g = assertThrows(RuntimeException.class, () -> Transforms.grad((Array a) ->
        Special.betainc(a, f64(2), f64(0.3)).sum()).apply(f64(1.5)));
    assertTrue(g.getMessage().contains("with respect to a and b"), g.getMessage());
    Exception h = assertThrows(RuntimeException.class, () -> Transforms.grad((Array a) ->
        Special.igammaGradA(a, f64(2)).sum()).apply(f64(1.5)));
    assertTrue(h.getMessage().contains("igamma_grad_a"), h.getMessage());
  }

  @Test
  void gradientsFollowLaxAndJaxCustomRules() {
    Array x = f64(0.7, 2.5, 9);
    assertClose(Special.digamma(x).toDoubleArray(), Transforms.grad((Array t) -> Special.gammaln(t).sum()).apply(x), 0);
    assertClose(Special.polygamma(1, x).toDoubleArray(),
        Transforms.grad((Array t) -> Special.digamma(t).sum()).apply(x), 0);
    // betainc in x: x^(a-1) (1-x)^(b-1) / B(a, b)
    double bx = 0.35;
    double dx = Transforms.grad((Array t) -> Special.betainc(f64(2.5), f64(4), t).sum()).apply(f64(bx)).toDoubleArray()[0];
    double beta = Math.exp(Special.betaln(f64(2.5), f64(4)).toDoubleArray()[0]);
    assertEquals(Math.pow(bx, 1.5) * Math.pow(1 - bx, 3) / beta, dx, 1e-13);
    // xlogy's custom derivative: d/dx at x = 0 is log(y) (the where's derivative would be 0)
    List<Array> g = Transforms.grad((List<Array> p) -> Special.xlogy(p.get(0), p.get(1)).sum())
        .apply(List.of(f64(0, 2), f64(3, 5)));
    assertClose(new double[] {Math.log(3), Math.log(5)}, g.get(0), 1e-15);
    assertClose(new double[] {0, 2.0 / 5}, g.get(1), 1e-15);
    // log_ndtr's: exp(log phi(x) - log_ndtr(x)), finite far in the lower tail
    double d = Transforms.grad((Array t) -> Special.logNdtr(t).sum()).apply(f64(-30)).toDoubleArray()[0];
    assertEquals(30.033, d, 1e-3);
  }

  @Test
  void jitAndVmapGiveTheEagerValues() {
    Function<Array, Array> f = t -> Special.gammaln(t).mul(2).add(Special.digamma(t)).add(Special.erfc(t))
        .add(Special.gammainc(t, t.add(1))).add(Special.betainc(t, t.add(2), t.div(t.add(4))));
    Array x = Array.of(DType.F32, new int[] {2, 3}, 0.3f, 1, 2.5f, 7, 0.01f, 40);
    assertArrayEquals(f.apply(x).toFloatArray(), Transforms.jit(f).apply(x).toFloatArray());
    assertArrayEquals(f.apply(x).toFloatArray(), Transforms.vmap(f).apply(x).toFloatArray());
  }

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void gammaDrawsHaveTheirReparameterizedGradient() {
    Key key = Random.key(7);
    for (DType dt : List.of(DType.F32, DType.F64)) {
      Array a = Array.of(DType.F64, new int[] {4}, 0.3, 1, 2.5, 40).astype(dt);
      Array draws = Random.gamma(key, a, null, dt);
      Array expected = Special.randomGammaGrad(a, draws);
      Function<Array, Array> grad = Transforms.grad((Array t) -> Random.gamma(key, t, null, dt).sum());
      assertArrayEquals(expected.toDoubleArray(), grad.apply(a).toDoubleArray(), 0, dt + " gamma");
      assertArrayEquals(expected.toDoubleArray(), Transforms.jit(grad).apply(a).toDoubleArray(), 0, dt + " jit");
      // loggamma: d log(x) = dx / x
      Array logDraws = Random.loggamma(key, a, null, dt);
      Array x = logDraws.exp();
      double[] logExpected = Special.randomGammaGrad(a, x).div(x).toDoubleArray();
      double[] logGrad = Transforms.grad((Array t) -> Random.loggamma(key, t, null, dt).sum()).apply(a).toDoubleArray();
      assertArrayEquals(logExpected, logGrad, 0, dt + " loggamma");
    }
    // samplers built on gamma are differentiable in their parameters too (were a clear error before)
    double dBeta = Transforms.grad((Array t) -> Random.beta(key, t, Array.scalar(DType.F32, 2), new int[] {5}, DType.F32)
        .sum()).apply(Array.scalar(DType.F32, 1.5)).toDoubleArray()[0];
    assertTrue(Double.isFinite(dBeta) && dBeta > 0, "a larger a moves beta draws up: " + dBeta);
  }

  // ---- Bessel functions -----------------------------------------------------------------------

  /** {@code I_nu(x) = sum_k (x/2)^(2k+nu) / (k! (k+nu)!)}, nu 0 or 1: the independent reference. */
  private static double besselSeries(int nu, double x) {
    double half = x / 2;
    double term = nu == 0 ? 1 : half;
    double sum = term;
    for (int k = 1; k < 200; k++) {
      term *= half * half / (k * (double) (k + nu));
      sum += term;
    }
    return sum;
  }

  @Test
  void besselFunctionsMatchTheirPowerSeriesOnBothChebyshevIntervals() {
    double[] xs = {0, 1e-6, -0.3, 1, -2.5, 5, 7.99, 8, -8.01, 12, 20, -25};
    double[] i0e = new double[xs.length];
    double[] i1e = new double[xs.length];
    double[] i0 = new double[xs.length];
    double[] i1 = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      double x = xs[i];
      i0[i] = besselSeries(0, Math.abs(x));
      i1[i] = Math.signum(x) * besselSeries(1, Math.abs(x));
      i0e[i] = Math.exp(-Math.abs(x)) * i0[i];
      i1e[i] = Math.exp(-Math.abs(x)) * i1[i];
    }
    assertClose(i0e, Special.i0e(f64(xs)), 1e-14);
    assertClose(i1e, Special.i1e(f64(xs)), 1e-14);
    assertClose(i0, Special.i0(f64(xs)), 1e-14);
    assertClose(i1, Special.i1(f64(xs)), 1e-14);
    // f32 (the shorter Cephes tables), int32 promoted to f32, and the large-x limit 1/sqrt(2 pi x)
    Array f32 = Special.i0e(Array.of(1f, -2.5f, 12f));
    assertEquals(DType.F32, f32.dtype());
    assertClose(new double[] {i0e[3], i0e[4], i0e[9]}, f32, 2e-6);
    assertEquals(DType.F32, Special.i1e(Array.of(DType.I32, new int[] {2}, 3, -3)).dtype());
    assertClose(new double[] {1 / Math.sqrt(2 * Math.PI * 1e6) * (1 + 1 / 8e6)}, Special.i0e(f64(1e6)), 1e-12);
    // nan stays nan; +-inf: the scaled functions go to 0, and i0 = exp(inf) * 0 is NaN (as JAX 0.10.2)
    assertClose(new double[] {Double.NaN, 0, 0}, Special.i0e(f64(Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY)), 0);
    assertTrue(Double.isNaN(Special.i0(f64(Double.NEGATIVE_INFINITY)).toDoubleArray()[0]));
    assertEquals(Double.POSITIVE_INFINITY, Special.i0(f64(800)).toDoubleArray()[0]);
    // bfloat16 runs in f32 and rounds back
    Array bf = Special.i1e(Array.of(1f, 9f).astype(DType.BF16));
    assertEquals(DType.BF16, bf.dtype());
    assertClose(new double[] {i1e[3], Math.exp(-9) * besselSeries(1, 9)}, bf, 8e-3);
  }

  @Test
  void besselGradientsFollowTheirIdentitiesToSecondOrder() {
    Array x = f64(-9, -3, -0.7, 0.4, 1, 2.5, 7.5, 8.5, 20);
    // I0' = I1 and I1' = I0 - I1/x (from JAX's rules for i0e and i1e through exp(|x|))
    Array dI0 = Transforms.grad((Array t) -> Special.i0(t).sum()).apply(x);
    assertClose(Special.i1(x).toDoubleArray(), dI0, 1e-13);
    Array dI1 = Transforms.grad((Array t) -> Special.i1(t).sum()).apply(x);
    assertClose(Special.i0(x).sub(Special.i1(x).div(x)).toDoubleArray(), dI1, 1e-13);
    // i1e's rule at |x| <= eps is its limit 1/2 (1/x would overflow)
    assertClose(new double[] {0.5, 0.5}, Transforms.grad((Array t) -> Special.i1e(t).sum()).apply(f64(0, 1e-300)), 0);
    // second order: the rules are themselves differentiable; Bessel's equation x^2 y'' + x y' - x^2 y = 0
    Function<Array, Array> d1 = Transforms.grad((Array t) -> Special.i0(t).sum());
    Array d2 = Transforms.grad((Array t) -> d1.apply(t).sum()).apply(x);
    Array residual = x.mul(x).mul(d2).add(x.mul(dI0)).sub(x.mul(x).mul(Special.i0(x)));
    double[] r = residual.toDoubleArray();
    double[] scale = x.mul(x).mul(Special.i0(x)).toDoubleArray();
    for (int i = 0; i < r.length; i++) {
      assertTrue(Math.abs(r[i]) <= 1e-12 * Math.abs(scale[i]), "Bessel's equation at element " + i + ": " + r[i]);
    }
  }

  @Test
  void besselFunctionsGiveTheSameBitsUnderJitAndVmap() {
    Array x = Array.of(-12f, -3f, -0.1f, 0f, 0.5f, 7.9f, 8.1f, 30f).reshape(2, 4);
    for (Function<Array, Array> f : List.<Function<Array, Array>>of(Special::i0e, Special::i1e, Special::i0,
        Special::i1)) {
      double[] eager = f.apply(x).toDoubleArray();
      assertArrayEquals(eager, Transforms.jit(f).apply(x).toDoubleArray());
      assertArrayEquals(eager, Transforms.vmap(f).apply(x).toDoubleArray());
    }
  }
}
