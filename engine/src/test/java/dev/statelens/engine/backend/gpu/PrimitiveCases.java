package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.ConvPrims;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import dev.statelens.engine.random.RandomPrimitives;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One-equation graphs for every standard primitive, over every dtype it accepts, with params
 * that exercise the index arithmetic (non-trivial strides, broadcasting, padding, batch dims).
 */
final class PrimitiveCases {
  private PrimitiveCases() {}

  /**
   * The 32/64-bit dtypes and bool; bf16/f16 have their own graphs in {@link SixteenBitCases};
   * complex64 steps run on the host (ComplexGpuTest; the fno step in GpuRuntimeEmulatedTest).
   */
  static final DType[] ALL = java.util.Arrays.stream(DType.values()).filter(d -> !d.is16BitFloat() && !d.isComplex())
      .toArray(DType[]::new);

  /** Every primitive defined as a constant of {@link Prims} or {@link RandomPrimitives}. */
  static List<Primitive> standardPrimitives() {
    List<Primitive> out = new ArrayList<>();
    for (Class<?> c : List.of(Prims.class, RandomPrimitives.class, ArrayPrims.class, ConvPrims.class)) {
      for (Field f : c.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == Primitive.class) {
          try {
            out.add((Primitive) f.get(null));
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          }
        }
      }
    }
    return out;
  }

  /** Graphs by primitive name. */
  static Map<String, List<Jaxpr>> all() {
    standardPrimitives(); // initializes Prims and RandomPrimitives, so byName finds them
    Map<String, List<Jaxpr>> cases = new LinkedHashMap<>();
    for (String n : ElementwiseOps.UNARY) {
      for (DType d : ALL) {
        add(cases, n, Params.EMPTY, List.of(Aval.of(d, 3, 5)));
      }
    }
    for (String n : ElementwiseOps.BINARY) {
      for (DType d : ALL) {
        add(cases, n, Params.EMPTY, List.of(Aval.of(d, 4, 6), Aval.of(d, 4, 6)));
        add(cases, n, Params.EMPTY, List.of(Aval.of(d, 4, 6), Aval.scalar(d))); // lax scalar operand
      }
    }
    // a literal operand, as jaxprs print `mul a 2.0:f32[]`
    addWithLiteral(cases, "mul", Aval.of(DType.F32, 7), new Literal(Aval.scalar(DType.F32), 2.5));
    addWithLiteral(cases, "max", Aval.of(DType.F32, 7), new Literal(Aval.scalar(DType.F32), Double.NEGATIVE_INFINITY));
    addWithLiteral(cases, "add", Aval.of(DType.I32, 7), new Literal(Aval.scalar(DType.I32), -2147483648.0));
    // int32 overflow wraps as in Java (the H100 gave -31 for INT_MIN + -31 while C++ treated it as UB)
    addWithLiteral(cases, "sub", Aval.of(DType.I32, 7), new Literal(Aval.scalar(DType.I32), -2147483648.0));
    addWithLiteral(cases, "mul", Aval.of(DType.I32, 7), new Literal(Aval.scalar(DType.I32), 2147483647.0));
    addWithLiteral(cases, "xor", Aval.of(DType.U32, 7), new Literal(Aval.scalar(DType.U32), 4294967295.0));
    for (DType d : ALL) {
      add(cases, "select_n", Params.EMPTY, List.of(Aval.of(DType.BOOL, 2, 3), Aval.of(d, 2, 3), Aval.of(d, 2, 3)));
      add(cases, "select_n", Params.EMPTY, List.of(Aval.scalar(DType.BOOL), Aval.of(d, 2, 3), Aval.of(d, 2, 3)));
      for (DType to : ALL) {
        add(cases, "convert_element_type", Params.of("new_dtype", to), List.of(Aval.of(d, 9)));
        add(cases, "bitcast_convert_type", Params.of("new_dtype", to), List.of(Aval.of(d, 9)));
      }
      add(cases, "broadcast_in_dim", Params.of("shape", new int[] {4, 3, 5}, "broadcast_dimensions", new int[] {1, 2}),
          List.of(Aval.of(d, 3, 1)));
      add(cases, "broadcast_in_dim", Params.of("shape", new int[] {2, 3}, "broadcast_dimensions", new int[0]),
          List.of(Aval.scalar(d)));
      add(cases, "reshape", Params.of("new_sizes", new int[] {6, 2}), List.of(Aval.of(d, 3, 4)));
      add(cases, "transpose", Params.of("permutation", new int[] {2, 0, 1}), List.of(Aval.of(d, 2, 3, 4)));
      add(cases, "squeeze", Params.of("dimensions", new int[] {1}), List.of(Aval.of(d, 3, 1, 2)));
      add(cases, "rev", Params.of("dimensions", new int[] {0, 2}), List.of(Aval.of(d, 2, 3, 4)));
      add(cases, "slice", Params.of("start_indices", new int[] {1, 0}, "limit_indices", new int[] {5, 6},
          "strides", new int[] {2, 3}), List.of(Aval.of(d, 5, 7)));
      add(cases, "pad", Params.of("low", new int[] {1, -1}, "high", new int[] {2, 0}, "interior", new int[] {1, 0}),
          List.of(Aval.of(d, 3, 4), Aval.scalar(d)));
      add(cases, "concatenate", Params.of("dimension", 1), List.of(Aval.of(d, 2, 3), Aval.of(d, 2, 1), Aval.of(d, 2, 4)));
      add(cases, "iota", Params.of("dtype", d, "shape", new int[] {3, 4}, "dimension", 1), List.of());
      // indices are random in [-50, 50] (Reference.inputs): most are clamped, many repeat
      add(cases, "gather", Params.of("axis", 1), List.of(Aval.of(d, 4, 5, 3), Aval.of(DType.I32, 2, 3)));
      add(cases, "gather", Params.of("axis", 0), List.of(Aval.of(d, 70), Aval.of(DType.U32, 9)));
      add(cases, "gather", Params.of("axis", 2), List.of(Aval.of(d, 2, 3, 60), Aval.scalar(DType.I32)));
      add(cases, "scatter_add", Params.of("axis", 1),
          List.of(Aval.of(d, 4, 5, 3), Aval.of(DType.I32, 2, 3), Aval.of(d, 4, 2, 3, 3)));
      add(cases, "scatter_add", Params.of("axis", 0),
          List.of(Aval.of(d, 70, 2), Aval.of(DType.U32, 40), Aval.of(d, 40, 2)));
      // the drop-out-of-bounds scatters: most random indices are out of range, many repeat
      for (String sc : List.of("scatter", "scatter_mul", "scatter_min", "scatter_max")) {
        add(cases, sc, Params.of("axis", 1), List.of(Aval.of(d, 4, 5, 3), Aval.of(DType.I32, 2, 3), Aval.of(d, 4, 2, 3, 3)));
        add(cases, sc, Params.of("axis", 0), List.of(Aval.of(d, 70, 2), Aval.of(DType.U32, 40), Aval.of(d, 40, 2)));
      }
      // start indices in [-50, 50]: mostly clamped
      add(cases, "dynamic_slice", Params.of("slice_sizes", new int[] {2, 3}),
          List.of(Aval.of(d, 5, 7), Aval.scalar(DType.I32), Aval.scalar(DType.U32)));
      add(cases, "dynamic_slice", Params.of("slice_sizes", new int[] {60}), List.of(Aval.of(d, 70), Aval.scalar(DType.I32)));
      add(cases, "dynamic_update_slice", Params.EMPTY,
          List.of(Aval.of(d, 5, 7), Aval.of(d, 2, 3), Aval.scalar(DType.I32), Aval.scalar(DType.U32)));
      add(cases, "dynamic_update_slice", Params.EMPTY, List.of(Aval.of(d, 70), Aval.of(d, 10), Aval.scalar(DType.I32)));
      for (String c : List.of("cumsum", "cumprod", "cummax", "cummin")) {
        add(cases, c, Params.of("axis", 1, "reverse", false), List.of(Aval.of(d, 4, 5, 3)));
        add(cases, c, Params.of("axis", 0, "reverse", true), List.of(Aval.of(d, 300)));
      }
      add(cases, "sort", Params.of("dimension", 1, "is_stable", true, "num_keys", 1), List.of(Aval.of(d, 4, 9, 3)));
      add(cases, "sort", Params.of("dimension", 0, "is_stable", true, "num_keys", 1),
          List.of(Aval.of(d, 70), Aval.of(DType.I32, 70))); // argsort's form: keys and positions
      add(cases, "top_k", Params.of("k", 3), List.of(Aval.of(d, 4, 9)));
      add(cases, "top_k", Params.of("k", 70), List.of(Aval.of(d, 70)));   // k = n: a whole ranking
      add(cases, "top_k", Params.of("k", 0), List.of(Aval.of(d, 2, 5)));
      for (String r : List.of("reduce_sum", "reduce_max", "reduce_min")) {
        add(cases, r, Params.of("axes", new int[] {1}), List.of(Aval.of(d, 4, 5, 3)));        // serial
        add(cases, r, Params.of("axes", new int[] {0, 2}), List.of(Aval.of(d, 40, 2, 30)));   // block tree
        add(cases, r, Params.of("axes", new int[] {0}), List.of(Aval.of(d, 6)));              // to a scalar
      }
      for (String r : List.of("argmax", "argmin")) {
        add(cases, r, Params.of("axes", new int[] {1}, "index_dtype", DType.I32), List.of(Aval.of(d, 4, 5)));
      }
      List<int[]> matmul = List.of(new int[] {1}, new int[] {0}, new int[0], new int[0]);
      add(cases, "dot_general", Params.of("dimension_numbers", matmul), List.of(Aval.of(d, 70, 33), Aval.of(d, 33, 65)));
      List<int[]> batched = List.of(new int[] {2}, new int[] {1}, new int[] {0}, new int[] {0});
      add(cases, "dot_general", Params.of("dimension_numbers", batched), List.of(Aval.of(d, 3, 5, 4), Aval.of(d, 3, 4, 2)));
      List<int[]> transposed = List.of(new int[] {0}, new int[] {0}, new int[0], new int[0]);
      add(cases, "dot_general", Params.of("dimension_numbers", transposed), List.of(Aval.of(d, 17, 9), Aval.of(d, 17, 5)));
    }
    // reduce_prod takes complex64 only (a real array's prod is the running product): one windowed
    // axis (> 32, XLA's window tree), two reduced axes around a kept one, and a whole array
    add(cases, "reduce_prod", Params.of("axes", new int[] {1}), List.of(Aval.of(DType.C64, 4, 70, 3)));
    add(cases, "reduce_prod", Params.of("axes", new int[] {0, 2}), List.of(Aval.of(DType.C64, 40, 2, 30)));
    add(cases, "reduce_prod", Params.of("axes", new int[] {0}), List.of(Aval.of(DType.C64, 6)));
    add(cases, "threefry2x32", Params.EMPTY, List.of(Aval.scalar(DType.U32), Aval.scalar(DType.U32),
        Aval.of(DType.U32, 10), Aval.of(DType.U32, 10)));
    add(cases, "threefry2x32", Params.EMPTY, List.of(Aval.of(DType.U32, 10), Aval.of(DType.U32, 10),
        Aval.of(DType.U32, 10), Aval.of(DType.U32, 10)));
    // betainc (ternary): each operand shaped, and a rank-0 a and b (lax's scalar operands)
    for (DType d : List.of(DType.F32, DType.F64)) {
      add(cases, "regularized_incomplete_beta", Params.EMPTY, List.of(Aval.of(d, 3, 5), Aval.of(d, 3, 5), Aval.of(d, 3, 5)));
      add(cases, "regularized_incomplete_beta", Params.EMPTY, List.of(Aval.scalar(d), Aval.scalar(d), Aval.of(d, 3, 5)));
    }
    convCases(cases);
    // control flow and effects: sub-graphs lowered into the same source
    Jaxpr twice = one("mul", Params.EMPTY, List.of(Aval.of(DType.F32, 3), Aval.of(DType.F32, 3)));
    Jaxpr plus = one("add", Params.EMPTY, List.of(Aval.of(DType.F32, 3), Aval.of(DType.F32, 3)));
    add(cases, "cond", Params.of("branches", List.of(twice, plus)),
        List.of(Aval.scalar(DType.BOOL), Aval.of(DType.F32, 3), Aval.of(DType.F32, 3)));
    Jaxpr body = scanBody();
    add(cases, "scan", Params.of("jaxpr", body, "length", 5, "num_consts", 0, "num_carry", 1, "reverse", false),
        List.of(Aval.of(DType.F32, 3), Aval.of(DType.F32, 5, 3)));
    add(cases, "debug_print", Params.of("fmt", "x = {}"), List.of(Aval.of(DType.F32, 2)));
    // while (limit, step, i, x): i < limit ? (i + 1, x + step); random i32 inputs give 0..100 trips
    add(cases, "while", Params.of("cond_jaxpr", whileCond(), "body_jaxpr", whileBody(), "cond_nconsts", 1,
        "body_nconsts", 1), List.of(Aval.scalar(DType.I32), Aval.of(DType.F32, 3), Aval.scalar(DType.I32),
        Aval.of(DType.F32, 3)));
    return cases;
  }

  /** limit, i, x -> i < limit. */
  private static Jaxpr whileCond() {
    Var limit = new Var(Aval.scalar(DType.I32));
    Var i = new Var(Aval.scalar(DType.I32));
    Var x = new Var(Aval.of(DType.F32, 3));
    Var more = new Var(Aval.scalar(DType.BOOL));
    return new Jaxpr(List.of(), List.of(limit, i, x),
        List.of(new Eqn(Prims.LT, Params.EMPTY, List.of(i, limit), List.of(more))), List.of(more));
  }

  /** step, i, x -> (i + 1, x + step). */
  private static Jaxpr whileBody() {
    Var step = new Var(Aval.of(DType.F32, 3));
    Var i = new Var(Aval.scalar(DType.I32));
    Var x = new Var(Aval.of(DType.F32, 3));
    Var next = new Var(Aval.scalar(DType.I32));
    Var sum = new Var(Aval.of(DType.F32, 3));
    return new Jaxpr(List.of(), List.of(step, i, x), List.of(
        new Eqn(Prims.ADD, Params.EMPTY, List.of(i, new Literal(Aval.scalar(DType.I32), 1)), List.of(next)),
        new Eqn(Prims.ADD, Params.EMPTY, List.of(x, step), List.of(sum))), List.of(next, sum));
  }

  /** carry, x -> (carry + x, carry * x). */
  private static Jaxpr scanBody() {
    Var c = new Var(Aval.of(DType.F32, 3));
    Var x = new Var(Aval.of(DType.F32, 3));
    Var s = new Var(Aval.of(DType.F32, 3));
    Var p = new Var(Aval.of(DType.F32, 3));
    return new Jaxpr(List.of(), List.of(c, x), List.of(
        new Eqn(Prims.ADD, Params.EMPTY, List.of(c, x), List.of(s)),
        new Eqn(Prims.MUL, Params.EMPTY, List.of(c, x), List.of(p))), List.of(s, p));
  }

  /**
   * conv_general_dilated (NCHW with strides, padding, rhs dilation; NHWC/HWIO with feature groups;
   * lhs dilation with negative padding and batch groups; 1-D) and the reduce-window family
   * (strides, padding, window dilation), in F32 and F64 (the only dtypes they accept).
   */
  private static void convCases(Map<String, List<Jaxpr>> cases) {
    int[] one2 = {1, 1};
    List<int[]> nchw = List.of(new int[] {0, 1, 2, 3}, new int[] {0, 1, 2, 3}, new int[] {0, 1, 2, 3});
    List<int[]> nhwc = List.of(new int[] {0, 3, 1, 2}, new int[] {3, 2, 0, 1}, new int[] {0, 3, 1, 2});
    List<int[]> ncw = List.of(new int[] {0, 1, 2}, new int[] {0, 1, 2}, new int[] {0, 1, 2});
    for (DType d : List.of(DType.F32, DType.F64)) {
      add(cases, "conv_general_dilated", conv(new int[] {2, 1}, new int[][] {{1, 1}, {0, 1}}, one2, new int[] {1, 2}, nchw, 1, 1),
          List.of(Aval.of(d, 2, 3, 7, 6), Aval.of(d, 4, 3, 3, 2)));
      add(cases, "conv_general_dilated", conv(one2, new int[][] {{1, 1}, {1, 1}}, one2, one2, nhwc, 2, 1),
          List.of(Aval.of(d, 2, 5, 5, 4), Aval.of(d, 3, 3, 2, 6)));
      add(cases, "conv_general_dilated", conv(one2, new int[][] {{-1, 2}, {1, 0}}, new int[] {2, 2}, one2, nchw, 1, 2),
          List.of(Aval.of(d, 4, 3, 5, 4), Aval.of(d, 6, 3, 2, 2)));
      add(cases, "conv_general_dilated", conv(new int[] {2}, new int[][] {{1, 1}}, new int[] {1}, new int[] {2}, ncw, 1, 1),
          List.of(Aval.of(d, 3, 2, 11), Aval.of(d, 4, 2, 3)));
      Params pool = window(new int[] {1, 3, 2, 1}, new int[] {1, 2, 1, 1}, new int[][] {{0, 0}, {1, 1}, {0, 1}, {0, 0}},
          new int[] {1, 1, 1, 1});
      Params dilated = window(new int[] {1, 2, 2, 1}, new int[] {1, 1, 2, 1}, new int[][] {{0, 0}, {0, 1}, {1, 1}, {0, 0}},
          new int[] {1, 2, 1, 1});
      for (Params p : List.of(pool, dilated)) {
        Aval x = Aval.of(d, 2, 7, 6, 3);
        Aval windows = ConvPrims.REDUCE_WINDOW_SUM.abstractEval(List.of(x), p).get(0);
        add(cases, "reduce_window_sum", p, List.of(x));
        add(cases, "reduce_window_max", p, List.of(x));
        add(cases, "select_and_scatter_add", p, List.of(windows, x));
        add(cases, "select_and_gather_add", p, List.of(x, x));
      }
    }
  }

  private static Params conv(int[] strides, int[][] pads, int[] lhsDil, int[] rhsDil, List<int[]> dn, int groups,
      int batchGroups) {
    return new ConvPrims.Conv(strides, pads, lhsDil, rhsDil, dn.get(0), dn.get(1), dn.get(2), groups, batchGroups).params();
  }

  private static Params window(int[] dims, int[] strides, int[][] pads, int[] dilation) {
    return new ConvPrims.Window(dims, strides, pads, new int[] {1, 1, 1, 1}, dilation).params();
  }

  /** The one-equation graph, or null when the primitive rejects these operands. */
  static Jaxpr one(String name, Params params, List<Aval> in) {
    Primitive p = Primitive.byName(name);
    if (p == null) {
      throw new AssertionError("no primitive named " + name);
    }
    List<Aval> out;
    try {
      out = p.abstractEval(in, params);
    } catch (ShapeError e) {
      return null;
    }
    List<Var> invars = in.stream().map(Var::new).toList();
    List<Var> outvars = out.stream().map(Var::new).toList();
    List<Atom> args = new ArrayList<>(invars);
    return new Jaxpr(List.of(), invars, List.of(new Eqn(p, params, args, outvars)), outvars);
  }

  private static void add(Map<String, List<Jaxpr>> cases, String name, Params params, List<Aval> in) {
    Jaxpr j = one(name, params, in);
    if (j != null) {
      cases.computeIfAbsent(name, k -> new ArrayList<>()).add(j);
    }
  }

  private static void addWithLiteral(Map<String, List<Jaxpr>> cases, String name, Aval x, Literal lit) {
    Primitive p = Primitive.byName(name);
    Var in = new Var(x);
    Var out = new Var(p.abstractEval(List.of(x, lit.aval()), Params.EMPTY).get(0));
    cases.computeIfAbsent(name, k -> new ArrayList<>()).add(new Jaxpr(List.of(), List.of(in),
        List.of(new Eqn(p, Params.EMPTY, List.of(in, lit), List.of(out))), List.of(out)));
  }
}
