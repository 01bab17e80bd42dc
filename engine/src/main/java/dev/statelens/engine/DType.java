package dev.statelens.engine;

/**
 * Element types of an {@link Array}. {@code U32} is stored in Java {@code int}s; comparisons,
 * division, right shifts and conversions treat those bits as unsigned. {@code BF16} and
 * {@code F16} are stored as their bits in Java {@code short}s; every operation computes them in
 * f32 and rounds its result (XLA's CPU/GPU rule, see docs/arrays.md "16-bit floats").
 */
public enum DType {
  BOOL("bool", "bool", 1),
  I32("i32", "int32", 4),
  U32("u32", "uint32", 4),
  F32("f32", "float32", 4),
  F64("f64", "float64", 8),
  // after the older ones: run stores (LeafCodec) record a dtype by its ordinal
  /** bfloat16: f32's 8 exponent bits with 7 mantissa bits. */
  BF16("bf16", "bfloat16", 2),
  /** IEEE half precision: 5 exponent bits, 10 mantissa bits. */
  F16("f16", "float16", 2),
  /**
   * complex64: an f32 real part and an f32 imaginary part, stored interleaved in one
   * {@code float[]} of twice the element count (re0, im0, re1, im1, ...), as NumPy lays it out.
   */
  C64("c64", "complex64", 8);

  private final String shortName;
  private final String numpyName;
  private final int byteSize;

  DType(String shortName, String numpyName, int byteSize) {
    this.shortName = shortName;
    this.numpyName = numpyName;
    this.byteSize = byteSize;
  }

  /** The name used in jaxpr text, e.g. {@code f32}. */
  public String shortName() {
    return shortName;
  }

  /** The NumPy/JAX name, e.g. {@code float32}. */
  public String numpyName() {
    return numpyName;
  }

  public int byteSize() {
    return byteSize;
  }

  public boolean isFloating() {
    return this == F32 || this == F64 || this == BF16 || this == F16;
  }

  /** BF16 or F16: stored as 16 bits, computed in f32. */
  public boolean is16BitFloat() {
    return this == BF16 || this == F16;
  }

  /** C64, the one complex dtype (JAX's complex128 needs x64, which this engine does not have). */
  public boolean isComplex() {
    return this == C64;
  }

  /** A float or complex dtype: NumPy/JAX's {@code inexact} (what carries a gradient, what floor leaves as is). */
  public boolean isInexact() {
    return isFloating() || isComplex();
  }

  /** I32 or U32. */
  public boolean isInteger() {
    return this == I32 || this == U32;
  }

  public boolean isBool() {
    return this == BOOL;
  }

  /**
   * JAX's type promotion for two strongly typed operands: bool &lt; integers &lt; floats, wider
   * float wins. i32 with u32 gives i32 (JAX would give i64, which this engine does not have).
   * Among floats (JAX's lattice): bf16 and f16 are incomparable, so together they give f32; a
   * 16-bit float with f32 gives f32, with f64 gives f64; an integer or bool with a 16-bit float
   * gives that float.
   */
  public static DType promote(DType a, DType b) {
    if (a == b) {
      return a;
    }
    if (a.isComplex() || b.isComplex()) {
      DType other = a.isComplex() ? b : a;
      if (other == F64) {
        throw new IllegalArgumentException("f64 with c64 promotes to complex128 in JAX, which this engine does not have:"
            + " convert the f64 operand with astype(DType.F32) (or DType.C64) first");
      }
      return C64;
    }
    if (a.isFloating() && b.isFloating()) {
      if (a == F64 || b == F64) {
        return F64;
      }
      return F32; // f32 with a 16-bit float, or bf16 with f16
    }
    if (a.isFloating() || b.isFloating()) {
      return a.isFloating() ? a : b;
    }
    if (a.isInteger() && b.isInteger()) {
      return I32;
    }
    return a.isBool() ? b : a;
  }

  /**
   * The dtype of {@code x op value} where {@code value} is a Java number, weakly typed as a Python
   * scalar is in JAX: a Java integral ({@code int}, {@code long}) is JAX's weak int, a Java
   * floating number ({@code double}, {@code float}) its weak float. x keeps its dtype, except that
   * a weak float with an integer or bool array gives F32 (the default float), and a weak int with a
   * bool array gives I32.
   */
  public static DType promoteWeak(DType x, boolean javaIntegral) {
    if (x.isInexact()) {
      return x;
    }
    if (!javaIntegral) {
      return F32;
    }
    return x.isBool() ? I32 : x;
  }

  /** Parses a short or NumPy name ({@code f32}, {@code float32}, ...). */
  public static DType parse(String name) {
    for (DType d : values()) {
      if (d.shortName.equalsIgnoreCase(name) || d.numpyName.equalsIgnoreCase(name)
          || d.name().equalsIgnoreCase(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown dtype '" + name
        + "': use one of f32, f64, bf16, f16, c64, i32, u32, bool (or float32, float64, bfloat16, float16, complex64, int32, uint32)");
  }
}
