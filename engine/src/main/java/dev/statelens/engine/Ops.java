package dev.statelens.engine;

import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;

/**
 * {@code jax.ops}: reductions of the rows of {@code data} into segments named by an integer id per
 * row — the aggregation step of graph neural networks (sum the messages of each node's incoming
 * edges) and of ragged batches.
 *
 * <pre>{@code
 * Array messages = ...;                                     // f32[edges, features]
 * Array receivers = ...;                                    // i32[edges]: the node each edge points to
 * Array aggregated = Ops.segmentSum(messages, receivers, numNodes);  // f32[numNodes, features]
 * }</pre>
 *
 * <p>As JAX builds them ({@code jax/_src/ops/scatter.py}, {@code _segment_update}): an array of
 * shape {@code [numSegments] + data.shape[1:]} filled with the reduction's identity, then one
 * scatter ({@code scatter_add}, {@code scatter_mul}, {@code scatter_min}, {@code scatter_max})
 * of the rows at their ids. So grad, jit and vmap follow from those primitives, and:
 * <ul>
 *   <li>an id outside {@code [0, numSegments)} — negative ones included — drops its row (JAX's
 *       {@code mode=FILL_OR_DROP}; ids are not wrapped as {@code x.at[-1]} would);</li>
 *   <li>an empty segment holds the identity: 0 for sum, 1 for prod, {@code +inf} / {@code -inf}
 *       for min / max (the dtype's largest / smallest value for integers);</li>
 *   <li>the gradient of max/min splits evenly among the rows that tie for a segment's extreme (JAX's
 *       scatter_max JVP). JAX has no gradient of {@code segment_prod} unless the ids are unique;
 *       here it is the product of the segment's other rows (scatter_mul's VJP), which is what JAX's
 *       gradient of the same product written with {@code jnp.prod} gives.</li>
 * </ul>
 * The overloads with {@code indicesAreSorted} and {@code bucketSize} take JAX's arguments of those
 * names: the first is a speed hint (accepted, the result is the same), the second reduces each
 * block of {@code bucketSize} consecutive rows separately and then reduces the blocks (JAX's
 * bucketed {@code _segment_update}: shorter sums, for precision). {@code unique_indices} and
 * {@code mode} are not taken.
 */
public final class Ops {
  private Ops() {}

  /** {@code jax.ops.segment_sum(data, segment_ids, num_segments)}. */
  public static Array segmentSum(Array data, Array segmentIds, int numSegments) {
    return segment("segmentSum", data, segmentIds, numSegments, Reduction.SUM);
  }

  /**
   * {@code jax.ops.segment_sum(data, segment_ids)}: {@code num_segments = max(segment_ids) + 1},
   * which needs concrete ids (as in JAX); under {@code jit} pass {@code numSegments}.
   */
  public static Array segmentSum(Array data, Array segmentIds) {
    return segmentSum(data, segmentIds, inferredCount("segmentSum", segmentIds));
  }

  /** {@code jax.ops.segment_prod(data, segment_ids, num_segments)}. */
  public static Array segmentProd(Array data, Array segmentIds, int numSegments) {
    return segment("segmentProd", data, segmentIds, numSegments, Reduction.PROD);
  }

  /** {@code jax.ops.segment_prod(data, segment_ids)} with {@code num_segments = max(ids) + 1}. */
  public static Array segmentProd(Array data, Array segmentIds) {
    return segmentProd(data, segmentIds, inferredCount("segmentProd", segmentIds));
  }

  /** {@code jax.ops.segment_max(data, segment_ids, num_segments)}; an empty segment is -inf. */
  public static Array segmentMax(Array data, Array segmentIds, int numSegments) {
    return segment("segmentMax", data, segmentIds, numSegments, Reduction.MAX);
  }

  /** {@code jax.ops.segment_max(data, segment_ids)} with {@code num_segments = max(ids) + 1}. */
  public static Array segmentMax(Array data, Array segmentIds) {
    return segmentMax(data, segmentIds, inferredCount("segmentMax", segmentIds));
  }

  /** {@code jax.ops.segment_min(data, segment_ids, num_segments)}; an empty segment is +inf. */
  public static Array segmentMin(Array data, Array segmentIds, int numSegments) {
    return segment("segmentMin", data, segmentIds, numSegments, Reduction.MIN);
  }

