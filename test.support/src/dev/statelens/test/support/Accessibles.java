package dev.statelens.test.support;

import java.lang.reflect.Field;
import java.util.List;
import org.eclipse.swt.accessibility.ACC;
import org.eclipse.swt.accessibility.Accessible;
import org.eclipse.swt.accessibility.AccessibleControlEvent;
import org.eclipse.swt.accessibility.AccessibleControlListener;
import org.eclipse.swt.accessibility.AccessibleEvent;
import org.eclipse.swt.accessibility.AccessibleListener;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;

/**
 * What a screen reader is told about a control: SWT asks the control's accessible listeners when
 * the accessibility bridge (ATK on GTK) asks, so this asks them the same way. SWT has no public
 * getter for them; they are read from {@link Accessible}'s listener lists. Call on the UI thread.
 */
public final class Accessibles {
  private Accessibles() {}

  /** The accessible name: the listeners' answer, else the text GTK reads (a button's or label's). */
  public static String name(Control control) {
    AccessibleEvent e = new AccessibleEvent(control.getAccessible());
    e.childID = ACC.CHILDID_SELF;
    for (AccessibleListener l : listeners(control.getAccessible(), "accessibleListeners", AccessibleListener.class)) {
      l.getName(e);
    }
    if (e.result != null) {
      return e.result;
    }
    return control instanceof Button b ? b.getText() : control instanceof Label l ? l.getText() : null;
  }

  /** The accessible value (a chart's numbers at its crosshair, a slider's position), or null. */
  public static String value(Control control) {
    AccessibleControlEvent e = new AccessibleControlEvent(control.getAccessible());
    e.childID = ACC.CHILDID_SELF;
    for (AccessibleControlListener l : listeners(control.getAccessible(), "accessibleControlListeners",
        AccessibleControlListener.class)) {
      l.getValue(e);
    }
    return e.result;
  }

  private static <T> List<T> listeners(Accessible accessible, String field, Class<T> type) {
    try {
      Field f = Accessible.class.getDeclaredField(field);
      f.setAccessible(true);
      List<?> list = (List<?>) f.get(accessible);
      return list == null ? List.of() : list.stream().map(type::cast).toList();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("SWT's Accessible has no field " + field + " any more: read its listeners another way", e);
    }
  }
}
