package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * poisson, geometric, cauchy, multivariateNormal, orthogonal and ball. JAX's values are checked
 * by {@code JaxReferenceTest} (the {@code random/} cases); here statistics (fixed keys, bounds of
 * 5 standard errors), the defining properties (orthonormal columns, points inside the ball),
 * jit == eager bits, vmap over keys == the loop, and the argument errors.
 */
class RandomCountsAndVectorsTest {

  private static final int N = 50_000;

  @Test
  void poissonHasMeanAndVarianceLam() {
    double[] lams = {0.5, 4, 9.99, 10, 30, 250};
    Function<Key, Array> draw = Transforms.jit((Key k) -> Random.poisson(k,
        Array.of(0.5f, 4f, 9.99f, 10f, 30f, 250f).reshape(1, 6), new int[] {N, 6}, DType.I32));
    Array counts = draw.apply(Random.key(2));
    assertEquals(DType.I32, counts.dtype());
    for (int j = 0; j < lams.length; j++) {
      double lam = lams[j];
      int[] c = counts.sliceAxis(1, j, j + 1).reshape(N).toIntArray();
      double mean = Arrays.stream(c).average().orElseThrow();
      double var = Arrays.stream(c).mapToDouble(v -> (v - mean) * (v - mean)).sum() / (N - 1);
      assertEquals(lam, mean, 5 * Math.sqrt(lam / N), "mean of poisson(" + lam + ")");
      // var of the sample variance: (mu4 - sigma^4) / n = (lam + 2 lam^2) / n
      assertEquals(lam, var, 5 * Math.sqrt((lam + 2 * lam * lam) / N), "variance of poisson(" + lam + ")");
      assertTrue(Arrays.stream(c).allMatch(v -> v >= 0), "negative count for lam " + lam);
    }
  }

  @Test
  void poissonOfZeroIsZeroAndKnuthFrequenciesArePoisson() {
    assertArrayEquals(new int[5], Random.poisson(Random.key(0), 0.0, 5).toIntArray());
    int[] c = Random.poisson(Random.key(4), 1.5, 20_000).toIntArray();
    double p = 1;
    for (int k = 0; k < 6; k++) {
      final int kk = k;
      double expected = Math.exp(-1.5) * p;
      double freq = Arrays.stream(c).filter(v -> v == kk).count() / 20_000.0;
      assertEquals(expected, freq, 5 * Math.sqrt(expected * (1 - expected) / 20_000), "P(X = " + k + ")");
      p = p * 1.5 / (k + 1);
    }
  }

  @Test
  void geometricHasMeanOneOverP() {
    for (double p : new double[] {0.1, 0.5, 0.9, 1.0}) {
      int[] g = Random.geometric(Random.key(5), p, N).toIntArray();
      double mean = Arrays.stream(g).average().orElseThrow();
      assertEquals(1 / p, mean, 5 * Math.sqrt((1 - p) / (p * p) / N) + 1e-12, "mean of geometric(" + p + ")");
      assertTrue(Arrays.stream(g).allMatch(v -> v >= 1));
    }
  }

  /** The standard Cauchy's quartiles are -1, 0, 1 (its mean does not exist). */
  @Test
  void cauchyQuartilesAreMinusOneZeroOne() {
    float[] x = Random.cauchy(Random.key(6), N).toFloatArray();
    Arrays.sort(x);
    // the empirical quantile's standard error is sqrt(q (1-q) / n) / density(q); density at 0 is 1/pi, at +-1 1/(2 pi)
    assertEquals(0, x[N / 2], 5 * Math.sqrt(0.25 / N) * Math.PI);
    assertEquals(-1, x[N / 4], 5 * Math.sqrt(0.1875 / N) * 2 * Math.PI);
    assertEquals(1, x[3 * N / 4], 5 * Math.sqrt(0.1875 / N) * 2 * Math.PI);
    assertEquals(DType.F64, Random.cauchy(Random.key(6), new int[] {3}, DType.F64).dtype());
  }

  @Test
  void multivariateNormalHasTheCovarianceByEveryMethod() {
    Array mean = Array.of(1f, -2f, 0.5f);
    Array cov = Array.of(2f, 0.5f, 0.25f, 0.5f, 1f, -0.25f, 0.25f, -0.25f, 0.75f).reshape(3, 3);
    float[] c = cov.toFloatArray();
    for (String method : List.of("cholesky", "eigh", "svd")) {
      Array x = Random.multivariateNormal(Random.key(8), mean, cov, new int[] {N}, DType.F32, method);
      assertArrayEquals(new int[] {N, 3}, x.shape());
      float[] m = x.mean(0).toFloatArray();
      Array centered = x.sub(x.mean(0));
      float[] s = centered.transpose().matmul(centered).div(N - 1).toFloatArray();
      for (int i = 0; i < 3; i++) {
        assertEquals(mean.toFloatArray()[i], m[i], 5 * Math.sqrt(c[4 * i] / N), method + " mean " + i);
        for (int j = 0; j < 3; j++) {
          double se = Math.sqrt((c[4 * i] * c[4 * j] + c[3 * i + j] * c[3 * i + j]) / N);
          assertEquals(c[3 * i + j], s[3 * i + j], 5 * se, method + " cov " + i + "," + j);
        }
      }
    }
  }

