package dev.statelens.engine;

import static dev.statelens.engine.SampleMoments.mean;
import static dev.statelens.engine.SampleMoments.variance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The gamma family: gamma, loggamma, beta, dirichlet, chisquare, t, f. JAX's values themselves
 * are checked by {@code JaxReferenceTest} (the {@code random/} cases of the 0.10.2 file); here
 * statistics of 100 000 draws (fixed keys, bounds of 5 standard errors, so they cannot flake),
 * jit == eager bits, vmap over keys == the loop, and the argument errors.
 */
class RandomGammaTest {

  private static final int N = 100_000;

  /** Gamma(a) has mean a and variance a; the sample variance's variance is a^2 (2 + 6/a) / n. */
  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void gammaMeanAndVarianceAreA() {
    Function<Key, Array> draw = Transforms.jit((Key k) -> Array.stack(0,
        Random.gamma(k, 0.3, N), Random.gamma(k, 1.0, N), Random.gamma(k, 2.5, N), Random.gamma(k, 40.0, N)));
    Array all = draw.apply(Random.key(7));
    double[] as = {0.3, 1.0, 2.5, 40.0};
    for (int i = 0; i < as.length; i++) {
      double a = as[i];
      double[] x = all.get(i).astype(DType.F64).toDoubleArray();
      double mean = mean(x);
      double var = variance(x);
      assertEquals(a, mean, 5 * Math.sqrt(a / N), "mean of gamma(" + a + ")");
      assertEquals(a, var, 5 * Math.sqrt(a * a * (2 + 6 / a) / N), "variance of gamma(" + a + ")");
      for (double v : x) {
        assertTrue(v >= 0 && Double.isFinite(v), "gamma(" + a + ") drew " + v);
      }
    }
  }

  /** JAX's documented property: exp(loggamma) equals gamma for the same key (up to rounding). */
  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void expLoggammaIsGammaForTheSameKey() {
    Key key = Random.key(3);
    for (double a : new double[] {0.3, 1.0, 2.5, 40.0}) {
      float[] g = Random.gamma(key, a, 200).toFloatArray();
      float[] lg = Random.loggamma(key, a, 200).exp().toFloatArray();
      for (int i = 0; i < g.length; i++) {
        assertEquals(g[i], lg[i], 1e-4 * g[i] + 1e-30, "a=" + a + " element " + i);
      }
    }
    // small a: gamma underflows to 0 where loggamma keeps the value
    float[] tiny = Random.loggamma(key, Array.scalar(DType.F32, 0.01), new int[] {2000}, DType.F32).toFloatArray();
    double min = Double.POSITIVE_INFINITY;
    for (float v : tiny) {
      assertTrue(Float.isFinite(v), "loggamma(0.01) drew " + v);
      min = Math.min(min, v);
    }
    assertTrue(min < Math.log(Float.MIN_VALUE), "loggamma(0.01) reaches below float's range: " + min);
  }

