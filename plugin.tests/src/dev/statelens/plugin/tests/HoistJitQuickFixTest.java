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
import org.eclipse.jdt.ui.text.java.IJavaCompletionProposal;
import org.eclipse.jface.text.IDocument;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SL011 "Create the jit once, before the loop" through the workbench, as a user meets it: a jit made
 * anew in every iteration of a training loop, open in the Java editor. Ctrl+1 on the saved file's
 * build marker (JDT lists the marker's resolutions) and on the problem the editor reports while
 * typing (the StateLens quick fix processor) each move the declaration before the loop in the
 * editor's buffer, and the saved result builds with no finding left. The rewrite itself is tested
 * headless in the lint module ({@code HoistJitFixTest}).
 */
class HoistJitQuickFixTest {

  /** A jit inside the loop: it traces and compiles again every iteration. */
  static final String LOOP = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;

      public class Loop {
        Array step(Array x) {
          return x.mul(2);
        }

        Array train(Array x) {
          for (int i = 0; i < 100; i++) {
            var step = Transforms.jit("step", this::step);
            x = step.apply(x);
          }
          return x;
        }
      }
      """;

  private static final String DECLARATION = "      var step = Transforms.jit(\"step\", this::step);\n";

  /** The fix's result: the declaration just before the loop, at the loop's indentation. */
  static final String EXPECTED = LOOP.replace(DECLARATION, "")
      .replace("  Array train(Array x) {\n", "  Array train(Array x) {\n" + DECLARATION.substring(2));

  private static final String LABEL = "Create the jit once, before the loop (StateLens)";

  private IJavaProject project;
  private ITextEditor editor;

  @AfterEach
  void tearDown() throws Exception {
    Editors.close(editor);
    TestJavaProjects.delete(project);
  }

  @Test
  void ctrl1OnTheBuildMarkerMovesTheJitBeforeTheLoop() throws Exception {
    project = TestProjects.create("hoist-jit-marker", Map.of("demo/Loop.java", LOOP));
    TestJavaProjects.fullBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project), "the scenario compiles before the fix");
    IFile file = project.getProject().getFile("src/demo/Loop.java");
    IMarker marker = TestProjects.lintMarker(file, "SL011");
    assertEquals("hoist-jit,suppress", marker.getAttribute(dev.statelens.plugin.lint.LintMarkers.FIX_IDS, ""));
    assertEquals(13, marker.getAttribute(IMarker.LINE_NUMBER, 0), "on the jit in the loop body");

    editor = Editors.openJava(file);
    assertTrue(Editors.waitForMarker(editor, marker), "the build marker is in the editor");
    int caret = LOOP.indexOf("Transforms.jit(\"step\"") + 2;
    List<IJavaCompletionProposal> ctrl1 = Editors.ctrl1Proposals(editor, caret);
    List<String> labels = ctrl1.stream().map(IJavaCompletionProposal::getDisplayString)
        .filter(l -> l.endsWith("(StateLens)")).toList();
    assertEquals(List.of(LABEL, "Suppress SL011 with @SuppressWarnings (StateLens)"), labels,
        "the fix first, the suppression last");
    IJavaCompletionProposal hoist = ctrl1.stream().filter(p -> p.getDisplayString().equals(LABEL)).findFirst()
        .orElseThrow();
    IDocument document = Editors.document(editor);
    Editors.onUi(() -> hoist.apply(document)); // what Enter on the chosen line of the popup does

    assertEquals(EXPECTED, document.get(), "the editor's buffer");
    Editors.onUi(() -> editor.doSave(new NullProgressMonitor()));
    assertEquals(EXPECTED, TestJavaProjects.read(file));
    TestProjects.assertBuildsClean(project);
  }

  @Test
  void ctrl1WhileTypingMovesTheJitBeforeTheLoop() throws Exception {
    // start from the jit made once and type the trap: the reconciler reports it
    project = TestProjects.create("hoist-jit-editor", Map.of("demo/Loop.java", EXPECTED));
    IFile file = project.getProject().getFile("src/demo/Loop.java");
    editor = Editors.openJava(file);
    IDocument document = Editors.document(editor);
    Editors.onUi(() -> document.set(LOOP));

    IJavaAnnotation annotation = Editors.awaitFinding(editor, "SL011", "hoist-jit,suppress");
    FixProposal hoist = Editors.proposal(Editors.quickFixes(editor, annotation), FixId.HOIST_JIT);
    assertEquals(LABEL, hoist.getDisplayString());
    Editors.onUi(() -> hoist.apply(document));

    assertEquals(EXPECTED, document.get());
    assertTrue(Editors.waitForNoStateLensAnnotation(editor), "the annotation goes away after the fix");
    Editors.onUi(() -> editor.doSave(new NullProgressMonitor()));
    TestProjects.assertBuildsClean(project);
  }
}
