package dev.statelens.engine.batching;

import static dev.statelens.engine.batching.LoopCheck.assertSame;
import static dev.statelens.engine.batching.LoopCheck.check;
import static dev.statelens.engine.batching.LoopCheck.data;
import static dev.statelens.engine.batching.LoopCheck.ints;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * {@code gather} and {@code scatter_add} under vmap agree with a Java loop for every mapping of
 * operand and indices (eager, jit(vmap), vmap(jit)). Indices include out-of-range ones, so the
 * batched rule must clamp per example: a batch-folded index must never reach a neighbour.
 */
class VmapIndexingTest {
  static final Array TABLE = data(11, -2, 2, 4, 5, 3);     // batch 4 of [5,3]
  static final Array IDX = ints(12, -3, 8, 4, 6);           // batch 4 of [6], many out of range
  static final Array UPD = data(13, -1, 1, 4, 6, 3);        // batch 4 of [6,3]

  @Test
  void gatherMatchesTheLoopForEveryMapping() {
    BiFunction<Array, Array, Array> rows = (t, i) -> t.take(i, 0);
    BiFunction<Array, Array, Array> cols = (t, i) -> t.take(i.reshape(2, 3), 1);
    for (BiFunction<Array, Array, Array> f : java.util.List.of(rows, cols)) {
      check("gather", f, TABLE, 0, IDX, 0);
      check("gather", f, TABLE, 0, IDX.get(1), null);
      check("gather", f, TABLE.get(2), null, IDX, 0);
      check("gather", f, TABLE.transpose(1, 0, 2), 1, IDX.T(), 1);
    }
  }

  @Test
  void takeAlongAxisUnderVmap() {
    Array labels = ints(14, -1, 7, 4, 5);
    check("takeAlongAxis", (t, l) -> t.takeAlongAxis(l.expandDims(-1), -1), TABLE, 0, labels, 0);
    check("takeAlongAxis", (t, l) -> t.takeAlongAxis(l.expandDims(-1), -1), TABLE.get(0), null, labels, 0);
  }

  @Test
  void scatterAddMatchesTheLoopForEveryMapping() {
    Params axis0 = Params.of("axis", 0);
    BiFunction<Array, Array, Array> intoTable = (i, u) -> Prims.SCATTER_ADD.bind1(axis0, TABLE.get(0), i, u);
    check("scatter_add (indices, updates)", intoTable, IDX, 0, UPD, 0);
    check("scatter_add (updates)", intoTable, IDX.get(3), null, UPD, 0);
    check("scatter_add (indices)", intoTable, IDX, 0, UPD.get(1), null);
    BiFunction<Array, Array, Array> withIdx = (t, i) -> Prims.SCATTER_ADD.bind1(axis0, t, i, UPD.get(2));
    check("scatter_add (operand, indices)", withIdx, TABLE, 0, IDX, 0);
    check("scatter_add (operand)", withIdx, TABLE, 0, IDX.get(0), null);
    // along a middle axis with mapped indices: the fold puts the batch beside that axis
    Array ops = data(15, -1, 1, 4, 2, 5, 3);
    Array upd = data(16, -1, 1, 4, 2, 6, 3);
    check("scatter_add axis 1", (t, u) -> Prims.SCATTER_ADD.bind1(Params.of("axis", 1), t, IDX.get(1), u), ops, 0, upd, 0);
    check("scatter_add axis 1 mapped indices", (i, u) -> Prims.SCATTER_ADD.bind1(Params.of("axis", 1), ops.get(0), i, u),
        IDX, 0, upd, 0);
  }

  @Test
  void perExampleGradientsOfALookup() {
    // vmap(grad): each example's gradient adds into its own rows only
    BiFunction<Array, Array, Array> g = (t, i) -> Transforms.grad((Array tt) -> tt.take(i, 0).square().sum()).apply(t);
    Array expected = LoopCheck.loop(g, TABLE, 0, IDX, 0);
    assertSame("vmap(grad(take))", expected, Transforms.vmap(g).apply(TABLE, IDX));
    assertSame("jit(vmap(grad(take)))", expected, Transforms.jit(Transforms.vmap(g)).apply(TABLE, IDX));
  }

  @Test
  void bothRulesAreVectorizedNotLooped() {
    assertTrue(Batching.hasRule(Prims.GATHER));
    assertTrue(Batching.hasRule(Prims.SCATTER_ADD));
    String text = Transforms.makeJaxpr(Transforms.vmap((Array t, Array i) -> t.take(i, 0)), TABLE, IDX).toString();
    assertFalse(text.contains("concatenate"), "a looped rule would stack per-example results:\n" + text);
    assertTrue(text.contains("gather"), text);
    assertTrue(IDX.dtype() == DType.I32);
  }
}
