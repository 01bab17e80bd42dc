package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fft;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Function;

/**
 * What the first calls of a jitted {@code fft} of {@code [32, n]} cost, length after length in one
 * JVM (docs/benchmarks.md, "fft3"): thread CPU time of calls 0-4, 10, 30, 100 and 1000, and the
 * total until call 100. A length whose radices an earlier length already ran is warm at once (its
 * plan costs well under a millisecond); a radix the JVM has not run yet is slow until C2 compiles
 * its Vector API passes. With {@code loop n seconds} it only calls the fft of {@code [32, n]} for
 * that long, for a profiler (perf with {@code -XX:+DumpPerfMapAtExit}).
 *
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 \
 *   -cp bench/target/benchmarks.jar dev.statelens.bench.FftWarmupProbe 1000 500 1024 960</pre>
 */
public final class FftWarmupProbe {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static final int[] SHOWN = {0, 1, 2, 3, 4, 10, 30, 100, 1000};

  private FftWarmupProbe() {}

  private static Array rows(int n) {
    Array re = Random.normal(Random.key(0), new int[] {32, n}, DType.F32);
    return Array.complex(re, Random.normal(Random.key(1), new int[] {32, n}, DType.F32));
  }

  public static void main(String[] args) {
    if (args.length == 3 && args[0].equals("loop")) {
      Array z = rows(Integer.parseInt(args[1]));
      Function<Array, Array> fft = Transforms.jit((Array x) -> Fft.fft(x));
      long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
      long calls = 0;
      while (System.nanoTime() < end) {
        fft.apply(z);
        calls++;
      }
      System.out.println(calls + " calls");
      return;
    }
    for (String arg : args) {
      int n = Integer.parseInt(arg);
      Array z = rows(n);
      Function<Array, Array> fft = Transforms.jit((Array x) -> Fft.fft(x));
      StringBuilder line = new StringBuilder("fft [32, " + n + "] CPU us per call:");
      long untilHundred = 0;
      for (int i = 0, shown = 0; i <= SHOWN[SHOWN.length - 1]; i++) {
        long t0 = MX.getCurrentThreadCpuTime();
        fft.apply(z);
        long t = MX.getCurrentThreadCpuTime() - t0;
        if (i < 100) {
          untilHundred += t;
        }
        if (i == SHOWN[shown]) {
          line.append(String.format(" #%d %.0f", i, t / 1e3));
          shown++;
        }
      }
      System.out.println(line.append(String.format("; calls 0-99 together %.0f ms", untilHundred / 1e6)));
    }
  }
}
