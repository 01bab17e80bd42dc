package dev.statelens.debugger.ui;

import java.awt.image.BufferedImage;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;

/** AWT images (JFreeChart's output) to SWT image data. */
final class Images {
  private Images() {}

  static ImageData toSwt(BufferedImage img) {
    int w = img.getWidth(), h = img.getHeight();
    ImageData d = new ImageData(w, h, 32, new PaletteData(0xFF0000, 0x00FF00, 0x0000FF));
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      d.setPixels(0, y, w, row, 0);
    }
    return d;
  }
}
