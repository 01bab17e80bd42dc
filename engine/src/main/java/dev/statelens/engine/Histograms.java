package dev.statelens.engine;

/**
 * {@code jnp.histogram} and {@code jnp.histogram_bin_edges}, as {@code jax/_src/numpy/lax_numpy.py}
 * builds them: bin edges from {@code linspace} over the range (the data's traced min and max when
 * no range is given), each value's bin from {@code searchsorted(edges, a, 'right')} (the last edge
 * belongs to the last bin), counts from one scatter-add of the weights. So jit and vmap follow, and
 * the gradient flows to the weights (a value's bin is piecewise constant: no gradient to {@code a}).
 * See docs/arrays.md.
 */
final class Histograms {
  private Histograms() {}

  /**
   * {@code jnp.histogram_bin_edges(a, bins, range)}: {@code bins + 1} evenly spaced edges over
   * {@code range} ({@code {lo, hi}}; null: {@code [a.min(), a.max()]}); an empty range is widened
   * by 0.5 each side, as JAX.
   */
  static Array binEdges(Array a, int bins, double[] range) {
    Array x = NumpyMath.floaty(a);
    if (bins < 1) {
      throw new ShapeError("histogramBinEdges: bins must be >= 1, got " + bins);
    }
    Array lo;
    Array hi;
    if (range == null) {
      if (x.size() == 0) {
        throw new ShapeError("histogram: the range of an empty array " + a.aval() + " is undefined; pass range");
      }
      lo = x.min();
      hi = x.max();
    } else {
      if (range.length != 2) {
        throw new ShapeError("histogram: range must be {lo, hi}, got " + range.length + " values");
      }
      if (range[0] > range[1]) {
        throw new ShapeError("histogram: range {" + range[0] + ", " + range[1] + "} has lo > hi; swap them");
      }
      lo = Array.scalar(x.dtype(), range[0]);
      hi = Array.scalar(x.dtype(), range[1]);
    }
    Array empty = hi.sub(lo).eq(0);
    return linspace(Array.where(empty, lo.sub(0.5), lo), Array.where(empty, hi.add(0.5), hi), bins + 1);
  }

  /**
   * {@code jnp.linspace(start, stop, num)} for rank-0 {@code start}/{@code stop} that may be
   * traced, JAX's formula {@code start * (1 - step) + stop * step} with {@code step = i / div} in
   * the dtype, then {@code stop} itself appended.
   */
  static Array linspace(Array start, Array stop, int num) {
    int div = num - 1;
    Array iota = Array.iota(start.dtype(), div);
    // XLA's CPU compiles JAX's i / div as i * (1 / div) and stop * step as i * (stop * (1 / div));
    // the same products here. It then fuses the final add into an FMA, which we do not: edges
    // can differ from JAX's by an ulp (docs/arrays.md)
    Array reciprocal = Array.scalar(start.dtype(), 1.0).div(Array.scalar(start.dtype(), div));
    Array step = iota.mul(reciprocal);
    Array inner = start.mul(step.rsub(1)).add(iota.mul(stop.mul(reciprocal)));
    return Array.concatenate(0, inner, stop.reshape(1));
  }

  /**
   * {@code jnp.histogram(a, bins=edges, weights, density)}: counts (the weights summed, in their
   * float dtype) of the values in each {@code [edges[i], edges[i+1])}, the last bin closed; values
   * outside the edges are not counted. {@code weights} null counts 1 per value.
   */
  static Pair<Array, Array> histogram(Array a, Array edges, Array weights, boolean density) {
    if (edges.ndim() != 1 || edges.dim(0) < 2) {
      throw new ShapeError("histogram: bin edges must be a 1-d array of at least 2 edges, got " + edges.aval());
    }
    Array[] xw = valuesAndWeights(a, weights);
    return counts(xw[0], xw[1], edges, density);
  }

  /** {@code jnp.histogram(a, bins, range, weights, density)} with {@code bins} evenly spaced bins. */
  static Pair<Array, Array> histogram(Array a, int bins, double[] range, Array weights, boolean density) {
    Array[] xw = valuesAndWeights(a, weights);
    return counts(xw[0], xw[1], binEdges(xw[0], bins, range), density);
  }

  /** {@code a} and the weights in their promoted float dtype (JAX's promote_dtypes_inexact); null weights: 1 each. */
  private static Array[] valuesAndWeights(Array a, Array weights) {
    if (weights == null) {
      Array x = NumpyMath.floaty(a);
      return new Array[] {x, Array.onesLike(x)};
    }
    checkWeights(a, weights);
    return NumpyMath.promoteInexact("histogram", a, weights);
  }

  /** The weights {@code w} of the values {@code x} summed per bin of {@code edges}. */
  private static Pair<Array, Array> counts(Array x, Array w, Array edges, boolean density) {
    Array e = edges.astype(x.dtype());
    int n = e.dim(0);
    Array idx = Array.searchsorted(e, x, "right");
    idx = Array.where(x.eq(e.sliceAxis(0, n - 1, n).reshape()), Array.scalar(DType.I32, n - 1), idx);
    Array counts = Array.zeros(w.dtype(), n).at(idx).add(w).sliceAxis(0, 1, n);
    if (density) {
      counts = counts.div(e.diff()).div(counts.sum());
    }
    return Pair.of(counts, e);
  }

  private static void checkWeights(Array a, Array weights) {
    if (!java.util.Arrays.equals(a.shape(), weights.shape())) {
      throw new ShapeError("histogram: weights " + weights.aval() + " must have a's shape " + a.aval()
          + " (one weight per value)");
    }
  }
}
