package dev.statelens.engine;

import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import java.util.function.BiFunction;

/**
 * jnp's order on complex64: lexicographic, real part first, then imaginary part (what
 * {@code jnp.less}, {@code jnp.maximum}, {@code jnp.sort} do; {@code lax.lt} refuses complex, and
 * so does {@link Prims#LT}). Compositions of real comparisons and {@code select}, so jit, vmap
 * and the GPU backends need nothing new:
 * <ul>
 *   <li>{@code x < y} is {@code re(x) == re(y) ? im(x) < im(y) : re(x) < re(y)} (JAX's
 *       {@code _complex_comparison}); a NaN part makes it false, -0 equals +0.
 *   <li>{@code maximum(x, y)} is {@code x > y ? x : y}, {@code minimum} {@code x < y ? x : y}:
 *       XLA's complex max/min, which returns {@code y} when the comparison is false, so NaNs are
 *       not propagated ({@code maximum(nan+0j, 1+2j)} is {@code 1+2j}, {@code maximum(1+2j, nan+0j)}
 *       is {@code nan+0j}), as real JAX 0.10.2.
 * </ul>
 */
final class ComplexOrder {
  private ComplexOrder() {}

  /** {@code x op y} for a comparison primitive (LT, LE, GT, GE) on c64 operands of one shape. */
  static Array compare(Primitive op, Array x, Array y) {
    BiFunction<Array, Array, Array> cmp = realComparison(op);
    return Array.where(x.real().eq(y.real()), cmp.apply(x.imag(), y.imag()), cmp.apply(x.real(), y.real()));
  }

  static Array maximum(Array x, Array y) {
    return Array.where(compare(Prims.GT, x, y), x, y);
  }

  static Array minimum(Array x, Array y) {
    return Array.where(compare(Prims.LT, x, y), x, y);
  }

  private static BiFunction<Array, Array, Array> realComparison(Primitive op) {
    if (op == Prims.LT) {
      return Array::lt;
    }
    if (op == Prims.LE) {
      return Array::le;
    }
    if (op == Prims.GT) {
      return Array::gt;
    }
    if (op == Prims.GE) {
      return Array::ge;
    }
    throw new IllegalArgumentException(op.name() + " is not an order comparison");
  }
}
