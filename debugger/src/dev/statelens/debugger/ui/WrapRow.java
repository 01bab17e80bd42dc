package dev.statelens.debugger.ui;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.RowData;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;

/**
 * A row of controls that wraps to the next line when the view is too narrow for it, as the Charts
 * tab's bar does: a grid row of a fixed column count ran past the view's edge, where its last
 * buttons were cut off. Put it in a FILL, grabbing cell of a GridLayout, which asks it for its
 * height at the width it gets.
 */
final class WrapRow {
  private WrapRow() {}

  /** A wrapping row, items centred vertically, with room around each item for a focus ring. */
  static Composite create(Composite parent) {
    Composite row = new Composite(parent, SWT.NONE);
    row.setLayout(layout(true));
    return row;
  }

  /**
   * Two controls in {@code row} that wrap together, a label and its field or a button and its value
   * ("Step: [4]", "Run to step [5]"): apart, a narrow view put "Step:" at one line's end and its
   * spinner at the next line's start. Same room for a focus ring as the row.
   */
  static Composite pair(Composite row) {
    Composite pair = new Composite(row, SWT.NONE);
    pair.setLayout(layout(false));
    return pair;
  }

  private static RowLayout layout(boolean wrap) {
    RowLayout layout = new RowLayout(SWT.HORIZONTAL);
    layout.wrap = wrap;
    layout.center = true;
    // room for a focused button's ring (FocusRing) on every side, also at a line's start
    layout.marginLeft = FocusRing.WIDTH;
    layout.marginRight = FocusRing.WIDTH;
    layout.marginTop = FocusRing.WIDTH;
    layout.marginBottom = FocusRing.WIDTH;
    layout.marginWidth = 0;
    layout.marginHeight = 0;
    layout.spacing = 2 * FocusRing.WIDTH + 1;
    return layout;
  }

  /** Shows or hides {@code c} and takes it out of the row while hidden (no gap where it was). */
  static void show(Control c, boolean shown) {
    if (!(c.getLayoutData() instanceof RowData)) {
      c.setLayoutData(new RowData());
    }
    ((RowData) c.getLayoutData()).exclude = !shown;
    c.setVisible(shown);
  }
}
