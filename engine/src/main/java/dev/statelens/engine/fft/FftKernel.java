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
    float[] src = in.f32();
    int n = lengths[k - 1];
    switch (type) {
      case FftPrims.FFT, FftPrims.IFFT -> {
        boolean inverse = type == FftPrims.IFFT;
        LanePlan plan = Dft.lanePlan(n);
        if (k == 1 && plan != null) { // straight from the c64 input to the c64 output, rows in lanes
          float[] result = new float[2 * size];
          LaneRows.complexRows(src, result, size / n, n, inverse, inverse ? 1.0 / n : 1.0, plan);
          return new CpuBuffer(out, result);
        }
        double[] re = new double[size];
        double[] im = new double[size];
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
      case FftPrims.RFFT -> { // the last axis real-to-complex, then the other axes on the kept bins only
        int rows = size / n;
        int bins = n / 2 + 1;
        LanePlan half = n % 2 == 0 ? Dft.lanePlan(n / 2) : null;
        if (k == 1 && half != null) {
          float[] result = new float[2 * rows * bins];
          LaneRows.realRows(src, rows, n, result, null, null, half);
          return new CpuBuffer(out, result);
        }
        double[] hr = new double[rows * bins];
        double[] hi = new double[rows * bins];
        if (half != null) {
          LaneRows.realRows(src, rows, n, null, hr, hi, half);
        } else {
          RealDft.forward(src, hr, hi, rows, n);
        }
        int[] kept = full.clone();
        kept[k] = bins;
        for (int axis = k - 1; axis >= 1; axis--) {
          along(hr, hi, kept, axis, false);
        }
        return new CpuBuffer(out, interleave(hr, hi, rows * bins));
      }
      default -> { // IRFFT: the leading axes' inverses on the kept bins, then complex-to-real rows
        int rows = size / n;
        int bins = n / 2 + 1;
        LanePlan half = n % 2 == 0 ? Dft.lanePlan(n / 2) : null;
        float[] result = new float[size];
        if (k == 1 && half != null) {
          LaneRows.realInverseRows(src, null, null, result, rows, n, 1.0 / n, half);
          return new CpuBuffer(out, result);
        }
        double[] hr = new double[rows * bins];
        double[] hi = new double[rows * bins];
        for (int i = 0; i < rows * bins; i++) {
          hr[i] = src[2 * i];
          hi[i] = src[2 * i + 1];
        }
        int[] kept = full.clone();
        kept[k] = bins;
        for (int axis = 1; axis < k; axis++) {
          along(hr, hi, kept, axis, true);
        }
        if (half != null) {
          LaneRows.realInverseRows(null, hr, hi, result, rows, n, 1.0 / (size / batch), half);
        } else {
          RealDft.inverse(hr, hi, result, rows, n, 1.0 / (size / batch));
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
    LanePlan plan = Dft.lanePlan(len);
    if (plan != null) {
      if (inner == 1) {
        LaneRows.complexRows(re, im, outer, len, inverse, plan);
      } else {
        LaneRows.complexColumns(re, im, outer, len, inner, inverse, plan);
      }
      return;
    }
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
}
