package dev.statelens.engine;

import static dev.statelens.engine.NumpyMath.floaty;
import static dev.statelens.engine.linalg.MatrixOps.column;
import static dev.statelens.engine.linalg.MatrixOps.diagonal;
import static dev.statelens.engine.linalg.MatrixOps.mT;

import dev.statelens.engine.ir.Params;
import dev.statelens.engine.linalg.LinalgPrims;
import dev.statelens.engine.linalg.LuSolve;
import java.util.Arrays;
import java.util.List;

/**
 * Linear algebra with JAX's semantics: {@code jax.numpy.linalg} ({@link #cholesky}, {@link #solve},
 * {@link #inv}, {@link #slogdet}, {@link #det}, {@link #qr}, {@link #eigh}, {@link #svd}),
 * {@code jax.scipy.linalg} ({@link #solveTriangular}, {@link #choSolve}) and
 * {@code jax.lax.linalg} ({@link #triangularSolve}, {@link #lu}). Matrices are the last two axes;
 * leading axes are batch axes, broadcast between operands. Everything works under {@code jit},
 * {@code grad} and {@code vmap}. Integer and bool operands are converted to F32 (JAX's
 * {@code promote_dtypes_inexact}). See docs/linalg.md.
 */
public final class Linalg {
  private Linalg() {}

  /** {@code jnp.linalg.lu}'s factors as {@code lax.linalg.lu} returns them: {@code a[permutation] = L U}. */
  public record Lu(Array lu, Array pivots, Array permutation) {}

  /** {@code jnp.linalg.slogdet}: {@code det = sign * exp(logabsdet)}; sign 0 and logabsdet -inf when singular. */
  public record Slogdet(Array sign, Array logabsdet) {}

  /** {@code jnp.linalg.qr}: {@code a = q r}, q with orthonormal columns, r upper triangular. */
  public record Qr(Array q, Array r) {}

  /** {@code jnp.linalg.svd}: {@code a = u diag(s) vh}. */
  public record Svd(Array u, Array s, Array vh) {}

  /**
   * {@code jnp.linalg.lstsq}: the least-squares solution {@code x} of {@code a x = b}, the squared
   * residual norms per column of b, the effective rank (i32) and a's singular values.
   */
  public record Lstsq(Array x, Array residuals, Array rank, Array s) {}

  /** {@code jnp.linalg.eigh}: eigenvalues ascending, eigenvectors as columns ({@code a v = v diag(w)}). */
  public record Eigh(Array eigenvalues, Array eigenvectors) {}

  // ---- Cholesky and triangular solves -------------------------------------------------------------

  /**
   * {@code jnp.linalg.cholesky(a)}: the lower factor L with {@code L L^T = a} of each symmetric
   * positive-definite matrix; the input is symmetrized first ({@code (a + a^T) / 2}, as JAX).
   * A matrix that is not positive definite gives NaN in every entry (JAX on CPU), not an error.
   */
  public static Array cholesky(Array a) {
    a = square("cholesky", floaty(a));
    return LinalgPrims.CHOLESKY.bind1(Params.EMPTY, symmetrize(a));
  }

