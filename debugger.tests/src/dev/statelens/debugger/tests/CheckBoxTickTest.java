package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.ui.StateFlowView;
import java.nio.file.Path;
import dev.statelens.test.support.Screen;
import dev.statelens.test.support.Widgets;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
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
    Button b = Widgets.checkBox(view.tree().getControl().getShell(), text);
    assertEquals(selected, b.getSelection(), text);
    assertTrue(b.isVisible(), text + " is on screen");
    return b;
  }

  /**
   * Pixels darker than the theme's blue border in the box (the button's left square, before its
   * label): the tick, drawn in the text colour. The label's letters start right of it.
   */
  private static int darkPixelsInBox(Button b) {
    int h = b.getSize().y;
    return (int) Screen.pixels(b, new Rectangle(0, 0, Math.min(h, 18), h)).stream()
        .filter(rgb -> 0.299 * rgb.red + 0.587 * rgb.green + 0.114 * rgb.blue < 100).count();
  }
}
