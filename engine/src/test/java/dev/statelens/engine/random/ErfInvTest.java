package dev.statelens.engine.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ErfInv} against an independent high-precision reference ({@link ErfReference}). The
 * bit-exact evidence against JAX is in the normal() value tests; this bounds the approximation
 * error of XLA's polynomials over the whole domain, tails included.
 */
class ErfInvTest {

  /**
   * XLA evaluates {@code w = -log1p(-x * x)}: rounding {@code x * x} costs up to about one ulp
   * of {@code x} near |x| = 1, where erfinv is steep. So the allowed error is a few ulps of the
   * result plus what one ulp of input error causes, {@code erfinv'(x) * ulp(x)}; JAX has the
   * same error.
   */
  @Test
  void float32IsAccurateUpToTheConditioningOfItsInput() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 200; i++) {
      float x = (float) sample(random, i, 24);
      if (Math.abs(x) == 1f) {
        continue;
      }
      double exact = ErfReference.erfInv(x);
      double allowed = 4 * Math.ulp((float) exact) + derivative(exact) * Math.ulp(x);
      double error = Math.abs(ErfInv.erfInv(x) - exact);
      assertTrue(error <= allowed, "erfinv(" + x + "): error " + error + " > " + allowed);
    }
  }

  /**
   * As for float32, plus one quirk of XLA that JAX inherits: log1p uses Cephes' rational
   * approximation for all {@code |x| < sqrt(2) - 1}, but Cephes designed it for
   * {@code [sqrt(2)/2 - 1, sqrt(2) - 1]}; for arguments {@code -x^2} in
   * {@code (-(sqrt(2) - 1), sqrt(2)/2 - 1)} the float64 result drifts by up to about 20 ulps.
   */
  @Test
  void float64IsAccurateUpToTheConditioningOfItsInput() {
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 160; i++) {
      double x = sample(random, i, 52);
      if (Math.abs(x) == 1.0) {
        continue;
      }
      double exact = ErfReference.erfInv(x);
      boolean outsideCephesRange = x * x > 1 - Math.sqrt(0.5) && x * x < Math.sqrt(2) - 1;
      double allowed = (outsideCephesRange ? 32 : 4) * Math.ulp(exact) + derivative(exact) * Math.ulp(x);
      double error = Math.abs(ErfInv.erfInv(x) - exact);
      assertTrue(error <= allowed, "erfinv(" + x + "): error " + error + " > " + allowed);
    }
  }

  /** Uniform in (-1, 1) at even i; 1 - 2^-k with k up to maxBits (the tails) at odd i. */
  private static double sample(SplittableRandom random, int i, int maxBits) {
    double magnitude =
        i % 2 == 0 ? random.nextDouble() : 1 - Math.pow(2, -random.nextDouble(1, maxBits));
    return random.nextBoolean() ? magnitude : -magnitude;
  }

  /** d/dx erfinv(x) = sqrt(pi) / 2 * exp(erfinv(x)^2). */
  private static double derivative(double erfInv) {
    return Math.sqrt(Math.PI) / 2 * Math.exp(erfInv * erfInv);
  }

  @Test
  void specialValues() {
    assertEquals(0f, ErfInv.erfInv(0f));
    assertEquals(Float.POSITIVE_INFINITY, ErfInv.erfInv(1f));
    assertEquals(Float.NEGATIVE_INFINITY, ErfInv.erfInv(-1f));
    assertTrue(Float.isNaN(ErfInv.erfInv(1.5f)));
    assertTrue(Float.isNaN(ErfInv.erfInv(Float.NaN)));
    assertEquals(Double.POSITIVE_INFINITY, ErfInv.erfInv(1.0));
    assertEquals(Double.NEGATIVE_INFINITY, ErfInv.erfInv(-1.0));
    assertTrue(Double.isNaN(ErfInv.erfInv(-2.0)));
  }

  @Test
  void isOdd() {
    for (float x = -0.999f; x < 1f; x += 0.0137f) {
      assertEquals(-ErfInv.erfInv(x), ErfInv.erfInv(-x), 0f);
    }
  }

  @Test
  void bulkFormMatchesScalarForm() {
    float[] in = {-0.9f, -0.1f, 0f, 0.3f, 0.99999f};
    float[] out = new float[in.length];
    ErfInv.erfInv(in, out);
    for (int i = 0; i < in.length; i++) {
      assertEquals(ErfInv.erfInv(in[i]), out[i], 0f);
    }
  }
}
