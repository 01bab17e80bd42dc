package dev.statelens.engine;

import static dev.statelens.engine.NumpyMath.floaty;

import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.trace.TraceStack;
import dev.statelens.engine.trace.Tracer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable n-dimensional array, like {@code jax.Array}: a shape and a {@link DType} plus
 * either concrete data on a backend or, while a function is being traced, a {@link Tracer}.
 *
 * <p>Methods follow NumPy: operands broadcast ({@code [3,1]} with {@code [4]} gives
 * {@code [3,4]}), dtypes promote as in JAX ({@code i32} with {@code f32} gives {@code f32}), and
 * Java numbers are weakly typed ({@code x.add(1)} keeps {@code x}'s dtype; a fractional number
 * with an integer array gives {@code f32}). Integer {@code div} truncates and {@code rem} has the
 * dividend's sign, as {@code lax.div}/{@code lax.rem}. Reductions take axes; none means all axes.
 * Elementwise max/min with a Java number are {@link #maximum(double)}/{@link #minimum(double)},
 * because {@code x.max(0)} is, as in NumPy, the maximum along axis 0.
 */
public final class Array {
  private final Aval aval;
  private final Buffer buffer;
  private final Tracer tracer;

  private Array(Aval aval, Buffer buffer, Tracer tracer) {
    this.aval = aval;
    this.buffer = buffer;
    this.tracer = tracer;
  }

  // ---- internal constructors (used by traces and backends) -------------------------------------

  /** Wraps a concrete backend buffer (engine internal). */
  public static Array fromBuffer(Buffer buffer) {
    return new Array(buffer.aval(), buffer, null);
  }

  /** Wraps a tracer (engine internal: traces create these). */
  public static Array fromTracer(Tracer tracer) {
    return new Array(tracer.aval(), null, tracer);
  }

  /** The tracer, or null for a concrete array (engine internal). */
  public Tracer tracer() {
    return tracer;
  }

  /** True if this array holds data (not a tracer). */
  public boolean isConcrete() {
    return tracer == null;
  }

  /**
   * The concrete buffer (engine internal). For a tracer whose trace ended this throws
   * {@link UnexpectedTracerError}; for a live tracer {@link ConcretizationError}.
   */
  public Buffer buffer() {
    if (buffer != null) {
      return buffer;
    }
    return concrete("a concrete operation").buffer;
  }

  /** This array's concrete value: itself, or (under grad) a tracer's concrete primal. */
  private Array concrete(String operation) {
    if (tracer == null) {
      return this;
    }
    TraceStack.checkAlive(tracer, operation);
    return tracer.toConcrete(operation);
  }

  /** The host data of a concrete array; callers must not modify it. */
  private Object host(String operation) {
    Array c = concrete(operation);
    return Backends.current().download(c.buffer);
  }

  /**
   * Whether this concrete rank-0 array can be a jaxpr literal (a real value): a complex scalar
   * only where its imaginary part is 0, as {@code (2+0j):c64[]}; others become graph constants.
   */
  public boolean fitsLiteral() {
    return aval.isScalar() && (!aval.dtype().isComplex() || ((float[]) host("literal"))[1] == 0);
  }

  /** Value of a concrete rank-0 array, as stored in a jaxpr literal (engine internal). */
  public double scalarValueForLiteral() {
    return HostArrays.getDouble(host("literal"), aval.dtype(), 0);
  }

  private static Array create(DType dtype, int[] shape, Object host) {
    Aval aval = Aval.of(dtype, shape);
    return fromBuffer(Backends.current().upload(aval, host));
  }

  // ---- factories --------------------------------------------------------------------------------

  /** A rank-0 F32 array (JAX's default float). */
  public static Array scalar(double value) {
    return scalar(DType.F32, value);
  }

  /** A rank-0 array of {@code dtype}; integers wrap (u32 -1 is 4294967295), bool is value != 0. */
  public static Array scalar(DType dtype, double value) {
    Object host = HostArrays.allocate(dtype, 1);
    setWrapping(host, dtype, 0, value);
    return create(dtype, new int[0], host);
  }

  private static void setWrapping(Object host, DType dtype, int i, double value) {
    if (dtype.isInteger()) {
      ((int[]) host)[i] = (int) (long) value;
    } else {
      HostArrays.setDouble(host, dtype, i, value);
    }
  }

  /** A 1-D F32 array. */
  public static Array of(float... values) {
    return create(DType.F32, new int[] {values.length}, values.clone());
  }

  /** A 1-D F64 array. */
  public static Array of(double... values) {
    return create(DType.F64, new int[] {values.length}, values.clone());
  }

  /** A 1-D I32 array. */
  public static Array of(int... values) {
    return create(DType.I32, new int[] {values.length}, values.clone());
  }

  /** A 1-D BOOL array. */
  public static Array of(boolean... values) {
    return create(DType.BOOL, new int[] {values.length}, values.clone());
  }

  /** An array of {@code dtype} and {@code shape} from row-major values, converted to dtype. */
  public static Array of(DType dtype, int[] shape, float... values) {
    return fromValues(dtype, shape, values.length, i -> values[i]);
  }

  /** An array of {@code dtype} and {@code shape} from row-major values, converted to dtype. */
  public static Array of(DType dtype, int[] shape, double... values) {
    return fromValues(dtype, shape, values.length, i -> values[i]);
  }

  /**
   * An array of {@code dtype} and {@code shape} from row-major values, converted to dtype
   * (for U32 the ints are taken as raw bits).
   */
  public static Array of(DType dtype, int[] shape, int... values) {
    if (dtype.isInteger()) {
      checkCount(dtype, shape, values.length);
      return create(dtype, shape, values.clone());
    }
    return fromValues(dtype, shape, values.length, i -> values[i]);
  }

  /** A BOOL array (or 0/1 of another dtype) of {@code shape}. */
  public static Array of(DType dtype, int[] shape, boolean... values) {
    return fromValues(dtype, shape, values.length, i -> values[i] ? 1 : 0);
  }

  private static Array fromValues(DType dtype, int[] shape, int count, java.util.function.IntToDoubleFunction get) {
    checkCount(dtype, shape, count);
    Object host = HostArrays.allocate(dtype, count);
    for (int i = 0; i < count; i++) {
      setWrapping(host, dtype, i, get.applyAsDouble(i));
    }
    return create(dtype, shape, host);
  }

  private static void checkCount(DType dtype, int[] shape, int count) {
    Aval aval = Aval.of(dtype, shape);
    if (aval.size() != count) {
      throw new ShapeError("Array.of: shape " + aval.shapeString() + " needs " + aval.size()
          + " values, got " + count);
    }
  }

  /** F32 zeros. */
  public static Array zeros(int... shape) {
    return full(DType.F32, shape, 0);
  }

  public static Array zeros(DType dtype, int... shape) {
    return full(dtype, shape, 0);
  }

  /** F32 ones. */
  public static Array ones(int... shape) {
    return full(DType.F32, shape, 1);
  }

  public static Array ones(DType dtype, int... shape) {
    return full(dtype, shape, 1);
  }

  /** An F32 array filled with {@code value}. */
  public static Array full(int[] shape, double value) {
    return full(DType.F32, shape, value);
  }

  public static Array full(DType dtype, int[] shape, double value) {
    Aval aval = Aval.of(dtype, shape);
    Object host = HostArrays.allocate(dtype, aval.size());
    switch (host) {
      case float[] a when dtype.isComplex() -> {
        for (int i = 0; i < a.length; i += 2) {
          a[i] = (float) value; // value + 0j
        }
      }
      case float[] a -> Arrays.fill(a, (float) value);
      case double[] a -> Arrays.fill(a, value);
      case int[] a -> Arrays.fill(a, (int) (long) value);
      case boolean[] a -> Arrays.fill(a, value != 0);
      case short[] a -> Arrays.fill(a, dev.statelens.engine.backend.HalfFloats.fromDouble(dtype, value));
      default -> throw new AssertionError();
    }
    return create(dtype, shape, host);
  }

  /** Zeros with the shape and dtype of {@code x}. */
  public static Array zerosLike(Array x) {
    return full(x.dtype(), x.aval.shape(), 0);
  }

  public static Array onesLike(Array x) {
    return full(x.dtype(), x.aval.shape(), 1);
  }

  /** {@code [0, 1, ..., n-1]} of {@code dtype}. */
  public static Array iota(DType dtype, int n) {
    return arange(dtype, 0, n, 1);
  }

  /** I32 {@code [0, 1, ..., n-1]}. */
  public static Array arange(int n) {
    return arange(DType.I32, 0, n, 1);
  }

  /** I32 {@code [start, start+1, ..., stop-1]}. */
  public static Array arange(int start, int stop) {
    return arange(DType.I32, start, stop, 1);
  }

  /** I32 {@code [start, start+step, ...)} up to (excluding) stop. */
  public static Array arange(int start, int stop, int step) {
    return arange(DType.I32, start, stop, step);
  }

  /** F32 {@code [start, start+step, ...)} up to (excluding) stop, as {@code jnp.arange}. */
  public static Array arange(double start, double stop, double step) {
    return arange(DType.F32, start, stop, step);
  }

  public static Array arange(DType dtype, double start, double stop, double step) {
    if (step == 0 || Double.isNaN(step)) {
      throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
    }
    int n = (int) Math.max(0, Math.ceil((stop - start) / step));
    Object host = HostArrays.allocate(dtype, n);
    for (int i = 0; i < n; i++) {
      setWrapping(host, dtype, i, start + i * step);
    }
    return create(dtype, new int[] {n}, host);
  }

  // ---- basic properties -------------------------------------------------------------------------

  public int[] shape() {
    return aval.shape();
  }

  public DType dtype() {
    return aval.dtype();
  }

  public int ndim() {
    return aval.rank();
  }

  public int size() {
    return aval.size();
  }

  /** Shape and dtype. */
  public Aval aval() {
    return aval;
  }

  /** Length of axis {@code axis} (negative counts from the end). */
  public int dim(int axis) {
    return aval.dim(normAxis("dim", axis, ndim()));
  }

  // ---- elementwise ------------------------------------------------------------------------------
  // A Java number operand is typed as JAX types a Python scalar (weakly): the long overloads take
  // Java's int and long (JAX's weak int: i.add(1) stays i32, f16.mul(2) stays f16), the double ones
  // take double and float (JAX's weak float: i.add(2.0) is f32). Java picks long for 1, 1L or an int
  // variable and double for 1.0, 1f or a double variable, so x.add(1) reads as Python's x + 1.

  public Array add(Array y) { return binary("add", Prims.ADD, this, y); }
  public Array add(long y) { return binary("add", Prims.ADD, this, weak("add", y)); }
  public Array add(double y) { return binary("add", Prims.ADD, this, weak("add", y)); }
  public Array sub(Array y) { return binary("sub", Prims.SUB, this, y); }
  public Array sub(long y) { return binary("sub", Prims.SUB, this, weak("sub", y)); }
  public Array sub(double y) { return binary("sub", Prims.SUB, this, weak("sub", y)); }
  public Array mul(Array y) { return binary("mul", Prims.MUL, this, y); }
  public Array mul(long y) { return binary("mul", Prims.MUL, this, weak("mul", y)); }
  public Array mul(double y) { return binary("mul", Prims.MUL, this, weak("mul", y)); }
  /** Floats: true division. Integers: truncating division (unsigned for U32), as lax.div. */
  public Array div(Array y) { return binary("div", Prims.DIV, this, y); }
  public Array div(long y) { return binary("div", Prims.DIV, this, weak("div", y)); }
  public Array div(double y) { return binary("div", Prims.DIV, this, weak("div", y)); }
  /** Remainder with the sign of the dividend (C fmod, lax.rem). */
  public Array rem(Array y) { return binary("rem", Prims.REM, this, y); }
  public Array rem(long y) { return binary("rem", Prims.REM, this, weak("rem", y)); }
  public Array rem(double y) { return binary("rem", Prims.REM, this, weak("rem", y)); }
  public Array pow(Array y) { return binary("pow", Prims.POW, this, y); }
  /**
   * {@code x ** y} with an integral exponent, as {@code jnp.power(x, 2)}: {@code lax.integer_pow}
   * ({@link #integerPow}: multiplications, exact on integers; {@code x.pow(3)} is {@code (x*x)*x}).
   * An integer array with a negative exponent is refused, as JAX refuses it.
   */
  public Array pow(long y) {
    if (y != (int) y) {
      return binary("pow", Prims.POW, this, weak("pow", y)); // weak() refuses it: outside int32
    }
    Array base = dtype().isBool() ? astype(DType.I32) : this; // JAX's promote_dtypes_numeric
    if (y < 0 && base.dtype().isInteger()) {
      throw new IllegalArgumentException("pow: the " + aval + " array cannot be raised to the negative integer power " + y
          + " (JAX: 'Integers cannot be raised to negative powers'). Fix: a float exponent, pow(" + y
          + ".0), gives f32, as does converting first: x.astype(DType.F32).pow(" + y + ")");
    }
    return base.integerPow((int) y);
  }
  /** {@code x ** y} with a floating exponent: {@code lax.pow}, on F32 for an integer array (JAX's weak float). */
  public Array pow(double y) { return binary("pow", Prims.POW, this, weak("pow", y)); }
  /** Elementwise maximum (NaN propagates). */
  public Array max(Array y) { return binary("max", Prims.MAX, this, y); }
  /** Elementwise minimum (NaN propagates). */
  public Array min(Array y) { return binary("min", Prims.MIN, this, y); }
  /** Elementwise maximum, like {@code jnp.maximum}: {@code x.maximum(0)} is ReLU. */
  public Array maximum(Array y) { return max(y); }
  public Array maximum(long y) { return binary("maximum", Prims.MAX, this, weak("maximum", y)); }
  public Array maximum(double y) { return binary("maximum", Prims.MAX, this, weak("maximum", y)); }
  public Array minimum(Array y) { return min(y); }
  public Array minimum(long y) { return binary("minimum", Prims.MIN, this, weak("minimum", y)); }
  public Array minimum(double y) { return binary("minimum", Prims.MIN, this, weak("minimum", y)); }
  public Array atan2(Array y) { return binary("atan2", Prims.ATAN2, floaty(this), floaty(y)); }
  /** {@code jnp.hypot}: {@code sqrt(x^2 + y^2)} without overflow or underflow in the squares. */
  public Array hypot(Array y) { return NumpyMath.hypot(this, y); }
  /** {@code jnp.logaddexp}: {@code log(exp(x) + exp(y))} without overflow; JAX's custom JVP (1/2 each at a tie). */
  public Array logaddexp(Array y) { return NumpyMath.logaddexp(this, y); }
  /** The int goes straight to the float dtype, as JAX's promote_args_inexact: {@code u32.logaddexp(-3)} uses -3.0, not -3 wrapped to u32. */
  public Array logaddexp(long y) { return NumpyMath.logaddexp(this, weakScalar("logaddexp", NumpyMath.floatyDtype(dtype()), aval, y)); }
  public Array logaddexp(double y) { return NumpyMath.logaddexp(this, weak("logaddexp", y)); }
  /** {@code x // y} ({@code jnp.floor_divide}): the quotient rounded toward -inf, integers and floats. */
  public Array floorDivide(Array y) { return NumpyMath.floorDivide(this, y); }
  public Array floorDivide(long y) { return NumpyMath.floorDivide(this, weak("floorDivide", y)); }
  public Array floorDivide(double y) { return NumpyMath.floorDivide(this, weak("floorDivide", y)); }

  /** {@code y - this}, for Java number on the left: {@code x.rsub(1)} is {@code 1 - x}. */
  public Array rsub(long y) { return binary("sub", Prims.SUB, weak("sub", y), this); }
  public Array rsub(double y) { return binary("sub", Prims.SUB, weak("sub", y), this); }
  /** {@code y / this}. */
  public Array rdiv(long y) { return binary("div", Prims.DIV, weak("div", y), this); }
  public Array rdiv(double y) { return binary("div", Prims.DIV, weak("div", y), this); }

  public Array neg() { return unary(Prims.NEG, this); }
  public Array abs() { return unary(Prims.ABS, this); }
  public Array sign() { return unary(Prims.SIGN, this); }
  public Array square() { return unary(Prims.SQUARE, this); }
  /** {@code 1 / x}; integer arrays are converted to F32 first. */
  public Array reciprocal() { Array x = floaty(this); return x.rdiv(1); }
  public Array exp() { return unary(Prims.EXP, floaty(this)); }
  public Array log() { return unary(Prims.LOG, floaty(this)); }
  public Array log1p() { return unary(Prims.LOG1P, floaty(this)); }
  /** The error function, {@code lax.erf} / {@code jax.scipy.special.erf}. */
  public Array erf() { return unary(Prims.ERF, floaty(this)); }
  /** {@code lax.erfc}: {@code 1 - erf(x)}, accurate in the tail where {@code 1 - erf} rounds to 0. */
  public Array erfc() { return unary(Prims.ERFC, floaty(this)); }
  public Array expm1() { return unary(Prims.EXPM1, floaty(this)); }
  public Array tanh() { return unary(Prims.TANH, floaty(this)); }
  public Array sin() { return unary(Prims.SIN, floaty(this)); }
  public Array cos() { return unary(Prims.COS, floaty(this)); }
  // trig and hyperbolic (lax names, which numpy 2 / jnp also take: jnp.asin is jnp.arcsin); NaN outside the domain
  public Array tan() { return unary(Prims.TAN, floaty(this)); }
  public Array asin() { return unary(Prims.ASIN, floaty(this)); }
  public Array acos() { return unary(Prims.ACOS, floaty(this)); }
  public Array atan() { return unary(Prims.ATAN, floaty(this)); }
  public Array sinh() { return unary(Prims.SINH, floaty(this)); }
  public Array cosh() { return unary(Prims.COSH, floaty(this)); }
  public Array asinh() { return unary(Prims.ASINH, floaty(this)); }
  public Array acosh() { return unary(Prims.ACOSH, floaty(this)); }
  public Array atanh() { return unary(Prims.ATANH, floaty(this)); }
  /** {@code 2^x} ({@code lax.exp2}). */
  public Array exp2() { return unary(Prims.EXP2, floaty(this)); }
  /** {@code jnp.log2}: {@code log(x) / log(2)}. */
  public Array log2() { return NumpyMath.log2(this); }
  /** {@code jnp.log10}: {@code log(x) / ln(10)}. */
  public Array log10() { return NumpyMath.log10(this); }
  public Array sqrt() { return unary(Prims.SQRT, floaty(this)); }
  public Array rsqrt() { return unary(Prims.RSQRT, floaty(this)); }
  /** The logistic sigmoid {@code 1 / (1 + exp(-x))}. */
  public Array logistic() { return unary(Prims.LOGISTIC, floaty(this)); }
  /** Same as {@link #logistic()}. */
  public Array sigmoid() { return logistic(); }
  /** Floor; integer arrays are returned unchanged. */
  public Array floor() { return dtype().isInexact() ? unary(Prims.FLOOR, this) : this; }
  public Array ceil() { return dtype().isInexact() ? unary(Prims.CEIL, this) : this; }
  /** Rounds half away from zero (lax.round default). */
  public Array round() { return dtype().isInexact() ? unary(Prims.ROUND, this) : this; }
  /** {@code jnp.isfinite}: of a complex64, both parts finite. */
  public Array isFinite() {
    if (dtype().isComplex()) {
      return real().isFinite().and(imag().isFinite());
    }
    return dtype().isFloating() ? unary(Prims.IS_FINITE, this) : full(DType.BOOL, shape(), 1);
  }
  /** {@code jnp.isnan}: {@code x != x}; all false for integers and bool. */
  public Array isnan() { return NumpyMath.isnan(this); }
  /** {@code jnp.isinf}: {@code |x| == inf}; all false for integers and bool. */
  public Array isinf() { return NumpyMath.isinf(this); }
  /** {@code jnp.nan_to_num(x)}: NaN to 0, ±inf to the dtype's largest/lowest finite value. */
  public Array nanToNum() { return NumpyMath.nanToNum(this, 0, null, null); }
  /** {@code jnp.nan_to_num(x, nan, posinf, neginf)}. */
  public Array nanToNum(double nan, double posinf, double neginf) { return NumpyMath.nanToNum(this, nan, posinf, neginf); }

  // comparisons (BOOL results)
  public Array eq(Array y) { return binary("eq", Prims.EQ, this, y); }
  public Array eq(long y) { return binary("eq", Prims.EQ, this, weak("eq", y)); }
  public Array eq(double y) { return binary("eq", Prims.EQ, this, weak("eq", y)); }
  public Array ne(Array y) { return binary("ne", Prims.NE, this, y); }
  public Array ne(long y) { return binary("ne", Prims.NE, this, weak("ne", y)); }
  public Array ne(double y) { return binary("ne", Prims.NE, this, weak("ne", y)); }
  public Array lt(Array y) { return binary("lt", Prims.LT, this, y); }
  public Array lt(long y) { return binary("lt", Prims.LT, this, weak("lt", y)); }
  public Array lt(double y) { return binary("lt", Prims.LT, this, weak("lt", y)); }
  public Array le(Array y) { return binary("le", Prims.LE, this, y); }
  public Array le(long y) { return binary("le", Prims.LE, this, weak("le", y)); }
  public Array le(double y) { return binary("le", Prims.LE, this, weak("le", y)); }
  public Array gt(Array y) { return binary("gt", Prims.GT, this, y); }
  public Array gt(long y) { return binary("gt", Prims.GT, this, weak("gt", y)); }
  public Array gt(double y) { return binary("gt", Prims.GT, this, weak("gt", y)); }
  public Array ge(Array y) { return binary("ge", Prims.GE, this, y); }
  public Array ge(long y) { return binary("ge", Prims.GE, this, weak("ge", y)); }
  public Array ge(double y) { return binary("ge", Prims.GE, this, weak("ge", y)); }

  // logical (bool) and bitwise (integers)
  public Array logicalAnd(Array y) { return binary("logicalAnd", Prims.AND, requireBool("logicalAnd", this), requireBool("logicalAnd", y)); }
  public Array logicalOr(Array y) { return binary("logicalOr", Prims.OR, requireBool("logicalOr", this), requireBool("logicalOr", y)); }
  public Array logicalXor(Array y) { return binary("logicalXor", Prims.XOR, requireBool("logicalXor", this), requireBool("logicalXor", y)); }
  public Array logicalNot() { return unary(Prims.NOT, requireBool("logicalNot", this)); }
  /** Logical and for bool, bitwise and for integers (lax.and). */
  public Array and(Array y) { return binary("and", Prims.AND, this, y); }
  public Array or(Array y) { return binary("or", Prims.OR, this, y); }
  public Array xor(Array y) { return binary("xor", Prims.XOR, this, y); }
  public Array not() { return unary(Prims.NOT, this); }
  public Array bitwiseAnd(Array y) { return binary("bitwiseAnd", Prims.AND, requireInt("bitwiseAnd", this), requireInt("bitwiseAnd", y)); }
  public Array bitwiseAnd(int y) { return bitwiseAnd(scalar(dtype(), y)); }
  public Array bitwiseOr(Array y) { return binary("bitwiseOr", Prims.OR, requireInt("bitwiseOr", this), requireInt("bitwiseOr", y)); }
  public Array bitwiseOr(int y) { return bitwiseOr(scalar(dtype(), y)); }
  public Array bitwiseXor(Array y) { return binary("bitwiseXor", Prims.XOR, requireInt("bitwiseXor", this), requireInt("bitwiseXor", y)); }
  public Array bitwiseXor(int y) { return bitwiseXor(scalar(dtype(), y)); }
  public Array bitwiseNot() { return unary(Prims.NOT, requireInt("bitwiseNot", this)); }
  /** Shifts of 32 or more give 0. */
  public Array shiftLeft(Array y) { return binary("shiftLeft", Prims.SHIFT_LEFT, this, y); }
  public Array shiftLeft(int y) { return shiftLeft(scalar(dtype(), y)); }
  /** Logical (zero-filling) right shift; shifts of 32 or more give 0. */
  public Array shiftRightLogical(Array y) { return binary("shiftRightLogical", Prims.SHIFT_RIGHT_LOGICAL, this, y); }
  public Array shiftRightLogical(int y) { return shiftRightLogical(scalar(dtype(), y)); }
  /** Sign-filling right shift; shifts of 32 or more fill with the sign bit. */
  public Array shiftRightArithmetic(Array y) { return binary("shiftRightArithmetic", Prims.SHIFT_RIGHT_ARITHMETIC, this, y); }
  public Array shiftRightArithmetic(int y) { return shiftRightArithmetic(scalar(dtype(), y)); }

  /** Elementwise {@code cond ? a : b} with broadcasting (cond must be bool). */
  public static Array where(Array cond, Array a, Array b) {
    if (cond.dtype() != DType.BOOL) {
      throw new ShapeError("where: the condition must be bool, got " + cond.aval
          + "; compare first, e.g. x.gt(0)");
    }
    DType dt = DType.promote(a.dtype(), b.dtype());
    a = a.astype(dt);
    b = b.astype(dt);
    int[] shape = broadcastShapes("where", broadcastShapes("where", a.aval.shape(), b.aval.shape()), cond.aval.shape());
    a = a.broadcastTo(shape);
    b = b.broadcastTo(shape);
    if (!cond.aval.isScalar()) {
      cond = cond.broadcastTo(shape);
    }
    return Prims.SELECT_N.bind1(Params.EMPTY, cond, b, a);
  }

  public static Array where(Array cond, Array a, long b) {
    return where(cond, a, weakScalar("where", a.dtype(), a.aval, b));
  }

  public static Array where(Array cond, Array a, double b) {
    return where(cond, a, weakScalar("where", a.dtype(), a.aval, b));
  }

  public static Array where(Array cond, long a, Array b) {
    return where(cond, weakScalar("where", b.dtype(), b.aval, a), b);
  }

  public static Array where(Array cond, double a, Array b) {
    return where(cond, weakScalar("where", b.dtype(), b.aval, a), b);
  }

  private Array weak(String op, Number value) {
    return weakScalar(op, dtype(), aval, value);
  }

  /**
   * A Java number next to an array of {@code arrayDtype}, typed as JAX types a Python scalar: a
   * {@code Long} (from the long overloads: Java's int and long) is a weak int, a {@code Double} a
   * weak float ({@link DType#promoteWeak}). A weak int must fit in int32 next to any array, or JAX
   * raises OverflowError (without x64 it converts a Python int to int32 first, also next to uint32
   * or a float array); a silent wrap here would turn {@code x.add(1L << 40)} into {@code x.add(0)}.
   */
  private static Array weakScalar(String op, DType arrayDtype, Object array, Number value) {
    boolean javaIntegral = isJavaIntegral(op, array, value);
    return scalar(DType.promoteWeak(arrayDtype, javaIntegral), value.doubleValue());
  }

  /**
   * A Java number converted to an array's own dtype, as JAX converts a Python scalar that joins
   * an array without promotion ({@code x.at[i].set(v)}, {@code jnp.pad}'s constant,
   * {@code fill_diagonal}): an int must fit in int32 (JAX's OverflowError) and wraps into u32
   * ({@code -1} is 4294967295); a double is a float32 first, so it truncates and saturates into an
   * integer dtype ({@code 2.5} is 2, {@code 1e10} is 2147483647 on i32, NaN is 0), as JAX's
   * {@code convert_element_type} does.
   */
  static Array scalarAs(String op, DType dtype, Object array, Number value) {
    if (isJavaIntegral(op, array, value) || !(dtype.isInteger() || dtype.isBool())) {
      return scalar(dtype, value.doubleValue());
    }
    return scalar(DType.F32, value.doubleValue()).astype(dtype);
  }

  /** Whether {@code value} came in as a Java int/long (JAX's Python int); such a value must fit in int32. */
  private static boolean isJavaIntegral(String op, Object array, Number value) {
    boolean javaIntegral = value instanceof Long || value instanceof Integer;
    long asLong = value.longValue();
    if (javaIntegral && (asLong < Integer.MIN_VALUE || asLong > Integer.MAX_VALUE)) {
      throw new IllegalArgumentException(
          op + ": the Java integer " + asLong + " next to the " + array + " array does not fit in int32 "
              + "(JAX raises OverflowError for a Python int outside int32). Fix: use a value in ["
              + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "], or write it as a double (" + (double) asLong
              + "), a float as in JAX, converting an integer array first: x.astype(DType.F32)");
    }
    return javaIntegral;
  }

  private static Array requireBool(String op, Array x) {
    if (x.dtype() != DType.BOOL) {
      throw new ShapeError(op + ": needs bool arrays, got " + x.aval + "; compare first, e.g. x.gt(0)");
    }
    return x;
  }

  private static Array requireInt(String op, Array x) {
    if (!x.dtype().isInteger()) {
      throw new ShapeError(op + ": needs i32 or u32 arrays, got " + x.aval);
    }
    return x;
  }

  private static Array unary(Primitive p, Array x) {
    return p.bind1(Params.EMPTY, x);
  }

  private static Array binary(String op, Primitive p, Array x, Array y) {
    if (y == null) {
      throw new NullPointerException(op + ": the operand is null. Pass an Array (Array.scalar(v) for a number); "
          + "a null record component or list element is an empty pytree node, not an array");
    }
    DType dt = DType.promote(x.dtype(), y.dtype());
    Array a = x.astype(dt);
    Array b = y.astype(dt);
    if (p == Prims.DIV && EagerReciprocal.applies(a, b, resultShape(a, b))) {
      return multiplyByReciprocal(a, b);
    }
    if (!a.aval.sameShape(b.aval) && !a.aval.isScalar() && !b.aval.isScalar()) {
      int[] shape = broadcastShapes(op, a.aval.shape(), b.aval.shape());
      a = a.broadcastTo(shape);
      b = b.broadcastTo(shape);
    }
    if (dt.isComplex() && ORDER_OPS.contains(p)) {
      return p == Prims.MAX ? ComplexOrder.maximum(a, b) : p == Prims.MIN ? ComplexOrder.minimum(a, b)
          : ComplexOrder.compare(p, a, b);
    }
    return p.bind1(Params.EMPTY, a, b);
  }

  private static int[] resultShape(Array a, Array b) {
    return a.aval.isScalar() ? b.aval.shape() : broadcastShapes("div", a.aval.shape(), b.aval.shape());
  }

  /** {@code a * broadcast(1/b)}, the reciprocal rounded once in the dtype (XLA's order). */
  private static Array multiplyByReciprocal(Array a, Array b) {
    int[] shape = resultShape(a, b);
    Array recip = Prims.DIV.bind1(Params.EMPTY, scalar(a.dtype(), 1), b);
    Array factor = recip.aval.isScalar() ? recip : recip.broadcastTo(shape);
    return Prims.MUL.bind1(Params.EMPTY, a.broadcastTo(shape), factor);
  }

  /** Binary ops that jnp gives complex numbers lexicographically ({@link ComplexOrder}); lax refuses them. */
  private static final java.util.Set<Primitive> ORDER_OPS = java.util.Set.of(Prims.LT, Prims.LE, Prims.GT, Prims.GE,
      Prims.MAX, Prims.MIN);

  /** NumPy broadcasting of {@code from} to exactly {@code to}: trailing dims equal or 1. */
  static boolean canBroadcastTo(int[] from, int[] to) {
    if (from.length > to.length) {
      return false;
    }
    for (int i = 1; i <= from.length; i++) {
      int f = from[from.length - i];
      if (f != 1 && f != to[to.length - i]) {
        return false;
      }
    }
    return true;
  }

  /** The fix half of a broadcasting ShapeError ("what is wrong. how to fix it"). */
  private static final String BROADCAST_FIX = "Aligned from the right, paired dimensions must be equal or 1: "
      + "reshape or expandDims an operand to line them up";
  private static final String MATMUL_FIX = "The contracted dimensions must be equal: transpose an operand "
      + "(x.T()) or fix its shape";

  /** NumPy broadcasting of two shapes; ShapeError naming the op and both shapes. */
  public static int[] broadcastShapes(String op, int[] a, int[] b) {
    int n = Math.max(a.length, b.length);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int da = i < n - a.length ? 1 : a[i - (n - a.length)];
      int db = i < n - b.length ? 1 : b[i - (n - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new ShapeError(op + ": shapes " + ShapeError.format(a) + " and " + ShapeError.format(b)
            + " cannot be broadcast together. " + BROADCAST_FIX);
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  // ---- reductions -------------------------------------------------------------------------------

  /** Sum over {@code axes} (none = all); bool counts as I32. */
  public Array sum(int... axes) { return reduce("sum", Prims.REDUCE_SUM, axes, false); }
  public Array sumKeepDims(int... axes) { return reduce("sum", Prims.REDUCE_SUM, axes, true); }
  /** Maximum over {@code axes} (none = all). For the elementwise maximum see {@link #max(Array)}. */
  public Array max(int... axes) { return reduce("max", Prims.REDUCE_MAX, axes, false); }
  public Array maxKeepDims(int... axes) { return reduce("max", Prims.REDUCE_MAX, axes, true); }
  public Array min(int... axes) { return reduce("min", Prims.REDUCE_MIN, axes, false); }
  public Array minKeepDims(int... axes) { return reduce("min", Prims.REDUCE_MIN, axes, true); }
  /** Mean over {@code axes} (none = all); integer and bool arrays give F32. */
  public Array mean(int... axes) { return mean(axes, false); }
  public Array meanKeepDims(int... axes) { return mean(axes, true); }
  /**
   * Variance over {@code axes} (none = all), {@code jnp.var} with {@code ddof=0}: the mean of
   * squared deviations from the mean; integer and bool arrays give F32.
   */
  public Array var(int... axes) {
    return variance(axes, false);
  }

  /** {@code jnp.var(x, axes, keepdims=True)}: {@link #var} with the reduced axes kept as 1 (a layer norm's shape). */
  public Array varKeepDims(int... axes) {
    return variance(axes, true);
  }

  private Array variance(int[] axes, boolean keepDims) {
    if (dtype().is16BitFloat()) { // jnp.var computes 16-bit floats in f32 and rounds once
      return astype(DType.F32).variance(axes, keepDims).astype(dtype());
    }
    Array x = floaty(this);
    return x.sub(x.meanKeepDims(axes)).square().mean(axes, keepDims);
  }

  /** Standard deviation over {@code axes} (none = all), {@code jnp.std} with {@code ddof=0}. */
  public Array std(int... axes) {
    return var(axes).sqrt();
  }

  /** {@code jnp.std(x, axes, keepdims=True)}. */
  public Array stdKeepDims(int... axes) {
    return varKeepDims(axes).sqrt();
  }

  /** {@code jnp.nansum}: the sum over {@code axes} (none = all) with NaNs counted as 0. */
  public Array nansum(int... axes) { return Quantiles.nansum(this, axes, false); }
  /** {@code jnp.nanmean}: the mean of the non-NaN elements over {@code axes} (none = all); NaN if there are none. */
  public Array nanmean(int... axes) { return Quantiles.nanmean(this, axes, false); }
  /** {@code jnp.nanmax}: the maximum ignoring NaNs over {@code axes} (none = all); NaN where all are NaN. */
  public Array nanmax(int... axes) { return Quantiles.nanReduce("max", this, axes); }
  /** {@code jnp.nanmin}: the minimum ignoring NaNs; NaN where all are NaN. */
  public Array nanmin(int... axes) { return Quantiles.nanReduce("min", this, axes); }
  /** {@code jnp.nanprod}: the product with NaNs counted as 1. */
  public Array nanprod(int... axes) { return Quantiles.nanReduce("prod", this, axes); }
  /** {@code jnp.nanvar(x, axis, ddof=0)}: the variance of the non-NaN elements. */
  public Array nanvar(int... axes) { return Quantiles.nanvar(this, axes, 0); }
  /** {@code jnp.nanstd(x, axis, ddof=0)}: {@code sqrt(nanvar)}. */
  public Array nanstd(int... axes) { return Quantiles.nanvar(this, axes, 0).sqrt(); }
  /** {@code jnp.count_nonzero(x, axis)}: i32 counts of the non-zero elements over {@code axes} (none = all). */
  public Array countNonzero(int... axes) { return Comparisons.countNonzero(this, axes); }
  /** {@code jnp.ptp(x, axis)}: {@code max - min} over {@code axes} (none = all). */
  public Array ptp(int... axes) { return Comparisons.ptp(this, axes); }
  /** {@code jnp.isclose(a, b, rtol, atol, equal_nan)} elementwise (JAX's defaults: 1e-5, 1e-8, false). */
  public static Array isclose(Array a, Array b, double rtol, double atol, boolean equalNan) {
    return Comparisons.isclose(a, b, rtol, atol, equalNan);
  }
  /** {@code jnp.isclose(a, b)} with rtol 1e-5, atol 1e-8. */
  public static Array isclose(Array a, Array b) { return Comparisons.isclose(a, b, 1e-5, 1e-8, false); }
  /** {@code jnp.array_equal(a, b, equal_nan)}: a bool scalar (false for different shapes). */
  public static Array arrayEqual(Array a, Array b, boolean equalNan) { return Comparisons.arrayEqual(a, b, equalNan); }
  /** {@code jnp.isin(element, test_elements, invert)}: bool, element's shape. */
  public static Array isin(Array element, Array testElements, boolean invert) {
    return Comparisons.isin(element, testElements, invert);
  }
  /** {@code jnp.digitize(x, bins, right)}: i32 indices of the bins the values fall in (bins 1-d, monotonic). */
  public static Array digitize(Array x, Array bins, boolean right) { return Comparisons.digitize(x, bins, right); }
  /** {@code jnp.trapezoid(y, x, dx, axis)}: the trapezoidal rule; {@code x} 1-d sample points or null for spacing {@code dx}. */
  public static Array trapezoid(Array y, Array x, double dx, int axis) { return Comparisons.trapezoid(y, x, dx, axis); }
  /** {@code jnp.nanargmax(x, axis)}: i32 index of the maximum ignoring NaNs; -1 where all are NaN. */
  public Array nanargmax(int axis) { return Comparisons.nanArgExtreme(this, axis, true); }
  /** {@code jnp.nanargmin(x, axis)}: i32 index of the minimum ignoring NaNs; -1 where all are NaN. */
  public Array nanargmin(int axis) { return Comparisons.nanArgExtreme(this, axis, false); }
  /** {@code jnp.average(a, axis, weights)}: weights of a's shape or 1-d along axis (axis null: over all; weights null: the mean). */
  public static Array average(Array a, Integer axis, Array weights) { return Comparisons.average(a, axis, weights); }

  /**
   * {@code jnp.quantile(x, q)}: the level-{@code q} quantile (q in [0, 1]) of all elements, numpy's
   * default "linear" interpolation between the two order statistics around {@code q (n - 1)};
   * NaN if any element is NaN. Sort-based; see docs/arrays.md.
   */
  public Array quantile(double q) { return Quantiles.quantile("quantile", this, new double[] {q}, true, null, false, Quantiles.Method.LINEAR); }
  /** {@code jnp.quantile(x, q, axis, keepdims=keepDims)}. */
  public Array quantile(double q, int axis, boolean keepDims) {
    return Quantiles.quantile("quantile", this, new double[] {q}, true, axis, keepDims, Quantiles.Method.LINEAR);
  }
  /** {@code jnp.quantile(x, qs, axis, keepdims=keepDims)} for several levels: they form a new leading axis. */
  public Array quantile(double[] qs, int axis, boolean keepDims) {
    return Quantiles.quantile("quantile", this, qs.clone(), false, axis, keepDims, Quantiles.Method.LINEAR);
  }
  /** {@code jnp.percentile(x, p)}: {@link #quantile(double)} at {@code p / 100}. */
  public Array percentile(double p) { return Quantiles.quantile("percentile", this, percents(p), true, null, false, Quantiles.Method.LINEAR); }
  /** {@code jnp.percentile(x, p, axis, keepdims=keepDims)}. */
  public Array percentile(double p, int axis, boolean keepDims) {
    return Quantiles.quantile("percentile", this, percents(p), true, axis, keepDims, Quantiles.Method.LINEAR);
  }
  /** {@code jnp.percentile(x, ps, axis, keepdims=keepDims)} for several percentages (a new leading axis). */
  public Array percentile(double[] ps, int axis, boolean keepDims) {
    return Quantiles.quantile("percentile", this, percents(ps), false, axis, keepDims, Quantiles.Method.LINEAR);
  }
  /** {@code jnp.median(x)}: the mean of the two middle elements of all (NaN if any is NaN). */
  public Array median() { return Quantiles.quantile("median", this, new double[] {0.5}, true, null, false, Quantiles.Method.MIDPOINT); }
  /** {@code jnp.median(x, axis, keepdims=keepDims)}. */
  public Array median(int axis, boolean keepDims) {
    return Quantiles.quantile("median", this, new double[] {0.5}, true, axis, keepDims, Quantiles.Method.MIDPOINT);
  }

  /** {@code jnp.nanquantile(x, q)}: {@link #quantile(double)} of the non-NaN elements (NaN only if all are). */
  public Array nanquantile(double q) { return Quantiles.nanquantile("nanquantile", this, new double[] {q}, true, null, false, Quantiles.Method.LINEAR); }
  /** {@code jnp.nanquantile(x, q, axis, keepdims=keepDims)}: per slice, its non-NaN elements. */
  public Array nanquantile(double q, int axis, boolean keepDims) {
    return Quantiles.nanquantile("nanquantile", this, new double[] {q}, true, axis, keepDims, Quantiles.Method.LINEAR);
  }
  /** {@code jnp.nanquantile(x, qs, axis, keepdims=keepDims)} for several levels (a new leading axis). */
  public Array nanquantile(double[] qs, int axis, boolean keepDims) {
    return Quantiles.nanquantile("nanquantile", this, qs.clone(), false, axis, keepDims, Quantiles.Method.LINEAR);
  }
  /** {@code jnp.nanpercentile(x, p, axis, keepdims=keepDims)}: {@code nanquantile(p / 100)}. */
  public Array nanpercentile(double p, int axis, boolean keepDims) {
    return Quantiles.nanquantile("nanpercentile", this, percents(p), true, axis, keepDims, Quantiles.Method.LINEAR);
  }
  /** {@code jnp.nanpercentile(x, p)} over all elements. */
  public Array nanpercentile(double p) { return Quantiles.nanquantile("nanpercentile", this, percents(p), true, null, false, Quantiles.Method.LINEAR); }
  /** {@code jnp.nanmedian(x)}: the median of the non-NaN elements. */
  public Array nanmedian() { return Quantiles.nanquantile("nanmedian", this, new double[] {0.5}, true, null, false, Quantiles.Method.MIDPOINT); }
  /** {@code jnp.nanmedian(x, axis, keepdims=keepDims)}. */
  public Array nanmedian(int axis, boolean keepDims) {
    return Quantiles.nanquantile("nanmedian", this, new double[] {0.5}, true, axis, keepDims, Quantiles.Method.MIDPOINT);
  }

  private double[] percents(double... ps) {
    double[] q = new double[ps.length];
    for (int i = 0; i < q.length; i++) {
      // jnp: q / 100 in the float dtype (f32: 30 -> 0.3f); outside [0, 100] is rejected downstream
      q[i] = dtype() == DType.F64 ? ps[i] / 100 : (float) ((float) ps[i] / 100.0);
    }
    return q;
  }

  /** True if any element is true (non-zero). */
  public Array any(int... axes) { return asBool().reduce("any", Prims.REDUCE_MAX, axes, false); }
  public Array all(int... axes) { return asBool().reduce("all", Prims.REDUCE_MIN, axes, false); }

  private Array asBool() {
    return dtype() == DType.BOOL ? this : ne(0);
  }

  private Array mean(int[] axes, boolean keepDims) {
    if (dtype().is16BitFloat()) { // jnp.mean sums and divides 16-bit floats in f32, rounds once
      return astype(DType.F32).mean(axes, keepDims).astype(dtype());
    }
    Array x = floaty(this);
    int[] ax = normAxes("mean", axes);
    long count = 1;
    for (int a : ax) {
      count *= aval.dim(a);
    }
    Array sum = x.reduce("mean", Prims.REDUCE_SUM, ax, keepDims);
    if (EagerReciprocal.invertsCount(sum)) {
      // jnp.mean divides by a constant count, which XLA inverts at compile time (jit's graphs get
      // it from the literal divisor in ReciprocalDivision)
      return sum.mul(scalar(sum.dtype(), 1).div(scalar(sum.dtype(), count)));
    }
    return sum.div((double) count);
  }

  private Array reduce(String op, Primitive p, int[] axes, boolean keepDims) {
    int[] ax = normAxes(op, axes);
    Array x = (p == Prims.REDUCE_SUM && dtype() == DType.BOOL) ? astype(DType.I32) : this;
    Array r = ax.length == 0 ? x : p.bind1(Params.of("axes", ax), x);
    return keepDims ? r.reshape(keptShape(ax)) : r;
  }

  /** This array's shape with each of {@code reducedAxes} (normalized) kept as 1, as a keepdims reduction leaves it. */
  int[] keptShape(int[] reducedAxes) {
    int[] s = aval.shape();
    for (int a : reducedAxes) {
      s[a] = 1;
    }
    return s;
  }

  /** Index of the maximum of the flattened array (I32). */
  public Array argmax() { return reshape(-1).argmax(0); }
  /** Index of the maximum along {@code axis} (first on ties; a NaN counts as the maximum). */
  public Array argmax(int axis) { return argReduce(Prims.ARGMAX, "argmax", axis); }
  public Array argmin() { return reshape(-1).argmin(0); }
  public Array argmin(int axis) { return argReduce(Prims.ARGMIN, "argmin", axis); }

  private Array argReduce(Primitive p, String op, int axis) {
    int a = normAxis(op, axis, ndim());
    return p.bind1(Params.of("axes", new int[] {a}, "index_dtype", DType.I32), this);
  }

  private int[] normAxes(String op, int[] axes) {
    if (axes.length == 0) {
      int[] all = new int[ndim()];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = normAxis(op, axes[i], ndim());
      for (int j = 0; j < i; j++) {
        if (out[j] == out[i]) {
          throw new ShapeError(op + ": duplicate axis " + axes[i] + " in " + Arrays.toString(axes));
        }
      }
    }
    Arrays.sort(out);
    return out;
  }

  private static int normAxis(String op, int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new ShapeError(op + ": axis " + axis + " is out of range for an array of rank " + rank
          + (rank == 0 ? ". A scalar has no axes: leave the axes out" : ". Use an axis from " + -rank + " to " + (rank - 1)));
    }
    return a;
  }

  // ---- linear algebra ---------------------------------------------------------------------------

  /**
   * Matrix product with NumPy's {@code matmul} semantics: 2-D @ 2-D, 1-D operands promoted to a
   * row/column and the added axis removed, leading (batch) axes broadcast.
   */
  public Array matmul(Array other) {
    return matmul(other, null);
  }

  /**
   * {@link #matmul(Array)} with JAX's {@code preferred_element_type}: the product is computed and
   * returned in {@code preferredElementType} (null: the operands' promoted dtype), with no rounding
   * to the operands' dtype in between; {@code a.matmul(b, DType.F32)} on bf16 operands is
   * mixed precision's bf16 x bf16 -> f32.
   */
  public Array matmul(Array other, DType preferredElementType) {
    if (ndim() == 0 || other.ndim() == 0) {
      throw new ShapeError("matmul: shapes " + aval.shapeString() + " and " + other.aval.shapeString()
          + ": operands must have at least one dimension; use mul for scalars");
    }
    DType dt = DType.promote(dtype(), other.dtype());
    Array a = astype(dt);
    Array b = other.astype(dt);
    boolean bVec = b.ndim() == 1;
    if (a.ndim() <= 2 && b.ndim() <= 2) {
      // vector/matrix cases are one dot_general, as jnp.matmul stages them (no reshape/squeeze)
      int la = a.ndim() - 1;
      int rb = 0;
      if (a.aval.dim(la) != b.aval.dim(rb)) {
        throw new ShapeError("matmul: shapes " + aval.shapeString() + " and " + other.aval.shapeString()
            + " are not aligned: " + a.aval.dim(la) + " (last dim of the first) != " + b.aval.dim(rb)
            + " (" + (bVec ? "only" : "first") + " dim of the second). " + MATMUL_FIX);
      }
      return dotGeneral(a, b, new int[] {la}, new int[] {rb}, new int[0], new int[0], preferredElementType);
    }
    return stagedMatmul(a, b, preferredElementType);
  }

  /**
   * The batched {@link #matmul} as {@code jnp.matmul} stages it: a batch axis that only one operand
   * has (or where one has size 1) is a free axis of that operand's side of one {@code dot_general}
   * rather than broadcast to both and batched over, so {@code x[B,T,W] @ w[W,N]} is one
   * {@code [B*T] x W x N} product (and its gradient one product contracting over {@code B, T})
   * instead of B small products of a broadcast {@code w} and a {@code reduce_sum} over B. A
   * {@code transpose} puts the output axes back in NumPy's order when they differ.
   */
  private static Array stagedMatmul(Array a, Array b, DType preferredElementType) {
    boolean aMat = a.ndim() > 1;
    boolean bMat = b.ndim() > 1;
    int[] as = a.aval.shape();
    int[] bs = b.aval.shape();
    int k = as[as.length - 1];
    int bk = bs[bMat ? bs.length - 2 : 0];
    if (k != bk) {
      throw new ShapeError("matmul: shapes " + a.aval.shapeString() + " and " + b.aval.shapeString()
          + " are not aligned: " + k + " (last dim of the first) != " + bk
          + " (" + (bMat ? "second-to-last" : "only") + " dim of the second). " + MATMUL_FIX);
    }
    int aBatchRank = aMat ? as.length - 2 : 0;
    int bBatchRank = bMat ? bs.length - 2 : 0;
    int nb = Math.max(aBatchRank, bBatchRank);
    List<Integer> aSqueeze = new ArrayList<>();
    List<Integer> bSqueeze = new ArrayList<>();
    List<Integer> bothSqueeze = new ArrayList<>();
    List<Integer> aBatch = new ArrayList<>();
    List<Integer> bBatch = new ArrayList<>();
    List<Integer> idxBatch = new ArrayList<>();
    List<Integer> idxAOther = new ArrayList<>();
    List<Integer> idxBOther = new ArrayList<>();
    for (int i = 0; i < nb; i++) {
      int ai = i - (nb - aBatchRank);
      int bi = i - (nb - bBatchRank);
      Integer ba = ai >= 0 ? as[ai] : null;
      Integer bb = bi >= 0 ? bs[bi] : null;
      if (ba == null) {
        idxBOther.add(i);
      } else if (bb == null) {
        idxAOther.add(i);
      } else if (ba == 1 && bb == 1) {
        aSqueeze.add(idxBatch.size() + idxAOther.size() + aSqueeze.size());
        bSqueeze.add(idxBatch.size() + idxBOther.size() + bSqueeze.size());
        bothSqueeze.add(i);
      } else if (ba == 1) {
        idxBOther.add(i);
        aSqueeze.add(idxBatch.size() + idxAOther.size() + aSqueeze.size());
      } else if (bb == 1) {
        idxAOther.add(i);
        bSqueeze.add(idxBatch.size() + idxBOther.size() + bSqueeze.size());
      } else if (ba.equals(bb)) {
        aBatch.add(idxBatch.size() + idxAOther.size());
        bBatch.add(idxBatch.size() + idxBOther.size());
        idxBatch.add(i);
      } else {
        throw new ShapeError("matmul: shapes " + a.aval.shapeString() + " and " + b.aval.shapeString()
            + " cannot be broadcast together (batch dimensions)");
      }
    }
    if (aMat) {
      idxAOther.add(nb);
    }
    if (bMat) {
      idxBOther.add(nb + (aMat ? 1 : 0));
    }
    a = aSqueeze.isEmpty() ? a : a.squeeze(ints(aSqueeze)); // squeeze() with no axes would drop every size-1 axis
    b = bSqueeze.isEmpty() ? b : b.squeeze(ints(bSqueeze));
    Array out = dotGeneral(a, b, new int[] {a.ndim() - 1}, new int[] {b.ndim() - 1 - (bMat ? 1 : 0)}, ints(aBatch),
        ints(bBatch), preferredElementType);
    // out's axes are batch, a's other, b's other; axis j of the result is at position perm[j]
    List<Integer> order = new ArrayList<>(idxBatch);
    order.addAll(idxAOther);
    order.addAll(idxBOther);
    int[] perm = new int[order.size()];
    for (int pos = 0; pos < perm.length; pos++) {
      perm[rank(order, order.get(pos))] = pos;
    }
    Array result = out.transpose(perm);
    for (int axis : bothSqueeze) {
      result = result.expandDims(axis);
    }
    return result;
  }

  /** The position of {@code v} in {@code values} sorted (values are distinct). */
  private static int rank(List<Integer> values, int v) {
    int r = 0;
    for (int x : values) {
      if (x < v) {
        r++;
      }
    }
    return r;
  }

  private static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * {@code jnp.vdot(a, b)}: the inner product of the flattened arrays with the first conjugated,
   * {@code sum(conj(a) * b)} (NumPy's; {@code dot} does not conjugate). Sizes must agree.
   */
  public Array vdot(Array other) {
    if (size() != other.size()) {
      throw new ShapeError("vdot: the flattened sizes differ, " + aval.shapeString() + " (" + size() + ") and "
          + other.aval.shapeString() + " (" + other.size() + "); vdot pairs every element of one with one of "
          + "the other: reshape them to the same size");
    }
    return conj().reshape(-1).dot(other.reshape(-1));
  }

  /**
   * {@code lax.integer_pow(x, y)}, what {@code x ** 2} is in JAX: {@code y} multiplications by
   * squaring (JAX's order), a reciprocal for negative {@code y}, ones for 0. Exact for integer
   * dtypes and, unlike {@link #pow(double)} ({@code exp(y log x)} for a complex base), exact in
   * every branch: {@code (-1+0j)^2} is {@code 1+0j}, not {@code 1-8.7e-8j}.
   */
  public Array integerPow(int y) {
    if (y == 0) {
      return onesLike(this);
    }
    if (y == 3) { // JAX lowers x**3 as (x*x)*x, not by the loop's x*(x*x): c64 rounds them differently
      return mul(this).mul(this);
    }
    Array x = this;
    Array acc = null;
    for (long n = Math.abs((long) y); n > 0; ) {
      if ((n & 1) == 1) {
        acc = acc == null ? x : acc.mul(x);
      }
      n >>= 1;
      if (n > 0) {
        x = x.mul(x);
      }
    }
    return y < 0 ? acc.rdiv(1) : acc;
  }

  /**
   * NumPy {@code dot}: scalars multiply; 1-D with 1-D is the inner product; otherwise a sum
   * over the last axis of this and the second-to-last (or only) axis of {@code other}.
   */
  public Array dot(Array other) {
    if (ndim() == 0 || other.ndim() == 0) {
      return mul(other);
    }
    DType dt = DType.promote(dtype(), other.dtype());
    Array a = astype(dt);
    Array b = other.astype(dt);
    int la = ndim() - 1;
    int rb = other.ndim() == 1 ? 0 : other.ndim() - 2;
    if (aval.dim(la) != other.aval.dim(rb)) {
      throw new ShapeError("dot: shapes " + aval.shapeString() + " and " + other.aval.shapeString()
          + " are not aligned: " + aval.dim(la) + " != " + other.aval.dim(rb) + ". " + MATMUL_FIX);
    }
    return dotGeneral(a, b, new int[] {la}, new int[] {rb}, new int[0], new int[0]);
  }

  /** {@code lax.dot_general}: operands must share a dtype. Output axes: batch, lhs free, rhs free. */
  public static Array dotGeneral(Array lhs, Array rhs, int[] lhsContract, int[] rhsContract, int[] lhsBatch, int[] rhsBatch) {
    return dotGeneral(lhs, rhs, lhsContract, rhsContract, lhsBatch, rhsBatch, null);
  }

  /**
   * {@code lax.dot_general(..., preferred_element_type=...)}: the output has dtype
   * {@code preferredElementType} (null: the operands'), a float at least as wide as the operands.
   */
  public static Array dotGeneral(Array lhs, Array rhs, int[] lhsContract, int[] rhsContract, int[] lhsBatch,
      int[] rhsBatch, DType preferredElementType) {
    Params p = Params.of("dimension_numbers", List.of(lhsContract, rhsContract, lhsBatch, rhsBatch));
    if (preferredElementType != null && preferredElementType != lhs.dtype()) {
      p = p.with("preferred_element_type", preferredElementType);
    }
    return Prims.DOT_GENERAL.bind1(p, lhs, rhs);
  }

  /** {@code head} followed by {@code tail}: a shape with axes appended. */
  static int[] concat(int[] head, int... tail) {
    int[] r = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, r, head.length, tail.length);
    return r;
  }

  // ---- shape manipulation -----------------------------------------------------------------------

  /** Reshape; one dimension may be -1 (inferred). */
  public Array reshape(int... newShape) {
    int[] s = newShape.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        if (infer >= 0) {
          throw new ShapeError("reshape: only one dimension can be -1, got " + ShapeError.format(newShape));
        }
        infer = i;
      } else if (s[i] < 0) {
        throw new ShapeError("reshape: invalid dimension " + s[i] + " in " + ShapeError.format(newShape));
      } else {
        known *= s[i];
      }
    }
    if (infer >= 0) {
      if (known == 0 || size() % known != 0) {
        throw new ShapeError("reshape: cannot reshape " + aval.shapeString() + " (" + size()
            + " elements) into " + ShapeError.format(newShape) + ". The new shape must have the same number of elements");
      }
      s[infer] = (int) (size() / known);
    }
    if (aval.sameShape(s)) {
      return this;
    }
    return Prims.RESHAPE.bind1(Params.of("new_sizes", s), this);
  }

  /** Permutes axes; no arguments reverses them (like {@link #T()}). Negative axes allowed. */
  public Array transpose(int... perm) {
    int[] p = new int[ndim()];
    if (perm.length == 0) {
      for (int i = 0; i < p.length; i++) {
        p[i] = p.length - 1 - i;
      }
    } else {
      if (perm.length != ndim()) {
        throw new ShapeError("transpose: permutation " + Arrays.toString(perm) + " does not match shape "
            + aval.shapeString());
      }
      for (int i = 0; i < p.length; i++) {
        p[i] = normAxis("transpose", perm[i], ndim());
      }
    }
    boolean identity = true;
    for (int i = 0; i < p.length; i++) {
      identity &= p[i] == i;
    }
    return identity ? this : Prims.TRANSPOSE.bind1(Params.of("permutation", p), this);
  }

  /** Reversed axes (NumPy's {@code .T}). */
  public Array T() {
    return transpose();
  }

  /** Inserts a size-1 axis at {@code axis} (in {@code [-ndim-1, ndim]}). */
  public Array expandDims(int axis) {
    int a = normAxis("expandDims", axis, ndim() + 1);
    int[] s = new int[ndim() + 1];
    for (int i = 0, j = 0; i < s.length; i++) {
      s[i] = i == a ? 1 : aval.dim(j++);
    }
    return reshape(s);
  }

  /** Removes the given size-1 axes, or all size-1 axes when none are given. */
  public Array squeeze(int... axes) {
    int[] ax;
    if (axes.length == 0) {
      ax = java.util.stream.IntStream.range(0, ndim()).filter(i -> aval.dim(i) == 1).toArray();
    } else {
      ax = normAxes("squeeze", axes);
      for (int a : ax) {
        if (aval.dim(a) != 1) {
          throw new ShapeError("squeeze: axis " + a + " of shape " + aval.shapeString() + " has size "
              + aval.dim(a) + ", not 1");
        }
      }
    }
    if (ax.length == 0) {
      return this;
    }
    return Prims.SQUEEZE.bind1(Params.of("dimensions", ax), this);
  }

  /** NumPy {@code broadcast_to}. */
  public Array broadcastTo(int... shape) {
    if (aval.sameShape(shape)) {
      return this;
    }
    if (!canBroadcastTo(aval.shape(), shape)) {
      throw new ShapeError("broadcastTo: shape " + aval.shapeString() + " cannot be broadcast to "
          + ShapeError.format(shape) + ". Aligned from the right, each dimension must equal the target's or be 1");
    }
    int[] dims = new int[ndim()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.length - ndim() + i;
    }
    return Prims.BROADCAST_IN_DIM.bind1(Params.of("shape", shape.clone(), "broadcast_dimensions", dims), this);
  }

  /** Static slice {@code [start, limit)} per axis. */
  public Array slice(int[] start, int[] limit) {
    int[] strides = new int[ndim()];
    Arrays.fill(strides, 1);
    return slice(start, limit, strides);
  }

  /** Static slice {@code [start, limit)} with {@code strides} per axis. */
  public Array slice(int[] start, int[] limit, int[] strides) {
    if (start.length != ndim() || limit.length != ndim() || strides.length != ndim()) {
      throw new ShapeError("slice: shape " + aval.shapeString() + " needs " + ndim()
          + " start/limit/stride values, got " + Arrays.toString(start) + ", " + Arrays.toString(limit)
          + ", " + Arrays.toString(strides));
    }
    return Prims.SLICE.bind1(Params.of("start_indices", start, "limit_indices", limit, "strides", strides), this);
  }

  /** Slice {@code [start, limit)} of one axis (negative indices count from the end). */
  public Array sliceAxis(int axis, int start, int limit) {
    int a = normAxis("sliceAxis", axis, ndim());
    int n = aval.dim(a);
    int s = start < 0 ? start + n : start;
    int l = limit < 0 ? limit + n : limit;
    if (s < 0 || l > n || s > l) {
      throw new ShapeError("sliceAxis: [" + start + ", " + limit + ") is out of range for axis " + axis
          + " of shape " + aval.shapeString());
    }
    int[] st = new int[ndim()];
    int[] li = aval.shape();
    st[a] = s;
    li[a] = l;
    return slice(st, li);
  }

  /**
   * Indexes leading axes: {@code x.get(1)} is row 1, {@code x.get(1, 2)} element (1,2); negative
   * indices count from the end.
   */
  public Array get(int... indices) {
    if (indices.length > ndim()) {
      throw new ShapeError("get: " + indices.length + " indices for shape " + aval.shapeString());
    }
    int[] start = new int[ndim()];
    int[] limit = aval.shape();
    for (int i = 0; i < indices.length; i++) {
      int n = aval.dim(i);
      int idx = indices[i] < 0 ? indices[i] + n : indices[i];
      if (idx < 0 || idx >= n) {
        throw new ShapeError("get: index " + indices[i] + " is out of bounds for axis " + i + " of shape "
            + aval.shapeString());
      }
      start[i] = idx;
      limit[i] = idx + 1;
    }
    return slice(start, limit).reshape(Arrays.copyOfRange(aval.shape(), indices.length, ndim()));
  }

  // ---- integer indexing ------------------------------------------------------------------------

  /**
   * {@code jnp.take(x, indices, axis, mode="clip")}: the slices of {@code axis} at {@code indices}
   * (i32 or u32, any shape), giving shape {@code x.shape[:axis] + indices.shape +
   * x.shape[axis+1:]}. Out-of-range indices are clamped to {@code [0, n-1]}: {@code -1} takes the
   * first slice, not the last (JAX's clip mode; its default "fill" mode would give NaN instead).
   * One {@code gather} equation; its gradient adds into the taken rows ({@code scatter_add}), so
   * an index taken twice gets both cotangents. Embedding lookup: {@code table.take(tokens, 0)}.
   */
  public Array take(Array indices, int axis) {
    requireIndices("take", indices);
    int a = normAxis("take", axis, ndim());
    return Prims.GATHER.bind1(Params.of("axis", a), this, indices);
  }

  /**
   * JAX's {@code x.at[indices]}: functional updates (and reads) of the rows along axis 0 named by
   * an i32/u32 index array, e.g. {@code x.at(idx).set(v)}, {@code .add(v)}, {@code .mul(v)},
   * {@code .min(v)}, {@code .max(v)}, {@code .get()}. Returns new arrays; out-of-bounds updates
   * are dropped (see {@link IndexUpdate}).
   */
  public IndexUpdate at(Array indices) {
    return new IndexUpdate(this, indices);
  }

  /** {@code x.at[i]} for one row {@code i} (negative counts from the end). */
  public IndexUpdate at(int index) {
    return new IndexUpdate(this, index);
  }

  /** {@code jnp.take(x, indices, mode="clip")} without an axis: indexes the flattened array. */
  public Array take(Array indices) {
    return reshape(-1).take(indices, 0);
  }

  /**
   * {@code jnp.take_along_axis(x, indices, axis, mode="clip")}: picks, for each position of the
   * other axes, the elements of {@code axis} that {@code indices} name. {@code indices} has this
   * array's rank; its other axes equal this array's (or are 1, broadcast). Picking each row's
   * label logit: {@code logits.takeAlongAxis(labels.expandDims(-1), -1)}. Indices are clamped
   * as in {@link #take(Array, int)}.
   */
  public Array takeAlongAxis(Array indices, int axis) {
    requireIndices("takeAlongAxis", indices);
    int a = normAxis("takeAlongAxis", axis, ndim());
    if (indices.ndim() != ndim()) {
      throw new ShapeError("takeAlongAxis: indices " + indices.aval.shapeString() + " must have the rank of "
          + aval.shapeString() + "; expandDims the indices (e.g. labels.expandDims(-1))");
    }
    int n = aval.dim(a);
    int m = indices.aval.dim(a);
    int[] target = aval.shape();
    target[a] = m;
    for (int d = 0; d < ndim(); d++) {
      if (d != a && indices.aval.dim(d) != 1 && indices.aval.dim(d) != aval.dim(d)) {
        throw new ShapeError("takeAlongAxis: indices " + indices.aval.shapeString() + " and array "
            + aval.shapeString() + " differ on axis " + d + "; outside axis " + axis
            + " the indices' dimensions must equal the array's or be 1");
      }
    }
    if (n == 0 && m > 0) {
      throw new ShapeError("takeAlongAxis: axis " + axis + " of shape " + aval.shapeString() + " is empty");
    }
    // the indexed axis last, the others flattened into rows: element (r, k) is at r * n + k
    int[] perm = new int[ndim()];
    for (int d = 0, j = 0; d < ndim(); d++) {
      if (d != a) {
        perm[j++] = d;
      }
    }
    perm[ndim() - 1] = a;
    Array idx = indices.broadcastTo(target).transpose(perm);
    int[] movedShape = idx.shape();
    int rows = m == 0 ? 0 : idx.size() / m;
    Array rowStart = Prims.IOTA.bind1(Params.of("dtype", idx.dtype(), "shape", new int[] {rows, m}, "dimension", 0)).mul(n);
    Array flat = idx.maximum(0).minimum(Math.max(n - 1, 0)).reshape(rows, m).add(rowStart);
    Array picked = transpose(perm).reshape(-1).take(flat, 0).reshape(movedShape);
    int[] back = new int[ndim()];
    for (int d = 0; d < ndim(); d++) {
      back[perm[d]] = d;
    }
    return picked.transpose(back);
  }

  private static Array requireIndices(String op, Array indices) {
    if (!indices.dtype().isInteger()) {
      throw new ShapeError(op + ": indices must be i32 or u32, got " + indices.aval
          + "; convert them with astype(DType.I32) (floats are not rounded for you)");
    }
    return indices;
  }

  /**
   * {@code jnp.clip(x, lo, hi)}: {@code minimum(maximum(x, lo), hi)}; NaN stays NaN. At a bound
   * the gradient is split as {@code maximum}/{@code minimum} split it (half), as in JAX.
   */
  public Array clip(double lo, double hi) {
    refuseComplexClip(dtype());
    return maximum(lo).minimum(hi);
  }

  /** {@code jnp.clip(x, lo, hi)} with integral bounds (JAX's weak ints: an i32 array stays i32). */
  public Array clip(long lo, long hi) {
    refuseComplexClip(dtype());
    return maximum(lo).minimum(hi);
  }

  /** {@code jnp.clip(x, lo, hi)} with array bounds (broadcast). */
  public Array clip(Array lo, Array hi) {
    refuseComplexClip(DType.promote(DType.promote(dtype(), lo.dtype()), hi.dtype()));
    return maximum(lo).minimum(hi);
  }

  /** JAX 0.10.2 refuses complex clip (though its maximum/minimum order complex numbers): so do we, with its reason. */
  private static void refuseComplexClip(DType d) {
    if (d.isComplex()) {
      throw new IllegalArgumentException("clip: complex values have no ordering and cannot be clipped (as jnp.clip);"
          + " clip real() or imag() of the value, or abs()");
    }
  }

  // ---- cumulative sums and sorting (see docs/arrays.md) ----------------------------------------

  /**
   * {@code jnp.cumsum(x, axis)}: running sums along {@code axis} (one {@code cumsum} equation;
   * bool counts as i32). Its gradient is the reverse running sum of the cotangent.
   */
  public Array cumsum(int axis) {
    return cumulative("cumsum", dev.statelens.engine.ir.ArrayPrims.CUMSUM, axis);
  }

  /** {@code jnp.cumsum(x)} without an axis: over the flattened array. */
  public Array cumsum() {
    return reshape(-1).cumsum(0);
  }

  /** {@code jnp.cumprod(x, axis)}: running products; the gradient is exact with zeros, as JAX's. */
  public Array cumprod(int axis) {
    return cumulative("cumprod", dev.statelens.engine.ir.ArrayPrims.CUMPROD, axis);
  }

  /** {@code jnp.cumprod(x)} over the flattened array. */
  public Array cumprod() {
    return reshape(-1).cumprod(0);
  }

  /** {@code lax.cummax(x, axis)}: running maxima (NaN propagates); the gradient goes to the running argmax. */
  public Array cummax(int axis) {
    return cumulative("cummax", dev.statelens.engine.ir.ArrayPrims.CUMMAX, axis);
  }

  /** {@code lax.cumlogsumexp(x, axis)}: running {@code log(sum(exp(x)))} (see {@link Lax#cumlogsumexp}). */
  public Array cumlogsumexp(int axis) {
    return Lax.cumlogsumexp(this, axis, false);
  }

  /** {@code lax.cummin(x, axis)}: running minima. */
  public Array cummin(int axis) {
    return cumulative("cummin", dev.statelens.engine.ir.ArrayPrims.CUMMIN, axis);
  }

  private Array cumulative(String op, Primitive p, int axis) {
    int a = normAxis(op, axis, ndim());
    Array x = dtype() == DType.BOOL ? astype(DType.I32) : this;
    return p.bind1(Params.of("axis", a, "reverse", false), x);
  }

  /**
   * {@code jnp.sort(x, axis)}: sorted along {@code axis}, stable, in NumPy's order (NaN last,
   * {@code -0.0} equal to {@code 0.0}). The gradient flows back through the permutation.
   */
  public Array sort(int axis) {
    // lax.sort's one key: the sort primitive, or for complex the real part, then the imaginary part (JAX's comparator)
    return Sorting.sort(java.util.List.of(this), sortDimension("sort", axis), true, 1).get(0);
  }

  /** {@code jnp.sort(x)}: along the last axis. */
  public Array sort() {
    return sort(-1);
  }

  /**
   * {@code jnp.argsort(x, axis, stable=True)}: the i32 positions that sort {@code x} along
   * {@code axis} (equal keys keep their order; NaN last). {@code x.takeAlongAxis(x.argsort(a), a)}
   * is {@code x.sort(a)}.
   */
  public Array argsort(int axis) {
    int d = sortDimension("argsort", axis);
    Array iota = Prims.IOTA.bind1(Params.of("dtype", DType.I32, "shape", aval.shape(), "dimension", d));
    return Sorting.sort(java.util.List.of(this, iota), d, true, 1).get(1);
  }

  /** {@code jnp.argsort(x)}: along the last axis. */
  public Array argsort() {
    return argsort(-1);
  }

  private int sortDimension(String op, int axis) {
    if (ndim() == 0) {
      throw new ShapeError(op + ": a rank-0 array has no axis to sort; reshape(1) it first");
    }
    return normAxis(op, axis, ndim());
  }

  // ---- compositions of existing primitives (see docs/arrays.md) -------------------------------

  /**
   * {@code jnp.prod(x, axes)} (none = all): the product over {@code axes}, computed exactly in
   * order as the last running product ({@code cumprod}), so its gradient is exact with zeros,
   * like JAX's {@code reduce_prod}; complex64 in XLA's reduction order instead ({@link Products}).
   * The product of an empty axis is 1; bool counts as i32.
   */
  public Array prod(int... axes) {
    int[] ax = normAxes("prod", axes);
    return Products.prod(dtype() == DType.BOOL ? astype(DType.I32) : this, ax);
  }


  /**
   * {@code jnp.pad(x, pad_width, constant_values=value)}: {@code widths[d] = {before, after}}
   * entries of {@code value} added on each side of axis d (one {@code pad} equation).
   */
  public Array pad(int[][] widths, long value) {
    return pad(widths, scalarAs("pad", dtype(), aval, value));
  }

  /** {@link #pad(int[][], long)} with a float constant (truncated and saturated into an integer array, as JAX's). */
  public Array pad(int[][] widths, double value) {
    return pad(widths, scalarAs("pad", dtype(), aval, value));
  }

  private Array pad(int[][] widths, Array value) {
    if (widths.length != ndim()) {
      throw new ShapeError("pad: shape " + aval.shapeString() + " needs " + ndim() + " {before, after} pairs, got "
          + widths.length + "; give one pair per axis, e.g. new int[][] {{1, 1}, {0, 2}}");
    }
    int[] lo = new int[ndim()];
    int[] hi = new int[ndim()];
    for (int d = 0; d < ndim(); d++) {
      if (widths[d].length != 2 || widths[d][0] < 0 || widths[d][1] < 0) {
        throw new ShapeError("pad: widths for axis " + d + " are " + Arrays.toString(widths[d])
            + "; each axis needs {before, after} with both >= 0 (crop with slice)");
      }
      lo[d] = widths[d][0];
      hi[d] = widths[d][1];
    }
    return Prims.PAD.bind1(Params.of("low", lo, "high", hi, "interior", new int[ndim()]), this, value);
  }

  /** {@code jnp.pad(x, pad_width)}: zeros around. */
  public Array pad(int[][] widths) {
    return pad(widths, 0);
  }

  /** {@code jnp.eye(n)}: the F32 identity matrix. */
  public static Array eye(int n) {
    return eye(DType.F32, n, n);
  }

  /** {@code jnp.eye(n, m, dtype=dtype)}: ones on the main diagonal of an n x m matrix. */
  public static Array eye(DType dtype, int n, int m) {
    if (n < 0 || m < 0) {
      throw new ShapeError("eye: the shape " + n + " x " + m + " has a negative dimension");
    }
    Params rows = Params.of("dtype", DType.I32, "shape", new int[] {n, m}, "dimension", 0);
    Params cols = Params.of("dtype", DType.I32, "shape", new int[] {n, m}, "dimension", 1);
    return Prims.IOTA.bind1(rows).eq(Prims.IOTA.bind1(cols)).astype(dtype);
  }

  /**
   * {@code jnp.linspace(start, stop, num)} (endpoint included), F32: the values JAX computes,
   * {@code start * (1 - i/div) + stop * (i/div)} in f32 with the last one exactly {@code stop}.
   */
  public static Array linspace(double start, double stop, int num) {
    return linspace(DType.F32, start, stop, num);
  }

  /** {@code jnp.linspace(start, stop, num, dtype=F32|F64)}. */
  public static Array linspace(DType dtype, double start, double stop, int num) {
    if (num < 0) {
      throw new ShapeError("linspace: num must be >= 0, got " + num);
    }
    if (!dtype.isFloating()) {
      throw new ShapeError("linspace: dtype must be F32 or F64, got " + dtype + "; convert the result with astype");
    }
    double[] v = new double[num];
    int div = num - 1;
    for (int i = 0; i < num; i++) {
      if (num == 1) {
        v[i] = start; // as JAX: no step to take
      } else if (i == div) {
        v[i] = stop;
      } else if (dtype == DType.F32) {
        float step = (float) i / (float) div;
        v[i] = (float) start * (1f - step) + (float) stop * step;
      } else {
        double step = (double) i / div;
        v[i] = start * (1 - step) + stop * step;
      }
    }
    return of(dtype, new int[] {num}, v);
  }

  /**
   * {@code jnp.tile(x, reps)}: {@code x} repeated {@code reps[d]} times along each axis (reps
   * shorter than the rank apply to the last axes; longer ones add leading axes).
   */
  public Array tile(int... reps) {
    for (int r : reps) {
      if (r < 0) {
        throw new ShapeError("tile: repetitions must be >= 0, got " + Arrays.toString(reps));
      }
    }
    int rank = Math.max(ndim(), reps.length);
    int[] s = JnpCompositions.leadingOnes(aval.shape(), rank);
    int[] rp = JnpCompositions.leadingOnes(reps, rank);
    // [r0, s0, r1, s1, ...] by broadcasting, then merge each pair
    int[] wide = new int[2 * rank];
    int[] dims = new int[rank];
    int[] out = new int[rank];
    for (int d = 0; d < rank; d++) {
      wide[2 * d] = rp[d];
      wide[2 * d + 1] = s[d];
      dims[d] = 2 * d + 1;
      out[d] = rp[d] * s[d];
    }
    Array x = reshape(s);
    return Prims.BROADCAST_IN_DIM.bind1(Params.of("shape", wide, "broadcast_dimensions", dims), x).reshape(out);
  }

  /** {@code jnp.repeat(x, repeats, axis)}: each entry of {@code axis} repeated {@code repeats} times in place. */
  public Array repeat(int repeats, int axis) {
    if (repeats < 0) {
      throw new ShapeError("repeat: repeats must be >= 0, got " + repeats);
    }
    int a = normAxis("repeat", axis, ndim());
    int[] wide = new int[ndim() + 1];
    int[] dims = new int[ndim()];
    for (int d = 0, w = 0; d < ndim(); d++) {
      wide[w] = aval.dim(d);
      dims[d] = w++;
      if (d == a) {
        wide[w++] = repeats;
      }
    }
    int[] out = aval.shape();
    out[a] *= repeats;
    return Prims.BROADCAST_IN_DIM.bind1(Params.of("shape", wide, "broadcast_dimensions", dims), this).reshape(out);
  }

  /** {@code jnp.repeat(x, repeats)} without an axis: over the flattened array. */
  public Array repeat(int repeats) {
    return reshape(-1).repeat(repeats, 0);
  }

  /**
   * {@code jnp.split(x, sections, axis)}: {@code sections} equal parts along {@code axis}; the
   * axis must divide evenly (use {@link #splitAt} for uneven cuts).
   */
  public List<Array> split(int sections, int axis) {
    int a = normAxis("split", axis, ndim());
    int n = aval.dim(a);
    if (sections <= 0 || n % sections != 0) {
      throw new ShapeError("split: axis " + axis + " of shape " + aval.shapeString() + " (length " + n
          + ") does not divide into " + sections + " equal sections; pick a divisor of " + n
          + " or cut at explicit positions with splitAt");
    }
    int[] cuts = new int[sections - 1];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = (i + 1) * (n / sections);
    }
    return splitAt(cuts, a);
  }

  /**
   * {@code jnp.split(x, indices, axis)}: the parts between the cut positions (ascending, in
   * {@code [0, n]}; {@code k} cuts give {@code k + 1} parts).
   */
  public List<Array> splitAt(int[] indices, int axis) {
    int a = normAxis("splitAt", axis, ndim());
    int n = aval.dim(a);
    List<Array> parts = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= indices.length; i++) {
      int to = i < indices.length ? indices[i] : n;
      if (to < from || to > n) {
        throw new ShapeError("splitAt: cut positions " + Arrays.toString(indices) + " must ascend within [0, "
            + n + "] for axis " + axis + " of shape " + aval.shapeString());
      }
      parts.add(sliceAxis(a, from, to));
      from = to;
    }
    return parts;
  }

  /** Reverses the given axes. */
  public Array flip(int... axes) {
    return Prims.REV.bind1(Params.of("dimensions", normAxes("flip", axes)), this);
  }

  /** {@code jnp.roll(x, shift, axis)}: element {@code i} moves to {@code (i + shift) mod n} along {@code axis}. */
  public Array roll(int shift, int axis) { return AxisMoves.roll(this, new int[] {shift}, new int[] {axis}); }
  /** {@code jnp.roll(x, shifts, axes)}: one shift per axis. */
  public Array roll(int[] shifts, int[] axes) { return AxisMoves.roll(this, shifts.clone(), axes.clone()); }
  /** {@code jnp.roll(x, shift)}: rolls the flattened array and keeps the shape. */
  public Array roll(int shift) { return AxisMoves.roll(this, shift); }
  /** {@code jnp.moveaxis(x, source, destination)}: one axis to a new position, the others in order. */
  public Array moveaxis(int source, int destination) { return AxisMoves.moveaxis(this, new int[] {source}, new int[] {destination}); }
  /** {@code jnp.moveaxis(x, sources, destinations)}. */
  public Array moveaxis(int[] sources, int[] destinations) { return AxisMoves.moveaxis(this, sources, destinations); }
  /** {@code jnp.swapaxes(x, axis1, axis2)}. */
  public Array swapaxes(int axis1, int axis2) { return AxisMoves.swapaxes(this, axis1, axis2); }
  /** {@code jnp.ravel(x)}: the elements as one axis, in row-major order. */
  public Array ravel() { return reshape(-1); }

  /** Joins arrays along an existing axis (dtypes promote). */
  public static Array concatenate(int axis, Array... arrays) {
    if (arrays.length == 0) {
      throw new ShapeError("concatenate: needs at least one array");
    }
    DType dt = arrays[0].dtype();
    for (Array a : arrays) {
      dt = DType.promote(dt, a.dtype());
      if (a.ndim() == 0) {
        throw new ShapeError("concatenate: rank-0 arrays cannot be concatenated; use stack");
      }
    }
    int ax = normAxis("concatenate", axis, arrays[0].ndim());
    Array[] ops = new Array[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      ops[i] = arrays[i].astype(dt);
      if (ops[i].ndim() != arrays[0].ndim()) {
        throw new ShapeError("concatenate: shapes " + arrays[0].aval.shapeString() + " and "
            + arrays[i].aval.shapeString() + " have different ranks");
      }
      for (int d = 0; d < ops[i].ndim(); d++) {
        if (d != ax && ops[i].aval.dim(d) != arrays[0].aval.dim(d)) {
          throw new ShapeError("concatenate: shapes " + arrays[0].aval.shapeString() + " and "
              + arrays[i].aval.shapeString() + " differ outside axis " + ax
              + ". All dimensions but the joined one must be equal: reshape an operand or join along another axis");
        }
      }
    }
    if (ops.length == 1) {
      return ops[0];
    }
    return Prims.CONCATENATE.bind1(Params.of("dimension", ax), ops);
  }

  public static Array concatenate(int axis, List<Array> arrays) {
    return concatenate(axis, arrays.toArray(Array[]::new));
  }

  /** Stacks equal-shaped arrays along a new axis. */
  public static Array stack(int axis, Array... arrays) {
    if (arrays.length == 0) {
      throw new ShapeError("stack: needs at least one array");
    }
    for (Array a : arrays) {
      if (!a.aval.sameShape(arrays[0].aval)) {
        throw new ShapeError("stack: shapes " + arrays[0].aval.shapeString() + " and "
            + a.aval.shapeString() + " differ");
      }
    }
    int ax = normAxis("stack", axis, arrays[0].ndim() + 1);
    Array[] expanded = new Array[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      expanded[i] = arrays[i].expandDims(ax);
    }
    return concatenate(ax, expanded);
  }

  public static Array stack(int axis, List<Array> arrays) {
    return stack(axis, arrays.toArray(Array[]::new));
  }

  // ---- complex numbers (docs/arrays.md "Complex numbers") ----------------------------------------

  /** {@code lax.complex(re, im)}: a c64 array {@code re + im*1j} (parts converted to f32, broadcast). */
  public static Array complex(Array re, Array im) { return Complexes.complex(re, im); }

  /** {@code jnp.real}: the real part (f32) of a c64 array; a real array itself. */
  public Array real() { return Complexes.real(this); }

  /** {@code jnp.imag}: the imaginary part (f32) of a c64 array; zeros for a real array. */
  public Array imag() { return Complexes.imag(this); }

  /** {@code jnp.conj}: the complex conjugate; a real array itself. */
  public Array conj() { return Complexes.conj(this); }

  /** {@code jnp.angle}: the argument {@code atan2(imag, real)} in radians (f32 for c64). */
  public Array angle() { return Complexes.angle(this); }

  // ---- dtype ------------------------------------------------------------------------------------

  /** Converts to {@code dtype} (floats to ints truncate and saturate; anything to bool is != 0). */
  public Array astype(DType dtype) {
    if (dtype == dtype()) {
      return this;
    }
    return Prims.CONVERT_ELEMENT_TYPE.bind1(Params.of("new_dtype", dtype), this);
  }

  /** Reinterprets the bits (F32 to/from I32 or U32), like {@code lax.bitcast_convert_type}. */
  public Array bitcast(DType dtype) {
    if (dtype == dtype()) {
      return this;
    }
    return Prims.BITCAST_CONVERT_TYPE.bind1(Params.of("new_dtype", dtype), this);
  }

  /** Blocks gradients through this value (identity in the forward pass). */
  public Array stopGradient() {
    return Prims.STOP_GRADIENT.bind1(Params.EMPTY, this);
  }

  // ---- to Java ----------------------------------------------------------------------------------

  /** All elements, row-major, converted to float (U32 unsigned, bool 0/1). */
  public float[] toFloatArray() {
    Object h = host("toFloatArray()");
    return h instanceof float[] f ? f.clone() : (float[]) HostArrays.convert(h, dtype(), DType.F32);
  }

  public double[] toDoubleArray() {
    Object h = host("toDoubleArray()");
    return h instanceof double[] d ? d.clone() : (double[]) HostArrays.convert(h, dtype(), DType.F64);
  }

  /** All elements as ints (floats truncated; U32 as raw bits; bool 0/1). */
  public int[] toIntArray() {
    Object h = host("toIntArray()");
    return h instanceof int[] i ? i.clone() : (int[]) HostArrays.convert(h, dtype(), DType.I32);
  }

  public boolean[] toBooleanArray() {
    Object h = host("toBooleanArray()");
    return h instanceof boolean[] b ? b.clone() : (boolean[]) HostArrays.convert(h, dtype(), DType.BOOL);
  }

  /** The single element (size must be 1) as a double; U32 is read as unsigned. */
  public double item() {
    return single("item()");
  }

  public float floatValue() {
    return (float) single("floatValue()");
  }

  public double doubleValue() {
    return single("doubleValue()");
  }

  /** The single element as an int (U32 as raw bits). */
  public int intValue() {
    Object h = hostSingle("intValue()");
    return h instanceof int[] i ? i[0] : (int) HostArrays.getDouble(h, dtype(), 0);
  }

  /** The single element as a boolean (non-zero is true), like Python's {@code bool(x)}. */
  public boolean boolValue() {
    return single("boolValue()") != 0;
  }

  private double single(String op) {
    return HostArrays.getDouble(hostSingle(op), dtype(), 0);
  }

  private Object hostSingle(String op) {
    Object h = host(op);
    if (size() != 1) {
      throw new ShapeError(op + ": needs an array of size 1, got shape " + aval.shapeString()
          + "; reduce it first (e.g. sum()) or use toFloatArray()");
    }
    return h;
  }

  /**
   * JAX's repr, e.g. {@code Array([1., 2.], dtype=float32)}; a tracer prints as
   * {@code Traced<f32[3]> in count}.
   */
  @Override
  public String toString() {
    if (tracer != null) {
      if (tracer.trace().isActive()) {
        Array c;
        try {
          c = tracer.toConcrete("toString()");
        } catch (RuntimeException e) {
          return tracer.toString();
        }
        return c.toString();
      }
      return tracer.toString() + " (its trace has ended)";
    }
    return HostArrays.repr(Backends.current().download(buffer), aval);
  }

  /** NumPy's str form: {@code [1. 2.]}, {@code 1.0}. */
  public String str() {
    return HostArrays.str(host("str()"), aval);
  }

  // ---- einsum, searchsorted and matrix helpers (compositions; docs/arrays.md) --------------------

  // ---- jnp compositions of session 11 (JnpCompositions) -----------------------------------------

  /** {@code jnp.kron(a, b)}: the Kronecker product (shape: the dims multiplied, ranks aligned from the right). */
  public static Array kron(Array a, Array b) { return JnpCompositions.kron(a, b); }
  /** {@code jnp.cross(a, b)}: the cross product over the last axis (2- or 3-vectors, batch axes broadcast). */
  public static Array cross(Array a, Array b) { return JnpCompositions.cross(a, b); }
  /** {@code jnp.vander(x, n, increasing)}: columns {@code x^(n-1) .. x^0} (or ascending). */
  public static Array vander(Array x, int n, boolean increasing) { return JnpCompositions.vander(x, n, increasing); }
  /** {@code jnp.vander(x)}: square, decreasing powers. */
  public static Array vander(Array x) { return JnpCompositions.vander(x, x.ndim() == 1 ? x.dim(0) : 0, false); }
  /** {@code jnp.polyval(p, x)}: the polynomial with coefficients {@code p} (highest first) at x, Horner's rule. */
  public static Array polyval(Array p, Array x) { return JnpCompositions.polyval(p, x); }
  /** {@code jnp.convolve(a, v, mode)}: mode {@code "full"} (default), {@code "same"} or {@code "valid"}. */
  public static Array convolve(Array a, Array v, String mode) { return JnpCompositions.conv1d("convolve", a, v, mode); }
  public static Array convolve(Array a, Array v) { return convolve(a, v, "full"); }
  /** {@code jnp.correlate(a, v, mode)}: mode {@code "valid"} (default), {@code "same"} or {@code "full"}. */
  public static Array correlate(Array a, Array v, String mode) { return JnpCompositions.conv1d("correlate", a, v, mode); }
  public static Array correlate(Array a, Array v) { return correlate(a, v, "valid"); }
  /** {@code jnp.interp(x, xp, fp)}: piecewise-linear interpolation, {@code fp[0]}/{@code fp[-1]} outside. */
  public static Array interp(Array x, Array xp, Array fp) { return JnpCompositions.interp(x, xp, fp, null, null); }
  /** {@code jnp.interp(x, xp, fp, left, right)}: left/right for x outside {@code [xp[0], xp[-1]]} (null: the ends). */
  public static Array interp(Array x, Array xp, Array fp, Double left, Double right) {
    return JnpCompositions.interp(x, xp, fp, left, right);
  }
  /** {@code jnp.bincount(x, length=length)}: how often each of {@code 0 .. length-1} occurs (a static length, as under jit). */
  public static Array bincount(Array x, int length) { return JnpCompositions.bincount(x, null, length); }
  /** {@code jnp.bincount(x, weights, length=length)}: the weights summed per value. */
  public static Array bincount(Array x, Array weights, int length) { return JnpCompositions.bincount(x, weights, length); }

  // ---- session 12 (jnp5): tensordot, stacking, differences, select (docs/arrays.md) ----------
  /** {@code jnp.tensordot(a, b, axes=n)}: the last {@code n} axes of a contracted with the first {@code n} of b. */
  public static Array tensordot(Array a, Array b, int n) { return MatrixHelpers.tensordot(a, b, n); }
  /** {@code jnp.tensordot(a, b, axes=(axesA, axesB))}: result axes are a's free axes, then b's. */
  public static Array tensordot(Array a, Array b, int[] axesA, int[] axesB) { return MatrixHelpers.tensordot(a, b, axesA, axesB); }
  /** {@code jnp.hstack}: vectors join end to end (axis 0), matrices side by side (axis 1). */
  public static Array hstack(Array... xs) { return Stacking.hstack(xs); }
  /** {@code jnp.vstack}: rows on top of each other; a vector becomes a row. */
  public static Array vstack(Array... xs) { return Stacking.vstack(xs); }
  /** {@code jnp.dstack}: along the third axis ({@code atleast_3d} first). */
  public static Array dstack(Array... xs) { return Stacking.dstack(xs); }
  /** {@code jnp.column_stack}: vectors become columns, then join along axis 1. */
  public static Array columnStack(Array... xs) { return Stacking.columnStack(xs); }
  /** {@code jnp.atleast_1d(x)}. */
  public Array atleast1d() { return Stacking.atleast1d(this); }
  /** {@code jnp.atleast_2d(x)}: [n] becomes [1, n]. */
  public Array atleast2d() { return Stacking.atleast2d(this); }
  /** {@code jnp.atleast_3d(x)}: [n] becomes [1, n, 1], [m, n] becomes [m, n, 1]. */
  public Array atleast3d() { return Stacking.atleast3d(this); }
  /** {@code jnp.diff(x)}: {@code x[..., 1:] - x[..., :-1]} along the last axis ({@code !=} for bool). */
  public Array diff() { return Differences.diff(this, 1, -1, null, null); }
  /** {@code jnp.diff(x, n, axis)}: the n-th difference along {@code axis}. */
  public Array diff(int n, int axis) { return Differences.diff(this, n, axis, null, null); }
  /** {@code jnp.diff(x, n, axis, prepend, append)}: null for none; a scalar becomes one slice. */
  public Array diff(int n, int axis, Array prepend, Array append) { return Differences.diff(this, n, axis, prepend, append); }
  /** {@code jnp.ediff1d(x, to_end, to_begin)}: differences of the flattened array (null ends for none). */
  public Array ediff1d(Array toEnd, Array toBegin) { return Differences.ediff1d(this, toEnd, toBegin); }
  /**
   * {@code jnp.histogram(a, bins, range)}: counts (float, as JAX) of {@code a}'s values in
   * {@code bins} equal bins over {@code range = {lo, hi}} (null: the data's min and max, traced
   * under jit), and the {@code bins + 1} edges. The last bin includes its right edge.
   */
  public static Pair<Array, Array> histogram(Array a, int bins, double[] range) { return Histograms.histogram(a, bins, range, null, false); }
  /** {@code jnp.histogram(a, bins, range, weights, density)}: weights (null: 1 each) summed per bin; density normalises to a pdf. */
  public static Pair<Array, Array> histogram(Array a, int bins, double[] range, Array weights, boolean density) {
    return Histograms.histogram(a, bins, range, weights, density);
  }
  /** {@code jnp.histogram(a, bins=edges, weights=weights, density=density)}: explicit (sorted) bin edges. */
  public static Pair<Array, Array> histogram(Array a, Array edges, Array weights, boolean density) {
    return Histograms.histogram(a, edges, weights, density);
  }
  /** {@code jnp.histogram_bin_edges(a, bins, range)}: {@code bins + 1} edges (range null: the data's min and max). */
  public static Array histogramBinEdges(Array a, int bins, double[] range) { return Histograms.binEdges(a, bins, range); }
  /** {@code jnp.select(condlist, choicelist, default)}: the first true condition's choice, else the default. */
  public static Array select(List<Array> conditions, List<Array> choices, Array otherwise) {
    return JnpCompositions.select(conditions, choices, otherwise);
  }
  /** {@code jnp.select(condlist, choicelist, default)} with a number as default (weakly typed, as JAX's 0). */
  public static Array select(List<Array> conditions, List<Array> choices, double otherwise) {
    return selectWeak(conditions, choices, otherwise);
  }

  /** {@code jnp.select} with an integral default (a weak int: i32 choices stay i32). */
  public static Array select(List<Array> conditions, List<Array> choices, long otherwise) {
    return selectWeak(conditions, choices, otherwise);
  }

  private static Array selectWeak(List<Array> conditions, List<Array> choices, Number otherwise) {
    DType dt = choices.isEmpty() ? DType.F32 : choices.get(0).dtype();
    for (Array c : choices) {
      dt = DType.promote(dt, c.dtype());
    }
    return JnpCompositions.select(conditions, choices, weakScalar("select", dt, dt.shortName() + " choices", otherwise));
  }

  // ---- session 13 (jnp6): statistics, nan-cumulative, numerical gradient, piecewise, periodic interp (docs/arrays.md) ----
  /** {@code jnp.cov(m)}: the covariance of the variables in m's rows (observations along the columns), ddof 1. */
  public static Array cov(Array m) { return Covariance.cov(m, null, true, false, null, null, null); }
  /**
   * {@code jnp.cov(m, y, rowvar, bias, ddof, fweights, aweights)}: y (null: none) adds variables;
   * {@code rowvar = false}: variables in columns; ddof null: 0 with bias, else 1; integer
   * repeat counts {@code fweights} and real {@code aweights} per observation (null: none).
   */
  public static Array cov(Array m, Array y, boolean rowvar, boolean bias, Integer ddof, Array fweights, Array aweights) {
    return Covariance.cov(m, y, rowvar, bias, ddof, fweights, aweights);
  }
  /** {@code jnp.corrcoef(x)}: Pearson correlation coefficients of the rows, clipped to [-1, 1]. */
  public static Array corrcoef(Array x) { return Covariance.corrcoef(x, null, true); }
  /** {@code jnp.corrcoef(x, y, rowvar)}: y (null: none) adds variables; {@code rowvar = false}: variables in columns. */
  public static Array corrcoef(Array x, Array y, boolean rowvar) { return Covariance.corrcoef(x, y, rowvar); }
  /** {@code jnp.nancumsum(x, axis)}: running sums with NaNs counted as 0. */
  public Array nancumsum(int axis) { return Array.where(isnan(), scalar(dtype(), 0), this).cumsum(axis); }
  /** {@code jnp.nancumsum(x)}: over the flattened array. */
  public Array nancumsum() { return reshape(-1).nancumsum(0); }
  /** {@code jnp.nancumprod(x, axis)}: running products with NaNs counted as 1. */
  public Array nancumprod(int axis) { return Array.where(isnan(), scalar(dtype(), 1), this).cumprod(axis); }
  /** {@code jnp.nancumprod(x)}: over the flattened array. */
  public Array nancumprod() { return reshape(-1).nancumprod(0); }
  /** {@code jnp.gradient(f)}: the numerical derivative along every axis (unit steps), one array per axis. */
  public static List<Array> gradient(Array f) {
    List<Array> out = new java.util.ArrayList<>();
    for (int d = 0; d < f.ndim(); d++) {
      out.add(Differences.gradient(f, d, scalar(1.0)));
    }
    return out;
  }
  /** {@code jnp.gradient(f, h, axis=axis)}: along one axis with step {@code h}. */
  public static Array gradient(Array f, int axis, double h) { return Differences.gradient(f, axis, scalar(h)); }
  /** {@code jnp.gradient(f, x, axis=axis)}: along one axis at coordinates {@code x} (1-d, one per sample; uneven steps allowed). */
  public static Array gradient(Array f, int axis, Array x) { return Differences.gradient(f, axis, x); }
  /**
   * {@code jnp.piecewise(x, condlist, funclist)}: function i of x where condition i holds (the last
   * true one wins, as JAX); an extra last function (else 0) where none holds. Functions must be
   * elementwise; use {@code t -> Array.scalar(c)} for a constant piece.
   */
  public static Array piecewise(Array x, List<Array> conditions, List<? extends java.util.function.Function<Array, Array>> functions) {
    return JnpCompositions.piecewise(x, conditions, functions);
  }
  /** {@code jnp.interp(x, xp, fp, period=period)}: periodic interpolation (x and xp modulo |period|; xp need not be sorted). */
  public static Array interp(Array x, Array xp, Array fp, double period) { return JnpCompositions.interpPeriodic(x, xp, fp, period); }

  /**
   * {@code jnp.einsum(subscripts, *operands)}: explicit ({@code "bij,bjk->bik"}) or implicit
   * ({@code "ij,jk"}) output, repeated labels in a term (diagonal), {@code ...} broadcasting, size-1
   * axes broadcast. Contracted pairwise left to right, each pair one {@code dot_general} (JAX's
   * optimizer may choose another order; results agree to rounding). Operands promote to one dtype.
   */
  public static Array einsum(String subscripts, Array... operands) {
    return Einsum.einsum(subscripts, operands);
  }

  /** {@code jnp.searchsorted(sorted, values, side)} ({@code "left"} or {@code "right"}): i32 insertion points, a binary search. */
  public static Array searchsorted(Array sorted, Array values, String side) {
    return Searching.searchsorted(sorted, values, side);
  }

  /** {@code jnp.searchsorted(sorted, values)}: side "left". */
  public static Array searchsorted(Array sorted, Array values) {
    return Searching.searchsorted(sorted, values, "left");
  }

  /** {@code jnp.diagonal(x, offset, axis1, axis2)}: the other axes, then the diagonal (a strided slice). */
  public Array diagonal(int offset, int axis1, int axis2) {
    return MatrixHelpers.diagonal(this, offset, axis1, axis2);
  }

  /** {@code jnp.diagonal(x, offset)} of axes 0 and 1. */
  public Array diagonal(int offset) {
    return MatrixHelpers.diagonal(this, offset, 0, 1);
  }

  /** {@code jnp.diagonal(x)}: the main diagonal of axes 0 and 1. */
  public Array diagonal() {
    return MatrixHelpers.diagonal(this, 0, 0, 1);
  }

  /** {@code jnp.diag(v, k)}: a vector placed on the k-th diagonal of a square matrix, or a matrix's k-th diagonal. */
  public Array diag(int k) {
    return MatrixHelpers.diag(this, k);
  }

  /** {@code jnp.diag(v)}: k = 0. */
  public Array diag() {
    return MatrixHelpers.diag(this, 0);
  }

  /** {@code jnp.trace(x, offset, axis1, axis2)}: the sum of that diagonal. */
  public Array trace(int offset, int axis1, int axis2) {
    return MatrixHelpers.diagonal(this, offset, axis1, axis2).sum(-1);
  }

  /** {@code jnp.trace(x)}: the sum of the main diagonal of axes 0 and 1. */
  public Array trace() {
    return trace(0, 0, 1);
  }

  /** {@code jnp.triu(x, k)}: zeros below the k-th diagonal of the last two axes (an iota mask; works under jit). */
  public Array triu(int k) {
    return MatrixHelpers.triangle(this, k, true);
  }

  /** {@code jnp.tril(x, k)}: zeros above the k-th diagonal of the last two axes; {@code ones(n, n).tril(0)} is a causal mask. */
  public Array tril(int k) {
    return MatrixHelpers.triangle(this, k, false);
  }

  /** {@code jnp.outer(a, b)}: both flattened, {@code [i, j] = a[i] * b[j]}. */
  public Array outer(Array other) {
    return MatrixHelpers.outer(this, other);
  }

  /** {@code jnp.linalg.norm(x)}: the 2-norm of the flattened array (Frobenius for a matrix). */
  public Array norm() {
    return MatrixHelpers.norm(this);
  }

  /**
   * {@code jnp.linalg.norm(x, ord, axis)}: over one axis a vector norm (ord 2, 1, 0, +-infinity,
   * any p); over two a matrix norm (1, -1, 2, -2, +-infinity). No axes: all axes of a vector or matrix.
   */
  public Array norm(double ord, int... axes) {
    return MatrixHelpers.norm(this, ord, axes);
  }

  /** {@code jnp.linalg.norm(x, "fro" | "nuc", axis)}: Frobenius or nuclear norm over two axes (none: a matrix's). */
  public Array norm(String ord, int... axes) {
    return MatrixHelpers.norm(this, ord, axes);
  }

  /** {@code jnp.meshgrid(*xs, indexing=indexing)} ({@code "xy"} or {@code "ij"}): one grid per input. */
  public static List<Array> meshgrid(String indexing, Array... xs) {
    return MatrixHelpers.meshgrid(indexing, xs);
  }

  /** {@code jnp.meshgrid(*xs)}: Cartesian ({@code "xy"}) indexing, the first two axes swapped. */
  public static List<Array> meshgrid(Array... xs) {
    return MatrixHelpers.meshgrid("xy", xs);
  }

  /** Element-wise closeness {@code |a-b| <= atol + rtol*|b|} of two concrete arrays (same shape). */
  public static boolean allClose(Array a, Array b, double rtol, double atol) {
    if (!a.aval.sameShape(b.aval)) {
      return false;
    }
    double[] x = a.toDoubleArray();
    double[] y = b.toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      if (Double.isNaN(x[i]) != Double.isNaN(y[i])) {
        return false;
      }
      if (!Double.isNaN(x[i]) && !(x[i] == y[i] || Math.abs(x[i] - y[i]) <= atol + rtol * Math.abs(y[i]))) {
        return false;
      }
    }
    return true;
  }

}
