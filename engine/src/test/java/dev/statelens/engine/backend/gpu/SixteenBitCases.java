package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BF16/F16 graphs the GPU generator computes on the device: every elementwise primitive, converts
 * from and to every dtype, layout ops, reductions, argmax/argmin, matmuls (16-bit out and
 * {@code preferred_element_type=float32}) and fused chains. {@link #host()} lists those that run
 * as host steps (sort, top_k, cumulative, scatter, bitcast).
 */
final class SixteenBitCases {
  private SixteenBitCases() {}

  static final List<DType> HALF = List.of(DType.BF16, DType.F16);

  /** Graphs by label; every one is generated without a host step. */
  static Map<String, Jaxpr> device() {
    PrimitiveCases.standardPrimitives(); // registers the primitives, so byName finds them
    Map<String, Jaxpr> m = new LinkedHashMap<>();
    for (DType d : HALF) {
      String t = d.numpyName();
      for (String n : ElementwiseOps.UNARY) {
        put(m, n + " " + t, n, Params.EMPTY, List.of(Aval.of(d, 3, 21)));
      }
      for (String n : ElementwiseOps.BINARY) {
        put(m, n + " " + t, n, Params.EMPTY, List.of(Aval.of(d, 4, 16), Aval.of(d, 4, 16)));
        put(m, n + " " + t + " with a scalar", n, Params.EMPTY, List.of(Aval.of(d, 4, 16), Aval.scalar(d)));
      }
      put(m, "select_n " + t, "select_n", Params.EMPTY, List.of(Aval.of(DType.BOOL, 2, 9), Aval.of(d, 2, 9), Aval.of(d, 2, 9)));
      for (DType other : DType.values()) {
        if (other.isComplex()) {
          continue; // complex64 steps run on the host (ComplexGpuTest)
        }
        put(m, "convert " + other.numpyName() + " -> " + t, "convert_element_type", Params.of("new_dtype", d),
            List.of(Aval.of(other, 40)));
        put(m, "convert " + t + " -> " + other.numpyName(), "convert_element_type", Params.of("new_dtype", other),
            List.of(Aval.of(d, 40)));
      }
      m.put("mul by a literal " + t, withLiteral("mul", Aval.of(d, 30), new Literal(Aval.scalar(d), 0.1)));
      m.put("add a literal " + t, withLiteral("add", Aval.of(d, 30), new Literal(Aval.scalar(d), 300.7)));
      put(m, "broadcast_in_dim " + t, "broadcast_in_dim",
          Params.of("shape", new int[] {4, 3, 5}, "broadcast_dimensions", new int[] {1, 2}), List.of(Aval.of(d, 3, 1)));
      put(m, "transpose " + t, "transpose", Params.of("permutation", new int[] {2, 0, 1}), List.of(Aval.of(d, 2, 3, 4)));
      put(m, "slice " + t, "slice", Params.of("start_indices", new int[] {1, 0}, "limit_indices", new int[] {5, 6},
          "strides", new int[] {2, 3}), List.of(Aval.of(d, 5, 7)));
      put(m, "pad " + t, "pad", Params.of("low", new int[] {1, -1}, "high", new int[] {2, 0}, "interior", new int[] {1, 0}),
          List.of(Aval.of(d, 3, 4), Aval.scalar(d)));
      put(m, "concatenate " + t, "concatenate", Params.of("dimension", 1),
          List.of(Aval.of(d, 2, 3), Aval.of(d, 2, 1), Aval.of(d, 2, 4)));
      // 0..2999: past 256 (bf16) and 2048 (f16) the integers round
      put(m, "iota " + t, "iota", Params.of("dtype", d, "shape", new int[] {3, 3000}, "dimension", 1), List.of());
      put(m, "gather " + t, "gather", Params.of("axis", 1), List.of(Aval.of(d, 4, 5, 3), Aval.of(DType.I32, 2, 3)));
      put(m, "dynamic_slice " + t, "dynamic_slice", Params.of("slice_sizes", new int[] {2, 3}),
          List.of(Aval.of(d, 5, 7), Aval.scalar(DType.I32), Aval.scalar(DType.U32)));
      put(m, "dynamic_update_slice " + t, "dynamic_update_slice", Params.EMPTY,
          List.of(Aval.of(d, 5, 7), Aval.of(d, 2, 3), Aval.scalar(DType.I32), Aval.scalar(DType.U32)));
      for (String r : List.of("reduce_sum", "reduce_max", "reduce_min")) {
        put(m, r + " serial " + t, r, Params.of("axes", new int[] {1}), List.of(Aval.of(d, 4, 5, 3)));
        put(m, r + " tree " + t, r, Params.of("axes", new int[] {0, 2}), List.of(Aval.of(d, 40, 2, 30)));
        put(m, r + " to a scalar " + t, r, Params.of("axes", new int[] {0}), List.of(Aval.of(d, 6)));
      }
      for (String r : List.of("argmax", "argmin")) {
        put(m, r + " " + t, r, Params.of("axes", new int[] {1}, "index_dtype", DType.I32), List.of(Aval.of(d, 4, 5)));
      }
      List<int[]> matmul = List.of(new int[] {1}, new int[] {0}, new int[0], new int[0]);
      List<int[]> batched = List.of(new int[] {2}, new int[] {1}, new int[] {0}, new int[] {0});
      List<int[]> transposed = List.of(new int[] {0}, new int[] {0}, new int[0], new int[0]);
      for (DType out : List.of(d, DType.F32)) {
        String o = " " + t + " -> " + out.numpyName();
        Params p = out == d ? Params.EMPTY : Params.of("preferred_element_type", out);
        put(m, "matmul" + o, "dot_general", p.with("dimension_numbers", matmul), List.of(Aval.of(d, 70, 33), Aval.of(d, 33, 65)));
        put(m, "batched matmul" + o, "dot_general", p.with("dimension_numbers", batched),
            List.of(Aval.of(d, 3, 5, 4), Aval.of(d, 3, 4, 2)));
        put(m, "transposed matmul" + o, "dot_general", p.with("dimension_numbers", transposed),
            List.of(Aval.of(d, 17, 9), Aval.of(d, 17, 5)));
        // a matrix-vector product: fused into its loop when the result is f32
        put(m, "matrix-vector" + o, "dot_general", p.with("dimension_numbers", matmul), List.of(Aval.of(d, 40, 30), Aval.of(d, 30, 1)));
      }
      Array x = Array.zeros(300, 2).astype(d);
      Array y = Array.zeros(300, 2).astype(d);
      // fused chains: each op's 16-bit output rounded in registers, as the CPU rounds each kernel's
      m.put("fused chain " + t, Transforms.makeJaxpr((Array a, Array b) -> a.mul(b).add(a).mul(1.1).sub(b.square()).tanh(), x, y));
      m.put("fused chain into a reduction " + t, Transforms.makeJaxpr((Array a, Array b) -> {
        Array s = a.sub(b).square();
        return List.of(s, s.sum(), s.max(0));
      }, x, y));
      m.put("mixed with f32 " + t, Transforms.makeJaxpr((Array a, Array w) ->
          a.astype(DType.F32).mul(w).add(a.exp().astype(DType.F32)).astype(d), x, Array.zeros(300, 2)));
      m.put("mlp layer " + t, Transforms.makeJaxpr((Array in, Array w, Array b) -> in.matmul(w).add(b).tanh().sum(1),
          Array.zeros(64, 32).astype(d), Array.zeros(32, 48).astype(d), Array.zeros(48).astype(d)));
    }
    return m;
  }

  /** Graphs whose 16-bit steps run on the host (the CPU backend's kernels). */
  static Map<String, Jaxpr> host() {
    PrimitiveCases.standardPrimitives();
    Map<String, Jaxpr> m = new LinkedHashMap<>();
    for (DType d : HALF) {
      String t = d.numpyName();
      put(m, "sort " + t, "sort", Params.of("dimension", 1, "is_stable", true, "num_keys", 1), List.of(Aval.of(d, 4, 9, 3)));
      put(m, "top_k " + t, "top_k", Params.of("k", 3), List.of(Aval.of(d, 4, 9)));
      put(m, "cumsum " + t, "cumsum", Params.of("axis", 1, "reverse", false), List.of(Aval.of(d, 4, 5, 3)));
      put(m, "scatter_add " + t, "scatter_add", Params.of("axis", 1),
          List.of(Aval.of(d, 4, 5, 3), Aval.of(DType.I32, 2, 3), Aval.of(d, 4, 2, 3, 3)));
    }
    return m;
  }

  private static void put(Map<String, Jaxpr> m, String label, String name, Params params, List<Aval> in) {
    Jaxpr j = PrimitiveCases.one(name, params, in);
    if (j != null) {
      m.put(label, j);
    }
  }

  private static Jaxpr withLiteral(String name, Aval x, Literal lit) {
    Primitive p = Primitive.byName(name);
    Var in = new Var(x);
    Var out = new Var(p.abstractEval(List.of(x, lit.aval()), Params.EMPTY).get(0));
    return new Jaxpr(List.of(), List.of(in), List.of(new Eqn(p, Params.EMPTY, new ArrayList<>(List.of(in, lit)), List.of(out))),
        List.of(out));
  }
}
