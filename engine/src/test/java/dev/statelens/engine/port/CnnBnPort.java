package dev.statelens.engine.port;

import dev.statelens.engine.Array;
import dev.statelens.engine.Fn4;
import dev.statelens.engine.Init;
import dev.statelens.engine.Key;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The Java port of {@code bench/port/cnn_bn.py}: a small CNN on synthetic 16 x 16 images with batch
 * norm whose running mean and variance are explicit state — the loss returns the new statistics as
 * its aux ({@code value_and_grad(has_aux=True)}), the step takes and returns them beside the
 * params and the optimizer state, and the eval step normalises with them. NHWC activations, HWIO
 * kernels, {@code chain(add_decayed_weights(5e-4, kernels only), sgd(0.05, 0.9, nesterov))},
 * 40 steps from {@code key(3)}.
 */
final class CnnBnPort {

  static final int SIZE = 16, CLASSES = 3, TRAIN = 128, HELD_OUT = 64, BATCH = 32;
  static final int C1 = 8, C2 = 16;
  static final double NOISE = 0.8, MOMENTUM = 0.9, EPS = 1e-5;
  static final int STEPS = 40;
  static final double LR = 0.05, WEIGHT_DECAY = 5e-4;
  private static final String[] NHWC = {"NHWC", "HWIO", "NHWC"};

  /** Images {@code [n, 16, 16, 1]} and their classes {@code [n]} (i32). */
  record Batch(Array x, Array y) {
    Batch rows(int from, int to) {
      return new Batch(x.slice(new int[] {from, 0, 0, 0}, new int[] {to, SIZE, SIZE, 1}),
          y.slice(new int[] {from}, new int[] {to}));
    }
  }

  record Data(Batch train, Batch heldOut) {}

  /** Batch norm's learned affine map (a param). */
  record Affine(Array scale, Array bias) {}

  /** Batch norm's running statistics (state, not a param: no gradient, no optimizer). */
  record Stats(Array mean, Array var) {}

  record Dense(Array w, Array b) {}

  /** {@code {"conv1", "bn1", "conv2", "bn2", "out"}}. */
  record Params(Array conv1, Affine bn1, Array conv2, Affine bn2, Dense out) {}

  /** {@code {"bn1": {"mean", "var"}, "bn2": ...}}. */
  record BnState(Stats bn1, Stats bn2) {}

  record StepResult(Array loss, Params params, BnState bnState, Optim.OptState<Params> optState) {}

  /** The held-out loss and the number of images classified right. */
  record Eval(Array loss, Array correct) {}

  static Data data(Key key) {
    List<Key> k = Random.split(key, 3);
    Array templates = Random.normal(k.get(0), CLASSES, SIZE, SIZE, 1);
    return new Data(draw(templates, k.get(1), TRAIN), draw(templates, k.get(2), HELD_OUT));
  }

  private static Batch draw(Array templates, Key key, int n) {
    Pair<Key, Key> k = Random.split(key);
    Array y = Random.randint(k.first(), new int[] {n}, 0, CLASSES);
    Array x = templates.take(y, 0).add(Random.normal(k.second(), n, SIZE, SIZE, 1).mul(NOISE));
    return new Batch(x, y);
  }

  static Pair<Params, BnState> init(Key key) {
    List<Key> k = Random.split(key, 3);
    var he = Init.heNormal(); // HWIO: fan in = 3 * 3 * in, JAX's default in_axis=-2, out_axis=-1
    Params params = new Params(
        he.init(k.get(0), 3, 3, 1, C1), new Affine(Array.ones(C1), Array.zeros(C1)),
        he.init(k.get(1), 3, 3, C1, C2), new Affine(Array.ones(C2), Array.zeros(C2)),
        new Dense(Init.glorotUniform().init(k.get(2), C2, CLASSES), Array.zeros(CLASSES)));
    BnState state = new BnState(new Stats(Array.zeros(C1), Array.ones(C1)), new Stats(Array.zeros(C2), Array.ones(C2)));
    return Pair.of(params, state);
  }

