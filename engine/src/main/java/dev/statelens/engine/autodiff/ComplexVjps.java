package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.Products;
import dev.statelens.engine.ir.ComplexPrims;
import dev.statelens.engine.ir.Prims;
import java.util.Arrays;

/**
 * VJP rules of the complex primitives, in JAX's convention: a cotangent is the plain transpose
 * (no conjugation) of the linear map, so {@code grad} of a real loss with respect to a complex
 * input is the conjugate of the "steepest ascent" direction, exactly as {@code jax.grad}
 * returns it (e.g. {@code grad(abs)(3+4j) = 0.6-0.8j}).
 */
final class ComplexVjps {
  private ComplexVjps() {}

  static void registerAll() {
    // real(z) = Re z: transpose embeds t as t + 0j; imag(z) = Re(-i z): transpose -i t
    Vjp.register(ComplexPrims.REAL, (p, in, out, ct, needed) ->
        Arrays.asList(Array.complex(ct.get(0), Array.zerosLike(ct.get(0)))));
    Vjp.register(ComplexPrims.IMAG, (p, in, out, ct, needed) ->
        Arrays.asList(Array.complex(Array.zerosLike(ct.get(0)), ct.get(0).neg())));
    // complex(x, y) = x + i y: transposes Re t and Re(i t) = -Im t (JAX: [real(t), imag(neg(t))])
    Vjp.register(ComplexPrims.COMPLEX, (p, in, out, ct, needed) -> Arrays.asList(
        needed[0] ? StandardVjps.unbroadcast(ct.get(0).real(), in.get(0)) : null,
        needed[1] ? StandardVjps.unbroadcast(ct.get(0).imag().neg(), in.get(1)) : null));
    Vjp.register(ComplexPrims.CONJ, (p, in, out, ct, needed) -> Arrays.asList(ct.get(0).conj()));
    // c64 prod: the value in XLA's order, the gradient the running product's (exact with zeros)
    Vjp.register(Prims.REDUCE_PROD, (p, in, out, ct, needed) -> Arrays.asList(Derivatives.vjp("prod",
        (Array x) -> Products.lastRunningProduct(x, p.getInts("axes")), in.get(0)).pullback(ct.get(0))));
  }

  /**
   * abs of a complex z: {@code d|z| = Re(conj(z)/|z| dz)}; its transpose in JAX's convention
   * sends t to {@code t conj(z)/|z|} (JAX: {@code grad(abs)(3+4j) = 0.6-0.8j}); 0 at z = 0.
   */
  static Array absOfComplex(Array z, Array modulus, Array t) {
    Array safe = Array.where(modulus.eq(0), Array.onesLike(modulus), modulus);
    Array unit = z.conj().div(safe.astype(dev.statelens.engine.DType.C64));
    return Array.where(modulus.eq(0), Array.zerosLike(z), unit.mul(t.astype(dev.statelens.engine.DType.C64)));
  }
}
