package dev.statelens.engine;

import static dev.statelens.engine.Optim.wrongState;

import dev.statelens.engine.Optim.ApplyEveryState;
import dev.statelens.engine.Optim.EmaState;
import dev.statelens.engine.Optim.OptState;
import dev.statelens.engine.Optim.WeightDecayScheduleState;
import java.util.function.Predicate;

/**
 * optax's transforms for hand-built chains that are not optimizers themselves: {@code ema},
 * {@code apply_every}, {@code centralize}, {@code keep_params_nonnegative},
 * {@code scale_by_trust_ratio}, and fromage's negative weight decay.
 */
final class OptimTransforms {
  private OptimTransforms() {}

  /**
   * optax's {@code ema(decay, debias, accumulator_dtype)}: {@code ema = (1-decay)·u + decay·ema};
   * the update is {@code ema}, or with {@code debias} {@code ema / (1 - decay^t)}. The accumulator
   * is kept in {@code accumulatorDtype} (null: the params' own).
   */
  record Ema(double decay, boolean debias, DType accumulatorDtype) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return new EmaState<>(Array.scalar(DType.I32, 0),
          Tree.map(p -> accumulatorDtype == null ? Array.zerosLike(p) : Array.zeros(accumulatorDtype, p.shape()), params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P updates, OptState<P> state, P params) {
      if (!(state instanceof EmaState<P> s)) {
        throw wrongState("ema", EmaState.class, state);
      }
      P ema = Moments.ema(updates, s.ema(), decay);
      Array count = Optim.safeIncrement(s.count());
      P out = ema;
      if (debias) {
        Moments.Corrections c = new Moments.Corrections(decay, count, updates);
        out = Tree.map(c::correct, ema);
      }
      P kept = accumulatorDtype == null ? ema : Tree.map(e -> e.astype(accumulatorDtype), ema);
      return Pair.of(out, new EmaState<>(count, kept));
    }
  }

  /**
   * optax's {@code apply_every(k)}: the updates are summed over k calls and handed on at the k-th,
   * zeros in between (unlike {@link Optim#multiSteps}, the parts after it in a chain still run
   * every call).
   */
  record ApplyEvery(int k) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return new ApplyEveryState<>(Array.scalar(DType.I32, 0), Tree.map(Array::zerosLike, params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P updates, OptState<P> state, P params) {
      if (!(state instanceof ApplyEveryState<P> s)) {
        throw wrongState("applyEvery", ApplyEveryState.class, state);
      }
      Array c = s.count().rem(k);
      Array accumulate = c.ne(0);
      // optax: acc * grad_acc + g, then emit * grad_acc; selects give the same numbers
      P acc = Tree.map((g, a) -> Array.where(accumulate, a.add(g), g), updates, s.gradAcc());
      Array emit = c.eq(k - 1);
      P out = Tree.map(a -> Array.where(emit, a, Array.zerosLike(a)), acc);
      return Pair.of(out, new ApplyEveryState<>(Optim.safeIncrement(s.count()).rem(k), acc));
    }
  }

  /** optax's {@code centralize}: a leaf of rank ≥ 2 loses its mean over every dim but the first. */
  record Centralize() implements Optim.StatelessTransform {
    @Override
    public String name() {
      return "centralize";
    }

    @Override
    public <P> P map(P updates, P params) {
      return Tree.map(u -> {
        if (u.ndim() < 2) {
          return u;
        }
        int[] axes = new int[u.ndim() - 1];
        for (int i = 0; i < axes.length; i++) {
          axes[i] = i + 1;
        }
        return u.sub(u.meanKeepDims(axes));
      }, updates);
    }
  }

  /** optax's {@code keep_params_nonnegative}: where {@code p + u < 0} the update is {@code -p} (the param lands on 0). */
  record KeepParamsNonnegative() implements Optim.StatelessTransform {
    @Override
    public String name() {
      return "keepParamsNonnegative";
    }

    @Override
    public <P> P map(P updates, P params) {
      requireParams(name(), params, "it keeps params + update >= 0");
      return Tree.map((u, p) -> Array.where(p.add(u).lt(0.0), p.neg(), u), updates, params);
    }
  }

  /**
   * optax's {@code scale_by_trust_ratio(min_norm, trust_coefficient, eps)}: each leaf's update times
   * {@code trustCoefficient · ||p|| / (||u|| + eps)}, the norms at least {@code minNorm}; 1 where
   * either norm is 0.
   */
  record ScaleByTrustRatio(double minNorm, double trustCoefficient, double eps) implements Optim.StatelessTransform {
    @Override
    public String name() {
      return "scaleByTrustRatio";
    }

    @Override
    public <P> P map(P updates, P params) {
      requireParams(name(), params, "the ratio is ||params|| / ||update||");
      return Tree.map((u, p) -> u.mul(ratio(u, p, minNorm, trustCoefficient, eps)), updates, params);
    }

    static Array ratio(Array u, Array p, double minNorm, double trustCoefficient, double eps) {
      Array pn = safeNorm(p, minNorm);
      Array un = safeNorm(u, minNorm);
      Array r = (trustCoefficient == 1 ? pn : pn.mul(trustCoefficient)).div(eps == 0 ? un : un.add(eps));
      return Array.where(pn.eq(0).logicalOr(un.eq(0)), Array.scalar(p.dtype(), 1), r);
    }

    /** optax's {@code numerics.safe_norm(x, min_norm)}: the norm, or {@code minNorm} where it is not above it. */
    static Array safeNorm(Array x, double minNorm) {
      Array n = Moments.norm(x);
      return minNorm == 0 ? n : Array.where(n.le(minNorm), Array.scalar(n.dtype(), minNorm), n);
    }
  }

  /** {@code updates + decay · params} with any sign of {@code decay}: fromage's {@code add_decayed_weights(mult - 1)}. */
  record SignedDecay(double decay) implements Optim.StatelessTransform {
    @Override
    public String name() {
      return "fromage";
    }

    @Override
    public <P> P map(P updates, P params) {
      requireParams(name(), params, "fromage shrinks the params by 1/sqrt(1 + lr²)");
      return Tree.map((u, p) -> u.add(p.mul(decay)), updates, params);
    }
  }

  /**
   * optax's {@code add_decayed_weights(schedule, mask)}: {@code u + schedule(count)·p} on the leaves
   * the mask (null: all) accepts, the schedule read before the count's increment.
   */
  record ScheduledDecay(String name, Schedule weightDecay, Predicate<String> mask) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      Tree.flatten(params);
      return new WeightDecayScheduleState<>(Array.scalar(DType.I32, 0));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P updates, OptState<P> state, P params) {
      if (!(state instanceof WeightDecayScheduleState<P> s)) {
        throw wrongState(name, WeightDecayScheduleState.class, state);
      }
      requireParams(name, params, "weight decay adds a multiple of them");
      Array wd = Optim.scheduleValue(name, weightDecay, s.count());
      P out = OptimMore.decayed(name, updates, params, mask, (u, p) -> u.add(wd.astype(p.dtype()).mul(p)));
      return Pair.of(out, new WeightDecayScheduleState<>(Optim.safeIncrement(s.count())));
    }
  }

  static void requireParams(String name, Object params, String why) {
    if (params == null) {
      throw new IllegalArgumentException(
          "Optim." + name + ".update: params is null; " + why + ", pass the current params as the third argument");
    }
  }
}