  @Test
  void orthogonalHasOrthonormalColumnsOrRows() {
    Array q = Random.orthogonal(Random.key(9), 5);
    assertArrayEquals(Array.eye(5).toFloatArray(), q.transpose().matmul(q).toFloatArray(), 2e-6f);
    Array tall = Random.orthogonal(Random.key(9), 6, new int[] {2}, DType.F32, 3);
    assertArrayEquals(new int[] {2, 6, 3}, tall.shape());
    for (int b = 0; b < 2; b++) {
      Array t = tall.get(b);
      assertArrayEquals(Array.eye(3).toFloatArray(), t.transpose().matmul(t).toFloatArray(), 2e-6f);
    }
    Array wide = Random.orthogonal(Random.key(9), 2, new int[0], DType.F64, 4);
    assertArrayEquals(new int[] {2, 4}, wide.shape());
    assertArrayEquals(Array.eye(2).astype(DType.F64).toDoubleArray(),
        wide.matmul(wide.transpose()).toDoubleArray(), 1e-14);
    // Haar: the sign fix makes E[q] = 0; without it QR's convention biases the diagonal
    float[] diag = Random.orthogonal(Random.key(10), 3, new int[] {4000}, DType.F32, 3).diagonal(0, -2, -1)
        .mean(0).toFloatArray();
    for (float d : diag) {
      assertEquals(0, d, 5 * Math.sqrt(1.0 / 3 / 4000));
    }
  }

  @Test
  void ballPointsAreInsideAndUniform() {
    Array pts = Random.ball(Random.key(12), 2, 2, new int[] {N}, DType.F32);
    float[] r = pts.mul(pts).sum(1).sqrt().toFloatArray();
    long inner = 0;
    for (float v : r) {
      assertTrue(v <= 1.0000001f, "outside the unit disc: " + v);
      inner += v < 0.5f ? 1 : 0;
    }
    // uniform in the disc: P(r < 1/2) = 1/4
    assertEquals(0.25, inner / (double) N, 5 * Math.sqrt(0.25 * 0.75 / N));
    float[] l1 = Random.ball(Random.key(13), 4, 1, new int[] {1000}, DType.F32).abs().sum(1).toFloatArray();
    for (float v : l1) {
      assertTrue(v <= 1.000001f, "outside the L1 ball: " + v);
    }
  }

  @Test
  void jitEqualsEagerBitForBit() {
    Array mean = Array.of(1f, -2f);
    Array cov = Array.of(2f, 0.5f, 0.5f, 1f).reshape(2, 2);
    Function<Key, List<Array>> all = k -> List.of(Random.poisson(k, Array.of(0.5f, 4f, 30f), null, DType.I32),
        Random.geometric(k, 0.3, 5), Random.cauchy(k, 5), Random.multivariateNormal(k, mean, cov),
        Random.orthogonal(k, 3), Random.ball(k, 3));
    List<Array> eager = all.apply(Random.key(14));
    List<Array> jitted = Transforms.jit(all).apply(Random.key(14));
    for (int i = 0; i < eager.size(); i++) {
      assertArrayEquals(eager.get(i).astype(DType.F64).toDoubleArray(), jitted.get(i).astype(DType.F64).toDoubleArray(),
          "sampler " + i);
    }
  }

  @Test
  void vmapOverKeysEqualsTheLoop() {
    List<Key> keys = Random.split(Random.key(15), 3);
    Array data = Array.stack(0, keys.stream().map(Key::keyData).toArray(Array[]::new));
    Function<Key, Array> sampler = k -> Array.concatenate(0, Random.poisson(k, Array.of(0.5f, 30f), null, DType.I32)
        .astype(DType.F32), Random.geometric(k, 0.3, 2).astype(DType.F32), Random.cauchy(k, 2), Random.ball(k, 2));
    Array batched = Transforms.vmap((Array kd) -> sampler.apply(new Key(kd))).apply(data);
    for (int i = 0; i < keys.size(); i++) {
      assertArrayEquals(sampler.apply(keys.get(i)).toFloatArray(), batched.get(i).toFloatArray(), "key " + i);
    }
  }

  @Test
  void badArgumentsSayWhatToFix() {
    Key key = Random.key(0);
    var lam = assertThrows(IllegalArgumentException.class, () -> Random.poisson(key, -1.0, 3));
    assertTrue(lam.getMessage().contains("lam must be a finite rate >= 0"), lam.getMessage());
    var dtype = assertThrows(IllegalArgumentException.class,
        () -> Random.poisson(key, Array.of(1f), null, DType.F32));
    assertTrue(dtype.getMessage().contains("integer dtype"), dtype.getMessage());
    var shape = assertThrows(ShapeError.class, () -> Random.poisson(key, Array.of(1f, 2f), new int[] {3}, DType.I32));
    assertTrue(shape.getMessage().contains("does not broadcast"), shape.getMessage());
    var p = assertThrows(IllegalArgumentException.class, () -> Random.geometric(key, 0.0, 3));
    assertTrue(p.getMessage().contains("p must be in (0, 1]"), p.getMessage());
    var method = assertThrows(IllegalArgumentException.class,
        () -> Random.multivariateNormal(key, Array.of(0f), Array.of(1f).reshape(1, 1), null, DType.F32, "qr"));
    assertTrue(method.getMessage().contains("\"cholesky\", \"eigh\" or \"svd\""), method.getMessage());
    var cov = assertThrows(ShapeError.class, () -> Random.multivariateNormal(key, Array.of(0f, 0f), Array.eye(3)));
    assertTrue(cov.getMessage().contains("cov must have shape [..., 2, 2]"), cov.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Random.ball(key, 0));
    assertThrows(IllegalArgumentException.class, () -> Random.ball(key, 2, -1, new int[0], DType.F32));
    assertThrows(IllegalArgumentException.class, () -> Random.cauchy(key, new int[] {2}, DType.I32));
  }
}
