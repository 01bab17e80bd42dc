package dev.statelens.engine;

import static dev.statelens.engine.Optim.wrongState;

import dev.statelens.engine.Optim.AdamState;
import dev.statelens.engine.Optim.LearningRate;
import dev.statelens.engine.Optim.OptState;
import dev.statelens.engine.Optim.ScaleByBeliefState;
import java.util.function.Function;

/** Adamax, AdaBelief, RAdam and LAMB: optax's chains, each with its one stateful part's state. */
final class OptimAdamFamily {
  private OptimAdamFamily() {}

  private static <P> AdamState<P> zeros(P params) {
    return new AdamState<>(Array.scalar(DType.I32, 0), Tree.map(Array::zerosLike, params), Tree.map(Array::zerosLike, params));
  }

  /** optax's {@code adamax}: {@code scale_by_adamax}, then the learning rate. */
  record Adamax(LearningRate learningRate, double b1, double b2, double eps) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return zeros(params);
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof AdamState<P> s)) {
        throw wrongState("adamax", AdamState.class, state);
      }
      Array count = Optim.safeIncrement(s.count());
      P mu = Moments.ema(grads, s.mu(), b1);
      // optax's update_infinity_moment: max(|g| + eps, b2 * nu)
      P nu = Tree.map((g, v) -> g.abs().add(eps).maximum(v.mul(b2)), grads, s.nu());
      Moments.Corrections c1 = new Moments.Corrections(b1, count);
      Function<Array, Array> scale = learningRate.scaleAt(s.count());
      P updates = Tree.map((m, v) -> scale.apply(c1.correct(m).div(v)), mu, nu);
      return Pair.of(updates, new AdamState<>(count, mu, nu));
    }
  }

  /** optax's {@code adabelief}: {@code scale_by_belief}, then the learning rate. */
  record Belief(LearningRate learningRate, double b1, double b2, double eps, double epsRoot, boolean nesterov)
      implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return new ScaleByBeliefState<>(Array.scalar(DType.I32, 0), Tree.map(Array::zerosLike, params), Tree.map(Array::zerosLike, params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof ScaleByBeliefState<P> s)) {
        throw wrongState("adabelief", ScaleByBeliefState.class, state);
      }
      P mu = Moments.ema(grads, s.mu(), b1);
      // the second moment of the prediction error g - mu (the "belief"), plus eps_root
      P nu = Tree.map((g, m, v) -> g.sub(m).square().mul(1 - b2).add(v.mul(b2)).add(epsRoot), grads, mu, s.nu());
      Array count = Optim.safeIncrement(s.count());
      Moments.Corrections c1 = new Moments.Corrections(b1, count);
      Moments.Corrections c2 = new Moments.Corrections(b2, count);
      P muHat = nesterov ? Moments.nesterovMuHat(mu, grads, b1, c1) : Tree.map(c1::correct, mu);
      Function<Array, Array> scale = learningRate.scaleAt(s.count());
      P updates = Tree.map((m, v) -> scale.apply(m.div(c2.correct(v).sqrt().add(eps))), muHat, nu);
      return Pair.of(updates, new ScaleByBeliefState<>(count, mu, nu));
    }
  }

  /**
   * optax's {@code radam}: {@code scale_by_radam}, then the learning rate. The rectification term
   * depends only on the step, so it is computed in F64 and cast, as optax does under x64.
   */
  record RAdam(LearningRate learningRate, double b1, double b2, double eps, double threshold, boolean nesterov, double epsRoot)
      implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return zeros(params);
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof AdamState<P> s)) {
        throw wrongState("radam", AdamState.class, state);
      }
      P mu = Moments.ema(grads, s.mu(), b1);
      P nu = Moments.emaOfSquares(grads, s.nu(), b2);
      Array count = Optim.safeIncrement(s.count());
      double roInf = 2.0 / (1.0 - b2) - 1.0;
      Array t = count.astype(DType.F64);
      Array b2t = Array.scalar(DType.F64, b2).pow(t);
      Array ro = t.mul(b2t).mul(2).div(b2t.rsub(1)).rsub(roInf);
      // sqrt((ro-4)(ro-2)ro_inf / ((ro_inf-4)(ro_inf-2)ro)); NaN while ro < 4, but then the select drops it
      Array r = ro.sub(4).mul(ro.sub(2)).mul(roInf).div(ro.mul((roInf - 4) * (roInf - 2))).sqrt();
      Array rectify = ro.ge(threshold);
      Moments.Corrections c1 = new Moments.Corrections(b1, count);
      Moments.Corrections c2 = new Moments.Corrections(b2, count);
      P muHat = nesterov ? Moments.nesterovMuHat(mu, grads, b1, c1) : Tree.map(c1::correct, mu);
      Function<Array, Array> scale = learningRate.scaleAt(s.count());
      P updates = Tree.map((m, v) -> scale.apply(Array.where(rectify,
          r.astype(m.dtype()).mul(m).div(Moments.rootPlusEps(c2.correct(v), epsRoot, eps)), m)), muHat, nu);
      return Pair.of(updates, new AdamState<>(count, mu, nu));
    }
  }

  /**
   * optax's {@code lamb}: {@code scale_by_adam}, {@code add_decayed_weights},
   * {@code scale_by_trust_ratio}, then the learning rate.
   */
  record Lamb(LearningRate learningRate, double b1, double b2, double eps, double weightDecay, double epsRoot,
      java.util.function.Predicate<String> mask) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return zeros(params);
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof AdamState<P> s)) {
        throw wrongState("lamb", AdamState.class, state);
      }
      if (params == null) {
        throw new IllegalArgumentException(
            "Optim.lamb.update: params is null; the trust ratio ||params|| / ||update|| needs the current params,"
                + " pass them as the third argument");
      }
      P mu = Moments.ema(grads, s.mu(), b1);
      P nu = Moments.emaOfSquares(grads, s.nu(), b2);
      Array count = Optim.safeIncrement(s.count());
      Moments.Corrections c1 = new Moments.Corrections(b1, count);
      Moments.Corrections c2 = new Moments.Corrections(b2, count);
      Function<Array, Array> scale = learningRate.scaleAt(s.count());
      java.util.List<String> paths = mask == null ? null : Tree.paths(params);
      int[] index = {0};
      P updates = Tree.map((m, v, p) -> {
        Array u = c1.correct(m).div(Moments.rootPlusEps(c2.correct(v), epsRoot, eps));
        boolean decays = mask == null || mask.test(paths.get(index[0]++));
        if (weightDecay != 0 && decays) {
          u = u.add(p.mul(weightDecay));
        }
        return scale.apply(u.mul(OptimTransforms.ScaleByTrustRatio.ratio(u, p, 0.0, 1.0, 0.0)));
      }, mu, nu, params);
      return Pair.of(updates, new AdamState<>(count, mu, nu));
    }
  }
}
