package dev.statelens.engine;

import static dev.statelens.engine.SpecialTest.assertClose;
import static dev.statelens.engine.SpecialTest.f64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Stats} and {@code Special.logsumexp}'s weights and sign against independent references:
 * closed forms, identities between families (gamma(1) is expon, chi2(k) is gamma(k/2, scale 2),
 * a diagonal multivariate normal is a sum of normals), normalization (a pmf sums to 1), quantiles
 * inverting cdfs; the edge values JAX gives; shapes; gradients against their closed forms; errors.
 * The real-JAX comparison is in {@code JaxReferenceTest} (jnp8/ cases).
 */
class StatsTest {
  private static final double NEG_INF = Double.NEGATIVE_INFINITY;
  private static final double NAN = Double.NaN;

  private static Array s64(double v) {
    return Array.scalar(DType.F64, v);
  }

  @Test
  void normalMatchesItsClosedFormsAndInvertsItsQuantiles() {
    Array x = f64(-2, 0, 0.5, 3);
    double[] expected = new double[4];
    double[] xs = {-2, 0, 0.5, 3};
    for (int i = 0; i < 4; i++) {
      double z = (xs[i] - 1) / 2;
      expected[i] = -0.5 * z * z - Math.log(2 * Math.sqrt(2 * Math.PI));
    }
    assertClose(expected, Stats.Norm.logpdf(x, s64(1), s64(2)), 1e-14);
    assertClose(new double[] {1 / Math.sqrt(2 * Math.PI)}, Stats.Norm.pdf(f64(0)), 1e-15);
    assertClose(new double[] {0.5, 0.8413447460685429}, Stats.Norm.cdf(f64(0, 1)), 1e-14);
    // sf and logsf are the mirror images of cdf and logcdf
    assertClose(Stats.Norm.cdf(f64(-1.5, 0.25)).toDoubleArray(), Stats.Norm.sf(f64(1.5, -0.25)), 1e-15);
    assertClose(Stats.Norm.logcdf(f64(-30)).toDoubleArray(), Stats.Norm.logsf(f64(30)), 1e-15);
    // far in the lower tail logcdf stays finite (log_ndtr), where log(cdf) would be -inf
    double tail = Stats.Norm.logcdf(f64(-40)).toDoubleArray()[0];
    assertTrue(Double.isFinite(tail) && Math.abs(tail + 804.6084420137538) < 1e-9, "logcdf(-40) = " + tail);
    Array q = f64(0.01, 0.3, 0.5, 0.9);
    assertClose(q.toDoubleArray(), Stats.Norm.cdf(Stats.Norm.ppf(q, s64(2), s64(3)), s64(2), s64(3)), 1e-13);
    assertClose(Stats.Norm.ppf(f64(0.2)).toDoubleArray(), Stats.Norm.isf(f64(0.8)), 1e-14);
    assertClose(new double[] {NEG_INF, Double.POSITIVE_INFINITY, NAN}, Stats.Norm.ppf(f64(0, 1, 1.5)), 0);
  }

