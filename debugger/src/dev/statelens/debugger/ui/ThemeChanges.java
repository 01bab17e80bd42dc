package dev.statelens.debugger.ui;

import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.css.swt.theme.IThemeEngine;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;
import org.osgi.service.event.EventHandler;

/**
 * Tells a view that the workbench switched its theme (<em>Window > Preferences > General >
 * Appearance</em>), once the theme has restyled the widgets. What a view paints itself reads the
 * theme's colours when it paints, but colours it handed to a widget (a tree row's tint, a styled
 * text's ranges) stay until it hands new ones: before, a switch to the dark theme left the state
 * tree's changed rows and the graph's group headings in the light theme's tints until the view was
 * reopened.
 *
 * <p>Eclipse's theme engine posts {@link IThemeEngine.Events#THEME_CHANGED} on the workbench's
 * event broker and only then re-applies the CSS to the widgets, so the callback runs in an
 * {@code asyncExec} after that.
 */
public final class ThemeChanges {
  private ThemeChanges() {}

  /** Runs {@code restyle} on the UI thread after each theme switch, while {@code owner} lives. */
  public static void whileAlive(Control owner, Runnable restyle) {
    if (!PlatformUI.isWorkbenchRunning()) {
      return;
    }
    IEventBroker broker = PlatformUI.getWorkbench().getService(IEventBroker.class);
    if (broker == null) {
      return;
    }
    Display display = owner.getDisplay();
    EventHandler handler = event -> display.asyncExec(() -> {
      if (!owner.isDisposed()) {
        restyle.run();
      }
    });
    broker.subscribe(IThemeEngine.Events.THEME_CHANGED, handler);
    owner.addDisposeListener(e -> broker.unsubscribe(handler));
  }
}
