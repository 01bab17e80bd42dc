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
 * A fix a finding lists is a fix that applies and compiles: the cases the wild corpus
 * (WildCorpusFixesTest) found listed but refused, or rewritten into code that did not compile.
 */
class OfferedFixesTest {

  @TempDir Path work;

  private LintResult lint(String name, String source) throws Exception {
    Path file = Files.writeString(work.resolve(name), source);
    return Linter.lintPaths(List.of(file), LintConfig.defaults());
  }

  private static Finding at(LintResult result, Rule rule, int line) {
    return result.findings().stream().filter(f -> f.rule() == rule && f.range().line() == line).findFirst()
        .orElseThrow(() -> new AssertionError("no " + rule + " at " + line + " in " + result.findings()));
  }

  @Test
  void debugPrintKeepsJavaValuesInTheFormatAndSkipsPrintfOfNonArrays() throws Exception {
    LintResult result = lint("Log.java", """
        import dev.statelens.engine.Array;
        import dev.statelens.engine.Transforms;
        class Log {
          Array step(Array x) {
            int epoch = 3;
            String name = "w";
            System.out.println("epoch " + epoch + " " + name + ": " + x);
            System.out.printf("%s=%.4f%n", name, 1.5);
            return x;
          }
          Object jitted() { return Transforms.jit(this::step); }
        }
        """);
    assertEquals(List.of("suppress"), at(result, Rule.SL003, 8).fixIds(), "Debug.print takes no String or double");
    Finding println = at(result, Rule.SL003, 7);
    FixOutcome.Applied applied = assertInstanceOf(FixOutcome.Applied.class,
        QuickFixes.apply(FixId.DEBUG_PRINT, println, SourceFile::read));
    String after = applied.newSources().get(println.file());
    assertTrue(after.contains("Debug.print(\"epoch \" + epoch + \" \" + name + \": {}\", x);"), after);
    FixesTest.compile(Map.of(println.file(), after.replace(
        "    System.out.printf(\"%s=%.4f%n\", name, 1.5);\n", "")), work.resolve("classes"));
  }

  @Test
  void explicitStateNamesTheJitLambdasParametersApartFromTheCallersLocals() throws Exception {
    LintResult result = lint("Loop.java", """
        import dev.statelens.engine.Array;
        import dev.statelens.engine.Transforms;
        class Loop {
          Array calls = Array.scalar(0);
          Array twice(Array b) {
            calls = calls.add(1);
            return b.mul(2);
          }
          Array run(Array b) {
            Array state = b;
            var fast = Transforms.jit(this::twice);
            return fast.apply(state);
          }
        }
        """);
    Finding write = at(result, Rule.SL001, 6);
    assertEquals(List.of("explicit-state", "suppress"), write.fixIds());
    FixOutcome.Applied applied = assertInstanceOf(FixOutcome.Applied.class,
        QuickFixes.apply(FixId.EXPLICIT_STATE, write, SourceFile::read));
    String after = applied.newSources().get(write.file());
    assertTrue(after.contains("(TwiceState state2, Array b2) -> this.twice(state2, b2)"), after);
    FixesTest.compile(applied.newSources(), work.resolve("classes"));
  }

  @Test
  void explicitStateIsNotListedForAWriteInALambdaOrToAnOuterInstancesField() throws Exception {
    LintResult result = lint("Outer.java", """
        import dev.statelens.engine.Array;
        import dev.statelens.engine.Transforms;
        import java.util.function.Function;
        class Outer {
          int n;
          class Inner implements Function<Array, Array> {
            public Array apply(Array x) {
              n++;
              return x;
            }
          }
          Object named() { return Transforms.jit(new Inner()); }
          Object lambda() { return Transforms.jit((Array x) -> { n++; return x; }); }
        }
        """);
    assertEquals(List.of("suppress"), at(result, Rule.SL001, 8).fixIds(), "Outer.this.n from Inner.apply");
    assertEquals(List.of("suppress"), at(result, Rule.SL001, 13).fixIds(), "an int field (not a jit argument), in a lambda whose jit is not kept in a local");
  }

