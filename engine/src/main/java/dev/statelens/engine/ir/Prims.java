package dev.statelens.engine.ir;

import dev.statelens.engine.DType;
import dev.statelens.engine.ShapeError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The engine's standard primitives, named as in {@code jax.lax}. Like lax they are strict:
 * elementwise operands must have equal dtypes and equal shapes, except that a rank-0 operand
 * may be mixed with shaped ones (lax's scalar promotion, which is why jaxprs show
 * {@code mul a 2.0:f32[]}). {@link dev.statelens.engine.Array} methods insert
 * {@code broadcast_in_dim} and {@code convert_element_type} to give NumPy semantics.
 */
public final class Prims {
  private Prims() {}

  // ---- elementwise unary -------------------------------------------------------------------
  public static final Primitive NEG = unary("neg", Kind.NUMBER);
  public static final Primitive SIGN = unary("sign", Kind.NUMBER);
  /** {@code |x|}; of a c64 the modulus, an f32 (as lax.abs). */
  public static final Primitive ABS = new Primitive("abs", (in, p) -> {
    Aval x = one("abs", in);
    requireKind("abs", x, Kind.NUMBER);
    return List.of(x.dtype().isComplex() ? x.withDType(DType.F32) : x);
  });
  public static final Primitive FLOOR = unary("floor", Kind.FLOAT);
  public static final Primitive CEIL = unary("ceil", Kind.FLOAT);
  public static final Primitive ROUND = unary("round", Kind.FLOAT);
  public static final Primitive EXP = unary("exp", Kind.FLOAT_OR_COMPLEX);
  public static final Primitive LOG = unary("log", Kind.FLOAT_OR_COMPLEX);
  public static final Primitive LOG1P = unary("log1p", Kind.FLOAT_OR_COMPLEX);
  /** The error function ({@code lax.erf}). */
  public static final Primitive ERF = unary("erf", Kind.FLOAT);
  /** {@code lax.erfc}: {@code 1 - erf(x)} without the cancellation, so the tail keeps its relative accuracy. */
  public static final Primitive ERFC = unary("erfc", Kind.FLOAT);
  public static final Primitive EXPM1 = unary("expm1", Kind.FLOAT_OR_COMPLEX);
  public static final Primitive TANH = unary("tanh", Kind.FLOAT_OR_COMPLEX);
  public static final Primitive LOGISTIC = unary("logistic", Kind.FLOAT);
  public static final Primitive SIN = unary("sin", Kind.FLOAT_OR_COMPLEX);
  public static final Primitive COS = unary("cos", Kind.FLOAT_OR_COMPLEX);
  // trigonometric and hyperbolic, as lax (tan_p, asin_p, ..., atanh_p): NaN outside the real domain
  public static final Primitive TAN = unary("tan", Kind.FLOAT_OR_COMPLEX);
  public static final Primitive ASIN = unary("asin", Kind.FLOAT);
  public static final Primitive ACOS = unary("acos", Kind.FLOAT);
  public static final Primitive ATAN = unary("atan", Kind.FLOAT);
  public static final Primitive SINH = unary("sinh", Kind.FLOAT_OR_COMPLEX);
  public static final Primitive COSH = unary("cosh", Kind.FLOAT_OR_COMPLEX);
  public static final Primitive ASINH = unary("asinh", Kind.FLOAT);
  public static final Primitive ACOSH = unary("acosh", Kind.FLOAT);
  public static final Primitive ATANH = unary("atanh", Kind.FLOAT);
  /** {@code lax.exp2}: {@code 2^x}. */
  public static final Primitive EXP2 = unary("exp2", Kind.FLOAT);
  // special functions, as lax (jax/_src/lax/special.py); kernels in backend/cpu/SpecialFunctions
  /** {@code lax.lgamma}: {@code log|Gamma(x)|}. */
  public static final Primitive LGAMMA = unary("lgamma", Kind.FLOAT);
  /** {@code lax.digamma}: {@code Gamma'(x) / Gamma(x)}; NaN at 0 and the negative integers. */
  public static final Primitive DIGAMMA = unary("digamma", Kind.FLOAT);
  public static final Primitive SQRT = unary("sqrt", Kind.FLOAT_OR_COMPLEX);
  public static final Primitive RSQRT = unary("rsqrt", Kind.FLOAT_OR_COMPLEX);
  /** {@code lax.cbrt}: the real cube root (negative for negative x). */
  public static final Primitive CBRT = unary("cbrt", Kind.FLOAT);
  public static final Primitive SQUARE = unary("square", Kind.NUMBER);
  /** Logical not for bool, bitwise not for integers. */
  public static final Primitive NOT = unary("not", Kind.BOOL_OR_INT);
  public static final Primitive IS_FINITE = new Primitive("is_finite", (in, p) -> {
    Aval x = one("is_finite", in);
    requireKind("is_finite", x, Kind.FLOAT);
    return List.of(x.withDType(DType.BOOL));
  });
  /** Identity in the forward pass; blocks gradients (autodiff gives it a zero VJP). */
  public static final Primitive STOP_GRADIENT = unary("stop_gradient", Kind.ANY);

