package dev.statelens.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code jax.scipy.special.sph_harm_y(n, m, theta, phi, n_max=...)}: the orthonormal spherical
 * harmonics {@code Y_n^m(theta, phi) = N P_n^|m|(cos theta) e^(i|m| phi)}, conjugated with the
 * sign {@code (-1)^m} for m < 0, as JAX 0.10.2 computes them. JAX builds the table of normalized
 * associated Legendre functions {@code P[m][l]} at every {@code cos theta} up to degree
 * {@code n_max} ({@code _gen_associated_legendre}, is_normalized): the diagonal from cumulative
 * products of {@code -sqrt(1 + 1/(2l))} and {@code sqrt(1 - x^2)}, the first off-diagonal
 * {@code sqrt(2m + 3) x P[m][m]}, then {@code P[m][l] = d0 x P[m][l-1] - d1 P[m][l-2]} one
 * diagonal at a time; it then gathers {@code P[|m|][n]} at each point with every index clipped into
 * range. Here the table is a Java grid of per-point arrays with the same arithmetic in the same
 * dtype, so jit, vmap and gradients come by composition. The result is complex64.
 */
final class SphericalHarmonics {
  private SphericalHarmonics() {}

  /** n, m: integer vectors of one length L; theta: a vector (or one angle); phi broadcasts to L. */
  static Array sphHarmY(Array n, Array m, Array theta, Array phi, int nMax) {
    Array x = theta.cos();
    DType dt = x.dtype();
    int points = x.shape()[0];
    Array[][] p = normalizedLegendre(nMax, x);
    List<Array> rows = new ArrayList<>();
    for (Array[] row : p) {
      for (Array entry : row) {
        rows.add(entry);
      }
    }
    Array table = Array.stack(0, rows).reshape(-1); // [m][l][point], flattened
    int length = n.shape()[0];
    Array absM = m.abs().broadcastTo(n.shape());
    Array point = Array.arange(length).clip(0, points - 1);
    Array index = absM.clip(0, nMax).mul((nMax + 1) * points).add(n.clip(0, nMax).mul(points)).add(point);
    Array legendre = table.take(index.astype(DType.I32));
    Array angle = absM.astype(dt).mul(phi);
    Array re = legendre.mul(angle.cos());
    Array im = legendre.mul(angle.sin());
    // m < 0: (-1)^|m| conj(Y); the sign multiplies both parts of the conjugate
    Array negative = m.lt(0).broadcastTo(n.shape());
    Array sign = Array.where(absM.rem(2).eq(1), Array.scalar(dt, -1), Array.scalar(dt, 1));
    re = Array.where(negative, sign.mul(re), re);
    im = Array.where(negative, sign.mul(im.neg()), im);
    return Array.complex(re, im);
  }

  /** JAX's {@code _gen_associated_legendre(l_max, x, is_normalized=True)}: {@code p[m][l]}, zero where l < m. */
  private static Array[][] normalizedLegendre(int lMax, Array x) {
    DType dt = x.dtype();
    Array zero = Array.zerosLike(x);
    Array[][] p = new Array[lMax + 1][lMax + 1];
    for (Array[] row : p) {
      java.util.Arrays.fill(row, zero);
    }
    Array initial = Array.scalar(dt, 0.5).div(Array.scalar(dt, Math.PI).sqrt());
    p[0][0] = initial.broadcastTo(x.shape());
    if (lMax == 0) {
      return p;
    }
    // the diagonal: initial * f_a[l-1] * y[l-1], both cumulative products as jnp.cumprod
    Array a = Array.arange(dt, 1, lMax + 1, 1);
    Array fa = a.rdiv(0.5).add(1.0).sqrt().mul(-1.0).cumprod(0);
    Array s = x.mul(x).rsub(1.0).sqrt();
    Array y = s.expandDims(0).broadcastTo(new int[] {lMax, x.shape()[0]}).cumprod(0);
    Array diag = initial.mul(fa.expandDims(1).mul(y));
    for (int l = 1; l <= lMax; l++) {
      p[l][l] = diag.get(l - 1);
    }
    // the first off-diagonal: (f_b[m] x) p[m][m], f_b = sqrt(2m + 3)
    for (int m = 0; m < lMax; m++) {
      Array fb = Array.scalar(dt, 2.0).mul(Array.scalar(dt, m)).add(3.0).sqrt();
      p[m][m + 1] = fb.mul(x).mul(p[m][m]);
    }
    // the rest, diagonal i = l - m at a time: p[m][l] = d0 (p[m][l-1] x) - d1 p[m][l-2]
    for (int i = 2; i <= lMax; i++) {
      for (int m = 0; m + i <= lMax; m++) {
        int l = m + i;
        Array[] d = recurrenceCoefficients(dt, m, l);
        Array h = d[0].mul(p[m][l - 1].mul(x)).sub(d[1].mul(p[m][l - 2]));
        p[m][l] = p[m][l].add(h);
      }
    }
    return p;
  }

  /** {@code _gen_recurrence_mask}'s d0 and d1 at (m, l), in the dtype as JAX computes them. */
  private static Array[] recurrenceCoefficients(DType dt, int m, int l) {
    Array lf = Array.scalar(dt, l);
    Array mf = Array.scalar(dt, m);
    Array c0 = lf.mul(lf);
    Array c1 = mf.mul(mf);
    Array c2 = lf.mul(2.0);
    Array c3 = lf.sub(1.0).mul(lf.sub(1.0));
    Array d0 = c0.mul(4.0).sub(1.0).div(c0.sub(c1)).sqrt();
    Array d1 = c2.add(1.0).mul(c3.sub(c1)).div(c2.sub(3.0).mul(c0.sub(c1))).sqrt();
    return new Array[] {d0, d1};
  }
}