  @Test
  void edgeValuesAreJaxs() {
    // outside the support: -inf logpdf, 0 pdf
    assertClose(new double[] {NEG_INF, 0}, Stats.Expon.logpdf(f64(-1, 0)), 0);
    assertClose(new double[] {0}, Stats.Expon.pdf(f64(-1)), 0);
    assertClose(new double[] {NEG_INF, NEG_INF}, Stats.Uniform.logpdf(f64(-0.5, 1.5)), 0);
    assertClose(new double[] {NEG_INF, NEG_INF}, Stats.Beta.logpdf(f64(-0.1, 1.1), s64(2), s64(3)), 0);
    assertClose(new double[] {NEG_INF}, Stats.Gamma.logpdf(f64(-1), s64(2)), 0);
    assertClose(new double[] {NEG_INF, NEG_INF, NEG_INF}, Stats.Poisson.logpmf(f64(-1, 1.5, 2.5), s64(2)), 0);
    assertClose(new double[] {NEG_INF, NEG_INF}, Stats.Geom.logpmf(f64(0, -2), s64(0.3)), 0);
    assertClose(new double[] {NEG_INF, NEG_INF}, Stats.Binom.logpmf(f64(-1, 6), s64(5), s64(0.3)), 0);
    assertClose(new double[] {NEG_INF, NEG_INF}, Stats.Bernoulli.logpmf(f64(-1, 2), s64(0.3)), 0);
    // non-positive parameters, as JAX: scale 0 NaN in norm (0/0), beta's parameter check
    assertTrue(Double.isNaN(Stats.Norm.logpdf(f64(1), s64(0), s64(0)).toDoubleArray()[0]));
    // a negative scale is squared away in norm.logpdf (JAX checks nothing)
    assertClose(Stats.Norm.logpdf(f64(1), s64(0), s64(2)).toDoubleArray(),
        Stats.Norm.logpdf(f64(1), s64(0), s64(-2)), 0);
    assertClose(new double[] {NAN, NAN, NAN}, Stats.Beta.logpdf(f64(0.5, 0.5, 0.5), f64(0, 2, 2), f64(1, -1, 2),
        s64(0), f64(1, 1, 0)), 0);
    assertClose(new double[] {NAN}, Stats.Truncnorm.logpdf(f64(0), s64(1), s64(1)), 0);
    // p = 0 and 1: binom's exact 0 (JAX's rule), bernoulli's certain outcomes
    assertClose(new double[] {0, 0}, Stats.Binom.logpmf(f64(0, 5), s64(5), f64(0, 1)), 0);
    assertClose(new double[] {0, NEG_INF}, Stats.Bernoulli.logpmf(f64(1, 0), s64(1)), 0);
  }

  @Test
  void familiesAgreeWhereTheyCoincide() {
    Array x = f64(0.1, 0.7, 2.5, 9);
    // gamma with a = 1 is the exponential; chi2(k) is gamma(k/2) with scale 2
    assertClose(Stats.Expon.logpdf(x, s64(0), s64(1.5)).toDoubleArray(),
        Stats.Gamma.logpdf(x, s64(1), s64(0), s64(1.5)), 1e-14);
    assertClose(Stats.Gamma.logpdf(x, s64(1.5), s64(0), s64(2)).toDoubleArray(), Stats.Chi2.logpdf(x, s64(3)), 1e-14);
    assertClose(Stats.Gamma.cdf(x, s64(1.5), s64(0), s64(2)).toDoubleArray(), Stats.Chi2.cdf(x, s64(3)), 1e-14);
    // t with one degree of freedom is the Cauchy
    assertClose(Stats.Cauchy.logpdf(x, s64(0.5), s64(2)).toDoubleArray(),
        Stats.T.logpdf(x, s64(1), s64(0.5), s64(2)), 1e-13);
    // beta(1, 1) is uniform; truncnorm on (-inf, inf) is the normal
    Array u = f64(0.1, 0.5, 0.9);
    assertClose(Stats.Uniform.logpdf(u).toDoubleArray(), Stats.Beta.logpdf(u, s64(1), s64(1)), 1e-15);
    assertClose(Stats.Norm.logpdf(x).toDoubleArray(),
        Stats.Truncnorm.logpdf(x, s64(NEG_INF), s64(Double.POSITIVE_INFINITY)), 1e-14);
    // a diagonal multivariate normal is the sum of its components' normals
    Array mean = f64(1, -1, 0.5);
    Array v = f64(2, 0.5, 1);
    Array xv = f64(0.3, 0.2, 1.7);
    double sum = Stats.Norm.logpdf(xv, mean, v.sqrt()).sum().toDoubleArray()[0];
    assertClose(new double[] {sum}, Stats.MultivariateNormal.logpdf(xv, mean, v.diag()), 1e-13);
    // a scalar variance shared by the components, and a scalar mean
    assertClose(new double[] {Stats.Norm.logpdf(xv, mean, s64(Math.sqrt(1.5))).sum().toDoubleArray()[0]},
        Stats.MultivariateNormal.logpdf(xv, mean, s64(1.5)), 1e-13);
    assertClose(Stats.Norm.logpdf(xv, s64(0.5), s64(Math.sqrt(2))).toDoubleArray(),
        Stats.MultivariateNormal.logpdf(xv, s64(0.5), s64(2)), 1e-14);
  }