  // ---- elementwise binary ------------------------------------------------------------------
  public static final Primitive ADD = binary("add", Kind.NUMBER, false);
  public static final Primitive SUB = binary("sub", Kind.NUMBER, false);
  public static final Primitive MUL = binary("mul", Kind.NUMBER, false);
  /** Floats: IEEE division. Integers: truncating division (unsigned for u32); x/0 gives -1. */
  public static final Primitive DIV = binary("div", Kind.NUMBER, false);
  /** C fmod semantics: the result has the sign of the dividend; x rem 0 gives x for integers. */
  public static final Primitive REM = binary("rem", Kind.NUMERIC, false);
  public static final Primitive POW = binary("pow", Kind.NUMBER, false);
  public static final Primitive MAX = binary("max", Kind.ORDERED, false);
  public static final Primitive MIN = binary("min", Kind.ORDERED, false);
  public static final Primitive ATAN2 = binary("atan2", Kind.FLOAT, false);
  /** {@code lax.polygamma(m, x)}: the m-th derivative of digamma (m a natural number, else NaN). */
  public static final Primitive POLYGAMMA = binary("polygamma", Kind.FLOAT, false);
  /** {@code lax.zeta(x, q)}: the Hurwitz zeta function {@code sum_k (q + k)^-x}; no derivative rule (as JAX). */
  public static final Primitive ZETA = binary("zeta", Kind.FLOAT, false);
  /** {@code lax.igamma(a, x)}: the regularized lower incomplete gamma function P(a, x). */
  public static final Primitive IGAMMA = binary("igamma", Kind.FLOAT, false);
  /** {@code lax.igammac(a, x)}: the regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x). */
  public static final Primitive IGAMMAC = binary("igammac", Kind.FLOAT, false);
  /** {@code lax.igamma_grad_a(a, x)}: {@code d igamma(a, x) / da}. */
  public static final Primitive IGAMMA_GRAD_A = binary("igamma_grad_a", Kind.FLOAT, false);
  /** {@code lax.random_gamma_grad(a, x)}: the derivative in {@code a} of a Gamma(a, 1) draw {@code x}. */
  public static final Primitive RANDOM_GAMMA_GRAD = binary("random_gamma_grad", Kind.FLOAT, false);
  /**
   * {@code lax.betainc(a, b, x)} (JAX's {@code regularized_incomplete_beta} primitive): the
   * regularized incomplete beta function I_x(a, b). Operands of one float dtype, equal shapes or rank-0.
   */
  public static final Primitive BETAINC = new Primitive("regularized_incomplete_beta", (in, p) -> {
    String name = "regularized_incomplete_beta";
    if (in.size() != 3) {
      throw new ShapeError(name + ": expects 3 operands (a, b, x), got " + in.size());
    }
    Aval shaped = null;
    for (Aval v : in) {
      if (v.dtype() != in.get(0).dtype()) {
        throw new ShapeError(name + ": dtypes of " + in + " differ; convert with astype (Special.betainc promotes)");
      }
      requireKind(name, v, Kind.FLOAT);
      if (!v.isScalar()) {
        if (shaped != null && !shaped.sameShape(v)) {
          throw new ShapeError(name + ": shapes " + shaped.shapeString() + " and " + v.shapeString()
              + " must be equal (or rank-0); broadcast first (Special.betainc broadcasts)");
        }
        shaped = v;
      }
    }
    return List.of(shaped != null ? shaped : in.get(0));
  });
  public static final Primitive AND = binary("and", Kind.BOOL_OR_INT, false);
  public static final Primitive OR = binary("or", Kind.BOOL_OR_INT, false);
  public static final Primitive XOR = binary("xor", Kind.BOOL_OR_INT, false);
  public static final Primitive SHIFT_LEFT = binary("shift_left", Kind.INT, false);
  public static final Primitive SHIFT_RIGHT_LOGICAL = binary("shift_right_logical", Kind.INT, false);
  public static final Primitive SHIFT_RIGHT_ARITHMETIC = binary("shift_right_arithmetic", Kind.INT, false);
  public static final Primitive EQ = binary("eq", Kind.ANY, true);
  public static final Primitive NE = binary("ne", Kind.ANY, true);
  public static final Primitive LT = binary("lt", Kind.ORDERED, true);
  public static final Primitive LE = binary("le", Kind.ORDERED, true);
  public static final Primitive GT = binary("gt", Kind.ORDERED, true);
  public static final Primitive GE = binary("ge", Kind.ORDERED, true);

