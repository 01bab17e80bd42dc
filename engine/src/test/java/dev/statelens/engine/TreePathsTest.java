package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TreePathsTest {

  record Params(Array weight, Array bias) {}

  record Layer(Array w) {}

  record TrainState(Params params, Map<String, Params> opt_state, List<Layer> layers, Optional<Array> ema) {}

  private static Array a(double x) {
    return Array.scalar(x);
  }

  @Test
  void lonelyLeafHasTheEmptyPath() {
    assertEquals(List.of(""), Tree.paths(a(1)));
  }

  @Test
  void recordPathsAreComponentNamesWithoutARootName() {
    assertEquals(List.of("weight", "bias"), Tree.paths(new Params(a(1), a(2))));
  }

  @Test
  void nestedPathsUseDotsForNamesAndBracketsForIndices() {
    TrainState state =
        new TrainState(
            new Params(a(1), a(2)),
            Map.of("mu", new Params(a(3), a(4)), "nu", new Params(a(5), a(6))),
            List.of(new Layer(a(7)), new Layer(a(8))),
            Optional.of(a(9)));
    assertEquals(
        List.of(
            "params.weight",
            "params.bias",
            "opt_state.mu.weight",
            "opt_state.mu.bias",
            "opt_state.nu.weight",
            "opt_state.nu.bias",
            "layers[0].w",
            "layers[1].w",
            "ema"),
        Tree.paths(state));
  }

  @Test
  void pairComponentsAreFirstAndSecond() {
    assertEquals(
        List.of("first", "second.weight", "second.bias"),
        Tree.paths(Pair.of(a(1), new Params(a(2), a(3)))));
  }

  @Test
  void rootListsAndMapsStartWithTheirSegment() {
    assertEquals(List.of("[0]", "[1].w"), Tree.paths(List.of(a(1), new Layer(a(2)))));
    assertEquals(List.of("lr", "mu.w"), Tree.paths(Map.of("lr", a(1), "mu", new Layer(a(2)))));
    assertEquals(List.of("[0][1]"), Tree.paths(List.of(List.of(Optional.empty(), a(1)))));
  }

  @Test
  void oddMapKeysAreQuotedAndNumericKeysBracketed() {
    assertEquals(
        List.of("[\"a b\"]", "ok_key-2", "[\"x.y\"]"),
        Tree.paths(Map.of("a b", a(1), "x.y", a(2), "ok_key-2", a(3))));
    assertEquals(List.of("m[1]", "m[20]"), Tree.paths(Map.of("m", Map.of(20, a(1), 1, a(2)))));
  }

  @Test
  void flattenWithPathsPairsEachLeafWithItsPath() {
    Array w = a(1);
    Array b = a(2);
    List<Tree.PathLeaf> entries = Tree.flattenWithPaths(Map.of("layer", new Params(w, b)));
    assertEquals(2, entries.size());
    assertEquals("layer.weight", entries.get(0).path());
    assertSame(w, entries.get(0).leaf());
    assertEquals("layer.bias", entries.get(1).path());
    assertSame(b, entries.get(1).leaf());
  }

  @Test
  void pathsWithARootNamePrefixEveryPath() {
    assertEquals(List.of("x"), Tree.structure(a(1)).paths("x"));
    assertEquals(List.of("params.weight", "params.bias"), Tree.structure(new Params(a(1), a(2))).paths("params"));
    assertEquals(List.of("layers[0].w"), Tree.structure(List.of(new Layer(a(1)))).paths("layers"));
  }

  @Test
  void pathsComeFromTheStructureAlone() {
    TreeDef def = Tree.structure(new Params(a(1), a(2)));
    assertEquals(Tree.paths(new Params(a(5), a(6))), def.paths());
    assertSame(def.paths(), def.paths());
  }
}
