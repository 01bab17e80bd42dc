package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;

/**
 * What the opt-in screenshot tests share: sizing the workbench window (there is no window manager
 * under Xvfb), letting the UI settle, and capturing the screen with ImageMagick's
 * {@code import -window root}.
 */
final class Screenshots {
  private Screenshots() {}

  /** The workbench window at the screen's top left, {@code width × height}. */
  static void sizeWindow(int width, int height) {
    Editors.onUi(() -> {
      var shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
      shell.setBounds(shell.getDisplay().getBounds().x, shell.getDisplay().getBounds().y, width, height);
    });
  }

  /** Runs the UI's event loop for {@code millis}, so popups and views finish painting. */
  static void settle(long millis) throws InterruptedException {
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

  /** The screen's top-left {@code width × height} as {@code folder/name}. */
  static Path capture(String folder, String name, int width, int height)
      throws IOException, InterruptedException {
    Path png = Files.createDirectories(Path.of(folder)).resolve(name);
    Process p = new ProcessBuilder("import", "-window", "root", "-crop", width + "x" + height + "+0+0", "+repage",
        png.toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
    assertTrue(Files.size(png) > 10_000, png + " is too small to be a screenshot");
    return png;
  }
}
