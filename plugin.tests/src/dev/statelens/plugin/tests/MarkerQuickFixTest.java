package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.test.support.TestJavaProjects;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.jdt.core.IJavaModelMarker;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.views.markers.WorkbenchMarkerResolution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Quick Fix from the Problems view: the workbench's marker-help registry finds our generator
 * (plugin.xml), one resolution fixes several markers at once, the result compiles and the
 * markers are gone after the next build.
 */
class MarkerQuickFixTest {

  private static final String TWO_WRITES = """
      package demo;

      import dev.statelens.engine.Array;

      public class Counter {
        Array n = Array.scalar(0);
        Array total = Array.scalar(0);

        public Array count() {
          n = n.add(1);
          return n;
        }

        public Array sum(Array x) {
          total = total.add(x);
          return total;
        }
      }
      """;

  private static final String MAIN_TWO = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;
      import java.util.function.Supplier;

      public class Main {
        public static void main(String[] args) {
          Counter counter = new Counter();
          Supplier<Array> fast = Transforms.jit(counter::count);
          Function<Array, Array> add = Transforms.jit(counter::sum);
          System.out.println(fast.get());
          System.out.println(add.apply(Array.scalar(2)));
        }
      }
      """;

  private IJavaProject project;

  @AfterEach
  void tearDown() throws Exception {
    TestJavaProjects.delete(project);
  }

  @Test
  void suppressResolutionFixesSeveralMarkersAndTheCodeStillCompiles() throws Exception {
    project = TestProjects.create("quickfix-markers",
        Map.of("demo/Counter.java", TWO_WRITES, "demo/Main.java", MAIN_TWO));
    TestJavaProjects.fullBuild(project);
    IFile counter = project.getProject().getFile("src/demo/Counter.java");
    List<IMarker> markers = TestProjects.lintMarkers(counter);
    assertEquals(2, markers.size(), TestJavaProjects.describe(markers));

    IMarker first = markers.get(0);
    assertTrue(IDE.getMarkerHelpRegistry().hasResolutions(first));
    IMarkerResolution[] resolutions = IDE.getMarkerHelpRegistry().getResolutions(first);
    WorkbenchMarkerResolution suppress = Arrays.stream(resolutions)
        .filter(r -> r instanceof WorkbenchMarkerResolution && r.getLabel().startsWith("Suppress"))
        .map(r -> (WorkbenchMarkerResolution) r).findFirst()
        .orElseThrow(() -> new AssertionError("no suppress resolution among "
            + Arrays.stream(resolutions).map(IMarkerResolution::getLabel).toList()));
    IMarker[] others = suppress.findOtherMarkers(markers.toArray(IMarker[]::new));
    assertEquals(2, others.length, "the resolution applies to both selected markers");

    assertEquals(JavaCore.WARNING, project.getOption(JavaCore.COMPILER_PB_UNHANDLED_WARNING_TOKEN, true),
        "JDT's default: it warns about tokens it does not know");
    suppress.run(markers.toArray(IMarker[]::new), null);

    String text = TestJavaProjects.read(counter);
    assertTrue(text.contains("  @SuppressWarnings(\"statelens:SL001\")\n  public Array count() {"), text);
    // storing a value derived from the argument is a leaked tracer (SL008): suppressed by its own id
    assertTrue(text.contains("  @SuppressWarnings(\"statelens:SL008\")\n  public Array sum(Array x) {"), text);
    TestJavaProjects.incrementalBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project));
    assertEquals(List.of(), TestProjects.lintMarkers(project.getProject()),
        TestJavaProjects.describe(TestProjects.lintMarkers(project.getProject())));
    // the suppression does not trade StateLens's warning for JDT's "Unsupported @SuppressWarnings"
    assertEquals(JavaCore.IGNORE, project.getOption(JavaCore.COMPILER_PB_UNHANDLED_WARNING_TOKEN, true));
    assertEquals(JavaCore.IGNORE, project.getOption(JavaCore.COMPILER_PB_UNHANDLED_WARNING_TOKEN, false),
        "set on the project, not the workspace");
    List<String> unsupported = Arrays.stream(project.getProject().findMarkers(
            IJavaModelMarker.JAVA_MODEL_PROBLEM_MARKER, true, IResource.DEPTH_INFINITE))
        .map(m -> m.getAttribute(IMarker.MESSAGE, "")).filter(m -> m.contains("@SuppressWarnings")).toList();
    assertEquals(List.of(), unsupported);
  }

  @Test
  void suppressMergesWithAnExistingSuppressWarnings() throws Exception {
    String annotated = TestProjects.COUNTER.replace("  public Array count() {",
        "  @SuppressWarnings(\"unused\")\n  public Array count() {");
    project = TestProjects.create("quickfix-merge",
        Map.of("demo/Counter.java", annotated, "demo/Main.java", TestProjects.MAIN));
    TestJavaProjects.fullBuild(project);
    IFile counter = project.getProject().getFile("src/demo/Counter.java");
    IMarker marker = TestProjects.lintMarkers(counter).get(0);
    IMarkerResolution suppress = Arrays.stream(IDE.getMarkerHelpRegistry().getResolutions(marker))
        .filter(r -> r.getLabel().startsWith("Suppress")).findFirst().orElseThrow();
    suppress.run(marker);
    String text = TestJavaProjects.read(counter);
    assertTrue(text.contains("@SuppressWarnings({\"unused\", \"statelens:SL001\"})"), text);
    TestJavaProjects.incrementalBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project));
    assertEquals(List.of(), TestProjects.lintMarkers(project.getProject()));
  }
}
