package dev.statelens.engine.batching;

import static dev.statelens.engine.batching.BatchTrace.prepend;
import static dev.statelens.engine.batching.BatchTrace.shifted;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.random.RandomPrimitives;
import java.util.ArrayList;
import java.util.List;

/**
 * Batching rules of the standard primitives. Every rule keeps the batch on axis 0: shape
 * primitives shift their axis params by one, elementwise ones broadcast unmapped operands,
 * {@code dot_general} turns a doubly mapped product into a batched one.
 */
final class StandardRules {
  private StandardRules() {}

  static void registerAll() {
    for (Primitive p : List.of(Prims.NEG, Prims.SIGN, Prims.ABS, Prims.FLOOR, Prims.CEIL,
        Prims.ROUND, Prims.EXP, Prims.LOG, Prims.LOG1P, Prims.ERF, Prims.ERFC, Prims.EXPM1, Prims.TANH, Prims.LOGISTIC,
        Prims.SIN, Prims.COS, Prims.TAN, Prims.ASIN, Prims.ACOS, Prims.ATAN, Prims.SINH, Prims.COSH,
        Prims.ASINH, Prims.ACOSH, Prims.ATANH, Prims.EXP2, Prims.LGAMMA, Prims.DIGAMMA, Prims.POLYGAMMA, Prims.ZETA, Prims.IGAMMA, Prims.IGAMMAC,
        Prims.IGAMMA_GRAD_A, Prims.RANDOM_GAMMA_GRAD, Prims.BETAINC, Prims.SQRT, Prims.RSQRT, Prims.CBRT, Prims.SQUARE, Prims.NOT, Prims.IS_FINITE,
        Prims.STOP_GRADIENT, Prims.CONVERT_ELEMENT_TYPE, Prims.BITCAST_CONVERT_TYPE,
        Prims.ADD, Prims.SUB, Prims.MUL, Prims.DIV, Prims.REM, Prims.POW, Prims.MAX, Prims.MIN,
        Prims.ATAN2, Prims.AND, Prims.OR, Prims.XOR, Prims.SHIFT_LEFT,
        Prims.SHIFT_RIGHT_LOGICAL, Prims.SHIFT_RIGHT_ARITHMETIC, Prims.EQ, Prims.NE, Prims.LT,
        Prims.LE, Prims.GT, Prims.GE, RandomPrimitives.THREEFRY2X32, RandomPrimitives.ERF_INV)) {
      Batching.register(p, elementwise(p, -1));
    }
    // select_n(which, case0, case1): a rank-0 predicate may stay rank-0, the cases may not
    Batching.register(Prims.SELECT_N, elementwise(Prims.SELECT_N, 0));

    Batching.register(Prims.BROADCAST_IN_DIM, (ctx, p, in, out) -> one(Prims.BROADCAST_IN_DIM,
        Params.of("shape", prepend(ctx.batchSize(), p.getInts("shape")),
            "broadcast_dimensions", prepend(0, shifted(p.getInts("broadcast_dimensions")))),
        in.get(0).value()));
    Batching.register(Prims.RESHAPE, (ctx, p, in, out) -> one(Prims.RESHAPE,
        p.with("new_sizes", prepend(ctx.batchSize(), p.getInts("new_sizes"))), in.get(0).value()));
    Batching.register(Prims.TRANSPOSE, (ctx, p, in, out) -> one(Prims.TRANSPOSE,
        p.with("permutation", prepend(0, shifted(p.getInts("permutation")))), in.get(0).value()));
    Batching.register(Prims.SQUEEZE, axesShifted(Prims.SQUEEZE, "dimensions"));
    Batching.register(Prims.REV, axesShifted(Prims.REV, "dimensions"));
    Batching.register(Prims.REDUCE_SUM, axesShifted(Prims.REDUCE_SUM, "axes"));
    Batching.register(Prims.REDUCE_MAX, axesShifted(Prims.REDUCE_MAX, "axes"));
    Batching.register(Prims.REDUCE_MIN, axesShifted(Prims.REDUCE_MIN, "axes"));
    Batching.register(Prims.REDUCE_PROD, axesShifted(Prims.REDUCE_PROD, "axes"));
    Batching.register(Prims.ARGMAX, axesShifted(Prims.ARGMAX, "axes"));
    Batching.register(Prims.ARGMIN, axesShifted(Prims.ARGMIN, "axes"));
    Batching.register(Prims.SLICE, (ctx, p, in, out) -> one(Prims.SLICE,
        Params.of("start_indices", prepend(0, p.getInts("start_indices")),
            "limit_indices", prepend(ctx.batchSize(), p.getInts("limit_indices")),
            "strides", prepend(1, p.getInts("strides"))),
        in.get(0).value()));
    Batching.register(Prims.PAD, StandardRules::pad);
    Batching.register(Prims.CONCATENATE, (ctx, p, in, out) -> {
      Array[] ops = new Array[in.size()];
      for (int i = 0; i < ops.length; i++) {
        ops[i] = Batching.materialize(in.get(i), in.get(i).exampleAval().shape(), ctx.batchSize());
      }
      return one(Prims.CONCATENATE, p.with("dimension", p.getInt("dimension") + 1), ops);
    });
    Batching.register(Prims.DOT_GENERAL, StandardRules::dotGeneral);
    Batching.register(Prims.DEBUG_PRINT, Batching.loop(Prims.DEBUG_PRINT));
    IndexingRules.registerAll();
  }

