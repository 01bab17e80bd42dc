package dev.statelens.engine.fft;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A forward DFT of length n on {@link LaneButterflies#lanes()} transforms at once (DUCC's way of
 * running a batch of rows: one row per lane, no shuffles): radix 4 (or 8), 2, 3, 5, 7 passes of
 * in-place decimation in frequency, whose output order ({@link #perm}) the caller undoes as it
 * copies the result out; each pass's twiddles computed once per length.
 * Lengths with a prime factor above 7, and lengths above {@link #MAX_LENGTH} (whose lane buffers
 * would outgrow the caches), have no plan: {@link Dft} takes them one row at a time.
 */
final class LanePlan {
  /** The longest length run in lanes: its four lane buffers of 16384 x 4 doubles are 2 MiB a thread. */
  static final int MAX_LENGTH = 1 << 14;

  private static final Map<Integer, LanePlan> PLANS = new ConcurrentHashMap<>();
  private static final LanePlan NONE = new LanePlan(0, new int[0]);

  /** Elements of a block (times the lanes) small enough to stay in L1 for all its later passes. */
  private static final int L1_BLOCK = 1024;

  final int n;
  private final int[] factors;
  /** Per pass f, of block length m: {@code W^(j i)} at {@code (j-1) m/p + i}, cos and -sin of {@code 2 pi j i / m}. */
  private final double[][] twr;
  private final double[][] twi;
  /** Where the in-place passes leave X[k]: element {@code perm[k]} (a mixed-radix digit reversal). */
  final int[] perm;
  /** e^(-2 pi i q / 7) for the generic pass. */
  private final double[] root7r = new double[7];
  private final double[] root7i = new double[7];

  private LanePlan(int n, int[] factors) {
    this.n = n;
    this.factors = factors;
    twr = new double[factors.length][];
    twi = new double[factors.length][];
    int m = n;
    for (int f = 0; f < factors.length; f++) {
      int p = factors[f];
      int s = m / p;
      twr[f] = new double[(p - 1) * s];
      twi[f] = new double[(p - 1) * s];
      for (int j = 1; j < p; j++) {
        for (int i = 0; i < s; i++) {
          long x = (long) j * i * (n / m) % n; // the exact angle index, reduced before it becomes a double
          double a = 2 * Math.PI * x / n;
          twr[f][(j - 1) * s + i] = Math.cos(a);
          twi[f][(j - 1) * s + i] = -Math.sin(a);
        }
      }
      m = s;
    }
    perm = new int[n];
    for (int k = 0; k < n; k++) { // X[j + p k'] of a block of m lands at j (m/p) + (k' in its sub-block)
      int pos = 0;
      int rest = k;
      m = n;
      for (int p : factors) {
        m /= p;
        pos += (rest % p) * m;
        rest /= p;
      }
      perm[k] = pos;
    }
    for (int q = 0; q < 7; q++) {
      root7r[q] = Math.cos(2 * Math.PI * q / 7);
      root7i[q] = -Math.sin(2 * Math.PI * q / 7);
    }
  }

  /** The plan of n, or null where n is run one row at a time (see the class comment). */
  static LanePlan of(int n) {
    LanePlan p = PLANS.computeIfAbsent(n, m -> {
      int[] f = factor(m);
      return f == null ? NONE : new LanePlan(m, f);
    });
    return p == NONE ? null : p;
  }

  /**
   * 4s (an odd power of two's last 2 merged into one radix 8: measured, radix 8 throughout was
   * slower, its butterfly spilling AVX2's 16 registers; 1000 = 8 5 5 5 was no faster than
   * 4 2 5 5 5), then 2, 3, 5, 7; null past 7 or {@link #MAX_LENGTH}.
   */
  private static int[] factor(int n) {
    if (n < 2 || n > MAX_LENGTH) {
      return null;
    }
    int[] f = new int[32];
    int count = 0;
    int rest = n;
    while (rest % 4 == 0) {
      f[count++] = 4;
      rest /= 4;
    }
    if (count > 0 && rest == 2) { // a power of two's 4 and last 2 as one radix-8 pass: one pass fewer
      f[0] = 8;
      rest /= 2;
    }
    for (int p = 2; p <= 7 && rest > 1; p++) {
      while (rest % p == 0) {
        f[count++] = p;
        rest /= p;
      }
    }
    return rest == 1 ? java.util.Arrays.copyOf(f, count) : null;
  }

  /**
   * Transforms the lane buffer {@code (re, im)} (n elements of every lane) forward in place,
   * leaving X[k] at element {@link #perm}{@code [k]}.
   */
  void forward(double[] re, double[] im) {
    passes(re, im, 0, 0, n);
  }

  /**
   * Passes f onward over the block of m elements at off: breadth first once the block fits in L1,
   * else pass f over it and each of its sub-blocks in turn (depth first), so only the first passes
   * of a long transform stream through L2.
   */
  private void passes(double[] re, double[] im, int off, int f, int m) {
    if (m * LaneButterflies.lanes() <= L1_BLOCK) {
      for (int blocks = 1; f < factors.length; f++) {
        LaneButterflies.pass(factors[f], re, im, off, blocks, m, twr[f], twi[f], root7r, root7i);
        blocks *= factors[f];
        m /= factors[f];
      }
      return;
    }
    int p = factors[f];
    LaneButterflies.pass(p, re, im, off, 1, m, twr[f], twi[f], root7r, root7i);
    int s = m / p;
    if (f + 1 < factors.length) {
      for (int q = 0; q < p; q++) {
        passes(re, im, off + q * s, f + 1, s);
      }
    }
  }
}
