package dev.statelens.lint.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.Finding;
import dev.statelens.lint.FixturesAccess;
import dev.statelens.lint.LintConfig;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Linter;
import dev.statelens.lint.Rule;
import dev.statelens.lint.source.JavaParsing;
import dev.statelens.lint.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SL009's "Use the result": which discarded calls it is offered for (fixture
 * {@code fixes/UseResult.java}, with and without the engine on the classpath), that the fixed
 * program compiles and now computes with the kept values, and why it refuses the rest.
 */
class UseResultFixTest {

  @TempDir Path work;

  private static final Path INPUT = FixesTest.resource("fixes/UseResult.java");

  private static Finding at(LintResult result, int line) {
    return result.findings().stream()
        .filter(f -> f.rule() == Rule.SL009 && f.range().line() == line)
        .findFirst().orElseThrow(() -> new AssertionError("no SL009 at " + line + " in "
            + result.findings() + " (notes: " + result.notices() + ")"));
  }

  private static boolean offered(Finding f) {
    return f.fixIds().equals(List.of("use-result", "suppress"));
  }

  @Test
  void offeredForAssignableLocalsReadAfterwardsOnly() throws Exception {
    LintResult result = Linter.lintPaths(List.of(INPUT), LintConfig.defaults());
    assertTrue(offered(at(result, 16)), "x.add(1) in step");
    assertTrue(offered(at(result, 28)), "acc.mul(2) in the loop");
    for (int line : new int[] {37, 39, 42, 44, 46, 48}) {
      assertEquals(List.of("suppress"), at(result, line).fixIds(), "line " + line);
    }
  }

  @Test
  void withBindingsTheResultTypeDecides() throws Exception {
    Path engine = FixturesAccess.engineStub(work.resolve("engine"));
    LintResult result = Linter.lintPaths(List.of(INPUT),
        LintConfig.defaults().withClasspath(List.of(engine)));
    assertTrue(offered(at(result, 16)));
    assertTrue(offered(at(result, 46)), "var inferred: its type is known from the bindings");
    assertEquals(List.of("suppress"), at(result, 48).fixIds(),
        "Random.uniform(key) is an Array, key a Key");
    assertEquals(List.of("suppress"), at(result, 37).fixIds(), "a field");
  }

  @Test
  void theFixedProgramCompilesAndUsesTheValues() throws Exception {
    FixesTest.compile(Map.of(INPUT, Files.readString(INPUT)), work.resolve("before"));
    assertEquals(List.of(2f, 3f), FixesTest.run(work.resolve("before"), "UseResult", true),
        "before: x + 1 and acc * 2 are thrown away");

    LintResult result = Linter.lintPaths(List.of(INPUT), LintConfig.defaults());
    FixOutcome.Applied first = apply(at(result, 16), SourceFile::read);
    assertEquals("Use the result: x = x.add(1)", first.label());
    String once = first.newSources().get(INPUT);
    assertTrue(once.contains("      x = x.add(1);\n      return x.mul(2);"), once);

    Path step = Files.writeString(work.resolve("UseResult.java"), once);
    LintResult again = Linter.lintPaths(List.of(step), LintConfig.defaults());
    FixOutcome.Applied second = apply(at(again, 28), p -> new SourceFile(p, once));
    String twice = second.newSources().get(step);
    assertTrue(twice.contains("        acc = acc.mul(2);"), twice);
    assertEquals(Files.readString(INPUT).length() + "x = ".length() + "acc = ".length(),
        twice.length(), "only the two assignments are inserted");

    FixesTest.compile(Map.of(step, twice), work.resolve("after"));
    assertEquals(List.of(4f, 7f), FixesTest.run(work.resolve("after"), "UseResult", true),
        "after: (1 + 1) * 2, and 1 + 2 + 4");
    Files.writeString(step, twice);
    LintResult fixed = Linter.lintPaths(List.of(step), LintConfig.defaults());
    assertTrue(fixed.findings().stream().noneMatch(f -> f.rule() == Rule.SL009
        && (f.range().line() == 16 || f.range().line() == 28)), fixed.findings()::toString);
  }

