package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.debugger.ui.ThemeColors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In Eclipse's dark theme a disabled button in the State Flow view looks disabled: its text is
 * dimmer on screen than an enabled button's. The theme's CSS gives buttons their text colour, which
 * GTK then draws in every state, so a run without events showed <i>Next event</i> as clickable as
 * <i>Next ▶</i>. Reads the screen's pixels where the buttons are drawn.
 */
class DisabledButtonsTest {
  @TempDir
  static Path dir;

  @BeforeAll
  static void dark() {
    DarkThemeTest.setTheme(DarkThemeTest.DARK);
  }

  @AfterAll
  static void light() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    Ui.closeStateFlowView();
    DarkThemeTest.setTheme(DarkThemeTest.LIGHT);
  }

  @Test
  void aDisabledButtonsTextIsDimmedAndAnEnabledOneGetsItsColourBack() throws Exception {
    StateFlowView view = StateFlowViewTest.show(Fixtures.linreg(dir.resolve("no-events.db"), 5, 0.02, -1, -1));
    Ui.settle();
    Thread.sleep(300); // the buttons' first paint
    Ui.run(() -> { });
    Button nextEvent = Ui.call(() -> button(view, "Next event"));
    Button next = Ui.call(() -> button(view, "Next ▶"));
    assertFalse(Ui.call(nextEvent::getEnabled), "a run without events: Next event is disabled");
    assertTrue(Ui.call(() -> ThemeColors.of(next).dark()), "the dark theme styles the view's buttons");
    double enabledText = Ui.call(() -> brightestText(next));
    double disabledText = Ui.call(() -> brightestText(nextEvent));
    shot("debugger-dark-disabled-button.png");
    assertTrue(disabledText < enabledText - 0.15, "the disabled button's text is dimmer on screen (its brightest "
        + "pixel's luminance " + disabledText + ", an enabled one's " + enabledText + ")");

    // a theme switch restyles every button with the theme's colour: the disabled one is dimmed again
    DarkThemeTest.setTheme(DarkThemeTest.LIGHT);
    DarkThemeTest.setTheme(DarkThemeTest.DARK);
    Thread.sleep(300);
    Ui.run(() -> { });
    assertTrue(Ui.call(() -> brightestText(nextEvent)) < Ui.call(() -> brightestText(next)) - 0.15,
        "still dimmed after switching the theme back to dark");

    // a run with events: Next event enabled, its text the theme's as Next ▶'s
    StateFlowViewTest.show(Fixtures.linreg(dir.resolve("events.db"), 6, 0.02, 2, -1));
    Ui.settle();
    assertTrue(Ui.call(nextEvent::getEnabled), "a retrace is an event: Next event is enabled");
    assertEquals(Ui.call(() -> next.getForeground().getRGB()), Ui.call(() -> nextEvent.getForeground().getRGB()),
        "enabled again: the theme's text colour");
  }

  private static Button button(StateFlowView view, String text) {
    List<Button> found = new ArrayList<>();
    collect(view.tree().getControl().getShell(), text, found);
    assertEquals(1, found.size(), "buttons labelled '" + text + "': " + found);
    assertTrue(found.getFirst().isVisible(), text + " is on screen");
    return found.getFirst();
  }

  private static void collect(Composite parent, String text, List<Button> out) {
    for (Control c : parent.getChildren()) {
      if (c instanceof Button b && text.equals(b.getText())) {
        out.add(b);
      } else if (c instanceof Composite comp) {
        collect(comp, text, out);
      }
    }
  }

  /** The luminance (0-1) of the brightest pixel in the button's middle: its light text on the dark theme. */
  private static double brightestText(Button b) {
    Point size = b.getSize();
    int inset = Math.min(6, size.y / 4); // inside the border
    Point origin = b.toDisplay(inset, inset);
    int w = size.x - 2 * inset, h = size.y - 2 * inset;
    Image img = new Image(b.getDisplay(), w, h);
    GC gc = new GC(b.getDisplay());
    try {
      gc.copyArea(img, origin.x, origin.y);
      ImageData data = img.getImageData();
      double max = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          RGB rgb = data.palette.getRGB(data.getPixel(x, y));
          max = Math.max(max, ThemeColors.luminance(rgb));
        }
      }
      return max;
    } finally {
      gc.dispose();
      img.dispose();
    }
  }

  private static void shot(String name) throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    if (out != null) {
      ScreenshotTest.capture(Files.createDirectories(Path.of(out)).resolve(name));
    }
  }
}
