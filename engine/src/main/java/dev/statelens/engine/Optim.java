package dev.statelens.engine;

import dev.statelens.engine.trace.RecordingTaps;
import dev.statelens.engine.trace.TraceStack;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Optimizers with explicit state, like optax: nothing is stored in the optimizer object, every
 * step takes the state in and hands the new state back, so a training step can be jitted.
 *
 * <pre>{@code
 * Optim.Optimizer opt = Optim.adam(1e-3);
 * Optim.OptState<Params> state = opt.init(params);
 * var step = Transforms.jit((Params p, Optim.OptState<Params> s, Array x) -> {
 *   Params g = Transforms.grad(Model::loss).apply(p, x);
 *   var r = opt.update(g, s, p);                       // (updates, newState)
 *   return Pair.of(Optim.applyUpdates(p, r.first()), r.second());
 * });
 * }</pre>
 *
 * <p>The states are records, so they are pytrees and their leaves have readable paths: an
 * {@link AdamState} passed as {@code opt_state} records as {@code opt_state.count},
 * {@code opt_state.mu.weight}, {@code opt_state.nu.weight}. The step counter is an I32 array,
 * not a Java int, so it is traced (not baked in) under {@code jit}.
 */
public final class Optim {

  private Optim() {}

  /** The state of an optimizer for parameters of type {@code P}; a pytree. */
  public interface OptState<P> {}

  /**
   * A gradient transformation with explicit state (optax's {@code GradientTransformation}).
   * Implementations must be pure: {@code update} may not change the optimizer or its
   * arguments, so it can run under {@code jit}.
   */
  public interface Optimizer {

    /** The initial state for {@code params} (a pytree of arrays). */
    <P> OptState<P> init(P params);

    /**
     * The updates to add to {@code params} ({@link Optim#applyUpdates}) and the next state.
     *
     * @param grads gradients, with the structure of {@code params}
     * @param state the state from {@link #init} or the previous {@code update}
     * @param params the current parameters
     */
    <P> Pair<P, OptState<P>> update(P grads, OptState<P> state, P params);
  }

  /** Plain SGD keeps no state (optax's {@code EmptyState}). */
  public record SgdState<P>() implements OptState<P> {}

  /**
   * Adam's state (optax's {@code ScaleByAdamState}).
   *
   * @param count the number of updates so far, I32 scalar
   * @param mu first-moment estimate, same structure as the params
   * @param nu second-moment estimate, same structure as the params
   */
  public record AdamState<P>(Array count, P mu, P nu) implements OptState<P> {
    public AdamState {
      Objects.requireNonNull(count, "count");
      if (count.ndim() != 0 || count.dtype() != DType.I32) {
        throw new IllegalArgumentException(
            "AdamState.count must be an I32 scalar, got " + count.aval()
                + "; build the state with Optim.adam(...).init(params)");
      }
    }
  }

  /** {@code optax.sgd(learning_rate)}: {@code updates = -lr * grads}. */
  public static Optimizer sgd(double learningRate) {
    return new Sgd(checkLearningRate("sgd", learningRate));
  }

  /** {@code optax.adam(learning_rate)} with optax's defaults b1=0.9, b2=0.999, eps=1e-8. */
  public static Optimizer adam(double learningRate) {
    return adam(learningRate, 0.9, 0.999, 1e-8);
  }

