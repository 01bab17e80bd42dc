package dev.statelens.engine;

import static dev.statelens.engine.Optim.wrongState;

import dev.statelens.engine.Optim.InjectHyperparamsState;
import dev.statelens.engine.Optim.OptState;
import dev.statelens.engine.Optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * optax's {@code inject_hyperparams}: the hyperparameters live in the state as scalar arrays, and the
 * inner optimizer is rebuilt from them at every update, so a jitted step sees them as traced inputs
 * (one graph whatever their values) and a schedule given for one is evaluated from the state's count.
 */
final class OptimInject {
  private OptimInject() {}

  /**
   * The hyperparameters handed to the factory of {@link Optim#injectHyperparams}: each one the
   * scalar array of the current update (traced under {@code jit}).
   */
  static final class Values implements Optim.Hyperparams {
    private final Map<String, Array> values;

    Values(Map<String, Array> values) {
      this.values = values;
    }

    @Override
    public Array value(String name) {
      Array v = values.get(name);
      if (v == null) {
        throw new IllegalArgumentException(
            "Optim.injectHyperparams: the factory asked for hyperparameter '" + name + "', which is not among "
                + values.keySet() + "; add it to the map given to injectHyperparams, e.g. Map.of(\"" + name + "\", 1e-3)");
      }
      return v;
    }

    @Override
    public Schedule get(String name) {
      Array v = value(name);
      return count -> v;
    }
  }

  /**
   * The wrapper: {@code spec} ({@link #checkSpec}'s sorted map) maps each name to its start value (a
   * Double) or its {@link Schedule}.
   */
  record Inject(Function<Optim.Hyperparams, Optimizer> factory, Map<String, Object> spec) implements Optim.Transform {

    @Override
    public <P> OptState<P> init(P params) {
      DType dt = highestFloat(params);
      Array count = Array.scalar(DType.I32, 0);
      Map<String, Array> values = current(Map.of(), count, dt);
      return new InjectHyperparamsState<>(count, values, inner(values).init(params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof InjectHyperparamsState<P> s)) {
        throw wrongState("injectHyperparams", InjectHyperparamsState.class, state);
      }
      if (!s.hyperparams().keySet().equals(spec.keySet())) {
        throw new IllegalArgumentException(
            "Optim.injectHyperparams.update: the state holds hyperparameters " + s.hyperparams().keySet()
                + ", this optimizer injects " + spec.keySet()
                + "; pass the state that this optimizer's init(params) (or its previous update) returned");
      }
      DType dt = highestFloat(params == null ? grads : params);
      Map<String, Array> values = current(s.hyperparams(), s.count(), dt);
      Pair<P, OptState<P>> r = Optim.transformPart(inner(values), grads, s.innerState(), params);
      return Pair.of(r.first(), new InjectHyperparamsState<>(Optim.safeIncrement(s.count()), values, r.second()));
    }

    private Optimizer inner(Map<String, Array> values) {
      Optimizer o = factory.apply(new Values(values));
      if (o == null) {
        throw new IllegalArgumentException("Optim.injectHyperparams: the factory returned null; it must return the optimizer"
            + " built from the hyperparameters, e.g. hp -> Optim.adam(hp.get(\"learning_rate\"))");
      }
      return o;
    }

    /**
     * This update's values: a schedule's at {@code count} (optax reads it before the increment), the
     * others as the state holds them (a user may have changed them) or, at init, the given numbers;
     * floats in {@code dt}, the params' widest float dtype, as optax's default {@code hyperparam_dtype}.
     */
    private Map<String, Array> current(Map<String, Array> held, Array count, DType dt) {
      Map<String, Array> out = new LinkedHashMap<>();
      spec.forEach((name, v) -> {
        Array a;
        if (v instanceof Schedule sched) {
          a = Optim.scheduleValue("injectHyperparams", sched, count).astype(dt);
        } else if (held.containsKey(name)) {
          a = held.get(name); // optax's _convert_floats leaves a strong array alone
        } else {
          a = Array.scalar(dt, ((Number) v).doubleValue());
        }
        out.put(name, a);
      });
      return out;
    }
  }

  /** optax.tree.dtype(params, 'highest') for the float leaves; F32 when there are none. */
  static DType highestFloat(Object tree) {
    DType dt = null;
    for (Array leaf : Tree.leaves(tree)) {
      if (leaf.dtype().isFloating()) {
        dt = dt == null ? leaf.dtype() : DType.promote(dt, leaf.dtype());
      }
    }
    return dt == null ? DType.F32 : dt;
  }

  /** Checks the map given to {@link Optim#injectHyperparams}: names non-null, values finite numbers or schedules. */
  static Map<String, Object> checkSpec(Map<String, ?> hyperparams) {
    Objects.requireNonNull(hyperparams, "Optim.injectHyperparams: hyperparams (name -> start value or Schedule)");
    if (hyperparams.isEmpty()) {
      throw new IllegalArgumentException(
          "Optim.injectHyperparams: no hyperparameters given; pass at least one, e.g. Map.of(\"learning_rate\", 1e-3)");
    }
    Map<String, Object> out = new TreeMap<>();
    hyperparams.forEach((name, v) -> {
      if (name == null) {
        throw new IllegalArgumentException("Optim.injectHyperparams: a hyperparameter has a null name");
      }
      if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
        out.put(name, n.doubleValue());
      } else if (v instanceof Schedule s) {
        out.put(name, s);
      } else {
        throw new IllegalArgumentException(
            "Optim.injectHyperparams: hyperparameter '" + name + "' is " + v + (v == null ? "" : " (a " + v.getClass().getSimpleName() + ")")
                + "; give a finite number (its start value, changed later with state.withHyperparam) or a Schedule"
                + " (evaluated from the count at every update); flags such as nesterov stay arguments of the factory");
      }
    });
    return out;
  }
}
