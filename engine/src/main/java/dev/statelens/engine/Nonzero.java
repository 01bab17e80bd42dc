package dev.statelens.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code jnp.nonzero}, {@code flatnonzero}, {@code argwhere} and {@code unique}: functions whose
 * natural output size depends on the data. As in JAX, a static {@code size} fixes it, so they work
 * under {@code jit} and {@code vmap}: fewer hits are padded ({@code fillValue}, else index 0 / the
 * smallest unique value), more are cut off. Without {@code size} they need a concrete array (the
 * size is counted on the host) and raise {@link ConcretizationError} naming {@code size} inside a
 * transformation. Composed as JAX composes them ({@code jax/_src/numpy/lax_numpy.py},
 * {@code setops.py}): no new primitive. See docs/arrays.md, "Data-dependent sizes".
 *
 * <pre>{@code
 * List<Array> ij = Nonzero.nonzero(mask, 16, -1);   // jnp.nonzero(mask, size=16, fill_value=-1)
 * Array u = Nonzero.unique(labels, 10);             // jnp.unique(labels, size=10)
 * }</pre>
 */
public final class Nonzero {
  private Nonzero() {}

  // ---- nonzero, flatnonzero, argwhere -----------------------------------------------------------

  /** {@code jnp.nonzero(a)}: one I32 index array per axis of {@code a}, for its non-zero elements; {@code a} concrete. */
  public static List<Array> nonzero(Array a) {
    return nonzero(a, null, null);
  }

  /** {@code jnp.nonzero(a, size=size)}: exactly {@code size} indices per axis, padded with 0 (works under jit). */
  public static List<Array> nonzero(Array a, int size) {
    return nonzero(a, size, null);
  }

  /** {@code jnp.nonzero(a, size=size, fill_value=fillValue)}: padded with {@code fillValue}. */
  public static List<Array> nonzero(Array a, int size, int fillValue) {
    return nonzero(a, (Integer) size, (Integer) fillValue);
  }

  /** {@code jnp.flatnonzero(a)}: the indices of the non-zero elements of the flattened array; {@code a} concrete. */
  public static Array flatnonzero(Array a) {
    return nonzero(ravel("flatnonzero", a), null, null).get(0);
  }

  /** {@code jnp.flatnonzero(a, size=size)}. */
  public static Array flatnonzero(Array a, int size) {
    return nonzero(ravel("flatnonzero", a), size, null).get(0);
  }

  /** {@code jnp.flatnonzero(a, size=size, fill_value=fillValue)}. */
  public static Array flatnonzero(Array a, int size, int fillValue) {
    return nonzero(ravel("flatnonzero", a), size, fillValue).get(0);
  }

  /** {@code jnp.argwhere(a)}: I32 {@code [count, a.ndim]}, one row of indices per non-zero element; {@code a} concrete. */
  public static Array argwhere(Array a) {
    return argwhere(a, null, null);
  }

  /** {@code jnp.argwhere(a, size=size)}: {@code [size, a.ndim]}, padded rows of 0. */
  public static Array argwhere(Array a, int size) {
    return argwhere(a, size, null);
  }

  /** {@code jnp.argwhere(a, size=size, fill_value=fillValue)}. */
  public static Array argwhere(Array a, int size, int fillValue) {
    return argwhere(a, (Integer) size, (Integer) fillValue);
  }

  private static Array argwhere(Array a, Integer size, Integer fillValue) {
    Objects.requireNonNull(a, "argwhere: a is null");
    List<Array> columns = nonzero(a.ndim() == 0 ? a.reshape(1) : a, size, fillValue, "argwhere");
    Array result = Array.stack(1, columns);
    // a scalar: [0 or 1, 0] (no axes to index), as JAX's result[:0].reshape(result.shape[0], 0)
    return a.ndim() == 0 ? Array.zeros(DType.I32, result.dim(0), 0) : result;
  }

  static List<Array> nonzero(Array a, Integer size, Integer fillValue) {
    return nonzero(a, size, fillValue, "nonzero");
  }

  /**
   * JAX's {@code nonzero}: {@code flat = cumsum(bincount(cumsum(mask), length=size))} is the flat
   * position of each hit (the array's size once they run out), split into per-axis indices by the
   * strides; the padding is replaced by {@code fillValue} when given.
   */
  private static List<Array> nonzero(Array a, Integer size, Integer fillValue, String function) {
    Objects.requireNonNull(a, () -> function + ": a is null");
    if (a.ndim() == 0) {
      throw new ShapeError(function + ": a 0-d array has no axes to index; call it on a.atleast1d() (as JAX asks)");
    }
    Array mask = a.dtype() == DType.BOOL ? a : a.ne(0);
    int n = size == null ? countOnHost(mask, function) : requireSize(function, size);
    List<Array> out = new ArrayList<>();
    if (a.size() == 0 || n == 0) {
      for (int d = 0; d < a.ndim(); d++) {
        out.add(Array.zeros(DType.I32, n));
      }
      return out;
    }
    Array counts = mask.astype(DType.I32).reshape(-1).cumsum(0);
    Array flat = JnpCompositions.bincount(counts, null, n).cumsum(0);
    Array padding = fillValue == null ? null : Array.arange(n).ge(mask.astype(DType.I32).sum());
    int stride = a.size();
    for (int d = 0; d < a.ndim(); d++) {
      stride /= a.dim(d);
      Array index = flat.div(Array.scalar(DType.I32, stride)).rem(Array.scalar(DType.I32, a.dim(d)));
      out.add(padding == null ? index : Array.where(padding, Array.scalar(DType.I32, fillValue), index));
    }
    return out;
  }

