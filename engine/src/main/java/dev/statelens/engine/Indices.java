package dev.statelens.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * jnp's index helpers: {@code tril_indices}/{@code triu_indices} (+ {@code _from}),
 * {@code diag_indices} (+ {@code _from}), {@code fill_diagonal}, {@code indices},
 * {@code unravel_index} and {@code ravel_multi_index}, with JAX's semantics
 * ({@code jax/_src/numpy/lax_numpy.py}). Sizes and shapes are static Java ints, as JAX requires;
 * index arrays are I32. See docs/arrays.md, "Index helpers".
 *
 * <pre>{@code
 * List<Array> ij = Indices.triuIndices(n, 1, n);     // jnp.triu_indices(n, k=1): pairs i < j
 * Array pairLoss = dist.take(Indices.ravelMultiIndex(ij, new int[] {n, n}, "raise", "C"));
 * }</pre>
 */
public final class Indices {
  private Indices() {}

  // ---- triangles and diagonals ------------------------------------------------------------------

  /** {@code jnp.triu_indices(n, k, m)}: row and column indices of the upper triangle of an {@code n x m} matrix, from diagonal {@code k} on. */
  public static List<Array> triuIndices(int n, int k, int m) {
    return triangle("triuIndices", n, k, m, true);
  }

  /** {@code jnp.triu_indices(n)}: {@code k = 0}, square. */
  public static List<Array> triuIndices(int n) {
    return triangle("triuIndices", n, 0, n, true);
  }

  /** {@code jnp.tril_indices(n, k, m)}: the lower triangle, up to diagonal {@code k}. */
  public static List<Array> trilIndices(int n, int k, int m) {
    return triangle("trilIndices", n, k, m, false);
  }

  /** {@code jnp.tril_indices(n)}: {@code k = 0}, square. */
  public static List<Array> trilIndices(int n) {
    return triangle("trilIndices", n, 0, n, false);
  }

  /** {@code jnp.triu_indices_from(a, k)}: for a 2-d {@code a}'s shape. */
  public static List<Array> triuIndicesFrom(Array a, int k) {
    int[] s = matrixShape("triuIndicesFrom", a);
    return triangle("triuIndicesFrom", s[0], k, s[1], true);
  }

  /** {@code jnp.tril_indices_from(a, k)}: for a 2-d {@code a}'s shape. */
  public static List<Array> trilIndicesFrom(Array a, int k) {
    int[] s = matrixShape("trilIndicesFrom", a);
    return triangle("trilIndicesFrom", s[0], k, s[1], false);
  }

  /** {@code jnp.diag_indices(n, ndim)}: {@code ndim} copies of {@code arange(n)} (the main diagonal of an n^ndim array). */
  public static List<Array> diagIndices(int n, int ndim) {
    if (n < 0 || ndim < 0) {
      throw new IllegalArgumentException("diagIndices: n and ndim must be >= 0, got n=" + n + ", ndim=" + ndim);
    }
    List<Array> out = new ArrayList<>();
    for (int d = 0; d < ndim; d++) {
      out.add(Array.arange(n));
    }
    return out;
  }

  /** {@code jnp.diag_indices_from(a)}: {@code a} has at least 2 axes, all of one length. */
  public static List<Array> diagIndicesFrom(Array a) {
    requireSquare("diagIndicesFrom", a);
    return diagIndices(a.dim(0), a.ndim());
  }

