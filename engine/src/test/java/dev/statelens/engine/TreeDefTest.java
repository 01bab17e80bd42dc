package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TreeDefTest {

  record Params(Array weight, Array bias) {}

  record Other(Array weight, Array bias) {}

  private static Array a(double x) {
    return Array.scalar(x);
  }

  private static Params params() {
    return new Params(a(1), a(2));
  }

  @Test
  void structuresOfEqualShapeAreEqualWithEqualHashes() {
    Object first = Map.of("lr", a(0.1), "mu", params(), "layers", List.of(params(), params()));
    Object second = new HashMap<>(Map.of("layers", List.of(params(), params()), "mu", params(), "lr", a(5)));
    TreeDef x = Tree.structure(first);
    TreeDef y = Tree.structure(second);
    assertEquals(x, y);
    assertEquals(x.hashCode(), y.hashCode());
  }

  @Test
  void structuresDifferByRecordClassListLengthMapKeysNullAndOptional() {
    List<Object> variants =
        List.of(
            params(),
            new Other(a(1), a(2)),
            List.of(a(1), a(2)),
            List.of(a(1), a(2), a(3)),
            Map.of("weight", a(1), "bias", a(2)),
            Map.of("weight", a(1), "scale", a(2)),
            Arrays.asList(a(1), null),
            Arrays.asList(null, a(1)),
            Optional.empty(),
            Optional.of(a(1)),
            a(1),
            Pair.of(a(1), a(2)),
            List.of(List.of(a(1)), a(2)));
    for (int i = 0; i < variants.size(); i++) {
      for (int j = 0; j < variants.size(); j++) {
        TreeDef di = Tree.structure(variants.get(i));
        TreeDef dj = Tree.structure(variants.get(j));
        if (i == j) {
          assertEquals(di, Tree.structure(variants.get(j)));
        } else {
          assertNotEquals(di, dj, variants.get(i) + " vs " + variants.get(j));
        }
      }
    }
  }

  @Test
  void nullAndEmptyOptionalAndEmptyListAreDifferentStructures() {
    TreeDef none = Tree.structure(null);
    TreeDef empty = Tree.structure(Optional.empty());
    TreeDef emptyList = Tree.structure(List.of());
    TreeDef emptyMap = Tree.structure(Map.of());
    assertNotEquals(none, empty);
    assertNotEquals(none, emptyList);
    assertNotEquals(empty, emptyList);
    assertNotEquals(emptyList, emptyMap);
  }

  @Test
  void toStringReadsLikeTheTree() {
    assertEquals("*", Tree.structure(a(1)).toString());
    assertEquals("Params(weight=*, bias=*)", Tree.structure(params()).toString());
    assertEquals("[*, *]", Tree.structure(List.of(a(1), a(2))).toString());
    assertEquals(
        "{lr=*, mu=Params(weight=*, bias=*)}", Tree.structure(Map.of("mu", params(), "lr", a(1))).toString());
    assertEquals("Pair(*, [*, null])", Tree.structure(Pair.of(a(1), Arrays.asList(a(2), null))).toString());
    assertEquals("[Optional.empty, Optional[*]]", Tree.structure(List.of(Optional.empty(), Optional.of(a(1)))).toString());
    assertEquals("null", Tree.structure(null).toString());
  }

  @Test
  void numLeavesAndChildren() {
    TreeDef def = Tree.structure(Pair.of(params(), List.of(a(1), Optional.empty(), params())));
    assertEquals(5, def.numLeaves());
    assertEquals(2, def.children().size());
    assertEquals(Tree.structure(params()), def.children().get(0));
    assertEquals(3, def.children().get(1).children().size());
    assertTrue(def.children().get(0).children().get(0).isLeaf());
  }

  @Test
  void treeDefIsAUsableHashKey() {
    Map<TreeDef, String> cache = new HashMap<>();
    cache.put(Tree.structure(params()), "params");
    cache.put(Tree.structure(List.of(a(1))), "list");
    assertEquals("params", cache.get(Tree.structure(new Params(a(7), a(8)))));
    assertEquals("list", cache.get(Tree.structure(List.of(a(3)))));
    assertEquals(null, cache.get(Tree.structure(new Other(a(7), a(8)))));
  }
}
