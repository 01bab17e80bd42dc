package dev.statelens.engine.fft;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-dimensional discrete Fourier transforms of any length, unscaled, in double precision:
 * iterative radix-2 for powers of two, {@link MixedRadix} for lengths whose prime factors are at
 * most 7 (6, 100, 1000), Bluestein's chirp-z (through a power-of-two convolution) for every other
 * length, so 11, 127 or a large prime cost O(n log n) too. Forward is
 * {@code X[k] = sum_j x[j] e^(-2 pi i jk/n)}; inverse has {@code +} and no 1/n (the caller scales).
 * A transform works on {@code n} consecutive values from an offset, so a batch's rows are
 * transformed where they lie (no copy per row).
 */
final class Dft {
  private Dft() {}

  private static final Map<Integer, double[][]> TWIDDLES = new ConcurrentHashMap<>();
  private static final Map<Integer, double[][]> STAGE_TWIDDLES = new ConcurrentHashMap<>();
  private static final Map<Integer, Chirp> CHIRPS = new ConcurrentHashMap<>();
  private static final Map<Integer, int[]> SWAPS = new ConcurrentHashMap<>();
  /** Bluestein's two work arrays of the padded length, one pair per thread, grown as needed. */
  private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[][] {new double[0], new double[0]});

  /** Lanes of {@link VectorButterflies}, or 0 where the Vector API is absent or turned off. */
  private static final int LANES = vectorLanes();

  private static int vectorLanes() {
    if (!dev.statelens.engine.backend.cpu.Matmul.vectorized()) {
      return 0; // also honours -Dstatelens.cpu.vector=false
    }
    try {
      return VectorButterflies.lanes();
    } catch (LinkageError | RuntimeException e) {
      return 0;
    }
  }

  /**
   * The plan to run a batch of length-n lines {@link LaneRows lanes at a time}, or null where the
   * Vector API is absent or n has no plan (a prime factor above 7, or too long): those lines are
   * transformed here one at a time.
   */
  static LanePlan lanePlan(int n) {
    return LANES >= 2 ? LanePlan.of(n) : null;
  }

  /** Transforms {@code (re, im)} (length n) in place. */
  static void transform(double[] re, double[] im, boolean inverse) {
    transform(re, im, 0, re.length, inverse);
  }

  /** Transforms {@code re[off, off+n)}, {@code im[off, off+n)} in place. */
  static void transform(double[] re, double[] im, int off, int n, boolean inverse) {
    if (n <= 1) {
      return;
    }
    if (inverse) { // ifft(x) = conj(fft(conj(x)))
      negate(im, off, n);
      transform(re, im, off, n, false);
      negate(im, off, n);
      return;
    }
    if (Integer.bitCount(n) == 1) {
      radix2(re, im, off, n);
    } else if (MixedRadix.takes(n)) {
      MixedRadix.forward(re, im, off, n);
    } else {
      bluestein(re, im, off, n);
    }
  }

  private static void negate(double[] a, int off, int n) {
    for (int i = off; i < off + n; i++) {
      a[i] = -a[i];
    }
  }

  /** cos and -sin of 2 pi k / n for k < n/2, each from Math.cos/sin directly (no recurrence drift). */
  static double[][] twiddles(int n) {
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

  /**
   * The twiddles of every radix-2 stage laid out consecutively: the stage of half-length h reads
   * entries {@code [h, 2h)}, entry {@code h + k} being {@link #twiddles}' entry {@code k n/(2h)}
   * (the same doubles, so the butterflies compute the same bits), in the order the inner loop
   * walks them.
   */
  private static double[][] stageTwiddles(int n) {
    return STAGE_TWIDDLES.computeIfAbsent(n, m -> {
      double[][] tw = twiddles(m);
      double[] c = new double[m];
      double[] s = new double[m];
      for (int h = 1; h < m; h <<= 1) {
        int step = m / (2 * h);
        for (int k = 0; k < h; k++) {
          c[h + k] = tw[0][k * step];
          s[h + k] = tw[1][k * step];
        }
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
   * In-place iterative radix-2 (decimation in time). Every butterfly is
   * {@code x = b w; b = a - x; a = a + x} with {@code x} as {@code (br wr - bi wi, br wi + bi wr)},
   * no fused multiply-add, in scalar and vector code alike: the bits do not depend on the lanes.
   * Stages with at least {@link #LANES} butterflies per block run that many at a time along k
   * ({@link VectorButterflies}).
   */
  private static void radix2(double[] re, double[] im, int off, int n) {
    int[] swaps = swaps(n);
    for (int p = 0; p < swaps.length; p += 2) {
      int i = off + swaps[p];
      int j = off + swaps[p + 1];
      double t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
    double[][] tw = stageTwiddles(n);
    double[] cos = tw[0];
    double[] sin = tw[1];
    int first = 1;
    if (n >= 4) {
      firstTwoStages(re, im, off, n);
      first = 4;
    }
    for (int half = first; half < n; half <<= 1) {
      int len = half << 1;
      if (LANES >= 4 && half >= LANES) {
        VectorButterflies.stage(re, im, off, n, half, cos, sin);
      } else {
        for (int s = off; s < off + n; s += len) {
          for (int k = 0; k < half; k++) {
            int a = s + k;
            int b = a + half;
            double wr = cos[half + k];
            double wi = sin[half + k];
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
  }

  /**
   * The stages of half-length 1 and 2 as one radix-4 pass: their twiddles are 1 and -i, applied
   * exactly (a swap and a sign) rather than multiplied by the tables' cos(pi/2) = 6.1e-17.
   */
  private static void firstTwoStages(double[] re, double[] im, int off, int n) {
    for (int s = off; s < off + n; s += 4) {
      double t0r = re[s] + re[s + 1];
      double t0i = im[s] + im[s + 1];
      double t1r = re[s] - re[s + 1];
      double t1i = im[s] - im[s + 1];
      double t2r = re[s + 2] + re[s + 3];
      double t2i = im[s + 2] + im[s + 3];
      double t3r = re[s + 2] - re[s + 3];
      double t3i = im[s + 2] - im[s + 3];
      re[s] = t0r + t2r;
      im[s] = t0i + t2i;
      re[s + 2] = t0r - t2r;
      im[s + 2] = t0i - t2i;
      re[s + 1] = t1r + t3i; // t1 + (-i) t3
      im[s + 1] = t1i - t3r;
      re[s + 3] = t1r - t3i;
      im[s + 3] = t1i + t3r;
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
      radix2(br, bi, 0, m);
      return new Chirp(m, wr, wi, br, bi);
    });
  }

  /**
   * This thread's pair of work arrays in {@code slot}, at least m doubles each, grown as needed
   * (Bluestein's convolution here, {@link MixedRadix}'s copy of its input).
   */
  static double[][] scratch(ThreadLocal<double[][]> slot, int m) {
    double[][] s = slot.get();
    if (s[0].length < m) {
      s = new double[][] {new double[m], new double[m]};
      slot.set(s);
    }
    return s;
  }

  private static void bluestein(double[] re, double[] im, int off, int n) {
    Chirp c = chirp(n);
    int m = c.m();
    double[] wr = c.wr();
    double[] wi = c.wi();
    double[] cr = c.br();
    double[] ci = c.bi();
    double[][] work = scratch(SCRATCH, m);
    double[] ar = work[0];
    double[] ai = work[1];
    for (int k = 0; k < n; k++) {
      double xr = re[off + k];
      double xi = im[off + k];
      ar[k] = xr * wr[k] - xi * wi[k];
      ai[k] = xr * wi[k] + xi * wr[k];
    }
    java.util.Arrays.fill(ar, n, m, 0);
    java.util.Arrays.fill(ai, n, m, 0);
    radix2(ar, ai, 0, m);
    for (int k = 0; k < m; k++) { // pointwise product, then the inverse transform: the convolution
      double r = ar[k] * cr[k] - ai[k] * ci[k];
      double i = ar[k] * ci[k] + ai[k] * cr[k];
      ar[k] = r;
      ai[k] = -i; // conj, for the inverse by the forward transform
    }
    radix2(ar, ai, 0, m);
    for (int k = 0; k < n; k++) {
      double r = ar[k] / m;
      double i = -ai[k] / m;
      re[off + k] = r * wr[k] - i * wi[k];
      im[off + k] = r * wi[k] + i * wr[k];
    }
  }
}