  /**
   * {@code select_n(which, case0, case1)}: case1 where {@code which} is true, else case0 (JAX's
   * argument order). {@code which} is bool, rank-0 or of the cases' shape.
   */
  public static final Primitive SELECT_N = new Primitive("select_n", (in, p) -> {
    if (in.size() != 3) {
      throw new ShapeError("select_n: expects (which, case0, case1), got " + in.size() + " operands");
    }
    Aval which = in.get(0);
    Aval a = in.get(1);
    Aval b = in.get(2);
    if (which.dtype() != DType.BOOL) {
      throw new ShapeError("select_n: the predicate must be bool, got " + which);
    }
    if (!a.equals(b)) {
      throw new ShapeError("select_n: cases must have the same shape and dtype, got " + a + " and " + b);
    }
    if (!which.isScalar() && !which.sameShape(a)) {
      throw new ShapeError("select_n: predicate shape " + which.shapeString() + " and case shape "
          + a.shapeString() + " differ");
    }
    return List.of(a);
  });

  // ---- types ---------------------------------------------------------------------------------
  /** params: {@code new_dtype}. */
  public static final Primitive CONVERT_ELEMENT_TYPE = new Primitive("convert_element_type",
      (in, p) -> List.of(one("convert_element_type", in).withDType(p.getDType("new_dtype"))));

  /** Reinterprets bits between dtypes of equal width (f32 &lt;-&gt; i32/u32). params: {@code new_dtype}. */
  public static final Primitive BITCAST_CONVERT_TYPE = new Primitive("bitcast_convert_type", (in, p) -> {
    Aval x = one("bitcast_convert_type", in);
    DType to = p.getDType("new_dtype");
    if (x.dtype().byteSize() != to.byteSize() || x.dtype().byteSize() != 4 || x.dtype().isBool() || to.isBool()) {
      throw new ShapeError("bitcast_convert_type: cannot reinterpret " + x.dtype().numpyName()
          + " as " + to.numpyName() + ": both must be 4-byte numeric types (f32, i32, u32)");
    }
    return List.of(x.withDType(to));
  });

  // ---- shapes --------------------------------------------------------------------------------
  /**
   * params: {@code shape} (the output shape), {@code broadcast_dimensions} (for each operand
   * axis, the output axis it maps to; operand dims are 1 or equal to the output dim).
   */
  public static final Primitive BROADCAST_IN_DIM = new Primitive("broadcast_in_dim", (in, p) -> {
    Aval x = one("broadcast_in_dim", in);
    int[] shape = p.getInts("shape");
    int[] dims = p.getInts("broadcast_dimensions");
    if (dims.length != x.rank()) {
      throw new ShapeError("broadcast_in_dim: operand " + x.shapeString() + " needs "
          + x.rank() + " broadcast_dimensions, got " + Arrays.toString(dims));
    }
    int prev = -1;
    for (int i = 0; i < dims.length; i++) {
      int d = dims[i];
      if (d < 0 || d >= shape.length || d <= prev
          || (x.dim(i) != 1 && x.dim(i) != shape[d])) {
        throw new ShapeError("broadcast_in_dim: operand shape " + x.shapeString()
            + " cannot be broadcast to " + ShapeError.format(shape) + " with broadcast_dimensions "
            + Arrays.toString(dims));
      }
      prev = d;
    }
    return List.of(x.withShape(shape));
  });

  /** params: {@code new_sizes}. */
  public static final Primitive RESHAPE = new Primitive("reshape", (in, p) -> {
    Aval x = one("reshape", in);
    int[] sizes = p.getInts("new_sizes");
    Aval out = x.withShape(sizes);
    if (out.size() != x.size()) {
      throw new ShapeError("reshape: cannot reshape " + x.shapeString() + " (" + x.size()
          + " elements) into " + ShapeError.format(sizes) + " (" + out.size() + " elements). The new shape "
          + "must have " + x.size() + " elements; pass -1 for one dimension to have it inferred");
    }
    return List.of(out);
  });

