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
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quick fixes: source → expected source (golden files {@code fixes/X.java.fixed}), the result
 * compiles against a stub of the engine API ({@code engine-stub/}), and where the fixture has a
 * {@code run()} the fixed program behaves (the counter counts 1, 2, 3). Regenerate goldens with
 * {@code -Dlint.golden.update=true} and review the diff.
 */
class FixesTest {

  @TempDir Path work;

  static Path resource(String name) {
    try {
      return Path.of(FixesTest.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Finding only(LintResult result, Rule rule, int line) {
    return result.findings().stream()
        .filter(f -> f.rule() == rule && (line == 0 || f.range().line() == line))
        .findFirst().orElseThrow(() -> new AssertionError("no " + rule + " at " + line + " in "
            + result.findings()));
  }

  /** The n-th finding of a rule (0-based). */
  private static Finding nth(LintResult result, Rule rule, int n) {
    return result.findings().stream().filter(f -> f.rule() == rule).skip(n).findFirst()
        .orElseThrow(() -> new AssertionError("no " + rule + " #" + n + " in " + result.findings()));
  }

  private static FixOutcome.Applied fix(FixId fix, Finding finding) {
    FixOutcome outcome = QuickFixes.apply(fix, finding, SourceFile::read);
    if (outcome instanceof FixOutcome.NotApplicable na) {
      throw new AssertionError("not applicable: " + na.reason());
    }
    return (FixOutcome.Applied) outcome;
  }

  /** Compares with the golden file next to the input (or rewrites it in update mode). */
  private static void assertGolden(Path input, String actual) throws IOException {
    Path golden = input.resolveSibling(input.getFileName() + ".fixed");
    if (Boolean.getBoolean("lint.golden.update")) {
      String relative = resource("fixes").relativize(input).toString();
      Files.writeString(Path.of("src/test/resources/fixes", relative + ".fixed"), actual);
      return;
    }
    assertEquals(Files.readString(golden), actual, "fixed " + input.getFileName());
  }

  /** Compiles sources (plus the engine stub) into {@code out}; fails with javac's messages. */
  static void compile(Map<Path, String> sources, Path out) throws IOException {
    Path srcDir = Files.createDirectories(out.resolve("src"));
    List<String> files = new ArrayList<>();
    for (Map.Entry<Path, String> e : sources.entrySet()) {
      Path target = srcDir.resolve(e.getKey().getFileName().toString());
      Files.writeString(target, e.getValue());
      files.add(target.toString());
    }
    try (Stream<Path> stub = Files.walk(resource("engine-stub"))) {
      stub.filter(p -> p.toString().endsWith(".java")).forEach(p -> files.add(p.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter messages = new StringWriter();
    List<String> options = List.of("-d", out.resolve("classes").toString(), "-proc:none",
        "-Xlint:none");
    boolean ok;
    try (var fileManager = javac.getStandardFileManager(null, null, null)) {
      ok = javac.getTask(messages, fileManager, null, options, null,
          fileManager.getJavaFileObjectsFromStrings(files)).call();
    }
    assertTrue(ok, "the fixed source does not compile:\n" + messages + "\n" + sources.values());
  }

  @SuppressWarnings("unchecked")
  static List<Float> run(Path out, String className, boolean isStatic) throws Exception {
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {out.resolve("classes").toUri().toURL()}, FixesTest.class.getClassLoader())) {
      Class<?> type = loader.loadClass(className);
      Method run = type.getDeclaredMethod("run");
      run.setAccessible(true);
      Object target = null;
      if (!isStatic) {
        var ctor = type.getDeclaredConstructor();
        ctor.setAccessible(true);
        target = ctor.newInstance();
      }
      return (List<Float>) run.invoke(target);
    }
  }

  @Test
  void explicitStateConvertsTheSeedCounterAndItCountsOneTwoThree() throws Exception {
    Path input = resource("fixes/ExplicitCounter.java");
    compile(Map.of(input, Files.readString(input)), work.resolve("before"));
    assertEquals(List.of(1f, 2f, 3f), run(work.resolve("before"), "ExplicitCounter", true),
        "the stub jit is eager, so the stateful counter counts before the fix too");

    LintResult result = Linter.lintPaths(List.of(input), LintConfig.defaults());
    FixOutcome.Applied applied = fix(FixId.EXPLICIT_STATE, only(result, Rule.SL001, 13));
    String fixed = applied.newSources().get(input);
    assertGolden(input, fixed);
    compile(applied.newSources(), work.resolve("after"));
    assertEquals(List.of(1f, 2f, 3f), run(work.resolve("after"), "ExplicitCounter", true));
    assertTrue(applied.label().startsWith("Convert ExplicitCounter.count to explicit state"));

    // The converted code has no SL001 left.
    Path again = Files.writeString(work.resolve("ExplicitCounter.java"), fixed);
    LintResult after = Linter.lintPaths(List.of(again), LintConfig.defaults());
    assertTrue(after.findings().stream().noneMatch(f -> f.rule() == Rule.SL001), after.findings()::toString);
  }

  @Test
  void explicitStateWithAnArgumentAndTwoFields() throws Exception {
    Path input = resource("fixes/ExplicitStep.java");
    LintResult result = Linter.lintPaths(List.of(input), LintConfig.defaults());
    FixOutcome.Applied applied = fix(FixId.EXPLICIT_STATE, only(result, Rule.SL001, 14));
    assertGolden(input, applied.newSources().get(input));
    compile(applied.newSources(), work);
    // total: 1, 3, 6; steps: 1, 2, 3 → 1, 6, 18
    assertEquals(List.of(1f, 6f, 18f), run(work, "ExplicitStep", false));
  }

  @Test
  void explicitStateConvertsAJittedLambdaKeptInALocal() throws Exception {
    Path input = resource("fixes/ExplicitLambda.java");
    LintResult result = Linter.lintPaths(List.of(input), LintConfig.defaults());
    Finding write = only(result, Rule.SL001, 13);
    assertEquals(List.of("explicit-state", "suppress"), write.fixIds());
    FixOutcome.Applied applied = fix(FixId.EXPLICIT_STATE, write);
    String fixed = applied.newSources().get(input);
    assertGolden(input, fixed);
    compile(applied.newSources(), work);
    // calls: 1, 2, 3 threaded through the state; w: 1, 3, 6
    assertEquals(List.of(1f, 3f, 6f), run(work, "ExplicitLambda", true));
    assertEquals("Convert the jitted step to explicit state (StepState)", applied.label());

    Path again = Files.writeString(work.resolve("ExplicitLambda.java"), fixed);
    LintResult after = Linter.lintPaths(List.of(again), LintConfig.defaults());
    assertTrue(after.findings().stream().noneMatch(f -> f.rule() == Rule.SL001), after.findings()::toString);
  }

  /** The same loop with {@code var step} and an expression lambda: no type to rewrite, a block made. */
  @Test
  void explicitStateConvertsAVarLocalsExpressionLambda() throws Exception {
    String source = Files.readString(resource("fixes/ExplicitLambda.java"))
        .replace("BiFunction<Array, Array, Array> step", "var step")
        .replace("""
            (Array w, Array x) -> {
                  calls = calls.add(1);
                  return w.add(x.mul(calls));
                });""", "(Array w, Array x) -> w.add(x.mul(calls = calls.add(1))));");
    assertTrue(source.contains("var step") && source.contains("w.add(x.mul(calls = calls.add(1)))"), source);
    Path input = Files.writeString(work.resolve("ExplicitLambda.java"), source);
    LintResult result = Linter.lintPaths(List.of(input), LintConfig.defaults());
    FixOutcome.Applied applied = fix(FixId.EXPLICIT_STATE, only(result, Rule.SL001, 0));
    String fixed = applied.newSources().get(input);
    assertTrue(fixed.contains("var step = Transforms.jit(\"step\", (StepState state, Array w, Array x) -> {"), fixed);
    assertTrue(fixed.contains("return Pair.of(w.add(x.mul(calls = calls.add(1))), new StepState(calls));"), fixed);
    compile(applied.newSources(), work.resolve("out"));
    assertEquals(List.of(1f, 3f, 6f), run(work.resolve("out"), "ExplicitLambda", true));
  }

  @Test
  void explicitStateAcrossFilesEditsTheJitCallSite() throws Exception {
    Path dir = resource("fixes/twofiles");
    LintResult result = Linter.lintPaths(List.of(dir), LintConfig.defaults());
    FixOutcome.Applied applied = fix(FixId.EXPLICIT_STATE, only(result, Rule.SL001, 9));
    assertEquals(2, applied.newSources().size(), "Counter.java and Main.java change");
    for (Map.Entry<Path, String> e : applied.newSources().entrySet()) {
      assertGolden(e.getKey(), e.getValue());
    }
    compile(applied.newSources(), work);
    assertEquals(List.of(1f, 2f, 3f), run(work, "demo.Main", true));
  }

  @Test
  void debugPrintReplacesConsoleOutput() throws Exception {
    Path input = resource("fixes/PrintAndRandom.java");
    LintResult result = Linter.lintPaths(List.of(input), LintConfig.defaults());
    FixOutcome.Applied println = fix(FixId.DEBUG_PRINT, nth(result, Rule.SL003, 0));
    assertTrue(println.newSources().get(input)
        .contains("Debug.print(\"x = {}, doubled = {}\", x, x.mul(2));"));
    assertTrue(println.newSources().get(input).contains("import dev.statelens.engine.Debug;"));
    compile(println.newSources(), work.resolve("println"));

    FixOutcome.Applied printf = fix(FixId.DEBUG_PRINT, nth(result, Rule.SL003, 1));
    assertTrue(printf.newSources().get(input).contains("Debug.print(\"step {}\", x);"),
        printf.newSources().get(input));
  }

  @Test
  void debugCallbackMovesALoggerCallIntoTheCallback() throws Exception {
    Path input = resource("fixes/LogStep.java");
    LintResult result = Linter.lintPaths(List.of(input), LintConfig.defaults());
    Finding log = only(result, Rule.SL003, 17);
    assertEquals(List.of("debug-callback", "suppress"), log.fixIds());
    assertTrue(log.message().contains("Debug.callback(v -> ..., arrays)"), log.message());
    FixOutcome.Applied applied = fix(FixId.DEBUG_CALLBACK, log);
    String fixed = applied.newSources().get(input);
    assertGolden(input, fixed);
    assertTrue(fixed.contains("Debug.callback(v -> logger.info(label + \" \" + v[0] + \" at x=\" + v[1].item()), loss, x);"),
        fixed);
    assertEquals("Run it in Debug.callback on the run-time values of loss, x", applied.label());
    compile(applied.newSources(), work);
    // the stub jit is eager: two steps from x = 2 log the losses 4 and 4 (x: 2 -> -2 -> -6)
    assertEquals(List.of(4f, 4f), run(work, "LogStep", true));
    Path again = Files.writeString(work.resolve("LogStep.java"), fixed);
    assertTrue(Linter.lintPaths(List.of(again), LintConfig.defaults()).findings().stream()
        .noneMatch(f -> f.rule() == Rule.SL003), "no I/O left in the traced code");
  }

  @Test
  void debugCallbackWrapsAFileWriteAndIsNotListedForACapturedCounter() throws Exception {
    Path input = resource("fixes/WriteStep.java");
    LintResult result = Linter.lintPaths(List.of(input), LintConfig.defaults());
    FixOutcome.Applied applied = fix(FixId.DEBUG_CALLBACK, only(result, Rule.SL003, 16));
    assertGolden(input, applied.newSources().get(input));
    compile(applied.newSources(), work);
    // 'count' is assigned elsewhere, so the callback's lambda could not capture it: not listed
    Finding captured = only(result, Rule.SL003, 19);
    assertEquals(List.of("suppress"), captured.fixIds());
    FixOutcome outcome = QuickFixes.apply(FixId.DEBUG_CALLBACK, captured, SourceFile::read);
    assertInstanceOf(FixOutcome.NotApplicable.class, outcome);
  }

  @Test
  void keyParameterReplacesMathRandom() throws Exception {
    Path input = resource("fixes/PrintAndRandom.java");
    LintResult result = Linter.lintPaths(List.of(input), LintConfig.defaults());
    FixOutcome.Applied applied = fix(FixId.KEY_PARAMETER, only(result, Rule.SL004, 0));
    String fixed = applied.newSources().get(input);
    assertTrue(fixed.contains("Array noisy(Array x, Key key) {"), fixed);
    assertTrue(fixed.contains("Array noise = Random.uniform(key);"), fixed);
    assertTrue(fixed.contains("import dev.statelens.engine.Key;"), fixed);
    compile(applied.newSources(), work);
  }

  @Test
  void keyParameterIsNotListedInsideALambda() throws IOException {
    Path input = dev.statelens.lint.FixturesAccess.fixture("Sl004Randomness.java");
    LintResult result = Linter.lintPaths(List.of(input), LintConfig.defaults());
    Finding inLambda = only(result, Rule.SL004, 15);
    assertEquals(List.of("suppress"), inLambda.fixIds(), "a lambda's parameters are fixed by its interface");
    FixOutcome outcome = QuickFixes.apply(FixId.KEY_PARAMETER, inLambda, SourceFile::read);
    FixOutcome.NotApplicable na = assertInstanceOf(FixOutcome.NotApplicable.class, outcome);
    assertTrue(na.reason().contains("not offered"), na.reason());
  }

  @Test
  void suppressAnnotatesTheMethodOrTheLocalAroundTheFinding() throws Exception {
    Path input = resource("fixes/PrintAndRandom.java");
    LintResult result = Linter.lintPaths(List.of(input), LintConfig.defaults());
    FixOutcome.Applied first = fix(FixId.SUPPRESS, nth(result, Rule.SL003, 0));
    String once = first.newSources().get(input);
    assertTrue(once.contains("  /** One noisy step. */\n  @SuppressWarnings(\"statelens:SL003\")\n  Array noisy("),
        once);
    compile(first.newSources(), work.resolve("once"));
    Path step = Files.writeString(work.resolve("PrintAndRandom.java"), once);
    LintResult again = Linter.lintPaths(List.of(step), LintConfig.defaults());
    assertTrue(again.findings().stream().noneMatch(f -> f.rule() == Rule.SL003), "both prints");
    FixOutcome.Applied second = fix(FixId.SUPPRESS, only(again, Rule.SL004, 0));
    String twice = second.newSources().get(step);
    assertTrue(twice.contains("    @SuppressWarnings(\"statelens:SL004\")\n    double noise = Math.random();"),
        twice);
    compile(second.newSources(), work.resolve("twice"));
  }

  @Test
  void suppressExtendsAnExistingSuppressWarnings() throws Exception {
    Path input = Files.writeString(work.resolve("Existing.java"), """
        import dev.statelens.engine.Array;
        import dev.statelens.engine.Transforms;
        class Existing {
          int calls;

          @SuppressWarnings("unchecked")
          Array step(Array x) {
            calls++;
            return x;
          }

          Object jitted() {
            return Transforms.jit(this::step);
          }
        }
        """);
    LintResult result = Linter.lintPaths(List.of(input), LintConfig.defaults());
    FixOutcome.Applied applied = fix(FixId.SUPPRESS, only(result, Rule.SL001, 8));
    String fixed = applied.newSources().get(input);
    assertTrue(fixed.contains("@SuppressWarnings({\"unchecked\", \"statelens:SL001\"})\n  Array step("),
        fixed);
    Path again = Files.writeString(work.resolve("Existing.java"), fixed);
    assertTrue(Linter.lintPaths(List.of(again), LintConfig.defaults()).findings().isEmpty());
    FixOutcome twice = QuickFixes.apply(FixId.SUPPRESS, only(result, Rule.SL001, 8),
        p -> new SourceFile(p, fixed));
    assertInstanceOf(FixOutcome.NotApplicable.class, twice, "already suppressed");
  }

  @Test
  void aFixNotOfferedForTheRuleIsRefused() throws IOException {
    Path input = resource("fixes/PrintAndRandom.java");
    LintResult result = Linter.lintPaths(List.of(input), LintConfig.defaults());
    FixOutcome outcome = QuickFixes.apply(FixId.EXPLICIT_STATE, nth(result, Rule.SL003, 0),
        SourceFile::read);
    assertInstanceOf(FixOutcome.NotApplicable.class, outcome);
  }
}
