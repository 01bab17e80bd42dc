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
   * {@code a} (destroyed), by cyclic Jacobi rotations: eigenvalues ascending into {@code w},
   * eigenvectors as the columns of {@code v}. Jacobi is slower than LAPACK's tridiagonal methods
   * but accurate to a few ulps of the largest eigenvalue. A NaN anywhere gives all-NaN results.
   */
  static void eigh(double[] a, int n, boolean lower, double[] v, double[] w) {
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (lower) {
          a[i * n + j] = a[j * n + i];
        } else {
          a[j * n + i] = a[i * n + j];
        }
      }
    }
    Arrays.fill(v, 0);
    for (int i = 0; i < n; i++) {
      v[i * n + i] = 1;
    }
    double total = 0;
    for (double x : a) {
      total += x * x;
    }
    if (Double.isNaN(total)) {
      Arrays.fill(v, Double.NaN);
      Arrays.fill(w, Double.NaN);
      return;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          off += a[i * n + j] * a[i * n + j];
        }
      }
      if (off <= 1e-34 * total || off == 0) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          rotate(a, v, n, p, q);
        }
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(a[x * n + x], a[y * n + y]));
    double[] vs = v.clone();
    for (int c = 0; c < n; c++) {
      int src = order[c];
      w[c] = a[src * n + src];
      for (int i = 0; i < n; i++) {
        v[i * n + c] = vs[i * n + src];
      }
    }
  }

  /** One Jacobi rotation zeroing a[p][q] (a symmetric, both triangles kept); v accumulates it. */
  private static void rotate(double[] a, double[] v, int n, int p, int q) {
    double apq = a[p * n + q];
    if (apq == 0) {
      return;
    }
    double app = a[p * n + p];
    double aqq = a[q * n + q];
    double theta = (aqq - app) / (2 * apq);
    double t = Math.copySign(1, theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (Double.isInfinite(theta * theta)) {
      t = 1 / (2 * theta);
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    for (int k = 0; k < n; k++) {
      double akp = a[k * n + p];
      double akq = a[k * n + q];
      a[k * n + p] = c * akp - s * akq;
      a[k * n + q] = s * akp + c * akq;
    }
    for (int k = 0; k < n; k++) {
      double apk = a[p * n + k];
      double aqk = a[q * n + k];
      a[p * n + k] = c * apk - s * aqk;
      a[q * n + k] = s * apk + c * aqk;
    }
    a[p * n + q] = 0;
    a[q * n + p] = 0;
    for (int k = 0; k < n; k++) {
      double vkp = v[k * n + p];
      double vkq = v[k * n + q];
      v[k * n + p] = c * vkp - s * vkq;
      v[k * n + q] = s * vkp + c * vkq;
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
