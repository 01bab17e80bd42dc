package dev.statelens.engine.port;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fn4;
import dev.statelens.engine.Init;
import dev.statelens.engine.Initializer;
import dev.statelens.engine.Key;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Schedule;
import dev.statelens.engine.Transforms;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java port of {@code bench/port/lm.py}: a tiny decoder-only transformer language model on
 * arithmetic progressions mod 16 — tied token embedding + learned positions, two pre-LayerNorm
 * blocks of causal multi-head attention ({@link Array#einsum} projections,
 * {@link Nn#dotProductAttention} with {@code isCausal}) and a gelu MLP, residual dropout 0.1 with
 * a key folded in per step, {@code chain(clip_by_global_norm(1), adamw(warmup_cosine_decay,
 * weight_decay=0.01, mask = matrices only))}, 60 steps from {@code key(3)}.
 */
final class LmPort {

  static final int VOCAB = 16, CONTEXT = 16, WIDTH = 32, HEADS = 2, LAYERS = 2, BATCH = 8;
  static final int HEAD_DIM = WIDTH / HEADS;
  static final int STEPS = 60, WARMUP = 10;
  static final double PEAK_LR = 3e-3, DROPOUT = 0.1;

  record Norm(Array scale, Array bias) {
    static Norm fresh() {
      return new Norm(Array.ones(WIDTH), Array.zeros(WIDTH));
    }

    /** The JAX program's own layer norm: {@code jnp.var} (two-pass), eps 1e-5. */
    Array apply(Array x) {
      Array mean = x.meanKeepDims(-1);
      Array variance = x.varKeepDims(-1);
      return x.sub(mean).mul(variance.add(1e-5).rsqrt()).mul(scale).add(bias);
    }
  }

  record Dense(Array w, Array b) {
    Array apply(Array x) {
      return x.matmul(w).add(b);
    }
  }

  /** {@code qkv [WIDTH, 3, HEADS, HEAD_DIM]}, {@code out [HEADS, HEAD_DIM, WIDTH]}. */
  record Block(Norm ln1, Array qkv, Array out, Norm ln2, Dense up, Dense down) {}

  record Params(Array embed, Array pos, List<Block> blocks, Norm lnF) {}

  record TrainState(Params params, Optim.OptState<Params> optState) {}

  record StepResult(TrainState state, Array loss, Array gradNorm) {}

  record Batch(Array inputs, Array targets) {}

  static Batch batch(Key key) {
    Pair<Key, Key> k = Random.split(key);
    Array start = Random.randint(k.first(), new int[] {BATCH, 1}, 0, VOCAB);
    Array stride = Random.randint(k.second(), new int[] {BATCH, 1}, 1, 4);
    Array tokens = start.add(stride.mul(Array.arange(CONTEXT + 1))).rem(VOCAB); // non-negative: % and rem agree
    return new Batch(tokens.sliceAxis(1, 0, CONTEXT), tokens.sliceAxis(1, 1, CONTEXT + 1));
  }

  static Params init(Key key) {
    List<Key> keys = Random.split(key, 2 + LAYERS);
    Initializer normal = Init.normal(0.02);
    List<Block> blocks = new ArrayList<>();
    for (Key k : keys.subList(2, keys.size())) {
      blocks.add(block(k));
    }
    return new Params(normal.init(keys.get(0), VOCAB, WIDTH), normal.init(keys.get(1), CONTEXT, WIDTH), blocks,
        Norm.fresh());
  }

  static Block block(Key key) {
    List<Key> k = Random.split(key, 4);
    Initializer dense = Init.lecunNormal();
    // lecun_normal(in_axis=0, out_axis=(1, 2, 3)) and (in_axis=(0, 1), out_axis=2): the fans of a
    // projection kept in its head-split shape
    Initializer qkvInit = Init.lecunNormal(new int[] {0}, new int[] {1, 2, 3});
    Initializer outInit = Init.lecunNormal(new int[] {0, 1}, new int[] {2});
    return new Block(Norm.fresh(), qkvInit.init(k.get(0), WIDTH, 3, HEADS, HEAD_DIM),
        outInit.init(k.get(1), HEADS, HEAD_DIM, WIDTH), Norm.fresh(),
        new Dense(dense.init(k.get(2), WIDTH, 4 * WIDTH), Array.zeros(4 * WIDTH)),
        new Dense(dense.init(k.get(3), 4 * WIDTH, WIDTH), Array.zeros(WIDTH)));
  }

  /** jax.nn.dot_product_attention(q, k, v, is_causal=True). */
  private static final Nn.AttentionOptions CAUSAL = Nn.AttentionOptions.defaults().withCausal(true);

  static Array blockApply(Block p, Array x, Key key, boolean train) {
    Pair<Key, Key> k = Random.split(key);
    Array h = p.ln1().apply(x);
    Array qkv = Array.einsum("btd,dshk->sbthk", h, p.qkv());
    Array attention = Nn.dotProductAttention(qkv.get(0), qkv.get(1), qkv.get(2), CAUSAL);
    attention = Array.einsum("bthk,hkd->btd", attention, p.out());
    x = x.add(train ? Nn.dropout(k.first(), DROPOUT, attention) : attention);
    h = Nn.gelu(p.up().apply(p.ln2().apply(x)));
    h = p.down().apply(h);
    return x.add(train ? Nn.dropout(k.second(), DROPOUT, h) : h);
  }

  static Array forward(Params params, Array tokens, Key key, boolean train) {
    Array x = params.embed().take(tokens, 0).add(params.pos());
    List<Key> keys = Random.split(key, LAYERS);
    for (int i = 0; i < LAYERS; i++) {
      x = blockApply(params.blocks().get(i), x, keys.get(i), train);
    }
    return params.lnF().apply(x).matmul(params.embed().T()); // the head is the embedding, tied
  }

  static Array loss(Params params, Batch batch, Key key, boolean train) {
    return Nn.softmaxCrossEntropy(forward(params, batch.inputs(), key, train), batch.targets()).mean();
  }

  final Optim.Optimizer optimizer;
  private final Fn4<TrainState, Key, Key, Array, StepResult> step;

  LmPort(Params shapes) {
    Schedule schedule = Schedule.warmupCosineDecay(0.0, PEAK_LR, WARMUP, STEPS, 0.1 * PEAK_LR);
    // optax's mask=lambda p: jax.tree.map(lambda x: x.ndim > 1, p): decay the matrices only
    optimizer = Optim.chain(Optim.clipByGlobalNorm(1.0), Optim.adamw(schedule, Optim.AdamWOptions.defaults()
        .withWeightDecay(0.01).withMask(Optim.maskWhere(shapes, leaf -> leaf.ndim() > 1))));
    var lossAndGrad = Transforms.valueAndGrad((Params p, Batch b, Key k) -> loss(p, b, k, true));
    step = Transforms.jit("lm_step", (TrainState state, Key dataKey, Key dropoutKey, Array i) -> {
      Batch b = batch(Random.foldIn(dataKey, i));
      Pair<Array, Params> lg = lossAndGrad.apply(state.params(), b, Random.foldIn(dropoutKey, i));
      Pair<Params, Optim.OptState<Params>> u = optimizer.update(lg.second(), state.optState(), state.params());
      TrainState next = new TrainState(Optim.applyUpdates(state.params(), u.first()), u.second());
      return new StepResult(next, lg.first(), Optim.globalNorm(lg.second()));
    });
  }

  TrainState initState(Params params) {
    return new TrainState(params, optimizer.init(params));
  }

  Fn4<TrainState, Key, Key, Array, StepResult> jitted() {
    return step;
  }

  /** One jitted step; {@code i} goes in as an i32 array, so one trace serves every step. */
  StepResult step(TrainState state, Key dataKey, Key dropoutKey, int i) {
    return step.apply(state, dataKey, dropoutKey, Array.scalar(DType.I32, i));
  }
}
