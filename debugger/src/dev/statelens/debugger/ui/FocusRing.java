package dev.statelens.debugger.ui;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;

/**
 * Keyboard focus for a custom-drawn canvas, as native controls have it: Tab and Shift+Tab reach it
 * and leave it (a canvas that handles arrow keys otherwise keeps Tab to itself on GTK), and while it
 * has the focus it shows a 2-pixel ring in the theme's focus colour, so a keyboard user sees where
 * the keys go (GTK draws none for a canvas, in either theme).
 */
final class FocusRing {
  static final int WIDTH = 2;

  private FocusRing() {}

  /** Tab traversal and a repaint when the focus comes or goes; the canvas's paint calls {@link #paint}. */
  static void install(Canvas canvas) {
    // Tab and Shift+Tab traverse (a canvas with a key listener keeps them otherwise); arrows are its own keys
    canvas.addListener(SWT.Traverse, e -> e.doit = e.detail != SWT.TRAVERSE_ARROW_NEXT
        && e.detail != SWT.TRAVERSE_ARROW_PREVIOUS);
    canvas.addListener(SWT.FocusIn, e -> canvas.redraw());
    canvas.addListener(SWT.FocusOut, e -> canvas.redraw());
    canvas.addListener(SWT.MouseDown, e -> canvas.setFocus());
  }

  /** Draws the ring inside {@code canvas}'s client area when it has the focus (call last in its paint). */
  static void paint(Canvas canvas, GC gc) {
    if (!canvas.isFocusControl()) {
      return;
    }
    Rectangle r = canvas.getClientArea();
    gc.setForeground(ThemeColors.of(canvas).focusRing());
    gc.setLineWidth(WIDTH);
    gc.setLineStyle(SWT.LINE_SOLID);
    gc.drawRectangle(r.x + 1, r.y + 1, r.width - WIDTH, r.height - WIDTH);
    gc.setLineWidth(1);
  }
}
