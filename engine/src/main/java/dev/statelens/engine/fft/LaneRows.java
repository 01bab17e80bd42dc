package dev.statelens.engine.fft;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batches of transforms run {@link LaneButterflies#lanes()} rows (or columns) at a time through a
 * {@link LanePlan}: each group is copied into a per-thread lane buffer (element j of line l at
 * {@code j * lanes + l}; a last, partial group's spare lanes are zeros), transformed, and copied
 * out. Every line of a length takes the same arithmetic wherever it sits in the batch. Real
 * transforms pack a row into a half-length complex one ({@code z[j] = x[2j] + i x[2j+1]}, as
 * {@link RealDft}) and split it with a post-twiddle, also in lanes. The inverse transforms are
 * the forward one on conjugates.
 */
final class LaneRows {
  private LaneRows() {}

  private static final VectorSpecies<Double> S = LaneButterflies.SPECIES;
  private static final int L = S.length();

  /** This thread's lane buffers: the transform's, and the spectrum of a real transform. */
  private static final ThreadLocal<double[][]> BUFFERS = ThreadLocal.withInitial(() -> new double[4][0]);

  private static double[][] buffers(int elements) {
    double[][] b = BUFFERS.get();
    if (b[0].length < elements * L) {
      for (int i = 0; i < b.length; i++) {
        b[i] = new double[elements * L];
      }
    }
    return b;
  }

  /**
   * fft (or ifft, times {@code scale}) of {@code rows} rows of n interleaved c64 values in
   * {@code src} to the same layout in {@code out}.
   */
  static void complexRows(float[] src, float[] out, int rows, int n, boolean inverse, double scale, LanePlan plan) {
    double[][] b = buffers(n);
    double sign = inverse ? -1 : 1;
    for (int row0 = 0; row0 < rows; row0 += L) {
      int lanes = Math.min(L, rows - row0);
      double[] ar = b[0];
      double[] ai = b[1];
      gatherPairs(src, 2 * row0 * n, 2 * n, n, lanes, ar, ai, sign);
      plan.forward(ar, ai);
      scatterPairs(ar, ai, plan.perm, out, 2 * row0 * n, 2 * n, n, lanes, scale, sign * scale);
    }
  }

  /** fft or unscaled ifft, in place, of {@code rows} contiguous rows of n in {@code (re, im)}. */
  static void complexRows(double[] re, double[] im, int rows, int n, boolean inverse, LanePlan plan) {
    double[][] b = buffers(n);
    double sign = inverse ? -1 : 1;
    for (int row0 = 0; row0 < rows; row0 += L) {
      int lanes = Math.min(L, rows - row0);
      double[] ar = b[0];
      double[] ai = b[1];
      gatherLines(re, im, row0 * n, n, 1, n, lanes, ar, ai, sign);
      plan.forward(ar, ai);
      scatterLines(ar, ai, plan.perm, re, im, row0 * n, n, 1, n, lanes, sign);
    }
  }

  /**
   * fft or unscaled ifft, in place, of every line along the middle axis of {@code [outer, len, inner]}:
   * neighbouring columns are already side by side, so a group is {@code lanes} of them copied with
   * vector loads.
   */
  static void complexColumns(double[] re, double[] im, int outer, int len, int inner, boolean inverse, LanePlan plan) {
    double[][] b = buffers(len);
    double[] ar = b[0];
    double[] ai = b[1];
    double sign = inverse ? -1 : 1; // conjugates in and out: the inverse by the forward transform
    for (int o = 0; o < outer; o++) {
      for (int c0 = 0; c0 < inner; c0 += L) {
        int base = o * len * inner + c0;
        int lanes = Math.min(L, inner - c0);
        if (lanes == L) {
          for (int j = 0; j < len; j++) {
            DoubleVector.fromArray(S, re, base + j * inner).intoArray(ar, j * L);
            DoubleVector.fromArray(S, im, base + j * inner).mul(sign).intoArray(ai, j * L);
          }
        } else {
          gatherLines(re, im, base, 1, inner, len, lanes, ar, ai, sign);
        }
        plan.forward(ar, ai);
        int[] perm = plan.perm;
        if (lanes == L) {
          for (int j = 0; j < len; j++) {
            DoubleVector.fromArray(S, ar, perm[j] * L).intoArray(re, base + j * inner);
            DoubleVector.fromArray(S, ai, perm[j] * L).mul(sign).intoArray(im, base + j * inner);
          }
        } else {
          scatterLines(ar, ai, perm, re, im, base, 1, inner, len, lanes, sign);
        }
      }
    }
  }

  /**
   * rfft of {@code rows} rows of even n reals in {@code src}: row r's n/2+1 bins either into
   * {@code out} as interleaved c64 at {@code 2 r (n/2+1)} (when out is not null) or into
   * {@code (re, im)} at {@code r (n/2+1)}. {@code half} is the plan of n/2.
   */
  static void realRows(float[] src, int rows, int n, float[] out, double[] re, double[] im, LanePlan half) {
    int h = n / 2;
    int bins = h + 1;
    double[][] b = buffers(bins);
    double[][] tw = Dft.twiddles(n); // cos and -sin of 2 pi k/n, k < n/2
    for (int row0 = 0; row0 < rows; row0 += L) {
      int lanes = Math.min(L, rows - row0);
      double[] ar = b[0];
      double[] ai = b[1];
      gatherPairs(src, row0 * n, n, h, lanes, ar, ai, 1); // z[j] = x[2j] + i x[2j+1]
      half.forward(ar, ai);
      double[] xr = b[2];
      double[] xi = b[3];
      splitSpectra(ar, ai, half.perm, xr, xi, h, tw[0], tw[1]);
      if (out != null) {
        scatterPairs(xr, xi, null, out, 2 * row0 * bins, 2 * bins, bins, lanes, 1, 1);
      } else {
        scatterLines(xr, xi, null, re, im, row0 * bins, bins, 1, bins, lanes, 1);
      }
    }
  }

  /**
   * The post-twiddle of {@link RealDft#forward}, in lanes: {@code Z[k] = E[k] + i O[k]} and
   * {@code conj(Z[h-k]) = E[k] - i O[k]} give {@code X[k] = E[k] + e^(-2 pi i k/n) O[k]}; bins 0
   * and h are real exactly.
   */
  private static void splitSpectra(double[] zr, double[] zi, int[] perm, double[] xr, double[] xi, int h, double[] cos, double[] sin) {
    DoubleVector z0r = DoubleVector.fromArray(S, zr, 0); // perm[0] is 0
    DoubleVector z0i = DoubleVector.fromArray(S, zi, 0);
    DoubleVector zero = DoubleVector.zero(S);
    z0r.add(z0i).intoArray(xr, 0);
    zero.intoArray(xi, 0);
    z0r.sub(z0i).intoArray(xr, h * L);
    zero.intoArray(xi, h * L);
    for (int k = 1; k < h; k++) {
      int a = perm[k] * L;
      int b = perm[h - k] * L;
      DoubleVector ar = DoubleVector.fromArray(S, zr, a);
      DoubleVector ai = DoubleVector.fromArray(S, zi, a);
      DoubleVector br = DoubleVector.fromArray(S, zr, b);
      DoubleVector bi = DoubleVector.fromArray(S, zi, b).neg();
      DoubleVector er = ar.add(br).mul(0.5);
      DoubleVector ei = ai.add(bi).mul(0.5);
      DoubleVector or = ai.sub(bi).mul(0.5); // O = (Z[k] - conj(Z[h-k])) / 2i
      DoubleVector oi = ar.sub(br).mul(-0.5);
      double wr = cos[k];
      double wi = sin[k];
      er.add(or.mul(wr).sub(oi.mul(wi))).intoArray(xr, k * L);
      ei.add(or.mul(wi).add(oi.mul(wr))).intoArray(xi, k * L);
    }
  }

  /**
   * irfft to even n: {@code rows} rows of n/2+1 bins, either interleaved c64 in {@code src} (when
   * not null) or in {@code (re, im)}, to n reals per row in {@code out}, times {@code scale}. The
   * imaginary parts of bins 0 and n/2 are read as 0, as XLA's c2r.
   */
  static void realInverseRows(float[] src, double[] re, double[] im, float[] out, int rows, int n, double scale, LanePlan half) {
    int h = n / 2;
    int bins = h + 1;
    double[][] b = buffers(bins);
    double[][] tw = Dft.twiddles(n);
    double[] xr = b[2];
    double[] xi = b[3];
    for (int row0 = 0; row0 < rows; row0 += L) {
      int lanes = Math.min(L, rows - row0);
      if (src != null) {
        gatherPairs(src, 2 * row0 * bins, 2 * bins, bins, lanes, xr, xi, 1);
      } else {
        gatherLines(re, im, row0 * bins, bins, 1, bins, lanes, xr, xi, 1);
      }
      double[] zr = b[0];
      double[] zi = b[1];
      joinSpectra(xr, xi, zr, zi, h, tw[0], tw[1]);
      half.forward(zr, zi);
      // conj back (the inverse by the forward transform): imaginary parts times -scale
      scatterPairs(zr, zi, half.perm, out, row0 * n, n, h, lanes, scale, -scale);
    }
  }

  /**
   * The pre-twiddle of {@link RealDft#inverse}, conjugated for a forward transform: with
   * {@code a = X[k]}, {@code b = conj(X[h-k])}, {@code a + b = 2 E[k]} and
   * {@code (a - b) e^(2 pi i k/n) = 2 O[k]}; {@code z = conj(2E + i 2O)}.
   */
  private static void joinSpectra(double[] xr, double[] xi, double[] zr, double[] zi, int h, double[] cos, double[] sin) {
    for (int k = 0; k < h; k++) {
      DoubleVector ar = DoubleVector.fromArray(S, xr, k * L);
      DoubleVector br = DoubleVector.fromArray(S, xr, (h - k) * L);
      DoubleVector ai;
      DoubleVector bi;
      if (k == 0) {
        ai = DoubleVector.zero(S);
        bi = ai;
      } else {
        ai = DoubleVector.fromArray(S, xi, k * L);
        bi = DoubleVector.fromArray(S, xi, (h - k) * L).neg();
      }
      DoubleVector dr = ar.sub(br);
      DoubleVector di = ai.sub(bi);
      double wr = cos[k];
      double wi = -sin[k]; // e^(+2 pi i k/n)
      DoubleVector or = dr.mul(wr).sub(di.mul(wi));
      DoubleVector oi = dr.mul(wi).add(di.mul(wr));
      ar.add(br).sub(oi).intoArray(zr, k * L);
      ai.add(bi).add(or).neg().intoArray(zi, k * L);
    }
  }

  /**
   * Lane l &lt; lanes of {@code (ar, ai)} from the {@code count} (re, im) pairs at
   * {@code src[first + l stride]}, imaginary parts times {@code imSign}; the other lanes zero.
   * Element by element across the lanes, so the buffer is written in order.
   */
  private static void gatherPairs(float[] src, int first, int stride, int count, int lanes, double[] ar, double[] ai, double imSign) {
    if (lanes == L) {
      for (int j = 0; j < count; j++) {
        int o = first + 2 * j;
        for (int l = 0; l < L; l++) {
          ar[j * L + l] = src[o + l * stride];
          ai[j * L + l] = imSign * src[o + l * stride + 1];
        }
      }
      return;
    }
    for (int l = 0; l < L; l++) {
      if (l < lanes) {
        int o = first + l * stride;
        for (int j = 0; j < count; j++) {
          ar[j * L + l] = src[o + 2 * j];
          ai[j * L + l] = imSign * src[o + 2 * j + 1];
        }
      } else {
        clearLane(ar, ai, count, l);
      }
    }
  }

  /**
   * The inverse of {@link #gatherPairs}, rounded to f32 and scaled: element {@code perm[j]} (j
   * itself where perm is null) of lane l &lt; lanes to the pair at {@code out[first + l stride + 2j]}.
   */
  private static void scatterPairs(double[] ar, double[] ai, int[] perm, float[] out, int first, int stride, int count, int lanes,
      double reScale, double imScale) {
    for (int j = 0; j < count; j++) {
      int x = (perm == null ? j : perm[j]) * L;
      int o = first + 2 * j;
      for (int l = 0; l < lanes; l++) {
        out[o + l * stride] = (float) (ar[x + l] * reScale);
        out[o + l * stride + 1] = (float) (ai[x + l] * imScale);
      }
    }
  }

  /**
   * The double twin of {@link #gatherPairs} for split (re, im) arrays: lane l &lt; lanes of
   * {@code (ar, ai)} from the {@code count} elements at {@code first + l lineStride + j step},
   * imaginary parts times {@code imSign}; the other lanes zero. Rows have step 1, columns of
   * {@code [outer, len, inner]} lineStride 1 and step inner.
   */
  private static void gatherLines(double[] re, double[] im, int first, int lineStride, int step, int count, int lanes,
      double[] ar, double[] ai, double imSign) {
    for (int l = 0; l < L; l++) {
      if (l < lanes) {
        int o = first + l * lineStride;
        for (int j = 0; j < count; j++) {
          ar[j * L + l] = re[o + j * step];
          ai[j * L + l] = imSign * im[o + j * step];
        }
      } else {
        clearLane(ar, ai, count, l);
      }
    }
  }

  /**
   * The inverse of {@link #gatherLines}: element {@code perm[j]} (j itself where perm is null) of
   * lane l &lt; lanes to {@code first + l lineStride + j step}, imaginary parts times {@code imSign}.
   */
  private static void scatterLines(double[] ar, double[] ai, int[] perm, double[] re, double[] im, int first, int lineStride,
      int step, int count, int lanes, double imSign) {
    for (int l = 0; l < lanes; l++) {
      int o = first + l * lineStride;
      for (int j = 0; j < count; j++) {
        int x = (perm == null ? j : perm[j]) * L + l;
        re[o + j * step] = ar[x];
        im[o + j * step] = imSign * ai[x];
      }
    }
  }

  private static void clearLane(double[] re, double[] im, int n, int lane) {
    for (int j = 0; j < n; j++) {
      re[j * L + lane] = 0;
      im[j * L + lane] = 0;
    }
  }
}
