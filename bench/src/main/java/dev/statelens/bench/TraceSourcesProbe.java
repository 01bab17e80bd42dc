package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.examples.Transformer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.BiFunction;

/**
 * What tracing costs: the transformer example's step ({@code transformer_step}: loss, its gradient
 * and the Muon + AdamW update, about 2,150 equations) traced to a jaxpr with
 * {@code Transforms.makeJaxpr}, no compile, no run; and, for scale, the first call of a fresh jit
 * of that step (trace, compile, run: what a user waits for). Thread CPU time per trace, best of 10 rounds of
 * 5 traces after 10 warm-up traces (the box is shared). Depends on the engine, the examples and the
 * JDK only, so it runs from source against two engine jars to compare them (the source positions
 * each equation keeps, docs/benchmarks.md):
 *
 * <pre>java -cp engine-before.jar:examples.jar bench/src/main/java/dev/statelens/bench/TraceSourcesProbe.java
 * java -cp engine-after.jar:examples.jar  bench/src/main/java/dev/statelens/bench/TraceSourcesProbe.java</pre>
 */
public final class TraceSourcesProbe {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  private TraceSourcesProbe() {}

  public static void main(String[] args) {
    Transformer model = new Transformer();
    Transformer.TrainState state = model.initState(Transformer.init(Random.key(Transformer.SEED)));
    Transformer.Batch batch = model.batch(Random.key(1), 0);
    Optim.Optimizer optimizer = Transformer.optimizer();
    BiFunction<Transformer.Params, Transformer.Batch, Pair<Array, Transformer.Params>> lossAndGrad =
        Transforms.valueAndGrad(Transformer::loss);
    BiFunction<Transformer.TrainState, Transformer.Batch, Object> step = (s, b) -> { // Transformer's own step body
      Pair<Array, Transformer.Params> lg = lossAndGrad.apply(s.params(), b);
      var u = optimizer.update(lg.second(), s.optState(), s.params());
      return new Transformer.StepResult(lg.first(),
          new Transformer.TrainState(Optim.applyUpdates(s.params(), u.first()), u.second()));
    };
    Jaxpr graph = null;
    for (int i = 0; i < 10; i++) {
      graph = Transforms.makeJaxpr(step, state, batch);
    }
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 10; round++) {
      long c0 = MX.getCurrentThreadCpuTime();
      for (int i = 0; i < 5; i++) {
        graph = Transforms.makeJaxpr(step, state, batch);
      }
      best = Math.min(best, (MX.getCurrentThreadCpuTime() - c0) / 5e6);
    }
    double firstCall = Double.MAX_VALUE; // what a user waits for: a fresh jit's trace, compile and run
    for (int round = 0; round < 5; round++) {
      Transformer fresh = new Transformer();
      long c0 = MX.getCurrentThreadCpuTime();
      fresh.step(state, batch);
      firstCall = Math.min(firstCall, (MX.getCurrentThreadCpuTime() - c0) / 1e6);
    }
    System.out.printf("trace transformer_step (%,d equations): %.1f ms CPU per trace (best of 10 rounds of 5);"
        + " first call of a fresh jit (trace, compile, run): %.0f ms CPU (best of 5)%n", graph.eqns().size(), best,
        firstCall);
  }
}
