package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.test.support.TestJavaProjects;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.ide.IDE;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SL003: trace-time printing replaced with Debug.print through the Problems view's Quick Fix. */
class DebugPrintFixTest {

  private static final String NOISY = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;

      public class Noisy {
        Array step(Array x) {
          System.out.println("x = " + x + ", doubled = " + x.mul(2));
          return x.add(1);
        }

        Function<Array, Array> jitted() {
          return Transforms.jit(this::step);
        }
      }
      """;

  private IJavaProject project;

  @AfterEach
  void tearDown() throws Exception {
    TestJavaProjects.delete(project);
  }

  @Test
  void replacesPrintlnWithDebugPrintAndTheCodeCompiles() throws Exception {
    project = TestProjects.create("debug-print", Map.of("demo/Noisy.java", NOISY));
    TestJavaProjects.fullBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project));
    IFile file = project.getProject().getFile("src/demo/Noisy.java");
    List<IMarker> markers = TestProjects.lintMarkers(file);
    IMarker io = markers.stream().filter(m -> "SL003".equals(m.getAttribute("ruleId", ""))).findFirst()
        .orElseThrow(() -> new AssertionError("no SL003 marker:\n" + TestJavaProjects.describe(markers)));

    IMarkerResolution fix = Arrays.stream(IDE.getMarkerHelpRegistry().getResolutions(io))
        .filter(r -> r.getLabel().startsWith("Replace with Debug.print")).findFirst()
        .orElseThrow(() -> new AssertionError("no Debug.print fix"));
    fix.run(io);

    String text = TestJavaProjects.read(file);
    assertTrue(text.contains("Debug.print(\"x = {}, doubled = {}\", x, x.mul(2));"), text);
    assertTrue(!text.contains("System.out"), text);
    TestJavaProjects.incrementalBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project), text);
    List<IMarker> left = TestProjects.lintMarkers(project.getProject());
    assertEquals(List.of(), left, TestJavaProjects.describe(left));
  }
}
