package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;

/**
 * {@code jnp.max/min} of c64 ({@code reduce_max/min}) in XLA CPU's fold order, so that results
 * with NaN parts are real JAX 0.10.2's. XLA's complex max is {@code acc > x ? acc : x}
 * (min: {@code <}), lexicographic (real part, then imaginary); a comparison with a NaN part is
 * false, so the fold moves on to {@code x}, and which element wins depends on the order.
 *
 * <p>The order is XLA's tree reduction ({@link ComplexReduceTree}), each fold starting from
 * {@code -inf+0j} ({@code +inf+0j}). Checked against real JAX on 33 to 5000 elements, several axes
 * ({@code complexorder/} reference cases).
 *
 * <p>{@code cummax/cummin} of c64 ({@link #cumulative}) follow XLA's order for them: JAX lowers a
 * cumulative extremum to a reduce-window whose output {@code i} folds, from the initial value and
 * front to back, the elements {@code 0..i} ({@code i..n-1} when reversed: a reversed scan folds
 * each suffix forwards too), and past 16 elements XLA's reduce-window rewriter
 * turns that into a tree ({@link ComplexScanTree}).
 */
final class ComplexExtrema {
  private ComplexExtrema() {}

  static CpuBuffer[] reduce(Params p, CpuBuffer in, Aval out, boolean max) {
    ComplexScanTree.Fold step = (aRe, aIm, bRe, bIm, r, i) -> {
      if (!keeps(aRe, aIm, bRe, bIm, max)) {
        r[i] = bRe;
        r[i + 1] = bIm;
      }
    };
    float init = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    return new CpuBuffer[] {new CpuBuffer(out, ComplexReduceTree.reduce(p, in, out, step, init, 0f))};
  }

  /** {@code cummax/cummin} of c64 along {@code p}'s axis, each line in XLA's order ({@link ComplexScanTree}). */
  static CpuBuffer[] cumulative(Params p, CpuBuffer in, Aval out, boolean max) {
    ComplexScanTree.Fold f = (aRe, aIm, bRe, bIm, r, i) -> {
      boolean keep = keeps(aRe, aIm, bRe, bIm, max);
      r[i] = keep ? aRe : bRe;
      r[i + 1] = keep ? aIm : bIm;
    };
    float init = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    return new CpuBuffer[] {new CpuBuffer(out, ComplexScanTree.scanLines(p, in, f, init, 0f))};
  }

  /** XLA's complex max {@code a > b ? a : b} (min: {@code <}) keeps {@code a}: false when a part is NaN. */
  private static boolean keeps(float aRe, float aIm, float bRe, float bIm, boolean max) {
    return max ? aRe > bRe || (aRe == bRe && aIm > bIm) : aRe < bRe || (aRe == bRe && aIm < bIm);
  }
}
