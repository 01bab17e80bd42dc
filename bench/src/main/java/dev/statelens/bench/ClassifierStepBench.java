package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Key;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.examples.Classifier;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The classifier example's jitted Adam step (2 -> 32 -> 32 -> 2 ReLU, 256 points, softmax
 * cross-entropy with integer labels), and an embedding lookup ({@code [8192, 64]} table, 512
 * tokens) as a {@code gather} against the one-hot matmul users wrote without {@code take}, each
 * forward and with its gradient ({@code scatter_add} for the gather).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ClassifierStepBench extends EngineBench {
  static final int VOCAB = 8192;
  static final int DIM = 64;
  static final int TOKENS = 512;

  private Classifier classifier;
  private Classifier.TrainState state;
  private Classifier.Batch batch;
  private Array table;
  private Array tokens;
  private Array weights;
  private BiFunction<Array, Array, Array> gather;
  private BiFunction<Array, Array, Array> oneHot;
  private BiFunction<Array, Array, Array> gatherGrad;
  private BiFunction<Array, Array, Array> oneHotGrad;

  @Setup
  public void setup() {
    Pair<Key, Key> k = Random.split(Random.key(Classifier.SEED));
    classifier = new Classifier();
    batch = Classifier.twoMoons(k.first());
    state = classifier.initState(Classifier.init(k.second()));
    classifier.step(state, batch); // trace + compile outside the measurement

    table = Random.normal(Random.key(1), VOCAB, DIM);
    tokens = Random.randint(Random.key(2), new int[] {TOKENS}, 0, VOCAB);
    weights = Random.normal(Random.key(3), TOKENS, DIM);
    gather = Transforms.jit((Array t, Array i) -> t.take(i, 0));
    oneHot = Transforms.jit((Array t, Array i) -> Nn.oneHot(i, VOCAB).matmul(t));
    gatherGrad = Transforms.jit(Transforms.grad((Array t, Array i) -> t.take(i, 0).mul(weights).sum()));
    oneHotGrad = Transforms.jit(Transforms.grad((Array t, Array i) -> Nn.oneHot(i, VOCAB).matmul(t).mul(weights).sum()));
    for (BiFunction<Array, Array, Array> f : java.util.List.of(gather, oneHot, gatherGrad, oneHotGrad)) {
      f.apply(table, tokens);
    }
    if (!Array.allClose(gather.apply(table, tokens), oneHot.apply(table, tokens), 1e-6, 1e-6)
        || !Array.allClose(gatherGrad.apply(table, tokens), oneHotGrad.apply(table, tokens), 1e-5, 1e-5)) {
      throw new IllegalStateException("gather and one-hot matmul disagree");
    }
    if (tokens.dtype() != DType.I32) {
      throw new IllegalStateException("tokens must be i32");
    }
  }

  @Benchmark
  public Classifier.StepResult jittedAdamStep() {
    return classifier.step(state, batch);
  }

  @Benchmark
  public Array embeddingGather() {
    return gather.apply(table, tokens);
  }

  @Benchmark
  public Array embeddingOneHotMatmul() {
    return oneHot.apply(table, tokens);
  }

  @Benchmark
  public Array embeddingGatherGrad() {
    return gatherGrad.apply(table, tokens);
  }

  @Benchmark
  public Array embeddingOneHotMatmulGrad() {
    return oneHotGrad.apply(table, tokens);
  }
}