  static Array conv(Array x, Array w, int stride) {
    return Lax.convGeneralDilated(x, w, new int[] {stride, stride}, "SAME", NHWC);
  }

  /**
   * Training: normalise with the batch's mean and biased variance over N, H, W and return the
   * updated running averages; evaluation ({@code train} false): normalise with the running ones.
   */
  static Pair<Array, Stats> batchNorm(Array x, Affine p, Stats s, boolean train) {
    Array mean = s.mean();
    Array var = s.var();
    Stats next = s;
    if (train) {
      mean = x.mean(0, 1, 2);
      var = x.var(0, 1, 2);
      next = new Stats(s.mean().mul(MOMENTUM).add(mean.mul(1 - MOMENTUM)),
          s.var().mul(MOMENTUM).add(var.mul(1 - MOMENTUM)));
    }
    return Pair.of(x.sub(mean).mul(var.add(EPS).rsqrt()).mul(p.scale()).add(p.bias()), next);
  }

  static Array maxPool(Array x) {
    return Lax.reduceWindowMax(x, new int[] {1, 2, 2, 1}, new int[] {1, 2, 2, 1}, "VALID");
  }

  static Pair<Array, BnState> forward(Params params, BnState state, Array x, boolean train) {
    Pair<Array, Stats> b1 = batchNorm(conv(x, params.conv1(), 1), params.bn1(), state.bn1(), train);
    Array h = maxPool(Nn.relu(b1.first()));
    Pair<Array, Stats> b2 = batchNorm(conv(h, params.conv2(), 2), params.bn2(), state.bn2(), train);
    h = Nn.relu(b2.first()).mean(1, 2);
    Array logits = h.matmul(params.out().w()).add(params.out().b());
    return Pair.of(logits, new BnState(b1.second(), b2.second()));
  }

  static Pair<Array, BnState> loss(Params params, BnState state, Array x, Array y) {
    Pair<Array, BnState> f = forward(params, state, x, true);
    return Pair.of(Nn.softmaxCrossEntropy(f.first(), y).mean(), f.second());
  }

  private final Optim.Optimizer optimizer;
  private final Fn4<Params, BnState, Optim.OptState<Params>, Batch, StepResult> step;
  private final BiFunction<Pair<Params, BnState>, Batch, Eval> evaluate;

  CnnBnPort(Params shapes) {
    // optax's mask=lambda p: jax.tree.map(lambda l: l.ndim > 1, p): decay the kernels only
    optimizer = Optim.chain(
        Optim.addDecayedWeights(WEIGHT_DECAY, Optim.maskWhere(shapes, leaf -> leaf.ndim() > 1)),
        Optim.sgd(LR, 0.9, true));
    var lossAndGrad = Transforms.valueAndGradWithAux(CnnBnPort::loss);
    step = Transforms.jit("cnn_bn_step", (Params params, BnState bnState, Optim.OptState<Params> optState, Batch batch) -> {
      Pair<Pair<Array, BnState>, Params> lg = lossAndGrad.apply(params, bnState, batch.x(), batch.y());
      Pair<Params, Optim.OptState<Params>> u = optimizer.update(lg.second(), optState, params);
      return new StepResult(lg.first().first(), Optim.applyUpdates(params, u.first()), lg.first().second(), u.second());
    });
    evaluate = Transforms.jit("cnn_bn_eval", (Pair<Params, BnState> model, Batch batch) -> {
      Array logits = forward(model.first(), model.second(), batch.x(), false).first();
      return new Eval(Nn.softmaxCrossEntropy(logits, batch.y()).mean(),
          logits.argmax(-1).eq(batch.y()).sum()); // a bool sum is i32, as jnp's
    });
  }

  Optim.OptState<Params> initOptimizer(Params params) {
    return optimizer.init(params);
  }

  StepResult step(Params params, BnState bnState, Optim.OptState<Params> optState, Batch batch) {
    return step.apply(params, bnState, optState, batch);
  }

  Eval evaluate(Params params, BnState bnState, Batch batch) {
    return evaluate.apply(Pair.of(params, bnState), batch);
  }
}
