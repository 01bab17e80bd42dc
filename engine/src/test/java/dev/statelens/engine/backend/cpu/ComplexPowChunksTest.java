package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ComplexPow}'s chunked c64 pow (XLA's exp and log a vector at a time between the C library
 * passes) gives {@link ComplexMath#pow}'s bits, one element at a time, which the JAX reference cases
 * check (complex/bits/pow): edge values in both operands (zeros, infinities, NaN, subnormals, 1,
 * values whose powers overflow or underflow), random ones, dense and scalar operands, at offsets,
 * lengths that end inside a chunk and inside a vector.
 */
class ComplexPowChunksTest {
  private static final float[] EDGES = {0f, -0f, 1f, -1f, 0.5f, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
      Float.NaN, Float.MIN_VALUE, -3e-39f, Float.MIN_NORMAL, Float.MAX_VALUE, 1e30f, -1e-20f, 88.7f, -104f, 3.5f};

  @Test
  void chunkedPowMatchesTheScalarPowBitForBit() {
    Random rnd = new Random(20261128);
    int n = 3 * ComplexPow.CHUNK + 13;
    for (int round = 0; round < 40; round++) {
      float[] x = operands(rnd, 2 * n + 4);
      float[] y = operands(rnd, 2 * n + 2);
      float[] want = new float[2 * n + 6];
      float[] got = new float[2 * n + 6];
      for (int k = 0; k < n; k++) {
        ComplexMath.pow(x[4 + 2 * k], x[5 + 2 * k], y[2 + 2 * k], y[3 + 2 * k], want, 6 + 2 * k);
      }
      ComplexKernels.powLoop(x, 4, 2, y, 2, 2, got, 6, n);
      same("dense", x, 4, 2, y, 2, 2, want, got, 6, n);
    }
  }

  /** Every pair of edge values as a scalar exponent and as a scalar base. */
  @Test
  void scalarOperandsMatchTheScalarPow() {
    Random rnd = new Random(7);
    int n = ComplexPow.CHUNK + 37;
    float[] x = operands(rnd, 2 * n);
    for (float re : EDGES) {
      for (float im : EDGES) {
        float[] s = {re, im};
        float[] want = new float[2 * n];
        float[] got = new float[2 * n];
        for (int k = 0; k < n; k++) {
          ComplexMath.pow(x[2 * k], x[2 * k + 1], re, im, want, 2 * k);
        }
        ComplexKernels.powLoop(x, 0, 2, s, 0, 0, got, 0, n);
        same("scalar exponent", x, 0, 2, s, 0, 0, want, got, 0, n);
        for (int k = 0; k < n; k++) {
          ComplexMath.pow(re, im, x[2 * k], x[2 * k + 1], want, 2 * k);
        }
        ComplexKernels.powLoop(s, 0, 0, x, 0, 2, got, 0, n);
        same("scalar base", s, 0, 0, x, 0, 2, want, got, 0, n);
      }
    }
  }

  private static void same(String what, float[] x, int xo, int xs, float[] y, int yo, int ys, float[] want, float[] got,
      int ro, int n) {
    for (int k = 0; k < n; k++) {
      for (int part = 0; part < 2; part++) {
        int i = ro + 2 * k + part;
        if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
          fail(what + ": (" + x[xo + k * xs] + ", " + x[xo + k * xs + 1] + ") ^ (" + y[yo + k * ys] + ", "
              + y[yo + k * ys + 1] + ") " + (part == 0 ? "re" : "im") + " is " + got[i] + ", one at a time " + want[i]);
        }
      }
    }
  }

  /** Mostly moderate random parts (powers that neither overflow nor vanish), one in six an edge value. */
  private static float[] operands(Random rnd, int len) {
    float[] v = new float[len];
    for (int i = 0; i < len; i++) {
      v[i] = rnd.nextInt(6) == 0 ? EDGES[rnd.nextInt(EDGES.length)] : (float) (rnd.nextGaussian() * 3);
    }
    return v;
  }
}
