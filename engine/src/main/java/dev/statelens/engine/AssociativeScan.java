package dev.statelens.engine;

import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * {@code lax.associative_scan} ({@code jax/_src/lax/control_flow/loops.py}) over pytrees: JAX's
 * odd/even recursion (Blelloch), so {@code fn} is applied to the same slices in the same order
 * and the results, rounding included, are JAX's. Built from strided slices, {@code fn},
 * concatenate and interior {@code pad}s, so grad, jit and vmap follow from those primitives.
 */
final class AssociativeScan {
  private AssociativeScan() {}

  static <T> T scan(BiFunction<T, T, T> fn, T elems, boolean reverse, int axis) {
    if (fn == null) {
      throw new IllegalArgumentException("Lax.associativeScan: fn must not be null; pass an associative "
          + "function of two pytrees, e.g. (a, b) -> a.add(b)");
    }
    Tree.Flat flat = Tree.flatten(elems);
    List<Array> leaves = flat.leaves();
    if (leaves.isEmpty()) {
      throw new IllegalArgumentException("Lax.associativeScan: elems holds no arrays; pass an array or a pytree "
          + "of arrays that share the scanned axis");
    }
    int rank = leaves.get(0).ndim();
    if (axis < -rank || axis >= rank || rank == 0) {
      throw new ShapeError("Lax.associativeScan: axis " + axis + " is out of range for " + leaves.get(0).aval()
          + (rank == 0 ? "; a scalar has no axis to scan, reshape it to [1]" : "; use -" + rank + " to " + (rank - 1)));
    }
    int ax = axis < 0 ? axis + rank : axis;
    int n = leaves.get(0).dim(ax);
    List<String> paths = flat.def().paths("elems");
    for (int i = 1; i < leaves.size(); i++) {
      Array e = leaves.get(i);
      if (e.ndim() <= ax || e.dim(ax) != n) {
        throw new ShapeError("Lax.associativeScan: every leaf needs the same length " + n + " along axis " + ax
            + " (as " + paths.get(0) + " " + leaves.get(0).aval() + "), but " + paths.get(i) + " is " + e.aval());
      }
    }
    List<Array> xs = new ArrayList<>(leaves);
    if (reverse) {
      xs.replaceAll(e -> e.flip(ax));
    }
    Combine<T> combine = new Combine<>(fn, flat.def(), paths);
    List<Array> scans = recurse(combine, xs, ax);
    if (reverse) {
      scans.replaceAll(e -> e.flip(ax));
    }
    return flat.def().unflatten(scans);
  }

  /** {@code fn} lowered to flat leaf lists, its output checked against its inputs. */
  private record Combine<T>(BiFunction<T, T, T> fn, TreeDef def, List<String> paths) {
    List<Array> apply(List<Array> a, List<Array> b) {
      Object r = fn.apply(def.unflatten(a), def.unflatten(b));
      Tree.Flat c;
      try {
        c = Tree.flatten(r);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Lax.associativeScan: fn must return a pytree structured like elems "
            + def + ": " + e.getMessage(), e);
      }
      if (!c.def().equals(def)) {
        throw TreeStructureError.between("Lax.associativeScan: fn returned a result structured unlike its inputs "
            + "(it must combine two elems-shaped pytrees into one)", def, c.def());
      }
      for (int i = 0; i < a.size(); i++) {
        Array got = c.leaves().get(i);
        if (!Arrays.equals(got.shape(), a.get(i).shape())) {
          throw new ShapeError("Lax.associativeScan: fn returned " + got.aval() + " for " + paths.get(i)
              + " given " + a.get(i).aval() + " and " + b.get(i).aval() + "; fn must work elementwise along the "
              + "scanned axis (keep its length), e.g. a batched matmul rather than a reduction");
        }
      }
      return c.leaves();
    }
  }

  private static <T> List<Array> recurse(Combine<T> combine, List<Array> elems, int axis) {
    int n = elems.get(0).dim(axis);
    if (n < 2) {
      return elems;
    }
    // combine adjacent pairs, scan those recursively: the odd positions of the result
    List<Array> reduced = combine.apply(map(elems, e -> slice(e, axis, 0, n - 1, 2)),
        map(elems, e -> slice(e, axis, 1, n, 2)));
    List<Array> odd = recurse(combine, reduced, axis);
    List<Array> evenTail = n % 2 == 0
        ? combine.apply(map(odd, e -> slice(e, axis, 0, e.dim(axis) - 1, 1)), map(elems, e -> slice(e, axis, 2, n, 2)))
        : combine.apply(odd, map(elems, e -> slice(e, axis, 2, n, 2)));
    List<Array> out = new ArrayList<>(elems.size());
    for (int i = 0; i < elems.size(); i++) {
      Array even = Array.concatenate(axis, slice(elems.get(i), axis, 0, 1, 1), evenTail.get(i));
      out.add(interleave(even, odd.get(i), axis));
    }
    return out;
  }

  private static List<Array> map(List<Array> xs, java.util.function.UnaryOperator<Array> f) {
    List<Array> r = new ArrayList<>(xs.size());
    for (Array x : xs) {
      r.add(f.apply(x));
    }
    return r;
  }

  /** {@code slice_in_dim(x, start, limit, stride, axis)}. */
  private static Array slice(Array x, int axis, int start, int limit, int stride) {
    int[] s = new int[x.ndim()];
    int[] l = x.shape().clone();
    int[] st = new int[x.ndim()];
    Arrays.fill(st, 1);
    s[axis] = start;
    l[axis] = Math.max(start, limit);
    st[axis] = stride;
    return x.slice(s, l, st);
  }

  /** JAX's {@code _interleave}: a at even positions, b at odd, by interior padding and add (or for bool). */
  private static Array interleave(Array a, Array b, int axis) {
    boolean same = a.dim(axis) == b.dim(axis);
    int[] aLo = new int[a.ndim()], aHi = new int[a.ndim()], bLo = new int[a.ndim()], bHi = new int[a.ndim()];
    int[] interior = new int[a.ndim()];
    aHi[axis] = same ? 1 : 0;
    bLo[axis] = 1;
    bHi[axis] = same ? 0 : 1;
    interior[axis] = 1;
    Array pa = Prims.PAD.bind1(Params.of("low", aLo, "high", aHi, "interior", interior), a, Array.scalar(a.dtype(), 0));
    Array pb = Prims.PAD.bind1(Params.of("low", bLo, "high", bHi, "interior", interior), b, Array.scalar(b.dtype(), 0));
    return a.dtype() == DType.BOOL ? pa.or(pb) : pa.add(pb);
  }
}
