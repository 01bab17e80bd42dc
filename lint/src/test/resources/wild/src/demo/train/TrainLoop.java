package demo.train;

import demo.util.Metrics;
import dev.statelens.engine.Array;
import dev.statelens.engine.Debug;
import dev.statelens.engine.Key;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/** A training loop as people write it: a loader, a jitted step, logging, checkpoints of the loss. */
public final class TrainLoop {
  private static final Logger LOG = Logger.getLogger(TrainLoop.class.getName());

  record Batch(Array x, Array y) {}

  record State(Model.Params params, Optim.OptState<Model.Params> opt) {}

  /** Shuffles once per epoch with its own key; yields batches. */
  static final class Loader {
    private final Array x;
    private final Array y;
    private final int batchSize;

    Loader(Array x, Array y, int batchSize) {
      this.x = x;
      this.y = y;
      this.batchSize = batchSize;
    }

    List<Batch> epoch(Key key) {
      Array order = Random.permutation(key, x.shape()[0]);
      List<Batch> out = new ArrayList<>();
      for (int start = 0; start + batchSize <= x.shape()[0]; start += batchSize) {
        Array idx = order.take(Array.arange(start, start + batchSize), 0);
        out.add(new Batch(x.take(idx, 0), y.take(idx, 0)));
      }
      return out;
    }
  }

  private final Optim.Optimizer opt = Optim.adam(1e-3);
  private final List<Array> lossHistory = new ArrayList<>();
  private int stepsTaken = 0;

  static Array loss(Model.Params p, Batch b) {
    return Model.apply(p, b.x()).sub(b.y()).square().mean();
  }

  /** The correct step: explicit state in, explicit state out. */
  Pair<Array, State> step(State s, Batch b) {
    BiFunction<Model.Params, Batch, Pair<Array, Model.Params>> vg = Transforms.valueAndGrad(TrainLoop::loss);
    Pair<Array, Model.Params> lg = vg.apply(s.params(), b);
    var u = opt.update(lg.second(), s.opt(), s.params());
    Model.Params next = Optim.applyUpdates(s.params(), u.first());
    Debug.print("loss {}", lg.first());
    return Pair.of(lg.first(), new State(next, u.second()));
  }

  /** The same step with the habits of eager code. */
  Pair<Array, State> noisyStep(State s, Batch b) {
    long t0 = System.nanoTime(); // expect SL005
    Pair<Array, State> out = step(s, b);
    System.out.println("step loss " + out.first()); // expect SL003
    LOG.info("took " + (System.nanoTime() - t0)); // expect SL003 SL005
    lossHistory.add(out.first()); // expect SL008
    stepsTaken++; // expect SL001
    return out;
  }

  void train(Array x, Array y, int epochs) {
    Loader loader = new Loader(x, y, 32);
    Key key = Random.key(0);
    var ks = Random.split(key);
    key = ks.first();
    State state = new State(Model.init(ks.second(), 1, 16), null);
    state = new State(state.params(), opt.init(state.params()));
    var fastStep = Transforms.jit(this::step);
    for (int e = 0; e < epochs; e++) {
      var eks = Random.split(key);
      key = eks.first();
      for (Batch b : loader.epoch(eks.second())) {
        Pair<Array, State> out = fastStep.apply(state, b);
        state = out.second();
        Metrics.log("loss", out.first().item()); // fine: outside jit, concrete value
      }
    }
  }

  void trainSloppy(Array x, Array y, int epochs) {
    Loader loader = new Loader(x, y, 32);
    Key key = Random.key(0);
    State state = new State(Model.init(key, 1, 16), null);
    state = new State(state.params(), opt.init(state.params()));
    for (int e = 0; e < epochs; e++) {
      for (Batch b : loader.epoch(key)) { // expect SL010
        var fastStep = Transforms.jit(this::noisyStep); // expect SL011
        state = fastStep.apply(state, b).second();
      }
    }
  }
}
