package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fft;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * jnp.fft on the CPU backend, jitted: {@code rfft} and {@code fft} of {@code [32, n]} for n = 64,
 * 256, 1024 and 1000, and {@code rfft2}/{@code fft2} of {@code [64, 64]} —
 * the shapes of bench/cpu/fft_timing.py, JAX's side (docs/benchmarks.md, "FFT").
 *
 * <p>{@link #main} measures thread CPU time on one thread (the table's numbers):
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 \
 *   -cp bench/target/benchmarks.jar dev.statelens.bench.FftBench</pre>
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FftBench extends EngineBench {
  static final int BATCH = 32;

  @Param({"64", "256", "1000", "1024"})
  public int n;

  private Array real;
  private Array complex;
  private Array image;
  private Array complexImage;
  private final Function<Array, Array> rfft = Transforms.jit((Array x) -> Fft.rfft(x));
  private final Function<Array, Array> fft = Transforms.jit((Array x) -> Fft.fft(x));
  private final Function<Array, Array> rfft2 = Transforms.jit((Array x) -> Fft.rfft2(x));
  private final Function<Array, Array> fft2 = Transforms.jit((Array x) -> Fft.fft2(x));

  @Setup
  public void setup() {
    real = Random.normal(Random.key(0), new int[] {BATCH, n}, DType.F32);
    complex = Array.complex(real, Random.normal(Random.key(1), new int[] {BATCH, n}, DType.F32));
    image = Random.normal(Random.key(2), new int[] {64, 64}, DType.F32);
    complexImage = Array.complex(image, Random.normal(Random.key(3), new int[] {64, 64}, DType.F32));
    rfft.apply(real); // trace + compile outside the measurement
    fft.apply(complex);
    rfft2.apply(image);
    fft2.apply(complexImage);
  }

  @Benchmark
  public Array rfft() {
    return rfft.apply(real);
  }

  @Benchmark
  public Array fft() {
    return fft.apply(complex);
  }

  /** Independent of n (JMH runs it once per n; the 2-D numbers are the same shape each time). */
  @Benchmark
  public Array rfft2x64x64() {
    return rfft2.apply(image);
  }

  @Benchmark
  public Array fft2x64x64() {
    return fft2.apply(complexImage);
  }

  /**
   * Calls op for a second of this thread's CPU time first: the kernels' Vector API loops are
   * slow until C2 compiles them (C1's vector code is not intrinsified), which one short warm-up
   * round of 20 calls at n = 1000 did not reach. CPU time, not wall time: on a loaded box a wall
   * second can be a tenth of a second on a core.
   */
  private static Supplier<Object> warm(Supplier<Object> op) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long end = mx.getCurrentThreadCpuTime() + 1_000_000_000L;
    while (mx.getCurrentThreadCpuTime() < end) {
      op.get();
    }
    return op;
  }

  /** Thread CPU time per call on this thread: best of 5 rounds after a CPU second of calls. */
  public static void main(String[] args) {
    Map<String, double[]> results = new LinkedHashMap<>();
    for (int size : new int[] {64, 256, 1000, 1024}) {
      FftBench b = new FftBench();
      b.n = size;
      b.setup();
      int ops = Math.max(20, 400_000 / (BATCH * size));
      results.put("rfft [32, " + size + "]", CpuTimeProbe.measure(warm(b::rfft), ops, 5));
      results.put("fft [32, " + size + "]", CpuTimeProbe.measure(warm(b::fft), ops, 5));
      if (size == 64) {
        results.put("rfft2 [64, 64]", CpuTimeProbe.measure(warm(b::rfft2x64x64), ops, 5));
        results.put("fft2 [64, 64]", CpuTimeProbe.measure(warm(b::fft2x64x64), ops, 5));
      }
    }
    results.forEach((name, t) -> System.out.printf("%-18s %9.1f us CPU %9.1f us wall%n", name, t[1] / 1e3, t[0] / 1e3));
  }
}
