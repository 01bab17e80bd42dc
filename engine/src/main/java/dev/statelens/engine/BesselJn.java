package dev.statelens.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code jax.scipy.special.bessel_jn(z, v, n_iter)}: the Bessel functions of the first kind
 * {@code J_0 .. J_v} by Miller's backward recurrence, as JAX 0.10.2 (after Zhang and Jin's
 * {@code BJNDD}): start at order {@code n_iter} with {@code f = 1e-16}, recur
 * {@code f_k = 2 (k+1) f_{k+1} / z - f_{k+2}} down to 0, and normalize by
 * {@code J_0 + 2 (J_2 + J_4 + ...) = 1}. JAX runs it as a reversed {@code lax.scan}; here the
 * {@code n_iter + 1} steps are unrolled Java (the same operations in z's dtype), so gradients come
 * by composition, as JAX's do. Like JAX's, the F32 recurrence overflows for small |z| (the
 * unnormalized values pass {@code 3.4e38} before the division): {@code bessel_jn(0.5, v)} is NaN in
 * F32 with the default 50 iterations, in JAX too; F64 has the range.
 */
final class BesselJn {
  private BesselJn() {}

  /** {@code (min(v, nIter) + 1, *z.shape)}: row k holds {@code J_k(z)}. */
  static Array besselJn(Array z, int v, int nIter) {
    DType dt = z.dtype();
    Array f0 = Array.zerosLike(z);
    Array f1 = Array.full(dt, z.shape(), 1e-16);
    Array bs = Array.zerosLike(z);
    Array[] values = new Array[nIter + 1];
    for (int k = nIter; k >= 0; k--) {
      Array f = Array.scalar(dt, 2.0 * (k + 1.0)).mul(f1).div(z).sub(f0);
      if (k % 2 == 0) {
        bs = bs.add(f.mul(2.0));
      }
      f0 = f1;
      f1 = f;
      values[k] = f;
    }
    Array norm = bs.sub(values[0]);
    List<Array> rows = new ArrayList<>();
    for (int k = 0; k <= Math.min(v, nIter); k++) {
      rows.add(values[k].div(norm));
    }
    return Array.stack(0, rows);
  }
}
