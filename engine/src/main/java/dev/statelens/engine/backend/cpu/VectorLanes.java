package dev.statelens.engine.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lanes fold of two buffered sums with the Vector API: a four-lane double vector per sum is
 * exactly {@link Reductions}' lanes order (element k into lane k % 4, each lane a sequential
 * chain of IEEE adds), so the bits are the scalar fold's. Loaded only when
 * {@code jdk.incubator.vector} is present and four double lanes run in hardware.
 */
final class VectorLanes {
  private static final VectorSpecies<Double> FOUR = DoubleVector.SPECIES_256;
  private static final VectorSpecies<Float> FOUR_FLOATS = FloatVector.SPECIES_128;

  private VectorLanes() {}

  /** True when 256-bit double vectors are intrinsified here (AVX2 and wider). */
  static boolean available() {
    return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
  }

  /** As {@link Reductions#sumLanesPair}: returns {@code a}'s sum, leaves {@code b}'s in {@code b[0]}. */
  static double sumPair(double[] a, double[] b, int to) {
    DoubleVector va = DoubleVector.zero(FOUR);
    DoubleVector vb = DoubleVector.zero(FOUR);
    int i = 0;
    for (; i + 3 < to; i += 4) {
      va = va.add(DoubleVector.fromArray(FOUR, a, i));
      vb = vb.add(DoubleVector.fromArray(FOUR, b, i));
    }
    double a0 = va.lane(0);
    double a1 = va.lane(1);
    double a2 = va.lane(2);
    double a3 = va.lane(3);
    double b0 = vb.lane(0);
    double b1 = vb.lane(1);
    double b2 = vb.lane(2);
    double b3 = vb.lane(3);
    if (i < to) {
      a0 += a[i];
      b0 += b[i];
    }
    if (i + 1 < to) {
      a1 += a[i + 1];
      b1 += b[i + 1];
    }
    if (i + 2 < to) {
      a2 += a[i + 2];
      b2 += b[i + 2];
    }
    b[0] = (b0 + b1) + (b2 + b3);
    return (a0 + a1) + (a2 + a3);
  }

  /**
   * A max or min segment in {@link Reductions}' lanes order (element {@code from + k} into lane
   * {@code k % 4}, then {@code (a0 . a1) . (a2 . a3)}): the vector MAX/MIN is {@code Math.max/min}
   * lane by lane, so the scalar fold's bits, without its branches (a 32-wide softmax row of random
   * logits mispredicted about every other compare: ~3 ns an element) — except which NaN it keeps
   * when there are two, so a NaN result is folded again by the caller's scalar loop.
   */
  static double maxMin(boolean max, float[] f, int from, int to) {
    VectorOperators.Binary op = max ? VectorOperators.MAX : VectorOperators.MIN;
    float init = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    FloatVector v = FloatVector.broadcast(FOUR_FLOATS, init);
    int i = from;
    for (; i + 3 < to; i += 4) {
      v = v.lanewise(op, FloatVector.fromArray(FOUR_FLOATS, f, i));
    }
    double a0 = v.lane(0);
    double a1 = v.lane(1);
    double a2 = v.lane(2);
    double a3 = v.lane(3);
    return tail(max, a0, a1, a2, a3, i < to ? f[i] : init, i + 1 < to ? f[i + 1] : init, i + 2 < to ? f[i + 2] : init);
  }

  /** {@link #maxMin(boolean, float[], int, int)} on doubles (generated code's buffered terms). */
  static double maxMin(boolean max, double[] d, int from, int to) {
    VectorOperators.Binary op = max ? VectorOperators.MAX : VectorOperators.MIN;
    double init = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    DoubleVector v = DoubleVector.broadcast(FOUR, init);
    int i = from;
    for (; i + 3 < to; i += 4) {
      v = v.lanewise(op, DoubleVector.fromArray(FOUR, d, i));
    }
    return tail(max, v.lane(0), v.lane(1), v.lane(2), v.lane(3), i < to ? d[i] : init, i + 1 < to ? d[i + 1] : init,
        i + 2 < to ? d[i + 2] : init);
  }

  /** The last one to three elements into lanes 0-2 (an absent one is the fold's identity), then the lanes. */
  private static double tail(boolean max, double a0, double a1, double a2, double a3, double t0, double t1, double t2) {
    if (max) {
      return Math.max(Math.max(Math.max(a0, t0), Math.max(a1, t1)), Math.max(Math.max(a2, t2), a3));
    }
    return Math.min(Math.min(Math.min(a0, t0), Math.min(a1, t1)), Math.min(Math.min(a2, t2), a3));
  }
}
