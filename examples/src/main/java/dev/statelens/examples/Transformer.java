package dev.statelens.examples;

import dev.statelens.engine.Array;
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
 * A tiny GPT: a character-level causal language model on {@link TinyCorpus}, written as a JAX
 * user writes one with flax's math as plain functions. Token and learned position embeddings,
 * {@link #LAYERS} pre-LayerNorm blocks of multi-head causal self-attention
 * ({@link Nn#dotProductAttention} with {@code isCausal}) and a GELU MLP, a final LayerNorm and an
 * untied output head, trained on the mean softmax cross-entropy of the next character (integer
 * labels) with Muon for the blocks' matrices and AdamW for the rest ({@link #optimizer()}). The
 * parameters are a pytree of records and a {@code List} of blocks; the whole training state goes
 * through one jitted {@code transformer_step(state, batch)}, so a recording shows
 * {@code state.params.blocks[0].attention.query.w} and its optimizer state flowing step to step. Batches are windows of the text drawn with {@code foldIn(dataKey, step)}: step
 * {@code i}'s batch depends on {@code i} alone, so a resumed run sees the batches an
 * uninterrupted one would.
 */
public final class Transformer {

  /** {@code x @ w + b}. */
  public record Dense(Array w, Array b) {}

  /** A LayerNorm's per-feature scale (init 1) and bias (init 0). */
  public record Norm(Array scale, Array bias) {}

  /** Multi-head self-attention: the query, key and value projections and the output projection. */
  public record Attention(Dense query, Dense key, Dense value, Dense out) {}

  /** The MLP of a block: {@code down(gelu(up(x)))}, {@code MLP_RATIO} times wider inside. */
  public record Mlp(Dense up, Dense down) {}

  /** One pre-LayerNorm block: {@code x += attention(norm1(x)); x += mlp(norm2(x))}. */
  public record Block(Norm norm1, Attention attention, Norm norm2, Mlp mlp) {}

  public record Params(Array tokenEmbedding, Array positionEmbedding, List<Block> blocks, Norm finalNorm,
      Dense head) {}

  /** Token windows {@code x [B, T]} and the next tokens {@code y [B, T]} (both I32: y is x shifted by one). */
  public record Batch(Array x, Array y) {}

  public record TrainState(Params params, Optim.OptState<Params> optState) {}

  /** A step's loss (before the update) and the new state. */
  public record StepResult(Array loss, TrainState state) {}

  public static final int CONTEXT = 32;
  public static final int WIDTH = 48;
  public static final int HEADS = 4;
  public static final int LAYERS = 2;
  public static final int MLP_RATIO = 4;
  public static final int BATCH = 16;
  /** Muon's rate, for the blocks' matrices. */
  public static final double MUON_LEARNING_RATE = 0.02;
  /** AdamW's rate, for the embeddings, the head, the biases and the LayerNorms. */
  public static final double ADAM_LEARNING_RATE = 3e-3;
  public static final double WEIGHT_DECAY = 1e-4;
  public static final int STEPS = 300;
  public static final long SEED = 0;

  /** GPT-2's initialisation: N(0, 0.02²) for every matrix and embedding. */
  private static final Initializer SMALL_NORMAL = Init.normal(0.02);

  private final Optim.Optimizer optimizer;
  private final BiFunction<TrainState, Batch, StepResult> step;
  private final BiFunction<Key, Array, Batch> sample;
  private final BiFunction<Params, Array, Array> logits;
  private final Array text = TinyCorpus.encode(TinyCorpus.TEXT);

  /** Trained with {@link #optimizer()}. */
  public Transformer() {
    this(optimizer());
  }

  /** Trained with {@code optimizer} instead (the benchmarks compare AdamW alone). */
  public Transformer(Optim.Optimizer optimizer) {
    this.optimizer = optimizer;
    BiFunction<Params, Batch, Pair<Array, Params>> lossAndGrad = Transforms.valueAndGrad(Transformer::loss);
    this.step = Transforms.jit("transformer_step", (TrainState state, Batch batch) -> {
      Pair<Array, Params> lg = lossAndGrad.apply(state.params(), batch);
      var u = optimizer.update(lg.second(), state.optState(), state.params());
      return new StepResult(lg.first(), new TrainState(Optim.applyUpdates(state.params(), u.first()), u.second()));
    });
    Recorder.argNames(step, "state", "batch");
    this.sample = Transforms.jit("sample_batch", Transformer::sampleBatch);
    this.logits = Transforms.jit("transformer_logits", Transformer::predict);
  }

  /**
   * {@code optax.contrib.muon}: the blocks' matrices get Newton–Schulz-orthogonalised momentum at
   * rate 0.02, every other leaf AdamW at 3e-3 (the embeddings and the head too: optax's {@code None}
   * dimension numbers, as Muon's authors advise). From seed 0 it reaches a loss of about 0.5 in
   * 300 steps where AdamW alone (3e-3) is at about 1.5 (docs/decisions.md).
   */
  public static Optim.Optimizer optimizer() {
    return Optim.muon(MUON_LEARNING_RATE, Optim.MuonOptions.defaults()
        .withAdam(0.9, 0.999, 0, WEIGHT_DECAY, ADAM_LEARNING_RATE)
        .withMuonLeaves(path -> path.startsWith("blocks")));
  }

  public static int vocabSize() {
    return TinyCorpus.VOCAB.length();
  }

  /**
   * {@link #BATCH} windows of {@link #CONTEXT} tokens at uniformly drawn offsets of {@code text}
   * (i32 token ids), and the same windows one token later as the labels.
   */
  public static Batch sampleBatch(Key key, Array text) {
    Array start = Random.randint(key, new int[] {BATCH, 1}, 0, text.dim(0) - CONTEXT);
    Array at = start.add(Array.arange(CONTEXT).reshape(1, CONTEXT)); // [B, T]
    return new Batch(text.take(at, 0), text.take(at.add(1), 0));
  }

  public static Params init(Key key) {
    List<Key> k = Random.split(key, LAYERS + 3);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < LAYERS; i++) {
      blocks.add(block(k.get(i)));
    }
    int v = vocabSize();
    return new Params(SMALL_NORMAL.init(k.get(LAYERS), v, WIDTH), SMALL_NORMAL.init(k.get(LAYERS + 1), CONTEXT, WIDTH),
        List.copyOf(blocks), norm(), dense(k.get(LAYERS + 2), WIDTH, v));
  }

  private static Block block(Key key) {
    List<Key> k = Random.split(key, 6);
    Attention attention = new Attention(dense(k.get(0), WIDTH, WIDTH), dense(k.get(1), WIDTH, WIDTH),
        dense(k.get(2), WIDTH, WIDTH), dense(k.get(3), WIDTH, WIDTH));
    return new Block(norm(), attention, norm(), new Mlp(dense(k.get(4), WIDTH, MLP_RATIO * WIDTH),
        dense(k.get(5), MLP_RATIO * WIDTH, WIDTH)));
  }

  private static Dense dense(Key key, int in, int out) {
    return new Dense(SMALL_NORMAL.init(key, in, out), Array.zeros(out));
  }

  private static Norm norm() {
    return new Norm(Array.ones(WIDTH), Array.zeros(WIDTH));
  }

  /** The next-token logits {@code [B, T, vocab]} of token windows {@code x [B, T]} (T at most CONTEXT). */
  public static Array predict(Params p, Array x) {
    int t = x.dim(1);
    Array h = p.tokenEmbedding().take(x, 0).add(p.positionEmbedding().sliceAxis(0, 0, t)); // [B, T, W]
    for (Block b : p.blocks()) {
      h = h.add(attend(b.attention(), layerNorm(b.norm1(), h)));
      h = h.add(apply(b.mlp().down(), Nn.gelu(apply(b.mlp().up(), layerNorm(b.norm2(), h)))));
    }
    return apply(p.head(), layerNorm(p.finalNorm(), h));
  }

  /** Causal multi-head self-attention: {@code [B, T, W]} split into {@link #HEADS} heads of {@code W / HEADS}. */
  private static Array attend(Attention a, Array h) {
    int batch = h.dim(0);
    int t = h.dim(1);
    int[] heads = {batch, t, HEADS, WIDTH / HEADS};
    Array q = apply(a.query(), h).reshape(heads);
    Array k = apply(a.key(), h).reshape(heads);
    Array v = apply(a.value(), h).reshape(heads);
    Array mixed = Nn.dotProductAttention(q, k, v, null, null, null, true); // [B, T, N, H]
    return apply(a.out(), mixed.reshape(batch, t, WIDTH));
  }

  private static Array apply(Dense d, Array x) {
    return x.matmul(d.w()).add(d.b());
  }

  private static Array layerNorm(Norm n, Array x) {
    return Nn.layerNorm(x, n.scale(), n.bias(), 1e-5);
  }

  /** The mean cross-entropy of the next character, over every position of every window. */
  public static Array loss(Params p, Batch batch) {
    return Nn.softmaxCrossEntropy(predict(p, batch.x()), batch.y()).mean();
  }

  public TrainState initState(Params params) {
    return new TrainState(params, optimizer.init(params));
  }

  public StepResult step(TrainState state, Batch batch) {
    return step.apply(state, batch);
  }

  /** Step {@code i}'s batch: drawn with {@code foldIn(dataKey, i)} (jitted). */
  public Batch batch(Key dataKey, int i) {
    return sample.apply(Random.foldIn(dataKey, i), text);
  }

  /** {@link #SEED}'s key split in three: the init's, the batches' and the sampler's. */
  private static List<Key> seedKeys() {
    return Random.split(Random.key(SEED), 3);
  }

  /** The key {@code --temperature} sampling draws from ({@link #SEED}'s third). */
  public static Key sampleKey() {
    return seedKeys().get(2);
  }

  /** A training run: the losses every {@code every} steps and the final state. */
  public record History(int[] steps, double[] losses, TrainState finalState) {
    public double first() {
      return losses[0];
    }

    public double last() {
      return losses[losses.length - 1];
    }
  }

  public History train(int steps, int every, StepLog onLog) {
    try {
      return train(steps, every, onLog, TrainingCheckpoints.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // NONE does no I/O
    }
  }

  /**
   * Trains from seed {@link #SEED} (its first key initialises, its second draws the batches) for
   * {@code steps} steps, resumed from and saved to {@code checkpoints}.
   */
  public History train(int steps, int every, StepLog onLog, TrainingCheckpoints checkpoints) throws IOException {
    List<Key> keys = seedKeys();
    Key dataKey = keys.get(1);
    TrainingCheckpoints.Start<TrainState> start = checkpoints.resume(initState(init(keys.get(0))), steps);
    TrainState state = start.state();
    List<Integer> at = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    for (int i = start.step(); i < steps; i++) {
      StepResult r = step(state, batch(dataKey, i));
      state = r.state();
      if (i % every == 0 || i == steps - 1) {
        at.add(i);
        losses.add(r.loss().item());
        onLog.log(i, losses.getLast());
      }
      checkpoints.stepDone(i + 1, state);
    }
    checkpoints.finished(steps, state);
    return new History(at.stream().mapToInt(Integer::intValue).toArray(),
        losses.stream().mapToDouble(Double::doubleValue).toArray(), state);
  }

  /**
   * {@code prompt} continued by {@code length} characters: each the most likely next one
   * ({@code temperature} 0) or drawn from the softmax of the logits divided by {@code temperature}
   * with {@code foldIn(key, i)}. The model sees the last {@link #CONTEXT} characters, left-aligned
   * in a fixed window (padding after them is never attended to: the mask is causal), so one trace
   * serves every length.
   */
  public String generate(Params params, String prompt, int length, double temperature, Key key) {
    if (prompt.isEmpty()) {
      throw new IllegalArgumentException("generate: the prompt is empty; give at least one character, e.g. \"It was \"");
    }
    StringBuilder text = new StringBuilder(prompt);
    for (int i = 0; i < length; i++) {
      String window = text.substring(Math.max(0, text.length() - CONTEXT));
      int[] ids = new int[CONTEXT];
      System.arraycopy(TinyCorpus.encode(window).toIntArray(), 0, ids, 0, window.length());
      Array last = logits.apply(params, Array.of(ids).reshape(1, CONTEXT))
          .sliceAxis(1, window.length() - 1, window.length()).reshape(vocabSize());
      int next = temperature == 0 ? (int) last.argmax(0).item()
          : (int) Random.categorical(Random.foldIn(key, i), last.div(temperature)).item();
      text.append(TinyCorpus.VOCAB.charAt(next));
    }
    return text.toString();
  }
}
