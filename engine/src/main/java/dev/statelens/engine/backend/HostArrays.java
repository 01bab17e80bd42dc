package dev.statelens.engine.backend;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Aval;

/**
 * Host-array helpers shared by backends and {@link dev.statelens.engine.Array}: storage per
 * dtype, element access, dtype conversion with JAX's semantics, and NumPy-style text.
 * Storage: F32 {@code float[]}, F64 {@code double[]}, I32/U32 {@code int[]}, BOOL {@code boolean[]},
 * BF16/F16 {@code short[]} holding the 16-bit patterns ({@link HalfFloats} converts them).
 */
public final class HostArrays {
  private HostArrays() {}

  public static Object allocate(DType d, int n) {
    return switch (d) {
      case F32 -> new float[n];
      case C64 -> new float[2 * n];
      case F64 -> new double[n];
      case BF16, F16 -> new short[n];
      case I32, U32 -> new int[n];
      case BOOL -> new boolean[n];
    };
  }

  /** Throws unless {@code data} is the storage type of {@code aval} with its size. */
  public static void check(Aval aval, Object data) {
    Class<?> want = switch (aval.dtype()) {
      case F32, C64 -> float[].class;
      case F64 -> double[].class;
      case BF16, F16 -> short[].class;
      case I32, U32 -> int[].class;
      case BOOL -> boolean[].class;
    };
    if (data == null || data.getClass() != want) {
      throw new IllegalArgumentException("host data for " + aval + " must be a " + want.getSimpleName()
          + ", got " + (data == null ? "null" : data.getClass().getSimpleName()));
    }
    int n = java.lang.reflect.Array.getLength(data);
    int elements = aval.dtype().isComplex() ? 2 * aval.size() : aval.size(); // c64: interleaved (re, im)
    if (n != elements) {
      throw new IllegalArgumentException("host data for " + aval + " needs " + elements
          + " elements, got " + n);
    }
  }

  public static Object copy(Object data) {
    return switch (data) {
      case float[] a -> a.clone();
      case double[] a -> a.clone();
      case int[] a -> a.clone();
      case boolean[] a -> a.clone();
      case short[] a -> a.clone();
      default -> throw new IllegalArgumentException("not host array storage: " + data.getClass());
    };
  }

  /** Element i as a double (U32 read as unsigned, bool as 0/1, C64 its real part). */
  public static double getDouble(Object data, DType d, int i) {
    return switch (d) {
      case F32 -> ((float[]) data)[i];
      case C64 -> ((float[]) data)[2 * i];
      case F64 -> ((double[]) data)[i];
      case BF16, F16 -> HalfFloats.toFloat(d, ((short[]) data)[i]);
      case I32 -> ((int[]) data)[i];
      case U32 -> Integer.toUnsignedLong(((int[]) data)[i]);
      case BOOL -> ((boolean[]) data)[i] ? 1 : 0;
    };
  }

  /** Converts a double to the storage of {@code d} at index i (same rules as {@link #convert}; C64: imaginary 0). */
  public static void setDouble(Object data, DType d, int i, double v) {
    switch (d) {
      case F32 -> ((float[]) data)[i] = (float) v;
      case C64 -> {
        ((float[]) data)[2 * i] = (float) v;
        ((float[]) data)[2 * i + 1] = 0;
      }
      case F64 -> ((double[]) data)[i] = v;
      case BF16, F16 -> ((short[]) data)[i] = HalfFloats.fromDouble(d, v);
      case I32 -> ((int[]) data)[i] = (int) v;
      case U32 -> ((int[]) data)[i] = toU32(v);
      case BOOL -> ((boolean[]) data)[i] = v != 0;
    }
  }

  /** Float to u32: truncates toward zero, saturates to [0, 2^32-1], NaN gives 0. */
  public static int toU32(double v) {
    if (!(v > 0)) {
      return 0;
    }
    return v >= 4294967295.0 ? -1 : (int) (long) v;
  }

