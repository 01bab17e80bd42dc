package dev.statelens.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F32 FMA rate one thread attains with the Vector API when nothing but FMAs run: 12
 * independent accumulators (enough to hide FMA latency on two pipes), no memory traffic. This is
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
    FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
    for (long i = 0; i < iters; i++) {
      c0 = c0.fma(m, a); c1 = c1.fma(m, a); c2 = c2.fma(m, a); c3 = c3.fma(m, a);
      c4 = c4.fma(m, a); c5 = c5.fma(m, a); c6 = c6.fma(m, a); c7 = c7.fma(m, a);
      c8 = c8.fma(m, a); c9 = c9.fma(m, a); c10 = c10.fma(m, a); c11 = c11.fma(m, a);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
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
      double gflops = iters * 12.0 * S.length() * 2 / (c1 - c0);
      best = Math.max(best, gflops);
    }
    System.out.printf("F32 FMA, 1 thread, %d lanes: best %.1f GFLOP/s by CPU time (sink %s)%n", S.length(), best, sink);
  }
}
