package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.fix.FixId;
import dev.statelens.plugin.fix.FixProposal;
import dev.statelens.test.support.TestJavaProjects;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.internal.ui.javaeditor.IJavaAnnotation;
import org.eclipse.jdt.internal.ui.text.correction.proposals.MarkerResolutionProposal;
import org.eclipse.jface.text.IDocument;
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

    IJavaAnnotation annotation = Editors.awaitFinding(editor, "SL009", "use-result,suppress");
    FixProposal use = Editors.proposal(Editors.quickFixes(editor, annotation), FixId.USE_RESULT);
    assertEquals("Use the result: state = state.at(0).set(Array.scalar(1)) (StateLens)",
        use.getDisplayString());
    Editors.onUi(() -> use.apply(document));

    assertEquals(EXPECTED, document.get());
    assertTrue(Editors.waitForNoStateLensAnnotation(editor), "the annotation goes away after the fix");
    Editors.onUi(() -> editor.doSave(new NullProgressMonitor()));
    assertEquals(EXPECTED, TestJavaProjects.read(file));
    TestProjects.assertBuildsClean(project);
  }

  @Test
  void problemsViewQuickFixAssignsTheResultAndTheMarkerGoes() throws Exception {
    project = TestProjects.create("use-result-marker", Map.of("demo/Rows.java", ROWS));
    TestJavaProjects.fullBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project), "the scenario compiles before the fix");
    IFile file = project.getProject().getFile("src/demo/Rows.java");
    IMarker dropped = TestProjects.lintMarker(file, "SL009");
    assertEquals(10, dropped.getAttribute(IMarker.LINE_NUMBER, 0), "on the line of the dropped write");

    TestProjects.resolution(dropped, "Use the result (StateLens)").run(dropped);

    assertEquals(EXPECTED, TestJavaProjects.read(file));
    TestProjects.assertBuildsClean(project);
  }

  /**
   * Ctrl+1 on a saved file lists the build marker's resolutions (JDT wraps each in a
   * MarkerResolutionProposal and sorts by relevance, then by label): the fix comes before the
   * suppression, as in an unsaved editor. With one rank for all, "Suppress SL009…" sorted first.
   */
  @Test
  void ctrl1OnTheBuildMarkerListsTheFixBeforeTheSuppression() throws Exception {
    project = TestProjects.create("use-result-rank", Map.of("demo/Rows.java", ROWS));
    TestJavaProjects.fullBuild(project);
    IMarker dropped = TestProjects.lintMarker(project.getProject().getFile("src/demo/Rows.java"), "SL009");
    int use = new MarkerResolutionProposal(TestProjects.resolution(dropped, "Use the result (StateLens)"), dropped)
        .getRelevance();
    int suppress = new MarkerResolutionProposal(
        TestProjects.resolution(dropped, "Suppress SL009 with @SuppressWarnings (StateLens)"), dropped).getRelevance();
    assertTrue(use > suppress, "Use the result ranks " + use + ", the suppression " + suppress);
  }

  /**
   * Ctrl+1 reads the same on an unsaved buffer (the reconciler's problem, {@code LintQuickFixProcessor})
   * and on the saved, built file (the build marker's resolutions, which JDT lists instead): "Use the
   * result: state = …" both times, once each. The marker's were labelled plainly ("Use the result").
   */
  @Test
  void ctrl1ListsTheSameFixesBeforeAndAfterTheFileIsSaved() throws Exception {
    String kept = ROWS.replace("    state.at(0)", "    Array s = state.at(0)");
    project = TestProjects.create("use-result-labels", Map.of("demo/Rows.java", kept));
    IFile file = project.getProject().getFile("src/demo/Rows.java");
    editor = Editors.openJava(file);
    IDocument document = Editors.document(editor);
    Editors.onUi(() -> document.set(ROWS));
    IJavaAnnotation typed = Editors.awaitFinding(editor, "SL009", "use-result,suppress");
    int offset = Editors.position(editor, (org.eclipse.jface.text.source.Annotation) typed).getOffset();
    List<String> unsaved = Editors.ctrl1Labels(editor, offset);
    List<String> expected = List.of("Use the result: state = state.at(0).set(Array.scalar(1)) (StateLens)",
        "Suppress SL009 with @SuppressWarnings (StateLens)");
    assertEquals(expected, unsaved.stream().filter(l -> l.endsWith("(StateLens)")).toList(), unsaved.toString());

    Editors.onUi(() -> editor.doSave(new NullProgressMonitor()));
    TestJavaProjects.fullBuild(project);
    IMarker marker = TestProjects.lintMarker(file, "SL009");
    assertTrue(Editors.waitForMarker(editor, marker), "the build marker is in the editor: Ctrl+1 lists its resolutions");
    List<String> saved = Editors.ctrl1Labels(editor, offset);
    assertEquals(unsaved, saved, "the same problem reads the same, saved or not");
    // the Problems view, which may fix several markers with one choice, keeps the plain label
    TestProjects.resolution(marker, "Use the result (StateLens)");
  }

  /**
   * A marker resolution reads as Ctrl+1 lists it (what the fix writes) until a Quick Fix for several
   * markers asks it which others it fixes, as the Problems view's does before it shows any label;
   * then plainly. No call-stack look-up: JDT's Ctrl+1 and hover never ask, the Problems view always does.
   */
  @Test
  void aResolutionIsLabelledPlainlyOnceAskedForOtherMarkers() throws Exception {
    project = TestProjects.create("use-result-two-paths", Map.of("demo/Rows.java", ROWS));
    TestJavaProjects.fullBuild(project);
    IMarker marker = TestProjects.lintMarker(project.getProject().getFile("src/demo/Rows.java"), "SL009");
    org.eclipse.ui.IMarkerResolution use = java.util.Arrays.stream(
        org.eclipse.ui.ide.IDE.getMarkerHelpRegistry().getResolutions(marker))
        .filter(r -> r.getLabel().startsWith("Use the result")).findFirst().orElseThrow();
    String detailed = "Use the result: state = state.at(0).set(Array.scalar(1)) (StateLens)";
    assertEquals(detailed, use.getLabel(), "as in Ctrl+1");
    assertEquals(detailed, new MarkerResolutionProposal(use, marker).getDisplayString(), "JDT's Ctrl+1 wrapper");
    ((org.eclipse.ui.views.markers.WorkbenchMarkerResolution) use)
        .findOtherMarkers(TestProjects.lintMarkers(project.getProject()).toArray(IMarker[]::new));
    assertEquals("Use the result (StateLens)", use.getLabel(), "in the Problems view");
  }
}
