package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Parameter groups (partition/multiTransform, masked, setToZero, freeze): the state trees optax
 * builds — nothing stored for a left-out leaf — and the errors for labels and states that do not
 * fit. Their numbers are checked against optax in {@link OptaxReferenceTest}.
 */
class OptimGroupsTest {

  private static Map<String, Object> params() {
    return OptaxReferenceTest.nested(DType.F64);
  }

  private static Object ones(Object tree) {
    return Tree.map(x -> Array.onesLike(x).mul(0.5), tree);
  }

  @Test
  void partitionKeepsOneMaskedStatePerLabelWithLeavesOnlyForItsGroup() {
    Optim.Optimizer opt = Optim.partition(
        Map.of("adam", Optim.adam(0.1), "frozen", Optim.setToZero()), path -> path.startsWith("head.") ? "frozen" : "adam");
    Optim.OptState<Object> s = opt.init(params());
    var ps = assertInstanceOf(Optim.PartitionState.class, s);
    assertEquals(List.of("adam", "frozen"), List.copyOf(ps.innerStates().keySet()));
    // Adam's moments exist for dense.* only: the head leaves are null (optax's MaskedNode), not zeros
    assertEquals(List.of("innerStates.adam.innerState.count", "innerStates.adam.innerState.mu.dense.b",
        "innerStates.adam.innerState.mu.dense.w", "innerStates.adam.innerState.nu.dense.b",
        "innerStates.adam.innerState.nu.dense.w"), Tree.paths(s));
    var r = opt.update(ones(params()), s, params());
    Object updates = r.first();
    List<String> paths = Tree.paths(updates);
    List<Array> leaves = Tree.leaves(updates);
    for (int i = 0; i < paths.size(); i++) {
      double[] u = leaves.get(i).toDoubleArray();
      for (double v : u) {
        // Adam's first step is -lr·sign(g); the frozen head does not move
        assertEquals(paths.get(i).startsWith("head.") ? 0.0 : -0.1, v, 1e-7, paths.get(i)); // eps: 0.5 / (0.5 + 1e-8)
      }
    }
    assertEquals(Tree.structure(s), Tree.structure(r.second()), "the state keeps its structure");
  }

  @Test
  void maskedGlobalNormCoversOnlyTheSelectedLeaves() {
    // clip to norm 1 over dense.w only (6 elements of 0.5: norm sqrt(1.5)); the others pass through unclipped
    Optim.Optimizer opt = Optim.masked(Optim.clipByGlobalNorm(1.0), path -> path.equals("dense.w"));
    Optim.OptState<Object> s = opt.init(params());
    assertInstanceOf(Optim.MaskedState.class, s);
    Object u = opt.update(ones(params()), s, params()).first();
    List<String> paths = Tree.paths(u);
    List<Array> leaves = Tree.leaves(u);
    for (int i = 0; i < paths.size(); i++) {
      double expected = paths.get(i).equals("dense.w") ? 0.5 / Math.sqrt(1.5) : 0.5;
      for (double v : leaves.get(i).toDoubleArray()) {
        assertEquals(expected, v, 1e-12, paths.get(i));
      }
    }
  }

  @Test
  void freezeZeroesTheSelectedLeaves() {
    Optim.Optimizer opt = Optim.chain(Optim.freeze(path -> path.endsWith(".b")), Optim.sgd(1.0));
    Object u = opt.update(ones(params()), opt.init(params()), params()).first();
    List<String> paths = Tree.paths(u);
    List<Array> leaves = Tree.leaves(u);
    for (int i = 0; i < paths.size(); i++) {
      for (double v : leaves.get(i).toDoubleArray()) {
        assertEquals(paths.get(i).endsWith(".b") ? 0.0 : -0.5, v, 0.0, paths.get(i));
      }
    }
  }

  @Test
  void aLabelWithoutATransformIsNamedWithItsLeafAndTheFix() {
    Optim.Optimizer opt = Optim.partition(Map.of("adam", Optim.adam(0.1)), path -> path.endsWith(".w") ? "adam" : "sgd");
    var e = assertThrows(IllegalArgumentException.class, () -> opt.init(params()));
    assertTrue(e.getMessage().contains("'dense.b' has label 'sgd'"), e.getMessage());
    assertTrue(e.getMessage().contains("[adam]"), e.getMessage());
    assertTrue(e.getMessage().contains("setToZero()"), e.getMessage());
    var nullLabel = Optim.partition(Map.of("adam", Optim.adam(0.1)), path -> null);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> nullLabel.init(params())).getMessage()
        .contains("has label null"));
  }

  @Test
  void badGroupArgumentsAndStatesFailWithTheFix() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Optim.partition(Map.of(), p -> "a")).getMessage()
        .contains("one optimizer per label"));
    assertThrows(NullPointerException.class, () -> Optim.masked(null, p -> true));
    assertThrows(NullPointerException.class, () -> Optim.masked(Optim.sgd(0.1), null));
    assertThrows(NullPointerException.class, () -> Optim.multiTransform(Map.of("a", Optim.sgd(0.1)), null));
    Optim.Optimizer a = Optim.partition(Map.of("a", Optim.sgd(0.1)), p -> "a");
    Optim.Optimizer ab = Optim.partition(Map.of("a", Optim.sgd(0.1), "b", Optim.sgd(0.1)), p -> "a");
    var e = assertThrows(IllegalArgumentException.class, () -> ab.update(ones(params()), a.init(params()), params()));
    assertTrue(e.getMessage().contains("groups [a] but this partition has [a, b]"), e.getMessage());
    var wrong = assertThrows(IllegalArgumentException.class,
        () -> Optim.masked(Optim.sgd(0.1), p -> true).update(ones(params()), new Optim.EmptyState<>(), params()));
    assertTrue(wrong.getMessage().contains("expected a MaskedState"), wrong.getMessage());
  }

  /** A record that refuses null components cannot hold optax's left-out leaves: said, with the fix. */
  record Strict(Array w, Array b) {
    Strict {
      java.util.Objects.requireNonNull(b, "b");
    }
  }

  @Test
  void paramsThatCannotLeaveALeafOutAreRefusedClearly() {
    Strict p = new Strict(Array.of(1.0, 2.0), Array.scalar(DType.F64, 3));
    var e = assertThrows(IllegalArgumentException.class, () -> Optim.masked(Optim.adam(0.1), path -> path.equals("w")).init(p));
    assertTrue(e.getMessage().contains("must accept null for a left-out leaf"), e.getMessage());
  }
}
