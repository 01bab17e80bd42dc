package dev.statelens.engine;

import static dev.statelens.engine.Optim.wrongState;

import dev.statelens.engine.Optim.AdamState;
import dev.statelens.engine.Optim.AddNoiseState;
import dev.statelens.engine.Optim.LearningRate;
import dev.statelens.engine.Optim.OptState;
import dev.statelens.engine.Optim.ScaleByAdaDeltaState;
import dev.statelens.engine.Optim.ScaleByNovogradState;
import dev.statelens.engine.Optim.ScaleBySM3State;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Yogi, Adadelta, NovoGrad, SM3 and noisy SGD's {@code add_noise}: optax's chains, each with its one
 * stateful part's state (as {@link OptimAdamFamily}'s).
 */
final class OptimMore {
  private OptimMore() {}

  /** optax's {@code yogi}: {@code scale_by_yogi}, then the learning rate. */
  record Yogi(LearningRate learningRate, double b1, double b2, double eps, double epsRoot, double initialAccumulatorValue)
      implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      Function<Array, Array> full = p -> Array.full(p.dtype(), p.shape(), initialAccumulatorValue);
      return new AdamState<>(Array.scalar(DType.I32, 0), Tree.map(full, params), Tree.map(full, params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof AdamState<P> s)) {
        throw wrongState("yogi", AdamState.class, state);
      }
      P mu = Moments.ema(grads, s.mu(), b1);
      // nu - (1 - b2)·sign(nu - g²)·g²: nu moves towards g² by a step of (1 - b2)·g², never past it by more
      P nu = Tree.map((g, v) -> {
        Array g2 = g.square();
        return v.sub(v.sub(g2).sign().mul(g2).mul(1 - b2));
      }, grads, s.nu());
      Array count = Optim.safeIncrement(s.count());
      Moments.Corrections c1 = new Moments.Corrections(b1, count, grads);
      Moments.Corrections c2 = new Moments.Corrections(b2, count, grads);
      Function<Array, Array> scale = learningRate.scaleAt(s.count());
      P updates = Tree.map((m, v) -> scale.apply(c1.correct(m).div(Moments.rootPlusEps(c2.correct(v), epsRoot, eps))), mu, nu);
      return Pair.of(updates, new AdamState<>(count, mu, nu));
    }
  }

  /**
   * optax's {@code adadelta}: {@code add_decayed_weights} (on the leaves {@code mask} accepts; all
   * when null), {@code scale_by_adadelta}, then a fixed {@code scale} ({@code -lr}, or 1 when a
   * schedule follows in a chain).
   */
  record Adadelta(double scale, double rho, double eps, double weightDecay, Predicate<String> mask)
      implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return new ScaleByAdaDeltaState<>(Tree.map(Array::zerosLike, params), Tree.map(Array::zerosLike, params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof ScaleByAdaDeltaState<P> s)) {
        throw wrongState("adadelta", ScaleByAdaDeltaState.class, state);
      }
      P g = weightDecay == 0 ? grads : decayed("adadelta", grads, params, weightDecay, mask);
      P eG = Moments.emaOfSquares(g, s.eG(), rho);
      // sqrt(E[dx²] + eps) / sqrt(E[g²] + eps) · g: the step in the units of the parameters
      P step = Tree.map((x, cur, prev) -> prev.add(eps).sqrt().div(cur.add(eps).sqrt()).mul(x), g, eG, s.eX());
      P eX = Moments.emaOfSquares(step, s.eX(), rho);
      return Pair.of(scale == 1 ? step : Tree.map(u -> u.mul(scale), step), new ScaleByAdaDeltaState<>(eG, eX));
    }
  }

  /** {@code updates + weightDecay · params} on the leaves {@code mask} accepts (all when null). */
  static <P> P decayed(String name, P updates, P params, double weightDecay, Predicate<String> mask) {
    return decayed(name, updates, params, mask, (u, p) -> u.add(p.mul(weightDecay)));
  }

  /**
   * {@code decay(update, param)} on the leaves {@code mask} accepts (all when null; the paths are
   * only read for a mask), the other updates as they are: every masked weight decay's loop.
   */
  static <P> P decayed(String name, P updates, P params, Predicate<String> mask, BinaryOperator<Array> decay) {
    if (params == null) {
      throw new IllegalArgumentException("Optim." + name + ".update: params is null; weight decay needs the current params,"
          + " pass them as the third argument (or use weightDecay 0)");
    }
    if (mask == null) {
      return Tree.map(decay::apply, updates, params);
    }
    List<String> paths = Tree.paths(params);
    int[] index = {0};
    return Tree.map((u, p) -> mask.test(paths.get(index[0]++)) ? decay.apply(u, p) : u, updates, params);
  }

  /**
   * optax's {@code novograd}: {@code scale_by_novograd}, then the learning rate. The second moment
   * is one number per leaf, the squared norm of its gradient; the first step starts both moments
   * from the gradient itself (optax's {@code cond} on {@code count == 1}, a select here).
   */
  record Novograd(LearningRate learningRate, double b1, double b2, double eps, double epsRoot, double weightDecay)
      implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return new ScaleByNovogradState<>(Array.scalar(DType.I32, 0), Tree.map(Array::zerosLike, params),
          Tree.map(p -> Array.scalar(p.dtype(), 0), params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof ScaleByNovogradState<P> s)) {
        throw wrongState("novograd", ScaleByNovogradState.class, state);
      }
      if (weightDecay != 0 && params == null) {
        throw new IllegalArgumentException("Optim.novograd.update: params is null; weight decay needs the current params,"
            + " pass them as the third argument (or use weightDecay 0)");
      }
      Array count = Optim.safeIncrement(s.count());
      Array first = count.eq(1);
      // jnp.linalg.norm(g) ** 2, as optax computes it (the root, then the square)
      P nu = Tree.map((g, n) -> {
        Array sq = Moments.norm(g).square().astype(n.dtype());
        return Array.where(first, sq, sq.mul(1 - b2).add(n.mul(b2)));
      }, grads, s.nu());
      P added = weightDecay == 0
          ? Tree.map((g, n) -> g.div(Moments.rootPlusEps(n, epsRoot, eps)), grads, nu)
          : Tree.map((g, n, p) -> g.div(Moments.rootPlusEps(n, epsRoot, eps)).add(p.mul(weightDecay)), grads, nu, params);
      P mu = Tree.map((a, m) -> Array.where(first, a, m.mul(b1).add(a)).astype(m.dtype()), added, s.mu());
      Function<Array, Array> scale = learningRate.scaleAt(s.count());
      return Pair.of(Tree.map(scale, mu), new ScaleByNovogradState<>(count, mu, nu));
    }
  }

  /**
   * optax's {@code sm3}: {@code scale_by_sm3(b1 = momentum, b2 = 1, eps = 1e-8)}, then
   * {@code scale(-lr)}. Each leaf of rank r keeps r accumulators, one per dim (its max over the
   * other dims); the second moment of an element is the least of its accumulators plus {@code g²}.
   */
  record Sm3(double learningRate, double momentum) implements Optim.Transform {
    private static final double EPS = 1e-8;

    @Override
    public <P> OptState<P> init(P params) {
      List<List<Array>> mu = new ArrayList<>();
      List<String> paths = Tree.paths(params);
      List<Array> leaves = Tree.leaves(params);
      for (int i = 0; i < leaves.size(); i++) {
        Array p = leaves.get(i);
        if (p.ndim() == 0) {
          throw new IllegalArgumentException(
              "Optim.sm3: leaf '" + paths.get(i) + "' is a scalar; SM3 keeps one accumulator per dim and a scalar has none"
                  + " (optax fails on it too): reshape it to [1], or leave it to another optimizer with Optim.partition");
        }
        List<Array> perDim = new ArrayList<>();
        for (int d = 0; d < p.ndim(); d++) {
          perDim.add(Array.zeros(p.dtype(), p.dim(d)));
        }
        mu.add(perDim);
      }
      return new ScaleBySM3State<>(mu, Tree.map(Array::zerosLike, params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof ScaleBySM3State<P> s)) {
        throw wrongState("sm3", ScaleBySM3State.class, state);
      }
      Tree.Flat flat = Tree.flatten(grads);
      List<Array> gs = flat.leaves();
      if (s.mu().size() != gs.size()) {
        throw new IllegalArgumentException("Optim.sm3.update: the ScaleBySM3State holds accumulators for " + s.mu().size()
            + " leaves, the gradients have " + gs.size() + "; pass the state that this optimizer's init(params) returned");
      }
      List<Array> ups = new ArrayList<>(gs.size());
      List<List<Array>> mu = new ArrayList<>(gs.size());
      for (int i = 0; i < gs.size(); i++) {
        Array g = gs.get(i);
        List<Array> v = s.mu().get(i);
        Array accum;
        List<Array> next = new ArrayList<>(g.ndim());
        if (g.ndim() < 2) {
          accum = g.square().add(v.get(0)); // optax's coefficients with b2 = 1 are (1, 1)
          next.add(accum);
        } else {
          Array least = null;
          for (int d = 0; d < g.ndim(); d++) {
            int[] shape = new int[g.ndim()];
            java.util.Arrays.fill(shape, 1);
            shape[d] = g.dim(d);
            Array expanded = v.get(d).reshape(shape);
            least = least == null ? expanded : least.minimum(expanded);
          }
          accum = g.square().add(least);
          for (int d = 0; d < g.ndim(); d++) {
            next.add(accum.max(otherAxes(d, g.ndim())));
          }
        }
        Array invSqrt = Array.where(accum.gt(0), accum.add(EPS).rsqrt(), 0.0);
        ups.add(g.mul(invSqrt));
        mu.add(next);
      }
      P up = flat.def().unflatten(ups);
      P nu = Moments.ema(up, s.nu(), momentum);
      return Pair.of(Tree.map(u -> u.mul(-learningRate), nu), new ScaleBySM3State<>(mu, nu));
    }

    private static int[] otherAxes(int axis, int ndim) {
      int[] out = new int[ndim - 1];
      for (int i = 0, j = 0; i < ndim; i++) {
        if (i != axis) {
          out[j++] = i;
        }
      }
      return out;
    }
  }

  /**
   * optax's {@code add_noise(eta, gamma, key)}: {@code g + sqrt(eta / t^gamma) · N(0, 1)} with
   * {@code t} the step from 1; the key in the state is split at every update, optax's way (one key
   * for the next update, one split again into a key per leaf), so the noise is JAX's bit for bit.
   * {@code scale} follows it ({@code -lr} for {@code noisy_sgd}, a schedule, or 1).
   */
  record AddNoise(double eta, double gamma, Key key, LearningRate learningRate) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      Tree.flatten(params);
      return new AddNoiseState<>(Array.scalar(DType.I32, 0), key);
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P updates, OptState<P> state, P params) {
      if (!(state instanceof AddNoiseState<P> s)) {
        throw wrongState(learningRate == null ? "addNoise" : "noisySgd", AddNoiseState.class, state);
      }
      Array count = Optim.safeIncrement(s.count());
      // sqrt(eta / t^gamma) in JAX's default float (int32 ** a Python float: F32, F64 under x64), cast per leaf
      DType stdDtype = Moments.defaultFloat(updates);
      Array std = count.astype(stdDtype).pow(gamma).rdiv(eta).sqrt();
      List<Key> next = Random.split(s.rngKey(), 2);
      Tree.Flat flat = Tree.flatten(updates);
      List<Key> leafKeys = Random.split(next.get(1), Math.max(flat.leaves().size(), 1));
      List<Array> out = new ArrayList<>();
      for (int i = 0; i < flat.leaves().size(); i++) {
        Array u = flat.leaves().get(i);
        Array noise = Random.normal(leafKeys.get(i), u.shape(), u.dtype());
        out.add(u.add(std.astype(u.dtype()).mul(noise)));
      }
      P noisy = flat.def().unflatten(out);
      P scaled = learningRate == null ? noisy : Tree.map(learningRate.scaleAt(s.count()), noisy);
      return Pair.of(scaled, new AddNoiseState<>(count, next.get(0)));
    }
  }
}
