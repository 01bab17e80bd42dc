package dev.statelens.engine.batching;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of batching rules, one per primitive, and the helpers rules share. A primitive
 * without a rule is batched by {@link #LOOP}: it runs once per batch element and the results are
 * stacked, which is correct for any primitive but slow; register a rule to vectorize it.
 */
public final class Batching {
  private static final Map<Primitive, BatchRule> RULES = new ConcurrentHashMap<>();

  static {
    StandardRules.registerAll();
    ControlFlowRules.registerAll();
    ArrayRules.registerAll();
    ConvRules.registerAll();
    CallbackRules.registerAll();
  }

  private Batching() {}

  /** Registers (or replaces) the batching rule of {@code p}. */
  public static void register(Primitive p, BatchRule rule) {
    RULES.put(p, rule);
  }

  /** True if {@code p} has its own rule (otherwise vmap loops over the batch). */
  public static boolean hasRule(Primitive p) {
    return RULES.containsKey(p);
  }

  static BatchRule rule(Primitive p) {
    BatchRule r = RULES.get(p);
    return r != null ? r : loop(p);
  }

  /**
   * The fallback: binds {@code p} once per batch element on slices of the mapped operands and
   * stacks each output along a new axis 0. Also the rule for {@code debug_print}, which then
   * prints once per element, in order.
   */
  public static BatchRule loop(Primitive p) {
    return (ctx, params, inputs, exampleOut) -> {
      int n = ctx.batchSize();
      List<List<Array>> perExample = new ArrayList<>(n);
      for (int b = 0; b < n; b++) {
        Array[] in = new Array[inputs.size()];
        for (int i = 0; i < in.length; i++) {
          Batched x = inputs.get(i);
          in[i] = x.mapped() ? x.value().get(b) : x.value();
        }
        perExample.add(p.bind(params, in));
      }
      List<Batched> out = new ArrayList<>(exampleOut.size());
      for (int j = 0; j < exampleOut.size(); j++) {
        Aval a = exampleOut.get(j);
        if (n == 0) {
          out.add(Batched.mapped(Array.zeros(a.dtype(), BatchTrace.prepend(0, a.shape()))));
          continue;
        }
        Array[] column = new Array[n];
        for (int b = 0; b < n; b++) {
          column[b] = perExample.get(b).get(j);
        }
        out.add(Batched.mapped(Array.stack(0, column)));
      }
      return out;
    };
  }

  // ---- helpers for rules ---------------------------------------------------------------------

  /**
   * {@code x} as a mapped array of per-example shape {@code shape}: an unmapped value is
   * broadcast along a new axis 0 of size {@code batch}; a mapped one keeps its axis 0. Lower-rank
   * per-example values are aligned to the trailing axes (NumPy broadcasting).
   */
  public static Array materialize(Batched x, int[] shape, int batch) {
    Array v = x.value();
    int[] full = BatchTrace.prepend(batch, shape);
    if (v.aval().sameShape(full) && x.mapped()) {
      return v;
    }
    int exampleRank = x.exampleAval().rank();
    int offset = shape.length - exampleRank;
    int[] dims = new int[v.ndim()];
    int k = 0;
    if (x.mapped()) {
      dims[k++] = 0;
    }
    for (int i = 0; i < exampleRank; i++) {
      dims[k++] = 1 + offset + i;
    }
    return Prims.BROADCAST_IN_DIM.bind1(Params.of("shape", full, "broadcast_dimensions", dims), v);
  }

  /** Moves axis {@code axis} of {@code x} to the front (the batch position). */
  public static Array moveAxisToFront(Array x, int axis) {
    if (axis == 0) {
      return x;
    }
    int[] perm = new int[x.ndim()];
    perm[0] = axis;
    for (int i = 0, j = 1; i < perm.length; i++) {
      if (i != axis) {
        perm[j++] = i;
      }
    }
    return Prims.TRANSPOSE.bind1(Params.of("permutation", perm), x);
  }

  /** Moves axis 0 of {@code x} to position {@code axis}. */
  public static Array moveFrontAxisTo(Array x, int axis) {
    if (axis == 0) {
      return x;
    }
    int[] perm = new int[x.ndim()];
    for (int i = 0, j = 1; i < perm.length; i++) {
      perm[i] = i == axis ? 0 : j++;
    }
    return Prims.TRANSPOSE.bind1(Params.of("permutation", perm), x);
  }
}
