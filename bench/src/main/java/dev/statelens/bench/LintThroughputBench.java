package dev.statelens.bench;

import dev.statelens.lint.LintConfig;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Linter;
import dev.statelens.lint.Notice;
import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The linter's speed, single-threaded.
 * <ul>
 *   <li>{@code wholeProject}: every file of Guava's sources jar (Maven Central, copied to
 *       {@code target/lint-corpus/} by the build) linted as one project: parse, index, find
 *       transform sites, analyze. Lines/s = lines (printed at setup) / time per op. Target
 *       ≥ 100k lines/s, and every file must survive (setup fails on an internal error).</li>
 *   <li>{@code singleFileReanalysis}: an editor re-analysis of one edited 1,000-line file with
 *       jitted code in it, against an indexed project. Target ≤ 20 ms. {@code names} is an editor
 *       buffer (types matched by name); {@code bindings} is a saved file (JDT resolves types).</li>
 * </ul>
 * Run: {@code java -jar bench/target/benchmarks.jar LintThroughputBench -p corpus=PATH}.
 *
 * <p>{@link #main} is a timed harness for shared, loaded machines: it reports the analyzing
 * thread's CPU time beside wall time, since wall time there mostly measures the other load.
 * Run: {@code java -Xss4m -cp bench/target/benchmarks.jar dev.statelens.bench.LintThroughputBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LintThroughputBench {

  /** Guava's sources jar; empty = the copy the bench build makes in its target folder. */
  @Param("")
  public String corpus;

  @Param({"names", "bindings"})
  public String mode;

  /**
   * What the analyzed file compiles against: {@code engine} = the built engine jar (what the CLI's
   * {@code --classpath} and the plugin pass; JDT then resolves every call), {@code none} = nothing
   * (engine types unresolved). Only matters for {@code bindings}.
   */
  @Param({"engine", "none"})
  public String classpath;

  /**
   * What the saved edit changes (each re-analysis toggles it): {@code comment} a comment above the
   * class (no token changes), {@code body} a constant in one helper's body (one jitted step calls
   * it), {@code line} a statement added to that body (every later line moves), {@code field} a
   * field's initializer (outside every body: the full re-analysis of the file).
   */
  @Param({"comment", "body", "line", "field"})
  public String edit;

  private List<SourceFile> project;
  private long lines;
  private Linter editor;
  private SourceFile edited;
  private SourceFile editedAgain;
  private boolean saved;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    project = readJar(corpusPath(corpus));
    LintResult check = new Linter(LintConfig.defaults()).lint(project);
    lines = check.linesAnalyzed();
    for (Notice n : check.notices()) {
      if (n.message().contains("internal") || n.message().contains("parser failed")) {
        throw new IllegalStateException("the analyzer did not survive " + n.file() + ": " + n.message());
      }
    }
    System.out.printf("%ncorpus: %d files, %d lines, %d notices (syntax), %d findings%n",
        check.filesAnalyzed(), lines, check.notices().size(), check.findings().size());

    Path dir = Files.createTempDirectory("lint-bench");
    Path file = dir.resolve("demo/Model.java");
    Files.createDirectories(file.getParent());
    String text = thousandLineFile();
    Files.writeString(file, text);
    edited = new SourceFile(file, text);
    String variant = edited(text, edit);
    editedAgain = new SourceFile(file, variant);
    // bindings: a saved file (each re-analysis first writes the other version to disk, so JDT
    // reads an edit); names: an unsaved editor buffer.
    saved = mode.equals("bindings");
    editor = new Linter(LintConfig.defaults().withBindings(saved)
        .withClasspath(classpathFor(classpath)));
    LintResult first = editor.lint(List.of(edited));
    System.out.printf("1,000-line file: %d lines, %d findings%n", first.linesAnalyzed(),
        first.findings().size());
  }

  @Benchmark
  public LintResult wholeProject() {
    return new Linter(LintConfig.defaults().withBindings(mode.equals("bindings"))).lint(project);
  }

  @Setup(Level.Invocation)
  public void saveEdit() throws IOException {
    SourceFile next = editedAgain;
    editedAgain = edited;
    edited = next;
    if (saved) {
      Files.writeString(next.path(), next.content());
    }
  }

  @Benchmark
  public LintResult singleFileReanalysis() {
    return editor.update(edited);
  }

  /** Lines in the corpus, for lines/s. */
  public long lines() {
    return lines;
  }

  /** Thread-CPU-time harness: whole-project lines/s and single-file re-analysis ms. */
  public static void main(String[] args) throws IOException {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    // -Dlint.bench.rounds=0 skips the whole-project rounds (single-file numbers only)
    int rounds = Integer.getInteger("lint.bench.rounds", 8);
    List<SourceFile> project = rounds > 0 ? readJar(corpusPath(args.length > 0 ? args[0] : ""))
        : List.of();
    for (int round = 1; round <= rounds; round++) {
      long cpu = mx.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      LintResult r = new Linter(LintConfig.defaults()).lint(project);
      double cpuS = (mx.getCurrentThreadCpuTime() - cpu) / 1e9;
      double wallS = (System.nanoTime() - wall) / 1e9;
      System.out.printf("whole project, round %d: %d files, %d lines, cpu %.2f s = %.0f lines/s"
          + " (wall %.2f s = %.0f lines/s), %d notices%n", round, r.filesAnalyzed(),
          r.linesAnalyzed(), cpuS, r.linesAnalyzed() / cpuS, wallS, r.linesAnalyzed() / wallS,
          r.notices().size());
    }
    for (String edit : new String[] {"comment", "body", "line"}) {
      for (String mode : new String[] {"names", "bindings/none", "bindings/engine"}) {
        double[] ms = singleFile(mode, edit, 100, 100);
        System.out.printf("single 1,000-line file (%s, %s edit): cpu %.1f ms, wall %.1f ms per"
            + " re-analysis%n", mode, edit, ms[0], ms[1]);
      }
    }
  }

  /** The benchmark file with one edit ({@link #edit}'s values) applied. */
  static String edited(String text, String edit) {
    String helper3 = "    Array y = x.mul(3).add(weights);\n";
    String result = switch (edit) {
      case "comment" -> text.replace("// edit point", "// edit point.");
      case "body" -> text.replace(helper3, helper3.replace("mul(3)", "mul(33)"));
      case "line" -> text.replace(helper3, helper3 + "    y = y.add(0);\n");
      case "field" -> text.replace("private float scale = 0.5f;", "private float scale = 0.25f;");
      default -> throw new IllegalArgumentException(
          "edit must be comment, body, line or field: " + edit);
    };
    if (result.equals(text)) {
      throw new IllegalStateException("the " + edit + " edit did not apply");
    }
    return result;
  }

  /**
   * Mean CPU and wall milliseconds of one re-analysis of the 1,000-line file, alternating two
   * versions of it ({@code edit}: see {@link #edit}): {@code names} (an unsaved buffer), {@code bindings/none} and
   * {@code bindings/engine} (saved to disk before each re-analysis; classpath nothing or the
   * engine jar).
   */
  public static double[] singleFile(String mode, String edit, int warmup, int measured)
      throws IOException {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Path dir = Files.createTempDirectory("lint-bench");
    Path file = dir.resolve("demo/Model.java");
    Files.createDirectories(file.getParent());
    String text = thousandLineFile();
    Files.writeString(file, text);
    String variant = edited(text, edit);
    boolean bindings = mode.startsWith("bindings");
    Linter linter = new Linter(LintConfig.defaults().withBindings(bindings)
        .withClasspath(classpathFor(mode.endsWith("engine") ? "engine" : "none")));
    linter.lint(List.of(new SourceFile(file, text)));
    long cpuTotal = 0;
    long wallTotal = 0;
    for (int i = 0; i < warmup + measured; i++) {
      SourceFile next = new SourceFile(file, i % 2 == 0 ? variant : text);
      if (bindings) {
        Files.writeString(file, next.content()); // saved: JDT reads the edit from disk
      }
      long cpu = mx.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      linter.update(next);
      if (i >= warmup) {
        cpuTotal += mx.getCurrentThreadCpuTime() - cpu;
        wallTotal += System.nanoTime() - wall;
      }
    }
    return new double[] {cpuTotal / 1e6 / measured, wallTotal / 1e6 / measured};
  }

  /**
   * {@code engine}: the jar named by {@code -Dlint.bench.engineJar}, else the first engine jar of
   * this checkout's builds (engine/target*); {@code none}: nothing.
   */
  static List<Path> classpathFor(String which) throws IOException {
    if (which.equals("none")) {
      return List.of();
    }
    String given = System.getProperty("lint.bench.engineJar", "");
    if (!given.isEmpty()) {
      return List.of(Path.of(given).toAbsolutePath());
    }
    for (Path module : new Path[] {Path.of("engine"), Path.of("../engine")}) {
      if (!Files.isDirectory(module)) {
        continue;
      }
      try (var dirs = Files.list(module)) {
        for (Path dir : dirs.sorted().toList()) {
          if (!dir.getFileName().toString().startsWith("target") || !Files.isDirectory(dir)) {
            continue;
          }
          try (var jars = Files.list(dir)) {
            var jar = jars.filter(j -> j.getFileName().toString().matches(
                "statelens-engine-.*\\.jar") && !j.toString().endsWith("-sources.jar")).findFirst();
            if (jar.isPresent()) {
              return List.of(jar.get().toAbsolutePath());
            }
          }
        }
      }
    }
    throw new IllegalArgumentException("classpath=engine needs the engine jar: run "
        + "./mvnw -pl engine package -DskipTests from the repository root (or use classpath=none)");
  }

  static Path corpusPath(String given) throws IOException {
    if (!given.isEmpty()) {
      return Path.of(given);
    }
    // bench/target/lint-corpus/, or bench/target-NAME/ when built with -Dsl.target=target-NAME
    for (Path module : new Path[] {Path.of("bench"), Path.of("")}) {
      if (!Files.isDirectory(module.toAbsolutePath())) {
        continue;
      }
      try (var dirs = Files.list(module.toAbsolutePath())) {
        for (Path dir : dirs.sorted().toList()) {
          Path jar = dir.resolve("lint-corpus/guava-sources.jar");
          if (dir.getFileName().toString().startsWith("target") && Files.exists(jar)) {
            return jar;
          }
        }
      }
    }
    throw new IllegalArgumentException("no corpus: build the bench module (it copies Guava's "
        + "sources jar to bench/target/lint-corpus/) or pass -p corpus=PATH/TO/x-sources.jar");
  }

  static List<SourceFile> readJar(Path jar) throws IOException {
    List<SourceFile> files = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
        if (entry.isDirectory() || !entry.getName().endsWith(".java")) {
          continue;
        }
        try (InputStream in = zip.getInputStream(entry)) {
          files.add(new SourceFile(Path.of("/corpus", entry.getName()),
              new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + entry.getName() + " in " + jar, e);
        }
      }
    }
    return files;
  }

  /**
   * A 1,000-line model class: fields, helpers, and jitted steps (some with side effects) that
   * call the helpers, so re-analysis does real interprocedural work.
   */
  static String thousandLineFile() {
    StringBuilder s = new StringBuilder("""
        package demo;

        import dev.statelens.engine.Array;
        import dev.statelens.engine.Transforms;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.function.Function;

        // edit point
        public class Model {
          private Array weights = Array.scalar(1);
          private float scale = 0.5f;
          private final List<String> log = new ArrayList<>();
          private int calls;

        """);
    int i = 0;
    while (s.chars().filter(c -> c == '\n').count() < 990) {
      s.append("  Array helper").append(i).append("(Array x) {\n")
          .append("    Array y = x.mul(").append(i).append(").add(weights);\n")
          .append("    if (y.shape().length > 1) {\n")
          .append("      y = y.sum();\n")
          .append("    }\n")
          .append(i % 7 == 0 ? "    calls++;\n" : "    y = y.neg();\n")
          .append("    return y.mul(scale);\n")
          .append("  }\n\n")
          .append("  Function<Array, Array> step").append(i).append("() {\n")
          .append("    return Transforms.jit((Array x) -> {\n")
          .append("      Array h = helper").append(i).append("(x);\n")
          .append(i % 5 == 0 ? "      log.add(\"step\");\n" : "      h = h.add(1);\n")
          .append("      return helper").append(i).append("(h);\n")
          .append("    });\n")
          .append("  }\n\n");
      i++;
    }
    s.append("  void setScale(float s) {\n    scale = s;\n  }\n}\n");
    return s.toString();
  }
}
