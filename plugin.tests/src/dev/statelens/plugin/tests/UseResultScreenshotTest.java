package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.statelens.test.support.TestJavaProjects;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The Ctrl+1 list on a dropped {@code state.at(0).set(...)} for docs/screenshots (not a check):
 * runs only when STATELENS_SCREENSHOTS names an output folder; captures the Xvfb screen with
 * ImageMagick's {@code import -window root} as {@code plugin-sl009-fix.png}.
 */
class UseResultScreenshotTest {

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
  void captureTheQuickFixList() throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    String rows = UseResultFixTest.ROWS;
    project = TestProjects.create("use-result-shot", Map.of("demo/Rows.java", rows));
    IFile file = project.getProject().getFile("src/demo/Rows.java");
    Screenshots.sizeWindow(1440, 600); // the capture is cropped to it
    editor = Editors.openJava(file);
    assertNotNull(Editors.waitForStateLensAnnotation(editor), "no SL009 annotation");
    int at = rows.indexOf("state.at(0)") + 2;
    Editors.openQuickAssist(editor, at);
    Screenshots.settle(2500);
    Screenshots.capture(out, "plugin-sl009-fix.png", 1440, 580);
  }
}
