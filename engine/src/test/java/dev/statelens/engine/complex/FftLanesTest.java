package dev.statelens.engine.complex;

import static dev.statelens.engine.complex.ComplexTest.pairs;
import static dev.statelens.engine.complex.FftTest.maxAbs;
import static dev.statelens.engine.complex.FftTest.naiveDft;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fft;
import dev.statelens.engine.Random;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The batch kernel (fft/LaneRows, LanePlan): rows and columns transformed several at a time, one
 * per vector lane, in full and partial lane groups, against a naive DFT at lengths through each of
 * its passes (radix 3, 4, 2, 5, 7 and their mixes); and a row's bits do not depend on where it
 * sits in the batch (the spare lanes of a partial group are zeros, not a different kernel).
 */
class FftLanesTest {
  /** 3, 7: one pass; 4: radix 4; 20 = 4 * 5; 98 = 2 * 7 * 7; 125 = 5^3; 1000 = 4 * 2 * 5^3, its first pass over the whole row, then blocks. */
  private static final int[] LENGTHS = {3, 4, 7, 20, 98, 125, 1000};
  /** One full group of four lanes and a partial group (with eight lanes, one partial group). */
  private static final int ROWS = 6;

  private static Array normal(int seed, int... shape) {
    return Random.normal(Random.key(seed), shape, DType.F32);
  }

  private static float[] part(float[] a, int index, int length) {
    return Arrays.copyOfRange(a, index * length, (index + 1) * length);
  }

  @Test
  void batchedRowsMatchTheNaiveDft() {
    for (int n : LENGTHS) {
      Array re = normal(n, ROWS, n);
      Array im = normal(n + 1, ROWS, n);
      float[] fft = pairs(Fft.fft(Array.complex(re, im)));
      float[] ifft = pairs(Fft.ifft(Array.complex(re, im)));
      float[] rfft = pairs(Fft.rfft(re));
      float[] back = Fft.irfft(Fft.rfft(re), n, -1, null).toFloatArray();
      int bins = n / 2 + 1;
      float log = (float) Math.log(n);
      for (int r = 0; r < ROWS; r++) {
        float[] xr = part(re.toFloatArray(), r, n);
        float[] xi = part(im.toFloatArray(), r, n);
        float[] want = naiveDft(xr, xi, false);
        float tol = 2e-6f * maxAbs(want) * log;
        assertArrayEquals(want, part(fft, r, 2 * n), tol, "fft n=" + n + " row " + r);
        assertArrayEquals(naiveDft(xr, xi, true), part(ifft, r, 2 * n), tol / n + 1e-7f, "ifft n=" + n + " row " + r);
        float[] wantReal = Arrays.copyOf(naiveDft(xr, new float[n], false), 2 * bins);
        assertArrayEquals(wantReal, part(rfft, r, 2 * bins), 2e-6f * maxAbs(wantReal) * log, "rfft n=" + n + " row " + r);
        assertArrayEquals(xr, part(back, r, n), 2e-6f * maxAbs(xr), "irfft(rfft) n=" + n + " row " + r);
      }
    }
  }