  /**
   * {@code lax.linalg.triangular_solve(a, b, left_side, lower, transpose_a, unit_diagonal)}:
   * {@code x} with {@code op(a) x = b} (left side) or {@code x op(a) = b}; only the lower (or
   * upper) triangle of {@code a} is read. {@code b} is {@code [..., m, k]} (left side) or
   * {@code [..., k, m]}, or a vector {@code [..., m]}.
   */
  public static Array triangularSolve(Array a, Array b, boolean leftSide, boolean lower, boolean transposeA,
      boolean unitDiagonal) {
    String op = "triangularSolve";
    a = square(op, floaty(a));
    b = floaty(b);
    DType dt = DType.promote(a.dtype(), b.dtype());
    a = a.astype(dt);
    b = b.astype(dt);
    boolean vector = b.ndim() == a.ndim() - 1;
    if (b.ndim() < 1 || b.ndim() < a.ndim() - 1) {
      throw new ShapeError("Linalg." + op + ": b " + b.aval().shapeString() + " does not fit a " + a.aval().shapeString()
          + "; b must be a matrix [..., m, k] or a vector [..., m] with a's batch axes (m = " + a.dim(a.ndim() - 1) + ")");
    }
    Array bm = vector ? b.expandDims(leftSide ? b.ndim() : b.ndim() - 1) : b;
    int m = a.dim(a.ndim() - 1);
    int bDim = leftSide ? bm.dim(bm.ndim() - 2) : bm.dim(bm.ndim() - 1);
    if (bDim != m) {
      throw new ShapeError("Linalg." + op + ": a " + a.aval().shapeString() + " and b " + b.aval().shapeString()
          + " do not fit: " + (leftSide ? "b's rows" : "b's columns") + " (" + bDim + ") must equal a's size " + m
          + (leftSide ? "; for x a = b pass leftSide=false" : "; for a x = b pass leftSide=true"));
    }
    Array[] ab = broadcastBatch(op, a, bm);
    Array x = LinalgPrims.TRIANGULAR_SOLVE.bind1(
        LinalgPrims.triangularSolveParams(leftSide, lower, transposeA, unitDiagonal), ab[0], ab[1]);
    return vector ? x.squeeze(leftSide ? x.ndim() - 1 : x.ndim() - 2) : x;
  }

  /** {@code jax.scipy.linalg.solve_triangular(a, b, lower=lower)}: {@code x} with {@code a x = b}. */
  public static Array solveTriangular(Array a, Array b, boolean lower) {
    return solveTriangular(a, b, lower, false, false);
  }

  /**
   * {@code jax.scipy.linalg.solve_triangular(a, b, trans, lower, unit_diagonal)}: {@code x} with
   * {@code a x = b}, or {@code a^T x = b} when {@code transpose}; b {@code [..., m]} or {@code [..., m, k]}.
   */
  public static Array solveTriangular(Array a, Array b, boolean lower, boolean transpose, boolean unitDiagonal) {
    return triangularSolve(a, b, true, lower, transpose, unitDiagonal);
  }

  /**
   * {@code jax.scipy.linalg.cho_solve((c, True), b)}: {@code x} with {@code (c c^T) x = b}, c the
   * lower Cholesky factor from {@link #cholesky}.
   */
  public static Array choSolve(Array c, Array b) {
    return choSolve(c, b, true);
  }

  /** {@code cho_solve((c, lower), b)}: c lower ({@code c c^T}) or upper ({@code c^T c}). */
  public static Array choSolve(Array c, Array b, boolean lower) {
    Array y = triangularSolve(c, b, true, lower, !lower, false);
    return triangularSolve(c, y, true, lower, lower, false);
  }

  // ---- LU and what is built on it -----------------------------------------------------------------

  /**
   * {@code lax.linalg.lu(a)}: LU with partial pivoting of each {@code [m, n]} matrix — {@code lu}
   * (L below the diagonal, unit diagonal implied; U on and above), {@code pivots} I32
   * {@code [..., min(m, n)]}, {@code permutation} I32 {@code [..., m]}, with {@code a[permutation] = L U}.
   */
  public static Lu lu(Array a) {
    a = matrix("lu", floaty(a));
    List<Array> r = LinalgPrims.LU.bind(Params.EMPTY, a);
    return new Lu(r.get(0), r.get(1), r.get(2));
  }