  // ---- unique -----------------------------------------------------------------------------------

  /** The four results of {@code jnp.unique_all}: values, first indices, inverse (a's shape) and counts. */
  public record Unique(Array values, Array indices, Array inverse, Array counts) {}

  /** {@code jnp.unique(x)}: the sorted distinct values of the flattened {@code x} (NaNs count as one); {@code x} concrete. */
  public static Array unique(Array x) {
    return unique(x, null, null, "unique").values();
  }

  /**
   * {@code jnp.unique(x, size=size)}: exactly {@code size} values (works under jit): padded with
   * the smallest value, or cut off after the {@code size} smallest.
   */
  public static Array unique(Array x, int size) {
    return unique(x, size, null, "unique").values();
  }

  /** {@code jnp.unique(x, size=size, fill_value=fillValue)}: padded with {@code fillValue}. */
  public static Array unique(Array x, int size, double fillValue) {
    return unique(x, size, fillValue, "unique").values();
  }

  /** {@code jnp.unique_all(x)}: values, their first positions, the inverse and the counts; {@code x} concrete. */
  public static Unique uniqueAll(Array x) {
    return unique(x, null, null, "uniqueAll");
  }

  /**
   * {@code jnp.unique(x, return_index=True, return_inverse=True, return_counts=True, size=size,
   * fill_value=fillValue)} ({@code fillValue} null: the smallest value). Past the true number of
   * unique values, {@code indices} point at the smallest value and {@code counts} are 0, as JAX's.
   */
  public static Unique uniqueAll(Array x, int size, Double fillValue) {
    return unique(x, size, fillValue, "uniqueAll");
  }

  /**
   * {@code jnp.unique(x, axis=axis)}: the distinct slices along {@code axis} (rows for axis 0),
   * sorted lexicographically by their elements in order (NaNs equal); {@code x} concrete.
   */
  public static Array uniqueAxis(Array x, int axis) {
    return unique(x, axis, null, null, "uniqueAxis").values();
  }

  /**
   * {@code jnp.unique(x, axis=axis, size=size, fill_value=fillValue)}: exactly {@code size} slices
   * (works under jit), padded with {@code fillValue} (null: the smallest slice) or cut off.
   */
  public static Array uniqueAxis(Array x, int axis, int size, Double fillValue) {
    return unique(x, axis, size, fillValue, "uniqueAxis").values();
  }

  /**
   * {@code jnp.unique(x, return_index, return_inverse, return_counts, axis=axis, size, fill_value)}:
   * the distinct slices, the position of each one's first occurrence, the inverse ({@code [n]}:
   * which distinct slice each slice along axis is) and the counts. {@code size} null: x concrete.
   */
  public static Unique uniqueAllAxis(Array x, int axis, Integer size, Double fillValue) {
    return unique(x, axis, size, fillValue, "uniqueAllAxis");
  }

  /**
   * JAX's {@code _unique} over the flattened array: a stable sort, a mask of first occurrences
   * ({@code aux[i] != aux[i-1]}, NaN equal to NaN), then {@code nonzero(mask, size)} picks them.
   */
  private static Unique unique(Array x, Integer size, Double fillValue, String function) {
    return unique(x, null, size, fillValue, function);
  }

