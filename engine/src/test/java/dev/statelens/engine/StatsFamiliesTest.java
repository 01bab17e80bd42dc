package dev.statelens.engine;

import static dev.statelens.engine.SpecialTest.assertClose;
import static dev.statelens.engine.SpecialTest.f64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The session-15 {@link Stats} families (gumbel_l/gumbel_r, pareto, gennorm, wrapcauchy,
 * betabinom, nbinom) and {@link GaussianKde} against independent references: closed forms in
 * double, identities (gennorm(2) is a normal, gennorm(1) a Laplace), normalization, quantiles
 * inverting cdfs, JAX's edge values, gradients against finite differences, and errors. The
 * real-JAX comparison is in {@code JaxReferenceTest} (jnp9/ cases).
 */
class StatsFamiliesTest {
  private static final double NEG_INF = Double.NEGATIVE_INFINITY;
  private static final double NAN = Double.NaN;

  private static Array s64(double v) {
    return Array.scalar(DType.F64, v);
  }

  @Test
  void gumbelMatchesItsClosedFormsAndInvertsItsQuantiles() {
    double[] xs = {-2, 0, 0.5, 3};
    double loc = 0.5;
    double scale = 1.5;
    double[] left = new double[4];
    double[] right = new double[4];
    for (int i = 0; i < 4; i++) {
      double z = (xs[i] - loc) / scale;
      left[i] = -Math.log(scale) + z - Math.exp(z);
      right[i] = -Math.log(scale) - z - Math.exp(-z);
    }
    Array x = f64(xs);
    assertClose(left, Stats.GumbelL.logpdf(x, s64(loc), s64(scale)), 1e-14);
    assertClose(right, Stats.GumbelR.logpdf(x, s64(loc), s64(scale)), 1e-14);
    // gumbel_l is gumbel_r mirrored: F_l(x) = 1 - F_r(-x)
    assertClose(Stats.GumbelR.sf(x.neg(), s64(-loc), s64(scale)).toDoubleArray(),
        Stats.GumbelL.cdf(x, s64(loc), s64(scale)), 1e-14);
    Array q = f64(0.01, 0.3, 0.5, 0.9);
    assertClose(q.toDoubleArray(), Stats.GumbelL.cdf(Stats.GumbelL.ppf(q, s64(loc), s64(scale)), s64(loc), s64(scale)),
        1e-14);
    assertClose(q.toDoubleArray(), Stats.GumbelR.cdf(Stats.GumbelR.ppf(q, s64(loc), s64(scale)), s64(loc), s64(scale)),
        1e-14);
    // sf + cdf = 1, logsf = log(sf)
    Array sum = Stats.GumbelR.sf(x).add(Stats.GumbelR.cdf(x));
    assertClose(new double[] {1, 1, 1, 1}, sum, 1e-15);
    assertClose(Stats.GumbelR.sf(x).log().toDoubleArray(), Stats.GumbelR.logsf(x), 1e-13);
  }

  @Test
  void gumbelEdgeValuesAreJaxs() {
    // a scale that is not positive gives NaN everywhere; ppf is NaN at 0 and 1 (open interval)
    assertClose(new double[] {NAN, NAN}, Stats.GumbelL.logpdf(f64(1, 2), s64(0), s64(0)), 0);
    assertClose(new double[] {NAN}, Stats.GumbelR.cdf(f64(1), s64(0), s64(-1)), 0);
    assertClose(new double[] {NAN, NAN, NAN}, Stats.GumbelR.ppf(f64(0, 1, 1.5)), 0);
    assertClose(new double[] {NAN, NAN}, Stats.GumbelL.ppf(f64(0, 1)), 0);
    // far in gumbel_l's lower tail logcdf stays finite: log(-expm1(-exp(z))) ~ z
    assertClose(new double[] {-60}, Stats.GumbelL.logcdf(f64(-60)), 1e-12);
  }

