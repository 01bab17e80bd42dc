package dev.statelens.debugger.ui;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Composite;

/**
 * Keyboard focus for a custom-drawn canvas, as native controls have it: Tab and Shift+Tab reach it
 * and leave it (a canvas that handles arrow keys otherwise keeps Tab to itself on GTK), and while it
 * has the focus it shows a 2-pixel ring in the theme's focus colour, so a keyboard user sees where
 * the keys go (GTK draws none for a canvas, in either theme). The view's push buttons get the same
 * ring ({@link #install(Button)}).
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

  /**
   * The same ring around a native push button while it has the focus: GTK's own focus mark on a
   * button is a faint dotted line, hard to see in the dark theme. GTK does not let a button's paint
   * listener draw over it, so the button's parent draws the ring in the gap around it (the button's
   * row leaves {@link #WIDTH} pixels of room on every side: {@link WrapRow}).
   */
  static void install(Button button) {
    button.setData(RING, Boolean.TRUE);
    button.addListener(SWT.FocusIn, e -> redrawAround(button));
    button.addListener(SWT.FocusOut, e -> redrawAround(button));
    Composite parent = button.getParent();
    if (parent.getData(RING) == null) {
      parent.setData(RING, Boolean.TRUE);
      parent.addListener(SWT.Paint, e -> {
        for (Control c : parent.getChildren()) {
          if (c.getData(RING) != null && c.isVisible() && c.isFocusControl()) {
            paintAround(c.getBounds(), ThemeColors.of(parent), e.gc);
          }
        }
      });
    }
  }

  private static final String RING = "dev.statelens.focusRing";

  private static void redrawAround(Control c) {
    Rectangle r = c.getBounds();
    c.getParent().redraw(r.x - WIDTH, r.y - WIDTH, r.width + 2 * WIDTH, r.height + 2 * WIDTH, false);
  }

  /** Four strips of {@link #WIDTH} pixels just outside {@code r}, in the theme's focus colour. */
  private static void paintAround(Rectangle r, ThemeColors theme, GC gc) {
    Color ring = theme.focusRing();
    gc.setBackground(ring);
    gc.fillRectangle(r.x - WIDTH, r.y - WIDTH, r.width + 2 * WIDTH, WIDTH);
    gc.fillRectangle(r.x - WIDTH, r.y + r.height, r.width + 2 * WIDTH, WIDTH);
    gc.fillRectangle(r.x - WIDTH, r.y, WIDTH, r.height);
    gc.fillRectangle(r.x + r.width, r.y, WIDTH, r.height);
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