  /**
   * {@code optax.adam(learning_rate, b1, b2, eps)}: with {@code t} the step number from 1,
   * {@code mu = b1*mu + (1-b1)*g}, {@code nu = b2*nu + (1-b2)*g²},
   * {@code updates = -lr * (mu/(1-b1^t)) / (sqrt(nu/(1-b2^t)) + eps)}.
   */
  public static Optimizer adam(double learningRate, double b1, double b2, double eps) {
    checkLearningRate("adam", learningRate);
    checkDecay("b1", b1);
    checkDecay("b2", b2);
    if (!(eps >= 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException(
          "Optim.adam: eps must be a finite number >= 0, got " + eps + " (optax's default is 1e-8)");
    }
    return new Adam(learningRate, b1, b2, eps);
  }

  /**
   * {@code optax.apply_updates}: {@code params + updates}, leaf by leaf, each result cast back
   * to its parameter's dtype.
   *
   * @throws TreeStructureError if {@code updates} does not have the structure of {@code params}
   */
  public static <P> P applyUpdates(P params, P updates) {
    return Tree.map((p, u) -> p.add(u).astype(p.dtype()), params, updates);
  }

  // ---- implementations -------------------------------------------------------------------------

  private record Sgd(double learningRate) implements Optimizer {
    @Override
    public <P> OptState<P> init(P params) {
      Tree.flatten(params); // reject a non-pytree now rather than at the first update
      return new SgdState<>();
    }

    @Override
    public <P> Pair<P, OptState<P>> update(P grads, OptState<P> state, P params) {
      if (!(state instanceof SgdState<P>)) {
        throw wrongState("sgd", SgdState.class, state);
      }
      tapGradients(grads, params);
      P updates = Tree.map(g -> g.mul(-learningRate), grads);
      return Pair.of(updates, state);
    }
  }

  private record Adam(double learningRate, double b1, double b2, double eps) implements Optimizer {
    @Override
    public <P> OptState<P> init(P params) {
      return new AdamState<>(
          Array.scalar(DType.I32, 0), Tree.map(Array::zerosLike, params), Tree.map(Array::zerosLike, params));
    }

    @Override
    public <P> Pair<P, OptState<P>> update(P grads, OptState<P> state, P params) {
      if (!(state instanceof AdamState<P> s)) {
        throw wrongState("adam", AdamState.class, state);
      }
      tapGradients(grads, params);
      P mu = Tree.map((m, g) -> g.mul(1 - b1).add(m.mul(b1)), s.mu(), grads);
      P nu = Tree.map((v, g) -> g.square().mul(1 - b2).add(v.mul(b2)), s.nu(), grads);
      Array count = s.count().add(1);
      // Bias corrections 1 - b^t, once per floating dtype the moments use. Written as
      // -expm1(t*log b): in F32, 1 - 0.999f^t loses ~1e-5 relative to cancellation (0.999f is not
      // 0.999), which this form avoids, so F32 Adam tracks the exact formula to ~1e-7.
      Map<DType, Array[]> corrections = new EnumMap<>(DType.class);
      P updates = Tree.map((m, v) -> {
        Array[] c = corrections.computeIfAbsent(m.dtype(), dt -> {
          Array t = count.astype(dt);
          return new Array[] {oneMinusPow(b1, t), oneMinusPow(b2, t)};
        });
        Array muHat = m.div(c[0]);
        Array nuHat = v.div(c[1]);
        return muHat.div(nuHat.sqrt().add(eps)).mul(-learningRate);
      }, mu, nu);
      return Pair.of(updates, new AdamState<>(count, mu, nu));
    }

    /** {@code 1 - b^t} for a traced step count {@code t >= 1}. */
    private static Array oneMinusPow(double b, Array t) {
      return t.mul(Math.log(b)).expm1().neg();
    }
  }

  /**
   * While a run is recorded, an update traced under jit adds a tap that hands the recorder the
   * gradients' norms at run time ({@code grad_norm/params.weight}, {@code grad_norm}; see
   * {@code Recorder.gradNorms}). Otherwise the graph is left as it is.
   */
  private static void tapGradients(Object grads, Object params) {
    if (TraceStack.isTracing()) {
      RecordingTaps.Tapper tapper = RecordingTaps.consult();
      if (tapper != null) {
        tapper.gradients(grads, params);
      }
    }
  }

  private static IllegalArgumentException wrongState(String optimizer, Class<?> expected, Object state) {
    return new IllegalArgumentException(
        "Optim." + optimizer + ".update: the state is "
            + (state == null ? "null" : "a " + state.getClass().getSimpleName())
            + ", expected a " + expected.getSimpleName()
            + "; pass the state that this optimizer's init(params) (or its previous update) returned");
  }

  private static double checkLearningRate(String optimizer, double learningRate) {
    if (!Double.isFinite(learningRate)) {
      throw new IllegalArgumentException(
          "Optim." + optimizer + ": the learning rate must be a finite number, got " + learningRate);
    }
    return learningRate;
  }

  private static void checkDecay(String name, double decay) {
    if (!(decay >= 0 && decay < 1)) {
      throw new IllegalArgumentException(
          "Optim.adam: " + name + " must be in [0, 1), got " + decay
              + " (optax's defaults are b1=0.9, b2=0.999)");
    }
  }
}
