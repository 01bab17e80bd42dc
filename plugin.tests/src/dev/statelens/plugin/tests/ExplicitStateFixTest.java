package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.test.support.TestJavaProjects;
import dev.statelens.test.support.WorkbenchUi;
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

/**
 * "Convert to explicit state" on the seed's Counter through the workbench's Quick Fix machinery:
 * the lint module's rewrite changes the Counter and the jit call site in Main; JDT then compiles
 * both without errors and StateLens finds nothing left.
 */
class ExplicitStateFixTest {

  private IJavaProject project;

  @AfterEach
  void tearDown() throws Exception {
    TestJavaProjects.delete(project);
  }

  @Test
  void convertsTheCounterToExplicitStateAndThreadsTheJitCall() throws Exception {
    project = TestProjects.create("explicit-state",
        Map.of("demo/Counter.java", TestProjects.COUNTER, "demo/Main.java", TestProjects.MAIN));
    TestJavaProjects.fullBuild(project);
    IFile counter = project.getProject().getFile("src/demo/Counter.java");
    IFile main = project.getProject().getFile("src/demo/Main.java");
    IMarker marker = TestProjects.lintMarkers(counter).get(0);

    IMarkerResolution[] resolutions = IDE.getMarkerHelpRegistry().getResolutions(marker);
    List<String> labels = Arrays.stream(resolutions).map(IMarkerResolution::getLabel).toList();
    IMarkerResolution explicit = Arrays.stream(resolutions)
        .filter(r -> r.getLabel().startsWith("Convert to explicit state")).findFirst()
        .orElseThrow(() -> new AssertionError("no explicit-state fix among " + labels));
    explicit.run(marker);

    String counterText = TestJavaProjects.read(counter);
    String mainText = TestJavaProjects.read(main);
    assertTrue(counterText.contains("record CountState(Array n)"), counterText);
    assertTrue(counterText.contains("public Pair<Array, CountState> count(CountState state)"), counterText);
    assertTrue(mainText.contains("CountState"), "the jit call site threads the state:\n" + mainText);

    TestJavaProjects.incrementalBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project),
        "fixed code must compile:\n" + counterText + "\n" + mainText);
    List<IMarker> left = TestProjects.lintMarkers(project.getProject());
    assertEquals(List.of(), left, TestJavaProjects.describe(left));
  }

  /**
   * The same fix as a newcomer applies it: Ctrl+1 in the Counter's editor on the saved file's
   * marker. The fix changes two files, none with unsaved changes, so both are saved, as JDT's rename
   * leaves them (WorkingCopies.applyTogether; before, Main.java was saved while the Counter waited
   * unsaved in its editor and the build showed errors). StateLens finds nothing left (the lint walk
   * saw an SL001 on the kept {@code count()} after this: the jit call resolved to the wrong overload).
   */
  @Test
  void ctrl1InTheEditorThenSaveLeavesNoFinding() throws Exception {
    project = TestProjects.create("explicit-state-editor",
        Map.of("demo/Counter.java", TestProjects.COUNTER, "demo/Main.java", TestProjects.MAIN));
    TestJavaProjects.fullBuild(project);
    IFile counter = project.getProject().getFile("src/demo/Counter.java");
    org.eclipse.ui.texteditor.ITextEditor editor = Editors.openJava(counter);
    try {
      int write = TestProjects.COUNTER.indexOf("n = n.add(1)") + 1;
      IMarker marker = TestProjects.lintMarker(counter, "SL001");
      assertTrue(Editors.waitForMarker(editor, marker), "the editor shows the build's marker");
      var proposals = Editors.ctrl1Proposals(editor, write);
      var explicit = proposals.stream().filter(p -> p.getDisplayString().startsWith("Convert to explicit state"))
          .findFirst().orElseThrow(() -> new AssertionError("no explicit-state fix among "
              + proposals.stream().map(p -> p.getDisplayString()).toList()));
      Editors.onUi(() -> explicit.apply(Editors.document(editor)));
      WorkbenchUi.settle(2000); // the reconciler analyzes the fixed buffer before the user saves
      // while typing, too, the fix leaves nothing: Main (bound against the Counter on disk, without
      // count(CountState)) calls the buffer's new overload, not the kept count()
      String[] buffer = new String[1];
      Editors.onUi(() -> buffer[0] = Editors.document(editor).get());
      assertEquals(buffer[0], TestJavaProjects.read(counter), "the Counter is saved with Main");
      assertFalse(dirty(editor), "the Counter's editor is saved");
      assertTrue(TestJavaProjects.read(project.getProject().getFile("src/demo/Main.java")).contains("CountState"),
          "Main.java is saved with the threaded call");
      var analysis = dev.statelens.plugin.lint.ProjectLinters.withBuffer(project,
          dev.statelens.plugin.lint.ProjectSources.pathOf(counter), buffer[0]).result().findings();
      assertEquals(List.of(), analysis, "the fixed Counter's findings");
      TestJavaProjects.incrementalBuild(project);
      assertEquals(List.of(), TestJavaProjects.compileErrors(project));
      List<IMarker> left = TestProjects.lintMarkers(project.getProject());
      assertEquals(List.of(), left, TestJavaProjects.describe(left) + "\n" + TestJavaProjects.read(counter));
    } finally {
      Editors.close(editor);
    }
  }

  /**
   * Ctrl+1 while typing (the Counter's editor has unsaved changes): nothing is saved. The Counter
   * stays unsaved with the fix in it, and Main.java, which the fix also changes, opens in an editor
   * beside it, unsaved too (JDT's own quick fixes leave another file's change so), so the files on
   * disk still compile together; Save All, then the build is clean.
   */
  @Test
  void ctrl1WhileTypingLeavesBothFilesUnsavedInEditors() throws Exception {
    // on disk the Counter is pure; the field write is typed into its editor
    String pure = TestProjects.COUNTER.replace("n = n.add(1);\n    return n;", "return n.add(1);");
    assertFalse(pure.equals(TestProjects.COUNTER));
    project = TestProjects.create("explicit-state-typing",
        Map.of("demo/Counter.java", pure, "demo/Main.java", TestProjects.MAIN));
    TestJavaProjects.fullBuild(project);
    IFile counter = project.getProject().getFile("src/demo/Counter.java");
    IFile main = project.getProject().getFile("src/demo/Main.java");
    org.eclipse.ui.texteditor.ITextEditor editor = Editors.openJava(counter);
    org.eclipse.ui.IEditorPart[] mainEditor = new org.eclipse.ui.IEditorPart[1];
    try {
      String typed = TestProjects.COUNTER.replace("public class Counter {", "public class Counter { // typing");
      Editors.onUi(() -> Editors.document(editor).set(typed));
      assertEquals(List.of(), TestProjects.lintMarkers(project.getProject()), "no build marker: the finding is the buffer's");
      var annotation = Editors.awaitFinding(editor, "SL001", null);
      var explicit = Editors.proposal(Editors.quickFixes(editor, annotation), dev.statelens.lint.fix.FixId.EXPLICIT_STATE);
      Editors.onUi(() -> explicit.apply(Editors.document(editor)));

      String[] buffer = new String[1];
      Editors.onUi(() -> buffer[0] = Editors.document(editor).get());
      assertTrue(buffer[0].contains("record CountState(Array n)") && buffer[0].contains("// typing"), buffer[0]);
      assertTrue(dirty(editor), "the typed Counter stays unsaved");
      assertEquals(pure, TestJavaProjects.read(counter), "the Counter on disk");
      assertEquals(TestProjects.MAIN, TestJavaProjects.read(main), "Main.java on disk is not saved alone");
      Editors.onUi(() -> mainEditor[0] = org.eclipse.ui.PlatformUI.getWorkbench().getActiveWorkbenchWindow()
          .getActivePage().findEditor(new org.eclipse.ui.part.FileEditorInput(main)));
      assertNotNull(mainEditor[0], "Main.java opens in an editor with the fix");
      assertTrue(mainEditor[0].isDirty(), "Main.java's editor holds the unsaved fix");
      String mainBuffer = ((org.eclipse.ui.texteditor.ITextEditor) mainEditor[0]).getDocumentProvider()
          .getDocument(mainEditor[0].getEditorInput()).get();
      assertTrue(mainBuffer.contains("CountState"), "the jit call site threads the state:\n" + mainBuffer);

      Editors.onUi(() -> org.eclipse.ui.PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage()
          .saveAllEditors(false));
      TestJavaProjects.incrementalBuild(project);
      assertEquals(List.of(), TestJavaProjects.compileErrors(project));
      List<IMarker> left = TestProjects.lintMarkers(project.getProject());
      assertEquals(List.of(), left, TestJavaProjects.describe(left));
    } finally {
      Editors.onUi(() -> org.eclipse.ui.PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage()
          .closeAllEditors(false));
    }
  }

  private static boolean dirty(org.eclipse.ui.texteditor.ITextEditor editor) {
    boolean[] dirty = new boolean[1];
    Editors.onUi(() -> dirty[0] = editor.isDirty());
    return dirty[0];
  }
}
