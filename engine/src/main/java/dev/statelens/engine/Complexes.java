package dev.statelens.engine;

import dev.statelens.engine.ir.ComplexPrims;
import dev.statelens.engine.ir.Params;

/** {@code jnp.real/imag/conj/angle} and {@code lax.complex} over {@link ComplexPrims}. */
final class Complexes {
  private Complexes() {}

  static Array complex(Array re, Array im) {
    Array r = part("complex", re);
    Array i = part("complex", im);
    if (!r.aval().sameShape(i.aval()) && !r.aval().isScalar() && !i.aval().isScalar()) {
      int[] shape = Array.broadcastShapes("complex", r.shape(), i.shape());
      r = r.broadcastTo(shape);
      i = i.broadcastTo(shape);
    }
    return ComplexPrims.COMPLEX.bind1(Params.EMPTY, r, i);
  }

  /** A part of a complex64 is f32: integers and bool are converted; f64 is refused (no complex128). */
  private static Array part(String op, Array x) {
    DType d = x.dtype();
    if (d == DType.F64 || d.isComplex()) {
      throw new IllegalArgumentException(op + ": the parts of a complex64 are f32, got " + x.aval()
          + (d == DType.F64 ? "; convert with astype(DType.F32) (complex128 needs x64, which this engine does not have)"
              : "; take real() and imag() of it first"));
    }
    return x.astype(DType.F32);
  }

  static Array real(Array x) {
    return x.dtype().isComplex() ? ComplexPrims.REAL.bind1(Params.EMPTY, x) : x;
  }

  static Array imag(Array x) {
    return x.dtype().isComplex() ? ComplexPrims.IMAG.bind1(Params.EMPTY, x) : Array.zerosLike(x);
  }

  static Array conj(Array x) {
    return x.dtype().isComplex() ? ComplexPrims.CONJ.bind1(Params.EMPTY, x) : x;
  }

  static Array angle(Array x) {
    if (x.dtype().isComplex()) {
      return imag(x).atan2(real(x));
    }
    Array f = NumpyMath.floaty(x);
    return Array.zerosLike(f).atan2(f);
  }
}
