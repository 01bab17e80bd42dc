package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.Finding;
import dev.statelens.lint.LintResult;
import dev.statelens.plugin.lint.LintMarkers;
import dev.statelens.plugin.lint.ProjectAnalysis;
import dev.statelens.plugin.lint.ProjectLinters;
import dev.statelens.plugin.lint.ProjectSources;
import dev.statelens.test.support.TestJavaProjects;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.IProblemRequestor;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.core.WorkingCopyOwner;
import org.eclipse.jdt.core.compiler.CategorizedProblem;
import org.eclipse.jdt.core.compiler.IProblem;
import org.eclipse.jdt.core.dom.AST;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kept linter per project ({@link ProjectLinters}) gives what the whole-project analysis gives,
 * edit by edit: reconcile results equal a fresh {@link ProjectAnalysis#runWithBuffer} (one buffer,
 * every other file as on disk), and the markers of a sequence of saves and incremental builds
 * equal those of the same sequence in a twin project linted the whole-project way
 * ({@code -Dstatelens.lint.kept=false}). The edits: one body, a field write through a qualifier
 * in a third file removed and added back (it decides a finding in the file with the jit call:
 * interprocedural), a body reached from another file's jit call, a new file, a deleted file, a
 * classpath change.
 */
class KeptLinterEquivalenceTest {

  static final String HELPER = """
      package demo;

      import dev.statelens.engine.Array;

      public class Helper {
        static int hits;
        float scale = 0.5f;

        Array apply(Array x) {
          return x.mul(2);
        }
      }
      """;
  static final String STEP = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;

      public class Step {
        final Helper helper = new Helper();

        Function<Array, Array> step() {
          return Transforms.jit((Array x) -> helper.apply(x).mul(helper.scale));
        }
      }
      """;
  static final String OTHER = """
      package demo;

