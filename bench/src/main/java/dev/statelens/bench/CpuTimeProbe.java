package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.Tree;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.backend.Executable;
import dev.statelens.engine.trace.CompiledGraph;
import dev.statelens.engine.backend.cpu.Matmul;
import dev.statelens.examples.LinReg;
import dev.statelens.examples.Mlp;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A supplement to the JMH benchmarks for a shared, overloaded machine: runs the same workloads
 * on one thread and reports <em>thread CPU time</em> per operation next to wall time. CPU time
 * excludes the time the thread waited for a core, so it approximates what an idle core would
 * give (cache and frequency interference from other processes remain). Run single-threaded:
 *
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 \
 *   -cp bench/target/benchmarks.jar dev.statelens.bench.CpuTimeProbe</pre>
 */
public final class CpuTimeProbe {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static Object sink;

  private CpuTimeProbe() {}

  /** Best (minimum) of {@code rounds} rounds of {@code ops} calls: {wall ns/op, cpu ns/op}. */
  static double[] measure(Supplier<Object> op, int ops, int rounds) {
    for (int i = 0; i < ops; i++) {
      sink = op.get(); // warm-up round
    }
    double bestWall = Double.MAX_VALUE;
    double bestCpu = Double.MAX_VALUE;
    for (int r = 0; r < rounds; r++) {
      long w0 = System.nanoTime();
      long c0 = MX.getCurrentThreadCpuTime();
      for (int i = 0; i < ops; i++) {
        sink = op.get();
      }
      long c1 = MX.getCurrentThreadCpuTime();
      long w1 = System.nanoTime();
      bestWall = Math.min(bestWall, (w1 - w0) / (double) ops);
      bestCpu = Math.min(bestCpu, (c1 - c0) / (double) ops);
    }
    return new double[] {bestWall, bestCpu};
  }

  /**
   * The linreg step's compiled graph run on its buffers without the jit call around it (argument
   * walk, output arrays, rebuilding the {@code Params} record): the split of the jitted step's time.
   */
  private static double[] linregGraphAlone(LinReg.Params params, LinReg.Data data) {
    Fn3<LinReg.Params, Array, Array, LinReg.Params> step = LinReg.sgdStep("graph_alone", LinReg.LEARNING_RATE);
    step.apply(params, data.xs(), data.ys());
    CompiledGraph g = Transforms.jitInfo(step).graphs().get(0);
    Executable exe = Backends.current().compile(g.jaxpr().dce());
    List<Buffer> in = new ArrayList<>();
    for (Array c : g.consts()) in.add(c.buffer());
    for (Array leaf : Tree.leaves(List.of(params, data.xs(), data.ys()))) in.add(leaf.buffer());
    Buffer[] inputs = in.toArray(Buffer[]::new);
    return measure(() -> exe.execute(inputs), 50_000, 5);
  }

