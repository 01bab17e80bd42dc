package dev.statelens.engine.linalg;

import java.util.Arrays;

/**
 * Dense factorizations of one row-major {@code double[]} matrix, in place where the name says so.
 * Plain loops ordered so the innermost runs along rows (contiguous); they follow LAPACK's
 * conventions where JAX exposes them (pivot choice, Householder signs, NaN on failure).
 */
final class Dense {
  private Dense() {}

  /**
   * Lower Cholesky factor of {@code a} (n x n, only the lower triangle read), in place, upper
   * triangle zeroed. Not positive definite (or NaN): every entry becomes NaN, as JAX's CPU lowering
   * does when potrf reports failure.
   */
  static void cholesky(double[] a, int n) {
    for (int j = 0; j < n; j++) {
      int rj = j * n;
      double s = a[rj + j];
      for (int k = 0; k < j; k++) {
        s -= a[rj + k] * a[rj + k];
      }
      if (!(s > 0)) {
        Arrays.fill(a, Double.NaN);
        return;
      }
      double d = Math.sqrt(s);
      a[rj + j] = d;
      for (int i = j + 1; i < n; i++) {
        int ri = i * n;
        double t = a[ri + j];
        for (int k = 0; k < j; k++) {
          t -= a[ri + k] * a[rj + k];
        }
        a[ri + j] = t / d;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        a[i * n + j] = 0;
      }
    }
  }

  /**
   * Solves {@code op(a) x = b} in place of {@code b} (m x cols), {@code op(a)} being {@code a} or
   * its transpose; only the {@code lower} (else upper) triangle of {@code a} is read, the diagonal
   * taken as ones when {@code unit}.
   */
  static void triangularSolveLeft(double[] a, int m, double[] b, int cols, boolean lower, boolean transpose, boolean unit) {
    // op(a)(i, k) = transpose ? a[k][i] : a[i][k]; op(a) is lower exactly when lower != transpose
    boolean forward = lower != transpose;
    for (int step = 0; step < m; step++) {
      int i = forward ? step : m - 1 - step;
      int ri = i * cols;
      int kFrom = forward ? 0 : i + 1;
      int kTo = forward ? i : m;
      for (int k = kFrom; k < kTo; k++) {
        double aik = transpose ? a[k * m + i] : a[i * m + k];
        if (aik != 0) {
          int rk = k * cols;
          for (int c = 0; c < cols; c++) {
            b[ri + c] -= aik * b[rk + c];
          }
        }
      }
      if (!unit) {
        double d = a[i * m + i];
        for (int c = 0; c < cols; c++) {
          b[ri + c] /= d;
        }
      }
    }
  }

