package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.Tree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's two first Java blocks, run: "the trap, in twelve lines" and "the engine API in ten
 * lines". DocsSnippetsTest only compiles them; here they run and their comments' claims are
 * asserted. The code between the {@code // >>> README} and {@code // <<<} markers must be the
 * README's block line for line (comments and indentation aside), which
 * {@link #theCopiesBelowAreTheReadmesBlocks} checks, so the copies cannot drift from the README.
 */
class ReadmeApiTest {
  // >>> README: The trap, in twelve lines
  class Counter {                       // stateful: count() mutates a field
    Array n = Array.scalar(0);
    Array count() { n = n.add(1); return n; }
  }
  // <<<

  // >>> README: The engine API in ten lines
  record Params(Array weight, Array bias) {}                       // a pytree: paths params.weight, params.bias
  // <<<

  @Test
  void theTrapReplaysTheFieldWriteAndExplicitStateCounts() {
    // >>> README: The trap, in twelve lines
    Counter counter = new Counter();
    var fast = Transforms.jit("count", counter::count);
    fast.get(); fast.get(); fast.get();   // 1, 1, 1 — the mutation ran once, at trace time

    // explicit state: (state) -> (output, newState)
    var step = Transforms.jit("count", (Array n) -> Pair.of(n.add(1), n.add(1)));
    Array n = Array.scalar(0);
    for (int i = 0; i < 3; i++) { var r = step.apply(n); n = r.second(); }   // 1, 2, 3
    // <<<
    assertEquals(1f, fast.get().floatValue(), "the jitted stateful count replays the traced 1");
    assertEquals(3f, n.floatValue(), "explicit state counted 1, 2, 3 (each output is the new state)");
  }

  @Test
  void theTenLinesFitTheLineAndPrintTheGraph() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true));
    try {
      // >>> README: The engine API in ten lines
      Key key = Random.key(42);                                         // jax.random.key(42), same bits
      Pair<Key, Key> k = Random.split(key);
      Array xs = Random.normal(k.first(), 128, 1), ys = xs.mul(2).sub(1);
      Fn3<Params, Array, Array, Array> loss = (p, x, y) -> p.weight().mul(x).add(p.bias()).sub(y).square().mean();
      var update = Transforms.jit("update", (Params p, Array x, Array y) ->  // traced once, replayed after
          Tree.map((w, g) -> w.sub(g.mul(0.005)), p, Transforms.grad(loss).apply(p, x, y)));
      Params params = new Params(Array.scalar(1), Array.scalar(0));
      for (int i = 0; i < 1000; i++) params = update.apply(params, xs, ys);   // explicit state in, out
      System.out.println(Transforms.makeJaxpr(update, params, xs, ys));      // the traced graph, like jax.make_jaxpr
      // <<<
      assertEquals(2.0, params.weight().item(), 0.05, "weight");
      assertEquals(-1.0, params.bias().item(), 0.05, "bias");
      String jaxpr = printed.toString();
      assertTrue(jaxpr.startsWith("{ lambda"), jaxpr);
      assertTrue(jaxpr.contains("mul") && jaxpr.contains("sub"), jaxpr);
    } finally {
      System.setOut(stdout);
    }
  }

  /** Each README block named by a marker equals the marked lines of this file, in order, comments and indentation aside. */
  @Test
  void theCopiesBelowAreTheReadmesBlocks() throws IOException {
    Path root = DocsSnippetsTest.repoRoot();
    List<String> readme = Files.readAllLines(root.resolve("README.md"));
    List<String> self = Files.readAllLines(root.resolve("examples/src/test/java/dev/statelens/examples/ReadmeApiTest.java"));
    for (String heading : List.of("The trap, in twelve lines", "The engine API in ten lines")) {
      assertEquals(normalized(readmeBlock(readme, heading)), normalized(marked(self, heading)),
          "README.md's '## " + heading + "' block and ReadmeApiTest's copy differ: update the copy (or the README)");
    }
  }

  /** The first ```java block after the README heading {@code ## heading}. */
  private static List<String> readmeBlock(List<String> readme, String heading) {
    int h = readme.indexOf("## " + heading);
    assertTrue(h >= 0, "README.md has no heading '## " + heading + "'");
    int start = h + 1;
    while (!readme.get(start).strip().equals("```java")) start++;
    int end = start + 1;
    while (!readme.get(end).strip().startsWith("```")) end++;
    return readme.subList(start + 1, end);
  }

  /** The lines between {@code // >>> README: heading} and {@code // <<<}, every such region in order. */
  private static List<String> marked(List<String> source, String heading) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line : source) {
      String t = line.strip();
      if (t.equals("// >>> README: " + heading)) {
        in = true;
      } else if (t.equals("// <<<")) {
        in = false;
      } else if (in) {
        out.add(line);
      }
    }
    assertTrue(!out.isEmpty(), "no lines marked '// >>> README: " + heading + "'");
    return out;
  }

  /** Code without comments, indentation and blank lines. */
  private static List<String> normalized(List<String> lines) {
    return lines.stream()
        .map(l -> l.contains("//") ? l.substring(0, l.indexOf("//")) : l)
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .toList();
  }
}