  /**
   * {@code jnp.fill_diagonal(a, val, inplace=False)}: {@code a} with its main diagonal set to
   * {@code val} (a scalar, or values tiled or cut to the diagonal's length); a 2-d {@code a} may be
   * rectangular (the leading square's diagonal), more axes must be of one length. Differentiable in
   * both; works under jit and vmap. (JAX's {@code wrap=True} is not implemented in JAX either.)
   */
  public static Array fillDiagonal(Array a, Array val) {
    Objects.requireNonNull(a, "fillDiagonal: a is null");
    Objects.requireNonNull(val, "fillDiagonal: val is null");
    if (a.ndim() < 2) {
      throw new ShapeError("fillDiagonal: a must have at least 2 axes, got " + a.aval() + "; a vector has no diagonal");
    }
    if (a.ndim() > 2) {
      requireSquare("fillDiagonal", a);
    }
    int n = Math.min(a.dim(0), a.dim(1));
    int step = 0, stride = 1; // the flat distance between diagonal elements: the sum of the strides
    for (int d = a.ndim() - 1; d >= 0; d--) {
      step += stride;
      stride *= a.dim(d);
    }
    Array values = val.ndim() == 0 ? val : tileToSize(val.reshape(-1), n);
    Array flat = a.reshape(-1).at(Array.arange(n).mul(Array.scalar(DType.I32, step))).set(values);
    return flat.reshape(a.shape());
  }

  /** {@code jnp.fill_diagonal(a, val)} with a number. */
  public static Array fillDiagonal(Array a, double val) {
    return fillDiagonal(a, Array.scalarAs("fillDiagonal", a.dtype(), a.aval(), val));
  }

  /** {@code jnp.fill_diagonal(a, val)} with a Java int (JAX's Python int: must fit in int32). */
  public static Array fillDiagonal(Array a, long val) {
    return fillDiagonal(a, Array.scalarAs("fillDiagonal", a.dtype(), a.aval(), val));
  }

  /** JAX's {@code _tile_to_size}: repeat or cut a 1-d array to length {@code n}. */
  private static Array tileToSize(Array v, int n) {
    if (v.dim(0) == 0) {
      throw new ShapeError("fillDiagonal: val is empty; pass a scalar or at least one value");
    }
    int reps = (n + v.dim(0) - 1) / v.dim(0);
    Array tiled = reps <= 1 ? v : v.tile(reps);
    return tiled.sliceAxis(0, 0, n);
  }

  // ---- grids and flat <-> multi indices ---------------------------------------------------------

  /** {@code jnp.indices(dimensions)}: I32 {@code [len, *dimensions]}; slice {@code i} holds each element's index along axis {@code i}. */
  public static Array indices(int... dimensions) {
    return indices(dimensions, DType.I32);
  }

  /** {@code jnp.indices(dimensions, dtype)}: the grid in an integer (or float) dtype. */
  public static Array indices(int[] dimensions, DType dtype) {
    List<Array> grids = indicesSparse(dimensions, dtype);
    if (grids.isEmpty()) {
      return Array.zeros(dtype, 0);
    }
    List<Array> dense = new ArrayList<>();
    for (Array g : grids) {
      dense.add(g.broadcastTo(dimensions));
    }
    return Array.stack(0, dense);
  }

  /** {@code jnp.indices(dimensions, dtype, sparse=True)}: one array per axis, length 1 on every other axis. */
  public static List<Array> indicesSparse(int[] dimensions, DType dtype) {
    Objects.requireNonNull(dimensions, "indices: dimensions is null");
    Objects.requireNonNull(dtype, "indices: dtype is null");
    if (dtype == DType.BOOL) {
      throw new IllegalArgumentException("indices: dtype must be numeric (I32 as JAX's default), got BOOL");
    }
    List<Array> out = new ArrayList<>();
    for (int i = 0; i < dimensions.length; i++) {
      if (dimensions[i] < 0) {
        throw new ShapeError("indices: dimensions must be >= 0, got " + ShapeError.format(dimensions));
      }
      int[] s = new int[dimensions.length];
      java.util.Arrays.fill(s, 1);
      s[i] = dimensions[i];
      out.add(Array.arange(dimensions[i]).astype(dtype).reshape(s));
    }
    return out;
  }