  /**
   * LU with partial pivoting of {@code a} (m x n) in place, as LAPACK's getf2: the pivot is the
   * first entry of largest magnitude; a zero pivot leaves its column unscaled (the matrix is
   * singular, U has a zero on the diagonal). {@code pivots[j]} is the row swapped with row j;
   * {@code perm} is the resulting row order.
   */
  static void lu(double[] a, int m, int n, int[] pivots, int[] perm) {
    for (int i = 0; i < m; i++) {
      perm[i] = i;
    }
    int k = Math.min(m, n);
    double[] tmp = new double[n];
    for (int j = 0; j < k; j++) {
      int p = j;
      double best = Math.abs(a[j * n + j]);
      for (int i = j + 1; i < m; i++) {
        double v = Math.abs(a[i * n + j]);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      pivots[j] = p;
      if (p != j) {
        System.arraycopy(a, j * n, tmp, 0, n);
        System.arraycopy(a, p * n, a, j * n, n);
        System.arraycopy(tmp, 0, a, p * n, n);
        int t = perm[j];
        perm[j] = perm[p];
        perm[p] = t;
      }
      double d = a[j * n + j];
      if (d == 0) {
        continue;
      }
      int rj = j * n;
      for (int i = j + 1; i < m; i++) {
        int ri = i * n;
        double l = a[ri + j] / d;
        a[ri + j] = l;
        if (l != 0) {
          for (int c = j + 1; c < n; c++) {
            a[ri + c] -= l * a[rj + c];
          }
        }
      }
    }
  }

  /**
   * Householder QR of {@code a} (m x n, destroyed) as LAPACK's geqrf + orgqr: {@code q} (m x kq)
   * gets the first kq columns of Q, {@code r} (kq x n) the upper triangle of R. Reflector j maps
   * column j below the diagonal onto {@code beta e_j} with {@code beta = -sign(alpha) ||x||}.
   */
  static void qr(double[] a, int m, int n, int kq, double[] q, double[] r) {
    int k = Math.min(m, n);
    double[] tau = new double[k];
    double[] w = new double[Math.max(n, kq)];
    for (int j = 0; j < k; j++) {
      double alpha = a[j * n + j];
      double xnorm = 0;
      for (int i = j + 1; i < m; i++) {
        xnorm = Math.hypot(xnorm, a[i * n + j]);
      }
      if (xnorm == 0) {
        tau[j] = 0;
        continue;
      }
      double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
      tau[j] = (beta - alpha) / beta;
      double scale = 1 / (alpha - beta);
      for (int i = j + 1; i < m; i++) {
        a[i * n + j] *= scale; // v below the diagonal; v_j = 1
      }
      a[j * n + j] = beta;
      // the trailing columns: A <- (I - tau v v^T) A, w = v^T A
      applyReflector(a, n, m, j, j + 1, n, tau[j], a, n, j, w);
    }
    Arrays.fill(r, 0);
    for (int i = 0; i < Math.min(kq, m); i++) {
      for (int c = i; c < n; c++) {
        r[i * n + c] = a[i * n + c];
      }
    }
    // Q = H_0 ... H_{k-1} I[:, :kq], accumulated from the last reflector
    Arrays.fill(q, 0);
    for (int i = 0; i < Math.min(m, kq); i++) {
      q[i * kq + i] = 1;
    }
    for (int j = k - 1; j >= 0; j--) {
      if (tau[j] != 0) {
        applyReflector(q, kq, m, j, 0, kq, tau[j], a, n, j, w);
      }
    }
  }

  /**
   * {@code x[j:m, c0:c1] -= tau v (v^T x[j:m, c0:c1])} with {@code v = (1, vs[j+1:m, vc])} stored
   * in column {@code vc} of {@code vs} (row length {@code vn}); {@code x} has row length {@code xn}.
   */
  private static void applyReflector(double[] x, int xn, int m, int j, int c0, int c1, double tau,
      double[] vs, int vn, int vc, double[] w) {
    for (int c = c0; c < c1; c++) {
      w[c] = x[j * xn + c];
    }
    for (int i = j + 1; i < m; i++) {
      double v = vs[i * vn + vc];
      int ri = i * xn;
      for (int c = c0; c < c1; c++) {
        w[c] += v * x[ri + c];
      }
    }
    for (int c = c0; c < c1; c++) {
      x[j * xn + c] -= tau * w[c];
    }
    for (int i = j + 1; i < m; i++) {
      double tv = tau * vs[i * vn + vc];
      int ri = i * xn;
      for (int c = c0; c < c1; c++) {
        x[ri + c] -= tv * w[c];
      }
    }
  }

  /**
   * Eigen-decomposition of the symmetric matrix whose {@code lower} (else upper) triangle is in
   * {@code a} (destroyed): eigenvalues ascending into {@code w}, eigenvectors as the columns of
   * {@code v}. Householder reduction to tridiagonal form, then the implicit QL method with
   * Wilkinson shifts (EISPACK's tred2 and tql2, as in JAMA). A NaN in the input, or no
   * convergence, gives all-NaN results (as JAX where LAPACK reports failure).
   */
  static void eigh(double[] a, int n, boolean lower, double[] v, double[] w) {
    if (n == 0) {
      return;
    }
    boolean finite = true;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double x = lower ? a[i * n + j] : a[j * n + i];
        finite &= Double.isFinite(x);
        v[i * n + j] = x;
        v[j * n + i] = x;
      }
    }
    double[] e = new double[n];
    if (!finite) {
      Arrays.fill(v, Double.NaN);
      Arrays.fill(w, Double.NaN);
      return;
    }
    tridiagonalize(v, n, w, e);
    double[] vt = transpose(v, n, n); // tql2 rotates columns of V: rows of V^T are contiguous
    if (!tridiagonalQl(w, e, vt, n)) {
      Arrays.fill(v, Double.NaN);
      Arrays.fill(w, Double.NaN);
      return;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double[] d = w.clone();
    Arrays.sort(order, (x, y) -> Double.compare(d[x], d[y]));
    for (int c = 0; c < n; c++) {
      int src = order[c];
      w[c] = d[src];
      for (int k = 0; k < n; k++) {
        v[k * n + c] = vt[src * n + k];
      }
    }
  }