  /**
   * {@code jnp.linalg.solve(a, b)}: {@code x} with {@code a x = b}, by LU with partial pivoting;
   * its gradient reuses the LU factors (two triangular solves and an outer product, as JAX's).
   * {@code b} is a vector {@code [n]} (solved against every matrix of a's batch) or a matrix
   * stack {@code [..., n, k]} whose batch axes broadcast with a's (NumPy 2 / current JAX rule).
   */
  public static Array solve(Array a, Array b) {
    a = square("solve", floaty(a));
    b = floaty(b);
    DType dt = DType.promote(a.dtype(), b.dtype());
    a = a.astype(dt);
    b = b.astype(dt);
    int n = a.dim(a.ndim() - 1);
    boolean vector = b.ndim() == 1;
    if (b.ndim() == 0 || b.dim(vector ? 0 : b.ndim() - 2) != n) {
      throw new ShapeError("Linalg.solve: a " + a.aval().shapeString() + " and b " + b.aval().shapeString()
          + " do not fit; b must be [" + n + "] or [..., " + n + ", k] (a vector, or the right-hand sides as columns)");
    }
    Array bm = vector ? column(b) : b;
    Array[] ab = broadcastBatch("solve", a, bm);
    // one LU; the gradient reuses its factors for the transposed solve (JAX's custom_linear_solve)
    Array x = LuSolve.solve(ab[0], ab[1]);
    return vector ? x.squeeze(x.ndim() - 1) : x;
  }

  /** {@code jnp.linalg.inv(a)}: {@code solve(a, I)} for each matrix of the batch. */
  public static Array inv(Array a) {
    a = square("inv", floaty(a));
    int n = a.dim(a.ndim() - 1);
    return solve(a, Array.eye(a.dtype(), n, n).broadcastTo(a.shape()));
  }

  /**
   * {@code jnp.linalg.slogdet(a)}: the sign and the log of the absolute determinant, from the LU
   * diagonal and the pivots' parity; a zero on U's diagonal gives sign 0 and logabsdet -inf.
   */
  public static Slogdet slogdet(Array a) {
    a = square("slogdet", floaty(a));
    int n = a.dim(a.ndim() - 1);
    Lu f = lu(a);
    Array diag = diagonal(f.lu());
    int last = diag.ndim() - 1;
    Array isZero = diag.eq(0).any(last);
    Array swaps = f.pivots().ne(Array.arange(n)).astype(DType.I32).sum(last);
    Array parity = swaps.add(diag.lt(0).astype(DType.I32).sum(last)).rem(2);
    Array sign = Array.where(isZero, Array.scalar(a.dtype(), 0), parity.mul(-2).add(1).astype(a.dtype()));
    Array logdet = Array.where(isZero, Array.scalar(a.dtype(), Double.NEGATIVE_INFINITY), diag.abs().log().sum(last));
    return new Slogdet(sign, logdet);
  }

  /** {@code jnp.linalg.det(a)}: {@code sign * exp(logabsdet)} of {@link #slogdet}. */
  public static Array det(Array a) {
    Slogdet s = slogdet(a);
    return s.sign().mul(s.logabsdet().exp());
  }

  // ---- QR and eigh --------------------------------------------------------------------------------

  /**
   * {@code jnp.linalg.qr(a)} (mode "reduced"): Householder QR, {@code q [..., m, k]} with
   * orthonormal columns and upper-triangular {@code r [..., k, n]}, {@code k = min(m, n)}. Signs
   * follow LAPACK (r's diagonal may be negative).
   */
  public static Qr qr(Array a) {
    return qr(a, false);
  }

  /** {@code jnp.linalg.qr(a, mode="complete")} when {@code fullMatrices}: q is {@code [..., m, m]}, r {@code [..., m, n]}. */
  public static Qr qr(Array a, boolean fullMatrices) {
    a = matrix("qr", floaty(a));
    List<Array> r = LinalgPrims.QR.bind(Params.of("full_matrices", fullMatrices, "pivoting", false), a);
    return new Qr(r.get(0), r.get(1));
  }

  /**
   * {@code jnp.linalg.eigh(a)}: eigenvalues (ascending) and eigenvectors (columns) of each
   * symmetric matrix; the input is symmetrized first, as JAX. Each eigenvector's sign is
   * arbitrary (as LAPACK's); for repeated eigenvalues any orthonormal basis of the eigenspace may come back.
   */
  public static Eigh eigh(Array a) {
    a = square("eigh", floaty(a));
    List<Array> r = LinalgPrims.EIGH.bind(Params.of("lower", true, "sort_eigenvalues", true), symmetrize(a));
    return new Eigh(r.get(1), r.get(0));
  }