  /** 20 000 draws each (the bounds are 5 standard errors of that many). */
  @Test
  void betaDirichletChisquareTAndFHaveTheirMeans() {
    final int N = 20_000;
    Key key = Random.key(11);
    Function<Key, List<Array>> draw = Transforms.jit((Key k) -> {
      List<Key> ks = Random.split(k, 5);
      return List.of(Random.beta(ks.get(0), 0.5, 2.5, N), Random.chisquare(ks.get(1), 3.0, N),
          Random.t(ks.get(2), 5.0, N), Random.f(ks.get(3), 4.0, 9.0, N),
          Random.dirichlet(ks.get(4), Array.of(0.5f, 1f, 2.5f), new int[] {N}, DType.F32));
    });
    List<Array> out = draw.apply(key);
    double[] beta = out.get(0).astype(DType.F64).toDoubleArray();
    // Beta(a, b): mean a/(a+b), variance ab/((a+b)^2 (a+b+1))
    double bVar = 0.5 * 2.5 / (9.0 * 4.0);
    assertEquals(0.5 / 3.0, mean(beta), 5 * Math.sqrt(bVar / N));
    assertEquals(bVar, variance(beta), 0.1 * bVar);
    double[] chi = out.get(1).astype(DType.F64).toDoubleArray();
    assertEquals(3.0, mean(chi), 5 * Math.sqrt(6.0 / N)); // variance 2 df
    double[] t = out.get(2).astype(DType.F64).toDoubleArray();
    assertEquals(0.0, mean(t), 5 * Math.sqrt(5.0 / 3.0 / N));
    assertEquals(5.0 / 3.0, variance(t), 0.2); // df/(df-2); kurtosis 9: 5 SE is 0.17
    double[] f = out.get(3).astype(DType.F64).toDoubleArray();
    assertEquals(9.0 / 7.0, mean(f), 0.05); // d2/(d2-2); variance 1.82: 5 SE is 0.048
    Array dir = out.get(4);
    assertArrayEquals(new int[] {N, 3}, dir.shape());
    float[] rowSums = dir.sum(1).toFloatArray();
    for (float s : rowSums) {
      assertEquals(1f, s, 2e-6f);
    }
    float[] means = dir.mean(0).toFloatArray();
    double[] alpha = {0.5, 1, 2.5};
    for (int j = 0; j < 3; j++) {
      double m = alpha[j] / 4.0;
      assertEquals(m, means[j], 5 * Math.sqrt(m * (1 - m) / 5.0 / N), "dirichlet mean " + j);
    }
  }

  @Test
  void jitEqualsEagerBitForBit() {
    Key key = Random.key(5);
    Array a = Array.of(0.25f, 1f, 2.5f, 40f);
    Function<Key, List<Array>> all = k -> List.of(
        Random.gamma(k, a, new int[] {3, 4}, DType.F32), Random.loggamma(k, a, null, DType.F32),
        Random.gamma(k, Array.scalar(DType.F64, 0.7), new int[] {5}, DType.F64),
        Random.beta(k, 0.5, 2.5, 4), Random.dirichlet(k, a), Random.chisquare(k, 3.0, 4), Random.t(k, 2.0, 4),
        Random.f(k, 3.0, 7.0, 4));
    List<Array> eager = all.apply(key);
    List<Array> jitted = Transforms.jit(all).apply(key);
    for (int i = 0; i < eager.size(); i++) {
      assertArrayEquals(eager.get(i).astype(DType.F64).toDoubleArray(), jitted.get(i).astype(DType.F64).toDoubleArray(),
          "sampler " + i);
    }
  }

  @Test
  void vmapOverKeysEqualsTheLoop() {
    List<Key> keys = Random.split(Random.key(9), 4);
    Array data = Array.stack(0, keys.stream().map(Key::keyData).toArray(Array[]::new));
    Function<Key, Array> sampler = k -> Array.concatenate(0, Random.gamma(k, 0.3, 3), Random.beta(k, 2.0, 3.0, 2),
        Random.t(k, 3.0, 2));
    Array batched = Transforms.vmap((Array kd) -> sampler.apply(new Key(kd))).apply(data);
    for (int i = 0; i < keys.size(); i++) {
      assertArrayEquals(sampler.apply(keys.get(i)).toFloatArray(), batched.get(i).toFloatArray(), "key " + i);
    }
  }

