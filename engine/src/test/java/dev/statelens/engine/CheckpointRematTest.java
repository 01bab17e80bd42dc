package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.autodiff.TapeStats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code Transforms.checkpoint} (jax.checkpoint / remat): same values and gradients, fewer bytes
 * kept for the backward pass (measured with {@link TapeStats}), {@code checkpoint} in the jaxpr,
 * and the jit/vmap/jvp compositions.
 */
class CheckpointRematTest {
  static final int LAYERS = 32, BATCH = 64, WIDTH = 128;

  /** A deep tanh MLP: the weights, and the input batch. */
  static List<Array> weights(int layers, int width, long seed) {
    Key key = Random.key(seed);
    List<Array> ws = new ArrayList<>();
    for (Key k : Random.split(key, layers)) {
      ws.add(Random.normal(k, width, width).mul(1.0 / Math.sqrt(width)));
    }
    return ws;
  }

  static final BiFunction<Array, Array, Array> LAYER = (h, w) -> h.matmul(w).tanh();

  /** The loss with every {@code segment} layers wrapped in one checkpoint (0: no checkpoint). */
  static Function<List<Array>, Array> loss(Array x, int segment) {
    return ws -> {
      Array h = x;
      for (int start = 0; start < ws.size(); start += Math.max(1, segment)) {
        int from = start, to = Math.min(ws.size(), start + Math.max(1, segment));
        BiFunction<Array, List<Array>, Array> block = (hin, wsBlock) -> {
          Array y = hin;
          for (Array w : wsBlock) {
            y = LAYER.apply(y, w);
          }
          return y;
        };
        h = segment == 0 ? block.apply(h, ws.subList(from, to))
            : Transforms.checkpoint(block).apply(h, ws.subList(from, to));
      }
      return h.square().mean();
    };
  }

  static Array input(int batch, int width) {
    return Random.normal(Random.key(7), batch, width);
  }

  @Test
  void gradientsAreBitIdenticalToTheUncheckpointedOnes() {
    List<Array> ws = weights(8, 16, 1);
    Array x = input(4, 16);
    List<Array> plain = Transforms.grad(loss(x, 0)).apply(ws);
    for (int segment : new int[] {1, 3, 8}) {
      Pair<Array, List<Array>> r = Transforms.valueAndGrad(loss(x, segment)).apply(ws);
      assertEquals(loss(x, 0).apply(ws).floatValue(), r.first().floatValue(), 0.0f);
      for (int i = 0; i < ws.size(); i++) {
        assertArrayEquals(plain.get(i).toFloatArray(), r.second().get(i).toFloatArray(), 0.0f,
            "segment " + segment + ", layer " + i);
      }
    }
  }

  @Test
  void peakResidualBytesShrinkWithCheckpoints() {
    List<Array> ws = weights(LAYERS, WIDTH, 2);
    Array x = input(BATCH, WIDTH);
    long activation = (long) BATCH * WIDTH * 4;
    long[] peak = new long[4];
    int[] segments = {0, 1, 4, 8};
    for (int k = 0; k < segments.length; k++) {
      Function<List<Array>, Array> loss = loss(x, segments[k]);
      peak[k] = TapeStats.peakResidualBytes(() -> Transforms.grad(loss).apply(ws));
      System.out.printf("remat: %d layers of %dx%d (batch %d), checkpoint every %d: peak residuals %d bytes (%.1f activations)%n",
          LAYERS, WIDTH, WIDTH, BATCH, segments[k], peak[k], peak[k] / (double) activation);
    }
    // no checkpoint: two activations per layer (matmul, tanh) are kept
    assertTrue(peak[0] >= 2 * LAYERS * activation, "plain peak " + peak[0]);
    // one per layer: the block outputs, plus one recomputed layer at a time
    assertTrue(peak[1] <= (LAYERS + 4) * activation, "per-layer peak " + peak[1]);
    // every 4 layers: 8 block outputs plus one recomputed block of 4 layers
    assertTrue(peak[2] <= (LAYERS / 4 + 2 * 4 + 2) * activation, "segment-4 peak " + peak[2]);
    assertTrue(peak[2] * 3 < peak[0], "segments of 4 keep less than a third");
  }

