package dev.statelens.engine.linalg;

import static dev.statelens.engine.linalg.MatrixOps.column;
import static dev.statelens.engine.linalg.MatrixOps.mT;

import dev.statelens.engine.Array;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Params;
import java.util.List;
import java.util.function.BiFunction;

/**
 * {@code jnp.linalg.solve}'s core, {@code x = a⁻¹ b} for {@code a [..., n, n]} and {@code b [..., n, k]}
 * of equal batch, with JAX's gradient: JAX solves through {@code lax.custom_linear_solve}, whose
 * transpose is a solve with the transposed matrix, so the backward pass reuses the forward's LU
 * factors — {@code g = a⁻ᵀ x̄} (two triangular solves and a row permutation, O(n²k)), then
 * {@code b̄ = g}, {@code ā = -g xᵀ} (one outer product) — instead of differentiating through the LU
 * factorization (several O(n³) products and solves). Written as a {@code customVjp}: the backward
 * is ordinary operations, so grad of grad differentiates it (through the LU primitive's own VJP
 * for the factors), and jvp transposes it.
 */
public final class LuSolve {
  private LuSolve() {}

  /** What the backward pass needs: the factors of {@code a[perm] = L U} and the solution. */
  private record Residuals(Array lu, Array permutation, Array x) {}

  private static final BiFunction<Array, Array, Array> SOLVE = Transforms.customVjp(
      (Array a, Array b) -> solve(LinalgPrims.LU.bind(Params.EMPTY, a), b),
      (Array a, Array b) -> {
        List<Array> f = LinalgPrims.LU.bind(Params.EMPTY, a);
        Array x = solve(f, b);
        return Pair.of(x, new Residuals(f.get(0), f.get(2), x));
      },
      (Residuals r, Array xbar) -> {
        Array g = solveTransposed(r.lu(), r.permutation(), xbar);
        return Pair.of(g.matmul(mT(r.x())).neg(), g);
      });

  /** {@code x} with {@code a x = b}; a and b already of one dtype and one batch shape. */
  public static Array solve(Array a, Array b) {
    return SOLVE.apply(a, b);
  }

  /** With {@code a[perm] = L U}: {@code x = U⁻¹ L⁻¹ b[perm]}. */
  private static Array solve(List<Array> factors, Array b) {
    Array lu = factors.get(0);
    Array pb = b.takeAlongAxis(column(factors.get(2)), b.ndim() - 2);
    Array y = triangular(lu, pb, true, false, true);
    return triangular(lu, y, false, false, false);
  }

  /**
   * {@code g} with {@code aᵀ g = c}: from {@code P a = L U}, {@code aᵀ Pᵀ = Uᵀ Lᵀ}, so
   * {@code w = L⁻ᵀ U⁻ᵀ c} is {@code P g}, i.e. {@code g[perm[i]] = w[i]}.
   */
  static Array solveTransposed(Array lu, Array permutation, Array c) {
    Array z = triangular(lu, c, false, true, false);
    Array w = triangular(lu, z, true, true, true);
    Array inverse = permutation.argsort(-1);
    return w.takeAlongAxis(column(inverse), w.ndim() - 2);
  }

  private static Array triangular(Array lu, Array b, boolean lower, boolean transpose, boolean unit) {
    return LinalgPrims.TRIANGULAR_SOLVE.bind1(LinalgPrims.triangularSolveParams(true, lower, transpose, unit), lu, b);
  }
}
