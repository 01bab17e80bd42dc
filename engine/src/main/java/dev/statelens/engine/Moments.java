package dev.statelens.engine;

import java.util.EnumMap;
import java.util.Map;

/** Shared pieces of the Adam family in {@link Optim}: bias corrections and NAdam's look-ahead. */
final class Moments {
  private Moments() {}

  /**
   * optax's {@code bias_correction}: {@code x / (1 - b^t)}, the divisor made once per floating
   * dtype. Computed as {@code -expm1(t·log b)}: in F32, {@code 1 - 0.999f^t} loses ~1e-5 relative
   * to cancellation (0.999f is not 0.999); this form tracks the exact formula to ~1e-7. 16-bit
   * moments get the divisor in F32, cast, as optax does.
   */
  static final class Corrections {
    private final double b;
    private final Array t;
    private final Map<DType, Array> byDtype = new EnumMap<>(DType.class);

    Corrections(double b, Array t) {
      this.b = b;
      this.t = t;
    }

    Array divisor(DType dt) {
      return byDtype.computeIfAbsent(dt, d -> {
        DType ct = d.is16BitFloat() ? DType.F32 : d;
        return t.astype(ct).mul(Math.log(b)).expm1().neg().astype(d);
      });
    }

    Array correct(Array x) {
      return x.div(divisor(x.dtype()));
    }
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
    Corrections next = new Corrections(b1, atT.t.add(1));
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
