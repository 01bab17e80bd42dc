package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.Stat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The programs File &gt; New &gt; StateLens Project copies into a new project
 * ({@code debugger/templates/}) compile against the engine and train as they say, recorded: so a
 * template cannot rot while the engine changes. (The workbench test NewProjectWizardTest builds them
 * in Eclipse, lints them clean and launches them.)
 */
class ProjectTemplatesTest {
  @TempDir Path dir;

  static Path templates() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path t = p.resolve("debugger/templates");
      if (Files.isDirectory(t)) {
        return t;
      }
    }
    throw new IllegalStateException("no debugger/templates above " + Path.of("").toAbsolutePath());
  }

  @Test
  void linearRegressionFitsTheTutorialsLineAndRecordsEveryStep() throws Exception {
    Path db = dir.resolve("linreg.db");
    String out = run("training.LinearRegression", db);
    Matcher fitted = Pattern.compile("fitted: weight (-?[\\d.]+), bias (-?[\\d.]+)").matcher(out);
    assertTrue(fitted.find(), out);
    assertEquals(2, Double.parseDouble(fitted.group(1)), 0.15, "y = 2x - 1 with noise 0.5: " + out);
    assertEquals(-1, Double.parseDouble(fitted.group(2)), 0.15, out);
    try (RunStore run = RunStore.open(db)) {
      assertEquals(200, run.calls("step", 0, Long.MAX_VALUE).size(), "one recorded call per step");
      assertEquals(List.of("state.params.weight", "state.params.bias"), run.graphs("step").getFirst().stateInputs(),
          "the params thread step to step (SGD's state has no leaves)");
      Series loss = run.series(run.scalar("loss").orElseThrow(), Stat.MEAN, 1000);
      assertEquals(200, loss.size(), "the step's loss output is logged as the run's loss");
      assertTrue(loss.lo()[199] < loss.lo()[0] / 10, "the loss falls: " + loss.lo()[0] + " -> " + loss.lo()[199]);
      assertTrue(run.events().isEmpty(), "no stale state, retrace or NaN: " + run.events());
    }
  }

  @Test
  void emptyStepRunsItsPlaceholderAndRecordsEveryStep() throws Exception {
    Path db = dir.resolve("empty.db");
    String out = run("training.TrainStep", db);
    Matcher estimate = Pattern.compile("estimate (-?[\\d.]+)").matcher(out);
    assertTrue(estimate.find(), out);
    assertEquals(3, Double.parseDouble(estimate.group(1)), 0.1, "the running mean of batches around 3: " + out);
    try (RunStore run = RunStore.open(db)) {
      assertEquals(100, run.calls("step", 0, Long.MAX_VALUE).size());
      assertEquals(List.of("state.estimate"), run.graphs("step").getFirst().stateInputs(), "the state threads step to step");
      assertTrue(run.events().isEmpty(), run.events().toString());
    }
  }

  /** Compiles every template, runs {@code mainClass} recorded to {@code db}, returns what it printed. */
  private String run(String mainClass, Path db) throws Exception {
    Path classes = compileTemplates();
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
        PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      Method main = loader.loadClass(mainClass).getMethod("main", String[].class);
      System.setOut(capture);
      try (Recorder r = Recorder.open(db)) {
        main.invoke(null, (Object) new String[0]);
      } finally {
        System.setOut(stdout);
      }
    }
    return printed.toString(StandardCharsets.UTF_8);
  }

  private Path compileTemplates() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.walk(templates())) {
      sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
    assertEquals(2, sources.size(), "the wizard's two templates: " + sources);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options = List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
          "-Xlint:all,-path,-processing", "-Werror");
      boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
      assertTrue(ok, "the templates compile against the engine without warnings: " + diagnostics.getDiagnostics());
    }
    return classes;
  }
}