  @Test
  void gumbelScaleGradientExistsWhereJaxsRaises() {
    // JAX 0.10.2 raises a float0 TypeError here (xlogy(-1, scale) with an integer -1); StateLens
    // differentiates -log(scale) as -1/scale
    Array x = f64(-1, 0.5, 2);
    Array g = Transforms.grad((Array s) -> Stats.GumbelR.logpdf(x, s64(0), s).sum()).apply(s64(1.5));
    double h = 1e-6;
    double numeric = (Stats.GumbelR.logpdf(x, s64(0), s64(1.5 + h)).sum().item()
        - Stats.GumbelR.logpdf(x, s64(0), s64(1.5 - h)).sum().item()) / (2 * h);
    assertEquals(numeric, g.item(), 1e-8);
    Array gq = Transforms.grad((Array q) -> Stats.GumbelL.ppf(q).sum()).apply(f64(0.2, 0.7));
    double[] expected = new double[2];
    double[] qs = {0.2, 0.7};
    for (int i = 0; i < 2; i++) {
      expected[i] = 1 / ((1 - qs[i]) * -Math.log1p(-qs[i]));   // d/dq log(-log(1 - q))
    }
    assertClose(expected, gq, 1e-12);
  }

  @Test
  void paretoMatchesItsClosedFormsAndSupport() {
    double b = 2.5;
    double loc = 0.5;
    double scale = 2;
    double[] xs = {2.5, 3, 10};
    double[] expected = new double[3];
    for (int i = 0; i < 3; i++) {
      double y = (xs[i] - loc) / scale;
      expected[i] = Math.log(b) - Math.log(scale) - (b + 1) * Math.log(y);
    }
    assertClose(expected, Stats.Pareto.logpdf(f64(xs), s64(b), s64(loc), s64(scale)), 1e-14);
    // below loc + scale: -inf log density, cdf 0, sf 1
    assertClose(new double[] {NEG_INF}, Stats.Pareto.logpdf(f64(2.4), s64(b), s64(loc), s64(scale)), 0);
    assertClose(new double[] {0}, Stats.Pareto.cdf(f64(2.4), s64(b), s64(loc), s64(scale)), 0);
    assertClose(new double[] {1}, Stats.Pareto.sf(f64(2.4), s64(b), s64(loc), s64(scale)), 0);
    Array q = f64(0, 0.3, 0.99);
    assertClose(q.toDoubleArray(), Stats.Pareto.cdf(Stats.Pareto.ppf(q, s64(b), s64(loc), s64(scale)), s64(b),
        s64(loc), s64(scale)), 1e-14);
    assertClose(new double[] {NAN, NAN, Double.POSITIVE_INFINITY}, Stats.Pareto.ppf(f64(-0.1, 1.1, 1), s64(b)), 0);
    assertClose(Stats.Pareto.cdf(f64(3), s64(b)).log().toDoubleArray(), Stats.Pareto.logcdf(f64(3), s64(b)), 1e-15);
  }

  @Test
  void gennormIsNormalAtTwoAndLaplaceAtOne() {
    Array x = f64(-2, -0.3, 0, 1.7);
    // beta 2: a normal with variance 1/2; beta 1: a Laplace with scale 1
    assertClose(Stats.Norm.logpdf(x, s64(0), s64(Math.sqrt(0.5))).toDoubleArray(), Stats.Gennorm.logpdf(x, s64(2)),
        1e-14);
    assertClose(Stats.Norm.cdf(x, s64(0), s64(Math.sqrt(0.5))).toDoubleArray(), Stats.Gennorm.cdf(x, s64(2)), 1e-14);
    assertClose(Stats.Laplace.logpdf(x).toDoubleArray(), Stats.Gennorm.logpdf(x, s64(1)), 1e-14);
    assertClose(Stats.Laplace.cdf(x).toDoubleArray(), Stats.Gennorm.cdf(x, s64(1)), 1e-14);
    // large beta tends to the uniform on [-1, 1]: density 1/2 inside
    assertClose(new double[] {0.5}, Stats.Gennorm.pdf(f64(0.5), s64(400)), 2e-3);
  }