  /**
   * {@code jnp.unravel_index(indices, shape)}: the multi-index of each flat (C-order) index, one
   * I32 array per axis. As JAX (unlike NumPy): a negative index counts from the end
   * ({@code -1} is the last element) and any other out-of-range index is clipped to the nearest
   * corner. Works under jit and vmap.
   */
  public static List<Array> unravelIndex(Array indices, int... shape) {
    Objects.requireNonNull(indices, "unravelIndex: indices is null");
    Objects.requireNonNull(shape, "unravelIndex: shape is null");
    if (!indices.dtype().isInteger()) {
      throw new IllegalArgumentException("unravelIndex: indices must be integers, got " + indices.aval()
          + "; convert them with astype(DType.I32)");
    }
    for (int s : shape) {
      if (s <= 0) {
        throw new ShapeError("unravelIndex: shape must be positive, got " + ShapeError.format(shape)
            + "; an empty axis has no index to unravel into");
      }
    }
    Array rest = indices;
    Array[] out = new Array[shape.length];
    for (int i = shape.length - 1; i >= 0; i--) { // divmod from the last axis, floor semantics
      Array s = Array.scalar(rest.dtype(), shape[i]);
      Array q = rest.floorDivide(s);
      out[i] = rest.sub(q.mul(s));
      rest = q;
    }
    // what is left says whether the index was past the end (> 0) or before -size (< -1)
    Array oobPos = rest.gt(0);
    Array oobNeg = indices.dtype() == DType.U32 ? Array.full(DType.BOOL, rest.shape(), 0) : rest.lt(-1);
    List<Array> result = new ArrayList<>();
    for (int i = 0; i < shape.length; i++) {
      Array last = Array.scalar(out[i].dtype(), shape[i] - 1);
      result.add(Array.where(oobPos, last, Array.where(oobNeg, Array.scalar(out[i].dtype(), 0), out[i])));
    }
    return result;
  }

  /** {@code jnp.ravel_multi_index(multi_index, dims)}: mode "raise", C order. */
  public static Array ravelMultiIndex(List<Array> multiIndex, int[] dims) {
    return ravelMultiIndex(multiIndex, dims, "raise", "C");
  }

