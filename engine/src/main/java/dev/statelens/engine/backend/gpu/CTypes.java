package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Literal;

/**
 * How dtypes look in the generated C++: storage types (bool is one byte on the device), register
 * types, and literals that read back bit-exactly.
 */
final class CTypes {
  private CTypes() {}

  /**
   * The GPU backends do not generate 16-bit float code yet (docs/arrays.md, "16-bit floats"):
   * the error a graph or array with a bf16/f16 value gets, naming the way around it.
   */
  static UnsupportedOperationException no16Bit(DType d) {
    return new UnsupportedOperationException("the GPU backends (rocm, cuda) do not support " + d.numpyName()
        + " arrays yet: run 16-bit code on the CPU backend (STATELENS_BACKEND=cpu), or keep the values"
        + " float32 on the GPU (astype(DType.F32))");
  }

  /** Throws {@link #no16Bit} if {@code d} is a 16-bit float. */
  static void require32Or64(dev.statelens.engine.ir.Aval a) {
    if (a.dtype().is16BitFloat()) {
      throw no16Bit(a.dtype());
    }
  }

  /** The element type in device memory. */
  static String storage(DType d) {
    return switch (d) {
      case F32 -> "float";
      case F64 -> "double";
      case I32 -> "int";
      case U32 -> "unsigned int";
      case BOOL -> "sl_bool";
      case BF16, F16 -> throw no16Bit(d);
    };
  }

  /** The type of a value in registers. */
  static String reg(DType d) {
    return d == DType.BOOL ? "bool" : storage(d);
  }

  /** Reads element {@code index} of {@code ptr} as a register value. */
  static String load(DType d, String ptr, String index) {
    return d == DType.BOOL ? "(" + ptr + "[" + index + "] != 0)" : ptr + "[" + index + "]";
  }

  /** The expression stored for register value {@code value}. */
  static String store(DType d, String value) {
    return d == DType.BOOL ? "(sl_bool)(" + value + ")" : value;
  }

  /** Bytes per element in device memory. */
  static int bytes(DType d) {
    return d == DType.BOOL ? 1 : d.byteSize();
  }

  static String literal(Literal l) {
    return constant(l.dtype(), l.value());
  }

  /** A constant of dtype {@code d} (doubles hold every f32, i32, u32 and bool value exactly). */
  static String constant(DType d, double v) {
    return switch (d) {
      case F32 -> {
        float f = (float) v;
        yield Float.isFinite(f) ? "(" + Float.toString(f) + "f)"
            : "__int_as_float(0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
      }
      case F64 -> Double.isFinite(v) ? "(" + Double.toString(v) + ")"
          : "__longlong_as_double(0x" + Long.toHexString(Double.doubleToRawLongBits(v)) + "LL)";
      case I32 -> "((int)0x" + Integer.toHexString((int) (long) v) + "u)";
      case U32 -> "0x" + Long.toHexString(((long) v) & 0xFFFF_FFFFL) + "u";
      case BOOL -> v != 0 ? "true" : "false";
      case BF16, F16 -> throw no16Bit(d);
    };
  }

  /** The smallest value of {@code d} (identity of max). */
  static String lowest(DType d) {
    return switch (d) {
      case F32 -> constant(d, Float.NEGATIVE_INFINITY);
      case F64 -> constant(d, Double.NEGATIVE_INFINITY);
      case I32 -> "((int)0x80000000u)";
      case U32 -> "0u";
      case BOOL -> "false";
      case BF16, F16 -> throw no16Bit(d);
    };
  }

  /** The largest value of {@code d} (identity of min). */
  static String highest(DType d) {
    return switch (d) {
      case F32 -> constant(d, Float.POSITIVE_INFINITY);
      case F64 -> constant(d, Double.POSITIVE_INFINITY);
      case I32 -> "((int)0x7fffffff)";
      case U32 -> "0xffffffffu";
      case BOOL -> "true";
      case BF16, F16 -> throw no16Bit(d);
    };
  }
}
