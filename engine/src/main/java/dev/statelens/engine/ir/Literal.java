package dev.statelens.engine.ir;

import dev.statelens.engine.DType;

/**
 * A rank-0 constant written inline in an equation, as JAX prints {@code 2.0:f32[]}. The value is
 * held as a double, which represents every f32, i32, u32 (as 0..2^32-1) and bool (0/1) exactly.
 */
public record Literal(Aval aval, double value) implements Atom {

  public Literal {
    if (!aval.isScalar()) {
      throw new IllegalArgumentException("a Literal must be rank-0, got " + aval);
    }
  }

  public DType dtype() {
    return aval.dtype();
  }

  /** The value as JAX prints it, without the type: {@code 2.0}, {@code 3}, {@code True}. */
  public String valueString() {
    return switch (aval.dtype()) {
      case BOOL -> value != 0 ? "True" : "False";
      case I32, U32 -> Long.toString((long) value);
      case F32, BF16, F16 -> Float.toString((float) value);
      case F64 -> Double.toString(value);
      // a complex literal holds a real value (imaginary 0; others are graph constants): (2+0j)
      case C64 -> dev.statelens.engine.backend.ComplexHost.scalarStr(new float[] {(float) value, 0f});
    };
  }

  @Override
  public String toString() {
    return valueString() + ":" + aval;
  }
}