  /**
   * Converts between dtypes as {@code lax.convert_element_type}: floats to integers truncate
   * toward zero and saturate (NaN gives 0); anything to bool is {@code != 0}; i32 and u32
   * reinterpret the same bits. To a 16-bit float: rounded once to nearest even (from f64 and
   * integers directly, not through f32); from one: widened to f32 exactly, then converted.
   */
  public static Object convert(Object src, DType from, DType to) {
    if (from == to || (from.isInteger() && to.isInteger())) {
      return src;
    }
    if (from.isComplex() || to.isComplex()) {
      return ComplexHost.convert(src, from, to);
    }
    int n = java.lang.reflect.Array.getLength(src);
    if (from.is16BitFloat()) {
      float[] wide = HalfFloats.toFloats(from, (short[]) src);
      return to == DType.F32 ? wide : convert(wide, DType.F32, to);
    }
    if (to.is16BitFloat()) {
      if (from == DType.F32) {
        return HalfFloats.fromFloats(to, (float[]) src);
      }
      short[] o = new short[n];
      for (int i = 0; i < n; i++) {
        o[i] = HalfFloats.fromDouble(to, getDouble(src, from, i));
      }
      return o;
    }
    Object out = allocate(to, n);
    switch (from) {
      case F32 -> {
        float[] s = (float[]) src;
        switch (to) {
          case F64 -> { double[] o = (double[]) out; for (int i = 0; i < n; i++) o[i] = s[i]; }
          case I32 -> { int[] o = (int[]) out; for (int i = 0; i < n; i++) o[i] = (int) s[i]; }
          case U32 -> { int[] o = (int[]) out; for (int i = 0; i < n; i++) o[i] = toU32(s[i]); }
          case BOOL -> { boolean[] o = (boolean[]) out; for (int i = 0; i < n; i++) o[i] = s[i] != 0; }
          default -> throw new AssertionError();
        }
      }
      case F64 -> {
        double[] s = (double[]) src;
        switch (to) {
          case F32 -> { float[] o = (float[]) out; for (int i = 0; i < n; i++) o[i] = (float) s[i]; }
          case I32 -> { int[] o = (int[]) out; for (int i = 0; i < n; i++) o[i] = (int) s[i]; }
          case U32 -> { int[] o = (int[]) out; for (int i = 0; i < n; i++) o[i] = toU32(s[i]); }
          case BOOL -> { boolean[] o = (boolean[]) out; for (int i = 0; i < n; i++) o[i] = s[i] != 0; }
          default -> throw new AssertionError();
        }
      }
      case I32 -> {
        int[] s = (int[]) src;
        switch (to) {
          case F32 -> { float[] o = (float[]) out; for (int i = 0; i < n; i++) o[i] = s[i]; }
          case F64 -> { double[] o = (double[]) out; for (int i = 0; i < n; i++) o[i] = s[i]; }
          case BOOL -> { boolean[] o = (boolean[]) out; for (int i = 0; i < n; i++) o[i] = s[i] != 0; }
          default -> throw new AssertionError();
        }
      }
      case U32 -> {
        int[] s = (int[]) src;
        switch (to) {
          case F32 -> { float[] o = (float[]) out; for (int i = 0; i < n; i++) o[i] = Integer.toUnsignedLong(s[i]); }
          case F64 -> { double[] o = (double[]) out; for (int i = 0; i < n; i++) o[i] = Integer.toUnsignedLong(s[i]); }
          case BOOL -> { boolean[] o = (boolean[]) out; for (int i = 0; i < n; i++) o[i] = s[i] != 0; }
          default -> throw new AssertionError();
        }
      }
      case BOOL -> {
        boolean[] s = (boolean[]) src;
        for (int i = 0; i < n; i++) {
          setDouble(out, to, i, s[i] ? 1 : 0);
        }
      }
      case BF16, F16, C64 -> throw new AssertionError("handled above");
    }
    return out;
  }

  // ---- text ----------------------------------------------------------------------------------

  private static final int SUMMARY_THRESHOLD = 1000;
  private static final int EDGE_ITEMS = 3;

  /** JAX's repr: {@code Array([1., 2.], dtype=float32)}. */
  public static String repr(Object data, Aval aval) {
    String prefix = "Array(";
    if (aval.dtype().isComplex()) {
      return prefix + ComplexHost.format(data, aval, ", ", prefix.length()) + ", dtype=complex64)";
    }
    String body = format(data, aval, ", ", prefix.length(), true);
    return prefix + body + ", dtype=" + aval.dtype().numpyName() + ")";
  }

  /** NumPy's str, as {@code jax.debug.print} shows values: {@code [1. 2.]}, {@code 1.0}. */
  public static String str(Object data, Aval aval) {
    if (aval.isScalar()) {
      return scalarStr(data, aval.dtype());
    }
    if (aval.dtype().isComplex()) {
      return ComplexHost.format(data, aval, " ", 0);
    }
    return format(data, aval, " ", 0, false);
  }

  private static String scalarStr(Object data, DType d) {
    return switch (d) {
      case F32 -> pythonFloat(((float[]) data)[0], true);
      case F64 -> pythonFloat(((double[]) data)[0], false);
      case F16 -> NumpyFloats.f16Scalar(getDouble(data, d, 0));
      case C64 -> ComplexHost.scalarStr((float[]) data);
      case BOOL -> ((boolean[]) data)[0] ? "True" : "False";
      default -> element(data, d, 0);
    };
  }

