package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ComplexVector}'s c64 mul, div, square and abs give the scalar kernels' bits
 * ({@link ComplexKernels#mul}, {@link ComplexKernels#square}, {@link ComplexMath#div},
 * {@link ComplexKernels#abs}, which the
 * JAX reference cases check) on every element: random operands mixed with the edge values
 * (signed zeros, infinities, NaN, subnormals, f32's extremes, values whose products overflow or
 * flush), dense and scalar operands, at offsets.
 */
class ComplexVectorTest {
  private static final float[] EDGES = {0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
      Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -3e-39f, Float.MIN_NORMAL, -Float.MIN_NORMAL,
      Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f, -1e30f, 3e38f, 1e-20f, -1e-20f, 1e19f, 2.5f, -2.5f, 1.1754944e-38f * 1.5f};
  private static final int N = 200_003; // not a multiple of the vector: the scalar tail runs too

  @Test
  void theVectorsRunHere() {
    assertTrue(ComplexKernels.VECTOR, "AVX2 and jdk.incubator.vector expected on the build machine;"
        + " without them this test compares nothing");
  }

  @Test
  void mulDivSquareAndAbsMatchTheScalarKernelsBitForBit() {
    Random rnd = new Random(20261128);
    float[] x = operands(rnd, 2 * N);
    float[] y = operands(rnd, 2 * N);
    float[] want = new float[2 * N];
    float[] got = new float[2 * N];
    for (int k = 0; k < N; k++) {
      ComplexKernels.mul(x[2 * k], x[2 * k + 1], y[2 * k], y[2 * k + 1], want, 2 * k);
    }
    fill(got, ComplexVector.mul(x, 0, 2, y, 0, 2, got, 0, N), (k, r) ->
        ComplexKernels.mul(x[2 * k], x[2 * k + 1], y[2 * k], y[2 * k + 1], r, 2 * k));
    same("mul", x, y, want, got);
    for (int k = 0; k < N; k++) {
      ComplexMath.div(x[2 * k], x[2 * k + 1], y[2 * k], y[2 * k + 1], want, 2 * k);
    }
    fill(got, ComplexVector.div(x, 0, 2, y, 0, 2, got, 0, N), (k, r) ->
        ComplexMath.div(x[2 * k], x[2 * k + 1], y[2 * k], y[2 * k + 1], r, 2 * k));
    same("div", x, y, want, got);
    for (int k = 0; k < N; k++) {
      ComplexKernels.square(x[2 * k], x[2 * k + 1], want, 2 * k);
    }
    fill(got, ComplexVector.square(x, 0, got, 0, N), (k, r) -> ComplexKernels.square(x[2 * k], x[2 * k + 1], r, 2 * k));
    same("square", x, y, want, got);
    float[] wantAbs = new float[N];
    float[] gotAbs = new float[N];
    for (int k = 0; k < N; k++) {
      wantAbs[k] = ComplexKernels.abs(x[2 * k], x[2 * k + 1]);
    }
    int done = ComplexVector.abs(x, gotAbs, N);
    assertTrue(done > N - 16, "the vector loop did " + done + " of " + N);
    for (int k = done; k < N; k++) {
      gotAbs[k] = ComplexKernels.abs(x[2 * k], x[2 * k + 1]);
    }
    same("abs", x, x, wantAbs, gotAbs);
  }

  /** Every edge value as a scalar divisor, multiplier and dividend, against dense operands read at an offset. */
  @Test
  void scalarOperandsAndOffsetsMatchTheScalarKernels() {
    Random rnd = new Random(7);
    int n = 4099;
    float[] x = operands(rnd, 2 * n + 6);
    for (float re : EDGES) {
      for (float im : new float[] {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, 1e-39f, -3.5f, 1e30f}) {
        float[] s = {re, im};
        float[] want = new float[2 * n + 4];
        float[] got = new float[2 * n + 4];
        for (int k = 0; k < n; k++) {
          ComplexMath.div(x[6 + 2 * k], x[7 + 2 * k], re, im, want, 4 + 2 * k);
        }
        for (int k = ComplexKernels.VECTOR ? ComplexVector.div(x, 6, 2, s, 0, 0, got, 4, n) : 0; k < n; k++) {
          ComplexMath.div(x[6 + 2 * k], x[7 + 2 * k], re, im, got, 4 + 2 * k);
        }
        same("div by (" + re + ", " + im + ")", x, s, want, got);
        for (int k = 0; k < n; k++) {
          ComplexMath.div(re, im, x[6 + 2 * k], x[7 + 2 * k], want, 4 + 2 * k);
        }
        ComplexKernels.divLoop(s, 0, 0, x, 6, 2, got, 4, n);
        same("(" + re + ", " + im + ") divided", s, x, want, got);
        for (int k = 0; k < n; k++) {
          ComplexKernels.mul(x[6 + 2 * k], x[7 + 2 * k], re, im, want, 4 + 2 * k);
        }
        ComplexKernels.mulLoop(x, 6, 2, s, 0, 0, got, 4, n);
        same("mul by (" + re + ", " + im + ")", x, s, want, got);
      }
    }
  }

  private interface Scalar {
    void apply(int k, float[] r);
  }

  private static void fill(float[] r, int done, Scalar tail) {
    assertTrue(done > N - 16, "the vector loop did " + done + " of " + N);
    for (int k = done; k < N; k++) {
      tail.apply(k, r);
    }
  }

  /** Bit for bit, every NaN one NaN (floatToIntBits, as the reference tests: neither Java nor XLA fixes a NaN's payload or sign). */
  private static void same(String what, float[] x, float[] y, float[] want, float[] got) {
    for (int i = 0; i < want.length; i++) {
      if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
        fail(what + ": float " + i + " of the result is " + got[i] + " (0x"
            + Integer.toHexString(Float.floatToRawIntBits(got[i])) + "), scalar kernel " + want[i] + " (0x"
            + Integer.toHexString(Float.floatToRawIntBits(want[i])) + ")");
      }
    }
  }

  /** Gaussian parts at random scales (products that overflow, underflow and flush), a quarter of them edge values. */
  private static float[] operands(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = switch (rnd.nextInt(8)) {
        case 0, 1 -> EDGES[rnd.nextInt(EDGES.length)];
        case 2 -> (float) (rnd.nextGaussian() * Math.pow(2, rnd.nextInt(270) - 150));
        case 3 -> Float.intBitsToFloat(rnd.nextInt()); // any bits: NaN payloads, subnormals, huge
        default -> (float) rnd.nextGaussian();
      };
    }
    return v;
  }
}
