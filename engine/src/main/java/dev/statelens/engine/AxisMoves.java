package dev.statelens.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code jnp.roll}, {@code jnp.moveaxis}, {@code jnp.swapaxes} and {@code jnp.ravel}, built as
 * JAX builds them (slices + concatenate, transpose, reshape), so their gradients and vmap come
 * from those primitives' rules.
 */
final class AxisMoves {
  private AxisMoves() {}

  /**
   * {@code jnp.roll(x, shifts, axes)}: element {@code i} moves to {@code (i + shift) mod n} along
   * each axis, as JAX's {@code _roll_static}: {@code concatenate(x[n-s:], x[:n-s])}.
   */
  static Array roll(Array x, int[] shifts, int[] axes) {
    if (shifts.length != axes.length) {
      throw new ShapeError("roll: " + shifts.length + " shifts for " + axes.length
          + " axes; give one shift per axis (or a single shift and axis)");
    }
    Array r = x;
    for (int k = 0; k < axes.length; k++) {
      int ax = MatrixHelpers.axis("roll", axes[k], x.ndim());
      int n = x.dim(ax);
      if (n == 0) {
        continue;
      }
      int cut = Math.floorMod(-shifts[k], n); // the first element of the result
      if (cut != 0) {
        r = Array.concatenate(ax, r.sliceAxis(ax, cut, n), r.sliceAxis(ax, 0, cut));
      }
    }
    return r;
  }

  /** {@code jnp.roll(x, shift)} without an axis: rolls the flattened array, then restores the shape. */
  static Array roll(Array x, int shift) {
    return x.ndim() == 0 ? x : roll(x.reshape(-1), new int[] {shift}, new int[] {0}).reshape(x.shape());
  }

  /**
   * {@code jnp.moveaxis(x, source, destination)}: the axes in {@code source} go to the positions
   * in {@code destination}, the others keep their order (JAX's {@code _moveaxis} permutation).
   */
  static Array moveaxis(Array x, int[] source, int[] destination) {
    if (source.length != destination.length) {
      throw new ShapeError("moveaxis: " + source.length + " source axes but " + destination.length
          + " destinations; give one destination per moved axis");
    }
    int rank = x.ndim();
    int[] src = distinct("moveaxis source", source, rank);
    int[] dst = distinct("moveaxis destination", destination, rank);
    List<Integer> perm = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      final int axis = i;
      if (Arrays.stream(src).noneMatch(s -> s == axis)) {
        perm.add(i);
      }
    }
    // insert in increasing destination order, so earlier inserts do not shift later targets
    Integer[] order = new Integer[dst.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (i, j) -> Integer.compare(dst[i], dst[j]));
    for (int i : order) {
      perm.add(dst[i], src[i]);
    }
    return x.transpose(perm.stream().mapToInt(Integer::intValue).toArray());
  }

  /** {@code jnp.swapaxes(x, a, b)}: a transpose exchanging two axes. */
  static Array swapaxes(Array x, int axis1, int axis2) {
    int rank = x.ndim();
    int a = MatrixHelpers.axis("swapaxes", axis1, rank);
    int b = MatrixHelpers.axis("swapaxes", axis2, rank);
    int[] perm = new int[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = i;
    }
    perm[a] = b;
    perm[b] = a;
    return x.transpose(perm);
  }

  private static int[] distinct(String what, int[] axes, int rank) {
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = MatrixHelpers.axis(what, axes[i], rank);
      for (int j = 0; j < i; j++) {
        if (out[j] == out[i]) {
          throw new ShapeError(what + ": axis " + axes[i] + " is repeated in " + Arrays.toString(axes)
              + "; name each axis once");
        }
      }
    }
    return out;
  }
}