  /**
   * {@code jnp.linalg.svd(a, full_matrices=False)}: {@code a = u diag(s) vh} with
   * {@code u [..., m, k]}, {@code s [..., k]} descending, {@code vh [..., k, n]}, k = min(m, n).
   * Each singular pair's sign is arbitrary (as LAPACK's). JAX's default {@code full_matrices=True}
   * is not provided (docs/linalg.md).
   */
  public static Svd svd(Array a) {
    a = matrix("svd", floaty(a));
    List<Array> r = LinalgPrims.SVD.bind(Params.of("full_matrices", false, "compute_uv", true), a);
    return new Svd(r.get(1), r.get(0), r.get(2));
  }

  /** {@code jnp.linalg.svdvals(a)}: the singular values, descending. */
  public static Array svdvals(Array a) {
    return svd(a).s();
  }

  /**
   * {@code jnp.linalg.pinv(a)}: the Moore-Penrose pseudo-inverse {@code [..., n, m]} from the SVD,
   * singular values at or below {@code rtol * s_max} (default {@code rtol = 10 max(m, n) eps})
   * treated as zero. Differentiated by JAX's custom JVP (a {@link Transforms#customJvp}), so the
   * gradient is the pseudo-inverse's, not the SVD's (which is undefined at repeated values).
   */
  public static Array pinv(Array a) {
    return pinv(a, null);
  }

  /** {@link #pinv(Array)} with an explicit relative cutoff {@code rtol} (null: the default). */
  public static Array pinv(Array a, Double rtol) {
    Array f = matrix("pinv", floaty(a));
    int rows = f.dim(f.ndim() - 2), cols = f.dim(f.ndim() - 1);
    if (rows == 0 || cols == 0) { // as JAX: an empty [..., n, m], no SVD of nothing
      int[] shape = f.shape().clone();
      shape[shape.length - 2] = cols;
      shape[shape.length - 1] = rows;
      return Array.zeros(f.dtype(), shape);
    }
    return Transforms.customJvp((Array x) -> pinvPrimal(x, rtol), (Array x, Array t) -> {
      Array p = pinvPrimal(x, rtol);
      int m = x.dim(x.ndim() - 2), n = x.dim(x.ndim() - 1);
      Array pdot;
      if (m >= n) {
        Array s = p.matmul(mT(p)).matmul(mT(t));
        Array u = mT(t).matmul(mT(p)).matmul(p);
        pdot = p.matmul(t).matmul(p).neg().add(s).sub(s.matmul(x).matmul(p)).add(u).sub(p.matmul(x).matmul(u));
      } else {
        Array s = p.matmul(mT(p).matmul(mT(t)));
        Array u = mT(t).matmul(mT(p).matmul(p));
        pdot = p.neg().matmul(t.matmul(p)).add(s).sub(s.matmul(x.matmul(p))).add(u).sub(p.matmul(x.matmul(u)));
      }
      return Pair.of(p, pdot);
    }).apply(f);
  }

  private static Array pinvPrimal(Array a, Double rtol) {
    int m = a.dim(a.ndim() - 2), n = a.dim(a.ndim() - 1);
    double eps = RandomSampler.eps(a.dtype()); // finfo(dtype).eps: bf16 2^-7, f16 2^-10 (not f32's)
    double r = rtol != null ? rtol : 10.0 * Math.max(m, n) * eps;
    Svd usv = svd(a);
    Array s = usv.s();
    Array cutoff = s.sliceAxis(-1, 0, 1).mul(Array.scalar(s.dtype(), r));
    s = Array.where(s.gt(cutoff), s, Double.POSITIVE_INFINITY);
    return mT(usv.vh()).matmul(mT(usv.u()).div(s.expandDims(-1)));
  }

