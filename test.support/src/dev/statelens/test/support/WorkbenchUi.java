package dev.statelens.test.support;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.ui.PlatformUI;

/**
 * What the workbench tests do to the window from their (non-UI) test thread, as a user would:
 * size it (there is no window manager under Xvfb), switch perspective, centre dialogs, open a
 * Problems view group, let the UI settle. Each call runs on the UI thread and waits for it.
 */
public final class WorkbenchUi {
  private WorkbenchUi() {}

  /** The active workbench window's shell (call on the UI thread). */
  public static Shell window() {
    return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
  }

  /** The workbench window at the screen's top left, {@code width × height}. */
  public static void sizeWindow(int width, int height) {
    sync(() -> {
      var screen = window().getDisplay().getBounds();
      window().setBounds(screen.x, screen.y, width, height);
    });
  }

  /** Window > Perspective > Open Perspective > {@code id}. */
  public static void showPerspective(String id) {
    sync(() -> {
      try {
        PlatformUI.getWorkbench().showPerspective(id, PlatformUI.getWorkbench().getActiveWorkbenchWindow());
      } catch (Exception e) {
        throw new IllegalStateException("cannot open perspective " + id, e);
      }
    });
  }

  /** Every visible dialog moved to the middle of the screen and on top, where a window manager puts it. */
  public static void centreDialogs() {
    sync(() -> {
      var screen = window().getDisplay().getBounds();
      for (Shell s : Display.getDefault().getShells()) {
        if (s != window() && s.isVisible()) {
          var size = s.getSize();
          s.setLocation((screen.width - size.x) / 2, (screen.height - size.y) / 2);
          s.moveAbove(null);
        }
      }
    });
  }

  /** Opens every tree row starting {@code label} (the Problems view's "Warnings (3 items)"), as a click does. */
  public static void expandGroups(String label) {
    sync(() -> expand(window(), label));
  }

  private static void expand(Composite parent, String label) {
    for (var child : parent.getChildren()) {
      if (child instanceof Tree tree) {
        for (var item : tree.getItems()) {
          if (item.getText().startsWith(label)) {
            // the viewer makes the children on Expand; expanding before that opened a row with none
            Event e = new Event();
            e.item = item;
            tree.notifyListeners(SWT.Expand, e);
            item.setExpanded(true);
          }
        }
      } else if (child instanceof Composite c) {
        expand(c, label);
      }
    }
  }

  /** Runs the UI's event loop for {@code millis}, so popups and views finish painting. */
  public static void settle(long millis) throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    do {
      Display.getDefault().syncExec(() -> {
        while (Display.getDefault().readAndDispatch()) {
          // drain
        }
      });
      Thread.sleep(Math.min(100, Math.max(1, millis)));
    } while (System.currentTimeMillis() < end);
  }

  /**
   * A click on {@code control} (a button, a link), as the user's: its Selection listeners run later
   * on the UI thread, so a modal dialog it opens does not block the test thread.
   */
  public static void click(Control control) {
    control.getDisplay().asyncExec(() -> control.notifyListeners(SWT.Selection, new Event()));
  }

  /** The first visible shell that passes {@code test} within {@code millis}, the UI settling meanwhile; null if none showed. */
  public static Shell awaitShell(Predicate<Shell> test, long millis) throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    do {
      settle(100);
      Shell shown = call(() -> {
        for (Shell s : Display.getDefault().getShells()) {
          if (s.isVisible() && test.test(s)) {
            return s;
          }
        }
        return null;
      });
      if (shown != null) {
        return shown;
      }
    } while (System.currentTimeMillis() < end);
    return null;
  }

  /**
   * {@code call}'s result, computed on the UI thread; what it throws is rethrown on the test thread
   * as it is (an assertion's AssertionError too), a checked exception wrapped.
   */
  public static <T> T call(Callable<T> call) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Display.getDefault().syncExec(() -> {
      try {
        result.set(call.call());
      } catch (Throwable t) {
        failed.set(t);
      }
    });
    switch (failed.get()) {
      case null -> {
        return result.get();
      }
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      case Throwable t -> throw new IllegalStateException(t);
    }
  }

  private static void sync(Runnable r) {
    call(() -> {
      r.run();
      return null;
    });
  }
}
