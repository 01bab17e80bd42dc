package dev.statelens.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * {@link KeyReuseBench#find} of several lint builds in one JVM, each in its own class loader,
 * rounds alternating so every build sees the same load; thread CPU per call (on the shared box
 * JMH's wall times of this benchmark vary several-fold). Each build is a class path whose first
 * entries hold that build's {@code KeyReuseBench} and lint classes, then this benchmarks jar:
 *
 * <pre>java -Xss4m -cp bench/target/benchmarks.jar dev.statelens.bench.KeyReuseFindCompare ROUNDS PER_ROUND WARMUP \
 *   /tmp/kb-before:/tmp/lint-before:bench/target/benchmarks.jar /tmp/kb-after:/tmp/lint-after:bench/target/benchmarks.jar</pre>
 */
public final class KeyReuseFindCompare {
  private static Object sink;

  private KeyReuseFindCompare() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: KeyReuseFindCompare ROUNDS PER_ROUND WARMUP CLASSPATH...");
      System.exit(2);
    }
    int rounds = Integer.parseInt(args[0]);
    int perRound = Integer.parseInt(args[1]);
    int warmup = Integer.parseInt(args[2]);
    int builds = args.length - 3;
    Object[] bench = new Object[builds];
    Method[] find = new Method[builds];
    for (int b = 0; b < builds; b++) {
      String[] parts = args[3 + b].split(File.pathSeparator);
      URL[] urls = new URL[parts.length];
      for (int i = 0; i < parts.length; i++) {
        urls[i] = new File(parts[i]).toURI().toURL();
      }
      ClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
      Class<?> type = Class.forName(KeyReuseBench.class.getName(), true, loader);
      bench[b] = type.getConstructor().newInstance();
      type.getField("methods").setInt(bench[b], 40);
      type.getMethod("setUp").invoke(bench[b]);
      find[b] = type.getMethod("find");
      for (int i = 0; i < warmup; i++) {
        sink = find[b].invoke(bench[b]);
      }
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[][] ms = BuildRounds.alternate(rounds, builds, b -> {
      long start = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < perRound; i++) {
        sink = find[b].invoke(bench[b]);
      }
      return (mx.getCurrentThreadCpuTime() - start) / 1e6 / perRound;
    });
    System.out.println(BuildRounds.load());
    for (int b = 0; b < builds; b++) {
      double[] s = BuildRounds.sorted(ms[b]);
      System.out.printf("%s: min %.2f  median %.2f  max %.2f ms per find (thread CPU)%n",
          args[3 + b], s[0], s[rounds / 2], s[rounds - 1]);
    }
  }
}