  @Test
  void discreteMassSumsToOneAndMatchesCombinatorics() {
    double[] k = new double[80];
    for (int i = 0; i < k.length; i++) {
      k[i] = i;
    }
    assertClose(new double[] {1}, Stats.Poisson.pmf(f64(k), s64(7.5)).sum(), 1e-13);
    assertClose(new double[] {1}, Stats.Geom.pmf(f64(k).add(1), s64(0.4)).sum(), 1e-13);
    double[] k10 = java.util.Arrays.copyOf(k, 11);
    assertClose(new double[] {1}, Stats.Binom.pmf(f64(k10), s64(10), s64(0.35)).sum(), 1e-13);
    // C(10, 3) 0.35^3 0.65^7
    assertClose(new double[] {120 * Math.pow(0.35, 3) * Math.pow(0.65, 7)},
        Stats.Binom.pmf(f64(3), s64(10), s64(0.35)), 1e-13);
    // the poisson cdf is the running sum of its pmf
    double running = Stats.Poisson.pmf(f64(0, 1, 2, 3), s64(2.5)).sum().toDoubleArray()[0];
    assertClose(new double[] {running}, Stats.Poisson.cdf(f64(3), s64(2.5)), 1e-13);
    // multinomial: 5! / (2! 0! 3!) 0.2^2 0.5^3
    Array counts = Array.of(DType.I32, new int[] {3}, 2, 0, 3);
    assertClose(new double[] {Math.log(10 * 0.04 * 0.125)},
        Stats.Multinomial.logpmf(counts, Array.scalar(DType.I32, 5), f64(0.2, 0.3, 0.5)), 1e-14);
    assertClose(new double[] {NEG_INF}, Stats.Multinomial.logpmf(counts, Array.scalar(DType.I32, 6),
        f64(0.2, 0.3, 0.5)), 0);
    // Dirichlet(1, 1, 1) is uniform on the simplex: density 2! = 2
    assertClose(new double[] {Math.log(2)}, Stats.Dirichlet.logpdf(f64(0.2, 0.3, 0.5), f64(1, 1, 1)), 1e-14);
    assertClose(new double[] {Math.log(2)}, Stats.Dirichlet.logpdf(f64(0.2, 0.3), f64(1, 1, 1)), 1e-14);
  }

  @Test
  void shapesBroadcastAndDtypesPromoteAsJax() {
    Array x = Array.of(-1f, 0.5f, 2f).reshape(3, 1);
    Array scale = Array.of(0.5f, 1f, 2f, 4f);
    Array out = Stats.Norm.logpdf(x, Array.scalar(0.25), scale);
    assertArrayEquals(new int[] {3, 4}, out.shape());
    assertEquals(DType.F32, out.dtype());
    // int32 counts promote to f32, as promote_args_inexact
    Array ik = Array.of(DType.I32, new int[] {3}, 0, 1, 2);
    assertEquals(DType.F32, Stats.Poisson.logpmf(ik, Array.scalar(3)).dtype());
    assertEquals(DType.F64, Stats.Gamma.logpdf(ik, s64(2)).dtype());
    // Dirichlet: components on the first axis, a batch behind them
    Array batch = f64(0.2, 0.5, 0.3, 0.3, 0.3, 0.2).reshape(3, 2);
    Array d = Stats.Dirichlet.logpdf(batch, f64(2, 2, 2));
    assertArrayEquals(new int[] {2}, d.shape());
    // multivariate normal: x [4, 3] against one cov, and against a batch of two covs
    Array xs = f64(0, 0, 0, 1, 1, 1, -1, 0, 1, 2, 0, 0).reshape(4, 3);
    Array cov = f64(2, 0.5, 0, 0.5, 1, 0, 0, 0, 1).reshape(3, 3);
    assertArrayEquals(new int[] {4}, Stats.MultivariateNormal.logpdf(xs, f64(0, 0, 0), cov).shape());
    Array covs = Array.stack(0, cov, Array.eye(3).astype(DType.F64));
    Array two = Stats.MultivariateNormal.logpdf(xs.slice(new int[] {0, 0}, new int[] {2, 3}), f64(0, 0, 0), covs);
    assertArrayEquals(new int[] {2}, two.shape());
    assertClose(new double[] {Stats.Norm.logpdf(f64(1, 1, 1)).sum().toDoubleArray()[0]},
        two.slice(new int[] {1}, new int[] {2}), 1e-13);
  }

