package dev.statelens.debugger.ui;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Layout;

/**
 * The Live row: its controls (a {@link WrapRow}) as wide as they need on one line, or as wide as the
 * row when that is less — then they wrap — and the status after them in what their line leaves (a
 * running program's last event; once it ended the controls go and "finished" has the row). The
 * status never widens the row: a long text ran past the view's edge, where GTK cut it mid-word.
 *
 * <p>The row's height at a width is the wrapped controls' at that width, so the view's layout gets it
 * in the same pass that gives the row its width. A GridLayout with a width hint set on resize needed a
 * second, posted layout: in the first the timeline below kept its place and covered the row's second
 * line.
 */
final class LiveRowLayout extends Layout {
  private static final int SPACING = 5;
  private final Control controls;
  private final Control status;

  LiveRowLayout(Control controls, Control status) {
    this.controls = controls;
    this.status = status;
  }

  @Override
  protected Point computeSize(Composite row, int wHint, int hHint, boolean flush) {
    Point one = controls.computeSize(SWT.DEFAULT, SWT.DEFAULT, flush);
    int width = wHint == SWT.DEFAULT ? one.x : Math.min(one.x, wHint);
    int height = Math.max(controlsHeight(width, one, flush), status.computeSize(SWT.DEFAULT, SWT.DEFAULT, flush).y);
    return new Point(wHint == SWT.DEFAULT ? width : wHint, hHint == SWT.DEFAULT ? height : hHint);
  }

  @Override
  protected void layout(Composite row, boolean flush) {
    Rectangle area = row.getClientArea();
    Point one = controls.computeSize(SWT.DEFAULT, SWT.DEFAULT, flush);
    int width = Math.min(one.x, area.width);
    int height = controlsHeight(width, one, flush);
    controls.setBounds(area.x, area.y, width, height);
    int statusHeight = status.computeSize(SWT.DEFAULT, SWT.DEFAULT, flush).y;
    int x = area.x + width + SPACING;
    status.setBounds(x, area.y + Math.max(0, (Math.max(height, area.height) - statusHeight) / 2),
        Math.max(0, area.x + area.width - x), statusHeight);
  }

  /** The controls' height at {@code width}: one line's when they fit, more when they wrap. */
  private int controlsHeight(int width, Point oneLine, boolean flush) {
    return width >= oneLine.x ? oneLine.y : controls.computeSize(width, SWT.DEFAULT, flush).y;
  }

  @Override
  protected boolean flushCache(Control control) {
    return true;
  }
}
