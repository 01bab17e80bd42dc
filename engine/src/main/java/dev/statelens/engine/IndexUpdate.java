package dev.statelens.engine;

import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;

/**
 * JAX's {@code x.at[idx]}: functional updates of the rows of {@code x} named by an integer index
 * (or an index array) along axis 0. Each method returns a new array; {@code x} is never changed.
 *
 * <pre>{@code
 * Array y = x.at(2).set(Array.of(9f, 9f));      // x.at[2].set(...)
 * Array z = x.at(Array.of(0, 2, 0)).add(1);     // x.at[jnp.array([0, 2, 0])].add(1): row 0 gets +2
 * }</pre>
 *
 * <p>Semantics (JAX's defaults): a negative index counts from the end ({@code -1} is the last
 * row). Out of bounds after that, {@link #get} clamps the index (as JAX's retrievals) and every
 * update method <b>drops</b> that update. Duplicate indices: {@code add}/{@code mul}/{@code min}/
 * {@code max} apply every update; {@code set} keeps the last one in index order (JAX leaves that
 * order unspecified). Updates are broadcast to {@code x[idx]}'s shape
 * ({@code idx.shape + x.shape[1:]}) and cast to {@code x}'s dtype.
 *
 * <p>Not supported: slices, several index arrays, boolean masks, other axes — index one axis-0
 * array at a time, use {@link Lax#dynamicUpdateSlice} for blocks, or {@link Array#where} for masks.
 */
public final class IndexUpdate {
  private final Array x;
  private final Array indices;

  IndexUpdate(Array x, int index) {
    this(x, Array.scalar(DType.I32, x.ndim() > 0 && index < 0 ? index + x.dim(0) : index), false);
  }

  IndexUpdate(Array x, Array indices) {
    this(x, indices, true);
  }

  /**
   * Updates at {@code indices} taken as they are: a negative index is out of bounds and its update
   * dropped, as JAX's {@code _scatter_update(normalize_indices=False)} (the {@code jax.ops.segment_*}
   * reductions).
   */
  static IndexUpdate dropOutOfBounds(Array x, Array indices) {
    return new IndexUpdate(x, indices, false);
  }

  private IndexUpdate(Array x, Array indices, boolean normalize) {
    if (x.ndim() == 0) {
      throw new ShapeError("at: a rank-0 array has no axis 0 to index; use the value itself (or Array.where)");
    }
    if (!indices.dtype().isInteger()) {
      throw new ShapeError("at: indices must be i32 or u32, got " + indices.aval()
          + "; convert them with astype(DType.I32). Only integer indices along axis 0 are supported "
          + "(no slices or masks: use Lax.dynamicUpdateSlice or Array.where)");
    }
    this.x = x;
    // a negative index counts from the end, once (as Python's x[-1])
    this.indices = !normalize || indices.dtype() == DType.U32 ? indices
        : Array.where(indices.lt(0), indices.add(x.dim(0)), indices);
  }

  /** {@code x.at[idx].get()}: the rows at the indices (clamped into range, as JAX's retrievals). */
  public Array get() {
    return x.take(indices, 0);
  }

  /** {@code x.at[idx].set(v)}: {@code v} written at the indices (the last duplicate wins). */
  public Array set(Array v) {
    return scatter("set", v);
  }

  public Array set(long v) {
    return set(scalar("set", v));
  }

  public Array set(double v) {
    return set(scalar("set", v));
  }

  /** {@code x.at[idx].add(v)}: {@code v} added at the indices (duplicates accumulate). */
  public Array add(Array v) {
    Array u = updates("add", v);
    if (x.dim(0) == 0) {
      return x; // every index is out of bounds: all updates dropped
    }
    // scatter_add clamps (jnp.take's transpose), so an out-of-bounds update is zeroed instead
    Array masked = Array.where(inBounds(u.shape()), u, Array.scalar(x.dtype(), 0));
    return Prims.SCATTER_ADD.bind1(Params.of("axis", 0), x, indices, masked);
  }

  public Array add(long v) {
    return add(scalar("add", v));
  }

  public Array add(double v) {
    return add(scalar("add", v));
  }

  /** {@code x.at[idx].multiply(v)}. */
  public Array mul(Array v) {
    return scatter("mul", v);
  }

  public Array mul(long v) {
    return mul(scalar("mul", v));
  }

  public Array mul(double v) {
    return mul(scalar("mul", v));
  }

  /** {@code x.at[idx].min(v)}: {@code minimum(x[idx], v)} written back (NaN propagates). */
  public Array min(Array v) {
    return scatter("min", v);
  }

  public Array min(long v) {
    return min(scalar("min", v));
  }

  public Array min(double v) {
    return min(scalar("min", v));
  }

  /** {@code x.at[idx].max(v)}: {@code maximum(x[idx], v)} written back (NaN propagates). */
  public Array max(Array v) {
    return scatter("max", v);
  }

  public Array max(long v) {
    return max(scalar("max", v));
  }

  public Array max(double v) {
    return max(scalar("max", v));
  }

  /**
   * The Java number of every {@code long}/{@code double} overload, converted to {@code x}'s dtype as
   * JAX converts a Python scalar here ({@link Array#scalarAs}: a long must fit in int32 and wraps
   * into u32, a double goes through f32 and saturates into an integer dtype). The overloads stay in
   * pairs because Java picks them by the argument's type, which is what tells a weak int from a
   * weak float (as {@code Array.add(long)}/{@code add(double)} do).
   */
  private Array scalar(String op, Number v) {
    return Array.scalarAs("at(...)." + op, x.dtype(), x.aval(), v);
  }

  private Array scatter(String op, Array v) {
    if (!op.equals("set") && x.dtype() == DType.BOOL) {
      throw new ShapeError("at(...)." + op + ": needs a numeric array, got " + x.aval()
          + "; convert with astype (only set works on bool)");
    }
    return ArrayPrims.scatterOf(op).bind1(Params.of("axis", 0), x, indices, updates(op, v));
  }

  /** {@code v} broadcast to {@code x[idx]}'s shape and cast to {@code x}'s dtype. */
  private Array updates(String op, Array v) {
    int[] target = Prims.takeShape(x.shape(), 0, indices.shape());
    try {
      return v.astype(x.dtype()).broadcastTo(target);
    } catch (ShapeError e) {
      throw new ShapeError("at(...)." + op + ": updates of shape " + v.aval().shapeString()
          + " cannot be broadcast to x[indices]'s shape " + ShapeError.format(target)
          + " (indices " + indices.aval().shapeString() + " + x.shape[1:] of x " + x.aval().shapeString()
          + "); reshape the updates to that shape");
    }
  }

  /** Update elements whose index is in {@code [0, n)}. */
  private Array inBounds(int[] updShape) {
    int n = x.dim(0);
    Array ok = indices.dtype() == DType.U32 ? indices.lt(Array.scalar(DType.U32, n))
        : indices.ge(0).logicalAnd(indices.lt(n));
    int[] dims = new int[ok.ndim()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = i;
    }
    return Prims.BROADCAST_IN_DIM.bind1(Params.of("shape", updShape, "broadcast_dimensions", dims), ok);
  }
}