  /**
   * Element i of gamma(key, a, shape) is _gamma_one on split(key, size)[i], and in the
   * partitionable layout split(key, n)[i] does not depend on n: a shorter draw is a prefix.
   */
  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void eachElementHasItsOwnKey() {
    Key key = Random.key(1);
    float[] six = Random.gamma(key, 2.5, 6).toFloatArray();
    assertArrayEquals(java.util.Arrays.copyOf(six, 5), Random.gamma(key, 2.5, 5).toFloatArray());
    // an a-array equal everywhere gives the scalar draw; element 2 alone is gamma_one(split(key, 6)[2])
    assertArrayEquals(six, Random.gamma(key, Array.full(DType.F32, new int[] {6}, 2.5), null, DType.F32).toFloatArray());
    Array[] alphas = {Array.full(DType.F32, new int[] {6}, 40.0)};
    alphas[0] = Array.where(Array.arange(6).eq(2), 2.5, alphas[0]);
    assertEquals(six[2], Random.gamma(key, alphas[0], null, DType.F32).toFloatArray()[2]);
  }

  @Test
  void badArgumentsSayWhatToFix() {
    Key key = Random.key(0);
    var neg = assertThrows(IllegalArgumentException.class, () -> Random.gamma(key, -1.0, 3));
    assertTrue(neg.getMessage().contains("a must be > 0"), neg.getMessage());
    var at = assertThrows(IllegalArgumentException.class,
        () -> Random.gamma(key, Array.of(1f, 0f, 2f), null, DType.F32));
    assertTrue(at.getMessage().contains("flat index 1"), at.getMessage());
    var shape = assertThrows(ShapeError.class, () -> Random.gamma(key, Array.of(1f, 2f, 3f), new int[] {2, 4}, DType.F32));
    assertTrue(shape.getMessage().contains("does not broadcast to shape [2,4]"), shape.getMessage());
    var dtype = assertThrows(IllegalArgumentException.class, () -> Random.gamma(key, Array.of(1f), null, DType.I32));
    assertTrue(dtype.getMessage().contains("must be a float"), dtype.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Random.beta(key, 1.0, -2.0, 3));
    assertThrows(IllegalArgumentException.class, () -> Random.chisquare(key, 0.0, 3));
    assertThrows(IllegalArgumentException.class, () -> Random.t(key, Double.NaN, 3));
    var scalar = assertThrows(ShapeError.class, () -> Random.dirichlet(key, Array.scalar(DType.F32, 1.0)));
    assertTrue(scalar.getMessage().contains("at least one axis"), scalar.getMessage());
    var batch = assertThrows(ShapeError.class,
        () -> Random.dirichlet(key, Array.ones(DType.F32, 2, 3), new int[] {4}, DType.F32));
    assertTrue(batch.getMessage().contains("alpha's batch shape"), batch.getMessage());
  }

  /** JAX differentiates gamma in a (implicit reparameterization, random_gamma_grad): so does StateLens. */
  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void gradientInTheShapeParameterIsRandomGammaGrad() {
    Key key = Random.key(0);
    Array shape = Array.scalar(DType.F32, 2.5);
    Array g0 = Transforms.grad((Array t) -> Random.gamma(key, t, new int[] {3}, DType.F32).sum()).apply(shape);
    Array draws = Random.gamma(key, shape, new int[] {3}, DType.F32);
    assertEquals(Special.randomGammaGrad(shape.broadcastTo(3), draws).sum().floatValue(), g0.floatValue(), 1e-6f);
    // a gradient through what multiplies the draw works
    Array g = Transforms.grad((Array scale) -> Random.gamma(key, 2.5, 3).mul(scale).sum())
        .apply(Array.scalar(DType.F32, 2.0));
    assertEquals(Random.gamma(key, 2.5, 3).sum().floatValue(), g.floatValue(), 0f);
    // and a stopGradient'ed parameter is fine
    Array h = Transforms.grad((Array a) -> Random.gamma(key, a.stopGradient(), new int[] {3}, DType.F32).sum().mul(a))
        .apply(Array.scalar(DType.F32, 2.5));
    assertTrue(Float.isFinite(h.floatValue()));
  }

  @Test
  void emptyShapeGivesAnEmptyArray() {
    Array g = Random.gamma(Random.key(0), 2.0, 0, 3);
    assertArrayEquals(new int[] {0, 3}, g.shape());
  }
}
