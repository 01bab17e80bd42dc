package dev.statelens.engine.linalg;

import static dev.statelens.engine.linalg.MatrixOps.diagEmbed;
import static dev.statelens.engine.linalg.MatrixOps.diagonal;
import static dev.statelens.engine.linalg.MatrixOps.mT;
import static dev.statelens.engine.linalg.MatrixOps.tril;
import static dev.statelens.engine.linalg.MatrixOps.triu;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.autodiff.Vjp;
import dev.statelens.engine.ir.Params;
import java.util.Arrays;
import java.util.List;

/**
 * Reverse-mode rules of the linalg primitives: each is the transpose of the JVP rule in JAX's
 * {@code jax/_src/lax/linalg.py} (named below), written with ordinary operations so it traces,
 * batches and differentiates again. Like JAX's, the cholesky and eigh rules treat the input as the
 * symmetric matrix it stands for; {@link dev.statelens.engine.Linalg} symmetrizes before binding.
 */
final class LinalgVjps {
  private LinalgVjps() {}

  static void registerAll() {
    Vjp.register(LinalgPrims.CHOLESKY, (p, in, out, ct, needed) -> List.of(cholesky(out.get(0), ct.get(0))));
    Vjp.register(LinalgPrims.TRIANGULAR_SOLVE, (p, in, out, ct, needed) ->
        triangularSolve(p, in.get(0), out.get(0), ct.get(0), needed[0]));
    Vjp.register(LinalgPrims.LU, (p, in, out, ct, needed) -> List.of(lu(out.get(0), out.get(2), ct.get(0))));
    Vjp.register(LinalgPrims.QR, (p, in, out, ct, needed) -> List.of(qr(p, in.get(0), out.get(0), out.get(1), ct.get(0), ct.get(1))));
    Vjp.register(LinalgPrims.SVD, (p, in, out, ct, needed) ->
        List.of(svd(in.get(0), out.get(0), out.get(1), out.get(2), ct.get(0), ct.get(1), ct.get(2))));
    Vjp.register(LinalgPrims.EIGH, (p, in, out, ct, needed) -> List.of(eigh(out.get(0), out.get(1), ct.get(0), ct.get(1))));
  }

  static Array solve(Array a, Array b, boolean left, boolean lower, boolean transpose, boolean unit) {
    return LinalgPrims.TRIANGULAR_SOLVE.bind1(LinalgPrims.triangularSolveParams(left, lower, transpose, unit), a, b);
  }

  /**
   * {@code _cholesky_jvp_rule}: {@code dL = L phi(L^-1 dA L^-T)}, phi = the lower triangle with the
   * diagonal halved. Transposed: {@code abar = L^-T phi(L^T lbar) L^-1}.
   */
  private static Array cholesky(Array l, Array lbar) {
    Array x = mT(l).matmul(lbar);
    Array phi = tril(x, 0).sub(diagEmbed(diagonal(x)).mul(0.5));
    Array left = solve(l, phi, true, true, true, false);   // L^-T phi
    return solve(l, left, false, true, false, false);      // (L^-T phi) L^-1
  }

  /**
   * {@code _triangular_solve_transpose_rule} for b (a solve with op(a) transposed) and
   * {@code _triangular_solve_jvp_rule_a} transposed for a: with {@code x = op(a)^-1 b} and
   * {@code g = op(a)^-T xbar} (b's cotangent), {@code op(a)bar = -g x^T} (left side; right side
   * {@code -x^T g}), restricted to the triangle the primitive reads.
   */
  private static List<Array> triangularSolve(Params p, Array a, Array x, Array xbar, boolean needA) {
    boolean left = p.getBoolean("left_side");
    boolean lower = p.getBoolean("lower");
    boolean transpose = p.getBoolean("transpose_a");
    boolean unit = p.getBoolean("unit_diagonal");
    Array g = solve(a, xbar, left, lower, !transpose, unit);
    if (!needA) {
      return Arrays.asList(null, g);
    }
    Array abar;
    if (left) {
      abar = transpose ? x.matmul(mT(g)) : g.matmul(mT(x));
    } else {
      abar = transpose ? mT(g).matmul(x) : mT(x).matmul(g);
    }
    abar = abar.neg();
    abar = lower ? tril(abar, unit ? -1 : 0) : triu(abar, unit ? 1 : 0);
    return List.of(abar, g);
  }

  /**
   * {@code _lu_jvp_rule} (De Hoog, Anderssen, Lukas): with {@code x = a[perm]} and
   * {@code F = L^-1 x U^-1} (L, U padded to m x m and n x n), {@code dlu = L tril(F, -1) + triu(F) U}.
   * Transposed: {@code xbar = L^-T (tril(L^T lubar, -1) + triu(lubar U^T)) U^-T}, then rows
   * back through the inverse permutation.
   */
  private static Array lu(Array lu, Array perm, Array lubar) {
    int r = lu.ndim();
    int m = lu.dim(r - 2);
    int n = lu.dim(r - 1);
    int k = Math.min(m, n);
    DType dt = lu.dtype();
    Array l = tril(lu.sliceAxis(r - 1, 0, k), -1);
    if (m > k) {
      l = l.pad(widths(r, r - 1, m - k));
    }
    l = l.add(MatrixOps.eye(dt, m));
    Array u = triu(lu.sliceAxis(r - 2, 0, k), 0);
    if (n > k) {
      u = u.pad(widths(r, r - 2, n - k)).add(MatrixOps.eye(dt, n).mul(diagFrom(dt, n, k)));
    }
    Array g = tril(mT(l).matmul(lubar), -1).add(triu(lubar.matmul(mT(u)), 0));
    Array y = solve(l, g, true, true, true, true);          // L^-T g
    Array xbar = solve(u, y, false, false, true, false);    // (L^-T g) U^-T
    Array inverse = perm.argsort(-1);
    return xbar.takeAlongAxis(MatrixOps.column(inverse), r - 2);
  }