  private static List<Batched> one(Primitive p, Params params, Array... inputs) {
    return List.of(Batched.mapped(p.bind1(params, inputs)));
  }

  /** Single mapped operand; the int[] param {@code key} lists operand axes. */
  private static BatchRule axesShifted(Primitive p, String key) {
    return (ctx, params, in, out) -> one(p, params.with(key, shifted(params.getInts(key))),
        in.get(0).value());
  }

  /**
   * Elementwise primitives (any number of operands and outputs, all of the output's shape or
   * rank-0): every operand is brought to the full batched shape, except unmapped rank-0 operands,
   * which lax's scalar promotion accepts as they are ({@code keepScalarsOnlyAt} restricts that to
   * one operand index, -1 means any).
   */
  private static BatchRule elementwise(Primitive p, int keepScalarsOnlyAt) {
    return (ctx, params, in, out) -> {
      int[] shape = out.get(0).shape();
      Array[] ops = new Array[in.size()];
      for (int i = 0; i < ops.length; i++) {
        Batched x = in.get(i);
        boolean scalarMayStay = keepScalarsOnlyAt < 0 || keepScalarsOnlyAt == i;
        if (!x.mapped() && x.value().ndim() == 0 && scalarMayStay) {
          ops[i] = x.value();
        } else {
          ops[i] = Batching.materialize(x, shape, ctx.batchSize());
        }
      }
      List<Array> r = p.bind(params, ops);
      List<Batched> result = new ArrayList<>(r.size());
      for (Array a : r) {
        result.add(Batched.mapped(a));
      }
      return result;
    };
  }

  /** pad(operand, padding_value): a mapped padding value falls back to the per-example loop. */
  private static List<Batched> pad(BatchContext ctx, Params p, List<Batched> in, List<Aval> out) {
    if (in.get(1).mapped()) {
      return Batching.loop(Prims.PAD).apply(ctx, p, in, out);
    }
    return one(Prims.PAD, Params.of("low", prepend(0, p.getInts("low")),
        "high", prepend(0, p.getInts("high")), "interior", prepend(0, p.getInts("interior"))),
        in.get(0).value(), in.get(1).value());
  }

  /**
   * Both operands mapped: the batch becomes a leading batch dimension of the product. One
   * operand mapped: its batch axis is a free axis of the product, moved to the front afterwards
   * (no copy of the unmapped operand, so {@code vmap(x -> x.matmul(w))} stays one matmul).
   */
  private static List<Batched> dotGeneral(BatchContext ctx, Params p, List<Batched> in, List<Aval> out) {
    Batched l = in.get(0);
    Batched r = in.get(1);
    List<int[]> dn = p.getList("dimension_numbers");
    int[] lc = dn.get(0), rc = dn.get(1), lb = dn.get(2), rb = dn.get(3);
    if (l.mapped() && r.mapped()) {
      Params q = p.with("dimension_numbers", // p.with keeps preferred_element_type
          List.of(shifted(lc), shifted(rc), prepend(0, shifted(lb)), prepend(0, shifted(rb))));
      return one(Prims.DOT_GENERAL, q, l.value(), r.value());
    }
    int batchAxis;
    Params q;
    if (l.mapped()) {
      q = p.with("dimension_numbers", List.of(shifted(lc), rc, shifted(lb), rb));
      batchAxis = lb.length; // first lhs free axis
    } else {
      q = p.with("dimension_numbers", List.of(lc, shifted(rc), lb, shifted(rb)));
      int lhsFree = l.value().ndim() - lc.length - lb.length;
      batchAxis = lb.length + lhsFree; // first rhs free axis
    }
    Array prod = Prims.DOT_GENERAL.bind1(q, l.value(), r.value());
    return List.of(Batched.mapped(Batching.moveAxisToFront(prod, batchAxis)));
  }
}