  /** fft2/ifft2/rfft2/irfft2: the first axis runs over columns, four neighbours at a time. */
  @Test
  void columnsOfTwoDimensionalTransformsMatchTheNaiveDft() {
    for (int[] shape : new int[][] {{20, 6}, {98, 5}, {125, 12}, {8, 1000}}) {
      int n1 = shape[0];
      int n2 = shape[1];
      Array re = normal(n1 * 7 + n2, n1, n2);
      Array im = normal(n1 * 7 + n2 + 1, n1, n2);
      float[] xr = re.toFloatArray();
      float[] xi = im.toFloatArray();
      float[] want = naive2d(xr, xi, n1, n2, false);
      float tol = 2e-6f * maxAbs(want) * (float) Math.log(n1 * n2);
      String name = Arrays.toString(shape);
      assertArrayEquals(want, pairs(Fft.fft2(Array.complex(re, im))), tol, "fft2 " + name);
      assertArrayEquals(naive2d(xr, xi, n1, n2, true), pairs(Fft.ifft2(Array.complex(re, im))), tol / (n1 * n2) + 1e-7f,
          "ifft2 " + name);
      int bins = n2 / 2 + 1;
      float[] wantReal = naive2d(xr, new float[xr.length], n1, n2, false);
      float[] kept = new float[2 * n1 * bins];
      for (int j = 0; j < n1; j++) {
        System.arraycopy(wantReal, 2 * j * n2, kept, 2 * j * bins, 2 * bins);
      }
      assertArrayEquals(kept, pairs(Fft.rfft2(re)), tol, "rfft2 " + name);
      assertArrayEquals(xr, Fft.irfft2(Fft.rfft2(re), shape, null, null).toFloatArray(), 2e-6f * maxAbs(xr), "irfft2 " + name);
    }
  }

  @Test
  void aRowGetsTheSameBitsWhereverItSitsInTheBatch() {
    int rows = 9; // two full groups of four and one lane of a third
    for (int n : new int[] {7, 64, 1000}) {
      Array re = normal(3 * n, rows, n);
      Array z = Array.complex(re, normal(3 * n + 1, rows, n));
      float[] fft = pairs(Fft.fft(z));
      float[] rfft = pairs(Fft.rfft(re));
      float[] irfft = Fft.irfft(Fft.rfft(re), n, -1, null).toFloatArray();
      int bins = n / 2 + 1;
      for (int r = 0; r < rows; r++) {
        Array row = re.sliceAxis(0, r, r + 1);
        assertArrayEquals(part(fft, r, 2 * n), pairs(Fft.fft(z.sliceAxis(0, r, r + 1))), "fft n=" + n + " row " + r);
        assertArrayEquals(part(rfft, r, 2 * bins), pairs(Fft.rfft(row)), "rfft n=" + n + " row " + r);
        assertArrayEquals(part(irfft, r, n), Fft.irfft(Fft.rfft(row), n, -1, null).toFloatArray(), "irfft n=" + n + " row " + r);
      }
    }
  }

  /** The 2-D DFT in double (rows, then columns), as interleaved pairs; the inverse divides by n1 n2. */
  private static float[] naive2d(float[] re, float[] im, int n1, int n2, boolean inverse) {
    double sign = inverse ? 2 : -2;
    double[] tr = new double[n1 * n2];
    double[] ti = new double[n1 * n2];
    for (int a = 0; a < n1; a++) {
      for (int k = 0; k < n2; k++) {
        double sr = 0;
        double si = 0;
        for (int j = 0; j < n2; j++) {
          double ang = sign * Math.PI * ((long) j * k % n2) / n2;
          double xr = re[a * n2 + j];
          double xi = im[a * n2 + j];
          sr += xr * Math.cos(ang) - xi * Math.sin(ang);
          si += xr * Math.sin(ang) + xi * Math.cos(ang);
        }
        tr[a * n2 + k] = sr;
        ti[a * n2 + k] = si;
      }
    }
    float[] out = new float[2 * n1 * n2];
    double scale = inverse ? 1.0 / (n1 * n2) : 1;
    for (int c = 0; c < n2; c++) {
      for (int k = 0; k < n1; k++) {
        double sr = 0;
        double si = 0;
        for (int j = 0; j < n1; j++) {
          double ang = sign * Math.PI * ((long) j * k % n1) / n1;
          double xr = tr[j * n2 + c];
          double xi = ti[j * n2 + c];
          sr += xr * Math.cos(ang) - xi * Math.sin(ang);
          si += xr * Math.sin(ang) + xi * Math.cos(ang);
        }
        out[2 * (k * n2 + c)] = (float) (sr * scale);
        out[2 * (k * n2 + c) + 1] = (float) (si * scale);
      }
    }
    return out;
  }
}
