package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SL010 key-reuse beyond the golden fixtures: reported in files without any transform call, kept
 * in step with edits ({@code update}, {@code updateAll}, a saved edit's re-analysis) — also when
 * only a helper method's body changes, since a file's method summaries are part of its findings —
 * suppressed and configured like the other rules, and silent on a project's own
 * {@code Key}/{@code Random}.
 */
class KeyReuseTest {

  @TempDir
  static Path tmp;

  private static Path engineClasses;

  @BeforeAll
  static void compileEngineStub() throws IOException, URISyntaxException {
    engineClasses = EngineStub.compile(tmp.resolve("engine-classes"));
  }

  private static final String EAGER = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Key;
      import dev.statelens.engine.Random;

      public class Eager {
        Array noise(Key key) {
          Array a = Random.normal(key, 3);
          return a.add(Random.uniform(key, 3));
        }
      }
      """;
  private static final String EAGER_FIXED = EAGER.replace(
      "Array a = Random.normal(key, 3);",
      "var ks = Random.split(key);\n    key = ks.first();\n    Array a = Random.normal(ks.second(), 3);");

  private static Path write(String name, String text) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("src-" + name));
    return Files.writeString(dir.resolve(name + ".java"), text);
  }

  private static List<Finding> sl010(LintResult result) {
    return result.findings().stream().filter(f -> f.rule() == Rule.SL010).toList();
  }

  @Test
  void reportedInCodeWithoutAnyTransform() throws IOException {
    Path file = write("Eager", EAGER);
    LintResult result = Linter.lintPaths(List.of(file), LintConfig.defaults());
    List<Finding> found = sl010(result);
    assertEquals(1, found.size(), result.findings().toString());
    Finding f = found.get(0);
    assertEquals(10, f.range().line());
    assertEquals(Severity.WARNING, f.severity());
    assertTrue(f.message().contains("Key 'key'") && f.message().contains("line 9")
        && f.message().contains("Random.split(key)"), f.message());
    assertEquals(List.of("split-key", "suppress"), f.fixIds()); // KeySplitFixTest covers the fix
    assertTrue(f.callChain().isEmpty());
  }

  @Test
  void followsEditsThroughUpdateAndUpdateAll() throws IOException {
    Path file = write("Edited", EAGER);
    Linter linter = new Linter(LintConfig.defaults());
    assertEquals(1, sl010(linter.lint(List.of(SourceFile.read(file)))).size());
    assertEquals(0, sl010(linter.update(new SourceFile(file, EAGER_FIXED))).size());
    assertEquals(1, sl010(linter.updateAll(List.of(new SourceFile(file, EAGER)))).size());
    assertEquals(0, sl010(linter.updateAll(List.of(new SourceFile(file, EAGER_FIXED)))).size());
  }

  @Test
  void savedBodyEditReanalysisSeesTheFix() throws IOException {
    // a file with a jit call: a saved edit of one body reuses the rest of the analysis
    String text = EAGER.replace("public class Eager {", """
        public class Saved {
          java.util.function.Function<Array, Array> f =
              dev.statelens.engine.Transforms.jit((Array x) -> x.mul(2));
        """);
    Path file = write("Saved", text);
    Linter editor = new Linter(LintConfig.defaults().withClasspath(List.of(engineClasses)));
    editor.lint(List.of(SourceFile.read(file)));
    assertEquals(1, sl010(editor.update(SourceFile.read(file))).size());
    String fixed = text.replace("Array a = Random.normal(key, 3);",
        "Array a = Random.normal(Random.foldIn(key, 1), 3);");
    Files.writeString(file, fixed);
    LintResult afterFix = editor.update(SourceFile.read(file));
    assertEquals(0, sl010(afterFix).size(), afterFix.findings().toString());
    assertTrue(editor.lastUpdateReused(), "the body edit was not re-analyzed on its own");
    Files.writeString(file, text);
    assertEquals(1, sl010(editor.update(SourceFile.read(file))).size());
  }

  @Test
  void suppressedDisabledAndReconfiguredLikeOtherRules() throws IOException {
    Path suppressed = write("Suppressed", EAGER.replace("  Array noise(",
        "  @SuppressWarnings(\"statelens:SL010\") // the same key on purpose\n  Array noise("));
    LintResult quiet = Linter.lintPaths(List.of(suppressed), LintConfig.defaults());
    assertEquals(List.of(), quiet.findings());
    assertEquals(1, quiet.suppressed());

    Path file = write("Configured", EAGER);
    EnumSet<Rule> others = EnumSet.allOf(Rule.class);
    others.remove(Rule.SL010);
    assertEquals(0, sl010(Linter.lintPaths(List.of(file),
        LintConfig.defaults().withRules(others))).size());
    List<Finding> errors = sl010(Linter.lintPaths(List.of(file),
        LintConfig.defaults().withSeverity(Rule.SL010, Severity.ERROR)));
    assertEquals(Severity.ERROR, errors.get(0).severity());
  }

  @Test
  void aProjectsOwnKeyAndRandomAreNotTheEngines() throws IOException {
    Path file = write("Own", """
        package demo;

        public class Own {
          record Key(long seed) {}

          static final class Random {
            static double normal(Key key) { return key.seed(); }
          }

          double twice(Key key) {
            return Random.normal(key) + Random.normal(key);
          }
        }
        """);
    assertEquals(List.of(), Linter.lintPaths(List.of(file), LintConfig.defaults()).findings());
  }

  private static final String HELPER = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Key;
      import dev.statelens.engine.Random;

      public class Helper {
        static Array noise(Key k, int n) {
          return Random.normal(k, n);
        }

        Array twice(Key key) {
          Array a = noise(key, 3);
          return a.add(noise(key, 3));
        }
      }
      """;
  /** The helper no longer draws from its parameter: it folds in first. */
  private static final String HELPER_FOLDS = HELPER.replace("return Random.normal(k, n);",
      "return Random.normal(Random.foldIn(k, n), n);");

  @Test
  void aHelpersSummaryFollowsEditsOfItsBody() throws IOException {
    Path file = write("Helper", HELPER);
    Linter linter = new Linter(LintConfig.defaults());
    List<Finding> found = sl010(linter.lint(List.of(SourceFile.read(file))));
    assertEquals(1, found.size(), found.toString());
    assertEquals(14, found.get(0).range().line());
    assertTrue(found.get(0).message().contains(
        "noise(...) at line 14 (through Random.normal(...) at line 9) after noise(...) at line 13"),
        found.get(0).message());
    // only the helper's body changes; the caller's finding goes and comes back with it
    assertEquals(List.of(), sl010(linter.update(new SourceFile(file, HELPER_FOLDS))));
    assertEquals(1, sl010(linter.update(new SourceFile(file, HELPER))).size());
    assertEquals(List.of(), sl010(linter.updateAll(List.of(new SourceFile(file, HELPER_FOLDS)))));
    assertEquals(1, sl010(linter.updateAll(List.of(new SourceFile(file, HELPER)))).size());
  }

  @Test
  void savedHelperBodyEditReanalysisSeesTheCallersFinding() throws IOException {
    String jitted = "public class SavedHelper {\n  java.util.function.Function<Array, Array> f =\n"
        + "      dev.statelens.engine.Transforms.jit((Array x) -> x.mul(2));\n";
    String text = HELPER.replace("public class Helper {\n", jitted);
    Path file = write("SavedHelper", text);
    Linter editor = new Linter(LintConfig.defaults().withClasspath(List.of(engineClasses)));
    editor.lint(List.of(SourceFile.read(file)));
    assertEquals(1, sl010(editor.update(SourceFile.read(file))).size());
    Files.writeString(file, text.replace("return Random.normal(k, n);",
        "return Random.normal(Random.foldIn(k, n), n);"));
    LintResult afterEdit = editor.update(SourceFile.read(file));
    assertTrue(editor.lastUpdateReused(), "the helper's body edit was not re-analyzed on its own");
    assertEquals(List.of(), sl010(afterEdit), afterEdit.findings().toString());
    Files.writeString(file, text);
    LintResult reverted = editor.update(SourceFile.read(file));
    assertTrue(editor.lastUpdateReused(), "the helper's body edit was not re-analyzed on its own");
    assertEquals(1, sl010(reverted).size(), reverted.findings().toString());
  }

  private static final String LAYERS = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Key;
      import dev.statelens.engine.Random;

      public class Layers {
        java.util.function.Function<Array, Array> f =
            dev.statelens.engine.Transforms.jit((Array x) -> x.mul(2));

        static class Layer {
          final Array w;

          Layer(Key key, int n) {
            this.w = Random.normal(key, n);
          }
        }

        Array twoLayers(Key key) {
          Key copy = key;
          Layer a = new Layer(key, 3);
          return a.w.add(Random.normal(copy, 3));
        }

        java.util.List<Array> perIndex(Key key) {
          return java.util.stream.IntStream.range(0, 4)
              .mapToObj(i -> Random.normal(key, 3)).toList();
        }
      }
      """;

  /**
   * A constructor's summary is part of the file's findings like a helper's: {@code new
   * Layer(key, 3)} then a draw from a copy of {@code key} is a reuse while the constructor draws
   * from its key, and not once it folds in (only the constructor's body edited and saved). The
   * per-element lambda's finding stays where it is.
   */
  @Test
  void aConstructorsSummaryAndACopyOfTheKeyFollowEdits() throws IOException {
    Path file = write("Layers", LAYERS);
    Linter editor = new Linter(LintConfig.defaults().withClasspath(List.of(engineClasses)));
    List<Finding> found = sl010(editor.lint(List.of(SourceFile.read(file))));
    assertEquals(List.of(22, 27), found.stream().map(f -> f.range().line()).toList(),
        found.toString());
    assertTrue(found.get(0).message().contains("Key 'copy' is drawn from again by "
        + "Random.normal(...) at line 22 after new Layer(...) at line 21 (through "
        + "Random.normal(...) at line 15) drew from 'key', which holds the same key"),
        found.get(0).message());
    assertTrue(found.get(1).message().contains("in the lambda given to"), found.get(1).message());
    assertEquals(List.of("fold-in", "suppress"), found.get(1).fixIds());

    String folds = LAYERS.replace("this.w = Random.normal(key, n);",
        "this.w = Random.normal(Random.foldIn(key, n), n);");
    Files.writeString(file, folds);
    List<Finding> afterEdit = sl010(editor.update(SourceFile.read(file)));
    assertEquals(List.of(27), afterEdit.stream().map(f -> f.range().line()).toList());
    Files.writeString(file, LAYERS);
    assertEquals(2, sl010(editor.update(SourceFile.read(file))).size());
  }

  @Test
  void unknownRuleMessageNamesTheLastRule() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Rule.parse("SL999"));
    assertTrue(e.getMessage().contains("SL000..SL011"), e.getMessage());
    assertEquals(Rule.SL010, Rule.parse("key-reuse"));
    assertEquals(Rule.SL011, Rule.parse("jit-per-call"));
  }

  private static final String FIELD = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Key;
      import dev.statelens.engine.Random;

      public class Dropout {
        private Key key = Random.key(0);

        Array masks() {
          Array a = Random.uniform(key, 3);
          return a.add(Random.uniform(key, 3));
        }

        void advance() {
          key = Random.foldIn(key, 1);
        }
      }
      """;

  @Test
  void aFieldKeyDrawnTwiceOffersSuppressAndFollowsEdits() throws IOException {
    Path file = write("Dropout", FIELD);
    Linter linter = new Linter(LintConfig.defaults());
    List<Finding> found = sl010(linter.lint(List.of(SourceFile.read(file))));
    assertEquals(1, found.size(), found.toString());
    assertEquals(12, found.get(0).range().line());
    assertTrue(found.get(0).message().contains("a field holds one key until it is assigned"),
        found.get(0).message());
    // split-key would have to write the field (a side effect under jit): not offered
    assertEquals(List.of("suppress"), found.get(0).fixIds());
    String advanced = FIELD.replace("return a.add(", "advance();\n    return a.add(");
    assertEquals(0, sl010(linter.updateAll(List.of(new SourceFile(file, advanced)))).size());
    assertEquals(1, sl010(linter.update(new SourceFile(file, FIELD))).size());
    // a field that a lambda assigns is not followed
    String lambda = FIELD.replace("void advance() {",
        "Runnable later() {\n    return () -> key = Random.foldIn(key, 2);\n  }\n\n  void advance() {");
    assertEquals(0, sl010(linter.update(new SourceFile(file, lambda))).size());
  }
}
