package dev.statelens.examples;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Init;
import dev.statelens.engine.Initializer;
import dev.statelens.engine.Key;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Schedule;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A classifier as a JAX user writes one: the two-moons dataset drawn with explicit PRNG keys, a
 * ReLU MLP ({@code 2 -> 32 -> 32 -> 2}) trained on the mean softmax cross-entropy with integer
 * labels ({@link Nn#softmaxCrossEntropy}: the label's logit is a {@code gather}, its gradient a
 * {@code scatter_add}) by the optimizer a JAX user writes today: {@code optax.chain(
 * clip_by_global_norm(1.0), adamw(warmup_cosine_decay_schedule(...)))}. The whole training state
 * is one pytree ({@link TrainState}) that goes into the jitted step and comes back out, so a
 * recording shows {@code state.params.hidden1.w} and {@code state.optState[1].mu.out.b} (the
 * chain's second part, AdamW; the clip has no state) flowing step to step, and the step's
 * {@code loss} and {@code accuracy} as leaves.
 */
public final class Classifier {

  /** One dense layer: {@code x @ w + b}. */
  public record Dense(Array w, Array b) {}

  /** The model: {@code out(relu(hidden2(relu(hidden1(x)))))}, logits of the two classes. */
  public record Params(Dense hidden1, Dense hidden2, Dense out) {}

  /** Points {@code x [n,2]} (F32) and their classes {@code y [n]} (I32, 0 or 1). */
  public record Batch(Array x, Array y) {}

  /** Everything that changes from step to step. */
  public record TrainState(Params params, Optim.OptState<Params> optState) {}

  /** A step's result: loss and accuracy before the update, and the new state. */
  public record StepResult(Array loss, Array accuracy, TrainState state) {}

  public static final int SAMPLES = 256;
  public static final int HIDDEN = 32;
  public static final int CLASSES = 2;
  public static final double NOISE = 0.1;
  /** The learning rate the warmup reaches; the cosine decays it to {@link #END_LEARNING_RATE}. */
  public static final double PEAK_LEARNING_RATE = 0.01;
  public static final int WARMUP_STEPS = 50;
  public static final double END_LEARNING_RATE = 1e-4;
  /** Gradients whose global norm exceeds this are scaled down to it (from key 0 the first ~10 steps', about 2). */
  public static final double CLIP_NORM = 1.0;
  /** The default run's length, and the schedule's: the cosine reaches its end at this step. */
  public static final int STEPS = 1000;
  public static final long SEED = 0;

  private final Optim.Optimizer optimizer;
  private final BiFunction<TrainState, Batch, StepResult> step;
  private final BiFunction<Params, Batch, Array> accuracy;

  public Classifier() {
    this.optimizer = optimizer();
    BiFunction<Params, Batch, Pair<Array, Params>> lossAndGrad = Transforms.valueAndGrad(Classifier::loss);
    this.step = Transforms.jit("classify_step", (TrainState state, Batch batch) -> {
      Pair<Array, Params> lg = lossAndGrad.apply(state.params(), batch);
      var u = optimizer.update(lg.second(), state.optState(), state.params());
      Params params = Optim.applyUpdates(state.params(), u.first());
      Array acc = accuracyOf(predict(state.params(), batch.x()), batch.y());
      return new StepResult(lg.first(), acc, new TrainState(params, u.second()));
    });
    Recorder.argNames(step, "state", "batch"); // in and out leaves read state.params.hidden1.w
    this.accuracy = Transforms.jit("accuracy", (Params p, Batch b) -> accuracyOf(predict(p, b.x()), b.y()));
  }

  /**
   * {@code chain(clipByGlobalNorm(1), adamw(warmupCosineDecay(0, 0.01, 50, 1000, 1e-4)))}: the
   * first update has learning rate 0 (optax's step indexing), the peak is reached at step 50 and
   * the cosine ends at {@link #STEPS}; a longer run keeps the end rate. State:
   * {@code ChainState([EmptyState, AdamState(count, mu, nu)])}.
   */
  public static Optim.Optimizer optimizer() {
    Schedule lr = Schedule.warmupCosineDecay(0, PEAK_LEARNING_RATE, WARMUP_STEPS, STEPS, END_LEARNING_RATE);
    return Optim.chain(Optim.clipByGlobalNorm(CLIP_NORM), Optim.adamw(lr));
  }

  /**
   * Two interleaving half circles ("two moons"), {@link #SAMPLES} points alternating between the
   * classes, with Gaussian noise of standard deviation {@link #NOISE}. Class 0:
   * {@code (cos t, sin t)}, class 1: {@code (1 - cos t, 0.5 - sin t)}, {@code t ~ U(0, π)}.
   */
  public static Batch twoMoons(Key key) {
    Pair<Key, Key> k = Random.split(key);
    Array t = Random.uniform(k.first(), new int[] {SAMPLES}, DType.F32, 0, Math.PI);
    Array y = Array.arange(SAMPLES).rem(2);
    Array upper = Array.stack(1, t.cos(), t.sin());
    Array lower = Array.stack(1, t.cos().rsub(1), t.sin().rsub(0.5));
    Array x = Array.where(y.eq(0).expandDims(1), upper, lower);
    return new Batch(x.add(Random.normal(k.second(), SAMPLES, 2).mul(NOISE)), y);
  }

  /**
   * He weights from a plain normal ({@code N(0, 2 / fan_in)}: JAX's
   * {@code variance_scaling(2.0, "fan_in", "normal")}; {@code he_normal} would truncate) and zero
   * biases.
   */
  public static Params init(Key key) {
    List<Key> k = Random.split(key, 3);
    return new Params(dense(k.get(0), 2, HIDDEN), dense(k.get(1), HIDDEN, HIDDEN), dense(k.get(2), HIDDEN, CLASSES));
  }

  private static final Initializer HE = Init.varianceScaling(2, Init.Mode.FAN_IN, Init.Distribution.NORMAL);

  private static Dense dense(Key key, int in, int out) {
    return new Dense(HE.init(key, in, out), Init.zeros().init(key, out));
  }

  /** The logits {@code [n, CLASSES]}. */
  public static Array predict(Params p, Array x) {
    Array h1 = Nn.relu(x.matmul(p.hidden1().w()).add(p.hidden1().b()));
    Array h2 = Nn.relu(h1.matmul(p.hidden2().w()).add(p.hidden2().b()));
    return h2.matmul(p.out().w()).add(p.out().b());
  }

  /** Mean softmax cross-entropy with integer labels (optax's per-example loss, averaged). */
  public static Array loss(Params p, Batch batch) {
    return Nn.softmaxCrossEntropy(predict(p, batch.x()), batch.y()).mean();
  }

  /** The fraction of rows whose largest logit is the label's. */
  public static Array accuracyOf(Array logits, Array labels) {
    return logits.argmax(-1).eq(labels).mean();
  }

  public TrainState initState(Params params) {
    return new TrainState(params, optimizer.init(params));
  }

  /** One jitted training step: {@code (state, batch) -> (loss, accuracy before the step, new state)}. */
  public StepResult step(TrainState state, Batch batch) {
    return step.apply(state, batch);
  }

  /** The accuracy of {@code params} on {@code batch} (jitted). */
  public double accuracy(Params params, Batch batch) {
    return accuracy.apply(params, batch).item();
  }

  /** What {@link #train} reports each {@code every} steps. */
  @FunctionalInterface
  public interface Progress {
    void log(int step, double loss, double accuracy);
  }

  /** A training run: losses and accuracies every {@code every} steps (and the last), the end state. */
  public record History(int[] steps, double[] losses, double[] accuracies, TrainState finalState, Batch data,
      double finalAccuracy) {}

  /**
   * Trains from seed {@link #SEED} (one key split into the data's and the init's) for
   * {@code steps} full-batch steps, reporting every {@code every} steps and at the last one; the
   * final accuracy is the trained parameters' on the training set.
   */
  public History train(int steps, int every, Progress onLog) {
    try {
      return train(steps, every, onLog, TrainingCheckpoints.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // NONE does no I/O
    }
  }

  /**
   * {@link #train(int, int, Progress)} resumed from and saved to {@code checkpoints}: the
   * {@link TrainState} (params and the chain's state, whose AdamW count drives the schedule) and
   * the step. A resumed run reports only the steps it runs.
   */
  public History train(int steps, int every, Progress onLog, TrainingCheckpoints checkpoints) throws IOException {
    Pair<Key, Key> k = Random.split(Random.key(SEED));
    Batch data = twoMoons(k.first());
    TrainingCheckpoints.Start<TrainState> start = checkpoints.resume(initState(init(k.second())), steps);
    TrainState state = start.state();
    List<Integer> at = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    List<Double> accs = new ArrayList<>();
    for (int i = start.step(); i < steps; i++) {
      StepResult r = step(state, data);
      state = r.state();
      if (i % every == 0 || i == steps - 1) {
        double loss = r.loss().item();
        double acc = r.accuracy().item();
        at.add(i);
        losses.add(loss);
        accs.add(acc);
        onLog.log(i, loss, acc);
      }
      checkpoints.stepDone(i + 1, state);
    }
    checkpoints.finished(steps, state);
    return new History(at.stream().mapToInt(Integer::intValue).toArray(),
        losses.stream().mapToDouble(Double::doubleValue).toArray(),
        accs.stream().mapToDouble(Double::doubleValue).toArray(), state, data,
        accuracy(state.params(), data));
  }
}
