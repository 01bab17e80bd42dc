package dev.statelens.engine.linalg;

import dev.statelens.engine.DType;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import java.util.Arrays;
import java.util.List;

/**
 * The linear-algebra primitives of {@code jax.lax.linalg}, named as JAX's jaxprs print them. Each
 * takes operands {@code [..., m, n]}: the last two axes are the matrix, the leading ones are batch
 * axes (operands of one equation share them exactly; {@link dev.statelens.engine.Linalg} broadcasts).
 * F32 and F64 only.
 *
 * <p>This class is the package's entry point: loading it registers the CPU kernels
 * ({@link LinalgKernels}), the VJP rules ({@link LinalgVjps}) and the batching rules
 * ({@link LinalgBatching}), so a graph holding one of these primitives always finds its rules.
 * GPU backends run them as host steps (the CPU kernel on copied operands), see docs/gpu.md.
 */
public final class LinalgPrims {
  private LinalgPrims() {}

  /** {@code cholesky_p}: the lower Cholesky factor of each matrix, reading its lower triangle; NaN where not positive definite. */
  public static final Primitive CHOLESKY = new Primitive("cholesky", (in, p) -> {
    Aval a = one("cholesky", in);
    square("cholesky", a);
    return List.of(a);
  });

  /**
   * {@code triangular_solve_p(a, b)}: {@code x} with {@code op(a) x = b} ({@code left_side}) or
   * {@code x op(a) = b}, where {@code op} transposes when {@code transpose_a}; only the
   * {@code lower} (or upper) triangle of {@code a} is read, its diagonal taken as ones with
   * {@code unit_diagonal}. params {@code left_side, lower, transpose_a, conjugate_a, unit_diagonal}.
   */
  public static final Primitive TRIANGULAR_SOLVE = new Primitive("triangular_solve", (in, p) -> {
    if (in.size() != 2) {
      throw new ShapeError("triangular_solve: expects (a, b), got " + in.size() + " operands");
    }
    Aval a = in.get(0);
    Aval b = in.get(1);
    square("triangular_solve", a);
    matrix("triangular_solve", b);
    if (a.dtype() != b.dtype()) {
      throw new ShapeError("triangular_solve: a " + a + " and b " + b + " differ in dtype; convert one with astype");
    }
    boolean left = p.getBoolean("left_side");
    int m = a.dim(a.rank() - 1);
    int bDim = left ? b.dim(b.rank() - 2) : b.dim(b.rank() - 1);
    if (b.rank() != a.rank() || !Arrays.equals(batch(a), batch(b)) || bDim != m) {
      throw new ShapeError("triangular_solve: a " + a.shapeString() + " and b " + b.shapeString()
          + " do not fit: with left_side=" + left + " b must be " + (left ? "[..., " + m + ", k]" : "[..., k, " + m + "]")
          + " with the same batch axes as a " + ShapeError.format(batch(a)));
    }
    return List.of(b);
  });

  /**
   * {@code lu_p}: LU with partial pivoting of each {@code [m, n]} matrix: {@code lu} (L below the
   * diagonal with an implied unit diagonal, U on and above), {@code pivots} I32
   * {@code [..., min(m, n)]} (row {@code i} was swapped with row {@code pivots[i]}) and
   * {@code permutation} I32 {@code [..., m]}, so that {@code a[permutation] = L U}.
   */
  public static final Primitive LU = new Primitive("lu", (in, p) -> {
    Aval a = one("lu", in);
    matrix("lu", a);
    int m = a.dim(a.rank() - 2);
    int n = a.dim(a.rank() - 1);
    return List.of(a, Aval.of(DType.I32, append(batch(a), Math.min(m, n))), Aval.of(DType.I32, append(batch(a), m)));
  });

