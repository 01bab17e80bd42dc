package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.backend.cpu.FusedElementwise.Comparison;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Compare and select on {@link FusedElementwise}'s double registers with the Vector API: a lane
 * compare gives a mask, a blend picks each lane's bits from one operand, so results are exactly
 * the scalar loops' (IEEE comparisons, NaN unordered; the chosen operand's NaN payload and zero
 * sign kept). Each method does the whole vectors of {@code [0, len)} and returns where it stopped;
 * the caller finishes the tail with the scalar loop. Loaded only when {@code jdk.incubator.vector}
 * is present.
 */
final class VectorSelect {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  private VectorSelect() {}

  /** Lanes of the preferred f32 species (generated fused loops step by it). */
  static int f32Lanes() {
    return F.length();
  }

  /** True when at least four double lanes are intrinsified (AVX2 and wider). */
  static boolean available() {
    return S.vectorBitSize() >= 256;
  }

  private static VectorMask<Double> compare(Comparison c, DoubleVector a, DoubleVector b) {
    return switch (c) {
      case EQ -> a.compare(VectorOperators.EQ, b);
      case NE -> a.compare(VectorOperators.EQ, b).not(); // NaN != x is true, as Java's !=
      case LT -> a.compare(VectorOperators.LT, b);
      case LE -> a.compare(VectorOperators.LE, b);
      case GT -> a.compare(VectorOperators.GT, b);
      case GE -> a.compare(VectorOperators.GE, b);
    };
  }

  /** {@code r = (a c b) ? c1 : c0}: the comparison never leaves the vector registers. */
  static int compareSelect(Comparison c, double[] r, double[] a, double[] b, double[] c0, double[] c1, int len) {
    int step = S.length();
    int j = 0;
    for (; j + step <= len; j += step) {
      VectorMask<Double> m = compare(c, DoubleVector.fromArray(S, a, j), DoubleVector.fromArray(S, b, j));
      DoubleVector.fromArray(S, c0, j).blend(DoubleVector.fromArray(S, c1, j), m).intoArray(r, j);
    }
    return j;
  }

  /** {@code r = (a c b) ? 1 : 0}. */
  static int compare(Comparison c, double[] r, double[] a, double[] b, int len) {
    int step = S.length();
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector one = DoubleVector.broadcast(S, 1.0);
    int j = 0;
    for (; j + step <= len; j += step) {
      VectorMask<Double> m = compare(c, DoubleVector.fromArray(S, a, j), DoubleVector.fromArray(S, b, j));
      zero.blend(one, m).intoArray(r, j);
    }
    return j;
  }

  /** {@code r = p != 0 ? c1 : c0} for a 0/1 predicate register. */
  static int select(double[] r, double[] p, double[] c0, double[] c1, int len) {
    int step = S.length();
    int j = 0;
    for (; j + step <= len; j += step) {
      VectorMask<Double> m = DoubleVector.fromArray(S, p, j).compare(VectorOperators.NE, 0.0);
      DoubleVector.fromArray(S, c0, j).blend(DoubleVector.fromArray(S, c1, j), m).intoArray(r, j);
    }
    return j;
  }

  /**
   * {@code r = p != 0 ? c1 : c0} on {@link FusedF32Lanes}' f32 registers: the scalar loop's
   * float-to-int mask was not vectorized (a causal mask's select cost ~2 ns an element).
   */
  static int select(float[] r, float[] p, float[] c0, float[] c1, int len) {
    int step = F.length();
    int j = 0;
    for (; j + step <= len; j += step) {
      VectorMask<Float> m = FloatVector.fromArray(F, p, j).compare(VectorOperators.NE, 0f);
      FloatVector.fromArray(F, c0, j).blend(FloatVector.fromArray(F, c1, j), m).intoArray(r, j);
    }
    return j;
  }
}
