package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden corpus: each {@code fixtures/X.java} is linted on its own and its findings (line,
 * column, rule, message with call chain) and notices must equal {@code fixtures/X.expected}.
 * {@code Pure*} fixtures must have none. Both analysis modes (JDT bindings, names only) must
 * agree. Regenerate after an intended change with {@code -Dlint.golden.update=true} and review
 * the diff.
 */
class GoldenFixturesTest {

  static Stream<String> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(Fixtures.dir())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
          .sorted().map(n -> n.substring(0, n.length() - 5)).toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void findingsMatchGoldenFile(String name) throws IOException {
    Path source = Fixtures.file(name + ".java");
    String actual = Fixtures.golden(Linter.lintPaths(List.of(source), LintConfig.defaults()));
    Path expectedFile = Fixtures.file(name + ".expected");
    if (Boolean.getBoolean("lint.golden.update")) {
      Files.writeString(Path.of("src/test/resources/fixtures", name + ".expected"), actual);
      return;
    }
    assertTrue(Files.exists(expectedFile), "missing golden file " + expectedFile);
    assertEquals(Files.readString(expectedFile), actual, "findings of " + name);
    if (name.startsWith("Pure")) {
      assertEquals("", actual, "pure code must have no findings");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void namesOnlyModeAgreesWithBindings(String name) throws IOException {
    Path source = Fixtures.file(name + ".java");
    String withBindings = Fixtures.golden(Linter.lintPaths(List.of(source), LintConfig.defaults()));
    String byNames = Fixtures.golden(
        Linter.lintPaths(List.of(source), LintConfig.defaults().withBindings(false)));
    assertEquals(withBindings, byNames, "names-only analysis of " + name);
  }
}
