package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * An elementwise chain {@code tanh(x * w + 0.5) * 2 - x} (5 ops, one scalar broadcast): eager
 * (one array per op), jitted (one fused pass, threaded above 64k elements), and a hand-written
 * float loop (the lower bound).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FusionBench extends EngineBench {
  @Param({"1000", "1000000"})
  public int size;

  private Array x;
  private Array w;
  private float[] xs;
  private float[] ws;
  private BiFunction<Array, Array, Array> jitted;

  static Array chain(Array x, Array w) {
    return x.mul(w).add(0.5).tanh().mul(2).sub(x);
  }

  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(2);
    xs = new float[size];
    ws = new float[size];
    for (int i = 0; i < size; i++) {
      xs[i] = (float) r.nextDouble(-2, 2);
      ws[i] = (float) r.nextDouble(-2, 2);
    }
    x = Array.of(DType.F32, new int[] {size}, xs);
    w = Array.of(DType.F32, new int[] {size}, ws);
    jitted = Transforms.jit("chain", FusionBench::chain);
    jitted.apply(x, w);
  }

  @Benchmark
  public Array eager() {
    return chain(x, w);
  }

  @Benchmark
  public Array jittedFused() {
    return jitted.apply(x, w);
  }

  @Benchmark
  public float[] handWrittenLoop() {
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      out[i] = (float) Math.tanh(xs[i] * ws[i] + 0.5f) * 2f - xs[i];
    }
    return out;
  }
}
