package dev.statelens.engine;

import static dev.statelens.engine.Optim.wrongState;

import dev.statelens.engine.Optim.ChainState;
import dev.statelens.engine.Optim.InjectHyperparamsState;
import dev.statelens.engine.Optim.LearningRate;
import dev.statelens.engine.Optim.OptState;
import dev.statelens.engine.Optim.Optimizer;
import dev.statelens.engine.Optim.ScaleByRmsWithCountState;
import dev.statelens.engine.Optim.ScheduleFreeState;

/**
 * optax.contrib's schedule-free wrapper (Defazio et al., "The Road Less Scheduled"): the base
 * optimizer moves {@code z}; the params are {@code y = b1·x + (1-b1)·z}, {@code x} the weighted
 * average of the {@code z}s; and schedule-free AdamW's base, a bias-corrected RMS scaling.
 */
final class OptimScheduleFree {
  private OptimScheduleFree() {}

  /** optax.contrib's {@code schedule_free}. */
  record ScheduleFree(Optimizer base, LearningRate learningRate, double b1, double weightLrPower, DType stateDtype)
      implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      DType dt = lowestFloatDtype(params);
      P z = stateDtype == null ? params : Tree.map(p -> p.astype(stateDtype), params);
      Array zero = Array.scalar(dt, 0);
      return new ScheduleFreeState<>(Array.scalar(dt, b1), zero, Array.scalar(DType.I32, 1), zero, base.init(params), z);
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof ScheduleFreeState<P> s)) {
        throw wrongState("scheduleFree", ScheduleFreeState.class, state);
      }
      OptimTransforms.requireParams("scheduleFree", params, "schedule-free interpolates between the params and its own iterate z");
      // the rate is only the averaging weight here (the base optimizer applies its own); a schedule is read at the step from 1
      Array lr = learningRate.schedule() == null ? null
          : Optim.scheduleValue("scheduleFree", learningRate.schedule(), s.stepCount()).astype(s.maxLr().dtype());
      Array maxLr = lr == null ? s.maxLr().maximum(learningRate.fixed()) : s.maxLr().maximum(lr);
      Array weight = maxLr.pow(weightLrPower);
      Array totalWeight = s.weightSum().add(weight);
      // the new z's share of the average; 0/0 (no rate yet) counts as 0, a NaN weight stays NaN (optax's)
      Array share = weight.div(totalWeight);
      Array ck = Array.where(weight.isnan().logicalOr(totalWeight.isnan()), Double.NaN,
          Array.where(share.isnan(), 0.0, share));
      Pair<P, OptState<P>> base_ = Optim.transformPart(base, grads, s.baseOptimizerState(), params);
      P z = Tree.map((zi, u) -> zi.add(u).astype(zi.dtype()), s.z(), base_.first());
      P prevX = Tree.map((y, zi) -> y.sub(zi.mul(1 - b1)).div(b1), params, s.z());
      P x = Tree.map((xi, zi) -> ck.rsub(1).mul(xi).add(ck.mul(zi)), prevX, z);
      P newParams = Tree.map((xi, zi) -> xi.mul(b1).add(zi.mul(1 - b1)), x, z);
      P updates = Tree.map(Array::sub, newParams, params);
      return Pair.of(updates, new ScheduleFreeState<>(s.b1(), totalWeight, Optim.safeIncrement(s.stepCount()), maxLr,
          base_.second(), z));
    }

    /** optax's {@code tree.dtype(params, "lowest")}: the narrowest float dtype among the leaves. */
    private static DType lowestFloatDtype(Object params) {
      DType lowest = null;
      for (Array p : Tree.leaves(params)) {
        DType d = p.dtype();
        if (d.isFloating() && (lowest == null || d.byteSize() < lowest.byteSize())) {
          lowest = d;
        }
      }
      return lowest == null ? DType.F32 : lowest;
    }
  }

  /**
   * optax's {@code scale_by_rms(decay, eps, eps_in_sqrt=False, bias_correction=True)}: schedule-free
   * AdamW's Adam without momentum, {@code g / (sqrt(nu/(1-decay^t)) + eps)}.
   */
  record ScaleByRmsWithCount(double decay, double eps) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return new ScaleByRmsWithCountState<>(Array.scalar(DType.I32, 0), Tree.map(Array::zerosLike, params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof ScaleByRmsWithCountState<P> s)) {
        throw wrongState("scheduleFreeAdamw", ScaleByRmsWithCountState.class, state);
      }
      P nu = Moments.emaOfSquares(grads, s.nu(), decay);
      Array count = Optim.safeIncrement(s.count());
      Moments.Corrections c = new Moments.Corrections(decay, count, grads);
      P updates = Tree.map((g, n) -> c.correct(n).sqrt().add(eps).rdiv(1).mul(g), grads, nu);
      return Pair.of(updates, new ScaleByRmsWithCountState<>(count, nu));
    }
  }

  /** The {@link ScheduleFreeState} in {@code state}: itself, or inside a chain or injected hyperparameters. */
  @SuppressWarnings("unchecked")
  static <P> ScheduleFreeState<P> find(OptState<P> state) {
    if (state instanceof ScheduleFreeState<P> s) {
      return s;
    }
    if (state instanceof InjectHyperparamsState<P> h) {
      return find(h.innerState());
    }
    if (state instanceof ChainState<P> c) {
      for (OptState<P> part : c.states()) {
        if (part instanceof ScheduleFreeState<?> || part instanceof ChainState<?> || part instanceof InjectHyperparamsState<?>) {
          try {
            return find(part);
          } catch (IllegalArgumentException notThere) {
            // keep looking in the chain's later parts
          }
        }
      }
    }
    throw new IllegalArgumentException("Optim.scheduleFreeEvalParams: the state is "
        + (state == null ? "null" : "a " + state.getClass().getSimpleName())
        + " and holds no ScheduleFreeState; pass the state of Optim.scheduleFree/scheduleFreeSgd/scheduleFreeAdamw");
  }
}
