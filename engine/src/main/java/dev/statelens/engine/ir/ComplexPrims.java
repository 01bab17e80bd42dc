package dev.statelens.engine.ir;

import dev.statelens.engine.DType;
import dev.statelens.engine.ShapeError;
import java.util.List;

/**
 * The complex-number primitives of lax: {@code complex(re, im)}, {@code real}, {@code imag},
 * {@code conj}. Their CPU kernels are in {@code backend.cpu.ComplexKernels}, which also gives the
 * standard primitives ({@code mul}, {@code exp}, layout ops, ...) their complex64 behaviour.
 */
public final class ComplexPrims {
  private ComplexPrims() {}

  /** {@code lax.complex(re, im)}: two f32 operands (equal shapes, or one rank-0) to c64. */
  public static final Primitive COMPLEX = new Primitive("complex", (in, p) -> {
    if (in.size() != 2) {
      throw new ShapeError("complex: expects 2 operands (re, im), got " + in.size());
    }
    Aval re = in.get(0);
    Aval im = in.get(1);
    if (re.dtype() != DType.F32 || im.dtype() != DType.F32) {
      throw new ShapeError("complex: needs two f32 operands (complex64 parts), got " + re + " and " + im
          + "; convert them with astype(DType.F32)");
    }
    Aval shaped = re.isScalar() ? im : re;
    if (!re.sameShape(im) && !re.isScalar() && !im.isScalar()) {
      throw new ShapeError("complex: shapes " + re.shapeString() + " and " + im.shapeString()
          + " must be equal (or one rank-0); broadcast first (Array.complex broadcasts)");
    }
    return List.of(shaped.withDType(DType.C64));
  });

  /** {@code lax.real}: the real part of a c64, an f32. */
  public static final Primitive REAL = part("real");
  /** {@code lax.imag}: the imaginary part of a c64, an f32. */
  public static final Primitive IMAG = part("imag");
  /** {@code lax.conj}: the complex conjugate, a c64. */
  public static final Primitive CONJ = new Primitive("conj", (in, p) -> List.of(complexOperand("conj", in)));

  private static Primitive part(String name) {
    return new Primitive(name, (in, p) -> List.of(complexOperand(name, in).withDType(DType.F32)));
  }

  private static Aval complexOperand(String name, List<Aval> in) {
    Aval x = Prims.one(name, in);
    if (!x.dtype().isComplex()) {
      throw new ShapeError(name + ": needs a complex64 operand, got " + x
          + " (Array." + name + "() accepts real arrays too and converts them)");
    }
    return x;
  }
}
