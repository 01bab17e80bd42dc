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
 * The Ctrl+1 list on a reused key for docs/screenshots (not a check): runs only when
 * STATELENS_SCREENSHOTS names an output folder; captures the Xvfb screen as
 * {@code plugin-sl010-fix.png}.
 */
class KeySplitScreenshotTest {

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
    String init = KeyReuseScreenshotTest.INIT;
    project = TestProjects.create("key-split-shot", Map.of("demo/Init.java", init));
    IFile file = project.getProject().getFile("src/demo/Init.java");
    Screenshots.sizeWindow(1440, 600); // the capture is cropped to it
    editor = Editors.openJava(file);
    assertNotNull(Editors.waitForStateLensAnnotation(editor), "no SL010 annotation");
    int at = init.indexOf("Random.normal(key, 32") + 2;
    Editors.openQuickAssist(editor, at);
    Screenshots.settle(2500);
    Screenshots.capture(out, "plugin-sl010-fix.png", 1440, 580);
  }
}
