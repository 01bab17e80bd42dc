package dev.statelens.test.support;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;

/**
 * Real keystrokes, posted to the display as the keyboard sends them ({@link Display#post}): they go
 * through GTK, the focus control and the workbench's key bindings, as a user's do. A key is pressed
 * with its modifiers held: {@code Keys.press(SWT.CTRL, '1')}, {@code Keys.press(SWT.SHIFT, SWT.F6)},
 * {@code Keys.press(0, SWT.TAB)}. Call from the test thread; let the UI settle after.
 */
public final class Keys {
  private Keys() {}

  private static final int[] MODIFIERS = {SWT.CTRL, SWT.SHIFT, SWT.ALT};

  /**
   * Presses and releases {@code key} with {@code modifiers} ({@code SWT.CTRL | SWT.SHIFT}, 0 for
   * none): a character ({@code 'f'}, {@code '1'}) or a key code ({@code SWT.F6}, {@code SWT.ARROW_RIGHT},
   * {@code SWT.CR}, {@code SWT.TAB}).
   */
  public static void press(int modifiers, int key) {
    Display.getDefault().syncExec(() -> {
      Display d = Display.getCurrent();
      for (int m : MODIFIERS) {
        if ((modifiers & m) != 0) {
          post(d, SWT.KeyDown, m);
        }
      }
      post(d, SWT.KeyDown, key);
      post(d, SWT.KeyUp, key);
      for (int i = MODIFIERS.length - 1; i >= 0; i--) {
        if ((modifiers & MODIFIERS[i]) != 0) {
          post(d, SWT.KeyUp, MODIFIERS[i]);
        }
      }
    });
  }

  private static void post(Display d, int type, int key) {
    Event e = new Event();
    e.type = type;
    if ((key & SWT.KEYCODE_BIT) != 0 || key == SWT.CTRL || key == SWT.SHIFT || key == SWT.ALT
        || key == SWT.TAB || key == SWT.CR || key == SWT.ESC || key == SWT.BS || key == SWT.DEL) {
      e.keyCode = key; // Tab, Enter, Esc as keys: posted as characters GTK gets no Tab or Return key
    } else {
      e.character = (char) key; // letters and digits
    }
    if (!d.post(e)) {
      throw new IllegalStateException("the display refused a posted key event (" + key + "): run under xvfb-run");
    }
  }
}
