package dev.statelens.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * c64 multiply, divide, square and abs on the Vector API, on interleaved (re, im) f32 pairs as they lie
 * in a buffer: no deinterleaving. A vector holds {@code S.length() / 2} complex numbers; the other
 * part of each pair comes from a one-vector permute ({@link #SWAP}: (b, a); {@link #EVEN}/{@link #ODD}:
 * (a, a)/(b, b)), and an even-lane sign flip turns the one formula of both lanes into XLA's two.
 * Lane for lane these are {@link ComplexKernels#mul}, {@link ComplexKernels#square} and
 * {@link ComplexMath#div}: the same products, the same FMAs ({@code lanewise(FMA)} rounds once, as
 * {@code Math.fma}), the same flushes; a vector where a quotient needs C99 Annex G's repair is
 * redone by the scalar {@link ComplexMath#div}. {@code ComplexVectorTest} compares them bit for bit.
 *
 * <p>Each method does the whole vectors of {@code len} complex elements and returns how many it
 * did; the caller finishes with the scalar formula. An operand's step is {@code 2} per element
 * (dense) or {@code 0} (one complex scalar, repeated). Loaded only when {@code jdk.incubator.vector}
 * is present ({@link ComplexKernels#VECTOR}).
 */
final class ComplexVector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** Complex elements per vector. */
  private static final int PAIRS = S.length() / 2;
  private static final VectorShuffle<Float> SWAP = VectorShuffle.fromOp(S, i -> i ^ 1);
  private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> i & ~1);
  private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> i | 1);
  /** Lanes of the real parts. */
  private static final VectorMask<Float> RE = VectorMask.fromArray(S, evenLanes(), 0);
  /** The sign bit in the real lanes (XOR flips the real parts' signs), and in the imaginary ones. */
  private static final IntVector NEG_RE = FloatVector.zero(S).blend(-0f, RE).reinterpretAsInts();
  private static final IntVector NEG_IM = FloatVector.zero(S).blend(-0f, RE.not()).reinterpretAsInts();

  private ComplexVector() {}

  private static boolean[] evenLanes() {
    boolean[] even = new boolean[S.length()];
    for (int j = 0; j < even.length; j += 2) {
      even[j] = true;
    }
    return even;
  }

  /** {@code v} with the sign bits of {@code signs} flipped. */
  private static FloatVector flipSigns(FloatVector v, IntVector signs) {
    return v.reinterpretAsInts().lanewise(VectorOperators.XOR, signs).reinterpretAsFloats();
  }

  /** True when at least eight float lanes are intrinsified (AVX2 and wider). */
  static boolean available() {
    return S.vectorBitSize() >= 256;
  }

  /** Operand {@code x} at element {@code k}: dense ({@code step 2}) or one scalar repeated ({@code step 0}). */
  private static FloatVector load(float[] x, int xo, int step, int k, float[] scalar) {
    return step == 0 ? FloatVector.fromArray(S, scalar, 0) : flush(FloatVector.fromArray(S, x, xo + 2 * k));
  }

  /** A vector of {@code x[xo], x[xo + 1]} repeated, flushed; null for a dense operand. */
  private static float[] scalar(float[] x, int xo, int step) {
    if (step != 0) {
      return null;
    }
    float[] s = new float[S.length()];
    for (int j = 0; j < s.length; j += 2) {
      s[j] = ComplexMath.flush(x[xo]);
      s[j + 1] = ComplexMath.flush(x[xo + 1]);
    }
    return s;
  }

  /**
   * {@link ComplexKernels#mul}: {@code re = fma(a, c, -(bd))}, {@code im = fma(b, c, ad)}; with
   * {@code x = (a, b)}, both lanes are {@code fma(x, (c, c), ±flush((b, a) * (d, d)))}.
   */
  static int mul(float[] x, int xo, int xs, float[] y, int yo, int ys, float[] r, int ro, int len) {
    float[] xScalar = scalar(x, xo, xs);
    float[] yScalar = scalar(y, yo, ys);
    int k = 0;
    for (; k + PAIRS <= len; k += PAIRS) {
      FloatVector a = load(x, xo, xs, k, xScalar);
      FloatVector c = load(y, yo, ys, k, yScalar);
      FloatVector cross = flush(a.rearrange(SWAP).mul(c.rearrange(ODD)));
      cross = flipSigns(cross, NEG_RE);
      flush(a.lanewise(VectorOperators.FMA, c.rearrange(EVEN), cross)).intoArray(r, ro + 2 * k);
    }
    return k;
  }

  /**
   * {@link ComplexKernels#square}: {@code re = (a - b)(a + b)} (+0 where {@code |a| = |b|} and a is
   * finite), {@code im = (ab) * 2}, computed in all lanes from {@code (a, a)} and {@code (b, b)} and
   * blended.
   */
  static int square(float[] x, int xo, float[] r, int ro, int len) {
    int k = 0;
    for (; k + PAIRS <= len; k += PAIRS) {
      FloatVector z = flush(FloatVector.fromArray(S, x, xo + 2 * k));
      FloatVector a = z.rearrange(EVEN);
      FloatVector b = z.rearrange(ODD);
      FloatVector re = flush(flush(a.sub(b)).mul(flush(a.add(b))));
      // |a| < inf is Float.isFinite(a) (false for NaN); compares are intrinsics where test(IS_FINITE) is not
      VectorMask<Float> zero = a.abs().compare(VectorOperators.EQ, b.abs())
          .and(a.abs().compare(VectorOperators.LT, Float.POSITIVE_INFINITY));
      re = re.blend(0f, zero);
      FloatVector im = flush(flush(a.mul(b)).mul(2f));
      im.blend(re, RE).intoArray(r, ro + 2 * k);
    }
    return k;
  }

  /**
   * {@link ComplexMath#div}'s Smith quotient: with {@code p, q} the divisor's smaller and larger part
   * ({@code c, d} or {@code d, c}), {@code ratio = p / q}, {@code den = fma(p, ratio, q)}, and the
   * numerators {@code fma(x, ratio, (b, -a))} or {@code fma((b, -a), ratio, x)} by branch. A vector
   * with a (NaN, NaN) quotient is redone by the scalar kernel (its Annex G repairs).
   */
  static int div(float[] x, int xo, int xs, float[] y, int yo, int ys, float[] r, int ro, int len) {
    float[] xScalar = scalar(x, xo, xs);
    float[] yScalar = scalar(y, yo, ys);
    int k = 0;
    for (; k + PAIRS <= len; k += PAIRS) {
      FloatVector z = load(x, xo, xs, k, xScalar);
      FloatVector w = load(y, yo, ys, k, yScalar);
      FloatVector c = w.rearrange(EVEN);
      FloatVector d = w.rearrange(ODD);
      VectorMask<Float> dLarger = c.abs().compare(VectorOperators.LT, d.abs());
      FloatVector p = d.blend(c, dLarger);
      FloatVector q = c.blend(d, dLarger);
      FloatVector ratio = flush(p.div(q));
      FloatVector den = flush(p.lanewise(VectorOperators.FMA, ratio, q));
      FloatVector swapped = flipSigns(z.rearrange(SWAP), NEG_IM); // (b, -a)
      FloatVector m1 = swapped.blend(z, dLarger);
      FloatVector m3 = z.blend(swapped, dLarger);
      FloatVector quotient = m1.lanewise(VectorOperators.FMA, ratio, m3).div(den);
      // a NaN anywhere: the scalar kernel decides (Annex G repairs a pair with both parts NaN)
      if (quotient.compare(VectorOperators.NE, quotient).anyTrue()) {
        for (int j = k; j < k + PAIRS; j++) {
          int xj = xo + (xs == 0 ? 0 : 2 * j);
          int yj = yo + (ys == 0 ? 0 : 2 * j);
          ComplexMath.div(x[xj], x[xj + 1], y[yj], y[yj + 1], r, ro + 2 * j);
        }
        continue;
      }
      flush(quotient).intoArray(r, ro + 2 * k);
    }
    return k;
  }

  private static final VectorShuffle<Float> REAL_PARTS = VectorShuffle.fromOp(S, i -> 2 * i);
  private static final VectorShuffle<Float> IMAG_PARTS = VectorShuffle.fromOp(S, i -> 2 * i + 1);

  /**
   * {@link ComplexKernels#abs} of {@code x}'s first {@code len} elements into {@code r}: two vectors
   * of pairs split into a vector of real parts and one of imaginary parts (a two-vector permute),
   * then XLA's {@code max * sqrt(fma(q, q, 1))} lane by lane (the vector MAX/MIN are Math.max/min).
   */
  static int abs(float[] x, float[] r, int len) {
    int n = S.length();
    int k = 0;
    for (; k + n <= len; k += n) {
      FloatVector v0 = FloatVector.fromArray(S, x, 2 * k);
      FloatVector v1 = FloatVector.fromArray(S, x, 2 * k + n);
      FloatVector a = flush(v0.rearrange(REAL_PARTS, v1)).abs();
      FloatVector b = flush(v0.rearrange(IMAG_PARTS, v1)).abs();
      FloatVector hi = a.max(b);
      FloatVector lo = a.min(b);
      FloatVector q = flush(lo.div(hi));
      FloatVector m = flush(hi.mul(q.lanewise(VectorOperators.FMA, q, 1f).sqrt()));
      m.blend(lo, m.compare(VectorOperators.NE, m)).intoArray(r, k);
    }
    return k;
  }

  /** Subnormal lanes to zero of their sign (XLA's FTZ/DAZ, {@link ComplexMath#flush}). */
  private static FloatVector flush(FloatVector v) {
    FloatVector signedZero = v.reinterpretAsInts().and(0x80000000).reinterpretAsFloats();
    return v.blend(signedZero, v.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
  }
}
