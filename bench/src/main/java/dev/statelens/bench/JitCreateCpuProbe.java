package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code JitCreateBench} and {@code DispatchBench}'s cache hit in thread CPU time, for a loaded
 * machine: best of several rounds, so waiting for a core does not count. Depends on the engine
 * and the JDK only, so it runs from source against any engine jar, to compare two builds in one
 * session:
 *
 * <pre>java -cp engine-before.jar bench/src/main/java/dev/statelens/bench/JitCreateCpuProbe.java
 * java -cp engine-after.jar  bench/src/main/java/dev/statelens/bench/JitCreateCpuProbe.java</pre>
 */
public final class JitCreateCpuProbe {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static Object sink;

  private JitCreateCpuProbe() {}

  /** Best (minimum) thread CPU ns per call of {@code op} over {@code rounds} rounds of {@code ops} calls. */
  static double cpuNanos(Supplier<Object> op, int ops, int rounds) {
    for (int i = 0; i < ops; i++) {
      sink = op.get(); // warm-up round
    }
    double best = Double.MAX_VALUE;
    for (int r = 0; r < rounds; r++) {
      long c0 = MX.getCurrentThreadCpuTime();
      for (int i = 0; i < ops; i++) {
        sink = op.get();
      }
      best = Math.min(best, (MX.getCurrentThreadCpuTime() - c0) / (double) ops);
    }
    return best;
  }

  public static void main(String[] args) {
    Function<Array, Array> body = x -> x.mul(2).add(1);
    Array x = Array.of(1f, 2f, 3f, 4f);
    Function<Array, Array> jitted = Transforms.jit(body);
    jitted.apply(x);
    Function<Array, Array> small = Transforms.jit("small", (Array v) -> v.mul(2).add(1).tanh());
    Array s = Array.scalar(0.5);
    small.apply(s);
    for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT compiler
      double create = cpuNanos(() -> Transforms.jit(body), 20_000, 15);
      double cached = cpuNanos(() -> jitted.apply(x), 200_000, 15);
      double scalar = cpuNanos(() -> small.apply(s), 200_000, 15);
      if (pass == 1) {
        System.out.printf("create (Transforms.jit(fn), no call)   %8.0f ns CPU%n", create);
        System.out.printf("cachedCall (JitCreateBench)            %8.0f ns CPU%n", cached);
        System.out.printf("jittedThreeOpsOnScalar (DispatchBench) %8.0f ns CPU%n", scalar);
      }
    }
  }
}
