package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The c64 elementwise kernels on the CPU backend, jitted over 65,536 elements on one thread:
 * multiply, divide, square, abs, a fused group {@code x*y + x/y} (FusedComplex), add and neg
 * (per-part ops on the interleaved arrays since perf8). {@code vector}
 * runs them as shipped (backend/cpu/ComplexVector on AVX2), {@code scalar} in a fork with
 * {@code -Dstatelens.cpu.vector=false}: the same bits from the scalar formulas. Per operation =
 * 65,536 elements, the output array allocated each call as in use. Beside ComplexPowBench.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Dstatelens.cpu.threads=1"})
public class ComplexKernelsBench extends EngineBench {

  private static final int N = 1 << 16;

  @Param({"mul", "div", "square", "abs", "fused", "add", "neg"})
  public String op;

  private Array x;
  private Array y;
  private BiFunction<Array, Array, Array> f;

  @Setup
  public void setup() {
    x = Array.complex(Random.normal(Random.key(1), new int[] {N}), Random.normal(Random.key(2), new int[] {N}));
    y = Array.complex(Random.normal(Random.key(3), new int[] {N}), Random.normal(Random.key(4), new int[] {N}).mul(0.5));
    String o = op;
    f = Transforms.jit((Array p, Array q) -> switch (o) {
      case "mul" -> p.mul(q);
      case "div" -> p.div(q);
      case "square" -> p.square();
      case "abs" -> p.abs();
      case "fused" -> p.mul(q).add(p.div(q));
      case "add" -> p.add(q);
      case "neg" -> p.neg();
      default -> throw new IllegalArgumentException("op " + o);
    });
    f.apply(x, y); // trace + compile outside the measurement
  }

  @Benchmark
  public Object vector() {
    return f.apply(x, y);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
      "-Dstatelens.cpu.threads=1", "-Dstatelens.cpu.vector=false"})
  public Object scalar() {
    return f.apply(x, y);
  }
}