  @Test
  void wrapcauchyIntegratesToOneOnTheCircle() {
    int n = 20001;
    Array theta = Array.linspace(DType.F64, 0, 2 * Math.PI, n);
    Array density = Stats.Wrapcauchy.pdf(theta, s64(0.6));
    double mass = Array.trapezoid(density, theta, 1.0, -1).item();
    assertEquals(1.0, mass, 1e-9);
    // outside [0, 2 pi]: -inf; c outside (0, 1): NaN (even outside the circle)
    assertClose(new double[] {NEG_INF, NEG_INF}, Stats.Wrapcauchy.logpdf(f64(-0.1, 7), s64(0.5)), 0);
    assertClose(new double[] {NAN, NAN, NAN}, Stats.Wrapcauchy.logpdf(f64(1, 1, 7), f64(0, 1, 1.5)), 0);
  }

  @Test
  void betabinomAndNbinomAreNormalizedAndMatchTheirDefinitions() {
    // JAX's betaln (Lanczos lgamma, algdiv from b = 8) is ~1e-7 relative off, so the pmf sums to
    // 1 + 1.6e-7 in JAX 0.10.2 as here (float64: 1.000000164638274; scipy: 1 to 2e-16)
    int n = 6;
    double[] ks = new double[n + 1];
    for (int k = 0; k <= n; k++) {
      ks[k] = k;
    }
    Array pmf = Stats.Betabinom.pmf(f64(ks), s64(n), s64(2.5), s64(1.5));
    assertEquals(1.0, pmf.sum().item(), 1e-6);
    assertEquals(1.000000164638274, pmf.sum().item(), 1e-13);
    // betabinom(a = b = 1) is uniform on {0..n}
    assertClose(new double[] {1 / 7.0, 1 / 7.0}, Stats.Betabinom.pmf(f64(0, 4), s64(n), s64(1), s64(1)), 1e-14);
    // a non-integer k counts as its floor; outside [0, n]: -inf; n < 0, a or b <= 0: NaN
    assertClose(Stats.Betabinom.logpmf(f64(3), s64(n), s64(2), s64(3)).toDoubleArray(),
        Stats.Betabinom.logpmf(f64(3.7), s64(n), s64(2), s64(3)), 0);
    assertClose(new double[] {NEG_INF, NEG_INF}, Stats.Betabinom.logpmf(f64(-1, 7), s64(n), s64(2), s64(3)), 0);
    assertClose(new double[] {NAN, NAN, NAN}, Stats.Betabinom.logpmf(f64(1, 1, 1), f64(-1, 5, 5), f64(2, 0, 2),
        f64(2, 2, -1)), 0);
    assertClose(new double[] {0}, Stats.Betabinom.logpmf(f64(0), s64(0), s64(2), s64(3)), 0);

    double[] many = new double[400];
    for (int k = 0; k < many.length; k++) {
      many[k] = k;
    }
    assertEquals(1.0, Stats.Nbinom.pmf(f64(many), s64(3.5), s64(0.3)).sum().item(), 1e-12);
    // nbinom(n = 1) is the geometric count of failures: p (1 - p)^k
    assertClose(new double[] {0.3 * Math.pow(0.7, 4)}, Stats.Nbinom.pmf(f64(4), s64(1), s64(0.3)), 1e-15);
    assertClose(new double[] {NEG_INF}, Stats.Nbinom.logpmf(f64(-1), s64(2), s64(0.3)), 0);
  }

