package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link TreeDef#unflatten(Array[])} (jit's cache-hit path) rebuilds exactly what
 * {@link TreeDef#unflatten(List)} does: every node kind, records of every arity (one to four
 * components through a spun constructor lambda, more through the method handle), the same leaves
 * in the same places, and the same error for a wrong leaf count.
 */
class TreeUnflattenArrayTest {
  record One(Array a) {}

  record Two(Array a, Array b) {}

  record Three(Array a, Object b, Array c) {}

  record Four(Array a, Array b, Array c, List<Array> d) {}

  record Five(Array a, Array b, Array c, Array d, Array e) {}

  private static Array a(double x) {
    return Array.scalar(x);
  }

  @Test
  void rebuildsTheSameTreeAsTheListForm() {
    Object tree = Map.of(
        "one", new One(a(1)),
        "two", new Two(a(2), a(3)),
        "three", new Three(a(4), Optional.of(a(5)), a(6)),
        "four", new Four(a(7), a(8), a(9), List.of(a(10), a(11))),
        "five", new Five(a(12), a(13), a(14), a(15), a(16)),
        "misc", Arrays.asList(null, Pair.of(a(17), a(18)), Optional.empty()));
    Tree.Flat flat = Tree.flatten(tree);
    Array[] leaves = flat.leaves().toArray(Array[]::new);
    Object fromArray = flat.def().unflatten(leaves);
    Object fromList = flat.def().unflatten(flat.leaves());
    assertEquals(fromList, fromArray);
    assertEquals(tree, fromArray);
    List<Array> again = Tree.leaves(fromArray);
    for (int i = 0; i < leaves.length; i++) {
      assertSame(leaves[i], again.get(i), "leaf " + i);
    }
  }

  @Test
  void recordsOfEveryArityRebuildAsTheirOwnClass() {
    for (Object r : List.of(new One(a(1)), new Two(a(1), a(2)), new Three(a(1), a(2), a(3)),
        new Four(a(1), a(2), a(3), List.of()), new Five(a(1), a(2), a(3), a(4), a(5)))) {
      Tree.Flat flat = Tree.flatten(r);
      Object back = flat.def().unflatten(flat.leaves().toArray(Array[]::new));
      assertEquals(r, back);
      assertEquals(r.getClass(), back.getClass());
    }
  }

  @Test
  void wrongLeafCountGivesTheListFormsError() {
    TreeDef def = Tree.structure(new Two(a(1), a(2)));
    IllegalArgumentException fromArray = assertThrows(IllegalArgumentException.class, () -> def.unflatten(new Array[] {a(1)}));
    IllegalArgumentException fromList = assertThrows(IllegalArgumentException.class, () -> def.unflatten(List.of(a(1))));
    assertEquals(fromList.getMessage(), fromArray.getMessage());
  }

  record Outer(Two inner, Array c) {}

  record Narrow(Array a, Two b) {}

  @Test
  void theBuiltStructureIsReusedWithNewLeavesInTheirPlaces() {
    TreeDef def = Tree.structure(new Outer(new Two(a(1), a(2)), a(3)));
    for (int call = 0; call < 3; call++) {
      Array[] leaves = {a(10 * call + 1), a(10 * call + 2), a(10 * call + 3)};
      Outer back = def.unflatten(leaves);
      assertSame(leaves[0], back.inner().a());
      assertSame(leaves[1], back.inner().b());
      assertSame(leaves[2], back.c());
    }
  }

  @Test
  void aComponentThatRejectsItsChildGivesTheListFormsError() {
    // Narrow's second component must be a Two; rebuild it from One's structure: the constructor rejects it
    TreeDef wrong = new TreeDef(Tree.structure(new Narrow(a(1), new Two(a(2), a(3)))).shape(),
        new TreeDef[] {TreeDef.LEAF, Tree.structure(new One(a(2)))});
    IllegalArgumentException fromList = assertThrows(IllegalArgumentException.class,
        () -> wrong.unflatten(List.of(a(1), a(2))));
    for (int call = 0; call < 2; call++) {
      IllegalArgumentException fromArray = assertThrows(IllegalArgumentException.class,
          () -> wrong.unflatten(new Array[] {a(1), a(2)}));
      assertEquals(fromList.getMessage(), fromArray.getMessage());
    }
  }
}
