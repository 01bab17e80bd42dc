package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
   * The same fix as a newcomer applies it: Ctrl+1 in the Counter's editor (the Counter's buffer
   * rewritten, Main.java on disk), then Save and an incremental build. StateLens finds nothing left
   * (the lint walk saw an SL001 on the kept {@code count()} after this: the jit call resolved to the
   * wrong overload).
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
      assertEquals(TestProjects.COUNTER, TestJavaProjects.read(counter), "not saved yet");
      var whileTyping = dev.statelens.plugin.lint.ProjectLinters.withBuffer(project,
          dev.statelens.plugin.lint.ProjectSources.pathOf(counter), buffer[0]).result().findings();
      assertEquals(List.of(), whileTyping, "the unsaved fixed buffer's findings");
      Editors.onUi(() -> editor.doSave(null));
      TestJavaProjects.incrementalBuild(project);
      assertEquals(List.of(), TestJavaProjects.compileErrors(project));
      List<IMarker> left = TestProjects.lintMarkers(project.getProject());
      assertEquals(List.of(), left, TestJavaProjects.describe(left) + "\n" + TestJavaProjects.read(counter));
    } finally {
      Editors.close(editor);
    }
  }
}