  @Test
  void familiesWorkUnderJitAndVmapAndPromoteIntegers() {
    Array x = Array.of(-1f, 0.5f, 2f, 4f).reshape(2, 2);
    Array jitted = Transforms.jit((Array t) -> Stats.GumbelR.logpdf(t, Array.scalar(0.5f), Array.scalar(2f))).apply(x);
    assertArrayEquals(Stats.GumbelR.logpdf(x, Array.scalar(0.5f), Array.scalar(2f)).toFloatArray(),
        jitted.toFloatArray());
    Array mapped = Transforms.vmap((Array row) -> Stats.Pareto.logpdf(row, Array.scalar(2f))).apply(x.add(1f));
    assertArrayEquals(Stats.Pareto.logpdf(x.add(1f), Array.scalar(2f)).toFloatArray(), mapped.toFloatArray());
    Array ints = Array.of(DType.I32, new int[] {3}, 0, 1, 2);
    assertEquals(DType.F32, Stats.Nbinom.logpmf(ints, Array.scalar(2f), Array.scalar(0.5f)).dtype());
    assertEquals(DType.F32, Stats.GumbelL.logpdf(ints).dtype());
  }

  // ---- gaussian_kde ---------------------------------------------------------------------------

  private static final double[] DATA = {-1.2, -0.4, 0.1, 0.3, 0.9, 1.6, 2.2, 3.0};