  /** tred2: V (n x n, symmetric on entry) becomes the orthogonal transform, d/e the tridiagonal. */
  private static void tridiagonalize(double[] v, int n, double[] d, double[] e) {
    for (int j = 0; j < n; j++) {
      d[j] = v[(n - 1) * n + j];
    }
    for (int i = n - 1; i > 0; i--) {
      double scale = 0;
      double h = 0;
      for (int k = 0; k < i; k++) {
        scale += Math.abs(d[k]);
      }
      if (scale == 0) {
        e[i] = d[i - 1];
        for (int j = 0; j < i; j++) {
          d[j] = v[(i - 1) * n + j];
          v[i * n + j] = 0;
          v[j * n + i] = 0;
        }
      } else {
        for (int k = 0; k < i; k++) {
          d[k] /= scale;
          h += d[k] * d[k];
        }
        double f = d[i - 1];
        double g = Math.sqrt(h);
        if (f > 0) {
          g = -g;
        }
        e[i] = scale * g;
        h -= f * g;
        d[i - 1] = f - g;
        for (int j = 0; j < i; j++) {
          e[j] = 0;
        }
        for (int j = 0; j < i; j++) {
          f = d[j];
          v[j * n + i] = f;
          g = e[j] + v[j * n + j] * f;
          for (int k = j + 1; k <= i - 1; k++) {
            g += v[k * n + j] * d[k];
            e[k] += v[k * n + j] * f;
          }
          e[j] = g;
        }
        f = 0;
        for (int j = 0; j < i; j++) {
          e[j] /= h;
          f += e[j] * d[j];
        }
        double hh = f / (h + h);
        for (int j = 0; j < i; j++) {
          e[j] -= hh * d[j];
        }
        for (int j = 0; j < i; j++) {
          f = d[j];
          g = e[j];
          for (int k = j; k <= i - 1; k++) {
            v[k * n + j] -= f * e[k] + g * d[k];
          }
          d[j] = v[(i - 1) * n + j];
          v[i * n + j] = 0;
        }
      }
      d[i] = h;
    }
    // accumulate the transformations
    for (int i = 0; i < n - 1; i++) {
      v[(n - 1) * n + i] = v[i * n + i];
      v[i * n + i] = 1;
      double h = d[i + 1];
      if (h != 0) {
        for (int k = 0; k <= i; k++) {
          d[k] = v[k * n + i + 1] / h;
        }
        for (int j = 0; j <= i; j++) {
          double g = 0;
          for (int k = 0; k <= i; k++) {
            g += v[k * n + i + 1] * v[k * n + j];
          }
          for (int k = 0; k <= i; k++) {
            v[k * n + j] -= g * d[k];
          }
        }
      }
      for (int k = 0; k <= i; k++) {
        v[k * n + i + 1] = 0;
      }
    }
    for (int j = 0; j < n; j++) {
      d[j] = v[(n - 1) * n + j];
      v[(n - 1) * n + j] = 0;
    }
    v[(n - 1) * n + n - 1] = 1;
    e[0] = 0;
  }

