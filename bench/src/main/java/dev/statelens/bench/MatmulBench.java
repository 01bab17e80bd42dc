package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.backend.cpu.Matmul;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * F32 matmul n x n x n. {@code impl=auto} is what {@code Array.matmul} runs (Vector API kernel
 * when the module is loaded); {@code blocked_scalar} and {@code simple} pin the fallbacks.
 * GFLOP/s = 2 n^3 / time; docs/benchmarks.md converts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class MatmulBench {
  @Param({"512", "2048"})
  public int n;

  @Param({"auto", "blocked_scalar"})
  public String impl;

  private float[] a;
  private float[] b;
  private Array x;
  private Array y;

  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(1);
    a = new float[n * n];
    b = new float[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextDouble(-1, 1);
      b[i] = (float) r.nextDouble(-1, 1);
    }
    x = Array.of(DType.F32, new int[] {n, n}, a);
    y = Array.of(DType.F32, new int[] {n, n}, b);
    System.out.println("matmul: " + Matmul.describe());
  }

  @Benchmark
  public Object matmul() {
    return switch (impl) {
      case "auto" -> x.matmul(y);
      case "blocked_scalar" -> Matmul.multiply(a, b, n, n, n, Matmul.Impl.BLOCKED_SCALAR);
      case "simple" -> Matmul.multiply(a, b, n, n, n, Matmul.Impl.SIMPLE);
      default -> throw new IllegalArgumentException("impl must be auto, blocked_scalar or simple: " + impl);
    };
  }
}
