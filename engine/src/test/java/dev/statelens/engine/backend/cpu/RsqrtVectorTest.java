package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RsqrtVector} gives the scalar {@code (float) (1 / Math.sqrt(x))} bits on every lane: zeros
 * of both signs, negatives (NaN), infinities, NaN, subnormals, f32's extremes and random magnitudes,
 * read at an offset (a leaf in place) and written at another.
 */
class RsqrtVectorTest {
  private static final float[] EDGES = {0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
      Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, Float.MAX_VALUE, 4f, 0.25f, 3e-39f, 1e30f, -1e-30f};

  @Test
  void vectorRsqrtMatchesTheScalarLoopBitForBit() {
    assertTrue(FusedElementwise.VECTOR, "AVX2 and jdk.incubator.vector expected on the build machine;"
        + " without them this test compares nothing");
    Random rnd = new Random(28);
    int n = 100_003;
    float[] a = new float[n + 5];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextInt(5) == 0 ? EDGES[rnd.nextInt(EDGES.length)]
          : (float) (Math.abs(rnd.nextGaussian()) * Math.exp(rnd.nextGaussian() * 20));
    }
    float[] r = new float[n + 3];
    int done = RsqrtVector.rsqrt(a, 5, r, 3, n);
    assertTrue(done > n - 4, "the vector loop did " + done + " of " + n);
    for (int j = 0; j < done; j++) {
      float want = (float) (1 / Math.sqrt(a[5 + j]));
      if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(r[3 + j])) {
        fail("rsqrt(" + a[5 + j] + ") is " + r[3 + j] + ", the scalar loop's " + want);
      }
    }
  }
}