  /**
   * tql2 on the tridiagonal (d, e) from {@link #tridiagonalize}, rotating the rows of
   * {@code vt} (= V^T); false if an eigenvalue did not converge in 60 iterations.
   */
  private static boolean tridiagonalQl(double[] d, double[] e, double[] vt, int n) {
    for (int i = 1; i < n; i++) {
      e[i - 1] = e[i];
    }
    e[n - 1] = 0;
    double f = 0;
    double tst1 = 0;
    double eps = Math.ulp(1.0);
    for (int l = 0; l < n; l++) {
      tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
      int m = l;
      while (m < n - 1 && Math.abs(e[m]) > eps * tst1) {
        m++;
      }
      if (m > l) {
        int iter = 0;
        do {
          if (++iter > 60) {
            return false;
          }
          double g = d[l];
          double p = (d[l + 1] - g) / (2 * e[l]);
          double r = Math.hypot(p, 1);
          if (p < 0) {
            r = -r;
          }
          d[l] = e[l] / (p + r);
          d[l + 1] = e[l] * (p + r);
          double dl1 = d[l + 1];
          double h = g - d[l];
          for (int i = l + 2; i < n; i++) {
            d[i] -= h;
          }
          f += h;
          p = d[m];
          double c = 1;
          double c2 = c;
          double c3 = c;
          double el1 = e[l + 1];
          double s = 0;
          double s2 = 0;
          for (int i = m - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * e[i];
            h = c * p;
            r = Math.hypot(p, e[i]);
            e[i + 1] = s * r;
            s = e[i] / r;
            c = p / r;
            p = c * d[i] - s * g;
            d[i + 1] = h + s * (c * g + s * d[i]);
            int ri = i * n;
            int rj = (i + 1) * n;
            for (int k = 0; k < n; k++) {
              double hk = vt[rj + k];
              vt[rj + k] = s * vt[ri + k] + c * hk;
              vt[ri + k] = c * vt[ri + k] - s * hk;
            }
          }
          p = -s * s2 * c3 * el1 * e[l] / dl1;
          e[l] = s * p;
          d[l] = c * p;
        } while (Math.abs(e[l]) > eps * tst1);
      }
      d[l] += f;
      e[l] = 0;
    }
    return true;
  }

