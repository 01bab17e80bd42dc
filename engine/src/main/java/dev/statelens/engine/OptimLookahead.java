package dev.statelens.engine;

import dev.statelens.engine.Optim.LookaheadParams;
import dev.statelens.engine.Optim.LookaheadState;
import dev.statelens.engine.Optim.OptState;
import dev.statelens.engine.Optim.Optimizer;

/**
 * optax's {@code lookahead(fast_optimizer, sync_period, slow_step_size, reset_state)}: the fast
 * optimizer steps the fast params; every {@code syncPeriod} steps the slow params move
 * {@code slowStepSize} of the way to the fast ones and the fast params restart from there. Both
 * moves are one update of {@link LookaheadParams}, optax's merged form, so a jitted step has one
 * graph.
 */
record OptimLookahead(Optimizer fast, int syncPeriod, double slowStepSize, boolean resetState) implements Optim.Lookahead {

  @Override
  public <P> LookaheadState<P> init(LookaheadParams<P> params) {
    java.util.Objects.requireNonNull(params, "Optim.lookahead.init: params (LookaheadParams.initSynced(params))");
    return new LookaheadState<>(fast.init(params.fast()), Array.scalar(DType.I32, 0));
  }

  @Override
  public <P> Pair<LookaheadParams<P>, LookaheadState<P>> update(P grads, LookaheadState<P> state, LookaheadParams<P> params) {
    if (state == null || params == null) {
      throw new IllegalArgumentException("Optim.lookahead.update: the state and the LookaheadParams are both needed"
          + " (got " + state + ", " + params + "); grads are those of params.fast()");
    }
    Pair<P, OptState<P>> r = fast.update(grads, state.fastState(), params.fast());
    Array sync = state.stepsSinceSync().eq(syncPeriod - 1);
    // last_difference = fast + u - slow; the slow params take slowStepSize of it at a sync, the fast
    // params land on the new slow ones (optax's _lookahead_update, selects for its multiplications)
    P diff = Tree.map((f, u, s) -> f.add(u).sub(s), params.fast(), r.first(), params.slow());
    P slowUpdates = Tree.map(d -> Array.where(sync, d.mul(slowStepSize), Array.zerosLike(d)), diff);
    P fastUpdates = Tree.map((u, d) -> Array.where(sync, u.sub(d.mul(1 - slowStepSize)), u), r.first(), diff);
    OptState<P> fastState = r.second();
    if (resetState) {
      OptState<P> initial = fast.init(params.fast());
      fastState = Tree.map((cur, ini) -> Array.where(sync, ini, cur), fastState, initial);
    }
    Array steps = state.stepsSinceSync().add(1).rem(syncPeriod);
    return Pair.of(new LookaheadParams<>(fastUpdates, slowUpdates), new LookaheadState<>(fastState, steps));
  }
}
