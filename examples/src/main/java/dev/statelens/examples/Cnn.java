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
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A small CNN, as a flax user writes one, telling horizontal from vertical bars: 16 x 16 images
 * drawn with explicit PRNG keys (a two-pixel bar at a random row or column, on Gaussian noise),
 * {@code conv 3x3 (1 -> 8) -> relu -> max pool 2x2 -> conv 3x3 (8 -> 16) -> relu -> max pool 2x2
 * -> global average -> dense (16 -> 2)}, NHWC activations and HWIO kernels, trained with Adam on
 * the mean softmax cross-entropy. No linear model can do it (the sum of the horizontal bars is
 * the sum of the vertical ones); the convolutions find the edges. The training state is one
 * pytree through one jitted step, so a recording shows {@code state.params.conv1.w} and the Adam
 * moments flowing step to step.
 */
public final class Cnn {

  /** A convolution's HWIO kernel and its bias (one per output channel). */
  public record Conv(Array w, Array b) {}

  /** The output layer: {@code x @ w + b}. */
  public record Dense(Array w, Array b) {}

  public record Params(Conv conv1, Conv conv2, Dense out) {}

  /** Images {@code x [n, 16, 16, 1]} (F32) and classes {@code y [n]} (I32: 0 horizontal, 1 vertical). */
  public record Batch(Array x, Array y) {}

  public record TrainState(Params params, Optim.OptState<Params> optState) {}

  /** A step's loss and training accuracy (before the update) and the new state. */
  public record StepResult(Array loss, Array accuracy, TrainState state) {}

  public static final int SIZE = 16;
  public static final int BAR = 2;
  public static final int SAMPLES = 128;
  public static final double NOISE = 0.3;
  public static final int CHANNELS1 = 8;
  public static final int CHANNELS2 = 16;
  public static final int CLASSES = 2;
  public static final double LEARNING_RATE = 0.01;
  public static final int STEPS = 100;
  public static final long SEED = 0;

  private static final Initializer HE = Init.heNormal();

  private final Optim.Optimizer optimizer = Optim.adam(LEARNING_RATE);
  private final BiFunction<TrainState, Batch, StepResult> step;
  private final BiFunction<Params, Batch, Array> accuracy;

  public Cnn() {
    BiFunction<Params, Batch, Pair<Array, Params>> lossAndGrad = Transforms.valueAndGrad(Cnn::loss);
    this.step = Transforms.jit("cnn_step", (TrainState state, Batch batch) -> {
      Pair<Array, Params> lg = lossAndGrad.apply(state.params(), batch);
      var u = optimizer.update(lg.second(), state.optState(), state.params());
      Array acc = Classifier.accuracyOf(predict(state.params(), batch.x()), batch.y());
      return new StepResult(lg.first(), acc, new TrainState(Optim.applyUpdates(state.params(), u.first()), u.second()));
    });
    Recorder.argNames(step, "state", "batch");
    this.accuracy = Transforms.jit("cnn_accuracy", (Params p, Batch b) ->
        Classifier.accuracyOf(predict(p, b.x()), b.y()));
  }

  /**
   * {@code n} images alternating horizontal (even rows of the batch) and vertical bars, each at a
   * uniformly drawn offset in {@code [0, SIZE - BAR]}, plus N(0, NOISE²) pixel noise.
   */
  public static Batch bars(Key key, int n) {
    List<Key> k = Random.split(key, 2);
    Array at = Random.randint(k.get(0), new int[] {n, 1}, 0, SIZE - BAR + 1);
    Array pos = Array.arange(SIZE).reshape(1, SIZE);
    Array line = pos.ge(at).logicalAnd(pos.lt(at.add(BAR))).astype(DType.F32); // [n, SIZE]
    Array horizontal = line.reshape(n, SIZE, 1).broadcastTo(n, SIZE, SIZE);
    Array vertical = line.reshape(n, 1, SIZE).broadcastTo(n, SIZE, SIZE);
    Array y = Array.arange(n).rem(2);
    Array img = Array.where(y.eq(0).reshape(n, 1, 1), horizontal, vertical);
    Array x = img.add(Random.normal(k.get(1), n, SIZE, SIZE).mul(NOISE)).reshape(n, SIZE, SIZE, 1);
    return new Batch(x, y);
  }

