package dev.statelens.engine.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lanes fold of two buffered sums with the Vector API: a four-lane double vector per sum is
 * exactly {@link Reductions}' lanes order (element k into lane k % 4, each lane a sequential
 * chain of IEEE adds), so the bits are the scalar fold's. Loaded only when
 * {@code jdk.incubator.vector} is present and four double lanes run in hardware.
 */
final class VectorLanes {
  private static final VectorSpecies<Double> FOUR = DoubleVector.SPECIES_256;

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
}
