package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Linter API: configuration, cross-file analysis, re-analysis of an edited file. */
class LinterTest {

  private static final String COUNTER = """
      package demo;
      import dev.statelens.engine.Array;
      public class Counter {
        Array n = Array.scalar(0);
        public Array count() { Model.bump(); n = n.add(1); return n; }
      }
      """;
  private static final String MODEL = """
      package demo;
      class Model {
        static int calls;
        static void bump() { calls++; }
      }
      """;
  private static final String MAIN = """
      package demo;
      import dev.statelens.engine.Transforms;
      class Main {
        void run() { var fast = Transforms.jit(new Counter()::count); fast.get(); }
      }
      """;

  private static List<SourceFile> project() {
    return List.of(new SourceFile(Path.of("src/demo/Counter.java"), COUNTER),
        new SourceFile(Path.of("src/demo/Model.java"), MODEL),
        new SourceFile(Path.of("src/demo/Main.java"), MAIN));
  }

  @Test
  void followsCallsAcrossFilesAndReportsWhereTheEffectIs() {
    LintResult result = new Linter(LintConfig.defaults()).lint(project());
    assertEquals(2, result.findings().size(), result.findings().toString());
    Finding counter = result.findings().get(0);
    assertEquals("Counter.java", counter.file().getFileName().toString());
    assertEquals(5, counter.range().line());
    Finding model = result.findings().get(1);
    assertEquals("Model.java", model.file().getFileName().toString());
    assertEquals(List.of("jit(new Counter()::count)", "Model.bump"),
        model.callChain().stream().map(CallFrame::description).toList());
    assertEquals(3, result.filesAnalyzed());
  }

  @Test
  void severitiesAndRuleSelectionComeFromTheConfig() {
    LintConfig config = LintConfig.defaults().withSeverity(Rule.SL001, Severity.ERROR);
    LintResult result = new Linter(config).lint(project());
    assertTrue(result.findings().stream().allMatch(f -> f.severity() == Severity.ERROR));

    LintResult none = new Linter(LintConfig.defaults().withRules(EnumSet.of(Rule.SL003)))
        .lint(project());
    assertTrue(none.findings().isEmpty());
  }

  @Test
  void updateReanalyzesOneEditedFileAgainstTheIndex() {
    Linter linter = new Linter(LintConfig.defaults());
    linter.lint(project());
    String fixed = COUNTER.replace("Model.bump(); n = n.add(1); return n;", "return n.add(1);");
    LintResult afterEdit = linter.update(new SourceFile(Path.of("src/demo/Counter.java"), fixed));
    // Counter.java has no jit call of its own: its findings come from Main's site.
    assertTrue(afterEdit.findings().isEmpty());
    LintResult main = linter.update(new SourceFile(Path.of("src/demo/Main.java"), MAIN));
    assertEquals(0, main.findings().size(), "the edited Counter no longer writes a field");
  }

  @Test
  void unusedSuppressionIsReportedUnlessRuleDisabled() throws IOException {
    Path fixture = Fixtures.file("Suppressions.java");
    LintResult all = Linter.lintPaths(List.of(fixture), LintConfig.defaults());
    assertTrue(all.findings().stream().anyMatch(f -> f.rule() == Rule.SL000));
    assertEquals(3, all.suppressed(), "SL001 on counted, the Legacy class, the local");
    LintResult without = Linter.lintPaths(List.of(fixture),
        LintConfig.defaults().withRules(EnumSet.of(Rule.SL001, Rule.SL003)));
    assertTrue(without.findings().stream().noneMatch(f -> f.rule() == Rule.SL000));
  }

  @Test
  void suppressionOnTheMethodHoldingTheJitCallCoversEverythingItReaches() throws IOException {
    String source = """
        import dev.statelens.engine.Transforms;
        class Holder {
          int n;
          int bump() { n++; return n; }
          @SuppressWarnings("statelens:SL001")
          void run() { Transforms.jit(this::bump); }
        }
        """;
    LintResult result = new Linter(LintConfig.defaults())
        .lint(List.of(new SourceFile(Path.of("Holder.java"), source)));
    assertTrue(result.findings().isEmpty(), result.findings().toString());
    assertEquals(1, result.suppressed());
  }

  @Test
  void readsFilesFromFolders() throws IOException {
    Path dir = Files.createTempDirectory("lint");
    Files.writeString(dir.resolve("A.java"), MODEL);
    LintResult result = Linter.lintPaths(List.of(dir), LintConfig.defaults());
    assertEquals(1, result.filesAnalyzed());
    assertEquals(5, result.linesAnalyzed());
  }

  @Test
  void moduleInfoIsParsedAsAModuleDeclaration() {
    String moduleInfo = "module com.acme.model {\n  requires dev.statelens.engine;\n  exports com.acme.model;\n}\n";
    LintResult result = new Linter(LintConfig.defaults())
        .lint(List.of(new SourceFile(Path.of("src/module-info.java"), moduleInfo)));
    assertTrue(result.notices().isEmpty(), result.notices().toString());
  }

  @Test
  void stringAndPrimitiveArgumentsAreNotTracers() {
    String source = """
        import dev.statelens.engine.Array;
        import dev.statelens.engine.Transforms;
        class Labels {
          Object[] seen = new Object[2];
          void run() {
            Transforms.vmap((Array x, String label) -> { seen[0] = label; seen[1] = x; return x; }, 0, null);
          }
        }
        """;
    LintResult result = new Linter(LintConfig.defaults().withBindings(false))
        .lint(List.of(new SourceFile(Path.of("Labels.java"), source)));
    assertEquals(List.of(Rule.SL002, Rule.SL008),
        result.findings().stream().map(Finding::rule).toList(), result.findings().toString());
  }
}
