package dev.statelens.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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

  /**
   * {@code optax.polynomial_schedule(init_value, end_value, power, transition_steps,
   * transition_begin)}: {@code (init - end)·(1 - c/steps)^power + end} with
   * {@code c = clip(count - transitionBegin, 0, steps)}; {@code linear} is power 1.
   */
  static Schedule polynomial(double init, double end, double power, int transitionSteps, int transitionBegin) {
    checkFinite("polynomial", "init", init);
    checkFinite("polynomial", "end", end);
    checkFinite("polynomial", "power", power);
    checkSteps("polynomial", "transitionSteps", transitionSteps, "; for a fixed rate use Schedule.constant(init)");
    checkBegin("polynomial", transitionBegin);
    return count -> {
      Array c = f64(count).sub(transitionBegin).clip(0, transitionSteps);
      Array frac = c.div(transitionSteps).rsub(1);
      return frac.pow(power).mul(init - end).add(end);
    };
  }

  /** {@link #polynomial(double, double, double, int, int)} starting at step 0. */
  static Schedule polynomial(double init, double end, double power, int transitionSteps) {
    return polynomial(init, end, power, transitionSteps, 0);
  }

  /**
   * {@code optax.piecewise_constant_schedule(init_value, boundaries_and_scales)}: {@code init}, and
   * from each boundary step on, the previous value times that boundary's scale, e.g.
   * {@code piecewiseConstant(0.1, Map.of(1000, 0.1, 2000, 0.1))} is 0.1, then 0.01 from step 1000,
   * 0.001 from step 2000.
   */
  static Schedule piecewiseConstant(double init, Map<Integer, Double> boundariesAndScales) {
    checkFinite("piecewiseConstant", "init", init);
    TreeMap<Integer, Double> sorted = scales("piecewiseConstant", boundariesAndScales);
    return count -> {
      Array v = Array.scalar(DType.F64, init);
      for (Map.Entry<Integer, Double> e : sorted.entrySet()) {
        v = Array.where(count.ge(e.getKey()), v.mul(e.getValue()), v);
      }
      return v;
    };
  }

  /**
   * {@code optax.join_schedules(schedules, boundaries)}: {@code schedules[0]} until
   * {@code boundaries[0]}, then {@code schedules[1]} counted from 0 again at that boundary, and so
   * on; one boundary fewer than schedules, increasing.
   */
  static Schedule joinSchedules(List<Schedule> schedules, int... boundaries) {
    Objects.requireNonNull(schedules, "Schedule.joinSchedules: schedules");
    Objects.requireNonNull(boundaries, "Schedule.joinSchedules: boundaries");
    if (schedules.isEmpty() || schedules.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("Schedule.joinSchedules: give at least one schedule and no nulls, got " + schedules);
    }
    if (boundaries.length != schedules.size() - 1) {
      throw new IllegalArgumentException(
          "Schedule.joinSchedules: " + schedules.size() + " schedules need " + (schedules.size() - 1)
              + " boundaries (the step where each next one starts), got " + boundaries.length);
    }
    for (int i = 1; i < boundaries.length; i++) {
      if (boundaries[i] < boundaries[i - 1]) {
        throw new IllegalArgumentException(
            "Schedule.joinSchedules: boundaries must not decrease, got " + Arrays.toString(boundaries));
      }
    }
    List<Schedule> parts = List.copyOf(schedules);
    int[] bounds = boundaries.clone();
    return count -> {
      Array out = parts.get(0).apply(count);
      for (int i = 0; i < bounds.length; i++) {
        Array next = parts.get(i + 1).apply(count.sub(bounds[i]));
        out = Array.where(count.lt(bounds[i]), out.astype(DType.F64), next.astype(DType.F64));
      }
      return out;
    };
  }

  /** {@code optax.linear_onecycle_schedule(transition_steps, peak_value)} (pct_start 0.3, pct_final 0.85, div_factor 25, final_div_factor 1e4). */
  static Schedule linearOnecycle(int transitionSteps, double peak) {
    return linearOnecycle(transitionSteps, peak, 0.3, 0.85, 25.0, 1e4);
  }

  /**
   * {@code optax.linear_onecycle_schedule(transition_steps, peak_value, pct_start, pct_final,
   * div_factor, final_div_factor)}: linear from {@code peak/divFactor} up to {@code peak} at
   * {@code pctStart·steps}, down to {@code peak/divFactor} at {@code pctFinal·steps}, down to
   * {@code peak/divFactor/finalDivFactor} at {@code steps}, then flat.
   */
  static Schedule linearOnecycle(int transitionSteps, double peak, double pctStart, double pctFinal, double divFactor,
      double finalDivFactor) {
    checkSteps("linearOnecycle", "transitionSteps", transitionSteps, "");
    checkFinite("linearOnecycle", "peak", peak);
    checkOnecycle("linearOnecycle", pctStart, divFactor, finalDivFactor);
    if (!(pctFinal >= pctStart && pctFinal <= 1)) {
      throw new IllegalArgumentException(
          "Schedule.linearOnecycle: pctFinal must be in [pctStart, 1], got " + pctFinal + " (optax's default is 0.85)");
    }
    TreeMap<Integer, Double> scales = new TreeMap<>();
    scales.put((int) (pctStart * transitionSteps), divFactor);
    scales.put((int) (pctFinal * transitionSteps), 1.0 / divFactor);
    scales.put(transitionSteps, 1.0 / finalDivFactor);
    return interpolate(false, peak / divFactor, scales);
  }

  /** {@code optax.cosine_onecycle_schedule(transition_steps, peak_value)} (pct_start 0.3, div_factor 25, final_div_factor 1e4). */
  static Schedule cosineOnecycle(int transitionSteps, double peak) {
    return cosineOnecycle(transitionSteps, peak, 0.3, 25.0, 1e4);
  }

  /**
   * {@code optax.cosine_onecycle_schedule(transition_steps, peak_value, pct_start, div_factor,
   * final_div_factor)}: cosine from {@code peak/divFactor} up to {@code peak} at
   * {@code pctStart·steps}, then cosine down to {@code peak/(divFactor·finalDivFactor)} at
   * {@code steps}.
   */
  static Schedule cosineOnecycle(int transitionSteps, double peak, double pctStart, double divFactor, double finalDivFactor) {
    checkSteps("cosineOnecycle", "transitionSteps", transitionSteps, "");
    checkFinite("cosineOnecycle", "peak", peak);
    checkOnecycle("cosineOnecycle", pctStart, divFactor, finalDivFactor);
    TreeMap<Integer, Double> scales = new TreeMap<>();
    scales.put((int) (pctStart * transitionSteps), divFactor);
    scales.put(transitionSteps, 1.0 / (divFactor * finalDivFactor));
    return interpolate(true, peak / divFactor, scales);
  }

  /**
   * {@code optax.warmup_exponential_decay_schedule(init_value, peak_value, warmup_steps,
   * transition_steps, decay_rate)}: linear {@code init -> peak} over {@code warmupSteps}, then
   * {@link #exponentialDecay} from {@code peak}, counted from the end of the warmup.
   */
  static Schedule warmupExponentialDecay(double init, double peak, int warmupSteps, int transitionSteps, double rate) {
    return warmupExponentialDecay(init, peak, warmupSteps, transitionSteps, rate, 0, false, null);
  }

  /**
   * The full {@code optax.warmup_exponential_decay_schedule}: the decay starts {@code transitionBegin}
   * steps after the warmup, steps down with {@code staircase}, and stops at {@code end}
   * ({@code null}: never).
   */
  static Schedule warmupExponentialDecay(double init, double peak, int warmupSteps, int transitionSteps, double rate,
      int transitionBegin, boolean staircase, Double end) {
    checkFinite("warmupExponentialDecay", "init", init);
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("Schedule.warmupExponentialDecay: warmupSteps must be >= 0, got " + warmupSteps);
    }
    Schedule warmup = warmupSteps == 0 ? constant(init) : linear(init, peak, warmupSteps);
    Schedule decay = exponentialDecay(peak, transitionSteps, rate, transitionBegin, staircase, end);
    return joinSchedules(List.of(warmup, decay), warmupSteps);
  }

  /**
   * The full {@code optax.exponential_decay(init_value, transition_steps, decay_rate,
   * transition_begin, staircase, end_value)}: constant {@code init} for {@code transitionBegin}
   * steps, then {@code init·rate^((count - begin)/steps)}, bounded by {@code end} ({@code null}:
   * unbounded; a floor when decaying, a ceiling when {@code rate > 1}).
   */
  static Schedule exponentialDecay(double init, int transitionSteps, double rate, int transitionBegin, boolean staircase,
      Double end) {
    checkBegin("exponentialDecay", transitionBegin);
    if (end != null) {
      checkFinite("exponentialDecay", "end", end);
    }
    Schedule decay = exponentialDecay(init, transitionSteps, rate, staircase);
    if (transitionBegin == 0 && end == null) {
      return decay;
    }
    return count -> {
      Array v = decay.apply(count.sub(transitionBegin));
      return end == null ? v : rate < 1 ? v.maximum(end) : v.minimum(end);
    };
  }

  /** One cycle of {@link #sgdr}: the arguments of {@link #warmupCosineDecay}. */
  record WarmupCosine(double init, double peak, int warmupSteps, int decaySteps, double end) {}

  /**
   * {@code optax.sgdr_schedule(cosine_kwargs)}: warm restarts, the {@link #warmupCosineDecay}
   * cycles one after the other, each {@code decaySteps} long.
   */
  static Schedule sgdr(List<WarmupCosine> cycles) {
    Objects.requireNonNull(cycles, "Schedule.sgdr: cycles");
    if (cycles.isEmpty()) {
      throw new IllegalArgumentException("Schedule.sgdr: no cycles given; pass at least one WarmupCosine");
    }
    List<Schedule> schedules = new ArrayList<>();
    int[] boundaries = new int[cycles.size() - 1];
    int step = 0;
    for (int i = 0; i < cycles.size(); i++) {
      WarmupCosine c = Objects.requireNonNull(cycles.get(i), "Schedule.sgdr: cycle " + i);
      schedules.add(warmupCosineDecay(c.init(), c.peak(), c.warmupSteps(), c.decaySteps(), c.end()));
      step += c.decaySteps();
      if (i < boundaries.length) {
        boundaries[i] = step;
      }
    }
    return joinSchedules(schedules, boundaries);
  }

  /**
   * optax's {@code piecewise_interpolate_schedule}: values {@code init, init·s1, init·s1·s2, ...}
   * at the boundaries 0, b1, b2, ..., interpolated linearly or by a half cosine in between.
   */
  private static Schedule interpolate(boolean cosine, double init, TreeMap<Integer, Double> boundariesAndScales) {
    int n = boundariesAndScales.size();
    int[] bounds = new int[n + 1];
    double[] values = new double[n + 1];
    values[0] = init;
    int i = 1;
    for (Map.Entry<Integer, Double> e : boundariesAndScales.entrySet()) {
      bounds[i] = e.getKey();
      values[i] = values[i - 1] * e.getValue();
      i++;
    }
    return count -> {
      Array c = f64(count);
      Array out = Array.scalar(DType.F64, 0);
      for (int k = 0; k < n; k++) {
        double start = values[k];
        double stop = values[k + 1];
        Array pct = c.sub(bounds[k]).div(Math.max(bounds[k + 1] - bounds[k], 1));
        Array v = cosine
            ? pct.mul(Math.PI).cos().add(1).mul((start - stop) / 2.0).add(stop)
            : pct.mul(stop - start).add(start);
        Array inside = count.ge(bounds[k]).logicalAnd(count.lt(bounds[k + 1]));
        out = out.add(Array.where(inside, v, 0.0));
      }
      return out.add(Array.where(count.ge(bounds[n]), Array.scalar(DType.F64, values[n]), 0.0));
    };
  }

  private static TreeMap<Integer, Double> scales(String schedule, Map<Integer, Double> boundariesAndScales) {
    Objects.requireNonNull(boundariesAndScales, "Schedule." + schedule + ": boundariesAndScales (step -> scale)");
    TreeMap<Integer, Double> sorted = new TreeMap<>();
    boundariesAndScales.forEach((step, scale) -> {
      if (step == null || scale == null || !(scale >= 0) || Double.isInfinite(scale)) {
        throw new IllegalArgumentException(
            "Schedule." + schedule + ": every boundary needs a step and a finite scale >= 0 (optax: non-negative scale"
                + " factors), got " + step + " -> " + scale);
      }
      sorted.put(step, scale);
    });
    return sorted;
  }

  private static void checkOnecycle(String schedule, double pctStart, double divFactor, double finalDivFactor) {
    if (!(pctStart >= 0 && pctStart <= 1)) {
      throw new IllegalArgumentException(
          "Schedule." + schedule + ": pctStart must be in [0, 1], got " + pctStart + " (optax's default is 0.3)");
    }
    if (!(divFactor > 0) || !(finalDivFactor > 0) || Double.isInfinite(divFactor) || Double.isInfinite(finalDivFactor)) {
      throw new IllegalArgumentException(
          "Schedule." + schedule + ": divFactor and finalDivFactor must be finite numbers > 0, got " + divFactor + " and "
              + finalDivFactor + " (optax's defaults are 25 and 1e4)");
    }
  }

  private static void checkBegin(String schedule, int transitionBegin) {
    if (transitionBegin < 0) {
      throw new IllegalArgumentException(
          "Schedule." + schedule + ": transitionBegin must be >= 0, got " + transitionBegin
              + " (the steps the initial value is held; optax falls back to 0)");
    }
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