  @Test
  void explicitStateIsListedForAJittedLambdaKeptInATypedLocalAndForPytreeFieldsOnly() throws Exception {
    LintResult result = lint("Loop.java", """
        import dev.statelens.engine.Array;
        import dev.statelens.engine.Transforms;
        import java.util.function.Function;
        class Loop {
          Array total = Array.scalar(0);
          Object kept() {
            Function<Array, Array> step = Transforms.jit((Array x) -> { total = total.add(1); return x; });
            return step.apply(Array.scalar(1));
          }
          Object untyped() {
            var step = Transforms.jit(x -> { total = total.add(1); return x; });
            return step;
          }
          Object notKept() { return Transforms.jit((Array x) -> { total = total.add(1); return x; }); }
          int calls;
          Array counted(Array x) { calls++; return x; }
          Object countedJit() { return Transforms.jit(this::counted); }
          Object shadowed(Array total2) {
            Function<Array, Array> total = Transforms.jit((Array x) -> { this.total = this.total.add(1); return x; });
            return total;
          }
        }
        """);
    assertEquals(List.of("explicit-state", "suppress"), at(result, Rule.SL001, 7).fixIds(), "a typed local");
    assertEquals(List.of("suppress"), at(result, Rule.SL001, 11).fixIds(), "var with untyped parameters");
    assertEquals(List.of("suppress"), at(result, Rule.SL001, 14).fixIds(), "the jit is not kept in a local");
    assertEquals(List.of("suppress"), at(result, Rule.SL001, 16).fixIds(), "an int field: not a jit argument (a method too)");
    assertEquals(List.of("suppress"), at(result, Rule.SL001, 19).fixIds(), "a local named like the field");
  }

  @Test
  void keyParameterAndDebugCallbackAreListedOnlyWhereTheyApply() throws Exception {
    LintResult result = lint("Noisy.java", """
        import dev.statelens.engine.Array;
        import dev.statelens.engine.Transforms;
        import java.util.logging.Logger;
        class Noisy {
          static final Logger LOG = Logger.getLogger("noisy");
          Array step(Array x) {
            long t0 = 5;
            if (Math.random() < 0.5) {
              LOG.info("took " + t0);
            }
            double r = Math.random();
            LOG.info("x " + x);
            return x.mul(r);
          }
          Object jitted() { return Transforms.jit(this::step); }
        }
        """);
    assertEquals(List.of("suppress"), at(result, Rule.SL004, 8).fixIds(), "a draw in Java arithmetic");
    assertEquals(List.of("key-parameter", "suppress"), at(result, Rule.SL004, 11).fixIds());
    assertEquals(List.of("suppress"), at(result, Rule.SL003, 9).fixIds(), "no array to hand to the callback");
    assertEquals(List.of("debug-callback", "suppress"), at(result, Rule.SL003, 12).fixIds());
  }

  @Test
  void debugFixesReadEachNameWhereItIsDeclared() throws Exception {
    LintResult result = lint("Scopes.java", """
        import dev.statelens.engine.Array;
        import dev.statelens.engine.Transforms;
        import java.util.logging.Logger;
        class Scopes {
          static final Logger LOG = Logger.getLogger("scopes");
          int epoch = 3;
          Array step(Array x) {
            for (int i = 0; i < 2; i++) { int loss = i; x = x.add(loss); }
            Array loss = x.mul(2);
            LOG.info("loss " + loss);
            System.out.println("epoch " + epoch + ": " + x);
            return log(x, 1);
          }
          Array log(Array x, int n) {
            n = n + 1;
            LOG.info("n " + n + " x " + x);
            return x;
          }
          Object jitted() { return Transforms.jit(this::step); }
        }
        """);
    // 'loss' is an int in the loop and an Array after it: the one in scope at the call is read
    Finding callback = at(result, Rule.SL003, 10);
    assertEquals(List.of("debug-callback", "suppress"), callback.fixIds());
    FixOutcome.Applied applied = assertInstanceOf(FixOutcome.Applied.class,
        QuickFixes.apply(FixId.DEBUG_CALLBACK, callback, SourceFile::read));
    String after = applied.newSources().get(callback.file());
    assertTrue(after.contains("Debug.callback(v -> LOG.info(\"loss \" + v[0]), loss);"), after);
    FixesTest.compile(applied.newSources(), work.resolve("callback"));
    // the field 'epoch' is an int: Java text in the format, not an argument Debug.print cannot take
    Finding println = at(result, Rule.SL003, 11);
    applied = assertInstanceOf(FixOutcome.Applied.class,
        QuickFixes.apply(FixId.DEBUG_PRINT, println, SourceFile::read));
    after = applied.newSources().get(println.file());
    assertTrue(after.contains("Debug.print(\"epoch \" + epoch + \": {}\", x);"), after);
    FixesTest.compile(applied.newSources(), work.resolve("print"));
    // a parameter assigned in the method is not effectively final: the callback could not capture it
    assertEquals(List.of("suppress"), at(result, Rule.SL003, 16).fixIds());
  }
}
