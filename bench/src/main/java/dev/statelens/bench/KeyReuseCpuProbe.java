package dev.statelens.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;

/**
 * {@link KeyReuseBench}'s benchmarks timed by <em>thread CPU time</em> (what the calling thread
 * itself ran, not the time it waited for a core): on the shared, overloaded build box the JMH
 * wall times of the verify benchmarks vary by ±100%. Same setup and methods as the JMH class;
 * half a round of warm-up, then four rounds.
 *
 * <pre>java -Xms2g -Xmx2g -XX:+UseParallelGC -cp bench/target/benchmarks.jar \
 *   dev.statelens.bench.KeyReuseCpuProbe</pre>
 */
public final class KeyReuseCpuProbe {

  private static final String[] BENCHMARKS = {"find", "parse", "verifyOneFix",
      "verifyBothFixesEach", "verifyBothFixesShared", "verifyFourMarkersEach",
      "verifyFourMarkersShared"};
  private static Object sink;

  private KeyReuseCpuProbe() {}

  public static void main(String[] args) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    KeyReuseBench bench = new KeyReuseBench();
    bench.methods = 40;
    bench.setUp();
    for (String name : BENCHMARKS) {
      Method m = KeyReuseBench.class.getMethod(name);
      int calls = name.startsWith("verify") ? 100 : 400;
      for (int i = 0; i < calls / 2; i++) {
        sink = m.invoke(bench);
      }
      StringBuilder line = new StringBuilder(String.format("%-24s cpu ms/op:", name));
      for (int round = 0; round < 4; round++) {
        long start = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
          sink = m.invoke(bench);
        }
        line.append(String.format(" %6.2f", (mx.getCurrentThreadCpuTime() - start) / 1e6 / calls));
      }
      System.out.println(line);
    }
  }
}
