package dev.statelens.lint.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.lint.Finding;
import dev.statelens.lint.LintConfig;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Linter;
import dev.statelens.lint.Rule;
import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the real engine: "convert to explicit state" applied to the examples' Counter
 * and CounterExample, compiled against the engine jar built beside this module, makes the
 * jitted loop count 1, 2, 3 instead of 1, 1, 1. Skipped (with the reason) when the examples or
 * a built engine jar are not there, e.g. when lint is built alone.
 */
class ExplicitStateOnRealEngineTest {

  private static final Path EXAMPLES = Path.of("../examples/src/main/java/dev/statelens/examples");
  private static final List<String> FILES =
      List.of("Counter.java", "CounterExample.java", "CounterV2.java", "Format.java");

  /** The newest {@code engine/target* /statelens-engine-*.jar} (any -Dsl.target folder). */
  static Optional<Path> engineJar() throws IOException {
    Path engine = Path.of("../engine");
    if (!Files.isDirectory(engine)) {
      return Optional.empty();
    }
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(engine)) {
      for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("target")).toList()) {
        try (Stream<Path> files = Files.list(dir)) {
          files.filter(f -> f.getFileName().toString().matches("statelens-engine-[^-]+(-SNAPSHOT)?\\.jar"))
              .forEach(jars::add);
        }
      }
    }
    return jars.stream().max(Comparator.comparing(p -> p.toFile().lastModified()));
  }

  @Test
  void fixedCounterCountsOneTwoThreeUnderJit(@TempDir Path work) throws Exception {
    assumeTrue(Files.isDirectory(EXAMPLES), "examples/ is not beside lint/");
    Optional<Path> jar = engineJar();
    assumeTrue(jar.isPresent(), "no built engine jar under engine/target*/ (build engine first)");
    Path src = Files.createDirectories(work.resolve("src"));
    for (String name : FILES) {
      assumeTrue(Files.exists(EXAMPLES.resolve(name)), "examples changed: no " + name);
      Files.copy(EXAMPLES.resolve(name), src.resolve(name));
    }
    StringWriter before = new StringWriter();
    assumeTrue(compile(src, work.resolve("before"), jar.get(), before),
        "the engine jar " + jar.get() + " does not fit the examples as they are (stale build?):\n"
            + before);
    LintResult result = Linter.lintPaths(List.of(src), LintConfig.defaults());
    Finding counter = result.findings().stream()
        .filter(f -> f.rule() == Rule.SL001 && f.file().endsWith("Counter.java"))
        .findFirst().orElseThrow(() -> new AssertionError(result.findings().toString()));
    FixOutcome outcome = QuickFixes.apply(FixId.EXPLICIT_STATE, counter, SourceFile::read);
    FixOutcome.Applied applied = (FixOutcome.Applied) outcome;
    assertEquals(2, applied.newSources().size(), "Counter.java and CounterExample.java");
    for (var e : applied.newSources().entrySet()) {
      Files.writeString(e.getKey(), e.getValue());
    }

    StringWriter messages = new StringWriter();
    Path classes = work.resolve("classes");
    boolean ok = compile(src, classes, jar.get(), messages);
    assertTrue(ok, "the fixed examples do not compile against " + jar.get() + ":\n" + messages);

    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {classes.toUri().toURL(), jar.get().toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> example = loader.loadClass("dev.statelens.examples.CounterExample");
      Object run = example.getMethod("run", int.class).invoke(null, 3);
      Object jitted = run.getClass().getMethod("jittedStateful").invoke(run);
      assertEquals(List.of(1.0, 2.0, 3.0), jitted, "the converted counter threads its state");
    }
  }

  /**
   * The jitted lambda kept in a local (the wizard's training-loop shape, fixture
   * {@code fixes/ExplicitLambda.java}): under the real jit the field write runs once, so the loop
   * adds 1 each step (1, 2, 3); converted, the count goes through the state and it adds 1, 2, 3
   * (1, 3, 6) as it does eagerly.
   */
  @Test
  void fixedJittedLambdaThreadsItsStateUnderTheRealJit(@TempDir Path work) throws Exception {
    Optional<Path> jar = engineJar();
    assumeTrue(jar.isPresent(), "no built engine jar under engine/target*/ (build engine first)");
    Path src = Files.createDirectories(work.resolve("src"));
    Path file = Files.copy(FixesTest.resource("fixes/ExplicitLambda.java"), src.resolve("ExplicitLambda.java"));
    assertEquals(List.of(1f, 2f, 3f), compileAndRun(src, work.resolve("before"), jar.get()),
        "the stateful step under jit: the write ran once, at trace time");

    LintResult result = Linter.lintPaths(List.of(src), LintConfig.defaults());
    Finding write = result.findings().stream().filter(f -> f.rule() == Rule.SL001).findFirst()
        .orElseThrow(() -> new AssertionError(result.findings().toString()));
    var applied = (FixOutcome.Applied) QuickFixes.apply(FixId.EXPLICIT_STATE, write, SourceFile::read);
    Files.writeString(file, applied.newSources().get(file));
    assertEquals(List.of(1f, 3f, 6f), compileAndRun(src, work.resolve("after"), jar.get()),
        "converted: the count is threaded through the state");
  }

  @SuppressWarnings("unchecked")
  private static List<Float> compileAndRun(Path src, Path classes, Path jar) throws Exception {
    StringWriter messages = new StringWriter();
    assertTrue(compile(src, classes, jar, messages), "does not compile against " + jar + ":\n" + messages);
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {classes.toUri().toURL(), jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      var run = loader.loadClass("ExplicitLambda").getDeclaredMethod("run");
      run.setAccessible(true);
      return (List<Float>) run.invoke(null);
    }
  }

  /** Compiles every {@code .java} file under {@code src} (subfolders too) against the engine jar. */
  static boolean compile(Path src, Path classes, Path engineJar, StringWriter messages)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    try (var fm = javac.getStandardFileManager(null, null, null);
        Stream<Path> sources = Files.walk(src)) {
      return javac.getTask(messages, fm, null,
          List.of("-d", classes.toString(), "-cp", engineJar.toString(), "-proc:none", "-Xlint:none"),
          null, fm.getJavaFileObjectsFromPaths(sources.filter(p -> p.toString().endsWith(".java")).toList()))
          .call();
    }
  }
}