  @Test
  void kdeIsTheMixtureOfNormalsScottsRuleGives() {
    GaussianKde kde = GaussianKde.of(f64(DATA));
    int n = DATA.length;
    double mean = 0;
    for (double v : DATA) {
      mean += v / n;
    }
    double variance = 0;
    for (double v : DATA) {
      variance += (v - mean) * (v - mean) / (n - 1);
    }
    double factor = Math.pow(n, -1.0 / 5);      // Scott: neff^(-1/(d+4)), neff = n for equal weights
    double sigma = Math.sqrt(variance) * factor;
    double[] points = {-3, 0, 0.25, 5};
    double[] expected = new double[points.length];
    for (int i = 0; i < points.length; i++) {
      for (double v : DATA) {
        double z = (points[i] - v) / sigma;
        expected[i] += Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI)) / n;
      }
    }
    assertEquals(n, kde.neff().item(), 1e-12);
    assertClose(new double[] {variance * factor * factor}, kde.covariance(), 1e-14);
    assertClose(expected, kde.evaluate(f64(points)), 1e-14);
    assertClose(kde.evaluate(f64(points)).log().toDoubleArray(), kde.logpdf(f64(points)), 1e-13);
    // logpdf stays finite where the density underflows
    assertTrue(Double.isFinite(kde.logpdf(f64(200)).item()));
    assertEquals(0.0, kde.evaluate(f64(200)).item());
    // the mass of the whole line is 1; of a box, the integral of the density (trapezoid)
    assertEquals(1.0, kde.integrateBox1d(s64(-50), s64(50)).item(), 1e-14);
    Array grid = Array.linspace(DType.F64, -0.5, 1.0, 4001);
    assertEquals(Array.trapezoid(kde.evaluate(grid), grid, 1.0, -1).item(),
        kde.integrateBox1d(s64(-0.5), s64(1.0)).item(), 1e-8);
  }

  @Test
  void kdeBandwidthRulesAndWeights() {
    Array data = f64(DATA);
    double n = DATA.length;
    GaussianKde silverman = GaussianKde.of(data, "silverman", null);
    GaussianKde scott = GaussianKde.of(data);
    double ratio = Math.pow(n * 3 / 4.0, -1.0 / 5) / Math.pow(n, -1.0 / 5);
    assertEquals(ratio * ratio, silverman.covariance().item() / scott.covariance().item(), 1e-13);
    GaussianKde fixed = GaussianKde.of(data, 0.5, null);
    assertEquals(0.25, fixed.covariance().item() / (scott.covariance().item() / Math.pow(n, -2.0 / 5)), 1e-13);
    GaussianKde custom = GaussianKde.of(data, k -> k.neff().pow(-0.5), null);
    assertEquals(1 / n, custom.covariance().item() / (scott.covariance().item() / Math.pow(n, -2.0 / 5)), 1e-13);
    // weights are normalized; all weight on two points makes neff 2 and the density their mixture
    double[] w = new double[DATA.length];
    w[1] = 3;
    w[5] = 3;
    GaussianKde weighted = GaussianKde.of(data, "scott", f64(w));
    assertEquals(2.0, weighted.neff().item(), 1e-12);
    assertEquals(0.5, weighted.weights().toDoubleArray()[1], 0);
    double sigma = Math.sqrt(weighted.covariance().item());
    double expected = 0.5 * (Stats.Norm.pdf(f64(0.2), s64(DATA[1]), s64(sigma)).item()
        + Stats.Norm.pdf(f64(0.2), s64(DATA[5]), s64(sigma)).item());
    assertEquals(expected, weighted.evaluate(f64(0.2)).item(), 1e-14);
  }

  @Test
  void kdeInTwoDimensionsIntegratesAndResamples() {
    Array data = Array.of(DType.F64, new int[] {2, 6}, 0.1, 0.7, -0.3, 1.2, 0.4, -0.8, 1.0, 0.2, 0.5, -0.6, 0.9, 0.0);
    GaussianKde kde = GaussianKde.of(data);
    assertEquals(2, kde.d());
    assertEquals(6, kde.n());
    // a [d] row is one point
    assertClose(kde.evaluate(Array.of(DType.F64, new int[] {2, 1}, 0.2, 0.3)).toDoubleArray(),
        kde.evaluate(f64(0.2, 0.3)), 0);
    // integrate_kde with itself is integrate_gaussian over its own points with its own covariance, weighted
    Array self = kde.integrateKde(kde);
    double sum = 0;
    for (int j = 0; j < 6; j++) {
      Array point = Array.of(DType.F64, new int[] {2}, data.toDoubleArray()[j], data.toDoubleArray()[6 + j]);
      sum += kde.integrateGaussian(point, kde.covariance()).item() / 6;
    }
    assertEquals(sum, self.item(), 1e-14);
    Array draws = kde.resample(Random.key(3), 500);
    assertArrayEquals(new int[] {2, 500}, draws.shape());
    assertArrayEquals(kde.resample(Random.key(3), 500).toDoubleArray(), draws.toDoubleArray());
    // a pytree: through jit as an argument, the same density
    Array viaJit = Transforms.jit((GaussianKde k, Array p) -> k.logpdf(p)).apply(kde, f64(0.2, 0.3));
    assertClose(kde.logpdf(f64(0.2, 0.3)).toDoubleArray(), viaJit, 1e-15);
    assertEquals(5, Tree.leaves(kde).size());
  }

  @Test
  void kdeErrorsNameTheProblem() {
    var few = assertThrows(IllegalArgumentException.class, () -> GaussianKde.of(f64(1.0)));
    assertTrue(few.getMessage().contains("multiple elements"), few.getMessage());
    var bw = assertThrows(IllegalArgumentException.class, () -> GaussianKde.of(f64(DATA), "scot", null));
    assertTrue(bw.getMessage().contains("'scott', 'silverman'"), bw.getMessage());
    var len = assertThrows(ShapeError.class, () -> GaussianKde.of(f64(DATA), "scott", f64(1, 2)));
    assertTrue(len.getMessage().contains("length n = 8"), len.getMessage());
    GaussianKde kde = GaussianKde.of(f64(DATA));
    var box = assertThrows(ShapeError.class, () -> kde.integrateBox1d(f64(0, 1), s64(2)));
    assertTrue(box.getMessage().contains("must be scalars"), box.getMessage());
    GaussianKde two = GaussianKde.of(Array.of(DType.F64, new int[] {2, 4}, 0, 1, 2, 0.5, 1, 0, 2, 1));
    var oneD = assertThrows(IllegalArgumentException.class, () -> two.integrateBox1d(s64(0), s64(1)));
    assertTrue(oneD.getMessage().contains("only handles 1D"), oneD.getMessage());
    var dims = assertThrows(ShapeError.class, () -> two.evaluate(Array.zeros(DType.F64, 3, 2)));
    assertTrue(dims.getMessage().contains("points have dimension 3, dataset has dimension 2"), dims.getMessage());
    var mismatch = assertThrows(ShapeError.class, () -> two.integrateKde(kde));
    assertTrue(mismatch.getMessage().contains("not the same dimensionality"), mismatch.getMessage());
  }
}
