package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TreeFlattenTest {

  record Params(Array weight, Array bias) {}

  record Layer(Params params, Optional<Array> scale) {}

  record Model(List<Layer> layers, Map<String, Params> heads, Array step) {}

  record Holder(ArrayList<Array> items) {}

  record Checked(Array value) {
    Checked {
      if (value == null) {
        throw new IllegalArgumentException("value must not be null");
      }
    }
  }

  private static Array a(double x) {
    return Array.scalar(x);
  }

  @Test
  void singleArrayIsOneLeaf() {
    Array x = a(1);
    Tree.Flat flat = Tree.flatten(x);
    assertEquals(List.of(x), flat.leaves());
    assertTrue(flat.def().isLeaf());
    assertEquals(1, flat.def().numLeaves());
    assertSame(x, flat.def().unflatten(List.of(x)));
  }

  @Test
  void recordLeavesComeInComponentOrder() {
    Array w = a(1);
    Array b = a(2);
    List<Array> leaves = Tree.leaves(new Params(w, b));
    assertEquals(2, leaves.size());
    assertSame(w, leaves.get(0));
    assertSame(b, leaves.get(1));
  }

  @Test
  void mapLeavesComeInSortedKeyOrderWhateverTheMapType() {
    Array x = a(1);
    Array y = a(2);
    Array z = a(3);
    Map<String, Array> insertion = new LinkedHashMap<>();
    insertion.put("zeta", z);
    insertion.put("alpha", x);
    insertion.put("mid", y);
    Map<String, Array> hash = new HashMap<>(insertion);
    Map<String, Array> sorted = new TreeMap<>(insertion);
    for (Map<String, Array> map : List.of(insertion, hash, sorted)) {
      List<Array> leaves = Tree.leaves(map);
      assertSame(x, leaves.get(0));
      assertSame(y, leaves.get(1));
      assertSame(z, leaves.get(2));
      assertEquals(Tree.structure(sorted), Tree.structure(map));
    }
  }

  @Test
  void nestedRecordsInMapsInListsRoundTrip() {
    Model model =
        new Model(
            List.of(new Layer(new Params(a(1), a(2)), Optional.of(a(3))), new Layer(new Params(a(4), a(5)), Optional.empty())),
            Map.of("cls", new Params(a(6), a(7)), "aux", new Params(a(8), a(9))),
            a(10));
    Tree.Flat flat = Tree.flatten(model);
    assertEquals(10, flat.leaves().size());
    assertEquals(10, flat.def().numLeaves());
    Model rebuilt = flat.def().unflatten(flat.leaves());
    assertEquals(model, rebuilt);
    // leaf order: layers[0] w, b, scale; layers[1] w, b; heads aux w, b; heads cls w, b; step
    double[] order = flat.leaves().stream().mapToDouble(Array::item).toArray();
    assertTrue(Arrays.equals(new double[] {1, 2, 3, 4, 5, 8, 9, 6, 7, 10}, order), Arrays.toString(order));
  }

  @Test
  void unflattenWithNewLeavesBuildsTheSameShape() {
    Params p = new Params(a(1), a(2));
    TreeDef def = Tree.structure(p);
    Array w = a(10);
    Array b = a(20);
    Params rebuilt = def.unflatten(List.of(w, b));
    assertSame(w, rebuilt.weight());
    assertSame(b, rebuilt.bias());
  }

  @Test
  void unflattenGivesUnmodifiableListsAndSortedMaps() {
    List<Object> tree = new ArrayList<>(List.of(a(1), new HashMap<>(Map.of("b", a(2), "a", a(3)))));
    Tree.Flat flat = Tree.flatten(tree);
    List<Object> rebuilt = flat.def().unflatten(flat.leaves());
    assertEquals(tree, rebuilt);
    assertThrows(UnsupportedOperationException.class, () -> rebuilt.add(a(4)));
    SortedMap<?, ?> map = assertInstanceOf(SortedMap.class, rebuilt.get(1));
    assertEquals(List.of("a", "b"), List.copyOf(map.keySet()));
    assertThrows(UnsupportedOperationException.class, () -> map.clear());
  }

  @Test
  void nullIsANodeWithoutLeaves() {
    Tree.Flat flat = Tree.flatten(null);
    assertEquals(0, flat.leaves().size());
    assertNull(flat.def().unflatten(List.of()));

    Params p = new Params(a(1), null);
    Tree.Flat withNull = Tree.flatten(p);
    assertEquals(1, withNull.leaves().size());
    assertEquals(p, withNull.def().unflatten(withNull.leaves()));

    List<Array> listWithNull = Arrays.asList(a(1), null, a(2));
    Tree.Flat listFlat = Tree.flatten(listWithNull);
    assertEquals(2, listFlat.leaves().size());
    assertEquals(listWithNull, listFlat.def().unflatten(listFlat.leaves()));
  }

  @Test
  void optionalEmptyHasNoLeavesAndPresentHasItsValue() {
    assertEquals(0, Tree.leaves(Optional.empty()).size());
    assertEquals(Optional.empty(), Tree.structure(Optional.empty()).unflatten(List.of()));
    Array x = a(1);
    Tree.Flat flat = Tree.flatten(Optional.of(new Params(x, x)));
    assertEquals(List.of(x, x), flat.leaves());
    Optional<Params> rebuilt = flat.def().unflatten(List.of(a(2), a(3)));
    assertEquals(2.0, rebuilt.orElseThrow().weight().item());
    assertEquals(3.0, rebuilt.orElseThrow().bias().item());
  }

  @Test
  void pairIsARecordNode() {
    Array out = a(1);
    Array state = a(2);
    Tree.Flat flat = Tree.flatten(Pair.of(out, List.of(state)));
    assertEquals(List.of(out, state), flat.leaves());
    assertEquals(Pair.of(out, List.of(state)), flat.def().unflatten(flat.leaves()));
  }

  @Test
  void emptyContainersAreValidTrees() {
    for (Object tree : List.of(List.of(), Map.of(), Optional.empty(), new Params(null, null))) {
      Tree.Flat flat = Tree.flatten(tree);
      assertEquals(0, flat.leaves().size());
      Object rebuilt = flat.def().unflatten(List.of());
      assertEquals(tree, rebuilt);
    }
  }

  @Test
  void unsupportedLeafNamesPathTypeAndFix() {
    record Config(Array lr, int steps) {}
    var error =
        assertThrows(IllegalArgumentException.class, () -> Tree.flatten(Map.of("opt", List.of(new Config(a(1), 3)))));
    String message = error.getMessage();
    assertTrue(message.contains("'opt[0].steps'"), message);
    assertTrue(message.contains("java.lang.Integer"), message);
    assertTrue(message.contains("Array.scalar"), message);
    assertTrue(message.contains("Tree.register"), message);
    assertTrue(message.contains("record"), message);
  }

  @Test
  void unsupportedRootIsReportedAsTheRoot() {
    var error = assertThrows(IllegalArgumentException.class, () -> Tree.flatten("hello"));
    assertTrue(error.getMessage().contains("the tree root is a java.lang.String"), error.getMessage());
  }

  @Test
  void setsAndArbitraryObjectsAreNotNodes() {
    var setError = assertThrows(IllegalArgumentException.class, () -> Tree.flatten(List.of(Set.of(a(1)))));
    assertTrue(setError.getMessage().contains("'[0]'"), setError.getMessage());
    var objectError = assertThrows(IllegalArgumentException.class, () -> Tree.flatten(new Object()));
    assertTrue(objectError.getMessage().contains("java.lang.Object"), objectError.getMessage());
  }

  @Test
  void mapKeysMustBeNonNullAndComparable() {
    record Key(int id) {}
    Map<Object, Array> badKeys = new HashMap<>();
    badKeys.put(new Key(1), a(1));
    var notComparable = assertThrows(IllegalArgumentException.class, () -> Tree.flatten(Map.of("m", badKeys)));
    assertTrue(notComparable.getMessage().contains("'m'"), notComparable.getMessage());
    assertTrue(notComparable.getMessage().contains("not Comparable"), notComparable.getMessage());

    Map<Object, Array> mixed = new HashMap<>();
    mixed.put("a", a(1));
    mixed.put(2, a(2));
    var mixedError = assertThrows(IllegalArgumentException.class, () -> Tree.flatten(mixed));
    assertTrue(mixedError.getMessage().contains("mixes key types"), mixedError.getMessage());

    Map<String, Array> nullKey = new HashMap<>();
    nullKey.put(null, a(1));
    var nullError = assertThrows(IllegalArgumentException.class, () -> Tree.flatten(nullKey));
    assertTrue(nullError.getMessage().contains("null key"), nullError.getMessage());
  }

  @Test
  void nonStringComparableKeysWork() {
    Map<Integer, Array> byLayer = new HashMap<>(Map.of(10, a(10), 2, a(2), 7, a(7)));
    double[] order = Tree.leaves(byLayer).stream().mapToDouble(Array::item).toArray();
    assertTrue(Arrays.equals(new double[] {2, 7, 10}, order), Arrays.toString(order));
  }

  @Test
  void unflattenRejectsTheWrongNumberOfLeaves() {
    TreeDef def = Tree.structure(new Params(a(1), a(2)));
    var error = assertThrows(IllegalArgumentException.class, () -> def.unflatten(List.of(a(1))));
    assertTrue(error.getMessage().contains("Params(weight=*, bias=*)"), error.getMessage());
    assertTrue(error.getMessage().contains("has 2 leaves but 1 were given"), error.getMessage());
  }

  @Test
  void recordComponentsWithConcreteCollectionTypesGetAClearRebuildError() {
    Holder holder = new Holder(new ArrayList<>(List.of(a(1))));
    Tree.Flat flat = Tree.flatten(holder);
    var error = assertThrows(IllegalArgumentException.class, () -> flat.def().unflatten(flat.leaves()));
    assertTrue(error.getMessage().contains("Holder"), error.getMessage());
    assertTrue(error.getMessage().contains("Declare list/map components as List/Map"), error.getMessage());
  }

  @Test
  void rebuildRunsTheCanonicalConstructorsValidation() {
    TreeDef def = Tree.structure(new Checked(a(1)));
    var error = assertThrows(IllegalArgumentException.class, () -> def.unflatten(Arrays.asList((Array) null)));
    assertEquals("value must not be null", error.getMessage());
  }

  @Test
  void flatRejectsLeavesThatDoNotFitTheStructure() {
    TreeDef def = Tree.structure(new Params(a(1), a(2)));
    var error = assertThrows(IllegalArgumentException.class, () -> new Tree.Flat(List.of(a(1)), def));
    assertTrue(error.getMessage().contains("1 leaves for the structure Params(weight=*, bias=*)"), error.getMessage());
  }

  @Test
  void flatLeavesAreUnmodifiable() {
    Tree.Flat flat = Tree.flatten(List.of(a(1), a(2)));
    assertThrows(UnsupportedOperationException.class, () -> flat.leaves().add(a(3)));
  }
}
