package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.statelens.test.support.Screen;
import dev.statelens.test.support.TestJavaProjects;
import dev.statelens.test.support.WorkbenchUi;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * SL010 on eager code that draws twice from one key, in the editor and the Problems view, for
 * docs/screenshots (not a check): runs only when STATELENS_SCREENSHOTS names an output folder;
 * captures the Xvfb screen with ImageMagick's {@code import -window root} as
 * {@code plugin-sl010-key-reuse.png}.
 */
class KeyReuseScreenshotTest {

  static final String INIT = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Key;
      import dev.statelens.engine.Random;

      class Init {
        static Array[] weights(Key key) {
          Array w1 = Random.normal(key, 64, 32);
          Array w2 = Random.normal(key, 32, 10);   // the same key: w2's numbers repeat w1's draw
          return new Array[] {w1, w2};
        }
      }
      """;

  private IJavaProject project;
  private ITextEditor editor;

  @AfterEach
  void tearDown() throws Exception {
    Editors.close(editor);
    TestJavaProjects.delete(project);
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "STATELENS_SCREENSHOTS", matches = ".+",
      disabledReason = "screenshots only on request: set STATELENS_SCREENSHOTS=<folder>")
  void captureTheKeyReuseWarning() throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    project = TestProjects.create("key-reuse-shot", Map.of("demo/Init.java", INIT));
    IFile file = project.getProject().getFile("src/demo/Init.java");
    TestJavaProjects.fullBuild(project); // the Problems view lists the build's markers
    TestProjects.joinAnalyses();
    assertEquals(1, TestProjects.lintMarkers(file).size(), "one SL010 marker after the build");
    WorkbenchUi.sizeWindow(1440, 700); // the capture is cropped to it
    editor = Editors.openJava(file);
    assertNotNull(Editors.waitForStateLensAnnotation(editor), "no SL010 annotation");
    Editors.onUi(() -> {
      PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().showView(IPageLayout.ID_PROBLEM_VIEW);
      editor.getSite().getPage().activate(editor);
      editor.selectAndReveal(INIT.indexOf("Random.normal(key, 32"), 0);
    });
    WorkbenchUi.settle(1500);
    Editors.onUi(() -> { // the pointer off the views (no stray tooltip), the caret on the second draw's key
      Display.getDefault().setCursorLocation(5, 690);
      editor.selectAndReveal(INIT.indexOf("key, 32") + 1, 0);
      // F2 (Show Tooltip Description): the warning's whole message in the editor's hover
      ((org.eclipse.jface.text.ITextOperationTarget) editor.getAdapter(org.eclipse.jface.text.ITextOperationTarget.class))
          .doOperation(org.eclipse.jface.text.source.ISourceViewer.INFORMATION);
    });
    WorkbenchUi.settle(2500);
    Screen.capture(java.nio.file.Path.of(out, "plugin-sl010-key-reuse.png"), 1440, 700);
  }
}
