package dev.statelens.engine.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * vmap of Lax.whileLoop: a per-example predicate runs until every example is done and each
 * example keeps the carry of its own trip count; an unmapped predicate stays a plain while.
 */
class VmapWhileLoopTest {

  /** Collatz steps of n: an i32 carry whose trip count differs per example. */
  static Array collatz(Array n) {
    return Lax.whileLoop(
        (Pair<Array, Array> c) -> c.first().gt(1),
        (Pair<Array, Array> c) -> Pair.of(
            Array.where(c.first().rem(2).eq(0), c.first().div(2), c.first().mul(3).add(1)), c.second().add(1)),
        Pair.of(n, Array.scalar(DType.I32, 0))).second();
  }

  static int collatzJava(int n) {
    int steps = 0;
    while (n > 1) {
      n = n % 2 == 0 ? n / 2 : 3 * n + 1;
      steps++;
    }
    return steps;
  }

  @Test
  void aMappedPredicateGivesEachExampleItsOwnTripCount() {
    int[] ns = {27, 6, 1, 7, 2};
    int[] expected = new int[ns.length];
    for (int i = 0; i < ns.length; i++) {
      expected[i] = collatzJava(ns[i]);
    }
    Array batch = Array.of(ns);
    assertArrayEquals(expected, Transforms.vmap(VmapWhileLoopTest::collatz).apply(batch).toIntArray());
    assertArrayEquals(expected, Transforms.jit(Transforms.vmap(VmapWhileLoopTest::collatz)).apply(batch).toIntArray());
    assertArrayEquals(expected, Transforms.vmap(Transforms.jit(VmapWhileLoopTest::collatz)).apply(batch).toIntArray());
    String jaxpr = Transforms.makeJaxpr(Transforms.vmap(VmapWhileLoopTest::collatz), batch).toString();
    assertTrue(jaxpr.contains("while[") && jaxpr.contains("reduce_max") && jaxpr.contains("select_n"), jaxpr);
  }

  @Test
  void aPerExampleFloatLoopMatchesTheJavaLoopOverLanes() {
    // halve each row until its norm is below 1: the rows' trip counts are 0, 2 and 5
    Function<Array, Pair<Array, Array>> shrink = row -> Lax.whileLoop(
        (Pair<Array, Array> c) -> c.first().square().sum().ge(1),
        (Pair<Array, Array> c) -> Pair.of(c.first().mul(0.5f), c.second().add(1)),
        Pair.of(row, Array.scalar(DType.I32, 0)));
    Array rows = Array.of(DType.F32, new int[] {3, 2}, 0.5f, 0.1f, 3f, 0f, 20f, 10f);
    for (Function<Array, Pair<Array, Array>> f : List.of(Transforms.vmap(shrink), Transforms.jit(Transforms.vmap(shrink)))) {
      Pair<Array, Array> r = f.apply(rows);
      assertArrayEquals(new int[] {0, 2, 5}, r.second().toIntArray());
      assertArrayEquals(new float[] {0.5f, 0.1f, 0.75f, 0f, 0.625f, 0.3125f}, r.first().toFloatArray());
      for (int i = 0; i < 3; i++) {
        Pair<Array, Array> lane = shrink.apply(rows.get(i));
        assertArrayEquals(lane.first().toFloatArray(), r.first().get(i).toFloatArray(), "lane " + i);
        assertEquals(lane.second().intValue(), r.second().toIntArray()[i], "lane " + i);
      }
    }
  }

  @Test
  void anUnmappedPredicateStaysAPlainWhileWithABatchedBody() {
    // the counter is unmapped, the product is mapped: x^5 per example, no per-example select
    Function<Array, Array> power = x -> Lax.whileLoop(
        (Pair<Array, Array> c) -> c.first().lt(5),
        (Pair<Array, Array> c) -> Pair.of(c.first().add(1), c.second().mul(x)),
        Pair.of(Array.scalar(DType.I32, 0), Array.scalar(1f))).second();
    Array xs = Array.of(1f, 2f, -1f, 0.5f);
    float[] expected = {1f, 32f, -1f, 0.03125f};
    assertArrayEquals(expected, Transforms.vmap(power).apply(xs).toFloatArray());
    assertArrayEquals(expected, Transforms.jit(Transforms.vmap(power)).apply(xs).toFloatArray());
    String jaxpr = Transforms.makeJaxpr(Transforms.vmap(power), xs).toString();
    assertTrue(jaxpr.contains("while["), jaxpr);
    assertFalse(jaxpr.contains("select_n") || jaxpr.contains("reduce_max"), jaxpr);
  }

  @Test
  void aMappedBoundCapturedByTheCondMapsThePredicate() {
    // the carry starts unmapped; the limit closed over by the cond is per example
    BiFunction<Array, Array, Array> countTo = (limit, unused) -> Lax.whileLoop(
        (Array c) -> c.lt(limit), c -> c.add(1), Array.scalar(DType.I32, 0));
    Array limits = Array.of(3, 0, 5);
    assertArrayEquals(new int[] {3, 0, 5},
        Transforms.vmap(countTo, 0, null).apply(limits, Array.scalar(0f)).toIntArray());
    assertArrayEquals(new int[] {3, 0, 5},
        Transforms.jit(Transforms.vmap(countTo, 0, null)).apply(limits, Array.scalar(0f)).toIntArray());
  }
}
