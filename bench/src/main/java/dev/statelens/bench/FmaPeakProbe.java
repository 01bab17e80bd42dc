package dev.statelens.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F32 FMA rate one thread attains with the Vector API when nothing but FMAs run: 8
 * independent accumulators (enough to hide FMA latency on two pipes, few enough that C2 keeps
 * them in AVX2 registers), no memory traffic. This is
 * the practical ceiling for the matmul micro-kernel on this machine, next to the datasheet peak
 * (cores x GHz x FMA units x lanes x 2). Reported per thread CPU time, like {@link CpuTimeProbe}.
 *
 * <pre>java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.statelens.bench.FmaPeakProbe</pre>
 */
public final class FmaPeakProbe {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private FmaPeakProbe() {}

  static float run(long iters) {
    FloatVector m = FloatVector.broadcast(S, 0.999999f);
    FloatVector a = FloatVector.broadcast(S, 1e-7f);
    FloatVector c0 = FloatVector.broadcast(S, 1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
    FloatVector c6 = c0, c7 = c0;
    for (long i = 0; i < iters; i++) {
      c0 = c0.fma(m, a); c1 = c1.fma(m, a); c2 = c2.fma(m, a); c3 = c3.fma(m, a);
      c4 = c4.fma(m, a); c5 = c5.fma(m, a); c6 = c6.fma(m, a); c7 = c7.fma(m, a);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
        .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
  }

  public static void main(String[] args) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long iters = 50_000_000L;
    float sink = 0;
    double best = 0;
    for (int r = 0; r < 6; r++) {
      long c0 = mx.getCurrentThreadCpuTime();
      sink += run(iters);
      long c1 = mx.getCurrentThreadCpuTime();
      double gflops = iters * 8.0 * S.length() * 2 / (c1 - c0);
      best = Math.max(best, gflops);
    }
    System.out.printf("F32 FMA, 1 thread, %d lanes: best %.1f GFLOP/s by CPU time (sink %s)%n", S.length(), best, sink);
  }
}
