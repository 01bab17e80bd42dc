package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreeRegisterTest {

  /** A plain (non-record) class with a hyperparameter that must not become a leaf. */
  static final class Dense {
    final Array w;
    final Array b;
    final String activation;

    Dense(Array w, Array b, String activation) {
      this.w = w;
      this.b = b;
      this.activation = activation;
    }
  }

  static final class Dense2 {
    final Array w;

    Dense2(Array w) {
      this.w = w;
    }
  }

  static final class Unnamed {
    final List<Array> parts;

    Unnamed(List<Array> parts) {
      this.parts = parts;
    }
  }

  /** A record with a non-array component: registering it keeps {@code steps} as aux data. */
  record Schedule(Array lr, int steps) {}

  static final class NeverRegistered {}

  static {
    Tree.register(
        Dense.class,
        new Tree.NodeType<Dense>() {
          @Override
          public List<?> children(Dense node) {
            return List.of(node.w, node.b);
          }

          @Override
          public Object aux(Dense node) {
            return node.activation;
          }

          @Override
          public Dense rebuild(Object aux, List<?> children) {
            return new Dense((Array) children.get(0), (Array) children.get(1), (String) aux);
          }

          @Override
          public String childName(Object aux, int index) {
            return index == 0 ? "w" : "b";
          }
        });
    Tree.register(Dense2.class, d -> List.of(d.w), (aux, children) -> new Dense2((Array) children.get(0)), d -> null);
    Tree.register(
        Unnamed.class,
        u -> u.parts,
        (aux, children) -> new Unnamed(children.stream().map(Array.class::cast).toList()),
        u -> null);
    Tree.register(
        Schedule.class,
        s -> List.of(s.lr()),
        (aux, children) -> new Schedule((Array) children.get(0), (Integer) aux),
        Schedule::steps);
  }

  private static Array a(double x) {
    return Array.scalar(x);
  }

  @Test
  void registeredClassFlattensAndRebuilds() {
    Array w = a(1);
    Array b = a(2);
    Tree.Flat flat = Tree.flatten(Map.of("dense", new Dense(w, b, "relu")));
    assertEquals(List.of(w, b), flat.leaves());
    Map<String, Dense> rebuilt = flat.def().unflatten(List.of(a(3), a(4)));
    Dense dense = rebuilt.get("dense");
    assertEquals(3.0, dense.w.item());
    assertEquals(4.0, dense.b.item());
    assertEquals("relu", dense.activation);
  }

  @Test
  void auxDataIsPartOfTheStructure() {
    TreeDef relu = Tree.structure(new Dense(a(1), a(2), "relu"));
    TreeDef relu2 = Tree.structure(new Dense(a(5), a(6), "relu"));
    TreeDef tanh = Tree.structure(new Dense(a(1), a(2), "tanh"));
    assertEquals(relu, relu2);
    assertEquals(relu.hashCode(), relu2.hashCode());
    assertNotEquals(relu, tanh);
    var error = assertThrows(TreeStructureError.class, () -> Tree.map((x, y) -> x, new Dense(a(1), a(2), "relu"), new Dense(a(1), a(2), "tanh")));
    assertTrue(error.getMessage().contains("Dense[relu](w=*, b=*) vs Dense[tanh](w=*, b=*)"), error.getMessage());
  }

  @Test
  void childNamesAppearInPathsAndToString() {
    assertEquals(List.of("layer.w", "layer.b"), Tree.paths(Map.of("layer", new Dense(a(1), a(2), "relu"))));
    assertEquals("Dense[relu](w=*, b=*)", Tree.structure(new Dense(a(1), a(2), "relu")).toString());
  }

  @Test
  void lambdaRegistrationNamesChildrenByIndex() {
    assertEquals(List.of("[0]", "[1]"), Tree.paths(new Unnamed(List.of(a(1), a(2)))));
    assertEquals("Unnamed(*, *)", Tree.structure(new Unnamed(List.of(a(1), a(2)))).toString());
    assertEquals("x[0]", Tree.paths(Map.of("x", new Dense2(a(1)))).get(0));
    Dense2 mapped = Tree.map(v -> v.add(1), new Dense2(a(1)));
    assertEquals(2.0, mapped.w.item());
  }

  @Test
  void registrationOverridesTheRecordRuleForThatClass() {
    Schedule schedule = new Schedule(a(0.1), 100);
    Tree.Flat flat = Tree.flatten(schedule);
    assertEquals(1, flat.leaves().size());
    assertEquals("Schedule[100](*)", flat.def().toString());
    Schedule rebuilt = flat.def().unflatten(List.of(a(0.2)));
    assertEquals(100, rebuilt.steps());
    assertNotEquals(flat.def(), Tree.structure(new Schedule(a(0.1), 200)));
  }

  @Test
  void registeringTwiceIsRefused() {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> Tree.register(Dense2.class, d -> List.of(), (aux, c) -> new Dense2(null), d -> null));
    assertTrue(error.getMessage().contains("already registered"), error.getMessage());
  }

  @Test
  void registeringArrayIsRefused() {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> Tree.register(Array.class, x -> List.of(), (aux, c) -> null, x -> null));
    assertTrue(error.getMessage().contains("always a leaf"), error.getMessage());
  }

  @Test
  void unregisteredClassSuggestsRegistration() {
    var error = assertThrows(IllegalArgumentException.class, () -> Tree.flatten(List.of(new NeverRegistered())));
    assertTrue(error.getMessage().contains("Tree.register(NeverRegistered.class, ...)"), error.getMessage());
  }

  @Test
  void registrationAfterAFailedLookupTakesEffect() {
    final class LateNode {
      final Array value;

      LateNode(Array value) {
        this.value = value;
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Tree.flatten(new LateNode(a(1))));
    Tree.register(LateNode.class, n -> List.of(n.value), (aux, c) -> new LateNode((Array) c.get(0)), n -> null);
    Array x = a(1);
    assertSame(x, Tree.leaves(new LateNode(x)).get(0));
  }
}
