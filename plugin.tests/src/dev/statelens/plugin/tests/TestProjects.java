package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.plugin.lint.LintMarkers;
import dev.statelens.plugin.lint.ReanalyzeJob;
import dev.statelens.test.support.TestJavaProjects;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.ide.IDE;

/**
 * The plugin tests' scenarios (the seed's Counter and its jit call) and their Java projects: the
 * engine bundle's jar on the build path, Java 21, built only when a test asks. The generic
 * project helpers are in {@link TestJavaProjects} (bundle dev.statelens.test.support).
 */
final class TestProjects {

  static final String COUNTER = """
      package demo;

      import dev.statelens.engine.Array;

      public class Counter {
        Array n = Array.scalar(0);

        public Array count() {
          n = n.add(1);
          return n;
        }
      }
      """;

  static final String MAIN = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;
      import java.util.function.Supplier;

      public class Main {
        public static void main(String[] args) {
          Counter counter = new Counter();
          Supplier<Array> fast = Transforms.jit(counter::count);
          System.out.println(fast.get());
        }
      }
      """;

  /** The seed's CounterV2 and its jit call: explicit state, nothing to report. */
  static final String COUNTER_V2 = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Pair;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;

      public class CounterV2 {
        public Pair<Array, Array> count(Array n) {
          Array next = n.add(1);
          return Pair.of(next, next);
        }

        public static void main(String[] args) {
          CounterV2 counter = new CounterV2();
          Function<Array, Pair<Array, Array>> fast = Transforms.jit(counter::count);
          Array state = Array.scalar(0);
          for (int i = 0; i < 3; i++) {
            Pair<Array, Array> r = fast.apply(state);
            state = r.second();
          }
        }
      }
      """;

  private TestProjects() {}

  /** A new Java project {@code name} with {@code files} (path under src/ to text). */
  static IJavaProject create(String name, Map<String, String> files) throws CoreException {
    TestJavaProjects.disableAutoBuild();
    IJavaProject project = TestJavaProjects.create(name, List.of(TestJavaProjects.engineJarEntry()), files);
    TestJavaProjects.setCompliance(project, JavaCore.VERSION_21);
    return project;
  }

  /** Waits for pending StateLens re-analyses (settings changes). */
  static void joinAnalyses() throws InterruptedException {
    Job.getJobManager().join(ReanalyzeJob.FAMILY, null);
  }

  static List<IMarker> lintMarkers(IResource resource) throws CoreException {
    return TestJavaProjects.markers(resource, LintMarkers.PROBLEM);
  }

  /** The first StateLens marker of {@code rule} (e.g. {@code SL009}) on {@code file}; fails listing the markers. */
  static IMarker lintMarker(IFile file, String rule) throws CoreException {
    List<IMarker> markers = lintMarkers(file);
    return markers.stream().filter(m -> rule.equals(m.getAttribute(LintMarkers.RULE_ID, ""))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + rule + " marker:\n" + TestJavaProjects.describe(markers)));
  }

  /**
   * The Problems view's Quick Fix labelled {@code label} for {@code marker}; fails listing the labels.
   * As the view's Quick Fix does, each resolution is first asked which other StateLens markers of the
   * project it also fixes (then it is labelled plainly: "Use the result").
   */
  static IMarkerResolution resolution(IMarker marker, String label) {
    IMarkerResolution[] resolutions = IDE.getMarkerHelpRegistry().getResolutions(marker);
    IMarker[] all;
    try {
      all = lintMarkers(marker.getResource().getProject()).toArray(IMarker[]::new);
    } catch (CoreException e) {
      throw new AssertionError(e);
    }
    for (IMarkerResolution r : resolutions) {
      if (r instanceof org.eclipse.ui.views.markers.WorkbenchMarkerResolution several) {
        several.findOtherMarkers(all);
      }
    }
    return Arrays.stream(resolutions).filter(r -> r.getLabel().equals(label)).findFirst()
        .orElseThrow(() -> new AssertionError("no resolution '" + label + "' among "
            + Arrays.stream(resolutions).map(IMarkerResolution::getLabel).toList()));
  }

  /** The fixed project compiles and StateLens finds nothing left in it. */
  static void assertBuildsClean(IJavaProject project) throws CoreException {
    TestJavaProjects.incrementalBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project), "fixed code must compile");
    List<IMarker> left = lintMarkers(project.getProject());
    assertEquals(List.of(), left, TestJavaProjects.describe(left));
  }
}