  /** {@code jax.ops.segment_min(data, segment_ids)} with {@code num_segments = max(ids) + 1}. */
  public static Array segmentMin(Array data, Array segmentIds) {
    return segmentMin(data, segmentIds, inferredCount("segmentMin", segmentIds));
  }

  /**
   * {@code jax.ops.segment_sum(data, segment_ids, num_segments, indices_are_sorted, bucket_size=)}:
   * {@code bucketSize} null for one scatter, else rows summed in buckets of that many, then the
   * buckets summed. {@code indicesAreSorted} is only a hint (the result is the same).
   */
  public static Array segmentSum(Array data, Array segmentIds, int numSegments, boolean indicesAreSorted, Integer bucketSize) {
    return bucketed("segmentSum", data, segmentIds, numSegments, bucketSize, Reduction.SUM);
  }

  /** {@code jax.ops.segment_prod(..., indices_are_sorted, bucket_size)}: see {@link #segmentSum(Array, Array, int, boolean, Integer)}. */
  public static Array segmentProd(Array data, Array segmentIds, int numSegments, boolean indicesAreSorted, Integer bucketSize) {
    return bucketed("segmentProd", data, segmentIds, numSegments, bucketSize, Reduction.PROD);
  }

  /** {@code jax.ops.segment_max(..., indices_are_sorted, bucket_size)}: see {@link #segmentSum(Array, Array, int, boolean, Integer)}. */
  public static Array segmentMax(Array data, Array segmentIds, int numSegments, boolean indicesAreSorted, Integer bucketSize) {
    return bucketed("segmentMax", data, segmentIds, numSegments, bucketSize, Reduction.MAX);
  }

  /** {@code jax.ops.segment_min(..., indices_are_sorted, bucket_size)}: see {@link #segmentSum(Array, Array, int, boolean, Integer)}. */
  public static Array segmentMin(Array data, Array segmentIds, int numSegments, boolean indicesAreSorted, Integer bucketSize) {
    return bucketed("segmentMin", data, segmentIds, numSegments, bucketSize, Reduction.MIN);
  }

