package dev.statelens.engine.fft;

/**
 * Real-signal transforms along contiguous rows, in double: for even n, the standard packing of a
 * real signal into one complex transform of n/2 points ({@code z[j] = x[2j] + i x[2j+1]}) and a
 * post-twiddle that splits it into the even and odd samples' spectra
 * ({@code X[k] = E[k] + e^(-2 pi i k/n) O[k]}); the inverse runs the same steps backwards. Half the
 * work of a complex transform of the real signal. Odd n takes the complex transform.
 */
final class RealDft {
  private RealDft() {}

  /**
   * Each of {@code rows} rows of {@code n} reals in {@code src} to its {@code n/2+1} bins, row r at
   * {@code r (n/2+1)} of {@code (re, im)}; bins 0 and n/2 are real exactly (as pocketfft's r2c).
   */
  static void forward(float[] src, double[] re, double[] im, int rows, int n) {
    int bins = n / 2 + 1;
    if (n % 2 != 0) {
      double[] xr = new double[n];
      double[] xi = new double[n];
      for (int row = 0; row < rows; row++) {
        for (int j = 0; j < n; j++) {
          xr[j] = src[row * n + j];
          xi[j] = 0;
        }
        Dft.transform(xr, xi, 0, n, false);
        System.arraycopy(xr, 0, re, row * bins, bins);
        System.arraycopy(xi, 0, im, row * bins, bins);
        im[row * bins] = 0;
      }
      return;
    }
    int h = n / 2;
    double[][] tw = Dft.twiddles(n); // cos and -sin of 2 pi k/n, k < n/2
    double[] cos = tw[0];
    double[] sin = tw[1];
    double[] zr = new double[h];
    double[] zi = new double[h];
    for (int row = 0; row < rows; row++) {
      int o = row * n;
      for (int j = 0; j < h; j++) {
        zr[j] = src[o + 2 * j];
        zi[j] = src[o + 2 * j + 1];
      }
      Dft.transform(zr, zi, 0, h, false);
      int q = row * bins;
      re[q] = zr[0] + zi[0]; // E[0] + O[0]: both real
      im[q] = 0;
      re[q + h] = zr[0] - zi[0];
      im[q + h] = 0;
      for (int k = 1; k < h; k++) {
        // Z[k] = E[k] + i O[k] and conj(Z[h-k]) = E[k] - i O[k] (E, O: spectra of real sequences)
        double ar = zr[k];
        double ai = zi[k];
        double br = zr[h - k];
        double bi = -zi[h - k];
        double er = 0.5 * (ar + br);
        double ei = 0.5 * (ai + bi);
        double or = 0.5 * (ai - bi); // O = (Z[k] - conj(Z[h-k])) / 2i
        double oi = -0.5 * (ar - br);
        double wr = cos[k];
        double wi = sin[k];
        re[q + k] = er + (or * wr - oi * wi);
        im[q + k] = ei + (or * wi + oi * wr);
      }
    }
  }

  /**
   * The inverse of {@link #forward} on Hermitian rows: each row of {@code n/2+1} bins at
   * {@code r (n/2+1)} of {@code (re, im)} to {@code n} reals at {@code r n} of {@code out}, times
   * {@code scale} (the unscaled inverse is n times the signal), rounded to f32 once. The imaginary
   * parts of bins 0 and n/2 are read as 0: they drop out of the real signal, as in XLA's c2r.
   */
  static void inverse(double[] re, double[] im, float[] out, int rows, int n, double scale) {
    int bins = n / 2 + 1;
    if (n % 2 != 0) {
      double[] xr = new double[n];
      double[] xi = new double[n];
      for (int row = 0; row < rows; row++) {
        int q = row * bins;
        for (int j = 0; j < bins; j++) {
          xr[j] = re[q + j];
          xi[j] = im[q + j];
        }
        for (int j = bins; j < n; j++) { // the Hermitian extension
          xr[j] = re[q + n - j];
          xi[j] = -im[q + n - j];
        }
        Dft.transform(xr, xi, 0, n, true);
        for (int j = 0; j < n; j++) {
          out[row * n + j] = (float) (xr[j] * scale);
        }
      }
      return;
    }
    int h = n / 2;
    double[][] tw = Dft.twiddles(n);
    double[] cos = tw[0];
    double[] sin = tw[1];
    double[] zr = new double[h];
    double[] zi = new double[h];
    for (int row = 0; row < rows; row++) {
      int q = row * bins;
      for (int k = 0; k < h; k++) {
        // a = X[k], b = conj(X[h-k]); a + b = 2 E[k], (a - b) e^(2 pi i k/n) = 2 O[k]; Z = 2E + i 2O
        double ar = re[q + k];
        double ai = k == 0 ? 0 : im[q + k];
        double br = re[q + h - k];
        double bi = k == 0 ? 0 : -im[q + h - k];
        double dr = ar - br;
        double di = ai - bi;
        double wr = cos[k];
        double wi = -sin[k]; // e^(+2 pi i k/n)
        double or = dr * wr - di * wi;
        double oi = dr * wi + di * wr;
        zr[k] = (ar + br) - oi;
        zi[k] = (ai + bi) + or;
      }
      Dft.transform(zr, zi, 0, h, true); // h * 2z = n z
      int o = row * n;
      for (int j = 0; j < h; j++) {
        out[o + 2 * j] = (float) (zr[j] * scale);
        out[o + 2 * j + 1] = (float) (zi[j] * scale);
      }
    }
  }
}
