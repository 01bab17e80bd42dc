package dev.statelens.debugger.ui;

import java.util.Arrays;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Sash;

/**
 * The State Flow view's charts one under the other (a {@link SashForm}: drag between them), each
 * at least {@link #MIN_CHART_HEIGHT} pixels tall. In a pane too short for all of them the stack
 * scrolls, as Eclipse's form editors and the state flow picture do: a laptop screen with the
 * Console open gave each of the three charts about 83 pixels, too few for a plot under its title.
 * Over a chart the mouse wheel zooms the step axis while the stack fits; while it scrolls, the
 * wheel scrolls it (a user scrolling down to the norms chart must not zoom the others on the way)
 * and Ctrl+wheel zooms.
 */
public final class ChartStack {
  /** A chart's least height: title and subtitle, a plot of about 80 pixels, the step axis, a legend row. */
  public static final int MIN_CHART_HEIGHT = 180;
  /** Pixels one wheel notch scrolls the stack. */
  private static final int WHEEL_STEP = 48;

  private final ScrolledComposite scroll;
  private final SashForm sash;

  ChartStack(Composite parent) {
    scroll = new ScrolledComposite(parent, SWT.V_SCROLL);
    scroll.setExpandHorizontal(true); // as wide as the pane: a chart's points are one per pixel column of it
    scroll.setExpandVertical(true); // taller than the minimum when the pane is
    sash = new SashForm(scroll, SWT.VERTICAL);
    scroll.setContent(sash);
    scroll.getVerticalBar().setIncrement(WHEEL_STEP);
  }

  /** The control to lay out in the view. */
  public Control control() {
    return scroll;
  }

  /** The parent of the charts. */
  Composite charts() {
    return sash;
  }

  /** The charts' shares of the height (as {@link SashForm#setWeights}). */
  void setWeights(int... weights) {
    sash.setWeights(weights);
    update();
  }

  /** Re-lays out the stack after a chart was shown or hidden. */
  void update() {
    scroll.setMinHeight(minHeight());
    sash.layout(true);
  }

  /**
   * The least height at which every visible chart gets {@link #MIN_CHART_HEIGHT} with the sash's
   * shares (a user's drag included), at most twice that per chart: a chart the user dragged nearly
   * shut stays small rather than making the stack very tall.
   */
  public int minHeight() {
    Control[] charts = Arrays.stream(sash.getChildren()).filter(c -> !(c instanceof Sash)).toArray(Control[]::new);
    int[] weights = sash.getWeights();
    long total = 0;
    int visible = 0;
    int least = 0; // the smallest share of a visible chart (0: none has one); it sets the height
    for (int i = 0; i < charts.length; i++) {
      if (charts[i].getVisible()) {
        total += weights[i];
        visible++;
        least = weights[i] > 0 && (least == 0 || weights[i] < least) ? weights[i] : least;
      }
    }
    double height = least == 0 ? 0 : MIN_CHART_HEIGHT * (double) total / least;
    int sashes = Math.max(0, visible - 1) * sash.getSashWidth();
    // + a pixel per chart: the SashForm rounds each chart's share down
    return (int) Math.ceil(Math.min(height, 2.0 * MIN_CHART_HEIGHT * visible)) + sashes + visible;
  }

  /** Whether the pane is shorter than the charts need, so the stack scrolls. */
  public boolean scrolls() {
    return scroll.getClientArea().height < scroll.getMinHeight();
  }

  /** How far the stack is scrolled down, in pixels. */
  public int scrolledBy() {
    return scroll.getOrigin().y;
  }

  /**
   * A wheel event over a chart: scrolls the stack and returns true while it {@link #scrolls()} and
   * Ctrl is not held; else false (the chart zooms).
   */
  boolean scrollByWheel(Event e) {
    if ((e.stateMask & SWT.MOD1) != 0 || !scrolls() || e.count == 0) {
      return false;
    }
    Point origin = scroll.getOrigin();
    scroll.setOrigin(origin.x, origin.y - Integer.signum(e.count) * WHEEL_STEP);
    return true;
  }
}
