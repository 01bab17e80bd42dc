package dev.statelens.engine.ir;

import dev.statelens.engine.ShapeError;
import java.util.Arrays;
import java.util.List;

/**
 * The array primitives of docs/arrays.md, named as in {@code jax.lax}: the functional updates
 * behind {@code x.at(i).set/mul/min/max} and {@code Lax.dynamicSlice/dynamicUpdateSlice}, the
 * cumulative reductions ({@code cumsum/cumprod/cummax/cummin}) and {@code sort}.
 *
 * <p>The scatter family has {@code scatter_add}'s one-axis form ({@link Prims#SCATTER_ADD}):
 * {@code (operand, indices, updates)}, params {@code axis}, {@code updates} shaped like
 * {@code gather(operand, indices)}. Unlike {@code scatter_add} (which clamps, as {@code jnp.take}'s
 * transpose), an index outside {@code [0, n)} <b>drops</b> its update — JAX's default for
 * scatters. Updates apply in row-major order of {@code updates}, so for {@code scatter} the last
 * duplicate wins (JAX leaves the order unspecified).
 */
public final class ArrayPrims {
  private ArrayPrims() {}

  /** {@code lax.scatter}: writes each update slice at its index (the last duplicate wins). */
  public static final Primitive SCATTER = scatter("scatter", Prims.Kind.ANY);
  /** {@code lax.scatter_mul}: multiplies the operand by each update at its index. */
  public static final Primitive SCATTER_MUL = scatter("scatter_mul", Prims.Kind.NUMERIC);
  /** {@code lax.scatter_min}: the minimum of the operand and the updates at each index (NaN wins). */
  public static final Primitive SCATTER_MIN = scatter("scatter_min", Prims.Kind.NUMERIC);
  /** {@code lax.scatter_max}: the maximum of the operand and the updates at each index (NaN wins). */
  public static final Primitive SCATTER_MAX = scatter("scatter_max", Prims.Kind.NUMERIC);

  /**
   * {@code dynamic_slice(operand, *start_indices)}: the block of {@code slice_sizes} starting at
   * the (traced, rank-0 integer) start indices, one per axis, each clamped to
   * {@code [0, dim - size]} so the block always fits (lax semantics). params {@code slice_sizes}.
   */
  public static final Primitive DYNAMIC_SLICE = new Primitive("dynamic_slice", (in, p) -> {
    if (in.isEmpty()) {
      throw new ShapeError("dynamic_slice: expects (operand, start indices...), got no operands");
    }
    Aval x = in.get(0);
    int[] sizes = p.getInts("slice_sizes");
    checkStarts("dynamic_slice", x, in.subList(1, in.size()));
    if (sizes.length != x.rank()) {
      throw new ShapeError("dynamic_slice: operand " + x.shapeString() + " needs " + x.rank()
          + " slice sizes, got " + Arrays.toString(sizes));
    }
    for (int d = 0; d < sizes.length; d++) {
      if (sizes[d] < 0 || sizes[d] > x.dim(d)) {
        throw new ShapeError("dynamic_slice: slice sizes " + Arrays.toString(sizes) + " do not fit operand "
            + x.shapeString() + " (axis " + d + "); each size must be between 0 and the operand's dimension");
      }
    }
    return List.of(x.withShape(sizes));
  });

  /**
   * {@code dynamic_update_slice(operand, update, *start_indices)}: the operand with the block
   * {@code update} written at the start indices, clamped to {@code [0, dim - update.dim]}.
   */
  public static final Primitive DYNAMIC_UPDATE_SLICE = new Primitive("dynamic_update_slice", (in, p) -> {
    if (in.size() < 2) {
      throw new ShapeError("dynamic_update_slice: expects (operand, update, start indices...), got "
          + in.size() + " operands");
    }
    Aval x = in.get(0);
    Aval u = in.get(1);
    if (u.dtype() != x.dtype()) {
      throw new ShapeError("dynamic_update_slice: update " + u + " and operand " + x
          + " differ in dtype; convert the update with astype(" + x.dtype() + ")");
    }
    if (u.rank() != x.rank()) {
      throw new ShapeError("dynamic_update_slice: update " + u.shapeString() + " must have the rank of operand "
          + x.shapeString() + "; reshape the update (e.g. row.reshape(1, -1) to write one row)");
    }
    for (int d = 0; d < x.rank(); d++) {
      if (u.dim(d) > x.dim(d)) {
        throw new ShapeError("dynamic_update_slice: update " + u.shapeString() + " is larger than operand "
            + x.shapeString() + " on axis " + d + "; an update must fit inside the operand");
      }
    }
    checkStarts("dynamic_update_slice", x, in.subList(2, in.size()));
    return List.of(x);
  });

  // ---- cumulative reductions and sort -----------------------------------------------------------

  /** {@code lax.cumsum}: running sums along {@code axis} (params {@code axis}, {@code reverse}). */
  public static final Primitive CUMSUM = cumulative("cumsum");
  /** {@code lax.cumprod}: running products along {@code axis}. */
  public static final Primitive CUMPROD = cumulative("cumprod");
  /**
   * {@code lax.cummax}: running maxima along {@code axis} (NaN propagates, as {@code lax.max}; c64
   * lexicographic in XLA's fold order, where a NaN does not propagate).
   */
  public static final Primitive CUMMAX = cumulative("cummax");
  /** {@code lax.cummin}: running minima along {@code axis}. */
  public static final Primitive CUMMIN = cumulative("cummin");

