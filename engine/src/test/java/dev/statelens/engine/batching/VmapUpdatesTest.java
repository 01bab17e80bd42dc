package dev.statelens.engine.batching;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import org.junit.jupiter.api.Test;

/**
 * vmap of {@code x.at(i).set/add/mul/min/max} and {@code Lax.dynamicSlice/dynamicUpdateSlice} ==
 * a loop over the batch (eager, jit(vmap), vmap(jit)), with the operand, the indices and the
 * updates each mapped or not, and out-of-bounds indices that must stay dropped per example.
 */
class VmapUpdatesTest {
  private static Array seq(int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (i * 7 % 11) - 5;
    }
    return Array.of(DType.F32, shape, v).astype(DType.F32);
  }

  @Test
  void scatterFamilyMatchesALoop() {
    Array xs = seq(3, 4, 2);                                      // batch of 3, x is 4 x 2
    Array idx = Array.of(DType.I32, new int[] {3, 3}, 0, 3, 3, 4, -1, 1, 2, 2, 9); // OOB per example
    Array v = seq(3, 2).add(100);                                 // one row per example
    Array upd = seq(3, 3, 2).mul(3);                              // per example: 3 update rows
    for (String op : new String[] {"set", "add", "mul", "min", "max"}) {
      LoopCheck.check(op + " all mapped", (x, i) -> apply(op, x, i, upd.get(0)), xs, 0, idx, 0);
      LoopCheck.check(op + " indices unmapped", (x, u) -> apply(op, x, Array.of(1, 1, 5), u), xs, 0, upd, 0);
      LoopCheck.check(op + " operand unmapped", (i, u) -> apply(op, xs.get(0), i, u), idx, 0, upd, 0);
    }
    LoopCheck.check("get", (x, i) -> x.at(i).get(), xs, 0, idx, 0);
    LoopCheck.check("scalar index", x -> x.at(-1).set(v.get(0)), xs);
  }

  private static Array apply(String op, Array x, Array i, Array u) {
    var at = x.at(i);
    return switch (op) {
      case "set" -> at.set(u);
      case "add" -> at.add(u);
      case "mul" -> at.mul(u);
      case "min" -> at.min(u);
      default -> at.max(u);
    };
  }

  @Test
  void cumulativeAndSortMatchALoop() {
    Array xs = seq(3, 4, 5);
    for (int axis : new int[] {0, 1}) {
      LoopCheck.check("cumsum " + axis, x -> x.cumsum(axis), xs);
      LoopCheck.check("cumprod " + axis, x -> x.cumprod(axis), xs);
      LoopCheck.check("cummax " + axis, x -> x.cummax(axis), xs);
      LoopCheck.check("cummin " + axis, x -> x.cummin(axis), xs);
      LoopCheck.check("sort " + axis, x -> x.sort(axis), xs);
      LoopCheck.check("argsort " + axis, x -> x.argsort(axis), xs);
    }
  }

  @Test
  void dynamicSlicesMatchALoop() {
    Array xs = seq(3, 4, 5);
    Array starts = Array.of(0, 2, 7);
    Array patches = seq(3, 2, 2);
    LoopCheck.check("dynamic_slice, starts unmapped", x -> Lax.dynamicSlice(x, new Array[] {
        Array.scalar(DType.I32, 1), Array.scalar(DType.I32, 3)}, 2, 3), xs);
    LoopCheck.check("dynamic_slice, starts mapped", (x, s) -> Lax.dynamicSlice(x, new Array[] {s, s}, 2, 3),
        xs, 0, starts, 0);
    LoopCheck.check("dynamic_slice, only starts mapped", (x, s) -> Lax.dynamicSliceInDim(x, s, 2, 1),
        xs.get(0), null, starts, 0);
    LoopCheck.check("dynamic_update_slice, starts unmapped", (x, p) -> Lax.dynamicUpdateSlice(x, p,
        Array.scalar(DType.I32, 3), Array.scalar(DType.I32, -1)), xs, 0, patches, 0);
    LoopCheck.check("dynamic_update_slice, update unmapped", x -> Lax.dynamicUpdateSlice(x, patches.get(1),
        Array.scalar(DType.I32, 1), Array.scalar(DType.I32, 2)), xs);
    LoopCheck.check("dynamic_update_slice, starts mapped", (x, s) -> Lax.dynamicUpdateSlice(x, patches.get(0), s, s),
        xs, 0, starts, 0);
  }
}
