package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code Nn.dotProductAttention}: against a per-head loop (grouped heads, causal), jit == eager,
 * vmap, finite-difference gradients and the shape errors. Real-JAX values are in the
 * jax-reference file ({@code more/attention/*}).
 */
class NnAttentionTest {

  private static Array data(int seed, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = Math.sin(i * 1.3 + seed);
    }
    return Array.of(DType.F64, shape, v);
  }

  /** softmax(q_t . k_s * scale, causal) . v for one batch element, one query head, its key head. */
  private static double[] naive(Array q, Array k, Array v, int b, int head, int kvHead, boolean causal) {
    int t = q.dim(1), s = k.dim(1), h = q.dim(3);
    double[] out = new double[t * h];
    double[] qa = q.toDoubleArray(), ka = k.toDoubleArray(), va = v.toDoubleArray();
    int n = q.dim(2), kh = k.dim(2);
    for (int i = 0; i < t; i++) {
      double[] logit = new double[s];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < s; j++) {
        double dot = 0;
        for (int e = 0; e < h; e++) {
          dot += qa[((b * t + i) * n + head) * h + e] * ka[((b * s + j) * kh + kvHead) * h + e];
        }
        logit[j] = causal && j > i ? Double.NEGATIVE_INFINITY : dot / Math.sqrt(h);
        max = Math.max(max, logit[j]);
      }
      double sum = 0;
      for (int j = 0; j < s; j++) {
        logit[j] = Math.exp(logit[j] - max);
        sum += logit[j];
      }
      for (int j = 0; j < s; j++) {
        for (int e = 0; e < h; e++) {
          out[i * h + e] += logit[j] / sum * va[((b * s + j) * kh + kvHead) * h + e];
        }
      }
    }
    return out;
  }

  @Test
  void groupedQueryHeadsShareTheirKeyHeadAsAPerHeadLoop() {
    Array q = data(1, 2, 4, 6, 3), k = data(2, 2, 4, 2, 3), v = data(3, 2, 4, 2, 3);
    for (boolean causal : new boolean[] {false, true}) {
      Array r = Nn.dotProductAttention(q, k, v, null, null, null, causal);
      assertArrayEquals(q.shape(), r.shape());
      for (int b = 0; b < 2; b++) {
        for (int head = 0; head < 6; head++) {
          // 6 query heads over 2 key heads: heads 0-2 use key head 0, 3-5 key head 1
          double[] expected = naive(q, k, v, b, head, head / 3, causal);
          Array got = r.sliceAxis(0, b, b + 1).sliceAxis(2, head, head + 1).reshape(4, 3);
          // JAX runs the softmax in f32 whatever the input dtype, so f64 inputs get f32's accuracy there
          assertArrayEquals(expected, got.toDoubleArray(), 1e-6, "b=" + b + " head=" + head + " causal=" + causal);
        }
      }
    }
  }

  @Test
  void jitEqualsEagerAndVmapEqualsALoop() {
    Array q = data(4, 3, 5, 2, 4), k = data(5, 3, 6, 1, 4), v = data(6, 3, 6, 1, 4);
    Array mask = data(7, 1, 1, 5, 6).gt(-0.5);
    Function<List<Array>, Array> f = t -> Nn.dotProductAttention(t.get(0), t.get(1), t.get(2), null, mask, 0.7, true);
    Array eager = f.apply(List.of(q, k, v));
    assertArrayEquals(eager.toDoubleArray(), Transforms.jit(f).apply(List.of(q, k, v)).toDoubleArray(), 0);
    // vmap over B with rank-3 examples: each example is [T, N, H], a batch of one inside
    Array batched = Transforms.vmap((List<Array> t) -> Nn.dotProductAttention(t.get(0), t.get(1), t.get(2), null,
        mask.reshape(5, 6), 0.7, true)).apply(List.of(q, k, v));
    assertArrayEquals(eager.toDoubleArray(), batched.toDoubleArray(), 1e-14);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Array q = data(8, 1, 3, 2, 2), k = data(9, 1, 4, 1, 2), v = data(10, 1, 4, 1, 2);
    Array bias = data(11, 1, 2, 3, 4);
    Array w = data(12, 1, 3, 2, 2);
    Function<List<Array>, Array> loss = t -> Nn.dotProductAttention(t.get(0), t.get(1), t.get(2), bias, null, null,
        true).mul(w).sum();
    List<Array> g = Transforms.grad(loss).apply(List.of(q, k, v));
    // the softmax runs in f32 (as JAX), so the step must be large against f32 rounding
    double h = 1e-3;
    for (int which = 0; which < 3; which++) {
      Array base = List.of(q, k, v).get(which);
      double[] x = base.toDoubleArray();
      for (int i = 0; i < x.length; i++) {
        double[] up = x.clone(), dn = x.clone();
        up[i] += h;
        dn[i] -= h;
        List<Array> u = new java.util.ArrayList<>(List.of(q, k, v));
        List<Array> d = new java.util.ArrayList<>(List.of(q, k, v));
        u.set(which, Array.of(DType.F64, base.shape(), up));
        d.set(which, Array.of(DType.F64, base.shape(), dn));
        double fd = (loss.apply(u).doubleValue() - loss.apply(d).doubleValue()) / (2 * h);
        assertEquals(fd, g.get(which).toDoubleArray()[i], 5e-4 * (1 + Math.abs(fd)), "input " + which + " element " + i);
      }
    }
  }

  @Test
  void sixteenBitInputsKeepTheirDtype() {
    Array q = data(13, 1, 2, 2, 4).astype(DType.BF16), k = data(14, 1, 3, 1, 4).astype(DType.BF16);
    Array r = Nn.dotProductAttention(q, k, k);
    assertEquals(DType.BF16, r.dtype());
    Array f32 = Nn.dotProductAttention(q.astype(DType.F32), k.astype(DType.F32), k.astype(DType.F32));
    assertArrayEquals(f32.toFloatArray(), r.astype(DType.F32).toFloatArray(), 1e-2f);
  }

  @Test
  void badShapesAreNamed() {
    Array q = data(1, 1, 2, 3, 4), k = data(2, 1, 5, 2, 4);
    ShapeError heads = assertThrows(ShapeError.class, () -> Nn.dotProductAttention(q, k, k));
    assertTrue(heads.getMessage().contains("multiple of the key/value heads, but got 3 vs 2"), heads.getMessage());
    ShapeError h = assertThrows(ShapeError.class, () -> Nn.dotProductAttention(data(1, 1, 2, 2, 3), k, k));
    assertTrue(h.getMessage().contains("H = 4"), h.getMessage());
    ShapeError value = assertThrows(ShapeError.class, () -> Nn.dotProductAttention(data(1, 1, 2, 2, 4), k,
        data(3, 1, 6, 2, 4)));
    assertTrue(value.getMessage().contains("value"), value.getMessage());
    ShapeError mask = assertThrows(ShapeError.class, () -> Nn.dotProductAttention(data(1, 1, 2, 2, 4), k, k, null,
        data(4, 1, 1, 2, 5), null, false));
    assertTrue(mask.getMessage().contains("mask must be bool"), mask.getMessage());
    ShapeError bias = assertThrows(ShapeError.class, () -> Nn.dotProductAttention(data(1, 1, 2, 2, 4), k, k,
        data(4, 1, 3, 2, 5), null, null, false));
    assertTrue(bias.getMessage().contains("must broadcast to the logits [B, 2, 2, 5]"), bias.getMessage());
    ShapeError lengths = assertThrows(ShapeError.class, () -> Nn.dotProductAttention(data(1, 1, 2, 2, 4), k, k,
        null, null, null, false, Array.of(2f), null, null));
    assertTrue(lengths.getMessage().contains("i32[1]"), lengths.getMessage());
  }
}
