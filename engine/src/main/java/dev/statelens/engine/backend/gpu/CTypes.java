package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.HalfFloats;
import dev.statelens.engine.ir.Literal;

/**
 * How dtypes look in the generated C++: storage types (bool is one byte on the device), register
 * types, and literals that read back bit-exactly. BF16/F16 are stored as their bits ({@code unsigned
 * short}) and held in registers as float: a load widens (exact), a store rounds to nearest even.
 */
final class CTypes {
  private CTypes() {}

  /**
   * A 16-bit float step the generator does not compute on the device (bitcasts to or from
   * bf16/f16): the error names the way around it.
   */
  static UnsupportedOperationException no16Bit(DType d, String what) {
    return new UnsupportedOperationException("the GPU backends (rocm, cuda) do not generate " + what + " for "
        + d.numpyName() + " arrays: convert the values first (astype(DType.F32)), or run on the CPU backend"
        + " (STATELENS_BACKEND=cpu)");
  }

  /** The prelude's rounding of a register float to the nearest value of 16-bit {@code d} (kept as float). */
  static String round16(DType d, String value) {
    return (d == DType.BF16 ? "sl_round_bf16(" : "sl_round_f16(") + value + ")";
  }

  /** The element type in device memory. */
  static String storage(DType d) {
    return switch (d) {
      case F32 -> "float";
      case F64 -> "double";
      case I32 -> "int";
      case U32 -> "unsigned int";
      case BOOL -> "sl_bool";
      // the bits, as the CPU backend's short[] holds them; registers hold the widened float
      case BF16, F16 -> "unsigned short";
      case C64 -> "sl_c64"; // two floats, the interleaved pair (ComplexDevice)
    };
  }

  /**
   * A complex64 step without device code ({@link ComplexDevice#onDevice}) is a host step
   * ({@link KernelGenerator#onHost}), so reaching one here is a generator bug; the message names
   * the way around it.
   */
  static UnsupportedOperationException complexUnsupported() {
    return new UnsupportedOperationException("complex64 reached GPU device code generation, but complex steps run on"
        + " the host (KernelGenerator.onHost): please report this graph; meanwhile STATELENS_BACKEND=cpu runs it");
  }

  /** The type of a value in registers. */
  static String reg(DType d) {
    return d == DType.BOOL ? "bool" : d.is16BitFloat() ? "float" : storage(d);
  }

  /** Reads element {@code index} of {@code ptr} as a register value. */
  static String load(DType d, String ptr, String index) {
    return switch (d) {
      case BOOL -> "(" + ptr + "[" + index + "] != 0)";
      case BF16 -> "sl_bf16_to_f32(" + ptr + "[" + index + "])";
      case F16 -> "sl_f16_to_f32(" + ptr + "[" + index + "])";
      default -> ptr + "[" + index + "]";
    };
  }

  /** The expression stored for register value {@code value}. */
  static String store(DType d, String value) {
    return switch (d) {
      case BOOL -> "(sl_bool)(" + value + ")";
      case BF16 -> "sl_f32_to_bf16(" + value + ")";
      case F16 -> "sl_f32_to_f16(" + value + ")";
      default -> value;
    };
  }

  /** Bytes per element in device memory. */
  static int bytes(DType d) {
    return d == DType.BOOL ? 1 : d.is16BitFloat() ? 2 : d.byteSize();
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
      // the register (float) value: the constant rounded once to the 16-bit type, then widened exactly
      case BF16, F16 -> constant(DType.F32, HalfFloats.round(d, v));
      case C64 -> "sl_cmake(" + constant(DType.F32, v) + ", 0.0f)"; // a complex jaxpr literal is real
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
      case BF16, F16 -> constant(DType.F32, Float.NEGATIVE_INFINITY);
      case C64 -> throw complexUnsupported();
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
      case BF16, F16 -> constant(DType.F32, Float.POSITIVE_INFINITY);
      case C64 -> throw complexUnsupported();
    };
  }
}
