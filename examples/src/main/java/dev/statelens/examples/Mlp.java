package dev.statelens.examples;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Key;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A two-layer MLP ({@code tanh} hidden layer) fitted to {@code sin(x)} on [-π, π] with Adam.
 * The whole training state, parameters and optimizer state, is one pytree ({@link TrainState})
 * that goes into the jitted {@link #step} and comes back out, so a recording shows
 * {@code state.params.hidden.w} and {@code state.opt_state.mu.hidden.w} flowing step to step.
 */
public final class Mlp {

  /** One dense layer: {@code x @ w + b}. */
  public record Dense(Array w, Array b) {}

  /** The model: {@code out(tanh(hidden(x)))}. */
  public record Params(Dense hidden, Dense out) {}

  /** A batch of inputs {@code x [n,1]} and targets {@code y [n,1]}. */
  public record Batch(Array x, Array y) {}

  /** Everything that changes from step to step. */
  public record TrainState(Params params, Optim.OptState<Params> optState) {}

  /**
   * What a step returns: the loss before the update and the new state. A record, so a recording
   * names the leaves {@code loss} (logged as the run's loss) and {@code state.params.hidden.w}.
   */
  public record StepResult(Array loss, TrainState state) {}

  public static final int HIDDEN = 32;
  public static final int SAMPLES = 256;
  public static final double LEARNING_RATE = 0.01;
  public static final int STEPS = 1000;
  public static final long SEED = 0;

  private final Optim.Optimizer optimizer;
  private final BiFunction<TrainState, Batch, StepResult> step;

  public Mlp(Optim.Optimizer optimizer) {
    this.optimizer = optimizer;
    BiFunction<Params, Batch, Pair<Array, Params>> lossAndGrad = Transforms.valueAndGrad(Mlp::loss);
    this.step = Transforms.jit("train_step", (TrainState state, Batch batch) -> {
      Pair<Array, Params> lg = lossAndGrad.apply(state.params(), batch);
      var u = optimizer.update(lg.second(), state.optState(), state.params());
      Params params = Optim.applyUpdates(state.params(), u.first());
      return new StepResult(lg.first(), new TrainState(params, u.second()));
    });
    Recorder.argNames(step, "state", "batch"); // in and out leaves read state.params.hidden.w
  }

  public Mlp() {
    this(Optim.adam(LEARNING_RATE));
  }

  /** {@code x ~ U(-π, π)}, {@code y = sin(x)}, both {@code [SAMPLES, 1]}. */
  public static Batch data(Key key) {
    Array x = Random.uniform(key, new int[] {SAMPLES, 1}, DType.F32, -Math.PI, Math.PI);
    return new Batch(x, x.sin());
  }

  /** Hidden weights ~ N(0,1), output weights ~ N(0, 1/HIDDEN), zero biases. */
  public static Params init(Key key) {
    Pair<Key, Key> k = Random.split(key);
    Dense hidden = new Dense(Random.normal(k.first(), 1, HIDDEN), Array.zeros(HIDDEN));
    Dense out = new Dense(Random.normal(k.second(), HIDDEN, 1).mul(1 / Math.sqrt(HIDDEN)), Array.zeros(1));
    return new Params(hidden, out);
  }

  public static Array predict(Params p, Array x) {
    Array h = x.matmul(p.hidden().w()).add(p.hidden().b()).tanh();
    return h.matmul(p.out().w()).add(p.out().b());
  }

  /** Mean squared error on the batch. */
  public static Array loss(Params p, Batch batch) {
    return predict(p, batch.x()).sub(batch.y()).square().mean();
  }

  public TrainState initState(Params params) {
    return new TrainState(params, optimizer.init(params));
  }

  /** One jitted training step: {@code (state, batch) -> (loss before the step, new state)}. */
  public StepResult step(TrainState state, Batch batch) {
    return step.apply(state, batch);
  }

  /** The losses of a training run, every {@code every} steps (and the last). */
  public record History(int[] steps, double[] losses, TrainState finalState) {
    public double first() {
      return losses[0];
    }

    public double last() {
      return losses[losses.length - 1];
    }
  }

  /**
   * Trains from seed {@link #SEED} for {@code steps} steps, keeping (and logging) the loss every
   * {@code every} steps and at the last step.
   */
  public History train(int steps, int every, StepLog onLog) {
    try {
      return train(steps, every, onLog, TrainingCheckpoints.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // NONE does no I/O
    }
  }

  /**
   * {@link #train(int, int, StepLog)} resumed from and saved to {@code checkpoints}: the
   * {@link TrainState} (params and Adam's state) and the step. A resumed run logs only the
   * steps it runs.
   */
  public History train(int steps, int every, StepLog onLog, TrainingCheckpoints checkpoints) throws IOException {
    Key key = Random.key(SEED);
    Pair<Key, Key> k = Random.split(key);
    Batch batch = data(k.first());
    TrainingCheckpoints.Start<TrainState> start = checkpoints.resume(initState(init(k.second())), steps);
    TrainState state = start.state();
    List<Integer> at = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    for (int i = start.step(); i < steps; i++) {
      StepResult r = step(state, batch);
      state = r.state();
      if (i % every == 0 || i == steps - 1) {
        double loss = r.loss().item();
        at.add(i);
        losses.add(loss);
        onLog.log(i, loss);
      }
      checkpoints.stepDone(i + 1, state);
    }
    checkpoints.finished(steps, state);
    int[] s = at.stream().mapToInt(Integer::intValue).toArray();
    double[] l = losses.stream().mapToDouble(Double::doubleValue).toArray();
    return new History(s, l, state);
  }
}
