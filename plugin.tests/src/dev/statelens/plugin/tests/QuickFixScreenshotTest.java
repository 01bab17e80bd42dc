package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.statelens.test.support.Screen;
import dev.statelens.test.support.TestJavaProjects;
import dev.statelens.test.support.WorkbenchUi;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Ctrl+1 lists for docs/screenshots (not a check): runs only when STATELENS_SCREENSHOTS names an
 * output folder; captures the Xvfb screen with ImageMagick's {@code import -window root}.
 */
@EnabledIfEnvironmentVariable(named = "STATELENS_SCREENSHOTS", matches = ".+",
    disabledReason = "screenshots only on request: set STATELENS_SCREENSHOTS=<folder>")
class QuickFixScreenshotTest {

  private IJavaProject project;
  private ITextEditor editor;

  @AfterEach
  void tearDown() throws Exception {
    Editors.close(editor);
    TestJavaProjects.delete(project);
  }

  /** Use the result, on a dropped {@code state.at(0).set(...)}: plugin-sl009-fix.png. */
  @Test
  void useTheResult() throws Exception {
    capture("use-result-shot", "demo/Rows.java", UseResultFixTest.ROWS, "state.at(0)", "plugin-sl009-fix.png");
  }

  /** Split the key, on a key drawn from twice: plugin-sl010-fix.png. */
  @Test
  void splitTheKey() throws Exception {
    capture("key-split-shot", "demo/Init.java", KeyReuseScreenshotTest.INIT, "Random.normal(key, 32",
        "plugin-sl010-fix.png");
  }

  /** Create the jit once, before the loop, on a jit made in every iteration: plugin-sl011-fix.png. */
  @Test
  void createTheJitOnce() throws Exception {
    capture("hoist-jit-shot", "demo/Loop.java", HoistJitQuickFixTest.LOOP, "Transforms.jit(\"step\"",
        "plugin-sl011-fix.png");
  }

  /** Run it in Debug.callback, on a logger call in a jitted method: plugin-sl003-callback-fix.png. */
  @Test
  void runItInDebugCallback() throws Exception {
    capture("debug-callback-shot", "demo/Logging.java", DebugCallbackFixTest.LOGGING, "logger.info",
        "plugin-sl003-callback-fix.png");
  }

  /**
   * The same Ctrl+1 in Eclipse's dark theme (org.eclipse.e4.ui.css.theme.e4_dark), the editor's
   * marker and the Problems view: plugin-dark-sl009-fix.png. The theme goes back to light after.
   */
  @Test
  void useTheResultInTheDarkTheme() throws Exception {
    setTheme("org.eclipse.e4.ui.css.theme.e4_dark");
    try {
      capture("use-result-dark", "demo/Rows.java", UseResultFixTest.ROWS, "state.at(0)", "plugin-dark-sl009-fix.png");
    } finally {
      setTheme("org.eclipse.e4.ui.css.theme.e4_default");
    }
  }

  private static void setTheme(String id) throws InterruptedException {
    Editors.onUi(() -> ((org.eclipse.e4.ui.css.swt.theme.IThemeEngine) org.eclipse.swt.widgets.Display.getDefault()
        .getData("org.eclipse.e4.ui.css.swt.theme")).setTheme(id, false));
    WorkbenchUi.settle(1000);
  }

  /**
   * Convert to explicit state on a field written in a training loop's jitted step, a lambda kept in
   * a local (the new-project wizard's shape): plugin-sl001-lambda-fix.png.
   */
  @Test
  void convertTheJittedStep() throws Exception {
    capture("explicit-lambda-shot", "demo/Train.java", TRAIN, "calls = calls.add", "plugin-sl001-lambda-fix.png");
  }

  static final String TRAIN = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;
      import java.util.function.BiFunction;

      public class Train {
        static Array calls = Array.scalar(0);

        public static void main(String[] args) {
          BiFunction<Array, Array, Array> step = Transforms.jit("step", (Array w, Array x) -> {
            calls = calls.add(1);
            return w.sub(x.mul(0.1));
          });
          Array w = Array.scalar(1);
          for (int i = 0; i < 100; i++) {
            w = step.apply(w, Array.scalar(i));
          }
        }
      }
      """;

  /** Opens {@code source} in an editor, waits for its StateLens problem, Ctrl+1 at {@code caretAt}. */
  private void capture(String projectName, String path, String source, String caretAt, String png)
      throws Exception {
    project = TestProjects.create(projectName, Map.of(path, source));
    IFile file = project.getProject().getFile("src/" + path);
    WorkbenchUi.sizeWindow(1440, 600); // the capture is cropped to it
    editor = Editors.openJava(file);
    assertNotNull(Editors.waitForStateLensAnnotation(editor), "no StateLens annotation in " + path);
    Editors.openQuickAssist(editor, source.indexOf(caretAt) + 2);
    WorkbenchUi.settle(2500);
    Screen.capture(java.nio.file.Path.of(System.getenv("STATELENS_SCREENSHOTS"), png), 1440, 580);
  }
}
