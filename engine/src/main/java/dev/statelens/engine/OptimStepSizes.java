package dev.statelens.engine;

import static dev.statelens.engine.Optim.wrongState;

import dev.statelens.engine.Optim.EmptyState;
import dev.statelens.engine.Optim.LearningRate;
import dev.statelens.engine.Optim.OptState;
import dev.statelens.engine.Optim.ScaleByRpropState;
import dev.statelens.engine.Optim.ScheduleState;
import java.util.function.Function;

/**
 * Optimizers that choose the step size rather than scale the gradient: optax's {@code rprop} (a step
 * size per element, from the gradients' signs) and {@code polyak_sgd} (one step size per update, from
 * the loss value).
 */
final class OptimStepSizes {
  private OptimStepSizes() {}

  /** {@code jnp.finfo(float).eps}: optax compares against float64's epsilon whatever the params' dtype. */
  private static final double FLOAT64_EPS = Math.ulp(1.0);

  /** optax's {@code rprop}: {@code scale_by_rprop}, then {@code scale(-1)}. */
  record Rprop(double learningRate, double etaMinus, double etaPlus, double minStepSize, double maxStepSize)
      implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return new ScaleByRpropState<>(Tree.map(p -> Array.full(p.dtype(), p.shape(), learningRate), params),
          Tree.map(Array::zerosLike, params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof ScaleByRpropState<P> s)) {
        throw wrongState("rprop", ScaleByRpropState.class, state);
      }
      // > 0: the sign held, < 0: it flipped, 0: no previous step (or a zero gradient) — the step size stays
      P agreement = Tree.map(Array::mul, grads, s.prevUpdates());
      P stepSizes = Tree.map((a, step) -> Array.where(a.eq(0), step,
          step.mul(Array.where(a.gt(0), etaPlus, Array.full(step.dtype(), new int[0], etaMinus))).clip(minStepSize, maxStepSize)),
          agreement, s.stepSizes());
      P prevUpdates = Tree.map((a, g, step) -> Array.where(a.lt(0), Array.zerosLike(g), step.mul(g.sign())),
          agreement, grads, stepSizes);
      // optax 0.2.8 applies the *previous* step's stepSize·sign(g) (so the first update is 0), and after a
      // sign flip nothing; kept as optax has it, so the numbers match (docs/decisions.md)
      P updates = Tree.map((a, u) -> Array.where(a.lt(0), Array.zerosLike(u), u).neg(), agreement, s.prevUpdates());
      return Pair.of(updates, new ScaleByRpropState<>(stepSizes, prevUpdates));
    }
  }

  /**
   * optax's {@code polyak_sgd}: {@code sgd(scaling)}, then {@code scale_by_polyak}. Not a
   * {@link Optim.Transform}: its update needs the loss value, which a chain cannot hand on.
   */
  record Polyak(double maxLearningRate, LearningRate scaling, double fMin, double eps, boolean plus)
      implements Optim.ValueOptimizer {
    @Override
    public <P> OptState<P> init(P params) {
      Tree.flatten(params);
      return scaling.schedule() == null ? new EmptyState<>() : new ScheduleState<>(Array.scalar(DType.I32, 0));
    }

    @Override
    public <P> Pair<P, OptState<P>> update(P grads, OptState<P> state, P params) {
      throw new IllegalArgumentException(
          "Optim.polyakSgd.update: Polyak's step size needs the loss value; call update(grads, state, params, loss)"
              + " (e.g. with the value of Transforms.valueAndGrad), as optax's update(..., value=loss). It cannot sit"
              + " inside Optim.chain or a wrapper, which do not hand the value on");
    }

    @Override
    public <P> Pair<P, OptState<P>> update(P grads, OptState<P> state, P params, Array value) {
      java.util.Objects.requireNonNull(value, "Optim.polyakSgd.update: value (the loss at params)");
      if (value.ndim() != 0) {
        throw new IllegalArgumentException("Optim.polyakSgd.update: value must be the loss, a scalar; got an array of shape "
            + value.aval() + " (reduce it first, e.g. with mean())");
      }
      Array count;
      OptState<P> next;
      if (scaling.schedule() == null) {
        if (!(state instanceof EmptyState<P>)) {
          throw wrongState("polyakSgd", EmptyState.class, state);
        }
        count = null;
        next = state;
      } else {
        if (!(state instanceof ScheduleState<P> s)) {
          throw wrongState("polyakSgd", ScheduleState.class, state);
        }
        count = s.count();
        next = new ScheduleState<>(Optim.safeIncrement(count));
      }
      Optim.tapGradients(grads, params);
      P sgd = Tree.map(scaling.scaleAt(count), grads);
      Array sqNorm = Optim.squaredGlobalNorm(sgd);
      if (sqNorm == null) {
        return Pair.of(sgd, next);
      }
      Array gap = value.sub(fMin).astype(sqNorm.dtype());
      if (plus) {
        gap = gap.maximum(0.0);
      }
      Array denominator = sqNorm.add(eps);
      // no step where the gradient vanishes (optax: 0 below float64's epsilon), else Polyak's, capped
      Array step = Array.where(denominator.le(FLOAT64_EPS), 0.0, gap.div(denominator).minimum(maxLearningRate));
      Function<Array, Array> times = u -> u.mul(step.astype(u.dtype()));
      return Pair.of(Tree.map(times, sgd), next);
    }
  }
}