  /**
   * JAX's bucketed {@code _segment_update}: row {@code i} goes to {@code [i / bucketSize, id]} of a
   * {@code [buckets, numSegments, ...]} array (here one segment reduction over the combined id
   * {@code bucket * numSegments + id}, an out-of-range id kept out of range), reduced over the
   * buckets.
   */
  private static Array bucketed(String name, Array data, Array ids, int numSegments, Integer bucketSize, Reduction r) {
    if (bucketSize == null) {
      return segment(name, data, ids, numSegments, r);
    }
    check(name, data, ids, numSegments);
    if (bucketSize <= 0) {
      throw new IllegalArgumentException(name + ": bucketSize must be positive (rows per bucket), got " + bucketSize
          + "; pass null for no buckets");
    }
    int rows = ids.dim(0);
    int buckets = Math.max(1, (rows + bucketSize - 1) / bucketSize);
    if ((long) buckets * numSegments > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + ": " + buckets + " buckets of " + numSegments
          + " segments do not fit an I32 index; pass a larger bucketSize");
    }
    Array bucket = Array.arange(rows).div(Array.scalar(DType.I32, bucketSize));
    Array inRange = inRange(ids, numSegments);
    Array combined = Array.where(inRange, bucket.mul(Array.scalar(DType.I32, numSegments)).add(ids.astype(DType.I32)),
        Array.scalar(DType.I32, -1));
    Array perBucket = segment(name, data, combined, buckets * numSegments, r);
    int[] shape = new int[data.ndim() + 1];
    shape[0] = buckets;
    shape[1] = numSegments;
    System.arraycopy(data.shape(), 1, shape, 2, data.ndim() - 1);
    Array split = perBucket.reshape(shape);
    return (switch (r) {
      case SUM -> split.sum(0);
      case PROD -> split.prod(0);
      case MAX -> split.max(0);
      case MIN -> split.min(0);
    }).astype(data.dtype());
  }

  private enum Reduction { SUM, PROD, MAX, MIN }

  private static Array segment(String name, Array data, Array ids, int numSegments, Reduction r) {
    check(name, data, ids, numSegments);
    int[] outShape = data.shape().clone();
    outShape[0] = numSegments;
    if (r == Reduction.SUM) {
      return sumDroppingOutOfRange(data, ids, numSegments, outShape);
    }
    // scatter_mul/min/max drop an out-of-range update themselves (IndexUpdate's contract)
    IndexUpdate at = IndexUpdate.dropOutOfBounds(Array.full(data.dtype(), outShape, identity(r, data.dtype())), ids);
    return r == Reduction.PROD ? at.mul(data) : r == Reduction.MAX ? at.max(data) : at.min(data);
  }

  /**
   * segment_sum's scatter-add. The {@code scatter_add} primitive clamps an out-of-range index (it
   * is {@code take}'s transpose), so {@code x.at(ids).add} masks every update, {@code [E, F]}
   * elements; here an out-of-range id goes to one spare row past the end instead ({@code [E]}
   * work), which is then sliced off. The same additions in the same order: the same bits, ~3x less
   * CPU on a GNN-sized graph (docs/benchmarks.md).
   */
  private static Array sumDroppingOutOfRange(Array data, Array ids, int numSegments, int[] outShape) {
    int[] padded = outShape.clone();
    padded[0] = numSegments + 1;
    Array inRange = inRange(ids, numSegments);
    Array safeIds = Array.where(inRange, ids, Array.scalar(ids.dtype(), numSegments));
    Array summed = Prims.SCATTER_ADD.bind1(Params.of("axis", 0), Array.zeros(data.dtype(), padded), safeIds, data);
    return summed.sliceAxis(0, 0, numSegments);
  }

  /** Where {@code 0 <= id < numSegments} (a U32 id is never negative). */
  private static Array inRange(Array ids, int numSegments) {
    Array below = ids.dtype() == DType.U32 ? ids.lt(Array.scalar(DType.U32, numSegments)) : ids.lt(numSegments);
    return ids.dtype() == DType.U32 ? below : ids.ge(0).logicalAnd(below);
  }

  /** JAX's {@code _get_identity}: what an empty segment holds. */
  private static double identity(Reduction r, DType dtype) {
    return switch (r) {
      case SUM -> 0;
      case PROD -> 1;
      case MAX -> dtype == DType.I32 ? Integer.MIN_VALUE : dtype == DType.U32 ? 0 : Double.NEGATIVE_INFINITY;
      case MIN -> dtype == DType.I32 ? Integer.MAX_VALUE : dtype == DType.U32 ? 0xFFFF_FFFFL
          : Double.POSITIVE_INFINITY;
    };
  }

  private static void check(String name, Array data, Array ids, int numSegments) {
    if (!ids.dtype().isInteger()) {
      throw new ShapeError(name + ": segment ids must be i32 or u32, got " + ids.aval()
          + "; convert them with astype(DType.I32)");
    }
    if (ids.ndim() != 1) {
      throw new ShapeError(name + ": segment ids must be 1-d (one id per row of data), got " + ids.aval()
          + "; flatten ids and data's leading axes together with reshape");
    }
    if (data.ndim() == 0 || data.dim(0) != ids.dim(0)) {
      throw new ShapeError(name + ": data " + data.aval() + " needs one row per segment id (ids "
          + ids.aval() + "), so data.shape[0] must be " + ids.dim(0)
          + (data.ndim() == 0 ? "; a scalar has no rows: reshape it to [1]" : ""));
    }
    if (data.dtype() == DType.BOOL) {
      throw new ShapeError(name + ": data " + data.aval() + " is bool; convert it with astype(DType.I32) "
          + "(or F32) first");
    }
    if (numSegments < 0) {
      throw new ShapeError(name + ": numSegments must be >= 0, got " + numSegments);
    }
  }

  /** {@code max(ids) + 1} from concrete ids (JAX's {@code np.max(segment_ids) + 1}). */
  private static int inferredCount(String name, Array ids) {
    if (!ids.isConcrete()) {
      throw new ConcretizationError(name + ": without numSegments the count is max(segmentIds) + 1, a value "
          + "only known at run time under jit/vmap; pass numSegments (a Java int), e.g. " + name
          + "(data, ids, numNodes)");
    }
    if (!ids.dtype().isInteger() || ids.size() == 0) {
      throw new ShapeError(name + ": cannot infer numSegments from segment ids " + ids.aval()
          + (ids.size() == 0 ? " (empty)" : " (not integers)") + "; pass numSegments");
    }
    long count = (long) ids.astype(DType.F64).max().doubleValue() + 1;
    if (count < 0 || count > Integer.MAX_VALUE) {
      throw new ShapeError(name + ": max(segmentIds) + 1 = " + count + " is not a valid segment count; pass "
          + "numSegments (ids outside [0, numSegments) are dropped)");
    }
    return (int) count;
  }
}
