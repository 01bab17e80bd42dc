package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The project's own examples: the seed's Counter is reported (SL001 on {@code n = n.add(1)}),
 * the explicit-state programs (the tiny transformer's keys included: SL010) are not. Skipped when
 * the module is built without the examples beside it.
 */
class ExamplesLintTest {

  private static final Path EXAMPLES = Path.of("../examples/src/main/java/dev/statelens/examples");
  private static final Set<String> EXPLICIT_STATE = Set.of("CounterV2.java", "LinReg.java",
      "Mlp.java", "CounterExample.java", "Transformer.java", "TinyCorpus.java");

  @Test
  void counterIsReportedAndExplicitStateExamplesAreClean() throws IOException {
    assumeTrue(Files.isDirectory(EXAMPLES), "examples/ not beside lint/: " + EXAMPLES.toAbsolutePath());
    LintResult result = Linter.lintPaths(List.of(EXAMPLES), LintConfig.defaults());
    List<Finding> counter = result.findings().stream()
        .filter(f -> f.file().getFileName().toString().equals("Counter.java")).toList();
    assertEquals(1, counter.size(), result.findings().toString());
    assertEquals(Rule.SL001, counter.get(0).rule());
    String line = Files.readAllLines(counter.get(0).file()).get(counter.get(0).range().line() - 1);
    assertEquals("n = n.add(1);", line.trim());
    assertTrue(counter.get(0).message().contains("runs once, at trace time"));
    for (Finding f : result.findings()) {
      assertTrue(!EXPLICIT_STATE.contains(f.file().getFileName().toString()),
          "explicit-state example reported: " + f);
    }
  }
}
