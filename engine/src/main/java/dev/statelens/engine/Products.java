package dev.statelens.engine;

import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.Arrays;

/**
 * {@code jnp.prod}: the product over some axes. Real dtypes compute it as the last running
 * product ({@code cumprod}), exact in order, whose gradient is exact with zeros like JAX's
 * {@code reduce_prod}. complex64 is the {@code reduce_prod} primitive, folded in XLA CPU's order
 * (windows of 32 past 32 elements), so that its rounding is JAX's; its gradient is the running
 * product's.
 */
public final class Products {
  private Products() {}

  /** The product of {@code x} over the sorted, normalised {@code axes}; bool already converted. */
  static Array prod(Array x, int[] axes) {
    if (x.dtype().isComplex()) {
      return Prims.REDUCE_PROD.bind1(Params.of("axes", axes), x);
    }
    return lastRunningProduct(x, axes);
  }

  /**
   * The product over the sorted {@code axes} as the last element of a {@code cumprod} along those
   * axes moved last and flattened: the in-order product, and {@code reduce_prod}'s gradient.
   */
  public static Array lastRunningProduct(Array x, int[] axes) {
    int rank = x.ndim();
    int[] kept = new int[rank - axes.length];
    int[] perm = new int[rank];
    int k = 0;
    for (int d = 0; d < rank; d++) {
      if (Arrays.binarySearch(axes, d) < 0) {
        kept[k] = x.aval().dim(d);
        perm[k++] = d;
      }
    }
    int r = 1;
    for (int a : axes) {
      r *= x.aval().dim(a);
      perm[k++] = a;
    }
    if (r == 0) {
      return Array.full(x.dtype(), kept, 1);
    }
    int[] lineShape = Arrays.copyOf(kept, kept.length + 1);
    lineShape[kept.length] = r;
    Array lines = x.transpose(perm).reshape(lineShape);
    return lines.cumprod(kept.length).sliceAxis(kept.length, r - 1, r).reshape(kept);
  }
}
