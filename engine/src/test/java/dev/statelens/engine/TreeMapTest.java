package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TreeMapTest {

  record Params(Array weight, Array bias) {}

  record State(Params params, Map<String, Params> opt_state) {}

  private static Array a(double x) {
    return Array.scalar(x);
  }

  private static double value(Array x) {
    return x.item();
  }

  @Test
  void mapAppliesTheFunctionToEveryLeafAndKeepsTheStructure() {
    State state = new State(new Params(a(1), a(2)), Map.of("mu", new Params(a(3), a(4))));
    State doubled = Tree.map(x -> x.mul(2), state);
    assertEquals(2.0, value(doubled.params().weight()));
    assertEquals(4.0, value(doubled.params().bias()));
    assertEquals(6.0, value(doubled.opt_state().get("mu").weight()));
    assertEquals(8.0, value(doubled.opt_state().get("mu").bias()));
    assertEquals(Tree.structure(state), Tree.structure(doubled));
  }

  @Test
  void mapOfTwoTreesPairsCorrespondingLeaves() {
    Array lr = a(0.5);
    Params params = new Params(a(1), a(2));
    Params grads = new Params(a(10), a(20));
    Params updated = Tree.map((p, g) -> p.sub(g.mul(lr)), params, grads);
    assertEquals(-4.0, value(updated.weight()));
    assertEquals(-8.0, value(updated.bias()));
  }

  @Test
  void mapOfThreeTreesPairsCorrespondingLeaves() {
    List<Array> x = List.of(a(1), a(2));
    List<Array> y = List.of(a(10), a(20));
    List<Array> z = List.of(a(100), a(200));
    List<Array> sum = Tree.map((p, q, r) -> p.add(q).add(r), x, y, z);
    assertEquals(111.0, value(sum.get(0)));
    assertEquals(222.0, value(sum.get(1)));
  }

  @Test
  void mapNSeesTheLeavesOfAllTreesInOrder() {
    Map<String, Array> first = Map.of("a", a(1), "b", a(2));
    Map<String, Array> second = Map.of("a", a(3), "b", a(4));
    Map<String, Array> third = Map.of("a", a(5), "b", a(6));
    List<List<Double>> seen = new ArrayList<>();
    Map<String, Array> result =
        Tree.mapN(
            leaves -> {
              seen.add(leaves.stream().map(Array::item).toList());
              return leaves.get(0).mul(leaves.get(1)).sub(leaves.get(2));
            },
            first,
            second,
            third);
    assertEquals(List.of(List.of(1.0, 3.0, 5.0), List.of(2.0, 4.0, 6.0)), seen);
    assertEquals(-2.0, value(result.get("a")));
    assertEquals(2.0, value(result.get("b")));
  }

  @Test
  void mapNWithOnlyTheFirstTreeIsAPlainMap() {
    List<Array> result = Tree.mapN(leaves -> leaves.get(0).add(1), List.of(a(1)));
    assertEquals(2.0, value(result.get(0)));
  }

  @Test
  void mapKeepsNullsAndEmptyOptionals() {
    Pair<Array, Optional<Array>> tree = Pair.of(a(1), Optional.empty());
    Pair<Array, Optional<Array>> result = Tree.map(x -> x.add(1), tree);
    assertEquals(2.0, value(result.first()));
    assertEquals(Optional.empty(), result.second());
    Params half = Tree.map(x -> x.add(1), new Params(a(1), null));
    assertEquals(null, half.bias());
  }

  @Test
  void mismatchShowsBothStructuresAndWhereTheyDiffer() {
    State state = new State(new Params(a(1), a(2)), Map.of("mu", new Params(a(3), a(4))));
    State other = new State(new Params(a(1), a(2)), Map.of("mu", new Params(a(3), null)));
    var error = assertThrows(TreeStructureError.class, () -> Tree.map((x, y) -> x.add(y), state, other));
    String message = error.getMessage();
    assertTrue(message.contains("tree 2 of 2"), message);
    assertTrue(message.contains("at opt_state.mu.bias: * vs null"), message);
    assertTrue(message.contains("expected: State(params=Params(weight=*, bias=*), opt_state={mu=Params(weight=*, bias=*)})"), message);
    assertTrue(message.contains("actual:   State(params=Params(weight=*, bias=*), opt_state={mu=Params(weight=*, bias=null)})"), message);
    assertEquals(Tree.structure(state), error.expected());
    assertEquals(Tree.structure(other), error.actual());
  }

  @Test
  void mismatchInMapKeysListLengthAndRecordType() {
    var keys =
        assertThrows(
            TreeStructureError.class,
            () -> Tree.map((x, y) -> x, Map.of("w", a(1), "b", a(2)), Map.of("w", a(1), "c", a(2))));
    assertTrue(keys.getMessage().contains("at the root: {b=*, w=*} vs {c=*, w=*}"), keys.getMessage());

    var length =
        assertThrows(
            TreeStructureError.class,
            () -> Tree.map((x, y, z) -> x, List.of(a(1)), List.of(a(1)), List.of(a(1), a(2))));
    assertTrue(length.getMessage().contains("tree 3 of 3"), length.getMessage());
    assertTrue(length.getMessage().contains("at the root: [*] vs [*, *]"), length.getMessage());

    record Other(Array weight, Array bias) {}
    Object mixed = List.of(new Params(a(1), a(2)));
    Object otherMixed = List.of(new Other(a(1), a(2)));
    var type = assertThrows(TreeStructureError.class, () -> Tree.mapN(l -> l.get(0), mixed, otherMixed));
    assertTrue(type.getMessage().contains("at [0]: Params(weight=*, bias=*) vs Other(weight=*, bias=*)"), type.getMessage());
    assertTrue(type.getMessage().startsWith("Tree.mapN"), type.getMessage());
  }

  @Test
  void mismatchIsAnIllegalArgumentException() {
    assertThrows(IllegalArgumentException.class, () -> Tree.map((x, y) -> x, a(1), List.of(a(1))));
  }

  @Test
  void functionReturningNullIsReportedWithThePath() {
    var error = assertThrows(IllegalArgumentException.class, () -> Tree.map(x -> null, new Params(a(1), a(2))));
    assertTrue(error.getMessage().contains("'weight'"), error.getMessage());
  }

  @Test
  void mapOfALeafReturnsTheMappedLeaf() {
    Array x = a(3);
    Array result = Tree.map(v -> v.mul(v), x);
    assertEquals(9.0, value(result));
    Array same = Tree.map(v -> v, x);
    assertSame(x, same);
  }
}
