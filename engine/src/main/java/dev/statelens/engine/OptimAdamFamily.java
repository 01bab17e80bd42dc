package dev.statelens.engine;

import static dev.statelens.engine.Optim.wrongState;

import dev.statelens.engine.Optim.AdamState;
import dev.statelens.engine.Optim.LearningRate;
import dev.statelens.engine.Optim.OptState;
import dev.statelens.engine.Optim.ScaleByAdanState;
import dev.statelens.engine.Optim.ScaleByAmsgradState;
import dev.statelens.engine.Optim.ScaleByBeliefState;
import java.util.function.Function;
import java.util.function.Predicate;

/** Adamax, AdaBelief, RAdam, LAMB, AMSGrad and Adan: optax's chains, each with its one stateful part's state. */
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
      Moments.Corrections c1 = new Moments.Corrections(b1, count, grads);
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
      Moments.Corrections c1 = new Moments.Corrections(b1, count, grads);
      Moments.Corrections c2 = new Moments.Corrections(b2, count, grads);
      P muHat = nesterov ? Moments.nesterovMuHat(mu, grads, b1, c1) : Tree.map(c1::correct, mu);
      Function<Array, Array> scale = learningRate.scaleAt(s.count());
      P updates = Tree.map((m, v) -> scale.apply(m.div(c2.correct(v).sqrt().add(eps))), muHat, nu);
      return Pair.of(updates, new ScaleByBeliefState<>(count, mu, nu));
    }
  }

  /**
   * optax's {@code radam}: {@code scale_by_radam}, then the learning rate. The rectification term
   * depends only on the step; it is computed in JAX's default float (F32, or F64 when the params are F64:
   * x64) and cast, as optax does.
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
      // ro in JAX's default float (b2 ** count: F32, F64 under x64), as optax computes it
      DType roDtype = Moments.defaultFloat(grads);
      Array t = count.astype(roDtype);
      Array b2t = Array.scalar(roDtype, b2).pow(t);
      Array ro = t.mul(b2t).mul(2).div(b2t.rsub(1)).rsub(roInf);
      // sqrt((ro-4)(ro-2)ro_inf / ((ro_inf-4)(ro_inf-2)ro)); NaN while ro < 4, but then the select drops it
      Array r = ro.sub(4).mul(ro.sub(2)).mul(roInf).div(ro.mul((roInf - 4) * (roInf - 2))).sqrt();
      Array rectify = ro.ge(threshold);
      Moments.Corrections c1 = new Moments.Corrections(b1, count, grads);
      Moments.Corrections c2 = new Moments.Corrections(b2, count, grads);
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
      Moments.Corrections c1 = new Moments.Corrections(b1, count, grads);
      Moments.Corrections c2 = new Moments.Corrections(b2, count, grads);
      Function<Array, Array> scale = learningRate.scaleAt(s.count());
      P direction = Tree.map((m, v) -> c1.correct(m).div(Moments.rootPlusEps(c2.correct(v), epsRoot, eps)), mu, nu);
      P decayed = weightDecay == 0 ? direction : OptimMore.decayed("lamb", direction, params, weightDecay, mask);
      // the trust ratio scales every leaf, the masked-off ones too (optax's)
      P updates = Tree.map((u, p) -> scale.apply(u.mul(OptimTransforms.ScaleByTrustRatio.ratio(u, p, 0.0, 1.0, 0.0))),
          decayed, params);
      return Pair.of(updates, new AdamState<>(count, mu, nu));
    }
  }

  /** optax's {@code amsgrad}: {@code scale_by_amsgrad}, then the learning rate. */
  record Amsgrad(LearningRate learningRate, double b1, double b2, double eps, double epsRoot, DType muDtype,
      boolean biasCorrectionMu, boolean biasCorrectionNu) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      P mu = Tree.map(p -> muDtype == null ? Array.zerosLike(p) : Array.zeros(muDtype, p.shape()), params);
      return new ScaleByAmsgradState<>(Array.scalar(DType.I32, 0), mu, Tree.map(Array::zerosLike, params),
          Tree.map(Array::zerosLike, params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof ScaleByAmsgradState<P> s)) {
        throw wrongState("amsgrad", ScaleByAmsgradState.class, state);
      }
      P mu = Moments.ema(grads, s.mu(), b1);
      P nu = Moments.emaOfSquares(grads, s.nu(), b2);
      Array count = Optim.safeIncrement(s.count());
      Moments.Corrections c1 = new Moments.Corrections(b1, count, grads);
      Moments.Corrections c2 = new Moments.Corrections(b2, count, grads);
      P muHat = biasCorrectionMu ? Tree.map(c1::correct, mu) : mu;
      // the running maximum of the (corrected) second moment: the step never grows back when nu shrinks
      P nuMax = Tree.map((m, v) -> m.maximum(biasCorrectionNu ? c2.correct(v) : v), s.nuMax(), nu);
      Function<Array, Array> scale = learningRate.scaleAt(s.count());
      P updates = Tree.map((m, v) -> scale.apply(m.div(Moments.rootPlusEps(v, epsRoot, eps))), muHat, nuMax);
      P kept = muDtype == null ? mu : Tree.map(m -> m.astype(muDtype), mu);
      return Pair.of(updates, new ScaleByAmsgradState<>(count, kept, nu, nuMax));
    }
  }

  /** optax's {@code adan}: {@code scale_by_adan}, {@code add_decayed_weights}, then the learning rate. */
  record Adan(LearningRate learningRate, double b1, double b2, double b3, double eps, double epsRoot, double weightDecay,
      Predicate<String> mask) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return new ScaleByAdanState<>(Tree.map(Array::zerosLike, params), Tree.map(Array::zerosLike, params),
          Tree.map(Array::zerosLike, params), Tree.map(Array::zerosLike, params), Array.scalar(DType.I32, 0));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof ScaleByAdanState<P> s)) {
        throw wrongState("adan", ScaleByAdanState.class, state);
      }
      Array first = s.t().eq(0);
      // the gradient's change since the last step; none before the first
      P diff = Tree.map((g, prev) -> Array.where(first, Array.zerosLike(g), g.sub(prev)), grads, s.g());
      P m = Moments.ema(grads, s.m(), b1);
      P v = Moments.ema(diff, s.v(), b2);
      P n = Moments.emaOfSquares(Tree.map((g, d) -> g.add(d.mul(1 - b2)), grads, diff), s.n(), b3);
      Array t = Optim.safeIncrement(s.t());
      Moments.Corrections c1 = new Moments.Corrections(b1, t, grads);
      Moments.Corrections c2 = new Moments.Corrections(b2, t, grads);
      Moments.Corrections c3 = new Moments.Corrections(b3, t, grads);
      P direction = Tree.map((mi, vi, ni) -> c1.correct(mi).add(c2.correct(vi).mul(1 - b2))
          .div(Moments.rootPlusEps(c3.correct(ni), epsRoot, eps)), m, v, n);
      P decayed = weightDecay == 0 ? direction : OptimMore.decayed("adan", direction, params, weightDecay, mask);
      Function<Array, Array> scale = learningRate.scaleAt(s.t());
      return Pair.of(Tree.map(scale, decayed), new ScaleByAdanState<>(m, v, n, grads, t));
    }
  }
}
