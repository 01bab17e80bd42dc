package dev.statelens.engine;

import static dev.statelens.engine.NumpyMath.floaty;

import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The jnp matrix helpers behind {@link Array}'s {@code diagonal}, {@code diag}, {@code trace},
 * {@code triu}/{@code tril}, {@code outer}, {@code norm} and {@link Array#meshgrid}: compositions
 * of existing primitives (strided slices, iota masks, reductions), so jit, grad and vmap come
 * from the primitives' rules. See docs/arrays.md.
 */
final class MatrixHelpers {
  private MatrixHelpers() {}

  /**
   * {@code jnp.diagonal(x, offset, axis1, axis2)}: the other axes in order, the diagonal last.
   * The two axes are moved to the end and flattened; the diagonal is then every (m+1)-th element
   * from the offset's start, one strided {@code slice} (O(diagonal), not a mask over the matrix).
   */
  static Array diagonal(Array x, int offset, int axis1, int axis2) {
    int rank = x.ndim();
    if (rank < 2) {
      throw new ShapeError("diagonal: needs an array of rank >= 2, got " + x.aval().shapeString()
          + "; for a vector, diag(v) builds the matrix");
    }
    int a1 = axis("diagonal", axis1, rank);
    int a2 = axis("diagonal", axis2, rank);
    if (a1 == a2) {
      throw new ShapeError("diagonal: axis1 and axis2 are both axis " + a1 + " of " + x.aval().shapeString()
          + "; give two different axes");
    }
    int[] perm = new int[rank];
    int[] lead = new int[rank - 2];
    int k = 0;
    for (int d = 0; d < rank; d++) {
      if (d != a1 && d != a2) {
        lead[k] = x.dim(d);
        perm[k++] = d;
      }
    }
    perm[rank - 2] = a1;
    perm[rank - 1] = a2;
    int n = x.dim(a1);
    int m = x.dim(a2);
    int len = Math.max(0, offset >= 0 ? Math.min(n, m - offset) : Math.min(n + offset, m));
    int[] flat = Arrays.copyOf(lead, rank - 1);
    flat[rank - 2] = n * m;
    Array lines = x.transpose(perm).reshape(flat);
    int[] start = new int[rank - 1];
    int[] limit = flat.clone();
    int[] strides = new int[rank - 1];
    Arrays.fill(strides, 1);
    if (len == 0) {
      limit[rank - 2] = 0;
    } else {
      int s = offset >= 0 ? offset : -offset * m;
      start[rank - 2] = s;
      limit[rank - 2] = s + (len - 1) * (m + 1) + 1;
      strides[rank - 2] = m + 1;
    }
    return lines.slice(start, limit, strides);
  }

  /** {@code jnp.diag(v, k)}: a vector onto the k-th diagonal of a square matrix; a matrix's k-th diagonal. */
  static Array diag(Array v, int k) {
    if (v.ndim() == 2) {
      return diagonal(v, k, 0, 1);
    }
    if (v.ndim() != 1) {
      throw new ShapeError("diag: needs a vector (to build a matrix) or a matrix (to read its diagonal), got "
          + v.aval().shapeString() + "; use diagonal(offset, axis1, axis2) for stacks of matrices");
    }
    int n = v.dim(0) + Math.abs(k);
    // row r holds v[r] (k >= 0) or column c holds v[c] (k < 0); the mask keeps the diagonal only
    Array padded = v.pad(new int[][] {{0, Math.abs(k)}});
    Array values = k >= 0 ? padded.reshape(n, 1) : padded.reshape(1, n);
    Array mask = iota(n, n, 1).sub(iota(n, n, 0)).eq(k);
    return Array.where(mask, values, Array.zeros(v.dtype()));
  }

  /** {@code jnp.triu(x, k)} ({@code upper}) / {@code jnp.tril(x, k)}: zeros outside the band, on the last two axes. */
  static Array triangle(Array x, int k, boolean upper) {
    String op = upper ? "triu" : "tril";
    if (x.ndim() < 2) {
      throw new ShapeError(op + ": needs an array of rank >= 2 (a matrix or a stack), got " + x.aval().shapeString()
          + "; for a causal mask build one with Array.ones(n, n)." + op + "(0)");
    }
    int n = x.dim(-2);
    int m = x.dim(-1);
    Array colMinusRow = iota(n, m, 1).sub(iota(n, m, 0));
    Array keep = upper ? colMinusRow.ge(k) : colMinusRow.le(k);
    return Array.where(keep, x, Array.zeros(x.dtype()));
  }

  /** {@code jnp.outer(a, b)}: both flattened, {@code a[i] * b[j]}. */
  static Array outer(Array a, Array b) {
    return a.reshape(-1, 1).mul(b.reshape(1, -1));
  }

  /** {@code jnp.meshgrid(*xs, indexing)}: each input flattened and broadcast along its own axis. */
  static List<Array> meshgrid(String indexing, Array... xs) {
    boolean xy = switch (indexing) {
      case "xy" -> true;
      case "ij" -> false;
      default -> throw new ShapeError("meshgrid: indexing \"" + indexing + "\" is not \"xy\" (Cartesian, the default) or \"ij\" (matrix)");
    };
    int count = xs.length;
    int[] shape = new int[count];
    for (int i = 0; i < count; i++) {
      shape[i] = xs[i].size();
    }
    if (xy && count >= 2) {
      int t = shape[0];
      shape[0] = shape[1];
      shape[1] = t;
    }
    List<Array> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int axis = xy && i < 2 && count >= 2 ? 1 - i : i;
      int[] s = new int[count];
      Arrays.fill(s, 1);
      s[axis] = shape[axis];
      out.add(xs[i].reshape(s).broadcastTo(shape));
    }
    return out;
  }

  // ---- norm ---------------------------------------------------------------------------------------

  /** {@code jnp.linalg.norm(x)}: the 2-norm of the flattened array. */
  static Array norm(Array x) {
    Array f = floaty(x);
    return f.mul(f).sum().sqrt();
  }

  /** {@code jnp.linalg.norm(x, ord, axis)} with a numeric ord: a vector norm (one axis) or a matrix norm (two). */
  static Array norm(Array x, double ord, int... axes) {
    Array f = floaty(x);
    int[] ax = normAxes(f, axes);
    if (ax.length == 1) {
      return vectorNorm("norm", f, ord, ax[0]);
    }
    int r = ax[0];
    int c = ax[1];
    Array abs = f.abs();
    if (ord == 1 || ord == -1) {
      return extremeOfSums(abs, ord, r, c);
    }
    if (ord == Double.POSITIVE_INFINITY || ord == Double.NEGATIVE_INFINITY) {
      return extremeOfSums(abs, ord, c, r);
    }
    if (ord == 2 || ord == -2) {
      Array s = Linalg.svdvals(toEnd(f, r, c));
      return ord == 2 ? s.max(-1) : s.min(-1);
    }
    throw new ShapeError("norm: ord=" + ord + " is not a matrix norm; over two axes use 1, -1, 2, -2, "
        + "Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, or \"fro\" / \"nuc\"");
  }

  /**
   * The max (ord 1, inf) or min (ord -1, -inf) over axis {@code across} of the sums of {@code abs}
   * over axis {@code summed}. As JAX: the max is {@code amax(initial=0)}, so 0 when there is nothing
   * to take it over (e.g. ord 1 of a [3, 0] matrix); the min has no identity, so JAX refuses that
   * case, and so do we (a silent +inf would hide the empty input).
   */
  private static Array extremeOfSums(Array abs, double ord, int summed, int across) {
    Array sums = abs.sumKeepDims(summed);
    boolean max = ord > 0;
    if (sums.dim(across) == 0) {
      if (!max) {
        throw new ShapeError("norm: ord=" + ord + " of a matrix with no " + (Math.abs(ord) == 1 ? "columns" : "rows")
            + " (shape " + abs.aval().shapeString() + ") is the min of nothing, which JAX refuses too;"
            + " check for the empty matrix first, or use ord " + (ord == -1 ? "1" : "Double.POSITIVE_INFINITY") + " (0 here)");
      }
      return sums.sum(summed, across); // sums of zero elements: zeros of the norm's shape, and a zero gradient
    }
    return (max ? sums.maxKeepDims(across) : sums.minKeepDims(across)).squeeze(summed, across);
  }

  /** {@code jnp.linalg.norm(x, "fro" | "nuc", axis)}: matrix norms named by a string. */
  static Array norm(Array x, String ord, int... axes) {
    Array f = floaty(x);
    int[] ax = normAxes(f, axes);
    if (ax.length != 2) {
      throw new ShapeError("norm: ord=\"" + ord + "\" is a matrix norm and needs two axes, got " + Arrays.toString(axes)
          + " for " + x.aval().shapeString() + "; use a number ord for vector norms");
    }
    return switch (ord) {
      case "fro" -> f.mul(f).sum(ax).sqrt();
      case "nuc" -> Linalg.svdvals(toEnd(f, ax[0], ax[1])).sum(-1);
      default -> throw new ShapeError("norm: ord=\"" + ord + "\" is not \"fro\" or \"nuc\"; numeric orders are doubles, e.g. norm(2, 0, 1)");
    };
  }

  /**
   * JAX's {@code vector_norm} of a float {@code x} over {@code axes} (no keepdims), for
   * {@link Array#norm} over one axis and {@link Linalg#vectorNorm}; {@code op} names the call in
   * an error.
   */
  static Array vectorNorm(String op, Array x, double ord, int... axes) {
    if (ord == 2) {
      return x.mul(x).sum(axes).sqrt();
    }
    if (ord == Double.POSITIVE_INFINITY) {
      return x.size() == 0 ? x.abs().sum(axes) : x.abs().max(axes); // amax(initial=0): 0 for no elements
    }
    if (ord == Double.NEGATIVE_INFINITY) {
      for (int a : axes) {
        if (x.dim(a) == 0) {
          // min has no identity: JAX raises "zero-size array to reduction operation min", a silent
          // +inf would hide the empty input
          throw new ShapeError(op + ": ord=-inf over axis " + a + " of " + x.aval().shapeString()
              + ", which is empty, is the min of nothing, which JAX refuses too; check for the empty"
              + " array first, or use ord Double.POSITIVE_INFINITY (0 here)");
        }
      }
      return x.abs().min(axes);
    }
    if (ord == 0) {
      return x.ne(0).astype(x.dtype()).sum(axes);
    }
    if (ord == 1) {
      return x.abs().sum(axes);
    }
    if (Double.isNaN(ord)) {
      throw new ShapeError(op + ": ord is NaN; give a number, Double.POSITIVE_INFINITY or Double.NEGATIVE_INFINITY");
    }
    DType dt = x.dtype();
    double inverse = dt == DType.F64 ? 1 / ord : 1 / (float) ord; // JAX: 1 / ord in x's dtype
    return x.abs().pow(Array.scalar(dt, ord)).sum(axes).pow(Array.scalar(dt, inverse));
  }

  /** Axes for norm: none given means all of a vector's or a matrix's (as jnp, which needs rank 1 or 2 then). */
  private static int[] normAxes(Array x, int[] axes) {
    if (axes.length == 0) {
      if (x.ndim() == 1) {
        return new int[] {0};
      }
      if (x.ndim() == 2) {
        return new int[] {0, 1};
      }
      throw new ShapeError("norm: with an ord and no axes the array must be a vector or a matrix, got "
          + x.aval().shapeString() + "; pass the axes, e.g. norm(2, -1), or use norm() for the flattened 2-norm");
    }
    if (axes.length > 2) {
      throw new ShapeError("norm: " + axes.length + " axes " + Arrays.toString(axes)
          + "; give one axis (vector norm) or two (matrix norm)");
    }
    int[] r = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      r[i] = axis("norm", axes[i], x.ndim());
    }
    if (r.length == 2 && r[0] == r[1]) {
      throw new ShapeError("norm: the two axes " + Arrays.toString(axes) + " are the same axis of " + x.aval().shapeString());
    }
    return r;
  }

  /** Moves axes r and c to the end (in that order), for the batched svd. */
  private static Array toEnd(Array x, int r, int c) {
    int[] perm = new int[x.ndim()];
    int k = 0;
    for (int d = 0; d < x.ndim(); d++) {
      if (d != r && d != c) {
        perm[k++] = d;
      }
    }
    perm[k++] = r;
    perm[k] = c;
    return x.transpose(perm);
  }

  /**
   * {@code jnp.tensordot(a, b, axes=n)}: the last {@code n} axes of {@code a} contracted with the
   * first {@code n} of {@code b}.
   */
  static Array tensordot(Array a, Array b, int n) {
    if (n < 0 || n > a.ndim() || n > b.ndim()) {
      throw new ShapeError("tensordot: axes=" + n + " must be between 0 and the smaller rank of "
          + a.aval().shapeString() + " and " + b.aval().shapeString() + "; pass the axes as two int[] to contract others");
    }
    int[] axesA = new int[n];
    int[] axesB = new int[n];
    for (int i = 0; i < n; i++) {
      axesA[i] = a.ndim() - n + i;
      axesB[i] = i;
    }
    return tensordot(a, b, axesA, axesB);
  }

  /**
   * {@code jnp.tensordot(a, b, axes=(axesA, axesB))}: axis {@code axesA[i]} of {@code a} contracted
   * with {@code axesB[i]} of {@code b}; the result's axes are {@code a}'s free axes, then {@code b}'s.
   * One {@code dot_general} on the promoted dtype, as JAX.
   */
  static Array tensordot(Array a, Array b, int[] axesA, int[] axesB) {
    if (axesA.length != axesB.length) {
      throw new ShapeError("tensordot: axes " + Arrays.toString(axesA) + " and " + Arrays.toString(axesB)
          + " must have the same length (one axis of b per contracted axis of a)");
    }
    int[] ca = new int[axesA.length];
    int[] cb = new int[axesB.length];
    for (int i = 0; i < ca.length; i++) {
      ca[i] = axis("tensordot", axesA[i], a.ndim());
      cb[i] = axis("tensordot", axesB[i], b.ndim());
      if (a.dim(ca[i]) != b.dim(cb[i])) {
        throw new ShapeError("tensordot: axis " + axesA[i] + " of a " + a.aval().shapeString() + " has length "
            + a.dim(ca[i]) + " but axis " + axesB[i] + " of b " + b.aval().shapeString() + " has length "
            + b.dim(cb[i]) + "; contracted axes must have equal lengths");
      }
    }
    if (Arrays.stream(ca).distinct().count() != ca.length || Arrays.stream(cb).distinct().count() != cb.length) {
      throw new ShapeError("tensordot: an axis is named twice in " + Arrays.toString(axesA) + " / "
          + Arrays.toString(axesB) + "; contract each axis once");
    }
    DType dt = DType.promote(a.dtype(), b.dtype());
    return Array.dotGeneral(a.astype(dt), b.astype(dt), ca, cb, new int[0], new int[0]);
  }

  // ---- helpers ------------------------------------------------------------------------------------

  static Array iota(int n, int m, int dimension) {
    return Prims.IOTA.bind1(Params.of("dtype", DType.I32, "shape", new int[] {n, m}, "dimension", dimension));
  }

  static int axis(String op, int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new ShapeError(op + ": axis " + axis + " is out of range for an array of rank " + rank
          + "; use an axis from " + -rank + " to " + (rank - 1));
    }
    return a;
  }
}