  /** An n x n diagonal mask that is 1 at {@code [i, i]} for {@code i >= k} (U's identity padding). */
  private static Array diagFrom(DType dt, int n, int k) {
    return Array.arange(n).ge(k).astype(dt).expandDims(0);
  }

  private static int[][] widths(int rank, int axis, int after) {
    int[][] w = new int[rank][2];
    w[axis][1] = after;
    return w;
  }

  /**
   * {@code qr_jvp_rule} (j-towns.github.io/papers/qr-derivative.pdf), m >= n, reduced: with
   * {@code D = da R^-1}, {@code C = Q^T D}, {@code O = tril(C,-1) - tril(C,-1)^T}: {@code dQ = Q(O - C) + D},
   * {@code dR = (C - O) R}. Transposed with {@code M = Q^T qbar - rbar R^T}:
   * {@code cbar = tril(M - M^T, -1) - M}, {@code abar = (qbar + Q cbar) R^-T}.
   */
  private static Array qr(Params p, Array a, Array q, Array r, Array qbar, Array rbar) {
    int m = a.dim(a.ndim() - 2);
    int n = a.dim(a.ndim() - 1);
    if (m < n || p.getBoolean("full_matrices") && m != n) {
      throw new UnsupportedOperationException("qr: the gradient is defined for reduced QR of matrices with rows >= columns"
          + " (as in JAX), got " + a.aval().shapeString() + (p.getBoolean("full_matrices") ? " with full_matrices" : "")
          + "; differentiate Linalg.qr of the transpose, or a tall matrix");
    }
    Array mm = mT(q).matmul(qbar).sub(rbar.matmul(mT(r)));
    Array cbar = tril(mm.sub(mT(mm)), -1).sub(mm);
    Array dbar = qbar.add(q.matmul(cbar));
    return solve(r, dbar, false, false, true, false);
  }

  /**
   * {@code _svd_jvp_rule} (thin, real): with {@code S = U^T da V}, {@code F_ij = 1/(s_j^2 - s_i^2)}
   * off the diagonal: {@code ds = diag(S)}, {@code dU = U (F * (S s_row + (S s_row)^T)) [+ (I - U U^T) da V / s_row]},
   * {@code dV = V (F * (s_col S + (s_col S)^T)) [+ (I - V V^T) da^T U / s_row]}, the bracketed terms
   * for tall (wide) matrices. Transposed term by term.
   */
  private static Array svd(Array a, Array s, Array u, Array vt, Array sbar, Array ubar, Array vtbar) {
    int m = a.dim(a.ndim() - 2);
    int n = a.dim(a.ndim() - 1);
    int k = s.dim(s.ndim() - 1);
    Array v = mT(vt);
    Array vbar = mT(vtbar);
    Array sRow = s.expandDims(s.ndim() - 1);   // [..., 1, k]: s_j
    Array sCol = MatrixOps.column(s);          // [..., k, 1]: s_i
    Array eye = MatrixOps.eye(s.dtype(), k);
    Array f = eye.add(sRow.square()).sub(sCol.square()).reciprocal().sub(eye);
    Array qu = f.mul(mT(u).matmul(ubar));
    Array qv = f.mul(mT(v).matmul(vbar));
    Array sBarMat = qu.add(mT(qu)).mul(sRow).add(qv.add(mT(qv)).mul(sCol)).add(diagEmbed(sbar));
    Array abar = u.matmul(sBarMat).matmul(vt);
    if (m > n) {
      Array scaled = ubar.div(sRow);
      abar = abar.add(scaled.sub(u.matmul(mT(u).matmul(scaled))).matmul(vt));
    }
    if (n > m) {
      Array scaled = vbar.div(sRow);
      abar = abar.add(u.matmul(mT(scaled.sub(v.matmul(mT(v).matmul(scaled))))));
    }
    return abar;
  }

  /**
   * {@code _eigh_jvp_rule}: with {@code S = V^T da V} and {@code F_ij = 1/(w_j - w_i)} off the
   * diagonal, {@code dV = V (F * S)}, {@code dw = diag(S)}. Transposed:
   * {@code abar = V (F * V^T vbar + diag(wbar)) V^T}.
   */
  private static Array eigh(Array v, Array w, Array vbar, Array wbar) {
    int n = w.dim(w.ndim() - 1);
    Array eye = MatrixOps.eye(w.dtype(), n);
    Array f = eye.add(w.expandDims(w.ndim() - 1)).sub(MatrixOps.column(w)).reciprocal().sub(eye);
    Array g = f.mul(mT(v).matmul(vbar)).add(diagEmbed(wbar));
    return v.matmul(g).matmul(mT(v));
  }
}
