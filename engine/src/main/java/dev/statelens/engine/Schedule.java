package dev.statelens.engine;

/**
 * A learning-rate schedule (optax's {@code Schedule}): the step count in, the learning rate out,
 * both as arrays so a schedule works under {@code jit}, where the count is a traced I32 scalar and
 * the step compiles once for every step.
 *
 * <p>The factories compute in F64 and follow optax's formulas exactly; {@link Optim} casts the
 * value to each gradient's dtype before scaling (as optax's {@code scale_by_schedule} does).
 * Step indexing is optax's: the first {@code update} sees count 0, so {@code Optim.adam(schedule)}
 * uses {@code schedule(0)} for its first step and {@code schedule(t-1)} for step {@code t}.
 *
 * <pre>{@code
 * Schedule lr = Schedule.warmupCosineDecay(0, 1e-3, 100, 10_000, 1e-5);
 * lr.at(100);   // 1e-3, the peak, eagerly
 * Optim.adamw(lr);
 * }</pre>
 */
@FunctionalInterface
public interface Schedule {

  /** The learning rate at {@code count} (an integer scalar, traced under jit); a scalar array. */
  Array apply(Array count);

  /** The learning rate at {@code step}, evaluated eagerly (for logging, plots, tests). */
  default double at(int step) {
    return apply(Array.scalar(DType.I32, step)).doubleValue();
  }

  /** {@code optax.constant_schedule(value)}. */
  static Schedule constant(double value) {
    checkFinite("constant", "value", value);
    return count -> Array.scalar(DType.F64, value);
  }

  /**
   * {@code optax.linear_schedule(init_value, end_value, transition_steps)}: {@code init} at step 0
   * going linearly to {@code end} at {@code transitionSteps}, then {@code end}:
   * {@code (init - end) * (1 - min(count, steps)/steps) + end}.
   */
  static Schedule linear(double init, double end, int transitionSteps) {
    checkFinite("linear", "init", init);
    checkFinite("linear", "end", end);
    checkSteps("linear", "transitionSteps", transitionSteps, "; for a fixed rate use Schedule.constant(init)");
    return count -> {
      Array c = f64(count).clip(0, transitionSteps);
      Array frac = c.div(transitionSteps).rsub(1);
      return frac.mul(init - end).add(end);
    };
  }

  /** {@link #cosineDecay(double, int, double)} with {@code alpha = 0} (optax's default). */
  static Schedule cosineDecay(double init, int decaySteps) {
    return cosineDecay(init, decaySteps, 0);
  }

  /**
   * {@code optax.cosine_decay_schedule(init_value, decay_steps, alpha)}:
   * {@code init * ((1 - alpha) * 0.5 * (1 + cos(pi * min(count, decaySteps) / decaySteps)) + alpha)};
   * {@code init} at step 0, {@code init * alpha} from {@code decaySteps} on.
   */
  static Schedule cosineDecay(double init, int decaySteps, double alpha) {
    checkFinite("cosineDecay", "init", init);
    checkFinite("cosineDecay", "alpha", alpha);
    checkSteps("cosineDecay", "decaySteps", decaySteps, "");
    return count -> {
      Array c = f64(count).minimum(decaySteps);
      Array cosine = c.mul(Math.PI / decaySteps).cos().add(1).mul(0.5);
      return cosine.mul(1 - alpha).add(alpha).mul(init);
    };
  }

  /**
   * {@code optax.warmup_cosine_decay_schedule(init_value, peak_value, warmup_steps, decay_steps,
   * end_value)}: linear from {@code init} to {@code peak} over {@code warmupSteps}, then a cosine
   * decay from {@code peak} to {@code end} reached at step {@code decaySteps}. As in optax,
   * {@code decaySteps} counts the warmup too (it is the total length), and the cosine's alpha is
   * {@code end / peak} (0 when {@code peak} is 0).
   */
  static Schedule warmupCosineDecay(double init, double peak, int warmupSteps, int decaySteps, double end) {
    checkFinite("warmupCosineDecay", "init", init);
    checkFinite("warmupCosineDecay", "peak", peak);
    checkFinite("warmupCosineDecay", "end", end);
    if (warmupSteps < 0) {
      throw new IllegalArgumentException(
          "Schedule.warmupCosineDecay: warmupSteps must be >= 0, got " + warmupSteps);
    }
    if (decaySteps <= warmupSteps) {
      throw new IllegalArgumentException(
          "Schedule.warmupCosineDecay: decaySteps (" + decaySteps + ") must be greater than warmupSteps ("
              + warmupSteps + "); as in optax it is the schedule's total length, warmup included");
    }
    // optax's linear_schedule with 0 transition steps is the constant init value.
    Schedule warmup = warmupSteps == 0 ? constant(init) : linear(init, peak, warmupSteps);
    Schedule decay = cosineDecay(peak, decaySteps - warmupSteps, peak == 0 ? 0 : end / peak);
    // optax.join_schedules: where(step < boundary, first(step), second(step - boundary)).
    return count -> Array.where(count.lt(warmupSteps), warmup.apply(count), decay.apply(count.sub(warmupSteps)));
  }

  /** {@link #exponentialDecay(double, int, double, boolean)} without staircase (optax's default). */
  static Schedule exponentialDecay(double init, int transitionSteps, double rate) {
    return exponentialDecay(init, transitionSteps, rate, false);
  }

  /**
   * {@code optax.exponential_decay(init_value, transition_steps, decay_rate, staircase=...)}:
   * {@code init * rate^(count / transitionSteps)} ({@code floor} of the exponent with
   * {@code staircase}), and {@code init} at count ≤ 0.
   */
  static Schedule exponentialDecay(double init, int transitionSteps, double rate, boolean staircase) {
    checkFinite("exponentialDecay", "init", init);
    checkSteps("exponentialDecay", "transitionSteps", transitionSteps, "; for a fixed rate use Schedule.constant(init)");
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(
          "Schedule.exponentialDecay: rate must be a finite number > 0, got " + rate
              + " (e.g. 0.5 halves the learning rate every transitionSteps)");
    }
    return count -> {
      Array c = f64(count);
      Array p = c.div(transitionSteps);
      if (staircase) {
        p = p.floor();
      }
      Array decayed = Array.scalar(DType.F64, rate).pow(p).mul(init);
      return Array.where(c.le(0), init, decayed);
    };
  }

  private static Array f64(Array count) {
    return count.astype(DType.F64);
  }

  private static void checkFinite(String schedule, String name, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "Schedule." + schedule + ": " + name + " must be a finite number, got " + value);
    }
  }

  private static void checkSteps(String schedule, String name, int steps, String hint) {
    if (steps <= 0) {
      throw new IllegalArgumentException(
          "Schedule." + schedule + ": " + name + " must be > 0, got " + steps + hint);
    }
  }
}