  /**
   * {@code jnp.linalg.lstsq(a, b)}: minimises {@code |a x - b|} for {@code a [m, n]} and
   * {@code b [m]} or {@code [m, k]}, through the SVD as JAX: singular values below
   * {@code rcond * s_max} (default {@code eps * max(m, n)}) are dropped, so a rank-deficient
   * {@code a} gives the minimum-norm solution. The residuals are always {@code |b - a x|^2} per
   * column (JAX's default {@code numpy_resid=False}). Grad flows through the SVD's (docs/linalg.md).
   */
  public static Lstsq lstsq(Array a, Array b) {
    return lstsq(a, b, null);
  }

  /** {@link #lstsq(Array, Array)} with an explicit {@code rcond} (null: the default; negative: eps). */
  public static Lstsq lstsq(Array a, Array b, Double rcond) {
    return LeastSquares.lstsq(a, b, rcond);
  }

  /**
   * {@code jnp.linalg.matrix_power(a, n)}: {@code a} multiplied by itself {@code n} times by
   * binary powering in JAX's order; {@code n = 0} the identity, {@code n < 0} powers of
   * {@code inv(a)}.
   */
  public static Array matrixPower(Array a, int n) {
    a = square("matrixPower", a);
    if (n == 0) {
      return Array.eye(a.dtype(), a.dim(a.ndim() - 1), a.dim(a.ndim() - 1)).broadcastTo(a.shape());
    }
    if (n < 0) {
      a = inv(a);
      n = -n;
    }
    if (n == 1) {
      return a;
    } else if (n == 2) {
      return a.matmul(a);
    } else if (n == 3) {
      return a.matmul(a).matmul(a);
    }
    Array z = null;
    Array result = null;
    while (n > 0) {
      z = z == null ? a : z.matmul(z);
      int bit = n % 2;
      n /= 2;
      if (bit == 1) {
        result = result == null ? z : result.matmul(z);
      }
    }
    return result;
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private static Array symmetrize(Array a) {
    return a.add(mT(a)).mul(0.5);
  }

  private static Array matrix(String op, Array a) {
    if (a.ndim() < 2) {
      throw new ShapeError("Linalg." + op + ": a " + a.aval().shapeString() + " has rank " + a.ndim()
          + "; it needs a matrix [..., m, n] (the last two axes; reshape a vector with reshape(n, 1))");
    }
    return a;
  }

  private static Array square(String op, Array a) {
    matrix(op, a);
    if (a.dim(a.ndim() - 1) != a.dim(a.ndim() - 2)) {
      throw new ShapeError("Linalg." + op + ": a " + a.aval().shapeString() + " is not square; " + op
          + " needs [..., n, n] (for least squares of a tall matrix use qr)");
    }
    return a;
  }

  /** a and b with their batch axes (all but the last two) broadcast to a common shape. */
  private static Array[] broadcastBatch(String op, Array a, Array b) {
    int[] ab = Arrays.copyOf(a.shape(), a.ndim() - 2);
    int[] bb = Arrays.copyOf(b.shape(), b.ndim() - 2);
    int[] batch;
    try {
      batch = Array.broadcastShapes(op, ab, bb);
    } catch (ShapeError e) {
      throw new ShapeError("Linalg." + op + ": the batch axes of a " + a.aval().shapeString() + " and b "
          + b.aval().shapeString() + " do not broadcast; they must be equal or 1, aligned from the right");
    }
    return new Array[] {a.broadcastTo(withTail(batch, a)), b.broadcastTo(withTail(batch, b))};
  }

  private static int[] withTail(int[] batch, Array x) {
    int[] s = Arrays.copyOf(batch, batch.length + 2);
    s[batch.length] = x.dim(x.ndim() - 2);
    s[batch.length + 1] = x.dim(x.ndim() - 1);
    return s;
  }

  // ---- rank, condition number, norms, chained products (jnp.linalg, docs/linalg.md) -------------

  /**
   * {@code jnp.linalg.matrix_rank(m)}: the number of singular values above
   * {@code max(s) * max(rows, cols) * eps}, per matrix of a batch (int32). Rank 0/1 input: 1 if
   * any element is nonzero, else 0 (as JAX).
   */
  public static Array matrixRank(Array m) {
    return matrixRank(m, null);
  }

  /**
   * {@code jnp.linalg.matrix_rank(m, rtol)}: as JAX 0.10.2, a given {@code rtol} is compared with
   * the singular values directly (an absolute threshold); null is the default above.
   */
  public static Array matrixRank(Array m, Double rtol) {
    Array f = NumpyMath.floaty(m);
    if (f.ndim() < 2) {
      return f.ne(0).any().astype(DType.I32);
    }
    Array s = svdvals(f);
    DType dt = s.dtype();
    Array threshold = rtol != null ? Array.scalar(dt, rtol)
        : s.max(-1).mul(Array.scalar(dt, Math.max(f.shape()[f.ndim() - 2], f.shape()[f.ndim() - 1])))
            .mul(Array.scalar(dt, RandomSampler.eps(dt))); // finfo(dt).eps
    return s.gt(threshold.expandDims(-1)).astype(DType.I32).sum(-1);
  }

  /** {@code jnp.linalg.cond(x)}: the 2-norm condition number {@code s_max / s_min} of each matrix. */
  public static Array cond(Array x) {
    return cond(x, 2);
  }

  /**
   * {@code jnp.linalg.cond(x, p)}: p = 2 or -2 from the singular values; 1, -1 and +-infinity as
   * {@code norm(x, p) * norm(inv(x), p)} (square matrices only). NaN becomes inf where x has no
   * NaN (a singular matrix), as JAX.
   */
  public static Array cond(Array x, double p) {
    Array f = condInput(x);
    if (p == 2) {
      return svdRatio(f, true); // as JAX: no NaN-to-inf for p = 2
    }
    Array r = p == -2 ? svdRatio(f, false) : normTimesInverseNorm(f, t -> MatrixHelpers.norm(t, p, -2, -1), String.valueOf(p));
    return nanAsInfUnlessInputHasNan(f, r);
  }

  /** {@code jnp.linalg.cond(x, "fro" | "nuc")}: {@code norm(x) * norm(inv(x))} in that matrix norm. */
  public static Array cond(Array x, String p) {
    Array f = condInput(x);
    return nanAsInfUnlessInputHasNan(f, normTimesInverseNorm(f, t -> MatrixHelpers.norm(t, p, -2, -1), "\"" + p + "\""));
  }

  /** x as floats, refused (as JAX) unless it is a non-empty matrix or batch of matrices. */
  private static Array condInput(Array x) {
    if (x.ndim() < 2 || x.shape()[x.ndim() - 1] == 0 || x.shape()[x.ndim() - 2] == 0) {
      throw new ShapeError("cond: the input must be a non-empty matrix or batch of matrices, got shape "
          + java.util.Arrays.toString(x.shape()));
    }
    return NumpyMath.floaty(x);
  }

  /** {@code s[..., 0] / s[..., -1]} of the singular values (largest first), or its inverse ratio. */
  private static Array svdRatio(Array f, boolean largestOverSmallest) {
    Array s = svdvals(f);
    int k = s.shape()[s.ndim() - 1];
    Array largest = s.sliceAxis(s.ndim() - 1, 0, 1).squeeze(-1);
    Array smallest = s.sliceAxis(s.ndim() - 1, k - 1, k).squeeze(-1);
    return largestOverSmallest ? largest.div(smallest) : smallest.div(largest);
  }

  private static Array normTimesInverseNorm(Array f, java.util.function.Function<Array, Array> norm, String p) {
    if (f.shape()[f.ndim() - 2] != f.shape()[f.ndim() - 1]) {
      throw new ShapeError("cond: for p=" + p + " the matrix must be square, got shape "
          + java.util.Arrays.toString(f.shape()) + "; use p = 2 or -2 for a rectangular matrix");
    }
    return norm.apply(f).mul(norm.apply(inv(f)));
  }

  /** JAX's last step: a NaN condition number is inf (a singular matrix) unless that matrix holds a NaN. */
  private static Array nanAsInfUnlessInputHasNan(Array f, Array r) {
    return Array.where(r.ne(r).and(f.ne(f).any(f.ndim() - 2, f.ndim() - 1).not()),
        Array.scalar(r.dtype(), Double.POSITIVE_INFINITY).broadcastTo(r.shape()), r);
  }

  /**
   * {@code jnp.linalg.multi_dot(arrays)}: the chained product, in the order with the fewest
   * multiplications (the matrix-chain dynamic program; JAX's einsum with {@code optimize='auto'}
   * finds the same order for a chain). The first and last array may be vectors.
   */
  public static Array multiDot(Array... arrays) {
    return MultiDot.multiDot(arrays);
  }

  /** {@code jnp.linalg.vector_norm(x)}: the 2-norm of all elements, whatever the rank. */
  public static Array vectorNorm(Array x) {
    return vectorNorm(x, 2, false);
  }

  /**
   * {@code jnp.linalg.vector_norm(x, ord=ord, axis=axes, keepdims=keepDims)}: the elements over
   * {@code axes} (none: all) as one vector; ord 2, 1, 0 (the nonzero count), +-infinity or any p.
   */
  public static Array vectorNorm(Array x, double ord, boolean keepDims, int... axes) {
    Array f = NumpyMath.floaty(x);
    int[] ax = axes.length == 0 ? java.util.stream.IntStream.range(0, f.ndim()).toArray() : axes;
    Array out = MatrixHelpers.vectorNorm("vectorNorm", f, ord, ax);
    if (keepDims) {
      int[] sorted = ax.clone();
      for (int i = 0; i < sorted.length; i++) {
        sorted[i] = sorted[i] < 0 ? sorted[i] + f.ndim() : sorted[i];
      }
      java.util.Arrays.sort(sorted);
      for (int a : sorted) {
        out = out.expandDims(a);
      }
    }
    return out;
  }

  /** {@code jnp.linalg.matrix_norm(x)}: the Frobenius norm of each matrix (the last two axes). */
  public static Array matrixNorm(Array x) {
    return matrixNorm(x, "fro");
  }

  /** {@code jnp.linalg.matrix_norm(x, ord=ord)} with {@code "fro"} or {@code "nuc"}, over the last two axes. */
  public static Array matrixNorm(Array x, String ord) {
    requireMatrix("matrixNorm", x);
    return MatrixHelpers.norm(x, ord, -2, -1);
  }

  /**
   * {@code jax.scipy.linalg.expm(a)}: the matrix exponential of each matrix of {@code [..., n, n]},
   * by Padé approximation with scaling and squaring as JAX (see {@link MatrixExponential}); F32 or
   * F64. Differentiable by composition (JAX differentiates the same operations).
   */
  public static Array expm(Array a) {
    return MatrixExponential.expm(a, false, 16);
  }

  /**
   * {@code expm(a, upper_triangular=upperTriangular, max_squarings=maxSquarings)}: an upper
   * triangular a solves with a triangular solve; more than {@code maxSquarings} squarings needed
   * gives a NaN matrix (JAX).
   */
  public static Array expm(Array a, boolean upperTriangular, int maxSquarings) {
    return MatrixExponential.expm(a, upperTriangular, maxSquarings);
  }

  /** {@code jnp.linalg.matrix_norm(x, ord=ord)} with ord 1, -1, 2, -2 or +-infinity, over the last two axes. */
  public static Array matrixNorm(Array x, double ord) {
    requireMatrix("matrixNorm", x);
    return MatrixHelpers.norm(x, ord, -2, -1);
  }

  private static void requireMatrix(String op, Array x) {
    if (x.ndim() < 2) {
      throw new ShapeError(op + ": needs a matrix or a batch of matrices, got shape " + java.util.Arrays.toString(x.shape())
          + "; for a vector use vectorNorm");
    }
  }
}
