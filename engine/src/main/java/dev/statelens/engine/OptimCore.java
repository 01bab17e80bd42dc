package dev.statelens.engine;

import static dev.statelens.engine.Optim.wrongState;

import dev.statelens.engine.Optim.AdamState;
import dev.statelens.engine.Optim.ApplyIfFiniteState;
import dev.statelens.engine.Optim.ChainState;
import dev.statelens.engine.Optim.LearningRate;
import dev.statelens.engine.Optim.MultiStepsState;
import dev.statelens.engine.Optim.OptState;
import dev.statelens.engine.Optim.Optimizer;
import dev.statelens.engine.Optim.ScaleByLionState;
import dev.statelens.engine.Optim.ScaleByRStdDevState;
import dev.statelens.engine.Optim.ScaleByRmsState;
import dev.statelens.engine.Optim.ScaleByRssState;
import dev.statelens.engine.Optim.SgdState;
import dev.statelens.engine.Optim.TraceState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The implementations behind {@link Optim}'s first optimizers: SGD, momentum ({@code trace}), the
 * Adam/AdamW/NAdam(W) record, global-norm clipping, {@code chain}, RMSProp, Adagrad, Lion and the
 * wrappers {@code apply_if_finite}, {@code MultiSteps}, {@code add_decayed_weights}. The factories,
 * states and checks stay in {@link Optim}, the facade.
 */
final class OptimCore {
  private OptimCore() {}

