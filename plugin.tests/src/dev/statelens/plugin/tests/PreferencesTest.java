package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.lint.Rule;
import dev.statelens.lint.Severity;
import dev.statelens.plugin.prefs.LintPreferences;
import dev.statelens.test.support.TestJavaProjects;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.jdt.core.IJavaProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Settings: changing severity or switching a rule off re-analyzes and updates the markers. */
class PreferencesTest {

  private IJavaProject project;

  @BeforeEach
  void setUp() throws Exception {
    project = TestProjects.create("prefs",
        Map.of("demo/Counter.java", TestProjects.COUNTER, "demo/Main.java", TestProjects.MAIN));
    TestJavaProjects.fullBuild(project);
    assertEquals(IMarker.SEVERITY_WARNING, severityOfOnlyMarker());
  }

  @AfterEach
  void tearDown() throws Exception {
    IEclipsePreferences workspace = LintPreferences.workspace();
    workspace.clear();
    LintPreferences.flush(workspace);
    TestProjects.joinAnalyses();
    TestJavaProjects.delete(project);
    // deleting drops the project's settings, which schedules a re-analysis of the project handle;
    // let it finish, or it runs on the next test's same-named project mid-setup and clears the
    // markers its build just wrote
    TestProjects.joinAnalyses();
  }

  private int severityOfOnlyMarker() throws Exception {
    List<IMarker> markers = TestProjects.lintMarkers(project.getProject());
    assertEquals(1, markers.size(), TestJavaProjects.describe(markers));
    return markers.get(0).getAttribute(IMarker.SEVERITY, -1);
  }

  @Test
  void workspaceSeverityChangeUpdatesMarkersWithoutABuild() throws Exception {
    LintPreferences.set(LintPreferences.workspace(), Rule.SL001, true, Severity.ERROR);
    TestProjects.joinAnalyses();
    assertEquals(IMarker.SEVERITY_ERROR, severityOfOnlyMarker());

    LintPreferences.set(LintPreferences.workspace(), Rule.SL001, true, Severity.INFO);
    TestProjects.joinAnalyses();
    assertEquals(IMarker.SEVERITY_INFO, severityOfOnlyMarker());

    TestJavaProjects.fullBuild(project); // the build uses the same settings
    assertEquals(IMarker.SEVERITY_INFO, severityOfOnlyMarker());
  }

  @Test
  void switchingARuleOffRemovesItsMarkers() throws Exception {
    LintPreferences.set(LintPreferences.workspace(), Rule.SL001, false, Severity.WARNING);
    TestProjects.joinAnalyses();
    assertEquals(List.of(), TestProjects.lintMarkers(project.getProject()));

    LintPreferences.set(LintPreferences.workspace(), Rule.SL001, true, Severity.WARNING);
    TestProjects.joinAnalyses();
    assertEquals(IMarker.SEVERITY_WARNING, severityOfOnlyMarker());
  }

  @Test
  void projectSpecificSettingsOverrideTheWorkspaceOnlyWhenSwitchedOn() throws Exception {
    IEclipsePreferences node = LintPreferences.project(project.getProject());
    LintPreferences.set(node, Rule.SL001, true, Severity.ERROR);
    TestProjects.joinAnalyses();
    assertEquals(IMarker.SEVERITY_WARNING, severityOfOnlyMarker(), "not project-specific yet");

    node.putBoolean(LintPreferences.PROJECT_SPECIFIC, true);
    LintPreferences.flush(node);
    TestProjects.joinAnalyses();
    assertEquals(IMarker.SEVERITY_ERROR, severityOfOnlyMarker());

    LintPreferences.set(LintPreferences.workspace(), Rule.SL001, true, Severity.INFO);
    TestProjects.joinAnalyses();
    assertEquals(IMarker.SEVERITY_ERROR, severityOfOnlyMarker(), "the project's setting wins");
  }

  @Test
  void aProjectCreatedAgainUnderTheSameNameIsStillWatched() throws Exception {
    TestJavaProjects.delete(project);
    TestProjects.joinAnalyses();
    project = TestProjects.create("prefs",
        Map.of("demo/Counter.java", TestProjects.COUNTER, "demo/Main.java", TestProjects.MAIN));
    TestJavaProjects.fullBuild(project);
    TestProjects.joinAnalyses();
    assertEquals(IMarker.SEVERITY_WARNING, severityOfOnlyMarker());

    // the new project has a new settings node: changing it must re-analyze without a build
    IEclipsePreferences node = LintPreferences.project(project.getProject());
    node.putBoolean(LintPreferences.PROJECT_SPECIFIC, true);
    LintPreferences.set(node, Rule.SL001, true, Severity.ERROR);
    TestProjects.joinAnalyses();
    assertEquals(IMarker.SEVERITY_ERROR, severityOfOnlyMarker());
  }
}
