package dev.statelens.engine;

import dev.statelens.engine.ir.Prims;

/**
 * {@code jax.scipy.special.logsumexp(a, axis, b, keepdims, return_sign)}, composed as JAX's
 * {@code jax/_src/ops/special.py}: the weights {@code b} scale each {@code exp(a)} (where
 * {@code b == 0} the element is treated as {@code a = -inf}), the shift is the stop-gradient max
 * (0 where the max is not finite), and the log is of {@code |sum|} with the sum's sign beside it.
 * Without {@code return_sign} a negative weighted sum gives NaN, as JAX.
 */
final class LogSumExp {
  private LogSumExp() {}

  /** The result and the sign of the weighted sum ({@code lax.sign}: -1, 0 or 1). */
  record Signed(Array value, Array sign) {}

  /** axes null: every axis. b null: no weights. */
  static Signed compute(Array a, int[] axes, Array b, boolean keepDims) {
    Array x;
    Array w = null;
    if (b != null) {
      Array[] ab = NumpyMath.promoteInexact("logsumexp", a, b);
      w = ab[1];
      x = Array.where(w.ne(0), ab[0], Double.NEGATIVE_INFINITY);
    } else {
      x = NumpyMath.floaty(a);
    }
    int[] dims = reductionDims(x, axes);
    // JAX's max has initial=-inf, so an empty reduction gives -inf (then 0 as the shift)
    if (dims.length == 0) {   // axis=(): nothing reduced, each element is its own sum
      return elementwise(x, w);
    }
    Array amax = x.size() == 0 ? Array.full(x.dtype(), x.keptShape(dims), Double.NEGATIVE_INFINITY)
        : x.maxKeepDims(dims);
    amax = Array.where(amax.isFinite(), amax, 0.0).stopGradient();
    Array expA = x.sub(amax).exp();
    if (w != null) {
      expA = expA.mul(w);
    }
    Array sum = keepDims ? expA.sumKeepDims(dims) : expA.sum(dims);
    Array shift = keepDims ? amax : amax.reshape(Prims.reducedShape("logsumexp", x.aval(), dims));
    Array sign = sum.sign();
    Array out = sum.abs().log().add(shift);
    return new Signed(out, sign);
  }

  /** The value alone: NaN where a weighted sum is negative (JAX, without return_sign). */
  static Array value(Array a, int[] axes, Array b, boolean keepDims) {
    Signed s = compute(a, axes, b, keepDims);
    return b == null ? s.value() : Array.where(s.sign().lt(0), Double.NaN, s.value());
  }

  private static Signed elementwise(Array x, Array w) {
    Array amax = Array.where(x.isFinite(), x, 0.0).stopGradient();
    Array sum = w == null ? x.sub(amax).exp() : x.sub(amax).exp().mul(w);
    return new Signed(sum.abs().log().add(amax), sum.sign());
  }

  private static int[] reductionDims(Array x, int[] axes) {
    return axes == null ? Axes.all(x.ndim()) : Axes.normalize("logsumexp", x, axes, ", or null for all");
  }
}
