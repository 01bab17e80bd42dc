package dev.statelens.test.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Control;

/**
 * The (Xvfb) screen: screenshots with ImageMagick's {@code import -window root}, and the pixels a
 * control shows, read back from the display (what the user sees, after GTK and the theme drew it).
 */
public final class Screen {
  private Screen() {}

  /** The whole screen as {@code png} (its folder created). */
  public static Path capture(Path png) throws IOException, InterruptedException {
    return run(png, "import", "-window", "root", png.toString());
  }

  /** The screen's top-left {@code width × height} as {@code png} (its folder created). */
  public static Path capture(Path png, int width, int height) throws IOException, InterruptedException {
    return run(png, "import", "-window", "root", "-crop", width + "x" + height + "+0+0", "+repage", png.toString());
  }

  /**
   * The pixels the screen shows in {@code area} of {@code control} (control coordinates, clipped to
   * it), row by row. Call on the UI thread, after the control has painted (let the UI settle).
   */
  public static List<RGB> pixels(Control control, Rectangle area) {
    Point size = control.getSize();
    Rectangle clipped = area.intersection(new Rectangle(0, 0, size.x, size.y));
    List<RGB> out = new ArrayList<>(Math.max(0, clipped.width * clipped.height));
    if (clipped.isEmpty()) {
      return out;
    }
    Point origin = control.toDisplay(clipped.x, clipped.y);
    Image image = new Image(control.getDisplay(), clipped.width, clipped.height);
    GC gc = new GC(control.getDisplay());
    try {
      gc.copyArea(image, origin.x, origin.y);
      ImageData data = image.getImageData();
      for (int y = 0; y < clipped.height; y++) {
        for (int x = 0; x < clipped.width; x++) {
          out.add(data.palette.getRGB(data.getPixel(x, y)));
        }
      }
      return out;
    } finally {
      gc.dispose();
      image.dispose();
    }
  }

  private static Path run(Path png, String... command) throws IOException, InterruptedException {
    if (png.getParent() != null) {
      Files.createDirectories(png.getParent());
    }
    int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("ImageMagick's import exited with " + exit + " for " + png
          + ": install imagemagick and run under xvfb-run");
    }
    if (Files.size(png) <= 10_000) {
      throw new IllegalStateException(png + " is too small to be a screenshot (" + Files.size(png) + " bytes)");
    }
    return png;
  }
}