  @Test
  void refusedWhereTheFindingDoesNotOfferIt() throws Exception {
    LintResult result = Linter.lintPaths(List.of(INPUT), LintConfig.defaults());
    FixOutcome outcome = QuickFixes.apply(FixId.USE_RESULT, at(result, 37), SourceFile::read);
    FixOutcome.NotApplicable na = assertInstanceOf(FixOutcome.NotApplicable.class, outcome);
    assertTrue(na.reason().contains("not offered for SL009"), na.reason());
  }

  private static FixOutcome.Applied apply(Finding finding, java.util.function.Function<Path, SourceFile> sources) {
    FixOutcome outcome = QuickFixes.apply(FixId.USE_RESULT, finding, sources);
    if (outcome instanceof FixOutcome.NotApplicable na) {
      throw new AssertionError("not applicable: " + na.reason());
    }
    return (FixOutcome.Applied) outcome;
  }

  /** The plugin's scenario, with the real engine jar built beside this module (bindings). */
  @Test
  void onTheRealEngineAnIndexUpdateIsAssigned() throws Exception {
    var jar = ExplicitStateOnRealEngineTest.engineJar();
    org.junit.jupiter.api.Assumptions.assumeTrue(jar.isPresent(),
        "no engine jar under ../engine/target*: build the engine module first");
    String rows = """
        import dev.statelens.engine.Array;
        import dev.statelens.engine.Transforms;
        import java.util.function.Function;

        public class Rows {
          Function<Array, Array> jitted() {
            return Transforms.jit((Array state) -> {
              state.at(0).set(Array.scalar(1));
              return state.mul(2);
            });
          }
        }
        """;
    Path file = Files.writeString(work.resolve("Rows.java"), rows);
    LintResult result = Linter.lintPaths(List.of(file),
        LintConfig.defaults().withClasspath(List.of(jar.get())));
    Finding dropped = at(result, 8);
    assertEquals(List.of("use-result", "suppress"), dropped.fixIds());
    assertEquals(rows.replace("    state.at(0)", "    state = state.at(0)"),
        apply(dropped, SourceFile::read).newSources().get(file));
  }

  @Test
  void withoutBindingsTheDeclaredTypeDecides() {
    assertEquals(null, fits("Array y = x; y.at(0).set(1); return y;", "y.at(0).set(1)"));
    assertEquals(null, fits("Array y = x; y.add(1).at(0).max(2).neg(); return y;",
        "y.add(1).at(0).max(2).neg()"));
    assertTrue(fits("Array y = x; y.split(2); return y;", "y.split(2)").contains("not known"));
    assertTrue(fits("var y = x; y.add(1); return y;", "y.add(1)").contains("not known"));
    // a sample, a factor, a solution is a new value: never assigned back to the first argument
    for (String call : List.of("Random.uniform(k)", "Linalg.cholesky(k)", "Linalg.solve(k,x)")) {
      String source = call.replace(",", ", ");
      var refused = assertInstanceOf(UseResultFix.Check.Refused.class,
          check("Array k = x; " + source + "; return k;", call), call);
      assertTrue(refused.reason().contains("var result = ..."), refused::reason);
    }
    assertEquals(null, fits("Array b = x; Lax.dynamicUpdateSlice(b, x, x); return b;",
        "Lax.dynamicUpdateSlice(b,x,x)"));
    assertEquals(null, fits("Params p = null, u = null; Optim.applyUpdates(p, u); return p;",
        "Optim.applyUpdates(p,u)"));
    assertTrue(fits("Params p = null; Grads u = null; Optim.applyUpdates(p, u); return p;",
        "Optim.applyUpdates(p,u)").contains("declared differently"));
  }

  private static String fits(String body, String marked) {
    MethodInvocation call = find(body, marked);
    UseResultFix.Check check = UseResultFix.check(call);
    var target = assertInstanceOf(UseResultFix.Check.Assignable.class, check, check::toString);
    return UseResultFix.resultFits(call, target);
  }