  /** Python's str of a float scalar: {@code 1.0}, {@code 1e-05}, {@code nan}, {@code -inf}. */
  static String pythonFloat(double v, boolean f32) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    String s = f32 ? Float.toString((float) v) : Double.toString(v);
    return s.contains("E") ? sciNotation(s) : s;
  }

  private static String format(Object data, Aval aval, String sep, int indent, boolean repr) {
    int n = aval.size();
    DType d = aval.dtype();
    boolean summarize = n > SUMMARY_THRESHOLD;
    String[] cells = new String[n];
    int width = 0;
    int shown = 0;
    for (int i = 0; i < n; i++) {
      if (summarize && !isEdge(aval, i)) {
        continue;
      }
      // floats: formatted together below; bf16 elements one by one, unpadded, as ml_dtypes prints them
      cells[i] = d.isFloating() && d != DType.BF16 ? "" : element(data, d, i);
      width = Math.max(width, cells[i].length());
      shown++;
    }
    if (d == DType.BF16) {
      width = 0;
    } else if (d.isFloating()) {
      // NumPy picks one notation and one width for all the shown elements
      double[] values = new double[shown];
      int[] index = new int[shown];
      for (int i = 0, k = 0; i < n; i++) {
        if (cells[i] != null) {
          index[k] = i;
          values[k++] = getDouble(data, d, i);
        }
      }
      String[] formatted = NumpyFloats.format(values, d);
      for (int k = 0; k < shown; k++) {
        cells[index[k]] = formatted[k];
      }
      width = shown == 0 ? 0 : formatted[0].length();
    }
    if (aval.isScalar()) {
      return cells[0];
    }
    StringBuilder sb = new StringBuilder();
    render(sb, aval.shape(), 0, 0, cells, width, sep, indent, summarize);
    return sb.toString();
  }

  private static boolean isEdge(Aval aval, int flat) {
    for (int axis = aval.rank() - 1; axis >= 0; axis--) {
      int dim = aval.dim(axis);
      int idx = flat % dim;
      flat /= dim;
      if (dim > 2 * EDGE_ITEMS && idx >= EDGE_ITEMS && idx < dim - EDGE_ITEMS) {
        return false;
      }
    }
    return true;
  }

  static void render(StringBuilder sb, int[] shape, int axis, int offset, String[] cells,
      int width, String sep, int indent, boolean summarize) {
    int stride = 1;
    for (int i = axis + 1; i < shape.length; i++) {
      stride *= shape[i];
    }
    sb.append('[');
    int dim = shape[axis];
    boolean last = axis == shape.length - 1;
    String rowSep = sep.trim() + "\n".repeat(Math.max(1, shape.length - axis - 1))
        + " ".repeat(indent + axis + 1);
    for (int i = 0; i < dim; i++) {
      if (summarize && dim > 2 * EDGE_ITEMS && i == EDGE_ITEMS) {
        sb.append(last ? "..." + sep : "..." + rowSep);
        i = dim - EDGE_ITEMS - 1;
        continue;
      }
      if (last) {
        String c = cells[offset + i];
        sb.append(" ".repeat(Math.max(0, width - c.length()))).append(c);
        if (i < dim - 1) {
          sb.append(sep);
        }
      } else {
        render(sb, shape, axis + 1, offset + i * stride, cells, width, sep, indent, summarize);
        if (i < dim - 1) {
          sb.append(rowSep);
        }
      }
    }
    sb.append(']');
  }

  /** One element as NumPy prints it inside an array: {@code 1.}, {@code 0.5}, {@code 3}, {@code True}. */
  private static String element(Object data, DType d, int i) {
    return switch (d) {
      case F32, F64, F16 -> NumpyFloats.format(new double[] {getDouble(data, d, i)}, d)[0];
      case BF16 -> NumpyFloats.bf16(getDouble(data, d, i));
      case I32 -> Integer.toString(((int[]) data)[i]);
      case U32 -> Integer.toUnsignedString(((int[]) data)[i]);
      case BOOL -> ((boolean[]) data)[i] ? "True" : "False";
      case C64 -> throw new AssertionError("complex arrays are formatted by ComplexHost");
    };
  }

  /** Java's {@code 1.0E-5} as Python's {@code 1e-05}. */
  private static String sciNotation(String javaText) {
    int e = javaText.indexOf('E');
    String mantissa = javaText.substring(0, e);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    int exp = Integer.parseInt(javaText.substring(e + 1));
    return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
  }
}
