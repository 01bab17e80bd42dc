package dev.statelens.test.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;

/**
 * A window's or dialog's controls found as a user finds them, by kind and by what they show
 * ("the button labelled Break when loss >", "the About link of SL003"). Call on the UI thread.
 */
public final class Widgets {
  private Widgets() {}

  /** Every {@code type} under {@code root} (at any depth, in tree order) that passes {@code test}. */
  public static <T extends Control> List<T> all(Composite root, Class<T> type, Predicate<? super T> test) {
    List<T> found = new ArrayList<>();
    collect(root, type, test, found);
    return found;
  }

  /** The one {@code type} under {@code root} that passes {@code test}; an AssertionError naming what was found otherwise. */
  public static <T extends Control> T one(Composite root, Class<T> type, Predicate<? super T> test) {
    List<T> found = all(root, type, test);
    if (found.size() != 1) {
      throw new AssertionError("one " + type.getSimpleName() + " wanted, found " + found.size() + ": " + found);
    }
    return found.get(0);
  }

  /** The one push button (or any button but a check box) under {@code root} labelled {@code text}. */
  public static Button button(Composite root, String text) {
    return one(root, Button.class, b -> (b.getStyle() & SWT.CHECK) == 0 && text.equals(b.getText()));
  }

  /** The one check box under {@code root} labelled {@code text}. */
  public static Button checkBox(Composite root, String text) {
    return one(root, Button.class, b -> (b.getStyle() & SWT.CHECK) != 0 && text.equals(b.getText()));
  }

  /** The one label under {@code root} reading {@code text}. */
  public static Label label(Composite root, String text) {
    return one(root, Label.class, l -> text.equals(l.getText()));
  }

  /** The control laid out right after {@code c} in its parent (the value after its button), or null. */
  public static Control next(Control c) {
    List<Control> siblings = Arrays.asList(c.getParent().getChildren());
    int at = siblings.indexOf(c);
    return at + 1 < siblings.size() ? siblings.get(at + 1) : null;
  }

  private static <T extends Control> void collect(Composite parent, Class<T> type, Predicate<? super T> test,
      List<T> found) {
    for (Control c : parent.getChildren()) {
      if (type.isInstance(c) && test.test(type.cast(c))) {
        found.add(type.cast(c));
      }
      if (c instanceof Composite child) {
        collect(child, type, test, found);
      }
    }
  }
}
