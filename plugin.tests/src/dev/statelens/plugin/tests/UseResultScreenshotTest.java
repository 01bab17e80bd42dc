package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.test.support.TestJavaProjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jface.text.ITextOperationTarget;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;
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
    Editors.onUi(() -> { // no window manager under Xvfb: size the window by hand (the capture is cropped to it)
      var shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
      shell.setBounds(shell.getDisplay().getBounds().x, shell.getDisplay().getBounds().y, 1440, 600);
    });
    editor = Editors.openJava(file);
    assertNotNull(Editors.waitForStateLensAnnotation(editor), "no SL009 annotation");
    int at = rows.indexOf("state.at(0)") + 2;
    Editors.onUi(() -> {
      editor.selectAndReveal(at, 0);
      ((ITextOperationTarget) editor.getAdapter(ITextOperationTarget.class))
          .doOperation(ISourceViewer.QUICK_ASSIST);
    });
    settle(2500);
    Path png = Files.createDirectories(Path.of(out)).resolve("plugin-sl009-fix.png");
    Process p = new ProcessBuilder("import", "-window", "root", "-crop", "1440x580+0+0", "+repage",
        png.toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
    assertTrue(Files.size(png) > 10_000, png + " is too small to be a screenshot");
  }

  private static void settle(long millis) throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      Display.getDefault().syncExec(() -> {
        while (Display.getDefault().readAndDispatch()) {
          // drain
        }
      });
      Thread.sleep(100);
    }
  }
}
