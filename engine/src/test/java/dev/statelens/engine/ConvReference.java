package dev.statelens.engine;

import java.util.Random;

/**
 * Direct loops for convolutions and windowed reductions, written from the definitions (not the
 * im2col kernel under test): lhs {@code [N, C, spatial...]}, rhs {@code [O, I, window...]},
 * output {@code [N / batchGroups, O, spatial...]}.
 */
final class ConvReference {
  private ConvReference() {}

  record Result(double[] data, int[] shape) {}

  static Result conv(double[] x, int[] xs, double[] w, int[] ws, int[] strides, int[][] pad, int[] lhsDil,
      int[] rhsDil, int groups, int batchGroups) {
    int s = xs.length - 2;
    int n = xs[0] / batchGroups;
    int c = xs[1];
    int o = ws[0];
    int in = ws[1];
    int[] outS = new int[s];
    for (int d = 0; d < s; d++) {
      int dilIn = (xs[2 + d] - 1) * lhsDil[d] + 1 + pad[d][0] + pad[d][1];
      int k = (ws[2 + d] - 1) * rhsDil[d] + 1;
      outS[d] = dilIn < k ? 0 : (dilIn - k) / strides[d] + 1;
    }
    int[] shape = new int[s + 2];
    shape[0] = n;
    shape[1] = o;
    System.arraycopy(outS, 0, shape, 2, s);
    double[] out = new double[size(shape)];
    int parts = groups * batchGroups;
    int perPart = o / parts;
    int[] pos = new int[s + 2];
    for (int at = 0; at < out.length; at++) {
      unravel(at, shape, pos);
      int part = pos[1] / perPart;
      int img = batchGroups > 1 ? part * n + pos[0] : pos[0];
      int cOff = groups > 1 ? part * in : 0;
      double sum = 0;
      int[] kpos = new int[s];
      int kTotal = 1;
      for (int d = 0; d < s; d++) {
        kTotal *= ws[2 + d];
      }
      for (int i = 0; i < in; i++) {
        for (int kk = 0; kk < kTotal; kk++) {
          int rem = kk;
          for (int d = s - 1; d >= 0; d--) {
            kpos[d] = rem % ws[2 + d];
            rem /= ws[2 + d];
          }
          int xi = img * c + cOff + i;
          boolean inside = true;
          for (int d = 0; d < s && inside; d++) {
            int q = pos[2 + d] * strides[d] + kpos[d] * rhsDil[d] - pad[d][0];
            if (q < 0 || q % lhsDil[d] != 0 || q / lhsDil[d] >= xs[2 + d]) {
              inside = false;
            } else {
              xi = xi * xs[2 + d] + q / lhsDil[d];
            }
          }
          if (!inside) {
            continue;
          }
          int wi = pos[1] * in + i;
          for (int d = 0; d < s; d++) {
            wi = wi * ws[2 + d] + kpos[d];
          }
          sum += x[xi] * w[wi];
        }
      }
      out[at] = sum;
    }
    return new Result(out, shape);
  }

  /** reduce_window over every axis: sum (zero padding) or max (-inf padding). */
  static Result reduceWindow(double[] x, int[] xs, int[] window, int[] strides, int[][] pad, boolean max) {
    int r = xs.length;
    int[] shape = new int[r];
    for (int d = 0; d < r; d++) {
      int padded = xs[d] + pad[d][0] + pad[d][1];
      shape[d] = padded < window[d] ? 0 : (padded - window[d]) / strides[d] + 1;
    }
    double[] out = new double[size(shape)];
    int[] pos = new int[r];
    int[] k = new int[r];
    int kTotal = size(window);
    for (int at = 0; at < out.length; at++) {
      unravel(at, shape, pos);
      double acc = max ? Double.NEGATIVE_INFINITY : 0;
      for (int kk = 0; kk < kTotal; kk++) {
        unravel(kk, window, k);
        int xi = 0;
        boolean inside = true;
        for (int d = 0; d < r; d++) {
          int q = pos[d] * strides[d] + k[d] - pad[d][0];
          inside &= q >= 0 && q < xs[d];
          xi = xi * xs[d] + q;
        }
        if (inside) {
          acc = max ? Math.max(acc, x[xi]) : acc + x[xi];
        }
      }
      out[at] = acc;
    }
    return new Result(out, shape);
  }

  static void unravel(int flat, int[] shape, int[] into) {
    for (int d = shape.length - 1; d >= 0; d--) {
      into[d] = shape[d] == 0 ? 0 : flat % shape[d];
      flat = shape[d] == 0 ? 0 : flat / shape[d];
    }
  }

  static int size(int[] shape) {
    int p = 1;
    for (int v : shape) {
      p *= v;
    }
    return p;
  }

  static double[] random(Random rng, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextGaussian();
    }
    return v;
  }

  static Array array(double[] data, int... shape) {
    return Array.of(DType.F64, shape, data);
  }
}
