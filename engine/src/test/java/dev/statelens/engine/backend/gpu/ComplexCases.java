package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Jaxpr;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * complex64 graphs with device code only ({@link ComplexDevice}): no host step. Checked for that in
 * {@link ComplexGpuTest}, against the CPU backend under emulation in {@link EmulatedKernelsTest},
 * and compiled by the vendor compilers in {@link KernelCompileCheckTest}.
 */
final class ComplexCases {
  private ComplexCases() {}

  private static Array c(int... shape) {
    return Array.zeros(DType.C64, shape);
  }

  static Map<String, Jaxpr> device() {
    Map<String, Jaxpr> m = new LinkedHashMap<>();
    m.put("c64 arithmetic chain", Transforms.makeJaxpr((Array z, Array w) ->
        z.mul(w).add(z).sub(w.square()).div(w.add(1.5)).neg(), c(4, 33), c(4, 33)));
    m.put("c64 exp, abs, conj", Transforms.makeJaxpr((Array z) -> List.of(z.exp().conj(), z.abs()), c(70)));
    m.put("c64 parts in and out", Transforms.makeJaxpr((Array re, Array im) -> {
      Array z = Array.complex(re, im.mul(2));
      return List.of(z.mul(z).real().add(z.imag()), re.astype(DType.C64).mul(z));
    }, Array.zeros(5, 7), Array.zeros(5, 7)));
    m.put("c64 compare and select", Transforms.makeJaxpr((Array z, Array w) ->
        Array.where(z.eq(w).or(z.ne(w.conj())), z, w.mul(z)), c(6, 9), c(6, 9)));
    m.put("c64 layout: broadcast, transpose, slice, pad, flip, concat", Transforms.makeJaxpr((Array z, Array row) -> {
      Array t = z.transpose().mul(row.broadcastTo(9, 6)).sliceAxis(0, 1, 7);
      return Array.concatenate(0, t.pad(new int[][] {{1, 2}, {0, 0}}, 0), t.flip(1));
    }, c(6, 9), c(6)));
    m.put("c64 division edges (Annex G)", Transforms.makeJaxpr((Array z) -> Array.scalar(1.0).astype(DType.C64).div(z)
        .add(z.div(z.mul(0))), c(12)));
    m.put("c64 elementary functions", Transforms.makeJaxpr((Array z) -> List.of(z.log(), z.log1p(), z.expm1(), z.sqrt(),
        z.rsqrt(), z.sin(), z.cos(), z.tan(), z.sinh(), z.cosh(), z.tanh(), z.sign()), c(40)));
    m.put("c64 pow, fused with arithmetic", Transforms.makeJaxpr((Array z, Array w) ->
        z.pow(w).add(z.pow(2.5)).mul(w.sqrt().log()), c(5, 8), c(5, 8)));
    m.put("c64 sums: all (a block tree), per row, over two axes", Transforms.makeJaxpr((Array z, Array v) ->
        List.of(v.sum(), z.sum(1), z.sum(0, 2), z.sum(2)), c(3, 5, 70), c(300)));
    m.put("c64 sum of a fused product, with an f32 sibling and a side output", Transforms.makeJaxpr((Array z, Array w) -> {
      Array p = z.mul(w.conj());
      return List.of(p.sum(1), p.abs().sum(1), p.exp());
    }, c(6, 90), c(6, 90)));
    m.put("c64 max and min (lexicographic folds)", Transforms.makeJaxpr((Array z) ->
        List.of(z.max(1), z.min(0), z.max(), z.min(0, 1)), c(7, 32)));
    m.put("c64 cumsum, cumprod, prod", Transforms.makeJaxpr((Array z) ->
        List.of(z.cumsum(1), z.cumprod(0), z.prod(1)), c(5, 12)));
    m.put("c64 max/min past 32 (window tree), cummax/cummin (block tree)", Transforms.makeJaxpr((Array z) ->
        List.of(z.max(1), z.min(), Lax.cummax(z, 1, false), Lax.cummin(z, 1, true)), c(3, 70)));
    m.put("c64 matmuls: A.B, B^T.A^T (cgemm-marked), matrix-vector", Transforms.makeJaxpr((Array a, Array b, Array v) ->
        List.of(a.matmul(b), Array.dotGeneral(b, a, new int[] {0}, new int[] {1}, new int[0], new int[0]), a.matmul(v)),
        c(37, 29), c(29, 70), c(29)));
    m.put("c64 batched matmul (einsum)", Transforms.makeJaxpr((Array x, Array y) -> Array.einsum("bij,bjk->bik", x, y),
        c(3, 5, 66), c(3, 66, 4)));
    return m;
  }
}
