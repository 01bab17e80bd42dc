package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * What {@code Transforms.checkpoint} (remat) costs in time: the gradient of a 32-layer tanh MLP
 * (128 x 128, batch 64, f32) without checkpoints and with one checkpoint per 4 layers, eager and
 * jitted. The memory it saves is measured by {@code CheckpointRematTest} (TapeStats).
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RematBench extends EngineBench {
  static final int LAYERS = 32, WIDTH = 128, BATCH = 64, SEGMENT = 4;

  private List<Array> ws;
  private Array x;
  private Function<List<Array>, List<Array>> eagerPlain;
  private Function<List<Array>, List<Array>> eagerRemat;
  private Function<List<Array>, List<Array>> jitPlain;
  private Function<List<Array>, List<Array>> jitRemat;

  static Function<List<Array>, Array> loss(Array x, boolean remat) {
    BiFunction<Array, List<Array>, Array> block = (h, layers) -> {
      for (Array w : layers) {
        h = h.matmul(w).tanh();
      }
      return h;
    };
    BiFunction<Array, List<Array>, Array> b = remat ? Transforms.checkpoint(block) : block;
    return ps -> {
      Array h = x;
      for (int i = 0; i < ps.size(); i += SEGMENT) {
        h = b.apply(h, ps.subList(i, i + SEGMENT));
      }
      return h.square().mean();
    };
  }

  @Setup
  public void setup() {
    java.util.Random rnd = new java.util.Random(0);
    ws = new ArrayList<>();
    for (int i = 0; i < LAYERS; i++) {
      ws.add(Fixtures.randn(rnd, 1 / Math.sqrt(WIDTH), WIDTH, WIDTH));
    }
    x = Fixtures.randn(rnd, 1, BATCH, WIDTH);
    eagerPlain = Transforms.grad(loss(x, false));
    eagerRemat = Transforms.grad(loss(x, true));
    jitPlain = Transforms.jit(Transforms.grad(loss(x, false)));
    jitRemat = Transforms.jit(Transforms.grad(loss(x, true)));
    List<Array> a = eagerPlain.apply(ws), b = eagerRemat.apply(ws);
    for (int i = 0; i < LAYERS; i++) {
      if (!java.util.Arrays.equals(a.get(i).toFloatArray(), b.get(i).toFloatArray())) {
        throw new IllegalStateException("remat changed the gradient of layer " + i);
      }
    }
    jitPlain.apply(ws);
    jitRemat.apply(ws);
  }

  @Benchmark
  public List<Array> eagerGrad() {
    return eagerPlain.apply(ws);
  }

  @Benchmark
  public List<Array> eagerGradRemat4() {
    return eagerRemat.apply(ws);
  }

  @Benchmark
  public List<Array> jitGrad() {
    return jitPlain.apply(ws);
  }

  @Benchmark
  public List<Array> jitGradRemat4() {
    return jitRemat.apply(ws);
  }
}
