package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of reverse-mode autodiff relative to the forward pass: a two-layer tanh MLP loss
 * (256 x 16 -> 64 -> 1, MSE, f32), eager and jitted, forward only vs valueAndGrad.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GradBench {
  public record Params(Array w1, Array b1, Array w2) {}

  public record Batch(Array x, Array y) {}

  static Array loss(Params p, Batch b) {
    Array h = b.x().matmul(p.w1()).add(p.b1()).tanh();
    return h.matmul(p.w2()).reshape(-1).sub(b.y()).square().mean();
  }

  private Params params;
  private Batch batch;
  private BiFunction<Params, Batch, Array> jitLoss;
  private BiFunction<Params, Batch, Pair<Array, Params>> valueAndGrad;
  private BiFunction<Params, Batch, Pair<Array, Params>> jitValueAndGrad;

  @Setup
  public void setup() {
    java.util.Random rnd = new java.util.Random(0);
    params = new Params(randn(rnd, 0.25, 16, 64), randn(rnd, 0.1, 64), randn(rnd, 0.1, 64, 1));
    batch = new Batch(randn(rnd, 1, 256, 16), randn(rnd, 1, 256));
    jitLoss = Transforms.jit(GradBench::loss);
    valueAndGrad = Transforms.valueAndGrad(GradBench::loss);
    jitValueAndGrad = Transforms.jit(Transforms.valueAndGrad(GradBench::loss));
    jitLoss.apply(params, batch); // trace + compile outside the measurement
    jitValueAndGrad.apply(params, batch);
  }

  private static Array randn(java.util.Random rnd, double scale, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (scale * rnd.nextGaussian());
    }
    return Array.of(DType.F32, shape, v);
  }

  @Benchmark
  public Array eagerForward() {
    return loss(params, batch);
  }

  @Benchmark
  public Pair<Array, Params> eagerValueAndGrad() {
    return valueAndGrad.apply(params, batch);
  }

  @Benchmark
  public Array jitForward() {
    return jitLoss.apply(params, batch);
  }

  @Benchmark
  public Pair<Array, Params> jitValueAndGrad() {
    return jitValueAndGrad.apply(params, batch);
  }
}
