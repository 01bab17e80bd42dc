package dev.statelens.engine;

import java.util.Arrays;

/**
 * Axis arguments of the jnp-style functions (sorting, unique, logsumexp, fft): a negative axis
 * counts from the end; one out of range, or named twice, is a {@link ShapeError} that names the
 * call, the array's rank and shape, and the axes to use.
 */
final class Axes {
  private Axes() {}

  /** Every axis of an array of rank {@code rank}: {@code 0, 1, ..., rank - 1}. */
  static int[] all(int rank) {
    int[] all = new int[rank];
    for (int i = 0; i < rank; i++) {
      all[i] = i;
    }
    return all;
  }

  /** The last {@code count} axes of an array of rank {@code rank}: {@code rank - count, ..., rank - 1}. */
  static int[] last(int rank, int count) {
    int[] axes = new int[count];
    for (int i = 0; i < count; i++) {
      axes[i] = rank - count + i;
    }
    return axes;
  }

  /**
   * {@code axis} of {@code x} as {@code 0..rank-1}. {@code orElse} continues the fix after the
   * range ({@code ", or null for all"}; "" for nothing more).
   */
  static int normalize(String op, Array x, int axis, String orElse) {
    int r = x.ndim();
    int a = axis < 0 ? axis + r : axis;
    if (a < 0 || a >= r) {
      throw new ShapeError(op + ": axis " + axis + " is out of range for an array of rank " + r + " (shape "
          + x.aval().shapeString() + "); use an axis from " + -r + " to " + (r - 1) + orElse);
    }
    return a;
  }

  /** Each of {@code axes} as {@link #normalize(String, Array, int, String)} does, in the order given; none twice. */
  static int[] normalize(String op, Array x, int[] axes, String orElse) {
    int[] out = new int[axes.length];
    boolean[] seen = new boolean[x.ndim()];
    for (int i = 0; i < axes.length; i++) {
      out[i] = normalize(op, x, axes[i], orElse);
      if (seen[out[i]]) {
        throw new ShapeError(op + ": axis " + axes[i] + " is repeated in " + Arrays.toString(axes)
            + "; name each axis once");
      }
      seen[out[i]] = true;
    }
    return out;
  }
}