  /**
   * {@code qr_p}: Householder QR of each {@code [m, n]} matrix; outputs {@code q [..., m, k]} and
   * {@code r [..., k, n]}, with {@code k = min(m, n)}, or {@code k = m} when {@code full_matrices}.
   */
  public static final Primitive QR = new Primitive("qr", (in, p) -> {
    Aval a = one("qr", in);
    matrix("qr", a);
    int m = a.dim(a.rank() - 2);
    int n = a.dim(a.rank() - 1);
    int k = p.getBoolean("full_matrices") ? m : Math.min(m, n);
    return List.of(a.withShape(append(batch(a), m, k)), a.withShape(append(batch(a), k, n)));
  });

  /**
   * {@code eigh_p}: eigenvectors {@code v [..., n, n]} (columns) and eigenvalues
   * {@code w [..., n]} in ascending order of each symmetric matrix, reading its {@code lower}
   * triangle. params {@code lower}, {@code sort_eigenvalues}.
   */
  public static final Primitive EIGH = new Primitive("eigh", (in, p) -> {
    Aval a = one("eigh", in);
    square("eigh", a);
    return List.of(a, a.withShape(append(batch(a), a.dim(a.rank() - 1))));
  });

  /**
   * {@code svd_p} (thin, {@code full_matrices=False, compute_uv=True}): singular values
   * {@code s [..., k]} descending, {@code u [..., m, k]}, {@code vt [..., k, n]}, k = min(m, n),
   * in JAX's output order (s, u, vt).
   */
  public static final Primitive SVD = new Primitive("svd", (in, p) -> {
    Aval a = one("svd", in);
    matrix("svd", a);
    if (p.getBoolean("full_matrices") || !p.getBoolean("compute_uv")) {
      throw new ShapeError("svd: only full_matrices=False, compute_uv=True is supported; use the thin SVD "
          + "(Linalg.svd) and take s alone where only the singular values are needed");
    }
    int m = a.dim(a.rank() - 2);
    int n = a.dim(a.rank() - 1);
    int k = Math.min(m, n);
    return List.of(a.withShape(append(batch(a), k)), a.withShape(append(batch(a), m, k)), a.withShape(append(batch(a), k, n)));
  });

  /** The default params of {@link #TRIANGULAR_SOLVE}. */
  public static Params triangularSolveParams(boolean leftSide, boolean lower, boolean transposeA, boolean unitDiagonal) {
    return Params.of("left_side", leftSide, "lower", lower, "transpose_a", transposeA, "conjugate_a", false,
        "unit_diagonal", unitDiagonal);
  }

  static {
    LinalgKernels.registerAll();
    LinalgVjps.registerAll();
    LinalgBatching.registerAll();
  }

  /** Every primitive of this class (for registries and tests). */
  public static List<Primitive> all() {
    return List.of(CHOLESKY, TRIANGULAR_SOLVE, LU, QR, EIGH, SVD);
  }

  // ---- shape checks ---------------------------------------------------------------------------

  private static Aval one(String op, List<Aval> in) {
    if (in.size() != 1) {
      throw new ShapeError(op + ": expects 1 operand, got " + in.size());
    }
    return in.get(0);
  }

  private static void matrix(String op, Aval a) {
    if (a.rank() < 2) {
      throw new ShapeError(op + ": operand " + a + " has rank " + a.rank() + "; it needs a matrix [..., m, n] "
          + "(reshape a vector to [n, 1], or use the Linalg function that accepts vectors)");
    }
    if (!a.dtype().isFloating()) {
      throw new ShapeError(op + ": operand " + a + " must be f32 or f64; convert it with astype(DType.F32)");
    }
  }

  private static void square(String op, Aval a) {
    matrix(op, a);
    if (a.dim(a.rank() - 1) != a.dim(a.rank() - 2)) {
      throw new ShapeError(op + ": operand " + a.shapeString() + " is not square; " + op
          + " needs square matrices [..., n, n] in the last two axes");
    }
  }

  static int[] batch(Aval a) {
    return Arrays.copyOf(a.shape(), a.rank() - 2);
  }

  static int[] append(int[] head, int... tail) {
    int[] r = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, r, head.length, tail.length);
    return r;
  }
}
