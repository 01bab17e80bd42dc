package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Half-typed and broken code never crashes the analyzer; it says what it skipped. */
class RobustnessTest {

  static Stream<String> fixtures() throws IOException {
    return GoldenFixturesTest.fixtures();
  }

  /** Every prefix of every fixture (as typed in an editor), in both analysis modes. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void everyPrefixOfAFixtureIsAnalyzed(String name, @TempDir Path dir) throws IOException {
    String text = Files.readString(Fixtures.file(name + ".java"));
    Path file = dir.resolve(name + ".java");
    for (int cut = 0; cut <= text.length(); cut += 23) {
      String prefix = text.substring(0, cut);
      Files.writeString(file, prefix);
      for (boolean bindings : new boolean[] {true, false}) {
        if (bindings && cut % 4 != 0) {
          continue; // bindings are slower; a quarter of the prefixes is plenty
        }
        LintConfig config = LintConfig.defaults().withBindings(bindings);
        int at = cut;
        LintResult result = assertDoesNotThrow(
            () -> new Linter(config).lint(List.of(new SourceFile(file, prefix))),
            () -> name + " cut at " + at);
        assertNotNull(result);
        assertTrue(result.notices().stream().noneMatch(n -> n.message().contains("internal")),
            () -> name + " cut at " + at + ": " + result.notices());
      }
    }
  }

  /** Random token soup built from a fixture's own words. */
  @Test
  void shuffledTokensNeverCrash() throws IOException {
    String[] words = Files.readString(Fixtures.file("Sl001CallForms.java")).split("(?<=\\W)|(?=\\W)");
    Random random = new Random(7);
    for (int i = 0; i < 60; i++) {
      StringBuilder s = new StringBuilder("class Soup { void f() { Transforms.jit(");
      for (int j = 0; j < 200; j++) {
        s.append(words[random.nextInt(words.length)]);
      }
      SourceFile file = new SourceFile(Path.of("Soup" + i + ".java"), s.toString());
      LintResult result = assertDoesNotThrow(
          () -> new Linter(LintConfig.defaults()).lint(List.of(file)));
      assertTrue(result.notices().stream().noneMatch(n -> n.message().contains("internal")),
          result.notices()::toString);
    }
  }

  @Test
  void syntaxErrorsAreReportedAsNoticesAndTheRestIsStillAnalyzed() throws IOException {
    LintResult result = Linter.lintPaths(List.of(Fixtures.file("BrokenCode.java")),
        LintConfig.defaults());
    assertFalse(result.findings().isEmpty(), "the field write before the error is still found");
    assertTrue(result.notices().stream().anyMatch(n -> n.message().startsWith("syntax error")));
    assertTrue(result.notices().stream().anyMatch(n -> n.message().contains("parameter 'f'")),
        "a function the analyzer cannot see is reported as skipped");
  }

  @Test
  void binaryGarbageIsSurvived(@TempDir Path dir) throws IOException {
    byte[] bytes = new byte[4096];
    new Random(3).nextBytes(bytes);
    Path file = dir.resolve("Garbage.java");
    Files.write(file, bytes);
    LintResult result = Linter.lintPaths(List.of(dir), LintConfig.defaults());
    assertTrue(result.findings().isEmpty());
    assertTrue(result.filesAnalyzed() == 1);
  }
}