  /**
   * {@code lax.sort(operands..., dimension, is_stable=True, num_keys=1)}: every operand reordered
   * by a stable sort of the first along {@code dimension}. Floats sort as NumPy: NaN last,
   * {@code -0.0} equal to {@code 0.0}; u32 unsigned; {@code false < true}. params
   * {@code dimension}, {@code is_stable}, {@code num_keys} (only 1 is supported).
   */
  public static final Primitive SORT = new Primitive("sort", (in, p) -> {
    if (in.isEmpty()) {
      throw new ShapeError("sort: needs at least one operand");
    }
    if (p.getInt("num_keys") != 1) {
      throw new ShapeError("sort: only num_keys=1 is supported, got " + p.getInt("num_keys")
          + "; sort by one key (sort the others along with it as extra operands)");
    }
    Aval first = in.get(0);
    Prims.checkAxis("sort", p.getInt("dimension"), first);
    for (Aval a : in) {
      if (!a.sameShape(first)) {
        throw new ShapeError("sort: operands " + first + " and " + a + " differ in shape; every operand "
            + "sorted along with the keys must have the keys' shape");
      }
    }
    return List.copyOf(in);
  });

  /**
   * {@code lax.top_k(operand, k)}: the k largest elements along the last axis, descending, and
   * their i32 positions. Equal values come lower index first; NaN counts as the largest and
   * {@code -0.0} equals {@code 0.0} (the order of {@link #SORT}). param {@code k}, printed
   * {@code top_k[k=2]} as JAX prints it.
   */
  public static final Primitive TOP_K = new Primitive("top_k", (in, p) -> {
    Aval x = Prims.one("top_k", in);
    if (x.dtype().isComplex()) {
      throw new ShapeError("top_k is not compatible with complex inputs (as lax.top_k); rank real(), imag() or"
          + " abs() of the value, or sort it (Sorting.sort orders complex numbers as jnp.sort)");
    }
    int k = p.getInt("k");
    if (x.rank() == 0) {
      throw new ShapeError("top_k: a rank-0 operand has no last axis; reshape(1) it first");
    }
    int n = x.dim(x.rank() - 1);
    if (k < 0 || k > n) {
      throw new ShapeError("top_k: k=" + k + " for a last axis of size " + n + " (operand " + x.shapeString()
          + "); k must be between 0 and " + n);
    }
    int[] shape = x.shape();
    shape[shape.length - 1] = k;
    return List.of(x.withShape(shape), Aval.of(dev.statelens.engine.DType.I32, shape));
  });

  private static Primitive cumulative(String name) {
    return new Primitive(name, (in, p) -> {
      Aval x = Prims.one(name, in);
      Prims.checkAxis(name, p.getInt("axis"), x);
      // complex64 too: running extrema in jnp's lexicographic order, as lax.cummax/cummin accept it
      Prims.requireKind(name, x, Prims.Kind.NUMBER);
      return List.of(x);
    });
  }

  private static void checkStarts(String op, Aval x, List<Aval> starts) {
    if (starts.size() != x.rank()) {
      throw new ShapeError(op + ": operand " + x.shapeString() + " needs " + x.rank()
          + " start indices (one per axis), got " + starts.size());
    }
    for (int d = 0; d < starts.size(); d++) {
      Aval s = starts.get(d);
      if (!s.isScalar() || !s.dtype().isInteger()) {
        throw new ShapeError(op + ": start index " + d + " must be a rank-0 i32 or u32, got " + s
            + "; pass Array.scalar(DType.I32, k) or a traced integer scalar");
      }
    }
  }

  private static Primitive scatter(String name, Prims.Kind kind) {
    return new Primitive(name, (in, p) -> {
      if (in.size() != 3) {
        throw new ShapeError(name + ": expects (operand, indices, updates), got " + in.size() + " operands");
      }
      Aval x = in.get(0);
      Aval idx = in.get(1);
      Aval upd = in.get(2);
      int axis = p.getInt("axis");
      Prims.checkAxis(name, axis, x);
      Prims.requireKind(name, x, kind);
      if (!idx.dtype().isInteger()) {
        throw new ShapeError(name + ": indices must be i32 or u32, got " + idx
            + "; convert them with astype(DType.I32) (floats are not rounded for you)");
      }
      Aval expected = x.withShape(Prims.takeShape(x.shape(), axis, idx.shape()));
      if (!upd.equals(expected)) {
        throw new ShapeError(name + ": updates are " + upd + " but operand " + x + " with indices "
            + idx.shapeString() + " along axis " + axis + " needs " + expected
            + " (operand.shape[:axis] + indices.shape + operand.shape[axis+1:])");
      }
      return List.of(x);
    });
  }

  /** The scatter primitives, by the combining operation's name ("set", "mul", "min", "max"). */
  public static Primitive scatterOf(String op) {
    return switch (op) {
      case "set" -> SCATTER;
      case "mul" -> SCATTER_MUL;
      case "min" -> SCATTER_MIN;
      case "max" -> SCATTER_MAX;
      default -> throw new IllegalArgumentException("no scatter for " + op);
    };
  }

  /** True for scatter, scatter_mul/min/max (the drop-out-of-bounds family). */
  public static boolean isScatter(Primitive p) {
    return p == SCATTER || p == SCATTER_MUL || p == SCATTER_MIN || p == SCATTER_MAX;
  }
}
