package dev.statelens.engine.backend;

import dev.statelens.engine.DType;

/**
 * Conversions between the 16-bit float types (bits in a {@code short}) and float/double, as XLA
 * (through Eigen and ml_dtypes) does them: round to nearest, ties to even; overflow gives ±inf;
 * subnormals kept (never flushed); -0 stays -0; a NaN becomes the quiet NaN of its sign
 * ({@code 0x7FC0} for bf16, {@code 0x7E00} for f16, payload dropped, as Eigen's
 * {@code float_to_bfloat16_rtne} and {@code float_to_half_rtne}).
 *
 * <p>From double, the value is first rounded to float <em>to odd</em> (truncate, and set the last
 * bit when inexact), then to 16 bits to nearest even: float keeps at least 13 more bits than
 * either 16-bit type, so this gives the same result as rounding the double directly, which is
 * what JAX does ({@code x_f64.astype(bf16)}); a plain {@code (float) d} first could round twice.
 */
public final class HalfFloats {
  private HalfFloats() {}

  public static final short BF16_QUIET_NAN = 0x7FC0;
  public static final short F16_QUIET_NAN = 0x7E00;

  /** bf16 bits to float: exact (bf16 is the top half of a float). */
  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  /** float to bf16 bits: round to nearest even on the 16 dropped bits. */
  public static short floatToBf16(float f) {
    int bits = Float.floatToRawIntBits(f);
    if (Float.isNaN(f)) {
      return (short) (((bits >>> 16) & 0x8000) | BF16_QUIET_NAN);
    }
    int lsb = (bits >>> 16) & 1;
    return (short) ((bits + 0x7FFF + lsb) >>> 16);
  }

  /** f16 bits to float: exact. */
  public static float f16ToFloat(short bits) {
    return Float.float16ToFloat(bits);
  }

  /** float to f16 bits: the JDK's round to nearest even, with XLA's canonical NaN. */
  public static short floatToF16(float f) {
    if (Float.isNaN(f)) {
      return (short) (((Float.floatToRawIntBits(f) >>> 16) & 0x8000) | F16_QUIET_NAN);
    }
    return Float.floatToFloat16(f);
  }

  /** double to bf16 bits, rounded once (see the class comment). */
  public static short doubleToBf16(double d) {
    return floatToBf16(roundToOddFloat(d));
  }

  /** double to f16 bits, rounded once. */
  public static short doubleToF16(double d) {
    return floatToF16(roundToOddFloat(d));
  }

  /** Widens bits of a 16-bit dtype to float. */
  public static float toFloat(DType d, short bits) {
    return switch (d) {
      case BF16 -> bf16ToFloat(bits);
      case F16 -> f16ToFloat(bits);
      default -> throw new IllegalArgumentException(d + " is not a 16-bit float type");
    };
  }

  /** Rounds a float to the bits of a 16-bit dtype. */
  public static short fromFloat(DType d, float f) {
    return switch (d) {
      case BF16 -> floatToBf16(f);
      case F16 -> floatToF16(f);
      default -> throw new IllegalArgumentException(d + " is not a 16-bit float type");
    };
  }

  /** Rounds a double to the bits of a 16-bit dtype (once). */
  public static short fromDouble(DType d, double v) {
    return switch (d) {
      case BF16 -> doubleToBf16(v);
      case F16 -> doubleToF16(v);
      default -> throw new IllegalArgumentException(d + " is not a 16-bit float type");
    };
  }

  /** {@code v} rounded once to the 16-bit dtype {@code d} (nearest even) and widened back, exactly. */
  public static float round(DType d, double v) {
    return toFloat(d, fromDouble(d, v));
  }

  /** Widens a whole array of 16-bit bits. */
  public static float[] toFloats(DType d, short[] bits) {
    float[] out = new float[bits.length];
    if (d == DType.BF16) {
      for (int i = 0; i < out.length; i++) {
        out[i] = Float.intBitsToFloat((bits[i] & 0xFFFF) << 16);
      }
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = Float.float16ToFloat(bits[i]);
      }
    }
    return out;
  }

  /** Rounds a whole float array to 16-bit bits. */
  public static short[] fromFloats(DType d, float[] values) {
    short[] out = new short[values.length];
    if (d == DType.BF16) {
      for (int i = 0; i < out.length; i++) {
        out[i] = floatToBf16(values[i]);
      }
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = floatToF16(values[i]);
      }
    }
    return out;
  }

  /**
   * {@code d} rounded to float toward zero, with the lowest mantissa bit set when that was
   * inexact ("round to odd"); NaN and infinities pass, and a finite double beyond float's range
   * gives the largest float (odd), which the 16-bit rounding then takes to infinity.
   */
  static float roundToOddFloat(double d) {
    float f = (float) d;
    if (Double.isNaN(d) || Double.isInfinite(d) || f == d) {
      return f;
    }
    // (float) d rounded to nearest; step back toward zero if it went past d
    if (Math.abs((double) f) > Math.abs(d)) {
      f = Math.nextAfter(f, 0.0);
    }
    return Float.intBitsToFloat(Float.floatToRawIntBits(f) | 1);
  }
}