  @Test
  void gradientsMatchTheirClosedForms() {
    // d/dx, d/dloc, d/dscale of norm.logpdf: -(x-l)/s^2, (x-l)/s^2, -1/s + (x-l)^2/s^3
    List<Array> g = Transforms.grad((List<Array> a) -> Stats.Norm.logpdf(a.get(0), a.get(1), a.get(2)).sum())
        .apply(List.of(s64(1), s64(0.5), s64(2)));
    assertClose(new double[] {-0.125}, g.get(0), 1e-15);
    assertClose(new double[] {0.125}, g.get(1), 1e-15);
    assertClose(new double[] {-0.5 + 0.25 / 8}, g.get(2), 1e-15);
    // poisson in mu: k/mu - 1; gamma logpdf in x: (a-1)/x - 1
    assertClose(new double[] {3 / 2.5 - 1}, Transforms.grad((Array mu) -> Stats.Poisson.logpmf(s64(3), mu).sum())
        .apply(s64(2.5)), 1e-14);
    assertClose(new double[] {1.5 / 2 - 1}, Transforms.grad((Array t) -> Stats.Gamma.logpdf(t, s64(2.5)).sum())
        .apply(s64(2)), 1e-14);
    // jit gives the eager values
    Array x = f64(-1, 0.3, 2);
    assertClose(Stats.Logistic.logpdf(x, s64(0.5), s64(2)).toDoubleArray(),
        Transforms.jit((Array t) -> Stats.Logistic.logpdf(t, s64(0.5), s64(2))).apply(x), 0);
  }

  @Test
  void logsumexpWeightsAndSign() {
    Array a = f64(1, 2, 3);
    double direct = Math.log(2 * Math.exp(1) + 0.5 * Math.exp(2) + Math.exp(3));
    assertClose(new double[] {direct}, Special.logsumexp(a, null, f64(2, 0.5, 1), false), 1e-15);
    // a zero weight drops the element even at +inf
    assertClose(new double[] {Math.log(Math.exp(1) + Math.exp(3))},
        Special.logsumexp(f64(1, Double.POSITIVE_INFINITY, 3), null, f64(1, 0, 1), false), 1e-15);
    // a negative sum: NaN without the sign, log|sum| and -1 with it
    Array b = f64(1, -2, 0.5);
    double negative = Math.exp(1) - 2 * Math.exp(2) + 0.5 * Math.exp(3);
    assertTrue(negative < 0);
    assertClose(new double[] {NAN}, Special.logsumexp(a, null, b, false), 0);
    Pair<Array, Array> signed = Special.logsumexpWithSign(a, null, b, false);
    assertClose(new double[] {Math.log(-negative)}, signed.first(), 1e-14);
    assertClose(new double[] {-1}, signed.second(), 0);
    // per axis, keepdims, all -inf
    Array m = f64(0, 1, NEG_INF, NEG_INF).reshape(2, 2);
    Array rows = Special.logsumexp(m, new int[] {1}, null, true);
    assertArrayEquals(new int[] {2, 1}, rows.shape());
    assertClose(new double[] {Math.log(1 + Math.E), NEG_INF}, rows.reshape(2), 1e-15);
    assertClose(new double[] {Math.log(1 + Math.E)}, Special.logsumexp(m), 1e-15);
  }

