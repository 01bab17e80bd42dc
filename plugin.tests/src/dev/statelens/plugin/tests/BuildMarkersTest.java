package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.plugin.lint.LintMarkers;
import dev.statelens.plugin.prefs.LintPreferences;
import dev.statelens.test.support.TestJavaProjects;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.jdt.core.IJavaProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Build-time findings: persistent markers that JDT creates and clears (managed marker type). */
class BuildMarkersTest {

  private IJavaProject project;

  @AfterEach
  void tearDown() throws Exception {
    TestJavaProjects.delete(project);
  }

  @Test
  void buildMarksTheCountersFieldWrite() throws Exception {
    project = TestProjects.create("build-counter",
        Map.of("demo/Counter.java", TestProjects.COUNTER, "demo/Main.java", TestProjects.MAIN));
    TestJavaProjects.fullBuild(project);

    assertEquals(List.of(), TestJavaProjects.compileErrors(project), "the test project must compile");
    IFile counter = project.getProject().getFile("src/demo/Counter.java");
    List<IMarker> markers = TestProjects.lintMarkers(counter);
    assertEquals(1, markers.size(), TestJavaProjects.describe(markers));
    IMarker m = markers.get(0);
    assertEquals("SL001", m.getAttribute(LintMarkers.RULE_ID, ""));
    assertEquals(9, m.getAttribute(IMarker.LINE_NUMBER, 0), "on the line n = n.add(1)");
    assertEquals(IMarker.SEVERITY_WARNING, m.getAttribute(IMarker.SEVERITY, -1));
    String message = m.getAttribute(IMarker.MESSAGE, "");
    assertTrue(message.startsWith("[SL001] ") && message.contains("trace time"), message);
    int start = m.getAttribute(IMarker.CHAR_START, -1);
    int end = m.getAttribute(IMarker.CHAR_END, -1);
    assertTrue(TestProjects.COUNTER.substring(start, end).startsWith("n = n.add(1)")
        || TestProjects.COUNTER.substring(start, end).equals("n"),
        "marker range covers the write: '" + TestProjects.COUNTER.substring(start, end) + "'");
    assertTrue(m.getAttribute(LintMarkers.FIX_IDS, "").contains("suppress"));
    assertTrue(m.isSubtypeOf(IMarker.PROBLEM) && m.isSubtypeOf(IMarker.TEXT));
    assertEquals(List.of(), TestProjects.lintMarkers(project.getProject().getFile("src/demo/Main.java")));
  }

  @Test
  void theStateLensEngineLibraryPutsTheEngineOnTheBuildPath() throws Exception {
    project = TestProjects.create("build-container",
        Map.of("demo/Counter.java", TestProjects.COUNTER, "demo/Main.java", TestProjects.MAIN));
    project.setRawClasspath(java.util.Arrays.stream(project.getRawClasspath())
        .map(e -> e.getEntryKind() == org.eclipse.jdt.core.IClasspathEntry.CPE_LIBRARY
            ? org.eclipse.jdt.core.JavaCore.newContainerEntry(
                dev.statelens.plugin.classpath.EngineContainer.PATH) : e)
        .toArray(org.eclipse.jdt.core.IClasspathEntry[]::new), null);
    TestJavaProjects.fullBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project));
    assertEquals(1, TestProjects.lintMarkers(project.getProject()).size());
  }

  @Test
  void fixingTheCodeClearsTheMarkerOnTheNextBuild() throws Exception {
    project = TestProjects.create("build-fixed",
        Map.of("demo/Counter.java", TestProjects.COUNTER, "demo/Main.java", TestProjects.MAIN));
    TestJavaProjects.fullBuild(project);
    IFile counter = project.getProject().getFile("src/demo/Counter.java");
    assertEquals(1, TestProjects.lintMarkers(counter).size());

    TestJavaProjects.write(counter, TestProjects.COUNTER.replace("n = n.add(1);\n    return n;", "return n.add(1);"));
    TestJavaProjects.incrementalBuild(project);
    assertEquals(List.of(), TestProjects.lintMarkers(project.getProject()),
        "JDT removes the managed markers of the recompiled file");
  }

  @Test
  void cleanRemovesTheMarkers() throws Exception {
    project = TestProjects.create("build-clean",
        Map.of("demo/Counter.java", TestProjects.COUNTER, "demo/Main.java", TestProjects.MAIN));
    TestJavaProjects.fullBuild(project);
    assertEquals(1, TestProjects.lintMarkers(project.getProject()).size());
    TestJavaProjects.build(project, IncrementalProjectBuilder.CLEAN_BUILD);
    assertEquals(List.of(), TestProjects.lintMarkers(project.getProject()));
  }

  @Test
  void pureCodeGetsNoMarkers() throws Exception {
    project = TestProjects.create("build-pure", Map.of("demo/CounterV2.java", TestProjects.COUNTER_V2));
    TestJavaProjects.fullBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project));
    List<IMarker> markers = TestProjects.lintMarkers(project.getProject());
    assertEquals(List.of(), markers, TestJavaProjects.describe(markers));
  }

  @Test
  void suppressionHidesTheFinding() throws Exception {
    String suppressed = TestProjects.COUNTER.replace("  public Array count() {",
        "  @SuppressWarnings(\"statelens:SL001\")\n  public Array count() {");
    project = TestProjects.create("build-suppressed",
        Map.of("demo/Counter.java", suppressed, "demo/Main.java", TestProjects.MAIN));
    TestJavaProjects.fullBuild(project);
    List<IMarker> markers = TestProjects.lintMarkers(project.getProject());
    assertEquals(List.of(), markers, TestJavaProjects.describe(markers));
  }

  @Test
  void projectsWithoutTheEngineAreLeftAloneUnlessSwitchedOn() throws Exception {
    // same code, engine not on the build path: JDT reports its errors, StateLens stays out
    project = TestProjects.create("build-no-engine",
        Map.of("demo/Counter.java", TestProjects.COUNTER, "demo/Main.java", TestProjects.MAIN));
    project.setRawClasspath(java.util.Arrays.stream(project.getRawClasspath())
        .filter(e -> e.getEntryKind() != org.eclipse.jdt.core.IClasspathEntry.CPE_LIBRARY)
        .toArray(org.eclipse.jdt.core.IClasspathEntry[]::new), null);
    TestJavaProjects.fullBuild(project);
    assertEquals(List.of(), TestProjects.lintMarkers(project.getProject()));

    var node = LintPreferences.project(project.getProject());
    node.putBoolean(LintPreferences.ALWAYS_CHECK, true);
    LintPreferences.flush(node);
    TestProjects.joinAnalyses();
    TestJavaProjects.fullBuild(project);
    List<IMarker> markers = TestProjects.lintMarkers(project.getProject());
    assertEquals(1, markers.size(), TestJavaProjects.describe(markers));
    assertTrue(project.getProject().getFile(".settings/dev.statelens.plugin.prefs").exists(),
        "project settings are shared through .settings/");
  }
}
