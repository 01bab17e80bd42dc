package dev.statelens.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * jnp's array-editing helpers ({@code jax/_src/numpy/lax_numpy.py}): {@code rot90},
 * {@code fliplr}/{@code flipud}, {@code insert}/{@code delete}/{@code append},
 * {@code array_split}, {@code unstack}, {@code resize}. Positions are static Java ints (as JAX's
 * jit needs them concrete too), so each is flips, transposes, slices, concatenations and a
 * {@code take} with a constant index: differentiable, jit- and vmap-able. See docs/arrays.md.
 */
public final class ShapeEdits {
  private ShapeEdits() {}

  /** {@code jnp.rot90(m)}: rotates the first two axes by 90 degrees, counterclockwise. */
  public static Array rot90(Array m) {
    return rot90(m, 1, 0, 1);
  }

  /** {@code jnp.rot90(m, k, axes=(axis1, axis2))}: k quarter turns from axis1 towards axis2 (k may be negative). */
  public static Array rot90(Array m, int k, int axis1, int axis2) {
    if (m.ndim() < 2) {
      throw new ShapeError("rot90: the array must have at least 2 axes, got shape " + Arrays.toString(m.shape())
          + "; reshape a vector to (1, n) first");
    }
    int a1 = MatrixHelpers.axis("rot90", axis1, m.ndim());
    int a2 = MatrixHelpers.axis("rot90", axis2, m.ndim());
    if (a1 == a2) {
      throw new ShapeError("rot90: the two axes must differ, got " + axis1 + " and " + axis2);
    }
    int turns = Math.floorMod(k, 4);
    if (turns == 0) {
      return m;
    }
    if (turns == 2) {
      return m.flip(a1).flip(a2);
    }
    int[] perm = new int[m.ndim()];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    perm[a1] = a2;
    perm[a2] = a1;
    return turns == 1 ? m.flip(a2).transpose(perm) : m.transpose(perm).flip(a2);
  }

  /** {@code jnp.fliplr(m)}: reverses axis 1 (the columns); m needs at least 2 axes. */
  public static Array fliplr(Array m) {
    if (m.ndim() < 2) {
      throw new ShapeError("fliplr: the array must have at least 2 axes, got shape " + Arrays.toString(m.shape())
          + "; for a vector use flipud or flip(0)");
    }
    return m.flip(1);
  }

  /** {@code jnp.flipud(m)}: reverses axis 0 (the rows); m needs at least 1 axis. */
  public static Array flipud(Array m) {
    if (m.ndim() < 1) {
      throw new ShapeError("flipud: the array must have at least 1 axis, got a scalar");
    }
    return m.flip(0);
  }

  /** {@code jnp.append(arr, values)}: both flattened and concatenated. */
  public static Array append(Array arr, Array values) {
    return Array.concatenate(0, arr.ravel(), values.ravel());
  }

  /** {@code jnp.append(arr, values, axis)}: concatenated along {@code axis} (the other axes must match). */
  public static Array append(Array arr, Array values, int axis) {
    return Array.concatenate(axis, arr, values);
  }

  /** {@code jnp.delete(arr, index)}: the flattened array without element {@code index} (negative counts from the end). */
  public static Array delete(Array arr, int index) {
    return delete(arr, new int[] {index}, null);
  }

