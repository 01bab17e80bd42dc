package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.ui.StateFlowView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checked box in the State Flow view shows its tick on screen. Under Eclipse's light theme on
 * GTK the view's check boxes get a background colour, which SWT also paints over the box, and
 * Adwaita's white tick vanished on it ("Norms log y" is on by default and looked off). Reads the
 * screen's pixels where the box is drawn: a tick is dark; an unchecked box has no dark pixel.
 */
class CheckBoxTickTest {
  @TempDir
  Path dir;

  @AfterEach
  void close() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    Ui.closeStateFlowView();
  }

  @Test
  void aCheckedBoxShowsItsTickAndAnUncheckedOneDoesNot() throws Exception {
    Path db = Fixtures.linreg(dir.resolve("ticks.db"), 5, 0.02, -1, -1);
    StateFlowView view = StateFlowViewTest.show(db);
    Ui.run(() -> view.selectTab("Charts"));
    Ui.settle();
    Thread.sleep(300); // the check boxes' first paint
    Ui.run(() -> {}); // and what it posted
    int checked = Ui.call(() -> darkPixelsInBox(checkBox(view, "Norms log y", true)));
    int unchecked = Ui.call(() -> darkPixelsInBox(checkBox(view, "Log y", false)));
    assertEquals(0, unchecked, "an unchecked box has no tick");
    assertTrue(checked >= 6, "the checked box's tick is drawn (dark pixels in the box: " + checked + ")");
  }

  private static Button checkBox(StateFlowView view, String text, boolean selected) {
    List<Button> found = new ArrayList<>();
    collect((Composite) view.tree().getControl().getShell(), text, found);
    assertEquals(1, found.size(), "one check box '" + text + "'");
    Button b = found.getFirst();
    assertEquals(selected, b.getSelection(), text);
    assertTrue(b.isVisible(), text + " is on screen");
    return b;
  }

  private static void collect(Composite parent, String text, List<Button> out) {
    for (Control c : parent.getChildren()) {
      if (c instanceof Button b && (b.getStyle() & SWT.CHECK) != 0 && text.equals(b.getText())) {
        out.add(b);
      } else if (c instanceof Composite comp) {
        collect(comp, text, out);
      }
    }
  }

  /**
   * Pixels darker than the theme's blue border in the box (the button's left square, before its
   * label): the tick, drawn in the text colour. The label's letters start right of it.
   */
  private static int darkPixelsInBox(Button b) {
    int h = b.getSize().y;
    int w = Math.min(h, 18);
    Point origin = b.toDisplay(0, 0);
    Image img = new Image(b.getDisplay(), w, h);
    GC gc = new GC(b.getDisplay());
    try {
      gc.copyArea(img, origin.x, origin.y);
      ImageData data = img.getImageData();
      int dark = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          RGB rgb = data.palette.getRGB(data.getPixel(x, y));
          if (0.299 * rgb.red + 0.587 * rgb.green + 0.114 * rgb.blue < 100) {
            dark++;
          }
        }
      }
      return dark;
    } finally {
      gc.dispose();
      img.dispose();
    }
  }
}
