package dev.statelens.engine.fft;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-dimensional discrete Fourier transforms of any length, unscaled, in double precision:
 * iterative radix-2 for powers of two, Bluestein's chirp-z (through a power-of-two convolution)
 * for every other length, so 6, 7 or 100 points cost O(n log n) too. Forward is
 * {@code X[k] = sum_j x[j] e^(-2 pi i jk/n)}; inverse has {@code +} and no 1/n (the caller scales).
 */
final class Dft {
  private Dft() {}

  private static final Map<Integer, double[][]> TWIDDLES = new ConcurrentHashMap<>();
  private static final Map<Integer, Chirp> CHIRPS = new ConcurrentHashMap<>();
  private static final Map<Integer, int[]> SWAPS = new ConcurrentHashMap<>();

  /** Transforms {@code (re, im)} (length n) in place. */
  static void transform(double[] re, double[] im, boolean inverse) {
    int n = re.length;
    if (n <= 1) {
      return;
    }
    if (inverse) { // ifft(x) = conj(fft(conj(x)))
      negate(im);
      transform(re, im, false);
      negate(im);
      return;
    }
    if (Integer.bitCount(n) == 1) {
      radix2(re, im);
    } else {
      bluestein(re, im);
    }
  }

  private static void negate(double[] a) {
    for (int i = 0; i < a.length; i++) {
      a[i] = -a[i];
    }
  }

  /** cos and -sin of 2 pi k / n for k < n/2, each from Math.cos/sin directly (no recurrence drift). */
  private static double[][] twiddles(int n) {
    return TWIDDLES.computeIfAbsent(n, m -> {
      double[] c = new double[m / 2];
      double[] s = new double[m / 2];
      for (int k = 0; k < m / 2; k++) {
        double a = 2 * Math.PI * k / m;
        c[k] = Math.cos(a);
        s[k] = -Math.sin(a);
      }
      return new double[][] {c, s};
    });
  }

  /** The bit-reversal swaps of length n as pairs (i, j), i < j: computed once per length. */
  private static int[] swaps(int n) {
    return SWAPS.computeIfAbsent(n, m -> {
      int[] pairs = new int[m];
      int count = 0;
      for (int i = 1, j = 0; i < m; i++) {
        int bit = m >> 1;
        for (; (j & bit) != 0; bit >>= 1) {
          j ^= bit;
        }
        j ^= bit;
        if (i < j) {
          pairs[count++] = i;
          pairs[count++] = j;
        }
      }
      return java.util.Arrays.copyOf(pairs, count);
    });
  }

  /**
   * In-place iterative radix-2. Each stage loads a twiddle once and applies it to every block
   * (the twiddle-outer order); every butterfly is the same arithmetic in either order, so the
   * bits do not depend on it.
   */
  private static void radix2(double[] re, double[] im) {
    int n = re.length;
    int[] swaps = swaps(n);
    for (int p = 0; p < swaps.length; p += 2) {
      int i = swaps[p];
      int j = swaps[p + 1];
      double t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
    double[][] tw = twiddles(n);
    double[] cos = tw[0];
    double[] sin = tw[1];
    for (int len = 2; len <= n; len <<= 1) {
      int half = len >> 1;
      int step = n / len;
      for (int k = 0; k < half; k++) {
        double wr = cos[k * step];
        double wi = sin[k * step];
        for (int a = k; a < n; a += len) {
          int b = a + half;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }

  /** Bluestein's precomputed chirp {@code w_k = e^(-i pi k^2 / n)} and the FFT of its conjugate, padded to m. */
  private record Chirp(int m, double[] wr, double[] wi, double[] br, double[] bi) {}

  private static Chirp chirp(int n) {
    return CHIRPS.computeIfAbsent(n, len -> {
      int m = Integer.highestOneBit(2 * len - 1);
      if (m < 2 * len - 1) {
        m <<= 1;
      }
      double[] wr = new double[len];
      double[] wi = new double[len];
      for (int k = 0; k < len; k++) {
        long k2 = (long) k * k % (2L * len); // k^2 mod 2n keeps the angle small and exact
        double a = Math.PI * k2 / len;
        wr[k] = Math.cos(a);
        wi[k] = -Math.sin(a);
      }
      double[] br = new double[m];
      double[] bi = new double[m];
      br[0] = wr[0];
      bi[0] = -wi[0];
      for (int k = 1; k < len; k++) {
        br[k] = br[m - k] = wr[k];
        bi[k] = bi[m - k] = -wi[k];
      }
      radix2(br, bi);
      return new Chirp(m, wr, wi, br, bi);
    });
  }

  private static void bluestein(double[] re, double[] im) {
    int n = re.length;
    Chirp c = chirp(n);
    int m = c.m();
    double[] ar = new double[m];
    double[] ai = new double[m];
    for (int k = 0; k < n; k++) {
      ar[k] = re[k] * c.wr()[k] - im[k] * c.wi()[k];
      ai[k] = re[k] * c.wi()[k] + im[k] * c.wr()[k];
    }
    radix2(ar, ai);
    for (int k = 0; k < m; k++) { // pointwise product, then the inverse transform: the convolution
      double r = ar[k] * c.br()[k] - ai[k] * c.bi()[k];
      double i = ar[k] * c.bi()[k] + ai[k] * c.br()[k];
      ar[k] = r;
      ai[k] = -i; // conj, for the inverse by the forward transform
    }
    radix2(ar, ai);
    for (int k = 0; k < n; k++) {
      double r = ar[k] / m;
      double i = -ai[k] / m;
      re[k] = r * c.wr()[k] - i * c.wi()[k];
      im[k] = r * c.wi()[k] + i * c.wr()[k];
    }
  }
}
