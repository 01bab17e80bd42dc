package dev.statelens.engine.port;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Init;
import dev.statelens.engine.Key;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;

/**
 * The Java port of {@code bench/port/reinforce.py}: REINFORCE on an 8-cell corridor, 64 episodes
 * of 12 steps rolled out with {@link Lax#scan}, actions from {@link Random#categorical}, returns by
 * a reversed scan, {@code chain(clip_by_global_norm(1), adam(5e-3))}, 120 steps from {@code key(2)}.
 */
final class ReinforcePort {

  static final int CELLS = 8, EPISODES = 64, HORIZON = 12, HIDDEN = 16;
  static final double GAMMA = 0.9, LR = 5e-3;
  static final int STEPS = 120;

  record Dense(Array w, Array b) {}

  record Params(Dense hidden, Dense out) {}

  record TrainState(Params params, Optim.OptState<Params> optState) {}

  /** The loss, the mean undiscounted return of the step's episodes (JAX's aux) and the new state. */
  record StepResult(TrainState state, Array loss, Array meanReturn) {}

  /** What one time step of the rollout emits: {@code (logp, reward)}, each {@code [EPISODES]}. */
  record Emitted(Array logp, Array reward) {}

  static Params init(Key key) {
    Pair<Key, Key> k = Random.split(key);
    return new Params(new Dense(Init.glorotUniform().init(k.first(), CELLS, HIDDEN), Array.zeros(HIDDEN)),
        new Dense(Init.glorotUniform().init(k.second(), HIDDEN, 2), Array.zeros(2)));
  }

  static Array policy(Params p, Array cell) {
    Array h = Nn.oneHot(cell, CELLS).matmul(p.hidden().w()).add(p.hidden().b()).tanh();
    return h.matmul(p.out().w()).add(p.out().b());
  }

  /** {@code (logps, rewards)}, each {@code [HORIZON, EPISODES]}. */
  static Emitted rollout(Params params, Key key) {
    Pair<Key, Key> k = Random.split(key);
    Array start = Random.randint(k.first(), new int[] {EPISODES}, 0, CELLS - 1);
    Pair<Array, Emitted> run = Lax.scan((Array cell, Key stepKey) -> {
      Array logits = policy(params, cell);
      Array action = Random.categorical(stepKey, logits); // 0 left, 1 right
      Array logp = Nn.logSoftmax(logits).takeAlongAxis(action.expandDims(1), -1).squeeze(1);
      Array next = cell.add(action.mul(2)).sub(1).clip(0, CELLS - 1);
      Array reward = next.eq(CELLS - 1).astype(DType.F32).sub(0.05); // the goal, and a step cost
      return Pair.of(next, new Emitted(logp, reward));
    }, start, Random.splitStacked(k.second(), HORIZON)); // jax.random.split(k_steps, HORIZON): one key per step
    return run.second();
  }

  static Array discounted(Array rewards) {
    return Lax.scan((Array ret, Array r) -> {
      Array next = r.add(ret.mul(GAMMA));
      return Pair.of(next, next);
    }, Array.zeros(EPISODES), rewards, HORIZON, true).second();
  }

  static Pair<Array, Array> loss(Params params, Key key) {
    Emitted e = rollout(params, key);
    Array returns = discounted(e.reward());
    Array advantage = returns.sub(returns.meanKeepDims(1)).stopGradient();
    return Pair.of(e.logp().mul(advantage).sum(0).mean().neg(), e.reward().sum(0).mean());
  }

  private final Optim.Optimizer optimizer = Optim.chain(Optim.clipByGlobalNorm(1.0), Optim.adam(LR));
  private final Fn3<TrainState, Key, Array, StepResult> step;

  ReinforcePort() {
    var lossAndGrad = Transforms.valueAndGradWithAux(ReinforcePort::loss);
    step = Transforms.jit("reinforce_step", (TrainState state, Key runKey, Array i) -> {
      Key key = Random.foldIn(runKey, i); // the step number is traced, as in JAX
      Pair<Pair<Array, Array>, Params> lg = lossAndGrad.apply(state.params(), key);
      Pair<Params, Optim.OptState<Params>> u = optimizer.update(lg.second(), state.optState(), state.params());
      TrainState next = new TrainState(Optim.applyUpdates(state.params(), u.first()), u.second());
      return new StepResult(next, lg.first().first(), lg.first().second());
    });
  }

  TrainState initState(Params params) {
    return new TrainState(params, optimizer.init(params));
  }

  /** The jitted step function (a test counts its traces). */
  Fn3<TrainState, Key, Array, StepResult> jitted() {
    return step;
  }

  /** One jitted step on {@code fold_in(runKey, i)}; {@code i} goes in as an i32 array, so one trace serves every step. */
  StepResult step(TrainState state, Key runKey, int i) {
    return step.apply(state, runKey, Array.scalar(DType.I32, i));
  }
}