  // ------------------------------------------------------------ check() on snippets

  /** The check of the discarded call {@code marked} (its text) in a method body. */
  private static UseResultFix.Check check(String body, String marked) {
    return UseResultFix.check(find(body, marked));
  }

  private static MethodInvocation find(String body, String marked) {
    String source = "import dev.statelens.engine.*;\nclass T {\n  Array field;\n  Array m(Array x) {\n"
        + body + "\n  }\n}\n";
    CompilationUnit cu = JavaParsing.parseSyntax(new SourceFile(Path.of("T.java"), source));
    MethodInvocation[] found = new MethodInvocation[1];
    cu.accept(new ASTVisitor() {
      @Override
      public boolean visit(MethodInvocation mi) {
        if (found[0] == null && mi.toString().equals(marked)) {
          found[0] = mi;
        }
        return true;
      }
    });
    assertTrue(found[0] != null, "no call " + marked + " in " + source);
    return found[0];
  }

  private static String refused(String body, String marked) {
    return assertInstanceOf(UseResultFix.Check.Refused.class, check(body, marked),
        () -> marked + " should be refused").reason();
  }

  @Test
  void assignsTheChainRootOrTheStaticFirstArgument() {
    var chain = assertInstanceOf(UseResultFix.Check.Assignable.class,
        check("x.at(0).set(1); return x;", "x.at(0).set(1)"));
    assertEquals("x", chain.root().getIdentifier());
    var lax = assertInstanceOf(UseResultFix.Check.Assignable.class,
        check("Array buf = x; Lax.dynamicUpdateSlice(buf, x, x); return buf;",
            "Lax.dynamicUpdateSlice(buf,x,x)"));
    assertEquals("buf", lax.root().getIdentifier());
    assertInstanceOf(UseResultFix.Check.Assignable.class,
        check("for (Array y : java.util.List.of(x)) { y.add(1); x = y; } return x;", "y.add(1)"));
  }

  @Test
  void refusesWithAReason() {
    assertTrue(refused("field.add(1); return x;", "field.add(1)").contains("SL001"));
    assertTrue(refused("this.field.add(1); return x;", "this.field.add(1)").contains("SL001"));
    assertTrue(refused("final Array y = x; y.add(1); return y;", "y.add(1)").contains("final"));
    assertTrue(refused("x.add(1); return null;", "x.add(1)").contains("not read after"));
    assertTrue(refused("Runnable r = () -> x.neg(); x.add(1); return x;", "x.add(1)")
        .contains("lambda at line 5"));
    assertTrue(refused("Runnable r = () -> { x.add(1); }; return x;", "x.add(1)")
        .contains("captures x"));
    assertTrue(refused("Object o = new Object() { Object g() { return x; } }; x.add(1); return x;",
        "x.add(1)").contains("inner class"));
    assertTrue(refused("Lax.dynamicUpdateSlice(x.neg(), x, x); return x;",
        "Lax.dynamicUpdateSlice(x.neg(),x,x)").contains("first argument"));
    assertTrue(refused("Lax.sort(x).add(1); return x;", "Lax.sort(x).add(1)")
        .contains("does not start from a variable"));
    assertTrue(refused("try (var y = x.close()) { y.add(1); return y; }", "y.add(1)")
        .contains("final"));
    assertTrue(refused("Array y = x.add(2); return y;", "x.add(2)").contains("already used"));
  }

  @Test
  void aLoopReadBeforeTheStatementCounts() {
    assertInstanceOf(UseResultFix.Check.Assignable.class,
        check("Array s = x; while (true) { s = s.add(x); x.mul(2); }", "x.mul(2)"));
    assertTrue(refused("Array s = x; while (true) { Array y = x; s = s.add(y); y.mul(2); }",
        "y.mul(2)").contains("not read after"), "y is declared inside the loop: a fresh one each time");
  }
}
