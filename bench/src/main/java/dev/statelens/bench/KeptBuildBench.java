package dev.statelens.bench;

import dev.statelens.lint.LintConfig;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Linter;
import dev.statelens.lint.source.SourceFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the IDE's kept linter ({@code Linter.updateAll}) costs after a save and for Ctrl+1, before
 * and after it analyzed only the files whose transform calls reach the change. The project is the
 * plugin's {@code KeptLinterCostTest} one: the 1,000-line {@code Model.java} of
 * {@link LintThroughputBench} (61 jitted lambdas) and 19 helpers {@code UtilK} of ~40 lines (every
 * third jits a lambda calling into the next one), the engine jar on the classpath.
 *
 * <p>Per scenario, two linters take the same edits in the same thread, alternating: "before"
 * calls {@code forgetBindings()} first, which makes {@code updateAll} analyze every call on a
 * fresh batch binding parse (what it did for every save before); "after" is the plain call.
 * Findings are compared during warm-up. Thread CPU time, median (p25, min).
 *
 * <pre>java -Xss4m -Dlint.bench.engineJar=engine/target/statelens-engine-0.1.0-SNAPSHOT.jar \
 *   -cp bench/target/benchmarks.jar dev.statelens.bench.KeptBuildBench [ROUNDS] [WARMUP]</pre>
 */
public final class KeptBuildBench {

  private KeptBuildBench() {}

  interface Step {
    /** Brings the disk and the buffer to version {@code i % 2}; returns the changed files. */
    List<SourceFile> files(int i) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    Path dir = Files.createTempDirectory("kept-build");
    Map<Path, String> files = new LinkedHashMap<>();
    String model = LintThroughputBench.thousandLineFile().replace("package bench;", "package demo;");
    files.put(dir.resolve("demo/Model.java"), model);
    for (int k = 0; k < 19; k++) {
      files.put(dir.resolve("demo/Util" + k + ".java"), util(k));
    }
    for (Map.Entry<Path, String> e : files.entrySet()) {
      Files.createDirectories(e.getKey().getParent());
      Files.writeString(e.getKey(), e.getValue());
    }
    LintConfig config = LintConfig.defaults().withBindings(true)
        .withClasspath(LintThroughputBench.classpathFor("engine"));
    int lines = files.values().stream().mapToInt(t -> t.split("\n").length).sum();
    System.out.printf("Kept linter after a save / for Ctrl+1: %d files, %d lines, %d rounds after"
        + " %d warm-up, classpath %s%n", files.size(), lines, rounds, warmup, config.classpath());

    Path util5 = dir.resolve("demo/Util5.java");
    String u5 = files.get(util5);
    String[] fieldWrite = {u5, u5.replace("    Array y = x.mul(5).add(bias);\n",
        "    Array y = x.mul(5).add(bias);\n    bias = y;\n")};
    measure("save: a field write added to/removed from Util5 (reached from Util4's jit)", files,
        config, rounds, warmup, i -> List.of(save(util5, fieldWrite[i % 2])));

    Path modelPath = dir.resolve("demo/Model.java");
    String helper3 = "    Array y = x.mul(3).add(weights);\n";
    String helper8 = "    Array y = x.mul(8).add(weights);\n";
    String[] twoBodies = {model, model.replace(helper3, helper3.replace("mul(3)", "mul(33)"))
        .replace(helper8, helper8.replace("mul(8)", "mul(88)"))};
    measure("save: two bodies of Model.java (1,000 lines) changed", files, config, rounds, warmup,
        i -> List.of(save(modelPath, twoBodies[i % 2])));
    String[] twoUtilBodies = {u5, u5.replace("x.mul(5)", "x.mul(55)").replace("x.mul(6)", "x.mul(66)")};
    measure("save: two bodies of Util5 changed", files, config, rounds, warmup,
        i -> List.of(save(util5, twoUtilBodies[i % 2])));

    // Ctrl+1 on Model.java's unsaved buffer (a body edited): before = a whole-project lint of the
    // buffer and the disk (ProjectAnalysis.runWithBuffer), after = the kept linter's update
    save(modelPath, model);
    String[] buffers = {model.replace(helper3, helper3.replace("mul(3)", "mul(34)")),
        model.replace(helper3, helper3.replace("mul(3)", "mul(35)"))};
    ctrl1("Ctrl+1 on Model.java's unsaved buffer (one body edited since the last analysis)", files,
        config, rounds, warmup, modelPath, buffers);
  }

  private static SourceFile save(Path file, String text) throws Exception {
    Files.writeString(file, text);
    return new SourceFile(file, text);
  }

