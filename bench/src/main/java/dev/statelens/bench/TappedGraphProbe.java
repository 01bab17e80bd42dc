package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.Tree;
import dev.statelens.engine.backend.cpu.CpuBuffer;
import dev.statelens.engine.backend.cpu.CpuExecutable;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.record.Recorder;
import dev.statelens.examples.Mlp;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The MLP Adam step's graph with and without the recorder's gradient-norm tap, compiled by the
 * CPU backend and run alone (no recorder open at run time, so {@code tap_norms} delivers to
 * nobody): thread CPU time per call over successive windows of calls, from the first call on, so
 * that JIT warm-up of the generated class shows. Run one graph per JVM (the point is a fresh JIT):
 *
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 \
 *   -cp bench/target/benchmarks.jar dev.statelens.bench.TappedGraphProbe plain|tapped auto|off [calls]</pre>
 *
 * Prints the plan's step names and µs per call for calls 1–500, 501–1,000, then per 2,000.
 */
public final class TappedGraphProbe {
  private TappedGraphProbe() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || !(args[0].equals("plain") || args[0].equals("tapped"))) {
      throw new IllegalArgumentException("usage: TappedGraphProbe plain|tapped auto|on|off [calls]");
    }
    int calls = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    Pair<Key, Key> k = Random.split(Random.key(Mlp.SEED));
    Optim.Optimizer opt = Optim.adam(Mlp.LEARNING_RATE);
    Mlp.Batch batch = Mlp.data(k.first());
    Mlp.Params params = Mlp.init(k.second());
    Mlp.TrainState state = new Mlp.TrainState(params, opt.init(params));
    BiFunction<Mlp.Params, Mlp.Batch, Pair<Array, Mlp.Params>> lossAndGrad = Transforms.valueAndGrad(Mlp::loss);
    BiFunction<Mlp.TrainState, Mlp.Batch, Object> step = (s, b) -> { // Mlp's jitted step, traced here
      Pair<Array, Mlp.Params> lg = lossAndGrad.apply(s.params(), b);
      var u = opt.update(lg.second(), s.optState(), s.params());
      return new Mlp.StepResult(lg.first(), new Mlp.TrainState(Optim.applyUpdates(s.params(), u.first()), u.second()));
    };
    Jaxpr graph;
    if (args[0].equals("tapped")) {
      Path dir = Files.createTempDirectory("statelens-tap-probe");
      try (Recorder r = Recorder.open(dir.resolve("run.db"))) { // taps are traced in while a run is recorded
        graph = Transforms.makeJaxpr(step, state, batch);
      }
    } else {
      graph = Transforms.makeJaxpr(step, state, batch);
    }
    List<Array> leaves = new ArrayList<>(Tree.flatten(state).leaves());
    leaves.addAll(Tree.flatten(batch).leaves());
    CpuBuffer[] in = new CpuBuffer[leaves.size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = (CpuBuffer) leaves.get(i).buffer();
    }
    CpuExecutable exe = CpuExecutable.compile(graph, args[1]);
    exe.run(in);
    exe.run(in); // auto generates the class at the second run
    System.out.println(args[0] + " " + args[1] + ": " + graph.eqns().size() + " equations, "
        + (exe.isGenerated() ? exe.generatedStepNames().size() + " generated steps " + exe.generatedStepNames()
            : "interpreted"));
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    StringBuilder line = new StringBuilder("us/call:");
    long total = 0;
    int done = 0;
    while (done < calls) {
      int n = done < 1000 ? 500 : 2000;
      long t0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        exe.run(in);
      }
      long t = mx.getCurrentThreadCpuTime() - t0;
      total += t;
      done += n;
      line.append(String.format(" %.0f", t / 1e3 / n));
    }
    System.out.println(line + String.format("  | all %d calls: %.2f s", done, total / 1e9));
  }
}