  /** params: {@code permutation}. */
  public static final Primitive TRANSPOSE = new Primitive("transpose", (in, p) -> {
    Aval x = one("transpose", in);
    int[] perm = p.getInts("permutation");
    checkPermutation("transpose", perm, x);
    int[] shape = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      shape[i] = x.dim(perm[i]);
    }
    return List.of(x.withShape(shape));
  });

  /** Removes size-1 axes. params: {@code dimensions}. */
  public static final Primitive SQUEEZE = new Primitive("squeeze", (in, p) -> {
    Aval x = one("squeeze", in);
    int[] dims = p.getInts("dimensions");
    boolean[] drop = new boolean[x.rank()];
    for (int d : dims) {
      if (d < 0 || d >= x.rank() || x.dim(d) != 1 || drop[d]) {
        throw new ShapeError("squeeze: cannot squeeze axis " + d + " of shape " + x.shapeString()
            + ": only distinct axes of size 1 can be removed");
      }
      drop[d] = true;
    }
    int[] shape = new int[x.rank() - dims.length];
    for (int i = 0, j = 0; i < x.rank(); i++) {
      if (!drop[i]) {
        shape[j++] = x.dim(i);
      }
    }
    return List.of(x.withShape(shape));
  });

  /** Reverses the given axes. params: {@code dimensions}. */
  public static final Primitive REV = new Primitive("rev", (in, p) -> {
    Aval x = one("rev", in);
    for (int d : p.getInts("dimensions")) {
      checkAxis("rev", d, x);
    }
    return List.of(x);
  });

  /** params: {@code start_indices}, {@code limit_indices}, {@code strides}. */
  public static final Primitive SLICE = new Primitive("slice", (in, p) -> {
    Aval x = one("slice", in);
    int[] start = p.getInts("start_indices");
    int[] limit = p.getInts("limit_indices");
    int[] strides = p.getInts("strides");
    if (start.length != x.rank() || limit.length != x.rank() || strides.length != x.rank()) {
      throw new ShapeError("slice: operand " + x.shapeString() + " needs " + x.rank()
          + " start/limit/stride values, got " + Arrays.toString(start) + ", "
          + Arrays.toString(limit) + ", " + Arrays.toString(strides));
    }
    int[] shape = new int[x.rank()];
    for (int i = 0; i < shape.length; i++) {
      if (start[i] < 0 || limit[i] > x.dim(i) || start[i] > limit[i] || strides[i] < 1) {
        throw new ShapeError("slice: start " + Arrays.toString(start) + " limit "
            + Arrays.toString(limit) + " strides " + Arrays.toString(strides)
            + " are out of bounds for shape " + x.shapeString()
            + " (need 0 <= start <= limit <= dim and stride >= 1)");
      }
      shape[i] = (limit[i] - start[i] + strides[i] - 1) / strides[i];
    }
    return List.of(x.withShape(shape));
  });

  /**
   * {@code pad(operand, padding_value)}; params {@code low}, {@code high}, {@code interior}
   * (per axis; low/high may be negative to crop).
   */
  public static final Primitive PAD = new Primitive("pad", (in, p) -> {
    if (in.size() != 2 || !in.get(1).isScalar() || in.get(0).dtype() != in.get(1).dtype()) {
      throw new ShapeError("pad: expects (operand, rank-0 padding value of the same dtype), got " + in);
    }
    Aval x = in.get(0);
    int[] lo = p.getInts("low");
    int[] hi = p.getInts("high");
    int[] interior = p.getInts("interior");
    if (lo.length != x.rank() || hi.length != x.rank() || interior.length != x.rank()) {
      throw new ShapeError("pad: operand " + x.shapeString() + " needs " + x.rank() + " low/high/interior values");
    }
    int[] shape = new int[x.rank()];
    for (int i = 0; i < shape.length; i++) {
      if (interior[i] < 0) {
        throw new ShapeError("pad: interior padding must be >= 0, got " + Arrays.toString(interior));
      }
      int core = x.dim(i) == 0 ? 0 : x.dim(i) + (x.dim(i) - 1) * interior[i];
      shape[i] = lo[i] + core + hi[i];
      if (shape[i] < 0) {
        throw new ShapeError("pad: padding " + Arrays.toString(lo) + "/" + Arrays.toString(hi)
            + " gives a negative dimension for shape " + x.shapeString());
      }
    }
    return List.of(x.withShape(shape));
  });

  /** params: {@code dimension}. */
  public static final Primitive CONCATENATE = new Primitive("concatenate", (in, p) -> {
    if (in.isEmpty()) {
      throw new ShapeError("concatenate: needs at least one operand");
    }
    int axis = p.getInt("dimension");
    Aval first = in.get(0);
    checkAxis("concatenate", axis, first);
    int total = 0;
    for (Aval a : in) {
      if (a.dtype() != first.dtype() || a.rank() != first.rank()) {
        throw new ShapeError("concatenate: operands " + first + " and " + a + " differ in dtype or rank");
      }
      for (int d = 0; d < a.rank(); d++) {
        if (d != axis && a.dim(d) != first.dim(d)) {
          throw new ShapeError("concatenate: shapes " + first.shapeString() + " and "
              + a.shapeString() + " differ outside axis " + axis);
        }
      }
      total += a.dim(axis);
    }
    int[] shape = first.shape();
    shape[axis] = total;
    return List.of(first.withShape(shape));
  });

  /** No operands. params: {@code dtype}, {@code shape}, {@code dimension}. */
  public static final Primitive IOTA = new Primitive("iota", (in, p) -> {
    if (!in.isEmpty()) {
      throw new ShapeError("iota: takes no operands");
    }
    Aval out = Aval.of(p.getDType("dtype"), p.getInts("shape"));
    checkAxis("iota", p.getInt("dimension"), out);
    return List.of(out);
  });

  // ---- indexing (jnp.take and its transpose) ---------------------------------------------------
  /**
   * {@code gather(operand, indices)} along one axis: the one-axis form of {@code lax.gather} that
   * {@code jnp.take(operand, indices, axis, mode="clip")} lowers to. params: {@code axis}. Output
   * shape: {@code operand.shape[:axis] + indices.shape + operand.shape[axis+1:]}. Indices are i32
   * or u32 (u32 read as unsigned) and are clamped to {@code [0, operand.shape[axis] - 1]}.
   */
  public static final Primitive GATHER = new Primitive("gather", (in, p) -> {
    if (in.size() != 2) {
      throw new ShapeError("gather: expects (operand, indices), got " + in.size() + " operands");
    }
    Aval x = in.get(0);
    Aval idx = in.get(1);
    int axis = p.getInt("axis");
    checkAxis("gather", axis, x);
    requireIndices("gather", idx);
    if (x.dim(axis) == 0 && idx.size() > 0) {
      throw new ShapeError("gather: axis " + axis + " of shape " + x.shapeString()
          + " is empty, so no index can be taken from it");
    }
    return List.of(x.withShape(takeShape(x.shape(), axis, idx.shape())));
  });

  /**
   * {@code scatter_add(operand, indices, updates)} along one axis: {@code operand} with each
   * slice of {@code updates} added at its (clamped) index, duplicates accumulating in index order;
   * the transpose of {@link #GATHER} ({@code operand.at[..., indices, ...].add(updates,
   * mode="clip")}). params: {@code axis}. {@code updates} has gather's output shape.
   */
  public static final Primitive SCATTER_ADD = new Primitive("scatter_add", (in, p) -> {
    if (in.size() != 3) {
      throw new ShapeError("scatter_add: expects (operand, indices, updates), got " + in.size() + " operands");
    }
    Aval x = in.get(0);
    Aval idx = in.get(1);
    Aval upd = in.get(2);
    int axis = p.getInt("axis");
    checkAxis("scatter_add", axis, x);
    requireKind("scatter_add", x, Kind.NUMBER);
    requireIndices("scatter_add", idx);
    if (x.dim(axis) == 0 && idx.size() > 0) {
      throw new ShapeError("scatter_add: axis " + axis + " of shape " + x.shapeString()
          + " is empty, so no index can be updated");
    }
    Aval expected = x.withShape(takeShape(x.shape(), axis, idx.shape()));
    if (!upd.equals(expected)) {
      throw new ShapeError("scatter_add: updates are " + upd + " but operand " + x + " with indices "
          + idx.shapeString() + " along axis " + axis + " needs " + expected);
    }
    return List.of(x);
  });

  /** {@code shape[:axis] + indexShape + shape[axis+1:]}: what taking along {@code axis} gives. */
  public static int[] takeShape(int[] shape, int axis, int[] indexShape) {
    int[] out = new int[shape.length - 1 + indexShape.length];
    System.arraycopy(shape, 0, out, 0, axis);
    System.arraycopy(indexShape, 0, out, axis, indexShape.length);
    System.arraycopy(shape, axis + 1, out, axis + indexShape.length, shape.length - axis - 1);
    return out;
  }

  private static void requireIndices(String op, Aval idx) {
    if (!idx.dtype().isInteger()) {
      throw new ShapeError(op + ": indices must be i32 or u32, got " + idx
          + "; convert them with astype(DType.I32) (floats are not rounded for you)");
    }
  }

  // ---- reductions ----------------------------------------------------------------------------
  /** params: {@code axes}. */
  public static final Primitive REDUCE_SUM = reduce("reduce_sum", Kind.NUMBER);
  /** On c64 (jnp.max/min of complex): XLA's complex max/min folded in order (backend/cpu/ComplexKernels). */
  public static final Primitive REDUCE_MAX = reduce("reduce_max", Kind.ANY);
  public static final Primitive REDUCE_MIN = reduce("reduce_min", Kind.ANY);
  /**
   * params: {@code axes}. complex64 only: {@code jnp.prod} of c64, folded in XLA CPU's order
   * (backend/cpu/ComplexReduceTree). Array.prod of other dtypes is the last running product.
   */
  public static final Primitive REDUCE_PROD = new Primitive("reduce_prod", (in, p) -> {
    Aval x = one("reduce_prod", in);
    if (!x.dtype().isComplex()) {
      throw new ShapeError("reduce_prod: got " + x + "; the primitive takes complex64 only, use Array.prod(axes...)"
          + " for other dtypes");
    }
    return List.of(x.withShape(reducedShape("reduce_prod", x, p.getInts("axes"))));
  });
  /** params: {@code axes} (exactly one), {@code index_dtype}. First index of the maximum; NaN wins. */
  public static final Primitive ARGMAX = argReduce("argmax");
  public static final Primitive ARGMIN = argReduce("argmin");

  /**
   * params: {@code dimension_numbers} = [lhs_contracting, rhs_contracting, lhs_batch,
   * rhs_batch] (a List of int[]), optional {@code preferred_element_type} (a DType: the output
   * dtype, products accumulated in it with no rounding to the operands' dtype; bf16 operands
   * with f32 is mixed precision). Output axes: batch, lhs free, rhs free.
   */
  public static final Primitive DOT_GENERAL = new Primitive("dot_general", (in, p) -> {
    if (in.size() != 2) {
      throw new ShapeError("dot_general: expects 2 operands, got " + in.size());
    }
    Aval l = in.get(0);
    Aval r = in.get(1);
    if (l.dtype() != r.dtype() || l.dtype().isBool()) {
      throw new ShapeError("dot_general: operands must share a numeric dtype, got " + l + " and " + r);
    }
    List<int[]> dn = p.getList("dimension_numbers");
    int[] lc = dn.get(0), rc = dn.get(1), lb = dn.get(2), rb = dn.get(3);
    if (lc.length != rc.length || lb.length != rb.length) {
      throw new ShapeError("dot_general: contracting/batch dimension counts differ");
    }
    for (int i = 0; i < lc.length; i++) {
      checkAxis("dot_general", lc[i], l);
      checkAxis("dot_general", rc[i], r);
      if (l.dim(lc[i]) != r.dim(rc[i])) {
        throw new ShapeError("dot_general: contracting dimensions differ: lhs " + l.shapeString()
            + " axis " + lc[i] + " vs rhs " + r.shapeString() + " axis " + rc[i]);
      }
    }
    for (int i = 0; i < lb.length; i++) {
      checkAxis("dot_general", lb[i], l);
      checkAxis("dot_general", rb[i], r);
      if (l.dim(lb[i]) != r.dim(rb[i])) {
        throw new ShapeError("dot_general: batch dimensions differ: lhs " + l.shapeString()
            + " vs rhs " + r.shapeString());
      }
    }
    List<Integer> shape = new ArrayList<>();
    for (int b : lb) {
      shape.add(l.dim(b));
    }
    for (int d = 0; d < l.rank(); d++) {
      if (!contains(lc, d) && !contains(lb, d)) {
        shape.add(l.dim(d));
      }
    }
    for (int d = 0; d < r.rank(); d++) {
      if (!contains(rc, d) && !contains(rb, d)) {
        shape.add(r.dim(d));
      }
    }
    DType outType = l.dtype();
    if (p.has("preferred_element_type") && p.get("preferred_element_type") != null) {
      outType = p.getDType("preferred_element_type");
      boolean ok = l.dtype().isFloating()
          ? outType.isFloating() && DType.promote(l.dtype(), outType) == outType
          : outType == l.dtype();
      if (!ok) {
        throw new ShapeError("dot_general: preferred_element_type " + outType.numpyName() + " cannot hold "
            + l.dtype().numpyName() + " products: use a float type at least as wide as the operands"
            + " (e.g. float32 for bfloat16 operands), or the operands' own dtype");
      }
    }
    return List.of(Aval.of(outType, shape.stream().mapToInt(Integer::intValue).toArray()));
  });

  // ---- control flow and effects ----------------------------------------------------------------
  /**
   * {@code cond(index, operands...)}: runs {@code branches[index]} (a List of closed jaxprs with
   * identical signatures) on the operands. A bool index picks branches[1] when true.
   */
  public static final Primitive COND = new Primitive("cond", (in, p) -> {
    List<Jaxpr> branches = p.getList("branches");
    Aval index = in.get(0);
    if (!index.isScalar() || !(index.dtype() == DType.BOOL || index.dtype() == DType.I32)) {
      throw new ShapeError("cond: the predicate must be a bool or i32 scalar, got " + index);
    }
    List<Aval> ops = in.subList(1, in.size());
    for (Jaxpr b : branches) {
      if (!b.inAvals().equals(ops)) {
        throw new ShapeError("cond: branch inputs " + b.inAvals() + " do not match operands " + ops);
      }
      if (!b.outAvals().equals(branches.get(0).outAvals())) {
        throw new ShapeError("cond: branches return different types: "
            + branches.get(0).outAvals() + " vs " + b.outAvals());
      }
    }
    return branches.get(0).outAvals();
  });

  /**
   * {@code scan(consts..., carry..., xs...)} with params {@code jaxpr} (body: consts, carry,
   * x slices -&gt; carry, y slices), {@code length}, {@code num_consts}, {@code num_carry},
   * {@code reverse}. Outputs: final carry, then ys stacked along a new leading axis.
   */
  public static final Primitive SCAN = new Primitive("scan", (in, p) -> {
    Jaxpr body = p.getJaxpr("jaxpr");
    int length = p.getInt("length");
    int nConsts = p.getInt("num_consts");
    int nCarry = p.getInt("num_carry");
    List<Aval> bodyIn = body.inAvals();
    if (bodyIn.size() != in.size()) {
      throw new ShapeError("scan: body takes " + bodyIn.size() + " inputs, got " + in.size());
    }
    for (int i = 0; i < in.size(); i++) {
      Aval expected = bodyIn.get(i);
      Aval actual = in.get(i);
      if (i >= nConsts + nCarry) {
        if (actual.rank() == 0 || actual.dim(0) != length) {
          throw new ShapeError("scan: xs operand " + actual + " needs leading axis of length " + length);
        }
        actual = actual.withShape(Arrays.copyOfRange(actual.shape(), 1, actual.rank()));
      }
      if (!expected.equals(actual)) {
        throw new ShapeError("scan: operand " + i + " is " + actual + " but the body expects " + expected);
      }
    }
    List<Aval> bodyOut = body.outAvals();
    for (int i = 0; i < nCarry; i++) {
      if (!bodyOut.get(i).equals(bodyIn.get(nConsts + i))) {
        throw new ShapeError("scan: the body returns carry " + bodyOut.get(i)
            + " but takes " + bodyIn.get(nConsts + i) + "; the carry type must not change");
      }
    }
    List<Aval> out = new ArrayList<>(bodyOut.subList(0, nCarry));
    for (Aval y : bodyOut.subList(nCarry, bodyOut.size())) {
      int[] s = new int[y.rank() + 1];
      s[0] = length;
      System.arraycopy(y.shape(), 0, s, 1, y.rank());
      out.add(y.withShape(s));
    }
    return out;
  });

  /**
   * JAX's {@code while(cond_consts..., body_consts..., carry...)} with params {@code cond_jaxpr}
   * (cond consts, carry -&gt; bool[]), {@code body_jaxpr} (body consts, carry -&gt; carry),
   * {@code cond_nconsts}, {@code body_nconsts}: {@code while cond(carry): carry = body(carry)}.
   * Outputs: the final carry.
   */
  public static final Primitive WHILE = new Primitive("while", (in, p) -> {
    Jaxpr cond = p.getJaxpr("cond_jaxpr");
    Jaxpr body = p.getJaxpr("body_jaxpr");
    int nc = p.getInt("cond_nconsts");
    int nb = p.getInt("body_nconsts");
    if (nc + nb > in.size()) {
      throw new ShapeError("while: " + (nc + nb) + " consts declared but only " + in.size() + " operands");
    }
    List<Aval> carry = in.subList(nc + nb, in.size());
    List<Aval> condIn = new ArrayList<>(in.subList(0, nc));
    condIn.addAll(carry);
    if (!cond.inAvals().equals(condIn)) {
      throw new ShapeError("while: cond_jaxpr takes " + cond.inAvals() + " but gets " + condIn);
    }
    if (!cond.outAvals().equals(List.of(Aval.scalar(DType.BOOL)))) {
      throw new ShapeError("while: cond_jaxpr must return one bool[], returns " + cond.outAvals());
    }
    List<Aval> bodyIn = new ArrayList<>(in.subList(nc, nc + nb));
    bodyIn.addAll(carry);
    if (!body.inAvals().equals(bodyIn)) {
      throw new ShapeError("while: body_jaxpr takes " + body.inAvals() + " but gets " + bodyIn);
    }
    if (!body.outAvals().equals(carry)) {
      throw new ShapeError("while: body_jaxpr returns " + body.outAvals() + " but the carry is " + carry
          + "; the carry type must not change");
    }
    return List.copyOf(carry);
  });

  /** Prints its operands formatted by {@code fmt} ("{}" placeholders) at run time. No outputs. */
  public static final Primitive DEBUG_PRINT = new Primitive("debug_print", (in, p) -> List.of(), true);

  // ---- rules ---------------------------------------------------------------------------------

  /**
   * Which dtypes an operand may have. NUMERIC and FLOAT are real; complex64 is accepted only where
   * named (NUMBER, FLOAT_OR_COMPLEX) and refused where an order is needed (ORDERED), as lax.
   */
  enum Kind { ANY, ORDERED, NUMERIC, NUMBER, FLOAT, FLOAT_OR_COMPLEX, INT, BOOL_OR_INT }

  private static Primitive unary(String name, Kind kind) {
    return new Primitive(name, (in, p) -> {
      Aval x = one(name, in);
      requireKind(name, x, kind);
      return List.of(x);
    });
  }

  private static Primitive binary(String name, Kind kind, boolean comparison) {
    return new Primitive(name, (in, p) -> {
      if (in.size() != 2) {
        throw new ShapeError(name + ": expects 2 operands, got " + in.size());
      }
      Aval a = in.get(0);
      Aval b = in.get(1);
      if (a.dtype() != b.dtype()) {
        throw new ShapeError(name + ": dtypes " + a.dtype().numpyName() + " and "
            + b.dtype().numpyName() + " differ; convert one with astype (Array methods promote automatically)");
      }
      requireKind(name, a, kind);
      Aval shaped;
      if (a.sameShape(b) || b.isScalar()) {
        shaped = a;
      } else if (a.isScalar()) {
        shaped = b;
      } else {
        throw new ShapeError(name + ": shapes " + a.shapeString() + " and " + b.shapeString()
            + " must be equal (or one rank-0); broadcast first (Array methods broadcast automatically)");
      }
      return List.of(comparison ? shaped.withDType(DType.BOOL) : shaped);
    });
  }

  private static Primitive reduce(String name, Kind kind) {
    return new Primitive(name, (in, p) -> {
      Aval x = one(name, in);
      requireKind(name, x, kind);
      return List.of(x.withShape(reducedShape(name, x, p.getInts("axes"))));
    });
  }

  private static Primitive argReduce(String name) {
    return new Primitive(name, (in, p) -> {
      Aval x = one(name, in);
      requireKind(name, x, Kind.ORDERED);
      int[] axes = p.getInts("axes");
      if (axes.length != 1) {
        throw new ShapeError(name + ": exactly one axis, got " + Arrays.toString(axes));
      }
      if (x.dim(axes[0]) == 0) {
        throw new ShapeError(name + ": axis " + axes[0] + " of shape " + x.shapeString() + " is empty");
      }
      DType idx = p.getDType("index_dtype");
      return List.of(Aval.of(idx, reducedShape(name, x, axes)));
    });
  }

  /** The shape left after removing {@code axes} (validated: in range, distinct). */
  public static int[] reducedShape(String op, Aval x, int[] axes) {
    boolean[] drop = new boolean[x.rank()];
    for (int a : axes) {
      checkAxis(op, a, x);
      if (drop[a]) {
        throw new ShapeError(op + ": duplicate axis " + a + " in " + Arrays.toString(axes));
      }
      drop[a] = true;
    }
    int[] shape = new int[x.rank() - axes.length];
    for (int i = 0, j = 0; i < x.rank(); i++) {
      if (!drop[i]) {
        shape[j++] = x.dim(i);
      }
    }
    return shape;
  }

  static Aval one(String name, List<Aval> in) {
    if (in.size() != 1) {
      throw new ShapeError(name + ": expects 1 operand, got " + in.size());
    }
    return in.get(0);
  }

  static void requireKind(String name, Aval x, Kind kind) {
    DType d = x.dtype();
    boolean ok = switch (kind) {
      case ANY -> true;
      case ORDERED -> !d.isComplex();
      case NUMERIC -> !d.isBool() && !d.isComplex();
      case NUMBER -> !d.isBool();
      case FLOAT -> d.isFloating();
      case FLOAT_OR_COMPLEX -> d.isInexact();
      case INT -> d.isInteger();
      case BOOL_OR_INT -> d.isBool() || d.isInteger();
    };
    if (!ok) {
      if (d.isComplex()) {
        throw new ShapeError(name + ": got " + x + ", but " + name + " is not defined for complex64"
            + (kind == Kind.ORDERED ? " (lax gives complex numbers no order, and neither does jnp." + name + "; jnp's"
                + " lexicographic order is in Array.lt/gt/le/ge, maximum/minimum, max/min and sort/argsort;"
                + " or compare real(), imag() or abs())"
                : "; apply it to real(), imag() or abs() of the value"));
      }
      String need = switch (kind) {
        case ANY, ORDERED -> "any dtype";
        case NUMERIC, NUMBER -> "a numeric dtype (not bool); convert with astype";
        case FLOAT, FLOAT_OR_COMPLEX -> "a floating dtype (f32 or f64); convert with astype(DType.F32)";
        case INT -> "an integer dtype (i32 or u32)";
        case BOOL_OR_INT -> "a bool or integer dtype";
      };
      throw new ShapeError(name + ": got " + x + ", needs " + need);
    }
  }

  static void checkAxis(String op, int axis, Aval x) {
    if (axis < 0 || axis >= x.rank()) {
      throw new ShapeError(op + ": axis " + axis + " is out of range for shape " + x.shapeString()
          + " (rank " + x.rank() + ")");
    }
  }

  private static void checkPermutation(String op, int[] perm, Aval x) {
    boolean[] seen = new boolean[x.rank()];
    boolean ok = perm.length == x.rank();
    for (int a : perm) {
      ok &= a >= 0 && a < x.rank() && !seen[a];
      if (ok) {
        seen[a] = true;
      }
    }
    if (!ok) {
      throw new ShapeError(op + ": " + Arrays.toString(perm) + " is not a permutation of the axes of "
          + x.shapeString() + ". Name each axis 0.." + (x.rank() - 1) + " exactly once");
    }
  }

  private static boolean contains(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }
}