  private static List<SourceFile> disk(Map<Path, String> files) throws Exception {
    List<SourceFile> out = new ArrayList<>();
    for (Path p : files.keySet()) {
      out.add(SourceFile.read(p));
    }
    return out;
  }

  private static void measure(String what, Map<Path, String> files, LintConfig config, int rounds,
      int warmup, Step step) throws Exception {
    Linter before = new Linter(config);
    Linter after = new Linter(config);
    before.lint(disk(files));
    after.lint(disk(files));
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[] b = new double[rounds];
    double[] a = new double[rounds];
    int narrowed = 0;
    for (int i = 0; i < warmup + rounds; i++) {
      List<SourceFile> changed = step.files(i);
      long t0 = mx.getCurrentThreadCpuTime();
      before.forgetBindings();
      LintResult rb = before.updateAll(changed);
      long t1 = mx.getCurrentThreadCpuTime();
      LintResult ra = after.updateAll(changed);
      long t2 = mx.getCurrentThreadCpuTime();
      if (i < warmup) {
        if (!rb.findings().equals(ra.findings())) {
          throw new IllegalStateException(what + ": the findings differ in round " + i);
        }
      } else {
        b[i - warmup] = (t1 - t0) / 1e6;
        a[i - warmup] = (t2 - t1) / 1e6;
        narrowed += after.lastReanalyzedFiles() != null ? 1 : 0;
      }
    }
    System.out.printf("%s%n  before (every call, all files bound): %s%n  after  (reaching calls only):"
        + "       %s   (narrowed %d of %d; last: %s)%n", what, stats(b), stats(a), narrowed, rounds,
        names(after));
  }

  private static void ctrl1(String what, Map<Path, String> files, LintConfig config, int rounds,
      int warmup, Path file, String[] buffers) throws Exception {
    Linter kept = new Linter(config);
    kept.lint(disk(files));
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[] b = new double[rounds];
    double[] a = new double[rounds];
    for (int i = 0; i < warmup + rounds; i++) {
      SourceFile buffer = new SourceFile(file, buffers[i % 2]);
      List<SourceFile> texts = new ArrayList<>();
      for (SourceFile f : disk(files)) {
        texts.add(f.path().equals(file) ? buffer : f);
      }
      long t0 = mx.getCurrentThreadCpuTime();
      LintResult rb = new Linter(config).lint(texts);
      long t1 = mx.getCurrentThreadCpuTime();
      LintResult ra = kept.updateAll(List.of(buffer));
      long t2 = mx.getCurrentThreadCpuTime();
      if (i < warmup) {
        if (!rb.findings().equals(ra.findings())) {
          throw new IllegalStateException(what + ": the findings differ in round " + i);
        }
      } else {
        b[i - warmup] = (t1 - t0) / 1e6;
        a[i - warmup] = (t2 - t1) / 1e6;
      }
    }
    System.out.printf("%s%n  before (whole-project lint):  %s%n  after  (kept linter update): %s"
        + "   (last: %s)%n", what, stats(b), stats(a), names(kept));
  }

  private static String names(Linter linter) {
    return linter.lastReanalyzedFiles() == null ? "all files"
        : linter.lastReanalyzedFiles().stream().map(p -> p.getFileName().toString()).sorted().toList()
            .toString();
  }

  private static String stats(double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    return String.format("median %.1f ms (p25 %.1f, min %.1f)", s[s.length / 2], s[s.length / 4],
        s[0]);
  }

  /** The plugin measurement's ~40-line helper (KeptLinterCostTest.util). */
  static String util(int k) {
    StringBuilder s = new StringBuilder("package demo;\n\nimport dev.statelens.engine.Array;\n")
        .append("import dev.statelens.engine.Transforms;\nimport java.util.function.Function;\n\n")
        .append("public class Util").append(k).append(" {\n")
        .append("  private Array bias = Array.scalar(").append(k).append(");\n")
        .append("  static int uses;\n\n");
    for (int j = 0; j < 4; j++) {
      s.append("  Array g").append(j).append("(Array x) {\n")
          .append("    Array y = x.mul(").append(k + j).append(").add(bias);\n")
          .append(j == 2 ? "    uses++;\n" : "    y = y.neg();\n")
          .append("    return y.add(1);\n")
          .append("  }\n\n");
    }
    if (k % 3 == 1) {
      s.append("  Function<Array, Array> fast() {\n")
          .append("    Util").append((k + 1) % 19).append(" next = new Util").append((k + 1) % 19)
          .append("();\n")
          .append("    return Transforms.jit((Array x) -> next.g0(g1(x)).add(next.g2(x)));\n")
          .append("  }\n");
    }
    return s.append("}\n").toString();
  }
}