      class Other {
        void set(Helper h) {
          h.scale = 2f;
        }
      }
      """;
  static final String HELPER_HITS = HELPER.replace("return x.mul(2);", "hits++;\n    return x.mul(2);");
  static final String OTHER_NO_WRITE = OTHER.replace("h.scale = 2f;", "float s = h.scale;");

  private final List<IJavaProject> projects = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    System.clearProperty(ProjectLinters.KEPT_PROPERTY);
    for (IJavaProject p : projects) {
      TestJavaProjects.delete(p);
    }
  }

  private IJavaProject create(String name) throws CoreException {
    IJavaProject project = TestProjects.create(name, Map.of("demo/Helper.java", HELPER,
        "demo/Step.java", STEP, "demo/Other.java", OTHER,
        "demo/Counter.java", TestProjects.COUNTER, "demo/Main.java", TestProjects.MAIN));
    projects.add(project);
    return project;
  }

  @Test
  void reconcileMatchesTheWholeProjectAnalysisEditByEdit() throws Exception {
    IJavaProject project = create("kept-reconcile");
    IFile helper = file(project, "Helper");
    IFile step = file(project, "Step");
    IFile other = file(project, "Other");

    compareBuffer(project, helper, HELPER, "unedited buffer");
    long fresh = ProjectLinters.freshLints();

    // a body edit in the helper: the finding comes from Step's jit call (another file)
    LintResult r = compareBuffer(project, helper, HELPER_HITS, "helper body edited");
    assertTrue(r.findings().stream().anyMatch(f -> f.file().equals(path(helper))),
        "a finding in the helper's unsaved body: " + r.findings());
    compareBuffer(project, helper, HELPER_HITS.replace("hits++", "hits += 2"), "typed on");

    // Step's buffer while the helper's stays unsaved: the helper counts as on disk
    r = compareBuffer(project, step, STEP.replace("helper.apply(x)", "helper.apply(x).add(1)"),
        "step edited, helper unsaved");
    assertTrue(r.findings().stream().noneMatch(f -> f.file().equals(path(helper))),
        "the helper's unsaved edit is not seen from another buffer: " + r.findings());
    assertEquals(fresh, ProjectLinters.freshLints(), "buffer edits update the kept linter");

    // the qualified write saved away (no build): Step's finding goes
    TestJavaProjects.write(other, OTHER_NO_WRITE);
    r = compareBuffer(project, step, STEP, "write removed on disk");
    assertTrue(r.findings().stream().noneMatch(f -> f.file().equals(path(step))), r.findings().toString());
    TestJavaProjects.write(other, OTHER);
    compareBuffer(project, step, STEP, "write back on disk");
    // through JDT's reconcile (the participant): the editor's problems
    assertEquals(messages(ProjectAnalysis.runWithBuffer(project, path(helper), HELPER_HITS)
        .findingsIn(path(helper))), reconcile(project, helper, HELPER_HITS));
    assertEquals(fresh, ProjectLinters.freshLints(), "saved files update the kept linter");

    // a new file, then a deleted one: the kept linter starts afresh
    IFile extra = project.getProject().getFile("src/demo/Extra.java");
    TestJavaProjects.write(extra, STEP.replace("class Step", "class Extra"));
    compareBuffer(project, helper, HELPER_HITS, "new file");
    extra.delete(true, null);
    compareBuffer(project, helper, HELPER_HITS, "file deleted");
    assertEquals(fresh + 2, ProjectLinters.freshLints());

    // the classpath: a class folder added
    addClassFolder(project);
    compareBuffer(project, step, STEP, "classpath changed");
    assertEquals(fresh + 3, ProjectLinters.freshLints());
  }

  @Test
  void markersAfterSavesAndBuildsMatchTheWholeProjectWay() throws Exception {
    IJavaProject kept = create("kept-markers");
    IJavaProject whole = create("whole-markers");
    List<Consumer<IJavaProject>> edits = List.of(
        p -> write(p, "Helper", HELPER_HITS),
        p -> write(p, "Other", OTHER_NO_WRITE),
        p -> write(p, "Other", OTHER),
        p -> write(p, "Helper", HELPER_HITS.replace("hits++;", "hits++;\n    hits--;")),
        p -> write(p, "Counter", TestProjects.COUNTER.replace("n = n.add(1);\n    return n;",
            "return n.add(1);")),
        p -> write(p, "Extra", STEP.replace("class Step", "class Extra")),
        p -> write(p, "Helper", HELPER),
        p -> {
          try {
            file(p, "Extra").delete(true, null);
          } catch (CoreException e) {
            throw new IllegalStateException(e);
          }
        },
        p -> write(p, "Counter", TestProjects.COUNTER),
        KeptLinterEquivalenceTest::addClassFolder,
        p -> write(p, "Helper", HELPER_HITS));
    buildBoth(kept, whole, true);
    assertTrue(markers(kept).size() >= 2, markers(kept).toString());
    long fresh = ProjectLinters.freshLints();
    int step = 0;
    for (Consumer<IJavaProject> edit : edits) {
      if (step == 5) {
        assertEquals(fresh, ProjectLinters.freshLints(), "saved edits update the kept linter");
      }
      edit.accept(kept);
      edit.accept(whole);
      Map<String, List<String>> keptMarkers = buildBoth(kept, whole, false);
      assertEquals(markers(whole), keptMarkers, "after edit " + step);
      // and the kept analysis is the fresh analysis of the saved project
      ProjectAnalysis wholeRun = ProjectAnalysis.run(kept);
      assertEquals(wholeRun.result().findings(), ProjectLinters.onDisk(kept).result().findings(),
          "analysis after edit " + step);
      step++;
    }
  }

  /**
   * An incremental build after a save analyzes again only the files whose transform calls reach
   * the saved file (a field write added to a helper: Step's call; Main's is kept), a declaration
   * change analyzes all, a renamed file starts afresh; after each build the markers are those of a
   * fresh whole-project analysis of the saved project.
   */
  @Test
  void buildsAfterBodySavesAnalyzeOnlyTheCallsReachingTheFile() throws Exception {
    IJavaProject kept = create("narrow-kept");
    TestJavaProjects.fullBuild(kept);
    Path step = path(file(kept, "Step"));
    Path main = path(kept.getProject().getFile("src/demo/Main.java"));
    long fresh = ProjectLinters.freshLints();

    // a field write added in the helper, reached from Step's jit
    write(kept, "Helper", HELPER_HITS);
    assertEquals(java.util.Set.of(step), buildAndCheck(kept, "field write added"),
        "only Step's call reaches the helper");

    // two bodies in one save (Counter's count and Main's main): Main only
    write(kept, "Counter", TestProjects.COUNTER.replace("n = n.add(1);\n    return n;",
        "return n.add(1);"));
    String mainText = TestJavaProjects.read(kept.getProject().getFile("src/demo/Main.java"));
    int brace = mainText.indexOf('{', mainText.indexOf("main(")) + 1;
    write(kept, "Main", mainText.substring(0, brace) + "\n    int unused = 1;"
        + mainText.substring(brace));
    assertEquals(java.util.Set.of(main), buildAndCheck(kept, "two bodies"),
        "Main's call reads Counter; Step's reads neither");

    // a signature: every call analyzed again
    write(kept, "Helper", HELPER_HITS.replace("Array apply(Array x)", "Array apply(Array x, int... more)"));
    // (JDT's build then compiles Step in a second round, whose analysis has nothing new: ask
    // for the build's analysis of the save directly)
    ProjectLinters.onDisk(kept);
    assertEquals(null, ProjectLinters.lastReanalyzedFiles(kept.getProject()),
        "a signature analyzes every call");
    buildAndCheck(kept, "signature");
    assertEquals(fresh, ProjectLinters.freshLints(), "saves update the kept linter");

    // a renamed file: the set of files changed, a fresh lint
    IFile other = file(kept, "Other");
    other.move(other.getFullPath().removeLastSegments(1).append("Other2.java"), true, null);
    write(kept, "Other2", OTHER.replace("class Other", "class Other2"));
    buildAndCheck(kept, "renamed");
    assertEquals(fresh + 1, ProjectLinters.freshLints(), "a rename lints afresh");
  }

  /**
   * Builds incrementally; checks the markers of the files with findings against a fresh
   * whole-project analysis of the saved project; returns the files the build's analysis
   * re-analyzed (null: all).
   */
  private static java.util.Set<Path> buildAndCheck(IJavaProject project, String what)
      throws CoreException {
    TestJavaProjects.incrementalBuild(project);
    java.util.Set<Path> reanalyzed = ProjectLinters.lastReanalyzedFiles(project.getProject());
    List<String> expected = new ArrayList<>();
    for (Finding f : ProjectAnalysis.run(project).result().findings()) {
      expected.add(f.file().getFileName() + ":" + f.range().line() + " " + f.rule().id());
    }
    List<String> actual = new ArrayList<>();
    for (IMarker m : TestProjects.lintMarkers(project.getProject())) {
      actual.add(m.getResource().getName() + ":" + m.getAttribute(IMarker.LINE_NUMBER, -1) + " "
          + m.getAttribute(LintMarkers.RULE_ID, ""));
    }
    expected.sort(null);
    actual.sort(null);
    assertEquals(expected, actual, what);
    return reanalyzed;
  }

  /** Builds the whole-way twin first, then the kept project; returns the kept one's markers. */
  private static Map<String, List<String>> buildBoth(IJavaProject kept, IJavaProject whole,
      boolean full) throws CoreException {
    System.setProperty(ProjectLinters.KEPT_PROPERTY, "false");
    try {
      build(whole, full);
    } finally {
      System.clearProperty(ProjectLinters.KEPT_PROPERTY);
    }
    build(kept, full);
    return markers(kept);
  }

  private static void build(IJavaProject project, boolean full) throws CoreException {
    if (full) {
      TestJavaProjects.fullBuild(project);
    } else {
      TestJavaProjects.incrementalBuild(project);
    }
  }

  /** StateLens markers by file name: every attribute, in a stable order. */
  private static Map<String, List<String>> markers(IJavaProject project) throws CoreException {
    Map<String, List<String>> out = new TreeMap<>();
    for (IMarker m : TestProjects.lintMarkers(project.getProject())) {
      out.computeIfAbsent(m.getResource().getProjectRelativePath().toString(), k -> new ArrayList<>())
          .add(new TreeMap<>(m.getAttributes()).toString());
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  /** The kept path's analysis of this buffer equals a fresh whole-project one, all files. */
  private static LintResult compareBuffer(IJavaProject project, IFile file, String buffer,
      String what) throws CoreException {
    LintResult fresh = ProjectAnalysis.runWithBuffer(project, path(file), buffer).result();
    LintResult kept = ProjectLinters.withBuffer(project, path(file), buffer).result();
    assertEquals(fresh.findings(), kept.findings(), what);
    assertEquals(fresh.notices(), kept.notices(), what);
    assertEquals(fresh.suppressed(), kept.suppressed(), what);
    return kept;
  }

  private static List<String> messages(List<Finding> findings) {
    return findings.stream().map(f -> f.range().offset() + " [" + f.rule().id() + "] "
        + f.messageWithChain()).toList();
  }

  /** JDT's reconcile of {@code text} as the file's unsaved content: StateLens's problems. */
  private static List<String> reconcile(IJavaProject project, IFile file, String text)
      throws Exception {
    ICompilationUnit unit = JavaCore.createCompilationUnitFrom(file);
    List<String> problems = new ArrayList<>();
    IProblemRequestor requestor = new IProblemRequestor() {
      @Override public void acceptProblem(IProblem p) {
        if (p instanceof CategorizedProblem c && LintMarkers.PROBLEM.equals(c.getMarkerType())) {
          problems.add(c.getSourceStart() + " " + c.getMessage());
        }
      }
      @Override public void beginReporting() { problems.clear(); }
      @Override public void endReporting() { }
      @Override public boolean isActive() { return true; }
    };
    WorkingCopyOwner owner = new WorkingCopyOwner() {
      @Override public IProblemRequestor getProblemRequestor(ICompilationUnit workingCopy) {
        return requestor;
      }
    };
    ICompilationUnit copy = unit.getWorkingCopy(owner, null);
    try {
      copy.getBuffer().setContents(text);
      copy.reconcile(AST.getJLSLatest(), true, owner, null);
    } finally {
      copy.discardWorkingCopy();
    }
    return problems;
  }

  private static void addClassFolder(IJavaProject project) {
    try {
      IFolder lib = project.getProject().getFolder("lib");
      if (!lib.exists()) {
        lib.create(true, true, null);
      }
      List<IClasspathEntry> entries = new ArrayList<>(Arrays.asList(project.getRawClasspath()));
      entries.add(JavaCore.newLibraryEntry(lib.getFullPath(), null, null));
      project.setRawClasspath(entries.toArray(IClasspathEntry[]::new), null);
    } catch (CoreException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(IJavaProject project, String type, String text) {
    try {
      TestJavaProjects.write(file(project, type), text);
    } catch (CoreException e) {
      throw new IllegalStateException(e);
    }
  }

  private static IFile file(IJavaProject project, String type) {
    return project.getProject().getFile("src/demo/" + type + ".java");
  }

  private static Path path(IFile file) {
    return ProjectSources.pathOf(file);
  }
}
