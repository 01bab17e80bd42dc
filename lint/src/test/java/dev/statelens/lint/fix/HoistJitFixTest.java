package dev.statelens.lint.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.Finding;
import dev.statelens.lint.LintConfig;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Linter;
import dev.statelens.lint.Rule;
import dev.statelens.lint.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SL011's "Create the jit once, before the loop" on the rule's fixture
 * ({@code fixtures/Sl011JitPerCall.java}): offered only for a declaration that can move, the
 * moved code compiles, and the jit is no longer found.
 */
class HoistJitFixTest {

  @TempDir Path work;

  private static final Path INPUT = FixesTest.resource("fixtures/Sl011JitPerCall.java");

  private static Finding at(LintResult result, int line) {
    return result.findings().stream()
        .filter(f -> f.rule() == Rule.SL011 && f.range().line() == line)
        .findFirst().orElseThrow(() -> new AssertionError("no SL011 at " + line + " in " + result.findings()));
  }

  @Test
  void offeredOnlyWhereTheDeclarationCanMove() throws Exception {
    LintResult result = Linter.lintPaths(List.of(INPUT), LintConfig.defaults());
    assertEquals(List.of("hoist-jit", "suppress"), at(result, 18).fixIds(), "var step = jit(...) in the loop body");
    assertEquals(List.of("suppress"), at(result, 26).fixIds(), "called at once: no declaration");
    assertEquals(List.of("suppress"), at(result, 32).fixIds(), "made in a method the loop calls");
  }

  @Test
  void theDeclarationMovesBeforeTheLoopAndTheFindingGoes() throws Exception {
    LintResult result = Linter.lintPaths(List.of(INPUT), LintConfig.defaults());
    FixOutcome outcome = QuickFixes.apply(FixId.HOIST_JIT, at(result, 18), SourceFile::read);
    FixOutcome.Applied applied = assertInstanceOf(FixOutcome.Applied.class, outcome);
    assertEquals("Create the jit once, before the loop", applied.label());
    String before = Files.readString(INPUT);
    String after = applied.newSources().get(INPUT);
    String declaration = "    var step = Transforms.jit(\"step\", this::step); // flagged, hoistable\n";
    assertEquals(before.replace("      var step = Transforms.jit(\"step\", this::step); // flagged, hoistable\n", "")
        .replace("  Array inLoop(Array x) {\n", "  Array inLoop(Array x) {\n" + declaration), after);

    FixesTest.compile(Map.of(INPUT, after), work.resolve("after"));
    Path fixed = Files.writeString(work.resolve("Sl011JitPerCall.java"), after);
    LintResult again = Linter.lintPaths(List.of(fixed), LintConfig.defaults());
    assertTrue(again.findings().stream().noneMatch(f -> f.rule() == Rule.SL011 && f.range().line() <= 22),
        again.findings()::toString);
    assertEquals(3, again.findings().stream().filter(f -> f.rule() == Rule.SL011).count(), "the others stay");
  }

  @Test
  void refusedWhereTheFindingDoesNotOfferIt() throws Exception {
    LintResult result = Linter.lintPaths(List.of(INPUT), LintConfig.defaults());
    FixOutcome outcome = QuickFixes.apply(FixId.HOIST_JIT, at(result, 26), SourceFile::read);
    FixOutcome.NotApplicable na = assertInstanceOf(FixOutcome.NotApplicable.class, outcome);
    assertTrue(na.reason().contains("not offered for SL011"), na.reason());
  }

  @Test
  void aJitTheSameInNestedLoopsMovesBeforeTheOuterLoop() throws Exception {
    Path nested = FixesTest.resource("fixtures/Sl011NestedLoops.java");
    LintResult result = Linter.lintPaths(List.of(nested), LintConfig.defaults());
    Finding finding = at(result, 18);
    assertTrue(finding.message().contains("the loop at Sl011NestedLoops.java:16"), finding.message());
    assertTrue(at(result, 29).message().contains("the loop at Sl011NestedLoops.java:28"), "uses e's scale: inner");
    FixOutcome.Applied applied = assertInstanceOf(FixOutcome.Applied.class,
        QuickFixes.apply(FixId.HOIST_JIT, finding, SourceFile::read));
    String after = applied.newSources().get(nested);
    assertTrue(after.contains("    var step = Transforms.jit(this::step); // flagged at the outer loop, hoistable before it\n"
        + "    for (int e = 0; e < epochs; e++) {\n"), after);
    FixesTest.compile(Map.of(nested, after), work.resolve("nested"));
    Path fixed = Files.writeString(work.resolve("Sl011NestedLoops.java"), after);
    List<Finding> again = Linter.lintPaths(List.of(fixed), LintConfig.defaults()).findings();
    assertEquals(1, again.stream().filter(f -> f.rule() == Rule.SL011).count(), again::toString);
  }
}
