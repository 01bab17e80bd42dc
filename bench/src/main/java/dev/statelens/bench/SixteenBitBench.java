package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * bf16 against f32 on the CPU backend, jitted: an elementwise chain ({@code tanh(x * y + x)} over
 * {@code [512,512]}) and a {@code [256,256] @ [256,256]} matmul (bf16 operands with
 * {@code preferred_element_type=f32} against f32 operands). 16-bit values are widened and rounded
 * around each f32 kernel and stay out of fused loops (docs/decisions.md), so on the CPU they save
 * memory, not time. One thread: the shared box is loaded.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dstatelens.cpu.threads=1"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SixteenBitBench extends EngineBench {
  @Param({"F32", "BF16"})
  public String dtype;

  private Array x;
  private Array y;
  private Array a;
  private Array b;
  private BiFunction<Array, Array, Array> chain;
  private BiFunction<Array, Array, Array> matmul;

  @Setup
  public void setup() {
    DType d = DType.valueOf(dtype);
    x = Random.normal(Random.key(0), 512, 512).astype(d);
    y = Random.normal(Random.key(1), 512, 512).astype(d);
    a = Random.normal(Random.key(2), 256, 256).astype(d);
    b = Random.normal(Random.key(3), 256, 256).astype(d);
    chain = Transforms.jit((Array u, Array v) -> u.mul(v).add(u).tanh());
    matmul = Transforms.jit((Array u, Array v) -> u.matmul(v, DType.F32));
  }

  @Benchmark
  public Array elementwiseChain() {
    return chain.apply(x, y);
  }

  @Benchmark
  public Array matmulPreferredF32() {
    return matmul.apply(a, b);
  }

  /**
   * Thread-CPU-time version for the loaded shared box (best of 5 rounds, {@link CpuTimeProbe}):
   * {@code java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 -cp
   * bench/target/benchmarks.jar dev.statelens.bench.SixteenBitBench}.
   */
  public static void main(String[] args) {
    for (String d : new String[] {"F32", "BF16"}) {
      SixteenBitBench b = new SixteenBitBench();
      b.dtype = d;
      b.setup();
      double[] e = CpuTimeProbe.measure(b::elementwiseChain, 200, 5);
      double[] m = CpuTimeProbe.measure(b::matmulPreferredF32, 100, 5);
      System.out.printf("%-5s elementwiseChain wall %8.1f us  cpu %8.1f us | matmulPreferredF32 wall %8.1f us  cpu %8.1f us%n",
          d, e[0] / 1e3, e[1] / 1e3, m[0] / 1e3, m[1] / 1e3);
    }
  }
}
