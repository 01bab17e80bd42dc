package dev.statelens.engine;

/**
 * Element types of an {@link Array}. {@code U32} is stored in Java {@code int}s; comparisons,
 * division, right shifts and conversions treat those bits as unsigned.
 */
public enum DType {
  BOOL("bool", "bool", 1),
  I32("i32", "int32", 4),
  U32("u32", "uint32", 4),
  F32("f32", "float32", 4),
  F64("f64", "float64", 8);

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
    return this == F32 || this == F64;
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
   */
  public static DType promote(DType a, DType b) {
    if (a == b) {
      return a;
    }
    if (a.isFloating() || b.isFloating()) {
      return (a == F64 || b == F64) ? F64 : F32;
    }
    if (a.isInteger() && b.isInteger()) {
      return I32;
    }
    return a.isBool() ? b : a;
  }

  /**
   * The dtype of {@code x op value} where {@code value} is a Java number (weakly typed, as Python
   * scalars are in JAX): x keeps its dtype, except that a fractional value with an integer or
   * bool array gives F32 (the default float), and an integral value with a bool array gives I32.
   */
  public static DType promoteWeak(DType x, double value) {
    if (x.isFloating()) {
      return x;
    }
    boolean integral = value == Math.rint(value) && !Double.isInfinite(value);
    if (!integral) {
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
    throw new IllegalArgumentException("unknown dtype '" + name + "': use one of f32, f64, i32, u32, bool");
  }
}
