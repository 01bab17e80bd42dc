package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.fix.FixId;
import dev.statelens.plugin.fix.FixProposal;
import dev.statelens.plugin.lint.LintMarkers;
import dev.statelens.test.support.TestJavaProjects;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.internal.ui.javaeditor.IJavaAnnotation;
import org.eclipse.jdt.internal.ui.text.correction.ProblemLocation;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SL009 "Use the result" through the workbench: Ctrl+1 on the problem the editor shows while
 * typing (labelled with the assignment it writes), and Quick Fix on the build marker in the
 * Problems view. Each ends in {@code state = state.at(0).set(...)}, a project JDT builds without
 * errors, and no StateLens finding left.
 */
class UseResultFixTest {

  /** Scenario: NumPy's {@code x[0] = 1} habit on an immutable array: the write is dropped. */
  static final String ROWS = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;

      public class Rows {
        Function<Array, Array> jitted() {
          return Transforms.jit((Array state) -> {
            state.at(0).set(Array.scalar(1));
            return state.mul(2);
          });
        }
      }
      """;

  private static final String EXPECTED = ROWS.replace("    state.at(0)", "    state = state.at(0)");

  private IJavaProject project;
  private ITextEditor editor;

  @AfterEach
  void tearDown() throws Exception {
    Editors.close(editor);
    TestJavaProjects.delete(project);
  }

  @Test
  void ctrl1InTheEditorAssignsTheResultAndTheProjectBuilds() throws Exception {
    // start from code that keeps the result and type the dropped write: the reconciler reports it
    String kept = ROWS.replace("    state.at(0)", "    Array s = state.at(0)");
    project = TestProjects.create("use-result-editor", Map.of("demo/Rows.java", kept));
    IFile file = project.getProject().getFile("src/demo/Rows.java");
    editor = Editors.openJava(file);
    IDocument document = Editors.document(editor);
    Editors.onUi(() -> document.set(ROWS));

    IJavaAnnotation annotation = Editors.waitForStateLensAnnotation(editor);
    assertNotNull(annotation, "no StateLens annotation after dropping the result");
    assertTrue(annotation.getText().startsWith("[SL009]"), annotation.getText());
    assertTrue(Arrays.asList(annotation.getArguments()).contains("use-result,suppress"),
        "the problem lists its fixes: " + Arrays.toString(annotation.getArguments()));

    Position at = Editors.position(editor, (Annotation) annotation);
    FixProposal use = Editors.proposal(
        Editors.quickFixes(editor, new ProblemLocation(at.getOffset(), at.getLength(), annotation)),
        FixId.USE_RESULT);
    assertEquals("Use the result: state = state.at(0).set(Array.scalar(1)) (StateLens)",
        use.getDisplayString());
    Editors.onUi(() -> use.apply(document));

    assertEquals(EXPECTED, document.get());
    assertTrue(Editors.waitForNoStateLensAnnotation(editor), "the annotation goes away after the fix");
    Editors.onUi(() -> editor.doSave(new NullProgressMonitor()));
    assertEquals(EXPECTED, TestJavaProjects.read(file));
    assertBuildsClean();
  }

  @Test
  void problemsViewQuickFixAssignsTheResultAndTheMarkerGoes() throws Exception {
    project = TestProjects.create("use-result-marker", Map.of("demo/Rows.java", ROWS));
    TestJavaProjects.fullBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project), "the scenario compiles before the fix");
    IFile file = project.getProject().getFile("src/demo/Rows.java");
    List<IMarker> markers = TestProjects.lintMarkers(file);
    IMarker dropped = markers.stream()
        .filter(m -> "SL009".equals(m.getAttribute(LintMarkers.RULE_ID, ""))).findFirst()
        .orElseThrow(() -> new AssertionError("no SL009 marker:\n" + TestJavaProjects.describe(markers)));
    assertEquals(10, dropped.getAttribute(IMarker.LINE_NUMBER, 0), "on the line of the dropped write");

    IMarkerResolution[] resolutions = IDE.getMarkerHelpRegistry().getResolutions(dropped);
    List<String> labels = Arrays.stream(resolutions).map(IMarkerResolution::getLabel).toList();
    IMarkerResolution use = Arrays.stream(resolutions)
        .filter(r -> r.getLabel().equals("Use the result (StateLens)")).findFirst()
        .orElseThrow(() -> new AssertionError("no use-result resolution among " + labels));
    use.run(dropped);

    assertEquals(EXPECTED, TestJavaProjects.read(file));
    assertBuildsClean();
  }

  /** The fixed project compiles and StateLens finds nothing left. */
  private void assertBuildsClean() throws Exception {
    TestJavaProjects.incrementalBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project), "fixed code must compile");
    List<IMarker> left = TestProjects.lintMarkers(project.getProject());
    assertEquals(List.of(), left, TestJavaProjects.describe(left));
  }
}