  /** He-normal kernels (fans from HWIO: in = KH*KW*C), zero biases. */
  public static Params init(Key key) {
    List<Key> k = Random.split(key, 3);
    return new Params(
        new Conv(HE.init(k.get(0), 3, 3, 1, CHANNELS1), Array.zeros(CHANNELS1)),
        new Conv(HE.init(k.get(1), 3, 3, CHANNELS1, CHANNELS2), Array.zeros(CHANNELS2)),
        new Dense(HE.init(k.get(2), CHANNELS2, CLASSES), Array.zeros(CLASSES)));
  }

  /** The logits {@code [n, CLASSES]}. */
  public static Array predict(Params p, Array x) {
    int[] one = {1, 1};
    int[] two = {2, 2};
    Array h = Nn.relu(Nn.conv2d(x, p.conv1().w(), one, "SAME").add(p.conv1().b()));   // [n, 16, 16, 8]
    h = Nn.maxPool(h, two, two, "VALID");                                             // [n, 8, 8, 8]
    h = Nn.relu(Nn.conv2d(h, p.conv2().w(), one, "SAME").add(p.conv2().b()));         // [n, 8, 8, 16]
    h = Nn.maxPool(h, two, two, "VALID");                                             // [n, 4, 4, 16]
    Array features = h.mean(1, 2);                                                    // [n, 16]
    return features.matmul(p.out().w()).add(p.out().b());
  }

  public static Array loss(Params p, Batch batch) {
    return Nn.softmaxCrossEntropy(predict(p, batch.x()), batch.y()).mean();
  }

  public TrainState initState(Params params) {
    return new TrainState(params, optimizer.init(params));
  }

  public StepResult step(TrainState state, Batch batch) {
    return step.apply(state, batch);
  }

  /** The accuracy of {@code params} on {@code batch} (jitted). */
  public double accuracy(Params params, Batch batch) {
    return accuracy.apply(params, batch).item();
  }

  /** A training run: losses and training accuracies every {@code every} steps, and the test accuracy. */
  public record History(int[] steps, double[] losses, double[] accuracies, TrainState finalState,
      double initialTestAccuracy, double finalTestAccuracy) {}

  public History train(int steps, int every, Classifier.Progress onLog) {
    try {
      return train(steps, every, onLog, TrainingCheckpoints.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // NONE does no I/O
    }
  }

  /**
   * Trains from seed {@link #SEED} (one key split into the training set's, a held-out test set's
   * and the init's) for {@code steps} full-batch steps, resumed from and saved to
   * {@code checkpoints}; the test accuracy is measured before and after, on images the model
   * never trained on.
   */
  public History train(int steps, int every, Classifier.Progress onLog, TrainingCheckpoints checkpoints)
      throws IOException {
    List<Key> k = Random.split(Random.key(SEED), 3);
    Batch train = bars(k.get(0), SAMPLES);
    Batch test = bars(k.get(1), SAMPLES);
    Params initial = init(k.get(2));
    double before = accuracy(initial, test);
    TrainingCheckpoints.Start<TrainState> start = checkpoints.resume(initState(initial), steps);
    TrainState state = start.state();
    List<Integer> at = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    List<Double> accs = new ArrayList<>();
    for (int i = start.step(); i < steps; i++) {
      StepResult r = step(state, train);
      state = r.state();
      if (i % every == 0 || i == steps - 1) {
        at.add(i);
        losses.add(r.loss().item());
        accs.add(r.accuracy().item());
        onLog.log(i, losses.getLast(), accs.getLast());
      }
      checkpoints.stepDone(i + 1, state);
    }
    checkpoints.finished(steps, state);
    return new History(at.stream().mapToInt(Integer::intValue).toArray(),
        losses.stream().mapToDouble(Double::doubleValue).toArray(),
        accs.stream().mapToDouble(Double::doubleValue).toArray(), state, before, accuracy(state.params(), test));
  }
}