  @Test
  void badInputIsRefusedWithTheFix() {
    var e = assertThrows(IllegalArgumentException.class, () -> Stats.Multinomial.logpmf(f64(1, 2), s64(3), f64(0.5, 0.5)));
    assertTrue(e.getMessage().contains("integer type") && e.getMessage().contains("astype(DType.I32)"), e.getMessage());
    var d = assertThrows(ShapeError.class, () -> Stats.Dirichlet.logpdf(f64(0.5, 0.5), f64(1, 1, 1, 1, 1, 1).reshape(2, 3)));
    assertTrue(d.getMessage().contains("one-dimensional"), d.getMessage());
    var k = assertThrows(ShapeError.class, () -> Stats.Dirichlet.logpdf(f64(0.5, 0.5).reshape(1, 2), f64(1, 1, 1)));
    assertTrue(k.getMessage().contains("first axis") && k.getMessage().contains("moveaxis"), k.getMessage());
    var c = assertThrows(ShapeError.class, () -> Stats.MultivariateNormal.logpdf(f64(0, 0), f64(0, 0), Array.eye(3)));
    assertTrue(c.getMessage().contains("incompatible shapes") && c.getMessage().contains("[..., 2, 2]"), c.getMessage());
    var l = assertThrows(ShapeError.class, () -> Special.logsumexp(f64(1, 2), new int[] {1}, null, false));
    assertTrue(l.getMessage().contains("axis 1") && l.getMessage().contains("null for all"), l.getMessage());
    var n = assertThrows(IllegalArgumentException.class, () -> Stats.Norm.cdf(Array.of(1f).astype(DType.BF16)));
    assertTrue(n.getMessage().contains("ndtr"), n.getMessage());
  }

  @Test
  void vonMisesIntegratesToOneOverAPeriodAndItsKappaGradientIsTheBesselRatio() {
    int n = 4000;
    double[] grid = new double[n];
    for (int i = 0; i < n; i++) {
      grid[i] = -Math.PI + 2 * Math.PI * i / n;
    }
    for (double kappa : new double[] {0.05, 1, 5, 40, 600}) {
      double[] p = Stats.VonMises.pdf(f64(grid), f64(kappa)).toDoubleArray();
      double mass = 0;
      for (double v : p) {
        mass += v * 2 * Math.PI / n; // periodic: the rectangle rule is the trapezoid rule
      }
      assertEquals(1, mass, 1e-9, "kappa " + kappa);
    }
    // the mode is at 0 and the density is 2 pi periodic (x is not reduced)
    Array x = f64(0.3, 0.3 + 2 * Math.PI, -1.2);
    double[] lp = Stats.VonMises.logpdf(x, f64(2.0)).toDoubleArray();
    assertEquals(lp[0], lp[1], 1e-12);
    // d/dkappa logpdf = cos(x) - I1(kappa)/I0(kappa)
    Array k = f64(0.5, 2, 9);
    List<Array> g = Transforms.grad((List<Array> t) -> Stats.VonMises.logpdf(t.get(0), t.get(1)).sum())
        .apply(List.of(x, k));
    double[] ratio = Special.i1e(k).div(Special.i0e(k)).toDoubleArray();
    double[] xv = x.toDoubleArray();
    assertClose(new double[] {Math.cos(xv[0]) - ratio[0], Math.cos(xv[1]) - ratio[1], Math.cos(xv[2]) - ratio[2]},
        g.get(1), 1e-12);
    assertClose(new double[] {-0.5 * Math.sin(xv[0]), -2 * Math.sin(xv[1]), -9 * Math.sin(xv[2])}, g.get(0), 1e-12);
  }

  @Test
  void vonMisesIsNanWhereKappaIsNotPositiveAndFiniteWhereExpKappaOverflows() {
    assertClose(new double[] {Double.NaN, Double.NaN, Double.NaN},
        Stats.VonMises.logpdf(f64(0, 1, 2), f64(0, -1, Double.NaN)), 0);
    // f32 kappa 700: exp(700) overflows f32, i0e does not; logpdf(0) ~ -log(2 pi / sqrt(2 pi kappa))
    Array lp = Stats.VonMises.logpdf(Array.of(0f), Array.of(700f));
    assertEquals(DType.F32, lp.dtype());
    assertEquals(0.5 * Math.log(700 / (2 * Math.PI)), lp.toDoubleArray()[0], 1e-3);
  }
}
