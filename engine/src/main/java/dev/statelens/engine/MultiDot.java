package dev.statelens.engine;

import java.util.Arrays;

/**
 * {@code jnp.linalg.multi_dot}: a chain of matrix products in the cheapest order, found by the
 * matrix-chain dynamic program over the dimensions (what opt_einsum's optimal path gives JAX
 * for a chain). A leading vector is a 1 x n row, a trailing one an n x 1 column, dropped again at
 * the end.
 */
final class MultiDot {
  private MultiDot() {}

  static Array multiDot(Array... arrays) {
    int n = arrays.length;
    if (n < 2) {
      throw new ShapeError("multiDot: needs at least two arrays, got " + n + "; for one use it as is");
    }
    for (int i = 0; i < n; i++) {
      int r = arrays[i].ndim();
      boolean end = i == 0 || i == n - 1;
      if (r != 2 && !(end && r == 1)) {
        throw new ShapeError("multiDot: arrays must be 2-d (the first and last may be 1-d), got shapes " + shapes(arrays));
      }
    }
    Array[] m = arrays.clone();
    boolean rowVector = m[0].ndim() == 1;
    boolean columnVector = m[n - 1].ndim() == 1;
    if (rowVector) {
      m[0] = m[0].reshape(1, -1);
    }
    if (columnVector) {
      m[n - 1] = m[n - 1].reshape(-1, 1);
    }
    int[] dims = new int[n + 1];
    for (int i = 0; i < n; i++) {
      dims[i] = m[i].shape()[0];
      if (i > 0 && m[i - 1].shape()[1] != dims[i]) {
        throw new ShapeError("multiDot: the last dimension of each array must match the first of the next, got shapes "
            + shapes(arrays));
      }
    }
    dims[n] = m[n - 1].shape()[1];
    int[][] split = chainOrder(dims);
    Array out = product(m, split, 0, n - 1);
    if (rowVector) {
      out = out.squeeze(0);
    }
    if (columnVector) {
      out = out.squeeze(-1);
    }
    return out;
  }

  /** The classic O(n^3) matrix-chain program: split[i][j] is where A_i..A_j is cut last. */
  static int[][] chainOrder(int[] dims) {
    int n = dims.length - 1;
    long[][] cost = new long[n][n];
    int[][] split = new int[n][n];
    for (int len = 1; len < n; len++) {
      for (int i = 0; i + len < n; i++) {
        int j = i + len;
        cost[i][j] = Long.MAX_VALUE;
        for (int k = i; k < j; k++) {
          long c = cost[i][k] + cost[k + 1][j] + (long) dims[i] * dims[k + 1] * dims[j + 1];
          if (c < cost[i][j]) {
            cost[i][j] = c;
            split[i][j] = k;
          }
        }
      }
    }
    return split;
  }

  private static Array product(Array[] m, int[][] split, int i, int j) {
    if (i == j) {
      return m[i];
    }
    int k = split[i][j];
    return product(m, split, i, k).matmul(product(m, split, k + 1, j));
  }

  private static String shapes(Array[] arrays) {
    StringBuilder b = new StringBuilder("[");
    for (Array a : arrays) {
      b.append(b.length() > 1 ? ", " : "").append(Arrays.toString(a.shape()));
    }
    return b.append(']').toString();
  }
}
