package dev.statelens.bench;

import dev.statelens.lint.LintConfig;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Linter;
import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lint as you type on a large file, and on a project written as a JAX user would write it.
 * <ul>
 *   <li>{@code typeInLargeFile}: the editor's re-analysis of a generated 5,000-line model class
 *       (about 300 jitted steps calling helpers, key-splitting samplers, side effects here and
 *       there) after an edit inside one helper's body: by names an unsaved buffer (what the
 *       plugin analyzes while typing), with bindings a save (the file is written first).</li>
 *   <li>{@code lintLargeFile}: a fresh lint of that file (parse, index, analyze every call).</li>
 *   <li>{@code lintWildCorpus}: a fresh lint of the wild corpus ({@code
 *       lint/src/test/resources/wild/src}: six files, three packages) as one project.</li>
 * </ul>
 * Run: {@code java -jar bench/target/benchmarks.jar LintLargeFileBench}; on a loaded machine the
 * CPU-time harness: {@code java -Xss4m -cp bench/target/benchmarks.jar
 * dev.statelens.bench.LintLargeFileBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LintLargeFileBench {

  /** {@code names}: editor buffers, types by name; {@code bindings}: JDT resolves against the JDK. */
  @Param({"names", "bindings"})
  public String mode;

  private SourceFile large;
  private SourceFile largeEdited;
  private Linter editor;
  private boolean flip;
  private List<SourceFile> wild;

  @Setup
  public void setup() throws IOException {
    Path file = Files.createTempDirectory("lint-large").resolve("demo/BigModel.java");
    Files.createDirectories(file.getParent());
    // -Dlint.bench.lines=N: another size, to see how the cost grows with the file
    String text = largeFile(Integer.getInteger("lint.bench.lines", 5_000));
    Files.writeString(file, text);
    large = new SourceFile(file, text);
    largeEdited = new SourceFile(file, edited(text));
    editor = new Linter(config());
    LintResult first = editor.lint(List.of(large));
    wild = wildCorpus();
    LintResult corpus = new Linter(config()).lint(wild);
    System.out.printf("%ngenerated file: %d lines, %d findings; wild corpus: %d files, %d lines,"
        + " %d findings%n", first.linesAnalyzed(), first.findings().size(), corpus.filesAnalyzed(),
        corpus.linesAnalyzed(), corpus.findings().size());
  }

  private LintConfig config() {
    return LintConfig.defaults().withBindings(mode.equals("bindings"));
  }

  @Benchmark
  public LintResult typeInLargeFile() throws IOException {
    flip = !flip;
    SourceFile next = flip ? largeEdited : large;
    if (mode.equals("bindings")) {
      Files.writeString(next.path(), next.content()); // a save: JDT reads the file from disk
    }
    return editor.update(next);
  }

  @Benchmark
  public LintResult lintLargeFile() {
    return new Linter(config()).lint(List.of(large));
  }

  @Benchmark
  public LintResult lintWildCorpus() {
    return new Linter(config()).lint(wild);
  }

  /** CPU-time harness: mean CPU and wall ms of each measurement, by names and with bindings. */
  public static void main(String[] args) throws IOException {
    int rounds = Integer.getInteger("lint.bench.rounds", 30);
    for (String mode : System.getProperty("lint.bench.modes", "names,bindings").split(",")) {
      LintLargeFileBench b = new LintLargeFileBench();
      b.mode = mode;
      b.setup();
      Runnable type = () -> {
        try {
          b.typeInLargeFile();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
      String typeName = mode.equals("names") ? "type in the 5,000-line file (update)"
          : "save an edit of the 5,000-line file";
      if (Boolean.getBoolean("lint.bench.interleave")) {
        // update against a fresh lint on equal terms: the same warm-up, rounds taken in turns,
        // so neither profits from the other's JIT warm-up or a quieter minute of the machine
        interleave(mode, rounds, typeName, type, "lint the 5,000-line file", b::lintLargeFile);
        continue;
      }
      report(mode, typeName, rounds, type);
      report(mode, "lint the 5,000-line file", rounds / 3 + 1, b::lintLargeFile);
      report(mode, "lint the wild corpus", rounds, b::lintWildCorpus);
    }
  }

  /** Two measurements taken in turns, each with {@code rounds} warm-up and measured runs. */
  private static void interleave(String mode, int rounds, String whatA, Runnable a, String whatB, Runnable b) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < rounds; i++) {
      a.run();
      b.run();
    }
    long[][] cpu = new long[2][rounds];
    for (int i = 0; i < rounds; i++) {
      for (int k = 0; k < 2; k++) {
        Runnable op = (i + k) % 2 == 0 ? a : b; // alternate which goes first
        long before = mx.getCurrentThreadCpuTime();
        op.run();
        cpu[op == a ? 0 : 1][i] = mx.getCurrentThreadCpuTime() - before;
      }
    }
    for (int k = 0; k < 2; k++) {
      java.util.Arrays.sort(cpu[k]);
      System.out.printf("%-8s %-40s cpu median %7.2f ms, mean %7.2f ms (%d runs, interleaved)%n", mode,
          k == 0 ? whatA : whatB, cpu[k][rounds / 2] / 1e6,
          java.util.Arrays.stream(cpu[k]).average().orElse(0) / 1e6, rounds);
    }
  }

  private static void report(String mode, String what, int rounds, Runnable op) {
    // -Dlint.bench.only=WORD: only the measurements whose name contains it (for a profiler)
    if (!what.contains(System.getProperty("lint.bench.only", ""))) {
      return;
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < rounds; i++) {
      op.run(); // warm-up
    }
    long[] cpu = new long[rounds];
    long wall = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      long before = mx.getCurrentThreadCpuTime();
      op.run();
      cpu[i] = mx.getCurrentThreadCpuTime() - before;
    }
    double wallMs = (System.nanoTime() - wall) / 1e6 / rounds;
    java.util.Arrays.sort(cpu);
    System.out.printf("%-8s %-40s cpu median %7.2f ms, mean %7.2f ms; wall mean %8.2f ms (%d runs)%n",
        mode, what, cpu[rounds / 2] / 1e6, java.util.Arrays.stream(cpu).average().orElse(0) / 1e6,
        wallMs, rounds);
  }

  /** The edit: one constant in one helper's body (a keystroke in the middle of the file). */
  static String edited(String text) {
    String line = "    Array y = x.mul(77).add(weights);\n";
    if (!text.contains(line)) {
      throw new IllegalStateException("the edit point is missing");
    }
    return text.replace(line, line.replace("mul(77)", "mul(770)"));
  }

  /**
   * A model class of about {@code lines} lines: per block a helper, a jitted step calling it
   * (some with a field write or an outer mutation), and every third block a sampler that splits
   * its key and draws (some draw twice from one key: SL010), so every rule's pass has work.
   */
  static String largeFile(int lines) {
    StringBuilder s = new StringBuilder("""
        package demo;

        import dev.statelens.engine.Array;
        import dev.statelens.engine.Key;
        import dev.statelens.engine.Random;
        import dev.statelens.engine.Transforms;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.function.Function;

        public class BigModel {
          private Array weights = Array.scalar(1);
          private float scale = 0.5f;
          private final List<String> log = new ArrayList<>();
          private int calls;

        """);
    int i = 0;
    while (s.chars().filter(c -> c == '\n').count() < lines - 10) {
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
      if (i % 3 == 0) {
        s.append("  Array sample").append(i).append("(Key key, Array x) {\n")
            .append("    var ks = Random.split(key);\n")
            .append("    Array a = helper").append(i).append("(x).add(Random.normal(ks.first(), 3));\n")
            .append(i % 9 == 0 ? "    return a.add(Random.uniform(ks.first(), 3));\n"
                : "    return a.add(Random.uniform(ks.second(), 3));\n")
            .append("  }\n\n");
      }
      i++;
    }
    s.append("  void setScale(float s) {\n    scale = s;\n  }\n}\n");
    return s.toString();
  }

  /** The wild corpus's files, from the repository root or the bench folder. */
  static List<SourceFile> wildCorpus() throws IOException {
    for (Path root : new Path[] {Path.of("lint/src/test/resources/wild/src"),
        Path.of("../lint/src/test/resources/wild/src")}) {
      if (Files.isDirectory(root)) {
        List<SourceFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
          for (Path p : walk.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
            files.add(SourceFile.read(p.toAbsolutePath()));
          }
        }
        return files;
      }
    }
    throw new IllegalStateException("run from the repository root: no lint/src/test/resources/wild/src");
  }
}
