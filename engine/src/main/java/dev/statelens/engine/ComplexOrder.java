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
    return Extrema.MAXIMUM.apply(x, y);
  }

  static Array minimum(Array x, Array y) {
    return Extrema.MINIMUM.apply(x, y);
  }

  /**
   * maximum/minimum differentiated as {@code lax.max/min} (which JAX 0.10.2 applies to complex):
   * the tangent of each operand equal to the result, halved when both are ({@code _balanced_eq});
   * an operand with a NaN part equals nothing and gets none. A plain select would give a tie's
   * whole cotangent to one side and a NaN result's to the selected operand. (A holder, so the
   * custom rules are made once, when complex extrema are first used.)
   */
  private static final class Extrema {
    static final BiFunction<Array, Array, Array> MAXIMUM = balanced(Prims.GT);
    static final BiFunction<Array, Array, Array> MINIMUM = balanced(Prims.LT);

    private static BiFunction<Array, Array, Array> balanced(Primitive keepFirst) {
      BiFunction<Array, Array, Array> pick = (x, y) -> Array.where(compare(keepFirst, x, y), x, y);
      return Transforms.customJvp(pick, (x, y, tx, ty) -> {
        Array out = pick.apply(x, y);
        return Pair.of(out, tx.mul(share(x, out, y)).add(ty.mul(share(y, out, x))));
      });
    }

    /** JAX's {@code _balanced_eq(x, out, y)}: 1 where x is the result, 1/2 where y is too, else 0. */
    private static Array share(Array x, Array out, Array y) {
      Array one = Array.onesLike(out);
      return Array.where(x.eq(out), one, Array.zerosLike(out)).div(Array.where(y.eq(out), one.mul(2), one));
    }
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
