package dev.statelens.engine;

import java.util.EnumMap;
import java.util.Map;

/** Shared pieces of the Adam family in {@link Optim}: bias corrections and NAdam's look-ahead. */
final class Moments {
  private Moments() {}

  /**
   * optax's {@code bias_correction}: {@code x / (1 - b^t)}, with {@code 1 - b^t} computed as optax
   * computes it, because users compare against optax: {@code b ** count} is a Python float to the
   * power of the int32 count, so JAX takes it in its default float dtype, {@code 1 - pow(b, float(t))}
   * in F32 (x64 off: {@code 0.999f} is 0.99900001, so the divisor is ~1e-5 relative off the exact
   * value in the first steps, and that is what optax trains with) or in F64 under x64. Which one is
   * read off the tree the moments belong to ({@link #defaultFloat}); the divisor is then cast to each
   * moment's dtype (16-bit and F32 moments over F64 params get the F64 value, cast, as in optax).
   */
  static final class Corrections {
    private final double b;
    private final Array t;
    private final DType compute;
    private final Map<DType, Array> byDtype = new EnumMap<>(DType.class);
    private Array oneMinusPower;

    /** The corrections of the moments of {@code tree} (the gradients or updates: the params' dtypes). */
    Corrections(double b, Array t, Object tree) {
      this(b, t, defaultFloat(tree));
    }

    private Corrections(double b, Array t, DType compute) {
      this.b = b;
      this.t = t;
      this.compute = compute;
    }

    Array divisor(DType dt) {
      if (oneMinusPower == null) {
        oneMinusPower = Array.scalar(compute, b).pow(t.astype(compute)).rsub(1.0);
      }
      return byDtype.computeIfAbsent(dt, oneMinusPower::astype);
    }

    Array correct(Array x) {
      return x.div(divisor(x.dtype()));
    }

    /** The same decay at the step after this one ({@code t + 1}), in the same dtype. */
    Corrections next() {
      return new Corrections(b, t.add(1), compute);
    }
  }

  /**
   * The float dtype JAX computes a Python float with the int32 step count in ({@code b ** count},
   * {@code eta / count ** gamma}): F64 when the tree has an F64 leaf, which only x64 allows,
   * else F32, JAX's default.
   */
  static DType defaultFloat(Object tree) {
    for (Array leaf : Tree.leaves(tree)) {
      if (leaf.dtype() == DType.F64) {
        return DType.F64;
      }
    }
    return DType.F32;
  }

  /** optax's {@code update_moment}: {@code (1 - decay) · g + decay · m} per leaf. */
  static <P> P ema(P grads, P moments, double decay) {
    return Tree.map((g, m) -> g.mul(1 - decay).add(m.mul(decay)), grads, moments);
  }

  /** optax's {@code update_moment_per_elem_norm} of order 2: {@code (1 - decay) · g² + decay · v}. */
  static <P> P emaOfSquares(P grads, P moments, double decay) {
    return Tree.map((g, v) -> g.square().mul(1 - decay).add(v.mul(decay)), grads, moments);
  }

  /**
   * optax's Nesterov {@code mu_hat} (NAdam, and the {@code nesterov} options of RAdam/AdaBelief):
   * {@code b1 · mu/(1 - b1^(t+1)) + (1 - b1) · g/(1 - b1^t)}.
   */
  static <P> P nesterovMuHat(P mu, P grads, double b1, Corrections atT) {
    Corrections next = atT.next();
    return Tree.map((m, g) -> next.correct(m).mul(b1).add(atT.correct(g).mul(1 - b1)), mu, grads);
  }

  /** optax's Adam denominator {@code sqrt(v + epsRoot) + eps} ({@code epsRoot} inside the root, {@code eps} outside). */
  static Array rootPlusEps(Array v, double epsRoot, double eps) {
    return (epsRoot == 0 ? v : v.add(epsRoot)).sqrt().add(eps);
  }

  /** {@code sqrt(sum(x²))} over all elements (optax's {@code safe_norm} with {@code min_norm = 0}). */
  static Array norm(Array x) {
    return x.square().sum().sqrt();
  }

  /** {@code sqrt(mean(x²))}. */
  static Array rms(Array x) {
    return x.square().mean().sqrt();
  }
}
