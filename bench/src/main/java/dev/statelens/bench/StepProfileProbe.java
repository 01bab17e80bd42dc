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
import dev.statelens.engine.trace.CompiledGraph;
import dev.statelens.examples.Gnn;
import dev.statelens.examples.Transformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Where the transformer step's time goes: its compiled graph run on the interpreter
 * ({@link CpuExecutable#profile}), the nanoseconds of each step summed by step signature (name,
 * input and output types), largest first, with their share of the total:
 *
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 \
 *   -cp bench/target/benchmarks.jar dev.statelens.bench.StepProfileProbe [runs] [rows] [gnn]</pre>
 *
 * <p>{@code -Dprobe.cpu=true}: each step's thread CPU time instead of wall time (a loaded machine).
 *
 * <p>With a third argument {@code gnn}: the gnn example's Adam step instead; {@code muon}: the
 * transformer step with the example's optimizer (Muon for the blocks' matrices, AdamW for the rest).
 */
public final class StepProfileProbe {
  private StepProfileProbe() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    if (args.length > 2 && args[2].equals("gnn")) {
      profileGnn(runs, rows);
      return;
    }
    boolean muon = args.length > 2 && args[2].equals("muon");
    Optim.Optimizer opt = muon ? Transformer.optimizer()
        : Optim.adamw(Transformer.ADAM_LEARNING_RATE, 0.9, 0.999, 1e-8, Transformer.WEIGHT_DECAY);
    BiFunction<Transformer.Params, Transformer.Batch, Pair<Array, Transformer.Params>> lossAndGrad =
        Transforms.valueAndGrad(Transformer::loss);
    BiFunction<Transformer.TrainState, Transformer.Batch, Transformer.StepResult> step = Transforms.jit("profiled_step",
        (Transformer.TrainState state, Transformer.Batch batch) -> {
          Pair<Array, Transformer.Params> lg = lossAndGrad.apply(state.params(), batch);
          var u = opt.update(lg.second(), state.optState(), state.params());
          return new Transformer.StepResult(lg.first(),
              new Transformer.TrainState(Optim.applyUpdates(state.params(), u.first()), u.second()));
        });
    Transformer model = new Transformer(opt);
    Transformer.TrainState state = model.initState(Transformer.init(Random.key(Transformer.SEED)));
    Transformer.Batch batch = model.batch(Random.key(1), 0);
    step.apply(state, batch);
    profile(Transforms.jitInfo(step).graphs().get(0), List.of(state, batch), runs, rows);
  }

  /** The gnn example's Adam step (third argument {@code gnn}), built as {@code Gnn} builds it. */
  private static void profileGnn(int runs, int rows) {
    Pair<Key, Key> k = Random.split(Random.key(Gnn.SEED));
    Gnn.Graph graph = Gnn.graph(k.first());
    Optim.Optimizer opt = Optim.adam(Gnn.LEARNING_RATE);
    BiFunction<Gnn.Params, Gnn.Graph, Pair<Array, Gnn.Params>> lossAndGrad = Transforms.valueAndGrad(Gnn::loss);
    BiFunction<Gnn.TrainState, Gnn.Graph, Gnn.StepResult> step = Transforms.jit("profiled_gnn_step",
        (Gnn.TrainState state, Gnn.Graph g) -> {
          Pair<Array, Gnn.Params> lg = lossAndGrad.apply(state.params(), g);
          var u = opt.update(lg.second(), state.optState(), state.params());
          return new Gnn.StepResult(lg.first(), new Gnn.TrainState(Optim.applyUpdates(state.params(), u.first()), u.second()));
        });
    Gnn.Params params = Gnn.init(k.second());
    Gnn.TrainState state = new Gnn.TrainState(params, opt.init(params));
    step.apply(state, graph);
    profile(Transforms.jitInfo(step).graphs().get(0), List.of(state, graph), runs, rows);
  }

  private static void profile(CompiledGraph g, Object args, int runs, int rows) {
    CpuExecutable exe = CpuExecutable.compile(g.jaxpr().dce(), "off");
    List<CpuBuffer> in = new ArrayList<>();
    for (Array c : g.consts()) in.add((CpuBuffer) c.buffer());
    for (Array leaf : Tree.leaves(args)) in.add((CpuBuffer) leaf.buffer());
    CpuBuffer[] inputs = in.toArray(CpuBuffer[]::new);
    boolean cpu = Boolean.getBoolean("probe.cpu");
    exe.profile(inputs, runs, cpu); // warm-up
    long[] nanos = exe.profile(inputs, runs, cpu);
    List<String> sigs = exe.stepSignatures();
    Map<String, long[]> bySig = new LinkedHashMap<>();
    Map<String, long[]> byName = new LinkedHashMap<>();
    long total = 0;
    for (int i = 0; i < nanos.length; i++) {
      bySig.computeIfAbsent(sigs.get(i), k -> new long[2])[0] += nanos[i];
      bySig.get(sigs.get(i))[1]++;
      String name = exe.stepNames().get(i).startsWith("fused") ? "fused[...]" : exe.stepNames().get(i);
      byName.computeIfAbsent(name, k -> new long[2])[0] += nanos[i];
      byName.get(name)[1]++;
      total += nanos[i];
    }
    System.out.printf("%d steps, %.2f ms per run (interpreter, %s)%n", nanos.length, total / 1e6 / runs,
        cpu ? "thread CPU" : "wall");
    print(byName, total, runs, rows);
    print(bySig, total, runs, rows);
  }

  private static void print(Map<String, long[]> m, long total, int runs, int rows) {
    System.out.printf("%8s %6s %5s  %s%n", "ms/run", "share", "count", "step");
    m.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(rows)
        .forEach(e -> System.out.printf("%8.3f %5.1f%% %5d  %s%n", e.getValue()[0] / 1e6 / runs,
            100.0 * e.getValue()[0] / total, e.getValue()[1], e.getKey()));
  }
}
