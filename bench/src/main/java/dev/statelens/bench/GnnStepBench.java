package dev.statelens.bench;

import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.examples.Gnn;

/**
 * The gnn example's jitted Adam step (200 nodes, 800 edges, 2 message-passing layers) in thread
 * CPU time, to set beside the same step in JAX ({@code bench/port/gnn_timing.py}); see
 * docs/benchmarks.md, "Ported programs". Run single-threaded, as the JAX side is:
 *
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 \
 *   -cp bench/target/benchmarks.jar dev.statelens.bench.GnnStepBench [warm-up steps]</pre>
 *
 * <p>An argument runs that many steps first: some kernels are compiled late (after ~1,000 steps).
 */
public final class GnnStepBench {
  private GnnStepBench() {}

  public static void main(String[] args) {
    Pair<Key, Key> k = Random.split(Random.key(Gnn.SEED));
    Gnn.Graph graph = Gnn.graph(k.first());
    Gnn gnn = new Gnn();
    Gnn.TrainState state = gnn.initState(Gnn.init(k.second()));
    int warm = args.length > 0 ? Integer.parseInt(args[0]) : 0; // extra warm-up steps (HotSpot's late compiles)
    for (int i = 0; i < warm; i++) {
      gnn.step(state, graph);
    }
    double[] t = CpuTimeProbe.measure(() -> gnn.step(state, graph), 300, 5);
    System.out.printf("gnn step: %.1f us wall, %.1f us CPU per step (best of 5 rounds of 300)%n", t[0] / 1e3, t[1] / 1e3);
  }
}
