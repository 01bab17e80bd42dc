package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import dev.statelens.examples.LinReg;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;

/**
 * Before/after on a loaded machine: several builds of the engine (class directories holding the
 * engine and examples classes, e.g. compiled from {@code git archive} of two commits), each in
 * its own class loader inside one JVM, time the jitted linreg step in turn, round after round,
 * so every build sees the same load (a classes dir: both modules' {@code src/main/java} compiled
 * into it with {@code javac}, {@code engine/src/main/resources} copied in). Thread CPU per step; the hand-written loop of
 * {@link CpuTimeProbe} is timed in the same rounds as the reference. Engine classes come from
 * each directory, everything else (Jackson, SQLite) from this benchmarks jar, placed after it.
 *
 * <pre>java --add-modules jdk.incubator.vector -Dstatelens.cpu.threads=1 \
 *   -cp bench/target/benchmarks.jar dev.statelens.bench.BuildCompare 40 100000 /tmp/before /tmp/after</pre>
 */
public final class BuildCompare {
  private BuildCompare() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: BuildCompare ROUNDS STEPS_PER_ROUND CLASSES_DIR... (engine + examples classes per build)");
      System.exit(2);
    }
    int rounds = Integer.parseInt(args[0]);
    int steps = Integer.parseInt(args[1]);
    int builds = args.length - 2;
    Method[] run = new Method[builds];
    for (int i = 0; i < builds; i++) {
      File dir = new File(args[2 + i]);
      if (!new File(dir, "dev/statelens/engine/Array.class").isFile()
          || !new File(dir, "dev/statelens/examples/LinReg.class").isFile()) {
        System.err.println(dir + " holds no engine + examples classes (dev/statelens/engine/Array.class and"
            + " dev/statelens/examples/LinReg.class): compile both modules' sources into it");
        System.exit(2);
      }
      ClassLoader loader = BuildRounds.loader(dir, "dev.statelens.engine.Array");
      Class<?> workload = Class.forName(Workload.class.getName(), true, loader);
      if (workload.getClassLoader() != loader) {
        throw new IllegalStateException("the workload of " + dir + " was not loaded beside its engine");
      }
      run[i] = workload.getMethod("run", int.class);
      for (int w = 0; w < 4; w++) {
        run[i].invoke(null, steps); // warm-up: interpreted, generated, JIT-compiled
      }
      System.out.println(dir + ": params after 1000 steps " + workload.getMethod("check").invoke(null));
    }
    // the hand-written loop is measured as one more build, in the same rounds
    double[][] cpu = BuildRounds.alternate(rounds, builds + 1,
        b -> b < builds ? (double) run[b].invoke(null, steps) : Workload.handLoop(steps));
    System.out.println(BuildRounds.load());
    for (int i = 0; i <= builds; i++) {
      double[] s = BuildRounds.sorted(cpu[i]);
      System.out.printf("%-32s min %4.0f  p25 %4.0f  median %4.0f ns/step (thread CPU)%n",
          i < builds ? args[2 + i] : "hand-written loop", s[0], s[rounds / 4], s[rounds / 2]);
    }
  }

  /** Loaded once per build, in that build's class loader. */
  public static final class Workload {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static LinReg.Data data;
    private static LinReg.Params params;
    public static volatile Object sink;

    private Workload() {}

    private static void init() {
      if (data == null) {
        Key key = Random.key(LinReg.SEED);
        data = LinReg.data(key);
        params = LinReg.init(key);
      }
    }

    /** {@code n} jitted linreg steps from the same parameters; thread CPU ns per step. */
    public static double run(int n) {
      init();
      LinReg.Params p = params;
      Array xs = data.xs();
      Array ys = data.ys();
      Object last = null;
      long c0 = MX.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        last = LinReg.update(p, xs, ys);
      }
      long c1 = MX.getCurrentThreadCpuTime();
      sink = last;
      return (c1 - c0) / (double) n;
    }

    /** The parameters after 1000 steps: builds that must agree bit for bit print the same. */
    public static String check() {
      init();
      LinReg.Params p = params;
      for (int i = 0; i < 1000; i++) {
        p = LinReg.update(p, data.xs(), data.ys());
      }
      return p.weight().toFloatArray()[0] + " " + p.bias().toFloatArray()[0];
    }

    /** CpuTimeProbe's hand-written step on the same data; thread CPU ns per step. */
    static double handLoop(int n) {
      init();
      float[] xs = data.xs().toFloatArray();
      float[] ys = data.ys().toFloatArray();
      float w = params.weight().toFloatArray()[0];
      float b = params.bias().toFloatArray()[0];
      float lr = (float) LinReg.LEARNING_RATE;
      Object last = null;
      long c0 = MX.getCurrentThreadCpuTime();
      for (int k = 0; k < n; k++) {
        float gw = 0;
        float gb = 0;
        for (int i = 0; i < xs.length; i++) {
          float err = w * xs[i] + b - ys[i];
          gw += 2 * err * xs[i];
          gb += 2 * err;
        }
        last = new float[] {w - lr * gw / xs.length, b - lr * gb / xs.length};
      }
      long c1 = MX.getCurrentThreadCpuTime();
      sink = last;
      return (c1 - c0) / (double) n;
    }
  }
}