  /**
   * {@code jnp.delete(arr, indices, axis)}: {@code arr} without the slices at {@code indices}
   * along {@code axis} (null: of the flattened array). Negative indices count from the end;
   * repeats delete once, as NumPy's.
   */
  public static Array delete(Array arr, int[] indices, Integer axis) {
    Array a = axis == null ? arr.ravel() : arr;
    int ax = MatrixHelpers.axis("delete", axis == null ? 0 : axis, a.ndim());
    int n = a.shape()[ax];
    boolean[] keep = new boolean[n];
    Arrays.fill(keep, true);
    for (int i : indices) {
      keep[index("delete", i, n, false)] = false;
    }
    int[] kept = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (keep[i]) {
        kept[count++] = i;
      }
    }
    return a.take(Array.of(DType.I32, new int[] {count}, Arrays.copyOf(kept, count)), ax);
  }

  /**
   * {@code jnp.insert(arr, index, values, axis)}: {@code values} inserted before position
   * {@code index} along {@code axis} (null: of the flattened array). As NumPy for a scalar index,
   * values' first axis is the inserted slices' count (moved to {@code axis}); the rest broadcasts.
   */
  public static Array insert(Array arr, int index, Array values, Integer axis) {
    return insert(arr, new int[] {index}, true, values, axis);
  }

  /**
   * {@code jnp.insert(arr, indices, values, axis)}: one slice of {@code values} before each of
   * {@code indices} (positions in the original array; equal ones keep values' order).
   */
  public static Array insert(Array arr, int[] indices, Array values, Integer axis) {
    return insert(arr, indices, false, values, axis);
  }

  private static Array insert(Array arr, int[] indices, boolean scalarIndex, Array values, Integer axis) {
    Array a = axis == null ? arr.ravel() : arr;
    int ax = MatrixHelpers.axis("insert", axis == null ? 0 : axis, a.ndim());
    DType dt = a.dtype();
    Array v = values.astype(dt);
    if (v.ndim() < a.ndim()) {   // np.array(values, ndmin=a.ndim)
      v = v.reshape(JnpCompositions.leadingOnes(v.shape(), a.ndim()));
    }
    int n = a.shape()[ax];
    int[] idx = indices;
    if (indices.length == 1) {
      if (scalarIndex) {
        v = v.moveaxis(0, ax);
      }
      idx = new int[v.shape()[ax]];
      Arrays.fill(idx, indices[0]);
    }
    int nInsert = idx.length;
    if (v.shape()[ax] != nInsert && v.shape()[ax] != 1) {
      throw new ShapeError("insert: " + nInsert + " positions but values have " + v.shape()[ax]
          + " slices along axis " + ax + "; pass one slice per position (or one for all)");
    }
    int[] sliceShape = a.shape().clone();
    sliceShape[ax] = nInsert;
    v = v.broadcastTo(sliceShape);
    // NumPy's placement: the j-th smallest position (stable) lands at position + j
    int[] pos = new int[nInsert];
    for (int k = 0; k < nInsert; k++) {
      pos[k] = index("insert", idx[k], n, true);
    }
    Integer[] order = new Integer[nInsert];
    for (int k = 0; k < nInsert; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (p, q) -> Integer.compare(pos[p], pos[q]));
    int[] valueAt = new int[nInsert];
    for (int j = 0; j < nInsert; j++) {
      valueAt[order[j]] = pos[order[j]] + j;
    }
    // out = take(concatenate([a, v]), source) where source[i] names each output slice's origin
    int[] source = new int[n + nInsert];
    boolean[] taken = new boolean[n + nInsert];
    for (int k = 0; k < nInsert; k++) {
      source[valueAt[k]] = n + k;
      taken[valueAt[k]] = true;
    }
    for (int i = 0, next = 0; i < source.length; i++) {
      if (!taken[i]) {
        source[i] = next++;
      }
    }
    return Array.concatenate(ax, a, v).take(Array.of(DType.I32, new int[] {source.length}, source), ax);
  }

  /**
   * {@code jnp.array_split(x, sections, axis)}: {@code sections} parts, the first
   * {@code size mod sections} one longer (unlike {@code split}, uneven sizes are fine).
   */
  public static List<Array> arraySplit(Array x, int sections, int axis) {
    if (sections < 1) {
      throw new ShapeError("array_split: the number of sections must be >= 1, got " + sections);
    }
    int ax = MatrixHelpers.axis("array_split", axis, x.ndim());
    int size = x.shape()[ax];
    int part = size / sections;
    int rest = size % sections;
    int[] cuts = new int[sections - 1];
    int at = 0;
    for (int i = 0; i < cuts.length; i++) {
      at += part + (i < rest ? 1 : 0);
      cuts[i] = at;
    }
    return x.splitAt(cuts, ax);
  }

  /** {@code jnp.array_split(x, indices, axis)}: the parts between ascending cut positions. */
  public static List<Array> arraySplit(Array x, int[] indices, int axis) {
    return x.splitAt(indices, axis);
  }

  /** {@code jnp.unstack(x, axis)}: the slices along {@code axis}, each without that axis. */
  public static List<Array> unstack(Array x, int axis) {
    int ax = MatrixHelpers.axis("unstack", axis, x.ndim());
    List<Array> out = new ArrayList<>();
    for (int i = 0; i < x.shape()[ax]; i++) {
      out.add(x.sliceAxis(ax, i, i + 1).squeeze(ax));
    }
    return out;
  }

  /** {@code jnp.unstack(x)}: along axis 0. */
  public static List<Array> unstack(Array x) {
    return unstack(x, 0);
  }

  /**
   * {@code jnp.resize(a, newShape)}: the flattened elements repeated cyclically to fill
   * {@code newShape} (zeros if either side is empty).
   */
  public static Array resize(Array a, int... newShape) {
    long size = 1;
    for (int d : newShape) {
      if (d < 0) {
        throw new ShapeError("resize: every dimension of newShape must be >= 0, got " + Arrays.toString(newShape));
      }
      size *= d;
    }
    Array flat = a.ravel();
    int n = flat.shape()[0];
    if (n == 0 || size == 0) {
      return Array.zeros(a.dtype(), newShape);
    }
    int repeats = (int) ((size + n - 1) / n);
    return flat.tile(repeats).sliceAxis(0, 0, (int) size).reshape(newShape);
  }

  /** A position along an axis of length n (negative from the end); insert clips into [0, n], as JAX's. */
  private static int index(String op, int i, int n, boolean clip) {
    int j = i < 0 ? i + n : i;
    if (clip) {
      return Math.max(0, Math.min(n, j));
    }
    if (j < 0 || j >= n) {
      throw new ShapeError(op + ": index " + i + " is out of bounds for an axis of length " + n
          + "; use an index from " + -n + " to " + (n - 1));
    }
    return j;
  }
}
