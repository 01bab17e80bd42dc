package dev.statelens.engine.port;

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
import java.util.List;
import java.util.function.BiFunction;

/**
 * The Java port of {@code bench/port/vae.py}: a VAE on synthetic data, {@code optax.adamw(3e-3)},
 * 200 steps from {@code key(1)}. The PRNG key is part of the training state: each step splits it
 * for the reparameterisation noise and hands the other half to the next step, as the JAX program.
 */
final class VaePort {

  static final int ROWS = 128, FEATURES = 16, HIDDEN = 32, LATENT = 2;
  static final int STEPS = 200;
  static final double LR = 3e-3;

  record Dense(Array w, Array b) {
    Array apply(Array x) {
      return x.matmul(w).add(b);
    }
  }

  /** {@code {"enc", "mean", "logvar", "dec", "out"}}. */
  record Params(Dense enc, Dense mean, Dense logvar, Dense dec, Dense out) {}

  record TrainState(Params params, Optim.OptState<Params> optState, Key key) {}

  record StepResult(TrainState state, Array loss) {}

  static Array data(Key key) {
    List<Key> k = Random.split(key, 3);
    Array z = Random.normal(k.get(0), ROWS, LATENT);
    Array a = Random.normal(k.get(1), LATENT, FEATURES);
    Array b = Random.uniform(k.get(2), new int[] {FEATURES}, DType.F32, -1.0, 1.0);
    return z.mul(2.0).matmul(a).add(b).sigmoid();
  }

  static Dense dense(Key key, int in, int out, Initializer init) {
    return new Dense(init.init(key, in, out), Array.zeros(out));
  }

  static Params init(Key key) {
    List<Key> k = Random.split(key, 5);
    return new Params(
        dense(k.get(0), FEATURES, HIDDEN, Init.heUniform()),
        dense(k.get(1), HIDDEN, LATENT, Init.glorotUniform()),
        dense(k.get(2), HIDDEN, LATENT, Init.glorotUniform()),
        dense(k.get(3), LATENT, HIDDEN, Init.heNormal()),
        dense(k.get(4), HIDDEN, FEATURES, Init.glorotNormal()));
  }

  static Array loss(Params params, Array x, Key key) {
    Array h = Nn.relu(params.enc().apply(x));
    Array mean = params.mean().apply(h);
    Array logvar = params.logvar().apply(h);
    Array eps = Random.normal(key, mean.shape());
    Array z = mean.add(logvar.mul(0.5).exp().mul(eps)); // the reparameterisation trick
    Array logits = params.out().apply(Nn.relu(params.dec().apply(z)));
    Array reconstruction = Nn.sigmoidBinaryCrossEntropy(logits, x).sum(-1);
    Array kl = logvar.add(1.0).sub(mean.square()).sub(logvar.exp()).sum(-1).mul(-0.5);
    return reconstruction.add(kl).mean();
  }

  private final Optim.Optimizer optimizer = Optim.adamw(LR, 0.9, 0.999, 1e-8, 1e-4);
  private final BiFunction<TrainState, Array, StepResult> step;

  VaePort() {
    var lossAndGrad = Transforms.valueAndGrad((Params p, Array x, Key noise) -> loss(p, x, noise));
    step = Transforms.jit("vae_step", (TrainState state, Array x) -> {
      Pair<Key, Key> k = Random.split(state.key()); // key, noise = jax.random.split(key)
      Pair<Array, Params> lg = lossAndGrad.apply(state.params(), x, k.second());
      Pair<Params, Optim.OptState<Params>> u = optimizer.update(lg.second(), state.optState(), state.params());
      return new StepResult(new TrainState(Optim.applyUpdates(state.params(), u.first()), u.second(), k.first()), lg.first());
    });
  }

  TrainState initState(Params params, Key key) {
    return new TrainState(params, optimizer.init(params), key);
  }

  StepResult step(TrainState state, Array x) {
    return step.apply(state, x);
  }
}