  @Test
  void jaxprShowsCheckpointAndJitMatchesEager() {
    List<Array> ws = weights(4, 8, 3);
    Array x = input(2, 8);
    String printed = Transforms.makeJaxpr(loss(x, 2), ws).toString();
    assertTrue(printed.contains("checkpoint["), printed);
    assertTrue(printed.contains("prevent_cse=True"), printed);
    assertEquals(2, printed.split("checkpoint\\[", -1).length - 1, printed);
    // jit(grad): the forward is a staged checkpoint, the backward recomputes it
    String g = Transforms.makeJaxpr(Transforms.grad(loss(x, 2)), ws).toString();
    assertTrue(g.contains("checkpoint["), g);
    List<Array> eager = Transforms.grad(loss(x, 0)).apply(ws);
    List<Array> jitGrad = Transforms.jit(Transforms.grad(loss(x, 2))).apply(ws);
    List<Array> gradJit = Transforms.grad(Transforms.jit(loss(x, 2))).apply(ws);
    for (int i = 0; i < ws.size(); i++) {
      assertArrayEquals(eager.get(i).toFloatArray(), jitGrad.get(i).toFloatArray(), 1e-6f);
      assertArrayEquals(eager.get(i).toFloatArray(), gradJit.get(i).toFloatArray(), 1e-6f);
    }
    assertEquals(loss(x, 0).apply(ws).floatValue(), Transforms.jit(loss(x, 2)).apply(ws).floatValue(), 1e-6f);
  }

  @Test
  void closedOverWeightsAreDifferentiated() {
    Array w = Array.of(DType.F64, new int[] {2, 2}, 0.5, -1, 2, 0.25);
    Array x = Array.of(DType.F64, new int[] {3, 2}, 1, 2, 3, 4, 5, 6);
    Function<Array, Array> plain = v -> x.matmul(v).sin().matmul(v).sum();
    Function<Array, Array> remat = v -> Transforms.checkpoint((Array h) -> h.matmul(v).sin().matmul(v)).apply(x).sum();
    assertArrayEquals(Transforms.grad(plain).apply(w).toDoubleArray(), Transforms.grad(remat).apply(w).toDoubleArray(), 0);
    assertArrayEquals(Transforms.grad(plain).apply(w).toDoubleArray(),
        Transforms.jit(Transforms.grad(remat)).apply(w).toDoubleArray(), 1e-12);
  }

  @Test
  void vmapJvpAndSecondDerivatives() {
    Function<Array, Array> f = a -> a.sin().mul(a).sum();
    Function<Array, Array> fc = a -> Transforms.checkpoint((Array b) -> b.sin().mul(b)).apply(a).sum();
    Array xs = Array.of(DType.F64, new int[] {3, 2}, 0.1, 0.2, -1, 2, 3, 0.5);
    assertArrayEquals(Transforms.vmap(Transforms.grad(f)).apply(xs).toDoubleArray(),
        Transforms.vmap(Transforms.grad(fc)).apply(xs).toDoubleArray(), 0);
    assertArrayEquals(Transforms.vmap(f).apply(xs).toDoubleArray(), Transforms.vmap(fc).apply(xs).toDoubleArray(), 0);
    assertArrayEquals(Transforms.vmap(Transforms.grad(f)).apply(xs).toDoubleArray(),
        Transforms.jit(Transforms.vmap(Transforms.grad(fc))).apply(xs).toDoubleArray(), 1e-12);
    Array x = xs.get(1), t = Array.of(1.0, -0.5);
    assertArrayEquals(Transforms.jvp(f, x, t).second().toDoubleArray(), Transforms.jvp(fc, x, t).second().toDoubleArray(), 1e-12);
    assertArrayEquals(Transforms.hessian(f).apply(x).toDoubleArray(), Transforms.hessian(fc).apply(x).toDoubleArray(), 1e-12);
  }
}
