package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The linter on a project its rules were not written against: {@code wild/src} holds five
 * programs a JAX user writes in Java (a training loop with a loader and logging, a model as
 * records with init/apply, an RL rollout with keys split through the loop, whileLoop/scan/forI
 * solvers, a class holding config and a cached jit, a helper in another package), correct code
 * and the usual mistakes side by side. Each mistake's line says {@code // expect SL00x ...}; the
 * project is linted as a whole (files and packages reach each other) and every line's findings
 * must be exactly its expected rules: a finding on another line is a false alarm, a missing one
 * a miss. Lines marked {@code // miss SL0xx: why} are the known misses of docs/lint.md's
 * "Known limits" and are left out of both checks.
 */
class WildCorpusTest {

  private static final Pattern EXPECT = Pattern.compile("// expect ((?:SL\\d{3}\\s*)+)");
  private static final Pattern MISS = Pattern.compile("// miss SL\\d{3}");

  static Path root() {
    try {
      return Path.of(WildCorpusTest.class.getResource("/wild/src").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "bindings={0}")
  @ValueSource(booleans = {true, false})
  void everyMistakeIsFoundAndNothingElse(boolean bindings) throws IOException {
    Map<String, TreeSet<String>> expected = new TreeMap<>();
    TreeSet<String> knownMisses = new TreeSet<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root())) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertTrue(files.size() >= 5, "corpus files: " + files);
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        String key = root().relativize(file) + ":" + (i + 1);
        Matcher m = EXPECT.matcher(lines.get(i));
        if (m.find()) {
          expected.put(key, new TreeSet<>(List.of(m.group(1).trim().split("\\s+"))));
        }
        if (MISS.matcher(lines.get(i)).find()) {
          knownMisses.add(key);
        }
      }
    }
    LintResult result = Linter.lintPaths(List.of(root()), LintConfig.defaults().withBindings(bindings));
    Map<String, TreeSet<String>> actual = new TreeMap<>();
    for (Finding f : result.findings()) {
      String key = root().relativize(f.file().toAbsolutePath()) + ":" + f.range().line();
      if (!knownMisses.contains(key)) {
        actual.computeIfAbsent(key, k -> new TreeSet<>()).add(f.rule().id());
      }
    }
    assertEquals(expected.toString().replace("], ", "],\n"), actual.toString().replace("], ", "],\n"),
        "findings per line (expected from the // expect comments)");
    assertEquals(List.of(), result.notices(), "every transform call in the corpus is analyzed");
  }
}
