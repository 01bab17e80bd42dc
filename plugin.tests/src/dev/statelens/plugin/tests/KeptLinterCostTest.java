package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.lint.LintResult;
import dev.statelens.plugin.lint.ProjectAnalysis;
import dev.statelens.plugin.lint.ProjectLinters;
import dev.statelens.plugin.lint.ProjectSources;
import dev.statelens.test.support.TestJavaProjects;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.jdt.core.IJavaProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A measurement, not a check of speed: thread CPU per reconcile (and per incremental build's
 * analysis) in a project of 20 files around the lint bench's 1,000-line file, the whole-project
 * way ({@link ProjectAnalysis}) against the kept linter ({@link ProjectLinters}), alternating,
 * median of N. Runs only with {@code STATELENS_LINT_MEASURE=N} (rounds per path) in the
 * environment; prints a table (docs/benchmarks.md, "Lint as you type in the IDE").
 */
class KeptLinterCostTest {

  private IJavaProject project;

  @AfterEach
  void tearDown() throws Exception {
    TestJavaProjects.delete(project);
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "STATELENS_LINT_MEASURE", matches = "\\d+",
      disabledReason = "a measurement: set STATELENS_LINT_MEASURE=<rounds> to run it")
  void reconcileCostOldAndNew() throws Exception {
    int n = Integer.parseInt(System.getenv("STATELENS_LINT_MEASURE"));
    Map<String, String> files = new LinkedHashMap<>();
    String model = thousandLineFile();
    files.put("demo/Model.java", model);
    for (int k = 0; k < 19; k++) {
      files.put("demo/Util" + k + ".java", util(k));
    }
    project = TestProjects.create("kept-cost", files);
    IFile modelFile = project.getProject().getFile("src/demo/Model.java");
    IFile utilFile = project.getProject().getFile("src/demo/Util4.java");
    Path modelPath = ProjectSources.pathOf(modelFile);
    Path utilPath = ProjectSources.pathOf(utilFile);
    int lines = files.values().stream().mapToInt(t -> t.split("\n").length).sum();
    String helper3 = "    Array y = x.mul(3).add(weights);\n";
    String[] modelBuffers = {model.replace(helper3, helper3.replace("mul(3)", "mul(33)")),
        model.replace(helper3, helper3.replace("mul(3)", "mul(34)"))};
    String[] utilBuffers = {util(4).replace("x.mul(4)", "x.mul(44)"),
        util(4).replace("x.mul(4)", "x.mul(45)")};

    System.out.printf("%nKept linter cost: %d files, %d lines, %d rounds per path%n",
        files.size(), lines, n);
    report("reconcile Model.java (1,000 lines), one body edited, unsaved", n,
        i -> ProjectAnalysis.runWithBuffer(project, modelPath, modelBuffers[i % 2]).result(),
        i -> ProjectLinters.withBuffer(project, modelPath, modelBuffers[i % 2]).result());
    report("reconcile Util4.java (40 lines), one body edited, unsaved; Model.java on disk", n,
        i -> ProjectAnalysis.runWithBuffer(project, utilPath, utilBuffers[i % 2]).result(),
        i -> ProjectLinters.withBuffer(project, utilPath, utilBuffers[i % 2]).result());
    report("build after saving a one-body edit of Model.java", Math.max(2, n / 4),
        i -> {
          TestJavaProjects.write(modelFile, modelBuffers[i % 2]);
          return ProjectAnalysis.run(project).result();
        },
        i -> {
          TestJavaProjects.write(modelFile, modelBuffers[(i + 1) % 2]); // a change for this path too
          return ProjectLinters.onDisk(project).result();
        });
  }

  interface Run {
    LintResult run(int i) throws Exception;
  }

  /** Warms both paths up, then alternates them; prints thread CPU median, p25 and min. */
  private static void report(String what, int n, Run old, Run kept) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < Math.max(10, n / 2); i++) {
      assertEquals(old.run(i).findings(), kept.run(i).findings(), what);
    }
    long fresh = ProjectLinters.freshLints();
    double[] before = new double[n];
    double[] after = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = mx.getCurrentThreadCpuTime();
      old.run(i);
      long t1 = mx.getCurrentThreadCpuTime();
      kept.run(i);
      long t2 = mx.getCurrentThreadCpuTime();
      before[i] = (t1 - t0) / 1e6;
      after[i] = (t2 - t1) / 1e6;
    }
    System.out.printf("%s%n  whole project: %s%n  kept linter:   %s   (fresh lints during: %d)%n",
        what, stats(before), stats(after), ProjectLinters.freshLints() - fresh);
  }

  private static String stats(double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    return String.format("median %.1f ms (p25 %.1f, min %.1f)", s[s.length / 2], s[s.length / 4],
        s[0]);
  }

  /** The lint bench's 1,000-line model class (LintThroughputBench.thousandLineFile). */
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

  /** A ~40-line helper class; every third one jits a lambda calling into the next one. */
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
