package dev.statelens.engine;

import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.ArrayList;
import java.util.List;

/**
 * jnp's sorting pieces beyond {@code Array.sort}/{@code argsort}, composed as JAX 0.10.2's
 * {@code jax/_src/numpy/sorting.py}: {@code sort}/{@code argsort} with {@code stable} and
 * {@code descending}, {@code lexsort}, {@code partition}/{@code argpartition} (two
 * {@code top_k}s, so the positions after kth come in JAX's order: descending, not NumPy's
 * unspecified one), {@code lax.sort} with several operands and {@code num_keys}, and
 * {@code searchsorted}'s {@code method}. Floats sort in {@code sort}'s order (NaN last,
 * -0.0 equal to 0.0); gradients flow through the gathers. docs/stats.md, "Sorting".
 */
public final class Sorting {
  private Sorting() {}

  /**
   * {@code jnp.sort(x, axis, stable=stable, descending=descending)}; {@code axis} null sorts the
   * flattened array. Descending is the ascending sort reversed (JAX's {@code lax.rev}), so equal
   * keys come last-first.
   */
  public static Array sort(Array x, Integer axis, boolean stable, boolean descending) {
    Array a = axis == null ? x.reshape(-1) : x;
    int d = dimension("sort", a, axis == null ? 0 : axis);
    Array sorted = a.sort(d);
    return descending ? sorted.flip(d) : sorted;
  }

  /**
   * {@code jnp.argsort(x, axis, stable=stable, descending=descending)}: i32 positions. A stable
   * descending argsort keeps equal keys in their original order (JAX reverses the keys and the
   * positions before sorting and the result after).
   */
  public static Array argsort(Array x, Integer axis, boolean stable, boolean descending) {
    Array a = axis == null ? x.reshape(-1) : x;
    int d = dimension("argsort", a, axis == null ? 0 : axis);
    if (!descending) {
      return a.argsort(d);
    }
    Array iota = iota(a.shape(), d);
    if (stable) {
      a = a.flip(d);
      iota = iota.flip(d);
    }
    Array positions = sort(List.of(a, iota), d, true, 1).get(1);
    return positions.flip(d);
  }