  record Sgd(double learningRate) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      Tree.flatten(params); // reject a non-pytree now rather than at the first update
      return new SgdState<>();
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof SgdState<P>)) {
        throw wrongState("sgd", SgdState.class, state);
      }
      P updates = Tree.map(g -> g.mul(-learningRate), grads);
      return Pair.of(updates, state);
    }
  }

  /** optax's {@code trace}, then a fixed scale ({@code -lr}; 1 when a schedule follows in a chain). */
  record Momentum(String name, double decay, boolean nesterov, double scale) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return new TraceState<>(Tree.map(Array::zerosLike, params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof TraceState<P> s)) {
        throw wrongState(name, TraceState.class, state);
      }
      P trace = Tree.map((g, t) -> g.add(t.mul(decay)), grads, s.trace());
      P updates = nesterov ? Tree.map((g, t) -> g.add(t.mul(decay)), grads, trace) : trace;
      if (scale != 1) {
        updates = Tree.map(u -> u.mul(scale), updates);
      }
      return Pair.of(updates, new TraceState<>(trace));
    }
  }

  /**
   * optax's {@code adam} and, with {@code weightDecay > 0}, {@code adamw}; with {@code nesterov}
   * {@code nadam}/{@code nadamw}.
   */
  record Adam(String name, LearningRate learningRate, double b1, double b2, double eps, double weightDecay,
      boolean nesterov, double epsRoot, DType muDtype, Predicate<String> mask) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      P mu = Tree.map(p -> muDtype == null ? Array.zerosLike(p) : Array.zeros(muDtype, p.shape()), params);
      return new AdamState<>(Array.scalar(DType.I32, 0), mu, Tree.map(Array::zerosLike, params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof AdamState<P> s)) {
        throw wrongState(name, AdamState.class, state);
      }
      if (weightDecay != 0 && params == null) {
        throw new IllegalArgumentException(
            "Optim." + name + ".update: params is null; weight decay needs the current params, pass them as the third argument");
      }
      P mu = Moments.ema(grads, s.mu(), b1);
      P nu = Moments.emaOfSquares(grads, s.nu(), b2);
      Function<Array, Array> scale = learningRate.scaleAt(s.count()); // the count before this update
      Array count = s.count().add(1);
      Moments.Corrections c1 = new Moments.Corrections(b1, count, grads);
      Moments.Corrections c2 = new Moments.Corrections(b2, count, grads);
      P muHat = nesterov ? Moments.nesterovMuHat(mu, grads, b1, c1) : Tree.map(c1::correct, mu);
      P direction = Tree.map((m, v) -> m.div(Moments.rootPlusEps(c2.correct(v), epsRoot, eps)), muHat, nu);
      // optax.add_decayed_weights: u + weight_decay * params (on the masked leaves), before the learning rate.
      P decayed = weightDecay == 0 ? direction : OptimMore.decayed(name, direction, params, weightDecay, mask);
      // mu_dtype: the update uses the moment before its cast, the state keeps it in muDtype (optax's order)
      P kept = muDtype == null ? mu : Tree.map(m -> m.astype(muDtype), mu);
      return Pair.of(Tree.map(scale, decayed), new AdamState<>(count, kept, nu));
    }
  }

  record ClipByGlobalNorm(double maxNorm) implements Optim.StatelessTransform {
    @Override
    public String name() {
      return "clipByGlobalNorm";
    }

    @Override
    public <P> P map(P grads, P params) {
      Array norm = Optim.globalNorm(grads);
      Array keep = norm.lt(maxNorm);
      return Tree.map(g -> Array.where(keep, g, g.div(norm.astype(g.dtype())).mul(maxNorm)), grads);
    }
  }

  record Chain(List<Optimizer> parts) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      List<OptState<P>> states = new ArrayList<>(parts.size());
      for (Optimizer o : parts) {
        states.add(o.init(params));
      }
      return new ChainState<>(states);
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof ChainState<P> s)) {
        throw wrongState("chain", ChainState.class, state);
      }
      if (s.states().size() != parts.size()) {
        throw new IllegalArgumentException(
            "Optim.chain.update: the ChainState holds " + s.states().size() + " states for a chain of "
                + parts.size() + " optimizers; pass the state that this chain's init(params) returned");
      }
      P updates = grads;
      List<OptState<P>> next = new ArrayList<>(parts.size());
      for (int i = 0; i < parts.size(); i++) {
        Optimizer o = parts.get(i);
        // Parts defined here skip their own tap: the chain tapped the raw gradients already.
        Pair<P, OptState<P>> r = Optim.transformPart(o, updates, s.states().get(i), params);
        updates = r.first();
        next.add(r.second());
      }
      return Pair.of(updates, new ChainState<>(next));
    }
  }

  /**
   * optax's {@code scale_by_rms} / {@code scale_by_stddev} (centered), then a fixed scale
   * ({@code -lr}, or 1 when a schedule follows in a chain).
   */
  record ScaleByRms(double decay, double eps, double initialScale, boolean centered, double scale)
      implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      P nu = Tree.map(p -> Array.full(p.dtype(), p.shape(), initialScale), params);
      return centered ? new ScaleByRStdDevState<>(Tree.map(Array::zerosLike, params), nu) : new ScaleByRmsState<>(nu);
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      P nu;
      P updates;
      OptState<P> next;
      if (centered) {
        if (!(state instanceof ScaleByRStdDevState<P> s)) {
          throw wrongState("rmsprop", ScaleByRStdDevState.class, state);
        }
        P mu = Moments.ema(grads, s.mu(), decay);
        nu = Moments.emaOfSquares(grads, s.nu(), decay);
        updates = Tree.map((g, m, n) -> g.mul(n.sub(m.square()).add(eps).rsqrt()), grads, mu, nu);
        next = new ScaleByRStdDevState<>(mu, nu);
      } else {
        if (!(state instanceof ScaleByRmsState<P> s)) {
          throw wrongState("rmsprop", ScaleByRmsState.class, state);
        }
        nu = Moments.emaOfSquares(grads, s.nu(), decay);
        updates = Tree.map((g, n) -> g.mul(n.add(eps).rsqrt()), grads, nu);
        next = new ScaleByRmsState<>(nu);
      }
      return Pair.of(scale == 1 ? updates : Tree.map(u -> u.mul(scale), updates), next);
    }
  }

  /** optax's {@code scale_by_rss} (Adagrad), then a fixed scale as in {@link ScaleByRms}. */
  record ScaleByRss(double initialAccumulatorValue, double eps, double scale) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return new ScaleByRssState<>(Tree.map(p -> Array.full(p.dtype(), p.shape(), initialAccumulatorValue), params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof ScaleByRssState<P> s)) {
        throw wrongState("adagrad", ScaleByRssState.class, state);
      }
      P sum = Tree.map((g, t) -> g.square().add(t), grads, s.sumOfSquares());
      // optax: where(t > 0, rsqrt(t + eps), 0) — a zero accumulator (zero start, zero grads) gives 0, not inf
      P updates = Tree.map((g, t) -> Array.where(t.gt(0), t.add(eps).rsqrt(), 0.0).mul(g), grads, sum);
      return Pair.of(scale == 1 ? updates : Tree.map(u -> u.mul(scale), updates), new ScaleByRssState<>(sum));
    }
  }

  /** optax's {@code lion}: {@code scale_by_lion}, {@code add_decayed_weights}, the learning rate. */
  record Lion(LearningRate learningRate, double b1, double b2, double weightDecay, DType muDtype, Predicate<String> mask)
      implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return new ScaleByLionState<>(Array.scalar(DType.I32, 0),
          Tree.map(p -> muDtype == null ? Array.zerosLike(p) : Array.zeros(muDtype, p.shape()), params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof ScaleByLionState<P> s)) {
        throw wrongState("lion", ScaleByLionState.class, state);
      }
      // a null params with weightDecay > 0 is refused by OptimMore.decayed, before anything reads it
      P direction = Tree.map((g, m) -> g.mul(1 - b1).add(m.mul(b1)).sign(), grads, s.mu());
      P mu = Moments.ema(grads, s.mu(), b2);
      Function<Array, Array> scale = learningRate.scaleAt(s.count());
      P decayed = weightDecay == 0 ? direction : OptimMore.decayed("lion", direction, params, weightDecay, mask);
      P kept = muDtype == null ? mu : Tree.map(m -> m.astype(muDtype), mu);
      return Pair.of(Tree.map(scale, decayed), new ScaleByLionState<>(Optim.safeIncrement(s.count()), kept));
    }
  }

  /** optax's {@code apply_if_finite}. */
  record ApplyIfFinite(Optimizer inner, int maxConsecutiveErrors) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      Array zero = Array.scalar(DType.I32, 0);
      return new ApplyIfFiniteState<>(zero, Array.scalar(DType.BOOL, 1), zero, inner.init(params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof ApplyIfFiniteState<P> s)) {
        throw wrongState("applyIfFinite", ApplyIfFiniteState.class, state);
      }
      Array finite = Array.scalar(DType.BOOL, 1);
      for (Array leaf : Tree.leaves(grads)) {
        finite = finite.logicalAnd(leaf.isFinite().all());
      }
      Array notfinite = Array.where(finite, 0, Optim.safeIncrement(s.notfiniteCount()));
      Array apply = finite.logicalOr(notfinite.gt(maxConsecutiveErrors));
      OptState<P> innerState = s.innerState();
      Pair<P, OptState<P>> r = Lax.cond(apply,
          () -> Optim.transformPart(inner, grads, innerState, params),
          () -> Pair.of(Tree.map(Array::zerosLike, grads), innerState));
      Array total = Array.where(finite, s.totalNotfinite(), Optim.safeIncrement(s.totalNotfinite()));
      return Pair.of(r.first(), new ApplyIfFiniteState<>(notfinite, finite, total, r.second()));
    }
  }

  /** optax's {@code MultiSteps} with {@code use_grad_mean=True} and a fixed k. */
  record MultiSteps(Optimizer inner, int k) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      Array zero = Array.scalar(DType.I32, 0);
      return new MultiStepsState<>(zero, zero, inner.init(params), Tree.map(Array::zerosLike, params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof MultiStepsState<P> s)) {
        throw wrongState("multiSteps", MultiStepsState.class, state);
      }
      Array n = s.miniStep().add(1);
      P acc = Tree.map((g, a) -> a.add(g.sub(a).div(n.astype(a.dtype()))), grads, s.accGrads());
      Pair<P, OptState<P>> r = Optim.transformPart(inner, acc, s.innerOptState(), params);
      Array emit = s.miniStep().eq(k - 1);
      // optax multiplies by emit / (1 - emit); a select gives the same on finite values and keeps a
      // non-finite inner result of a dropped mini-step from leaking in (0 * NaN is NaN).
      P updates = Tree.map(u -> Array.where(emit, u, Array.zerosLike(u)), r.first());
      OptState<P> innerState = Tree.map((nst, st) -> Array.where(emit, nst, st), r.second(), s.innerOptState());
      P nextAcc = Tree.map(a -> Array.where(emit, Array.zerosLike(a), a), acc);
      Array miniStep = Optim.safeIncrement(s.miniStep()).rem(k);
      Array gradientStep = Array.where(emit, Optim.safeIncrement(s.gradientStep()), s.gradientStep());
      return Pair.of(updates, new MultiStepsState<>(miniStep, gradientStep, innerState, nextAcc));
    }
  }

  /** optax's {@code add_decayed_weights}, with the mask a test on each leaf's path. */
  record AddDecayedWeights(double weightDecay, Predicate<String> mask) implements Optim.StatelessTransform {
    @Override
    public String name() {
      return "addDecayedWeights";
    }

    @Override
    public <P> P map(P updates, P params) {
      if (params == null) {
        throw new IllegalArgumentException(
            "Optim.addDecayedWeights.update: params is null; weight decay needs the current params, pass them as the third argument");
      }
      return OptimMore.decayed(name(), updates, params, weightDecay, mask);
    }
  }
}
