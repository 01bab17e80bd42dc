package dev.statelens.engine.fft;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One radix-2 stage of {@link Dft} with the Vector API: the butterflies of consecutive k in
 * lanes, the same mul/sub/add per lane as the scalar loop (no FMA), so the bits are the scalar's.
 * Loaded only when {@code jdk.incubator.vector} is present.
 */
final class VectorButterflies {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  private VectorButterflies() {}

  static int lanes() {
    return SPECIES.length();
  }

  /** The stage of half-length {@code half} (a multiple of the lanes) over {@code [off, off+n)}. */
  static void stage(double[] re, double[] im, int off, int n, int half, double[] cos, double[] sin) {
    int lanes = SPECIES.length();
    int len = half << 1;
    for (int s = off; s < off + n; s += len) {
      for (int k = 0; k < half; k += lanes) {
        int a = s + k;
        int b = a + half;
        DoubleVector wr = DoubleVector.fromArray(SPECIES, cos, half + k);
        DoubleVector wi = DoubleVector.fromArray(SPECIES, sin, half + k);
        DoubleVector br = DoubleVector.fromArray(SPECIES, re, b);
        DoubleVector bi = DoubleVector.fromArray(SPECIES, im, b);
        DoubleVector ar = DoubleVector.fromArray(SPECIES, re, a);
        DoubleVector ai = DoubleVector.fromArray(SPECIES, im, a);
        DoubleVector xr = br.mul(wr).sub(bi.mul(wi));
        DoubleVector xi = br.mul(wi).add(bi.mul(wr));
        ar.sub(xr).intoArray(re, b);
        ai.sub(xi).intoArray(im, b);
        ar.add(xr).intoArray(re, a);
        ai.add(xi).intoArray(im, a);
      }
    }
  }
}
