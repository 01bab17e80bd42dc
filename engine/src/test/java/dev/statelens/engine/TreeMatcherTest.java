package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** jit's cache-hit argument walk: the leaves Tree.flatten gives, or "no" for any other structure. */
class TreeMatcherTest {
  public record Params(Array weight, Array bias) {}

  public record Other(Array weight, Array bias) {}

  public record Nested(Params p, List<Array> layers, Map<String, Array> opt, Optional<Array> extra, Object none) {}

  public record LaterRegistered(Array a) {}

  private static Object[] sample() {
    Map<String, Array> opt = new TreeMap<>();
    opt.put("mu", Array.scalar(1));
    opt.put("lr", Array.scalar(2));
    return new Object[] {new Nested(new Params(Array.scalar(3), Array.scalar(4)), List.of(Array.zeros(2), Array.zeros(3)),
        opt, Optional.of(Array.scalar(5)), null), Array.zeros(4)};
  }

  @Test
  void matchingArgumentsGiveTheLeavesInFlattenOrder() {
    Object[] args = sample();
    TreeMatcher m = TreeMatcher.of(args, Tree.structure(Arrays.asList(args)));
    assertNotNull(m);
    Array[] leaves = new Array[m.numLeaves()];
    assertTrue(m.leaves(args, leaves));
    assertArrayEquals(Tree.leaves(Arrays.asList(args)).toArray(), leaves);
    Object[] fresh = sample(); // other instances, same structure
    assertTrue(m.leaves(fresh, leaves));
    assertSame(((Nested) fresh[0]).opt().get("lr"), leaves[4], "map leaves come in sorted key order (after p and layers)");
  }

  @Test
  void anyOtherStructureIsRejected() {
    Object[] args = sample();
    TreeMatcher m = TreeMatcher.of(args, Tree.structure(Arrays.asList(args)));
    Array[] leaves = new Array[m.numLeaves()];
    Nested n = (Nested) args[0];
    Map<String, Array> otherKeys = new TreeMap<>(Map.of("mu", Array.scalar(1), "nu", Array.scalar(2)));
    List<Object[]> others = List.of(
        new Object[] {args[0]},                                                       // one argument fewer
        new Object[] {args[0], n.p()},                                                // a record for a leaf
        new Object[] {new Nested(n.p(), List.of(Array.zeros(2)), n.opt(), n.extra(), null), args[1]},  // shorter list
        new Object[] {new Nested(n.p(), new ArrayList<>(n.layers()), n.opt(), n.extra(), null), args[1]}, // another List class
        new Object[] {new Nested(n.p(), n.layers(), otherKeys, n.extra(), null), args[1]},  // other map keys
        new Object[] {new Nested(n.p(), n.layers(), n.opt(), Optional.empty(), null), args[1]},
        new Object[] {new Nested(n.p(), n.layers(), n.opt(), n.extra(), Array.scalar(0)), args[1]},
        new Object[] {new Nested(null, n.layers(), n.opt(), n.extra(), null), args[1]});
    for (Object[] o : others) {
      assertFalse(m.leaves(o, leaves), Tree.structure(Arrays.asList(o)).toString());
    }
    Object[] recordSwap = {new Other(Array.scalar(1), Array.scalar(2))};
    TreeMatcher params = TreeMatcher.of(new Object[] {new Params(Array.scalar(1), Array.scalar(2))},
        Tree.structure(List.of(new Params(Array.scalar(1), Array.scalar(2)))));
    assertFalse(params.leaves(recordSwap, new Array[2]), "a record of another class with the same components");
  }

  @Test
  void aRegistrationMadeAfterwardsStopsTheMatcher() {
    Object[] args = {new LaterRegistered(Array.scalar(1))};
    TreeMatcher m = TreeMatcher.of(args, Tree.structure(Arrays.asList(args)));
    assertTrue(m.leaves(args, new Array[1]));
    Tree.register(LaterRegistered.class, r -> List.of(), (aux, c) -> new LaterRegistered(Array.scalar(0)), r -> "aux");
    assertFalse(m.leaves(args, new Array[1]), "the record now flattens as a registered node");
    assertNull(TreeMatcher.of(args, Tree.structure(Arrays.asList(args))), "registered types are not matched");
  }

  @Test
  @SuppressWarnings({"statelens:SL002", "statelens:SL008"}) // counts or records at trace time on purpose: what the test checks; a tracer escapes on purpose: the error under test
  void jitAfterCacheHitsStillRetracesAndReportsEscapedTracers() {
    int[] traces = {0};
    BiFunction<Params, Array, Array> f = Transforms.jit("step", (Params p, Array x) -> {
      traces[0]++;
      return p.weight().mul(x).add(p.bias());
    });
    Params p = new Params(Array.scalar(2), Array.scalar(1));
    for (int i = 0; i < 5; i++) {
      assertEquals(7f, f.apply(p, Array.scalar(3)).item(), 0f);
    }
    assertEquals(1, traces[0]);
    assertEquals(2, f.apply(p, Array.of(1f, 2f)).shape()[0]);  // new shape: retrace
    assertEquals(2, traces[0]);
    assertEquals(5f, f.apply(p, Array.scalar(2)).item(), 0f);  // back to the first signature: cached
    assertEquals(2, traces[0]);
    Array[] leaked = new Array[1];
    Transforms.jit((Array x) -> {
      leaked[0] = x;
      return x;
    }).apply(Array.scalar(1));
    assertThrows(UnexpectedTracerError.class, () -> f.apply(p, leaked[0]));
  }
}
