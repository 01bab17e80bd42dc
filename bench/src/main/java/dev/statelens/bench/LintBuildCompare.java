package dev.statelens.bench;

import dev.statelens.lint.LintConfig;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Linter;
import dev.statelens.lint.source.SourceFile;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Before/after of the single-file re-analysis on a loaded machine, as {@link BuildCompare} does
 * for the engine: several builds of the lint module (class directories, e.g. {@code javac} of
 * {@code git archive} of two commits' {@code lint/src/main/java}), each in its own class loader
 * inside one JVM (JDT and the rest from this benchmarks jar, placed after it), re-analyze the
 * saved 1,000-line file of {@link LintThroughputBench} in turn, round after round, so every build
 * sees the same load. Prints thread CPU per re-analysis and the findings count of each build.
 *
 * <pre>java -Xss4m [-Dlint.compare.warmup=300] -cp bench/target/benchmarks.jar dev.statelens.bench.LintBuildCompare \
 *   ROUNDS PER_ROUND CLASSPATH(engine|none) EDIT(comment|body|line|field) /tmp/lint-before /tmp/lint-after</pre>
 *
 * <p>EDIT {@code project:DIR} lints every Java file under DIR as one project per run (a CLI
 * run); {@code updateAll:DIR} keeps one linter of that project and, per run, saves a comment
 * edit of one file that draws from a {@code Key} through {@code updateAll} (the plugin's build).
 */
public final class LintBuildCompare {
  private LintBuildCompare() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: LintBuildCompare ROUNDS PER_ROUND engine|none comment|body|line|field"
          + " LINT_CLASSES_DIR...");
      System.exit(2);
    }
    int rounds = Integer.parseInt(args[0]);
    int perRound = Integer.parseInt(args[1]);
    String classpath = args[2];
    String edit = args[3];
    int builds = args.length - 4;
    Method[] run = new Method[builds];
    for (int i = 0; i < builds; i++) {
      File dir = new File(args[4 + i]);
      if (!new File(dir, "dev/statelens/lint/Linter.class").isFile()) {
        System.err.println(dir + " holds no lint classes (dev/statelens/lint/Linter.class)");
        System.exit(2);
      }
      ClassLoader loader = BuildRounds.loader(dir, "dev.statelens.lint.Linter");
      Class<?> workload = Class.forName(Workload.class.getName(), true, loader);
      String findings = (String) workload.getMethod("init", String.class, String.class)
          .invoke(null, classpath, edit);
      run[i] = workload.getMethod("run", int.class);
      // warm-up: JDT's code needs a few hundred parses before the JIT has compiled it
      run[i].invoke(null, Integer.getInteger("lint.compare.warmup", 300));
      System.out.println(dir + ": " + findings);
    }
    double[][] cpu = BuildRounds.alternate(rounds, builds, b -> (double) run[b].invoke(null, perRound));
    System.out.println(BuildRounds.load());
    for (int i = 0; i < builds; i++) {
      double[] s = BuildRounds.sorted(cpu[i]);
      System.out.printf("%-40s min %6.2f  p25 %6.2f  median %6.2f ms per re-analysis (thread CPU,"
          + " %s classpath, %s edit)%n", args[4 + i], s[0], s[rounds / 4], s[rounds / 2],
          classpath, edit);
    }
  }

  /** Loaded once per build, in that build's class loader. */
  public static final class Workload {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static Linter linter;
    private static SourceFile[] versions;
    private static int next;
    public static volatile Object sink;

    private Workload() {}

    /** Lints the saved file once; returns the findings count of a re-analysis of each version. */
    public static String init(String classpath, String edit) throws Exception {
      if (edit.startsWith("project:") || edit.startsWith("updateAll:")) {
        return initProject(classpath, edit);
      }
      Path dir = Files.createTempDirectory("lint-compare");
      Path file = dir.resolve("demo/Model.java");
      Files.createDirectories(file.getParent());
      String text = LintThroughputBench.thousandLineFile();
      versions = new SourceFile[] {new SourceFile(file, text),
          new SourceFile(file, LintThroughputBench.edited(text, edit))};
      Files.writeString(file, text);
      linter = new Linter(LintConfig.defaults().withBindings(true)
          .withClasspath(LintThroughputBench.classpathFor(classpath)));
      linter.lint(List.of(versions[0]));
      int[] counts = new int[2];
      for (int i = 0; i < 2; i++) {
        counts[i] = save(1 - next).findings().size();
      }
      return "findings per version " + counts[0] + ", " + counts[1];
    }

    private static LintResult save(int version) throws Exception {
      next = version;
      Files.writeString(versions[version].path(), versions[version].content());
      return linter.update(versions[version]);
    }

    private static List<SourceFile> project;
    private static boolean wholeProject;

    private static String initProject(String classpath, String edit) throws Exception {
      wholeProject = edit.startsWith("project:");
      Path dir = Path.of(edit.substring(edit.indexOf(':') + 1));
      project = new java.util.ArrayList<>();
      for (Path p : dev.statelens.lint.source.SourceCollector.javaFiles(List.of(dir))) {
        project.add(SourceFile.read(p));
      }
      linter = new Linter(LintConfig.defaults().withBindings(false)
          .withClasspath(LintThroughputBench.classpathFor(classpath)));
      LintResult all = linter.lint(project);
      SourceFile drawing = project.stream()
          .filter(f -> f.content().contains("import dev.statelens.engine.Key;")
              && f.content().contains("Random.normal("))
          .findFirst().orElse(project.get(0));
      versions = new SourceFile[] {drawing,
          new SourceFile(drawing.path(), drawing.content() + "\n// edited\n")};
      return project.size() + " files, " + all.findings().size() + " findings, "
          + all.findings().stream().filter(f -> f.rule().id().equals("SL010")).count()
          + " SL010; edited " + drawing.path().getFileName();
    }

    /** {@code n} saved edits re-analyzed; thread CPU ms per re-analysis (writing excluded). */
    public static double run(int n) throws Exception {
      if (project != null) {
        return runProject(n);
      }
      long total = 0;
      for (int i = 0; i < n; i++) {
        int version = 1 - next;
        next = version;
        Files.writeString(versions[version].path(), versions[version].content());
        long c0 = MX.getCurrentThreadCpuTime();
        sink = linter.update(versions[version]);
        total += MX.getCurrentThreadCpuTime() - c0;
      }
      return total / 1e6 / n;
    }

    /** {@code n} whole-project lints, or {@code n} updateAll saves; thread CPU ms per one. */
    private static double runProject(int n) {
      long total = 0;
      for (int i = 0; i < n; i++) {
        long c0 = MX.getCurrentThreadCpuTime();
        if (wholeProject) {
          sink = new Linter(LintConfig.defaults().withBindings(false)).lint(project);
        } else {
          next = 1 - next;
          sink = linter.updateAll(List.of(versions[next]));
        }
        total += MX.getCurrentThreadCpuTime() - c0;
      }
      return total / 1e6 / n;
    }
  }
}
