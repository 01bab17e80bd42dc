package dev.statelens.engine;

import static dev.statelens.engine.Optim.wrongState;

import dev.statelens.engine.Optim.OptState;
import dev.statelens.engine.Optim.ScheduleState;
import dev.statelens.engine.Optim.ZeroNansState;

/** Small building blocks: optax's {@code clip}, {@code zero_nans}, {@code scale}, {@code scale_by_schedule}. */
final class OptimElementwise {
  private OptimElementwise() {}

  /** optax's {@code clip(max_delta)}: every element into {@code [-maxDelta, maxDelta]}. */
  record Clip(double maxDelta) implements Optim.StatelessTransform {
    @Override
    public String name() {
      return "clip";
    }

    @Override
    public <P> P map(P updates, P params) {
      return Tree.map(u -> u.clip(-maxDelta, maxDelta), updates);
    }
  }

  /** optax's {@code scale(step_size)}: every update times a constant. */
  record Scale(double factor) implements Optim.StatelessTransform {
    @Override
    public String name() {
      return "scale";
    }

    @Override
    public <P> P map(P updates, P params) {
      return Tree.map(u -> u.mul(factor), updates);
    }
  }

  /** optax's {@code zero_nans}: NaNs become 0; the state says, per leaf, whether the last update had one. */
  record ZeroNans() implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return new ZeroNansState<>(Tree.map(p -> Array.scalar(DType.BOOL, 0), params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P updates, OptState<P> state, P params) {
      if (!(state instanceof ZeroNansState<P>)) {
        throw wrongState("zeroNans", ZeroNansState.class, state);
      }
      P found = Tree.map(u -> u.isnan().any(), updates);
      P zeroed = Tree.map(u -> Array.where(u.isnan(), Array.zerosLike(u), u), updates);
      return Pair.of(zeroed, new ZeroNansState<>(found));
    }
  }

  /**
   * optax's {@code scale_by_schedule(step_size_fn)}: updates times {@code schedule(count)}, cast to
   * each update's dtype; with {@code flipSign} times {@code -schedule(count)}, optax's
   * {@code scale_by_learning_rate(schedule)} (the part that makes {@code sgd(schedule)},
   * {@code rmsprop(schedule)}, {@code adagrad(schedule)}). The count goes up by optax's
   * {@code safe_increment}: it stops at the largest I32 rather than wrapping to a negative step.
   *
   * @param name the factory's name, for the error a state from another optimizer gets
   */
  record ScaleBySchedule(String name, Schedule schedule, boolean flipSign) implements Optim.Transform {
    /** The learning-rate part of {@code name}'s chain: {@code -schedule(count)}. */
    static ScaleBySchedule learningRate(String name, Schedule schedule) {
      return new ScaleBySchedule(name, schedule, true);
    }

    @Override
    public <P> OptState<P> init(P params) {
      Tree.flatten(params);
      return new ScheduleState<>(Array.scalar(DType.I32, 0));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P updates, OptState<P> state, P params) {
      if (!(state instanceof ScheduleState<P> s)) {
        throw wrongState(name, ScheduleState.class, state);
      }
      Array step = Optim.scheduleValue(name, schedule, s.count());
      return Pair.of(Tree.map(u -> {
        Array v = step.astype(u.dtype());
        return u.mul(flipSign ? v.neg() : v);
      }, updates), new ScheduleState<>(Optim.safeIncrement(s.count())));
    }
  }
}
