package dev.statelens.bench;

import dev.statelens.bench.Fixtures.MlpParams;
import dev.statelens.engine.Array;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * The cost of reverse-mode autodiff relative to the forward pass: a two-layer tanh MLP loss
 * (256 x 16 -> 64 -> 1, MSE, f32), eager and jitted, forward only vs valueAndGrad.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GradBench extends EngineBench {
  public record Batch(Array x, Array y) {}

  static Array loss(MlpParams p, Batch b) {
    Array h = b.x().matmul(p.w1()).add(p.b1()).tanh();
    return h.matmul(p.w2()).reshape(-1).sub(b.y()).square().mean();
  }

  private MlpParams params;
  private Batch batch;
  private BiFunction<MlpParams, Batch, Array> jitLoss;
  private BiFunction<MlpParams, Batch, Pair<Array, MlpParams>> valueAndGrad;
  private BiFunction<MlpParams, Batch, Pair<Array, MlpParams>> jitValueAndGrad;

  @Setup
  public void setup() {
    java.util.Random rnd = new java.util.Random(0);
    params = MlpParams.init(rnd);
    batch = new Batch(Fixtures.randn(rnd, 1, 256, 16), Fixtures.randn(rnd, 1, 256));
    jitLoss = Transforms.jit(GradBench::loss);
    valueAndGrad = Transforms.valueAndGrad(GradBench::loss);
    jitValueAndGrad = Transforms.jit(Transforms.valueAndGrad(GradBench::loss));
    jitLoss.apply(params, batch); // trace + compile outside the measurement
    jitValueAndGrad.apply(params, batch);
  }

  @Benchmark
  public Array eagerForward() {
    return loss(params, batch);
  }

  @Benchmark
  public Pair<Array, MlpParams> eagerValueAndGrad() {
    return valueAndGrad.apply(params, batch);
  }

  @Benchmark
  public Array jitForward() {
    return jitLoss.apply(params, batch);
  }

  @Benchmark
  public Pair<Array, MlpParams> jitValueAndGrad() {
    return jitValueAndGrad.apply(params, batch);
  }
}
