package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fft;
import dev.statelens.engine.Random;

/**
 * The FFT kernel's accuracy against a naive DFT in double (exact angles, {@code jk mod n}): for
 * fft, rfft and irfft of {@code [4, n]} random inputs, the largest {@code |out - dft| / max|dft|}
 * over every length listed, and the share of all outputs that are the correctly rounded f32 of
 * the double DFT. Run before and after a kernel change to show it got no less accurate
 * (docs/benchmarks.md, FFT):
 * <pre>java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.statelens.bench.FftAccuracy</pre>
 */
public final class FftAccuracy {
  private FftAccuracy() {}

  static final int ROWS = 4;
  /** Outputs compared, and those equal to {@code (float)} of the double DFT. */
  private static long compared;
  private static long roundedExactly;

  public static void main(String[] args) {
    int[] lengths = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 63, 64, 100, 127, 128, 256, 1000, 1024, 2048};
    double fftErr = 0, rfftErr = 0, irfftErr = 0;
    for (int n : lengths) {
      Array re = Random.normal(Random.key(n), new int[] {ROWS, n}, DType.F32);
      Array im = Random.normal(Random.key(n + 7919), new int[] {ROWS, n}, DType.F32);
      double[] xr = doubles(re.toFloatArray());
      double[] xi = doubles(im.toFloatArray());
      double e1 = relError(Fft.fft(Array.complex(re, im)).toFloatArray(), naive(xr, xi, n, false), n);
      double e2 = relError(Fft.rfft(re).toFloatArray(), keep(naive(xr, new double[xr.length], n, false), n), n / 2 + 1);
      // irfft of a Hermitian spectrum: rfft's own double result (so the input is exactly what a real signal gives)
      Array spectrum = Fft.rfft(re);
      float[] s = spectrum.toFloatArray();
      double[] fr = new double[ROWS * n];
      double[] fi = new double[ROWS * n];
      int half = n / 2 + 1;
      for (int r = 0; r < ROWS; r++) {
        for (int j = 0; j < n; j++) {
          int b = j < half ? j : n - j;
          double sign = j < half ? 1 : -1;
          fr[r * n + j] = s[2 * (r * half + b)];
          fi[r * n + j] = sign * s[2 * (r * half + b) + 1];
        }
        if (n % 2 == 0) {
          fi[r * n + n / 2] = 0;
        }
        fi[r * n] = 0;
      }
      double[] back = naive(fr, fi, n, true);
      float[] got = Fft.irfft(spectrum, n, -1, null).toFloatArray();
      double maxAbs = 0, err = 0;
      for (int i = 0; i < ROWS * n; i++) {
        double want = back[2 * i] / n;
        count(got[i], want);
        maxAbs = Math.max(maxAbs, Math.abs(want));
        err = Math.max(err, Math.abs(got[i] - want));
      }
      double e3 = err / Math.max(maxAbs, Double.MIN_NORMAL);
      System.out.printf("n=%5d  fft %.3e  rfft %.3e  irfft %.3e%n", n, e1, e2, e3);
      fftErr = Math.max(fftErr, e1);
      rfftErr = Math.max(rfftErr, e2);
      irfftErr = Math.max(irfftErr, e3);
    }
    System.out.printf("max |out - dft| / max|dft|: fft %.3e  rfft %.3e  irfft %.3e%n", fftErr, rfftErr, irfftErr);
    System.out.printf("outputs equal to the correctly rounded f32 of the double DFT: %d of %d (%.2f %%)%n",
        roundedExactly, compared, 100.0 * roundedExactly / compared);
  }

  private static double[] doubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** Interleaved (re, im) of each row's DFT, angles reduced exactly by {@code jk mod n}. */
  static double[] naive(double[] xr, double[] xi, int n, boolean inverse) {
    int rows = xr.length / n;
    double[] out = new double[2 * xr.length];
    double sign = inverse ? 1 : -1;
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < n; k++) {
        double sr = 0, si = 0;
        for (int j = 0; j < n; j++) {
          double a = sign * 2 * Math.PI * (((long) j * k) % n) / n;
          double c = Math.cos(a), s = Math.sin(a);
          sr += xr[r * n + j] * c - xi[r * n + j] * s;
          si += xr[r * n + j] * s + xi[r * n + j] * c;
        }
        out[2 * (r * n + k)] = sr;
        out[2 * (r * n + k) + 1] = si;
      }
    }
    return out;
  }

  private static double[] keep(double[] full, int n) {
    int rows = full.length / (2 * n);
    int half = n / 2 + 1;
    double[] out = new double[2 * rows * half];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(full, 2 * r * n, out, 2 * r * half, 2 * half);
    }
    return out;
  }

  private static double relError(float[] got, double[] want, int perRow) {
    double maxAbs = 0, err = 0;
    for (int i = 0; i < want.length; i++) {
      count(got[i], want[i]);
      maxAbs = Math.max(maxAbs, Math.abs(want[i]));
      err = Math.max(err, Math.abs(got[i] - want[i]));
    }
    return err / Math.max(maxAbs, Double.MIN_NORMAL);
  }

  private static void count(float got, double want) {
    compared++;
    if (got == (float) want) {
      roundedExactly++;
    }
  }
}
