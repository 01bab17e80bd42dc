package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.debugger.ui.ThemeColors;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.statelens.test.support.Screen;
import dev.statelens.test.support.Widgets;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
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
    Button b = Widgets.button(view.tree().getControl().getShell(), text);
    assertTrue(b.isVisible(), text + " is on screen");
    return b;
  }

  /** The luminance (0-1) of the brightest pixel in the button's middle: its light text on the dark theme. */
  private static double brightestText(Button b) {
    Point size = b.getSize();
    int inset = Math.min(6, size.y / 4); // inside the border
    return Screen.pixels(b, new Rectangle(inset, inset, size.x - 2 * inset, size.y - 2 * inset)).stream()
        .mapToDouble(ThemeColors::luminance).max().orElse(0);
  }

  private static void shot(String name) throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    if (out != null) {
      ScreenshotTest.capture(Files.createDirectories(Path.of(out)).resolve(name));
    }
  }
}