  /**
   * {@code jnp.lexsort(keys, axis)}: the i32 positions that sort by the <b>last</b> key, ties
   * broken by the one before it, and so on (NumPy's order of keys). Keys of rank 0 give 0.
   */
  public static Array lexsort(List<Array> keys, int axis) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("lexsort: needs at least one key; pass the keys as a list, the primary key last");
    }
    Array first = keys.get(0);
    for (Array k : keys) {
      if (!java.util.Arrays.equals(k.shape(), first.shape())) {
        throw new ShapeError("lexsort: all keys need to be the same shape; got " + first.aval().shapeString() + " and "
            + k.aval().shapeString() + "; broadcast them first (broadcastTo)");
      }
    }
    if (first.ndim() == 0) {
      return Array.scalar(DType.I32, 0);
    }
    int d = dimension("lexsort", first, axis);
    List<Array> operands = new ArrayList<>(keys.reversed());
    operands.add(iota(first.shape(), d));
    return sort(operands, d, true, keys.size()).getLast();
  }

  /**
   * {@code lax.sort(operands, dimension, is_stable, num_keys)}: every operand reordered by a
   * lexicographic sort of the first {@code numKeys} (the first the primary key). One key is the
   * {@code sort} primitive; several are stable sorts from the last key to the first (each key
   * sorted in the order the later ones left), which is the lexicographic order. StateLens's sort is
   * always stable, so {@code isStable = false} gives one of the orders XLA may give.
   */
  public static List<Array> sort(List<Array> operands, int dimension, boolean isStable, int numKeys) {
    if (operands.isEmpty()) {
      throw new IllegalArgumentException("lax.sort: needs at least one operand");
    }
    if (numKeys < 1 || numKeys > operands.size()) {
      throw new IllegalArgumentException("lax.sort: num_keys=" + numKeys + " for " + operands.size()
          + " operands; num_keys must be between 1 and the number of operands (the keys come first)");
    }
    if (operands.subList(0, numKeys).stream().anyMatch(k -> k.dtype().isComplex())) {
      return sortByParts(operands, dimension, isStable, numKeys);
    }
    Array first = operands.get(0);
    int d = dimension("lax.sort", first, dimension);
    for (Array op : operands) {
      if (!java.util.Arrays.equals(op.shape(), first.shape())) {
        throw new ShapeError("lax.sort: operands " + first.aval().shapeString() + " and " + op.aval().shapeString()
            + " differ in shape; every operand sorted along with the keys must have the keys' shape");
      }
    }
    if (numKeys == 1) {
      return ArrayPrims.SORT.bind(sortParams(d, 1), operands.toArray(Array[]::new));
    }
    Array perm = iota(first.shape(), d);
    for (int i = numKeys - 1; i >= 0; i--) {
      Array order = operands.get(i).takeAlongAxis(perm, d).argsort(d);
      perm = perm.takeAlongAxis(order, d);
    }
    List<Array> out = new ArrayList<>(operands.size());
    for (Array op : operands) {
      out.add(op.takeAlongAxis(perm, d));
    }
    return out;
  }

  /**
   * Complex keys order lexicographically, as JAX's sort comparator: each c64 key becomes two keys,
   * its real part then its imaginary part, each in the f32 order (NaN last, -0.0 == 0.0), so
   * {@code nan+0j} sorts before {@code nan+nanj}. The operands themselves are permuted as they are.
   */
  private static List<Array> sortByParts(List<Array> operands, int dimension, boolean isStable, int numKeys) {
    List<Array> expanded = new ArrayList<>();
    for (Array k : operands.subList(0, numKeys)) {
      expanded.add(k.real());
      if (k.dtype().isComplex()) {
        expanded.add(k.imag());
      }
    }
    int keys = expanded.size();
    expanded.addAll(operands);
    List<Array> sorted = sort(expanded, dimension, isStable, keys);
    return sorted.subList(keys, sorted.size());
  }

  /**
   * {@code jnp.partition(x, kth, axis)}: along {@code axis}, the kth smallest element at position
   * kth, the smaller ones before it in ascending order and the larger ones after it in
   * <b>descending</b> order (JAX's two {@code top_k}s; NumPy leaves both sides unordered).
   */
  public static Array partition(Array x, int kth, int axis) {
    int d = dimension("partition", x, axis);
    int n = x.dim(d);
    int k = kth("partition", kth, n);
    Array a = x.swapaxes(d, -1);
    Array bottom = a.dtype() == DType.U32
        ? Lax.topK(a.add(1).neg(), k + 1).first().neg().sub(1)
        : Lax.topK(a.neg(), k + 1).first().neg();
    Array top = Lax.topK(a, n - k - 1).first();
    return Array.concatenate(-1, bottom, top).swapaxes(-1, d);
  }

  /**
   * {@code jnp.argpartition(x, kth, axis)}: i32 positions; the first kth + 1 are those of the
   * kth + 1 smallest in ascending order, the rest those of the others in increasing position
   * (JAX's proxy {@code top_k}).
   */
  public static Array argpartition(Array x, int kth, int axis) {
    int d = dimension("argpartition", x, axis);
    int n = x.dim(d);
    int k = kth("argpartition", kth, n);
    Array a = x.swapaxes(d, -1);
    Array bottom = Lax.topK(a.dtype() == DType.U32 ? a.add(1).neg() : a.neg(), k + 1).second();
    // ones with a zero at each bottom position (JAX: a.at[i].set(0) vmapped over the rows)
    int rows = a.size() / Math.max(n, 1);
    Array rowStart = Array.iota(DType.I32, rows).mul(n).reshape(withLast(a.shape(), 1));
    Array flat = bottom.add(rowStart).reshape(-1);
    Array proxy = Array.ones(new int[] {a.size()}).at(flat).set(0).reshape(a.shape());
    Array top = Lax.topK(proxy, n - k - 1).second();
    return Array.concatenate(-1, bottom, top).swapaxes(-1, d);
  }

  /**
   * {@code jnp.searchsorted(sorted, values, side, method)}: JAX's methods ("scan",
   * "scan_unrolled", "sort", "compare_all") differ in speed on an accelerator, not in result;
   * StateLens runs its one binary search for each.
   */
  public static Array searchsorted(Array sorted, Array values, String side, String method) {
    switch (method) {
      case "scan", "scan_unrolled", "sort", "compare_all" -> { }
      default -> throw new IllegalArgumentException("searchsorted: method \"" + method + "\" is not one of JAX's "
          + "\"scan\", \"scan_unrolled\", \"sort\", \"compare_all\"; leave it \"scan\" (the default)");
    }
    return Searching.searchsorted(sorted, values, side);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static int dimension(String op, Array x, int axis) {
    int r = x.ndim();
    if (r == 0) {
      throw new ShapeError(op + ": a rank-0 array has no axis to sort; reshape(1) it first");
    }
    return Axes.normalize(op, x, axis, "");
  }

  private static int kth(String op, int kth, int n) {
    int k = kth < 0 ? kth + n : kth;
    if (k < 0 || k >= n) {
      throw new ShapeError(op + ": kth=" + kth + " is out of range for an axis of size " + n + "; pass a kth from "
          + -n + " to " + (n - 1));
    }
    return k;
  }

  private static Params sortParams(int dimension, int numKeys) {
    return Params.of("dimension", dimension, "is_stable", true, "num_keys", numKeys);
  }

  private static Array iota(int[] shape, int dimension) {
    return Prims.IOTA.bind1(Params.of("dtype", DType.I32, "shape", shape, "dimension", dimension));
  }

  private static int[] withLast(int[] shape, int last) {
    int[] out = shape.clone();
    out[out.length - 1] = last;
    return out;
  }
}