  /**
   * {@code jnp.ravel_multi_index(multi_index, dims, mode, order)}: the flat I32 index of each
   * multi-index. {@code mode}: "raise" (an out-of-range index is an error; needs concrete indices,
   * so not under jit), "clip", "wrap" (modulo) or "ignore"; {@code order}: "C" (row-major) or "F".
   */
  public static Array ravelMultiIndex(List<Array> multiIndex, int[] dims, String mode, String order) {
    Objects.requireNonNull(multiIndex, "ravelMultiIndex: multiIndex is null");
    Objects.requireNonNull(dims, "ravelMultiIndex: dims is null");
    if (multiIndex.size() != dims.length) {
      throw new ShapeError("ravelMultiIndex: " + multiIndex.size() + " index arrays for " + dims.length
          + " dims " + ShapeError.format(dims) + "; pass one index array per axis");
    }
    long total = 1;
    for (int d : dims) {
      total *= d;
    }
    if (total - 1 > Integer.MAX_VALUE) {
      throw new ShapeError("ravelMultiIndex: I32 cannot hold the flat indices of dims " + ShapeError.format(dims));
    }
    List<Array> index = new ArrayList<>();
    for (int a = 0; a < dims.length; a++) {
      Array i = Objects.requireNonNull(multiIndex.get(a), "ravelMultiIndex: index array " + a + " is null");
      if (!i.dtype().isInteger()) {
        throw new IllegalArgumentException("ravelMultiIndex: index arrays must be integers, got " + i.aval()
            + " for axis " + a + "; convert it with astype(DType.I32)");
      }
      Array d = Array.scalar(i.dtype(), dims[a]);
      index.add(switch (mode) {
        case "raise" -> requireInRange(i, dims[a], a);
        case "clip" -> i.clip(0, dims[a] - 1);
        case "wrap" -> i.sub(i.floorDivide(d).mul(d));
        case "ignore" -> i;
        default -> throw new IllegalArgumentException("ravelMultiIndex: invalid mode \"" + mode
            + "\"; expected \"raise\", \"wrap\", \"clip\" or \"ignore\"");
      });
    }
    long[] strides = new long[dims.length];
    switch (order) {
      case "C" -> {
        long s = 1;
        for (int a = dims.length - 1; a >= 0; a--) {
          strides[a] = s;
          s *= dims[a];
        }
      }
      case "F" -> {
        long s = 1;
        for (int a = 0; a < dims.length; a++) {
          strides[a] = s;
          s *= dims[a];
        }
      }
      default -> throw new IllegalArgumentException("ravelMultiIndex: invalid order \"" + order + "\"; expected \"C\" or \"F\"");
    }
    Array result = Array.scalar(DType.I32, 0);
    for (int a = 0; a < dims.length; a++) {
      result = result.add(index.get(a).astype(DType.I32).mul(Array.scalar(DType.I32, strides[a])));
    }
    return result;
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** The triangle's indices in row-major order, as JAX's {@code nonzero(triu(ones((n, m)), k))}. */
  private static List<Array> triangle(String function, int n, int k, int m, boolean upper) {
    if (n < 0 || m < 0) {
      throw new ShapeError(function + ": n and m must be >= 0 (the matrix's rows and columns), got n=" + n + ", m=" + m);
    }
    List<Integer> rows = new ArrayList<>(), cols = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        if (upper ? j - i >= k : j - i <= k) {
          rows.add(i);
          cols.add(j);
        }
      }
    }
    return List.of(ints(rows), ints(cols));
  }

  private static Array ints(List<Integer> values) {
    return Array.of(DType.I32, new int[] {values.size()}, values.stream().mapToDouble(Integer::doubleValue).toArray());
  }

  private static int[] matrixShape(String function, Array a) {
    Objects.requireNonNull(a, () -> function + ": a is null");
    if (a.ndim() != 2) {
      throw new ShapeError(function + ": only 2-d arrays are accepted (as JAX), got " + a.aval()
          + "; pass a matrix, or use the n, k, m form");
    }
    return a.shape();
  }

  private static void requireSquare(String function, Array a) {
    Objects.requireNonNull(a, () -> function + ": a is null");
    boolean equal = a.ndim() >= 2;
    for (int d = 1; equal && d < a.ndim(); d++) {
      equal = a.dim(d) == a.dim(0);
    }
    if (!equal) {
      throw new ShapeError(function + ": all axes of a must have one length (and at least 2 axes), got " + a.aval()
          + (a.ndim() == 2 ? "; for a rectangular matrix use Indices.fillDiagonal, which takes the leading square" : ""));
    }
  }

  /** mode "raise": concrete indices only (the check reads them), each in {@code [0, dim)}. */
  private static Array requireInRange(Array i, int dim, int axis) {
    if (!i.isConcrete()) {
      throw new ConcretizationError("Abstract tracer value encountered where a concrete value is expected: "
          + "ravelMultiIndex with mode \"raise\" checks the index values, but got a traced " + i.aval()
          + " (inside jit/vmap). Fix: use mode \"wrap\" or \"clip\" (as JAX asks)");
    }
    int[] values = i.toIntArray();
    for (int v : values) {
      if (v < 0 || v >= dim || i.dtype() == DType.U32 && Integer.toUnsignedLong(v) >= dim) {
        throw new IllegalArgumentException("ravelMultiIndex: invalid entry " + (i.dtype() == DType.U32 ? Integer.toUnsignedString(v) : String.valueOf(v))
            + " in the index array of axis " + axis + " (its dim is " + dim + "); fix the index, or pass mode "
            + "\"clip\" or \"wrap\"");
      }
    }
    return i;
  }
}