  public static void main(String[] args) {
    boolean quick = args.length > 0 && args[0].equals("--quick");
    boolean smallOnly = args.length > 0 && args[0].equals("--small"); // the small-graph rows only
    Map<String, double[]> results = new LinkedHashMap<>();
    Function<Array, Array> small = Transforms.jit("small", (Array v) -> v.mul(2).add(1).tanh());
    Array s = Array.scalar(0.5);
    results.put("dispatch: jit 3 ops on a scalar", measure(() -> small.apply(s), 200_000, 5));
    Function<DispatchBench.StatePair, DispatchBench.StatePair> tree = Transforms.jit("small_tree",
        (DispatchBench.StatePair p) -> new DispatchBench.StatePair(p.a().add(p.b()), p.b().mul(0.5)));
    DispatchBench.StatePair pair = new DispatchBench.StatePair(Array.scalar(1.0), Array.scalar(2.0));
    results.put("dispatch: record in, record out", measure(() -> tree.apply(pair), 200_000, 5));

    Key key = Random.key(LinReg.SEED);
    LinReg.Data data = LinReg.data(key);
    LinReg.Params params = LinReg.init(key);
    results.put("linreg step: jitted update", measure(() -> LinReg.update(params, data.xs(), data.ys()), 50_000, 5));
    results.put("linreg step: compiled graph alone", linregGraphAlone(params, data));
    float[] xs = data.xs().toFloatArray();
    float[] ys = data.ys().toFloatArray();
    float w = params.weight().toFloatArray()[0];
    float b = params.bias().toFloatArray()[0];
    results.put("linreg step: hand-written loop", measure(() -> {
      float gw = 0;
      float gb = 0;
      for (int i = 0; i < xs.length; i++) {
        float err = w * xs[i] + b - ys[i];
        gw += 2 * err * xs[i];
        gb += 2 * err;
      }
      float lr = (float) LinReg.LEARNING_RATE;
      return new float[] {w - lr * gw / xs.length, b - lr * gb / xs.length};
    }, 500_000, 5));

    Pair<Key, Key> k = Random.split(Random.key(Mlp.SEED));
    Mlp mlp = new Mlp();
    Mlp.Batch batch = Mlp.data(k.first());
    Mlp.TrainState state = mlp.initState(Mlp.init(k.second()));
    results.put("mlp step: jitted Adam step", measure(() -> mlp.step(state, batch), 10_000, 5));
    if (smallOnly) {
      print(results);
      return;
    }

    int size = 1_000_000;
    SplittableRandom rnd = new SplittableRandom(2);
    float[] fx = new float[size];
    float[] fw = new float[size];
    for (int i = 0; i < size; i++) {
      fx[i] = (float) rnd.nextDouble(-2, 2);
      fw[i] = (float) rnd.nextDouble(-2, 2);
    }
    Array x = Array.of(DType.F32, new int[] {size}, fx);
    Array wv = Array.of(DType.F32, new int[] {size}, fw);
    BiFunction<Array, Array, Array> chain = Transforms.jit("chain", FusionBench::chain);
    results.put("fusion 1M: eager chain", measure(() -> FusionBench.chain(x, wv), 20, 5));
    results.put("fusion 1M: jitted (fused)", measure(() -> chain.apply(x, wv), 20, 5));
    results.put("fusion 1M: hand-written loop", measure(() -> {
      float[] out = new float[size];
      for (int i = 0; i < size; i++) {
        out[i] = (float) Math.tanh(fx[i] * fw[i] + 0.5f) * 2f - fx[i];
      }
      return out;
    }, 20, 5));

    {
      // a product whose packed panels stay in L1/L2: the micro-kernel's own speed, memory aside
      int m = 144, kk = 256, n = 64;
      float[] a = new float[m * kk];
      float[] bm = new float[kk * n];
      for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble(-1, 1);
      for (int i = 0; i < bm.length; i++) bm[i] = (float) rnd.nextDouble(-1, 1);
      if (Matmul.vectorized()) {
        double[] r = measure(() -> Matmul.multiply(a, bm, m, kk, n, Matmul.Impl.VECTOR), 2000, 3);
        results.put("matmul 144x256x64 (cache): vector", new double[] {r[0], r[1], 2.0 * m * kk * n / r[1]});
      }
    }
    for (int n : quick ? new int[] {512} : new int[] {512, 2048}) {
      float[] a = new float[n * n];
      float[] bm = new float[n * n];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) rnd.nextDouble(-1, 1);
        bm[i] = (float) rnd.nextDouble(-1, 1);
      }
      int reps = n == 512 ? 5 : 1;
      if (Matmul.vectorized()) {
        results.put("matmul " + n + ": vector", measure(() -> Matmul.multiply(a, bm, n, n, n, Matmul.Impl.VECTOR), reps, 3));
      }
      if (n > 512) {
        continue; // the scalar kernel at 2048 takes seconds per call; 512 shows the ratio
      }
      results.put("matmul " + n + ": blocked scalar", measure(() -> Matmul.multiply(a, bm, n, n, n, Matmul.Impl.BLOCKED_SCALAR), reps, 3));
    }

    print(results);
  }

  private static void print(Map<String, double[]> results) {
    System.out.printf("%-36s %14s %14s %10s%n", "workload (1 thread)", "wall ns/op", "cpu ns/op", "GFLOP/s*");
    for (Map.Entry<String, double[]> e : results.entrySet()) {
      String gflops = "";
      if (e.getValue().length > 2) {
        gflops = String.format("%.1f", e.getValue()[2]);
      } else if (e.getKey().startsWith("matmul ")) {
        int n = Integer.parseInt(e.getKey().substring(7, e.getKey().indexOf(':')));
        gflops = String.format("%.1f", 2.0 * n * n * n / e.getValue()[1]);
      }
      System.out.printf("%-36s %14.0f %14.0f %10s%n", e.getKey(), e.getValue()[0], e.getValue()[1], gflops);
    }
    System.out.println("* by CPU time; matmul: " + Matmul.describe());
  }
}
