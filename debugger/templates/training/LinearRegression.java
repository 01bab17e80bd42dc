package training;

import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
import java.util.function.BiFunction;

/**
 * Linear regression from JAX's "Stateful computations" tutorial, in explicit-state style: everything
 * that changes from step to step (the parameters and the optimizer's state) is one value,
 * {@link TrainState}, that goes into the jitted step and comes back out. No field is written inside
 * the step, so it does under {@code jit} exactly what it does without it.
 *
 * <p>Run As &gt; StateLens Training records every step: the State Flow view shows
 * {@code state.params.weight} flowing from step to step and charts the loss.
 */
public final class LinearRegression {

  /** The model: {@code y = weight * x + bias}. */
  public record Params(Array weight, Array bias) {}

  /** The training data: inputs {@code x [n, 1]} and targets {@code y [n, 1]}. */
  public record Batch(Array x, Array y) {}

  /** Everything that changes from step to step. */
  public record TrainState(Params params, Optim.OptState<Params> optState) {}

  /** What a step returns: the loss before the update (recorded as the run's loss) and the new state. */
  public record StepResult(Array loss, TrainState state) {}

  static final int STEPS = 200;
  static final int SAMPLES = 128;

  /** Mean squared error of {@code weight * x + bias} against {@code y}. */
  static Array loss(Params params, Batch batch) {
    Array prediction = params.weight().mul(batch.x()).add(params.bias());
    return prediction.sub(batch.y()).square().mean();
  }

  /** 128 points around {@code y = 2x - 1} with noise, as in the tutorial. */
  static Batch data(Key key) {
    Pair<Key, Key> keys = Random.split(key);
    Array x = Random.normal(keys.first(), SAMPLES, 1);
    Array noise = Random.normal(keys.second(), SAMPLES, 1).mul(0.5);
    return new Batch(x, x.mul(2).sub(1).add(noise));
  }

  /** Weight and bias drawn from N(0, 1). */
  static Params init(Key key) {
    Pair<Key, Key> keys = Random.split(key);
    return new Params(Random.normal(keys.first()), Random.normal(keys.second()));
  }

  public static void main(String[] args) {
    Pair<Key, Key> keys = Random.split(Random.key(42)); // one key for the data, one for the init
    Batch batch = data(keys.first());
    Params params = init(keys.second());

    Optim.Optimizer optimizer = Optim.sgd(0.05);
    BiFunction<Params, Batch, Pair<Array, Params>> lossAndGrad = Transforms.valueAndGrad(LinearRegression::loss);
    // step(state, batch) -> (loss, new state): traced once, then replayed for every call
    BiFunction<TrainState, Batch, StepResult> step = Transforms.jit("step", (TrainState state, Batch b) -> {
      Pair<Array, Params> lossAndGrads = lossAndGrad.apply(state.params(), b);
      var update = optimizer.update(lossAndGrads.second(), state.optState(), state.params());
      Params updated = Optim.applyUpdates(state.params(), update.first());
      return new StepResult(lossAndGrads.first(), new TrainState(updated, update.second()));
    });
    Recorder.argNames(step, "state", "batch"); // recorded leaves read state.params.weight, batch.x

    TrainState state = new TrainState(params, optimizer.init(params));
    for (int i = 0; i < STEPS; i++) {
      StepResult result = step.apply(state, batch);
      state = result.state(); // the new state goes into the next call
      if (i % 50 == 0) {
        System.out.printf("step %3d  loss %.4f%n", i, result.loss().item());
      }
    }
    Params fitted = state.params();
    System.out.printf("fitted: weight %.3f, bias %.3f (true: 2, -1)%n",
        fitted.weight().item(), fitted.bias().item());
  }
}
