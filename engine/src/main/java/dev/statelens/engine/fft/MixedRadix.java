package dev.statelens.engine.fft;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forward transforms of lengths whose prime factors are all small (6, 100, 1000 = 2^3 5^3):
 * recursive decimation in time (Cooley-Tukey, kissfft's order), one radix per factor, in double.
 * Radix 2 is the plain butterfly; other radices are a direct p-point DFT after the twiddles.
 * Cheaper and closer to exact than Bluestein's three padded power-of-two transforms.
 */
final class MixedRadix {
  private MixedRadix() {}

  /** The largest prime factor taken directly; lengths with a larger one go through Bluestein. */
  static final int MAX_RADIX = 7;

  private static final Map<Integer, Plan> PLANS = new ConcurrentHashMap<>();
  private static final ThreadLocal<double[][]> INPUT = ThreadLocal.withInitial(() -> new double[][] {new double[0], new double[0]});

  /** The factors of n in the order the recursion takes them, and e^(-2 pi i j/n) for j < n. */
  private record Plan(int[] factors, double[] cos, double[] sin) {}

  /** The plan of n, or null when n has a prime factor above {@link #MAX_RADIX}. */
  private static Plan plan(int n) {
    Plan p = PLANS.get(n);
    if (p != null) {
      return p;
    }
    int[] f = new int[32];
    int count = 0;
    int rest = n;
    for (int radix = 2; radix <= MAX_RADIX && rest > 1; radix++) {
      while (rest % radix == 0) {
        f[count++] = radix;
        rest /= radix;
      }
    }
    if (rest != 1) {
      return null;
    }
    double[] c = new double[n];
    double[] s = new double[n];
    for (int j = 0; j < n; j++) {
      double a = 2 * Math.PI * j / n;
      c[j] = Math.cos(a);
      s[j] = -Math.sin(a);
    }
    p = new Plan(java.util.Arrays.copyOf(f, count), c, s);
    PLANS.put(n, p);
    return p;
  }

  /** Whether {@link #forward} takes length n. */
  static boolean takes(int n) {
    return plan(n) != null;
  }

  /** Forward transform of {@code [off, off+n)} in place. */
  static void forward(double[] re, double[] im, int off, int n) {
    Plan plan = plan(n);
    double[][] in = Dft.scratch(INPUT, n);
    System.arraycopy(re, off, in[0], 0, n);
    System.arraycopy(im, off, in[1], 0, n);
    work(re, im, off, in[0], in[1], 0, 1, plan, 0, n, new double[2][MAX_RADIX]);
  }

  /**
   * Writes the DFT of the {@code len} inputs {@code in[inOff + j * stride]} to {@code out[outOff, outOff+len)}:
   * the first factor p splits them into p interleaved subsequences, each transformed recursively
   * into consecutive blocks of m = len/p, then combined by radix-p butterflies.
   */
  private static void work(double[] outR, double[] outI, int outOff, double[] inR, double[] inI, int inOff,
      int stride, Plan plan, int fi, int len, double[][] butterfly) {
    int p = plan.factors()[fi];
    int m = len / p;
    if (m == 1) {
      for (int q = 0; q < p; q++) {
        outR[outOff + q] = inR[inOff + q * stride];
        outI[outOff + q] = inI[inOff + q * stride];
      }
    } else {
      for (int q = 0; q < p; q++) {
        work(outR, outI, outOff + q * m, inR, inI, inOff + q * stride, stride * p, plan, fi + 1, m, butterfly);
      }
    }
    double[] cos = plan.cos();
    double[] sin = plan.sin();
    int n = cos.length;
    int tstep = n / len; // twiddle j of this level is entry j * tstep of the length-n table
    if (p == 2) {
      for (int k = 0; k < m; k++) {
        int a = outOff + k;
        int b = a + m;
        double wr = cos[k * tstep];
        double wi = sin[k * tstep];
        double xr = outR[b] * wr - outI[b] * wi;
        double xi = outR[b] * wi + outI[b] * wr;
        outR[b] = outR[a] - xr;
        outI[b] = outI[a] - xi;
        outR[a] += xr;
        outI[a] += xi;
      }
      return;
    }
    if (p == 5) {
      radix5(outR, outI, outOff, m, tstep, cos, sin);
      return;
    }
    double[] sr = butterfly[0];
    double[] si = butterfly[1];
    int rootStep = m * tstep; // e^(-2 pi i / p) is entry n/p = m * tstep
    for (int k = 0; k < m; k++) {
      for (int q = 0; q < p; q++) { // the twiddled inputs of this butterfly
        int idx = outOff + k + q * m;
        int t = q * k * tstep;
        double wr = cos[t];
        double wi = sin[t];
        sr[q] = outR[idx] * wr - outI[idx] * wi;
        si[q] = outR[idx] * wi + outI[idx] * wr;
      }
      for (int u = 0; u < p; u++) { // a direct p-point DFT
        double accR = sr[0];
        double accI = si[0];
        for (int q = 1; q < p; q++) {
          int t = (u * q % p) * rootStep;
          accR += sr[q] * cos[t] - si[q] * sin[t];
          accI += sr[q] * sin[t] + si[q] * cos[t];
        }
        outR[outOff + k + u * m] = accR;
        outI[outOff + k + u * m] = accI;
      }
    }
  }

  /**
   * The radix-5 butterflies of one level (kissfft's kf_bfly5): the four twiddled inputs folded
   * into sums and differences, so a butterfly costs 4 twiddle products and 16 real ones instead
   * of the direct DFT's 16 complex products.
   */
  private static void radix5(double[] re, double[] im, int off, int m, int tstep, double[] cos, double[] sin) {
    int root = m * tstep; // e^(-2 pi i / 5)
    double yar = cos[root];
    double yai = sin[root];
    double ybr = cos[2 * root];
    double ybi = sin[2 * root];
    for (int k = 0; k < m; k++) {
      int i0 = off + k;
      int i1 = i0 + m;
      int i2 = i1 + m;
      int i3 = i2 + m;
      int i4 = i3 + m;
      int t = k * tstep;
      double s0r = re[i0];
      double s0i = im[i0];
      double s1r = re[i1] * cos[t] - im[i1] * sin[t];
      double s1i = re[i1] * sin[t] + im[i1] * cos[t];
      double s2r = re[i2] * cos[2 * t] - im[i2] * sin[2 * t];
      double s2i = re[i2] * sin[2 * t] + im[i2] * cos[2 * t];
      double s3r = re[i3] * cos[3 * t] - im[i3] * sin[3 * t];
      double s3i = re[i3] * sin[3 * t] + im[i3] * cos[3 * t];
      double s4r = re[i4] * cos[4 * t] - im[i4] * sin[4 * t];
      double s4i = re[i4] * sin[4 * t] + im[i4] * cos[4 * t];
      double s7r = s1r + s4r;
      double s7i = s1i + s4i;
      double s10r = s1r - s4r;
      double s10i = s1i - s4i;
      double s8r = s2r + s3r;
      double s8i = s2i + s3i;
      double s9r = s2r - s3r;
      double s9i = s2i - s3i;
      re[i0] = s0r + s7r + s8r;
      im[i0] = s0i + s7i + s8i;
      double s5r = s0r + s7r * yar + s8r * ybr;
      double s5i = s0i + s7i * yar + s8i * ybr;
      double s6r = s10i * yai + s9i * ybi;
      double s6i = -s10r * yai - s9r * ybi;
      re[i1] = s5r - s6r;
      im[i1] = s5i - s6i;
      re[i4] = s5r + s6r;
      im[i4] = s5i + s6i;
      double s11r = s0r + s7r * ybr + s8r * yar;
      double s11i = s0i + s7i * ybr + s8i * yar;
      double s12r = -s10i * ybi + s9i * yai;
      double s12i = s10r * ybi - s9r * yai;
      re[i2] = s11r + s12r;
      im[i2] = s11i + s12i;
      re[i3] = s11r - s12r;
      im[i3] = s11i - s12i;
    }
  }
}
