package dev.statelens.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code jnp.quantile}/{@code percentile}/{@code median} (sort-based, as JAX's {@code _quantile})
 * and {@code jnp.nansum}/{@code nanmean}. The quantile levels are Java numbers, known when the
 * function is traced, so the two order statistics each level needs are static slices of the
 * sorted array (JAX gathers them at indices it computes in the graph; the values are the same,
 * and the gradient flows through sort's permutation into the two neighbours, as JAX's does).
 */
final class Quantiles {
  private Quantiles() {}

  /** How a level turns its two neighbours into a value: numpy's "linear" (the default) or "midpoint" (median). */
  enum Method { LINEAR, MIDPOINT }

  /** The values a quantile reads and the axis it reads them along. */
  private record Along(Array values, int axis) {}

  /**
   * {@code a} along {@code axis}, or flattened when {@code axis} is null (all elements); refuses
   * a rank-0 array with an axis and an empty axis.
   */
  private static Along along(String op, Array a, Integer axis) {
    Array values = a;
    int ax;
    if (axis == null) {
      values = a.reshape(-1);
      ax = 0;
    } else {
      if (a.ndim() == 0) {
        throw new ShapeError(op + ": a rank-0 array has no axis " + axis + "; leave the axis out");
      }
      ax = MatrixHelpers.axis(op, axis, a.ndim());
    }
    if (values.dim(ax) == 0) {
      throw new ShapeError(op + ": axis " + ax + " of shape " + a.aval().shapeString()
          + " is empty; a quantile needs at least one element");
    }
    return new Along(values, ax);
  }

  /**
   * The quantiles {@code qs} (each in [0, 1]) of {@code x} along {@code axis} (null: all
   * elements), a leading axis of {@code qs.length} unless {@code scalarQ}; a slice holding a NaN
   * gives NaN, as jnp.quantile.
   */
  static Array quantile(String op, Array x, double[] qs, boolean scalarQ, Integer axis, boolean keepDims, Method method) {
    if (x.dtype().isComplex()) { // sort orders complex numbers now; a complex median is still JAX's error
      throw new IllegalArgumentException(op + " does not support complex input, as the operation is poorly defined"
          + " (as jnp." + op + "); take it of real(), imag() or abs() of the value");
    }
    checkLevels(op, qs);
    Along along = along(op, NumpyMath.floaty(x), axis);
    Array a = along.values();
    int ax = along.axis();
    int n = a.dim(ax);
    // a NaN anywhere in a slice makes the whole slice NaN, which sorts to its end (JAX: where(any(isnan)))
    Array hasNan = NumpyMath.isnan(a).any(ax);
    a = Array.where(hasNan.expandDims(ax), Double.NaN, a).sort(ax);
    List<Array> out = new ArrayList<>();
    for (double q : qs) {
      out.add(level(a, q, n, ax, keepDims, method));
    }
    Array r = scalarQ ? out.get(0) : Array.stack(0, out);
    if (axis == null && keepDims) {
      int[] shape = ones(x.ndim() + (scalarQ ? 0 : 1));
      if (!scalarQ) {
        shape[0] = qs.length;
      }
      r = r.reshape(shape);
    }
    return r;
  }

  private static void checkLevels(String op, double[] qs) {
    for (double q : qs) {
      if (!(q >= 0 && q <= 1)) {
        throw new ShapeError(op + ": the level " + q + " is outside [0, 1]"
            + (op.endsWith("percentile") ? " (" + op + " takes 0 to 100)" : "")
            + "; pass levels between 0 and 1 (percentiles: 0 to 100)");
      }
    }
  }

  /** One level: the two order statistics around {@code q (n - 1)} and their weights, in a's dtype. */
  private static Array level(Array sorted, double q, int n, int ax, boolean keepDims, Method method) {
    DType dt = sorted.dtype();
    // JAX computes the position, floor/ceil and weights in q's dtype (a's float dtype)
    double pos = round(dt, round(dt, q) * (n - 1));
    int low = (int) Math.max(0, Math.min(Math.floor(pos), n - 1));
    int high = (int) Math.max(0, Math.min(Math.ceil(pos), n - 1));
    double highWeight = round(dt, pos - Math.floor(pos));
    double lowWeight = round(dt, 1 - highWeight);
    Array lo = pick(sorted, ax, low, keepDims);
    Array hi = pick(sorted, ax, high, keepDims);
    return switch (method) {
      case MIDPOINT -> lo.add(hi).mul(0.5);
      case LINEAR -> lo.mul(Array.scalar(dt, lowWeight)).add(hi.mul(Array.scalar(dt, highWeight)));
    };
  }

  private static Array pick(Array sorted, int ax, int index, boolean keepDims) {
    Array s = sorted.sliceAxis(ax, index, index + 1);
    return keepDims ? s : s.squeeze(ax);
  }

  /** A double rounded to the float dtype the level arithmetic runs in. */
  private static double round(DType dt, double v) {
    return switch (dt) {
      case F64 -> v;
      case F32 -> (float) v;
      default -> dev.statelens.engine.backend.HalfFloats.round(dt, v);
    };
  }

  /**
   * {@code jnp.nanquantile}/{@code nanpercentile}/{@code nanmedian}: the quantiles of each slice's
   * non-NaN elements (JAX's {@code squash_nans} path). NaNs sort last, so the level's position
   * {@code q (count - 1)} depends on the slice's count: the two neighbours are gathered at computed
   * indices ({@code takeAlongAxis}), as JAX gathers them. An all-NaN slice gives NaN.
   */
  static Array nanquantile(String op, Array x, double[] qs, boolean scalarQ, Integer axis, boolean keepDims,
      Method method) {
    checkLevels(op, qs);
    Along along = along(op, NumpyMath.floaty(x), axis);
    Array a = along.values();
    int ax = along.axis();
    DType dt = a.dtype();
    Array sorted = a.sort(ax);
    Array last = NumpyMath.isnan(a).logicalNot().astype(dt).sumKeepDims(ax).sub(1); // count - 1, per slice
    List<Array> out = new ArrayList<>();
    for (double q : qs) {
      Array pos = last.mul(Array.scalar(dt, round(dt, q)));
      Array low = pos.floor();
      Array highWeight = pos.sub(low);
      Array lowWeight = highWeight.rsub(1);
      Array lo = sorted.takeAlongAxis(low.minimum(last).maximum(0).astype(DType.I32), ax);
      Array hi = sorted.takeAlongAxis(pos.ceil().minimum(last).maximum(0).astype(DType.I32), ax);
      Array r = switch (method) {
        case MIDPOINT -> lo.add(hi).mul(0.5);
        case LINEAR -> lo.mul(lowWeight).add(hi.mul(highWeight));
      };
      if (axis == null) {
        r = keepDims ? r.reshape(ones(x.ndim())) : r.reshape();
      } else if (!keepDims) {
        r = r.squeeze(ax);
      }
      out.add(r);
    }
    return scalarQ ? out.get(0) : Array.stack(0, out);
  }

  private static int[] ones(int rank) {
    int[] r = new int[rank];
    java.util.Arrays.fill(r, 1);
    return r;
  }

  /** {@code jnp.nansum}: the sum with NaNs counted as 0. */
  static Array nansum(Array x, int[] axes, boolean keepDims) {
    Array z = Array.where(NumpyMath.isnan(x), 0, x);
    return keepDims ? z.sumKeepDims(axes) : z.sum(axes);
  }

  /** {@code jnp.nanmean}: nansum over the count of non-NaN elements (NaN where all are NaN); integers: the mean. */
  static Array nanmean(Array x, int[] axes, boolean keepDims) {
    if (!x.dtype().isFloating()) {
      return keepDims ? x.meanKeepDims(axes) : x.mean(axes);
    }
    Array count = NumpyMath.isnan(x).logicalNot().astype(x.dtype());
    count = keepDims ? count.sumKeepDims(axes) : count.sum(axes);
    return nansum(x, axes, keepDims).div(count);
  }

  /**
   * {@code jnp.nanmax}/{@code nanmin}/{@code nanprod} (JAX's {@code _nan_reduction}): NaNs replaced
   * by the reduction's identity; nanmax/nanmin are NaN where every element is. Integers: the plain
   * reduction.
   */
  static Array nanReduce(String op, Array x, int[] axes) {
    if (!x.dtype().isFloating()) {
      return op.equals("max") ? x.max(axes) : op.equals("min") ? x.min(axes) : x.prod(axes);
    }
    Array nan = NumpyMath.isnan(x);
    return switch (op) {
      case "max" -> allNanToNan(nan, axes, Array.where(nan, Double.NEGATIVE_INFINITY, x).max(axes));
      case "min" -> allNanToNan(nan, axes, Array.where(nan, Double.POSITIVE_INFINITY, x).min(axes));
      default -> Array.where(nan, 1, x).prod(axes);
    };
  }

  private static Array allNanToNan(Array nan, int[] axes, Array out) {
    return Array.where(nan.all(axes), Double.NaN, out);
  }

  /**
   * {@code jnp.nanvar(x, axis, ddof)}: the squared deviations from nanmean summed over the non-NaN
   * elements, divided by their count minus {@code ddof}; NaN where that is <= 0.
   */
  static Array nanvar(Array x, int[] axes, int ddof) {
    Array f = NumpyMath.floaty(x);
    Array nan = NumpyMath.isnan(f);
    Array centered = Array.where(nan, 0, f.sub(nanmean(f, axes, true))).square();
    Array normalizer = nan.logicalNot().astype(DType.I32).sum(axes).sub(ddof);
    Array empty = normalizer.le(0);
    Array result = Array.where(empty, Double.NaN, centered.sum(axes));
    Array divisor = Array.where(empty, 1, normalizer);
    return result.div(divisor.astype(result.dtype()));
  }
}
