package dev.statelens.debugger.ui;

import java.util.function.Supplier;
import org.eclipse.swt.accessibility.ACC;
import org.eclipse.swt.accessibility.AccessibleAdapter;
import org.eclipse.swt.accessibility.AccessibleControlAdapter;
import org.eclipse.swt.accessibility.AccessibleControlEvent;
import org.eclipse.swt.accessibility.AccessibleEvent;
import org.eclipse.swt.widgets.Control;

/**
 * What a screen reader says for a control the view draws itself or labels with symbols: its name
 * ("Loss: 2 lines over steps 0–39", "Pause" for "❚❚ Pause"), its role and its value (the values at
 * the chart's crosshair). SWT asks these listeners when the accessibility bridge (ATK on GTK) asks.
 */
final class AccessibleText {
  private AccessibleText() {}

  /** A button whose text leads or ends with a symbol ("❚❚ Pause", "Next ▶"): named by its words. */
  static void nameButton(org.eclipse.swt.widgets.Button b) {
    String words = words(b.getText());
    if (!words.equals(b.getText())) {
      install(b, -1, () -> words, null);
    }
  }

  /** The words of a label, the symbols around them dropped: "❚❚ Pause" → "Pause", "Next ▶" → "Next". */
  static String words(String text) {
    return text.replaceAll("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}.>]+$", "").trim();
  }

  /**
   * {@code control}'s accessible name, role ({@code ACC.ROLE_*}, or -1 to keep the control's own)
   * and value (null: none); its help is its tooltip, which carries the key binding.
   */
  static void install(Control control, int role, Supplier<String> name, Supplier<String> value) {
    control.getAccessible().addAccessibleListener(new AccessibleAdapter() {
      @Override
      public void getName(AccessibleEvent e) {
        if (e.childID == ACC.CHILDID_SELF) {
          e.result = name.get();
        }
      }

      @Override
      public void getHelp(AccessibleEvent e) {
        if (e.childID == ACC.CHILDID_SELF) {
          e.result = control.getToolTipText();
        }
      }

      @Override
      public void getDescription(AccessibleEvent e) {
        if (e.childID == ACC.CHILDID_SELF && value != null) {
          e.result = value.get();
        }
      }
    });
    if (role < 0 && value == null) {
      return;
    }
    control.getAccessible().addAccessibleControlListener(new AccessibleControlAdapter() {
      @Override
      public void getRole(AccessibleControlEvent e) {
        if (role >= 0 && e.childID == ACC.CHILDID_SELF) {
          e.detail = role;
        }
      }

      @Override
      public void getValue(AccessibleControlEvent e) {
        if (value != null && e.childID == ACC.CHILDID_SELF) {
          e.result = value.get();
        }
      }
    });
  }

  /** Tells a listening screen reader that {@code control}'s value (and so its description) changed. */
  static void valueChanged(Control control) {
    if (!control.isDisposed()) {
      control.getAccessible().sendEvent(ACC.EVENT_VALUE_CHANGED, null);
      control.getAccessible().sendEvent(ACC.EVENT_DESCRIPTION_CHANGED, null);
    }
  }
}
