package dev.statelens.engine.linalg;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;

/**
 * Array helpers on the last two axes of {@code [..., m, n]} operands (jnp's {@code tril},
 * {@code triu}, {@code matrix_transpose}, {@code diagonal}), built from ordinary primitives so
 * they trace, differentiate and batch like any other code. Public for {@link dev.statelens.engine.Linalg}.
 */
public final class MatrixOps {
  private MatrixOps() {}

  /** {@code jnp.matrix_transpose}: the last two axes swapped. */
  public static Array mT(Array x) {
    int r = x.ndim();
    int[] perm = new int[r];
    for (int i = 0; i < r; i++) {
      perm[i] = i;
    }
    perm[r - 2] = r - 1;
    perm[r - 1] = r - 2;
    return x.transpose(perm);
  }

  /** {@code jnp.tril(x, k)}: entries with {@code col <= row + k} kept, others zero. */
  public static Array tril(Array x, int k) {
    return Array.where(colMinusRow(x).le(k), x, 0);
  }

  /** {@code jnp.triu(x, k)}: entries with {@code col >= row + k} kept, others zero. */
  public static Array triu(Array x, int k) {
    return Array.where(colMinusRow(x).ge(k), x, 0);
  }

  /** {@code col - row} over the last two axes of {@code x}, as an I32 [m, n] (broadcasts). */
  private static Array colMinusRow(Array x) {
    int[] mn = {x.dim(x.ndim() - 2), x.dim(x.ndim() - 1)};
    Array rows = Prims.IOTA.bind1(Params.of("dtype", DType.I32, "shape", mn, "dimension", 0));
    Array cols = Prims.IOTA.bind1(Params.of("dtype", DType.I32, "shape", mn, "dimension", 1));
    return cols.sub(rows);
  }

  /** The identity n x n in {@code dtype} (broadcasts against batch axes). */
  public static Array eye(DType dtype, int n) {
    return Array.eye(dtype, n, n);
  }

  /** {@code jnp.diagonal(x, axis1=-2, axis2=-1)} of square matrices: {@code [..., n]}. */
  public static Array diagonal(Array x) {
    return Array.where(colMinusRow(x).eq(0), x, 0).sum(x.ndim() - 1);
  }

  /** {@code d[..., :, None] * eye(n)}: the matrices with diagonals {@code d [..., n]}. */
  public static Array diagEmbed(Array d) {
    int n = d.dim(d.ndim() - 1);
    return Array.where(Array.eye(DType.BOOL, n, n), d.expandDims(d.ndim() - 1), 0);
  }

  /** {@code x[..., :, None]} — a vector as a one-column matrix. */
  public static Array column(Array x) {
    return x.expandDims(x.ndim());
  }
}
