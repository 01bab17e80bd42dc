package dev.statelens.debugger.ui;

import dev.statelens.debugger.DebuggerPlugin;
import java.awt.image.BufferedImage;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.ImageRegistry;
import org.eclipse.jface.resource.ResourceLocator;
import org.eclipse.jface.viewers.DecorationOverlayIcon;
import org.eclipse.jface.viewers.IDecoration;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;

/**
 * The debugger's images: AWT images (JFreeChart's output) to SWT image data, and the bundle's
 * 16×16 icons ({@code icons/*.png}, drawn by {@code icons/make-icons.sh}) from the plugin's image
 * registry, plain, greyed or with the red NaN/Inf badge. Registry images live as long as the plugin:
 * callers must not dispose them.
 */
public final class Images {
  /** Icon names: files {@code icons/<name>.png}. */
  public static final String TRAINING = "training";
  public static final String THREAD_RUNNING = "thread_running";
  public static final String THREAD_PAUSED = "thread_paused";
  public static final String THREAD_FINISHED = "thread_finished";
  public static final String FRAME = "frame";
  public static final String LEAF = "leaf";
  public static final String SCALAR = "scalar";
  public static final String GROUP = "group";
  /** The Runs view's toolbar (with {@code @2x} variants, which JFace picks on HiDPI screens). */
  public static final String OPEN_RUN = "open_run";
  public static final String REFRESH_RUNS = "refresh_runs";
  public static final String COMPARE_RUNS = "compare_runs";
  private static final String NAN_BADGE = "nan_ovr";

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

  /** The bundle's icon {@code icons/<name>.png}. */
  public static ImageDescriptor descriptor(String name) {
    return ResourceLocator.imageDescriptorFromBundle(DebuggerPlugin.ID, "icons/" + name + ".png")
        .orElseThrow(() -> new IllegalStateException("icons/" + name + ".png is missing from " + DebuggerPlugin.ID
            + " (build.properties must include icons/)"));
  }

  public static Image icon(String name) {
    return cached(name, () -> descriptor(name));
  }

  /** The icon greyed out (a terminated run). */
  public static Image greyed(String name) {
    return cached(name + "#grey", () -> ImageDescriptor.createWithFlags(descriptor(name), SWT.IMAGE_GRAY));
  }

  /** The icon with the red NaN/Inf badge at its bottom right, as the state tree's ⚠ marks a leaf. */
  public static Image withNaNBadge(String name) {
    return cached(name + "#nan", () -> new DecorationOverlayIcon(descriptor(name), descriptor(NAN_BADGE),
        IDecoration.BOTTOM_RIGHT));
  }

  // label providers of the debug views ask from their own jobs, not only the UI thread
  private static synchronized Image cached(String key, java.util.function.Supplier<ImageDescriptor> d) {
    ImageRegistry registry = DebuggerPlugin.getDefault().getImageRegistry();
    Image img = registry.get(key);
    if (img == null) {
      registry.put(key, d.get());
      img = registry.get(key);
    }
    return img;
  }
}