  /**
   * The general {@code _unique}: axis null works on the flattened array. Along an axis the slices
   * are compared whole: sorted by {@code lexsort} of their elements (the first the primary key) and
   * a slice is new when any element differs from the previous slice's (JAX's
   * {@code _unique_sorted_mask}).
   */
  private static Unique unique(Array x, Integer axis, Integer size, Double fillValue, String function) {
    Objects.requireNonNull(x, () -> function + ": x is null");
    axis = axis == null ? null : Axes.normalize(function, x, axis, ", or Nonzero.unique for the flattened array");
    Array ar = axis == null ? x.reshape(-1) : x.moveaxis(axis, 0);
    int n = ar.dim(0);
    int sliceSize = ar.size() / Math.max(n, 1);
    if (n > 0 && sliceSize == 0) {
      throw new ShapeError(function + ": the slices along axis " + axis + " of " + x.aval().shapeString()
          + " are empty; unique of empty slices is not supported: slice the array to a non-empty shape first");
    }
    if (size != null) {
      requireSize(function, size);
    }
    if (n == 0) {
      if (size != null && size > 0 && fillValue == null) {
        throw new IllegalArgumentException(function + ": x is empty and size=" + size + " asks for values; pass a "
            + "fillValue for them (as JAX requires)");
      }
      int m = size == null ? 0 : size;
      int[] valuesShape = ar.shape().clone();
      valuesShape[0] = m;
      Array values = size == null ? ar : Array.full(x.dtype(), valuesShape, fillValue);
      return new Unique(axis == null ? values : values.moveaxis(0, axis), Array.zeros(DType.I32, m),
          axis == null ? Array.zeros(DType.I32, x.shape()) : Array.zeros(DType.I32, n), Array.zeros(DType.I32, m));
    }
    if (ar.dtype().isComplex()) { // JAX: every value with a NaN part becomes nan+0j (one value, sorted last)
      ar = Array.where(ar.isnan(), Double.NaN, ar);
    }
    Array perm = ar.ndim() == 1 ? ar.argsort(0) : lexsortSlices(ar);
    Array aux = ar.take(perm, 0);
    Array rest = aux.sliceAxis(0, 1, n), previous = aux.sliceAxis(0, 0, n - 1);
    Array differs = rest.ne(previous);
    if (aux.dtype().isInexact()) { // equal_nan=True: two NaNs are one value
      differs = differs.and(rest.isnan().and(previous.isnan()).not());
    }
    if (ar.ndim() > 1) { // a slice differs when any of its elements does
      differs = differs.reshape(n - 1, sliceSize).any(1);
    }
    Array mask = Array.concatenate(0, Array.full(DType.BOOL, new int[] {1}, 1), differs);
    int m = size == null ? countOnHost(mask, function) : size;
    Array ind = nonzero(mask, m, null, function).get(0);
    Array values = aux.take(ind, 0);
    Array distinct = mask.astype(DType.I32).sum();
    if (size != null && fillValue != null) {
      int[] column = new int[values.ndim()];
      java.util.Arrays.fill(column, 1);
      column[0] = m;
      values = Array.where(Array.arange(m).lt(distinct).reshape(column), values, Array.scalar(x.dtype(), fillValue));
    }
    if (axis != null) {
      values = values.moveaxis(0, axis);
    }
    Array indices = perm.take(ind, 0);
    Array inverse = Array.zeros(DType.I32, n).at(perm).set(mask.astype(DType.I32).cumsum(0).sub(1));
    if (axis == null) {
      inverse = inverse.reshape(x.shape());
    }
    // counts: the gaps between first occurrences; positions past the last are n (JAX: where(idx, idx, size))
    Array starts = nonzero(mask, m + 1, null, function).get(0);
    Array tail = starts.sliceAxis(0, 1, m + 1);
    starts = Array.concatenate(0, starts.sliceAxis(0, 0, 1), Array.where(tail.ne(0), tail, Array.scalar(DType.I32, n)));
    Array counts = starts.sliceAxis(0, 1, m + 1).sub(starts.sliceAxis(0, 0, m));
    return new Unique(values, indices, inverse, counts);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** JAX's {@code lexsort(aux.reshape(n, -1).T[::-1])}: slices ordered by their elements, the first primary. */
  private static Array lexsortSlices(Array ar) {
    int n = ar.dim(0);
    Array rows = ar.reshape(n, -1);
    int width = rows.dim(1);
    List<Array> keys = new ArrayList<>(width);
    for (int j = width - 1; j >= 0; j--) {
      keys.add(rows.sliceAxis(1, j, j + 1).reshape(n));
    }
    return Sorting.lexsort(keys, 0);
  }

  private static Array ravel(String function, Array a) {
    Objects.requireNonNull(a, () -> function + ": a is null");
    return a.reshape(-1);
  }

  private static int requireSize(String function, int size) {
    if (size < 0) {
      throw new IllegalArgumentException(function + ": size must be >= 0 (the number of results to return), got " + size);
    }
    return size;
  }

  /**
   * The number of true elements of a concrete mask (the result size when none is given). Traced:
   * JAX's ConcretizationTypeError, naming the fix.
   */
  private static int countOnHost(Array mask, String function) {
    if (!mask.isConcrete()) {
      throw new ConcretizationError("Abstract tracer value encountered where a concrete value is expected: "
          + function + " without size was called on a traced " + mask.aval() + "; its result size depends on the "
          + "values, and inside jit/vmap only shapes are known. Fix: pass a static size (Nonzero." + function
          + "(x, size) or Nonzero." + function + "(x, size, fillValue)), as JAX's size= argument: results past the "
          + "true count are padded, extra ones cut off");
    }
    int count = 0;
    for (boolean b : mask.toBooleanArray()) {
      count += b ? 1 : 0;
    }
    return count;
  }
}