  /**
   * Thin SVD of {@code a} (m x n): {@code u} (m x k), {@code s} (k, descending), {@code vt}
   * (k x n), k = min(m, n), by one-sided Jacobi (Hestenes) on the columns of the taller side —
   * accurate to the last bits for the small singular values too. Zero singular values get
   * orthonormal completions as u's columns. Signs are arbitrary (as LAPACK's). No convergence
   * after 60 sweeps, or a NaN: all NaN.
   */
  static void svd(double[] a, int m, int n, double[] u, double[] s, double[] vt) {
    boolean tall = m >= n;
    int rows = tall ? m : n; // the long side: length of the vectors that are orthogonalized
    int k = tall ? n : m;
    // w: k vectors of length rows (the columns of a, or of a^T), contiguous; z: their rotations
    double[] w = tall ? transpose(a, m, n) : a.clone();
    double[] z = new double[k * k];
    for (int i = 0; i < k; i++) {
      z[i * k + i] = 1;
    }
    boolean finite = true;
    for (double x : w) {
      finite &= Double.isFinite(x);
    }
    boolean converged = false;
    double[] sq = new double[k]; // squared norms of the w's, updated by each rotation
    for (int sweep = 0; finite && sweep < 60 && !converged; sweep++) {
      converged = true;
      for (int j = 0; j < k; j++) {
        sq[j] = dot(w, j * rows, j * rows, rows); // exact again once per sweep (no drift)
      }
      for (int p = 0; p < k; p++) {
        for (int q = p + 1; q < k; q++) {
          double alpha = sq[p];
          double beta = sq[q];
          double gamma = dot(w, p * rows, q * rows, rows);
          if (gamma == 0 || !(Math.abs(gamma) > 1e-15 * Math.sqrt(alpha * beta))) {
            continue;
          }
          converged = false;
          double zeta = (beta - alpha) / (2 * gamma);
          double t = Math.copySign(1, zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          double c = 1 / Math.sqrt(1 + t * t);
          double sn = c * t;
          rotateRows(w, rows, p * rows, q * rows, c, sn);
          rotateRows(z, k, p * k, q * k, c, sn);
          sq[p] = alpha - t * gamma; // the 2 x 2 Jacobi step's new diagonal
          sq[q] = beta + t * gamma;
        }
      }
    }
    if (!finite || !converged) {
      Arrays.fill(u, Double.NaN);
      Arrays.fill(s, Double.NaN);
      Arrays.fill(vt, Double.NaN);
      return;
    }
    double[] norms = new double[k];
    Integer[] order = new Integer[k];
    for (int j = 0; j < k; j++) {
      double ss = 0;
      for (int i = 0; i < rows; i++) {
        ss += w[j * rows + i] * w[j * rows + i];
      }
      norms[j] = Math.sqrt(ss);
      order[j] = j;
    }
    Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));
    // left vectors (unit w's, length rows) and right vectors (z's rows, length k), sorted
    double[] left = new double[k * rows];
    double[] right = new double[k * k];
    for (int c = 0; c < k; c++) {
      int j = order[c];
      s[c] = norms[j];
      for (int i = 0; i < rows; i++) {
        left[c * rows + i] = norms[j] == 0 ? 0 : w[j * rows + i] / norms[j];
      }
      System.arraycopy(z, j * k, right, c * k, k);
    }
    completeOrthonormal(left, k, rows, s);
    // tall: a = left^T diag(s) right  -> u = left^T (m x k), vt = right (k x n)
    // wide: a^T = left^T diag(s) right -> a = right^T diag(s) left -> u = right^T (m x k), vt = left
    if (tall) {
      System.arraycopy(transpose(left, k, rows), 0, u, 0, m * k);
      System.arraycopy(right, 0, vt, 0, k * n);
    } else {
      System.arraycopy(transpose(right, k, k), 0, u, 0, m * k);
      System.arraycopy(left, 0, vt, 0, k * n);
    }
  }

  private static double dot(double[] x, int i0, int j0, int len) {
    double d = 0;
    for (int i = 0; i < len; i++) {
      d += x[i0 + i] * x[j0 + i];
    }
    return d;
  }

  private static void rotateRows(double[] x, int len, int rp, int rq, double c, double sn) {
    for (int i = 0; i < len; i++) {
      double xp = x[rp + i];
      double xq = x[rq + i];
      x[rp + i] = c * xp - sn * xq;
      x[rq + i] = sn * xp + c * xq;
    }
  }

  /** Replaces the rows of {@code q} whose singular value is 0 by unit vectors orthogonal to the others (Gram-Schmidt on e_i). */
  private static void completeOrthonormal(double[] q, int k, int len, double[] s) {
    int candidate = 0;
    for (int r = 0; r < k; r++) {
      if (s[r] != 0) {
        continue;
      }
      while (candidate < len) {
        double[] e = new double[len];
        e[candidate++] = 1;
        for (int pass = 0; pass < 2; pass++) {
          for (int o = 0; o < k; o++) {
            if (o == r || s[o] == 0 && o > r) {
              continue;
            }
            double d = 0;
            for (int i = 0; i < len; i++) {
              d += q[o * len + i] * e[i];
            }
            for (int i = 0; i < len; i++) {
              e[i] -= d * q[o * len + i];
            }
          }
        }
        double nrm = 0;
        for (double x : e) {
          nrm += x * x;
        }
        nrm = Math.sqrt(nrm);
        if (nrm > 1e-8) {
          for (int i = 0; i < len; i++) {
            q[r * len + i] = e[i] / nrm;
          }
          break;
        }
      }
    }
  }

  static double[] transpose(double[] x, int rows, int cols) {
    double[] t = new double[x.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = x[i * cols + j];
      }
    }
    return t;
  }
}
