package dev.statelens.engine.fft;

import dev.statelens.engine.backend.cpu.CpuBuffer;
import dev.statelens.engine.ir.Aval;

/**
 * The CPU kernel of {@link FftPrims#FFT_P}: 1-D transforms ({@link Dft}) along each of the last
 * {@code k} axes in turn, in double precision, rounded to f32 once at the end (XLA's CPU runs
 * ducc in f32; our results are as close to exact, and within the tolerance docs/fft.md states).
 */
final class FftKernel {
  private FftKernel() {}

  static CpuBuffer apply(CpuBuffer in, int type, int[] lengths, Aval out) {
    int k = lengths.length;
    int[] inShape = in.aval().shape();
    int r = inShape.length;
    int batch = 1;
    for (int i = 0; i < r - k; i++) {
      batch *= inShape[i];
    }
    // the working shape [batch, n1, ..., nk] as complex doubles; RFFT/IRFFT's last axis is handled apart
    int[] full = new int[k + 1];
    full[0] = batch;
    System.arraycopy(lengths, 0, full, 1, k);
    int size = 1;
    for (int d : full) {
      size *= d;
    }
    double[] re = new double[size];
    double[] im = new double[size];
    float[] src = in.f32();
    int n = lengths[k - 1];
    switch (type) {
      case FftPrims.FFT, FftPrims.IFFT -> {
        for (int i = 0; i < size; i++) {
          re[i] = src[2 * i];
          im[i] = src[2 * i + 1];
        }
        for (int axis = 1; axis <= k; axis++) {
          along(re, im, full, axis, type == FftPrims.IFFT);
        }
        if (type == FftPrims.IFFT) {
          scale(re, im, 1.0 / (size / batch));
        }
        return new CpuBuffer(out, interleave(re, im, size));
      }
      case FftPrims.RFFT -> {
        for (int i = 0; i < size; i++) {
          re[i] = src[i];
        }
        along(re, im, full, k, false);
        // a real signal's bins 0 and n/2 are real: exactly, as pocketfft's r2c gives them (0, not 1e-16)
        for (int row = 0; row < size / n; row++) {
          im[row * n] = 0;
          if (n % 2 == 0) {
            im[row * n + n / 2] = 0;
          }
        }
        for (int axis = k - 1; axis >= 1; axis--) { // the other axes: complex transforms
          along(re, im, full, axis, false);
        }
        return new CpuBuffer(out, keepHalf(re, im, size / n, n));
      }
      default -> { // IRFFT: extend each last-axis row to its Hermitian n points, then inverse transforms
        int half = n / 2 + 1;
        int rows = size / n;
        for (int row = 0; row < rows; row++) {
          for (int j = 0; j < half; j++) {
            re[row * n + j] = src[2 * (row * half + j)];
            im[row * n + j] = src[2 * (row * half + j) + 1];
          }
        }
        // leading axes first (complex inverse on the kept bins), then the Hermitian extension
        for (int axis = 1; axis < k; axis++) {
          along(re, im, full, axis, true);
        }
        for (int row = 0; row < rows; row++) {
          int o = row * n;
          for (int j = half; j < n; j++) {
            re[o + j] = re[o + n - j];
            im[o + j] = -im[o + n - j];
          }
        }
        along(re, im, full, k, true);
        float[] result = new float[size];
        double s = 1.0 / (size / batch);
        for (int i = 0; i < size; i++) {
          result[i] = (float) (re[i] * s); // the real part: the imaginary parts of bin 0 and n/2 drop out
        }
        return new CpuBuffer(out, result);
      }
    }
  }

  /** Transforms every line of {@code shape} along {@code axis}. */
  private static void along(double[] re, double[] im, int[] shape, int axis, boolean inverse) {
    int len = shape[axis];
    int inner = 1;
    for (int i = axis + 1; i < shape.length; i++) {
      inner *= shape[i];
    }
    int outer = re.length / (len * inner);
    if (inner == 1) { // the last axis: rows are contiguous, transform each where it lies
      for (int o = 0; o < outer; o++) {
        Dft.transform(re, im, o * len, len, inverse);
      }
      return;
    }
    double[] lr = new double[len];
    double[] li = new double[len];
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < inner; in++) {
        int base = o * len * inner + in;
        for (int j = 0; j < len; j++) {
          lr[j] = re[base + j * inner];
          li[j] = im[base + j * inner];
        }
        Dft.transform(lr, li, inverse);
        for (int j = 0; j < len; j++) {
          re[base + j * inner] = lr[j];
          im[base + j * inner] = li[j];
        }
      }
    }
  }

  private static void scale(double[] re, double[] im, double s) {
    for (int i = 0; i < re.length; i++) {
      re[i] *= s;
      im[i] *= s;
    }
  }

  private static float[] interleave(double[] re, double[] im, int size) {
    float[] out = new float[2 * size];
    for (int i = 0; i < size; i++) {
      out[2 * i] = (float) re[i];
      out[2 * i + 1] = (float) im[i];
    }
    return out;
  }

  /** The first n/2+1 bins of each last-axis row of length n. */
  private static float[] keepHalf(double[] re, double[] im, int rows, int n) {
    int half = n / 2 + 1;
    float[] out = new float[2 * rows * half];
    for (int row = 0; row < rows; row++) {
      for (int j = 0; j < half; j++) {
        out[2 * (row * half + j)] = (float) re[row * n + j];
        out[2 * (row * half + j) + 1] = (float) im[row * n + j];
      }
    }
    return out;
  }
}
