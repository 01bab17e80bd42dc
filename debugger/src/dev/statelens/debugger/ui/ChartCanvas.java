package dev.statelens.debugger.ui;

import dev.statelens.debugger.chart.ChartColors;
import dev.statelens.debugger.chart.ChartReadout;
import dev.statelens.debugger.chart.ChartSpec;
import dev.statelens.debugger.chart.Charts;
import java.util.function.LongConsumer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.accessibility.ACC;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * A JFreeChart chart drawn as an image on an SWT canvas. Click a point to select its step; the
 * mouse wheel zooms the step axis around the pointer, a drag pans a zoomed chart along it,
 * double-click resets. Redraws are throttled
 * to 20 per second however fast a live run changes the spec.
 *
 * <p>Without a mouse: Tab reaches the chart (a focus ring shows it), ←/→ move the crosshair a step
 * (selecting it, as a click does), Home/End to the ends, and a box at the crosshair reads each
 * line's value there. A screen reader gets the same words ({@link ChartReadout}): the chart's name
 * and lines as its accessible name, the values at the crosshair as its value; the pointer's tooltip
 * reads the values under it.
 */
public final class ChartCanvas extends Canvas {
  /** Called with a new visible step range (zoom), or (-1, -1) for the whole run. */
  public interface ZoomListener {
    void zoomed(long from, long to);
  }

  private ChartSpec spec;
  private Image image;
  private Charts.Rendered rendered;
  private boolean dirty = true;
  private final RedrawThrottle throttle;
  private LongConsumer stepListener = s -> {};
  private ZoomListener zoomListener = (a, b) -> {};
  /** Takes a wheel event before it zooms (returns true: no zoom), e.g. to scroll the charts' pane. */
  private java.util.function.Predicate<org.eclipse.swt.widgets.Event> wheelTaken = e -> false;
  private String placeholder = "";

  public ChartCanvas(Composite parent) {
    super(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
    throttle = new RedrawThrottle(getDisplay(), 50, () -> {
      if (!isDisposed()) {
        redraw();
      }
    });
    addPaintListener(e -> paint(e.gc));
    addListener(SWT.Resize, e -> dirty = true);
    addListener(SWT.MouseDown, e -> {
      if (e.button == 1) {
        pressX = e.x;
        panBy = 0;
        dragged = false;
      }
    });
    addListener(SWT.MouseUp, e -> {
      if (e.button != 1) {
        return;
      }
      boolean panned = pressX != NO_PRESS && panBy != 0;
      pressX = NO_PRESS;
      if (panned) {
        endPan();
      } else if (!dragged && ensureRendered() && e.count == 1) { // a drag is no click, also where nothing pans
        long step = rendered.stepAt(e.x);
        if (step >= 0) {
          stepListener.accept(step);
        }
      }
    });
    addListener(SWT.MouseDoubleClick, e -> zoomListener.zoomed(-1, -1));
    // a legend item's label may be shortened in the middle: its tooltip is the full leaf path;
    // over the plot, the values at the step under the pointer
    addListener(SWT.MouseMove, e -> {
      if (pressX != NO_PRESS && (e.stateMask & SWT.BUTTON1) != 0) {
        dragged |= Math.abs(e.x - pressX) >= PAN_SLOP;
        if (pan(e.x - pressX)) {
          return;
        }
      }
      String tip = rendered == null ? null : rendered.legendToolTipAt(e.x, e.y);
      if (tip == null && rendered != null && spec != null) {
        tip = ChartReadout.tooltip(spec, rendered.stepAt(e.x)); // one readout per move (it was computed twice)
      }
      if (!java.util.Objects.equals(tip, getToolTipText())) {
        setToolTipText(tip);
      }
    });
    FocusRing.install(this);
    addListener(SWT.KeyDown, e -> moveCrosshair(e.keyCode));
    AccessibleText.install(this, ACC.ROLE_GRAPHIC, () -> spec == null ? placeholder : ChartReadout.summary(spec),
        () -> spec == null ? "" : ChartReadout.atAsText(spec, spec.selectedStep()));
    addListener(SWT.MouseVerticalWheel, e -> {
      if (!wheelTaken.test(e)) {
        zoom(e.x, e.count);
      }
      e.doit = false; // handled here: the pane around must not scroll as well
    });
    addListener(SWT.Dispose, e -> {
      if (image != null) {
        image.dispose();
      }
    });
  }

  /**
   * ←/→ a point (of the finest line: a step unless downsampled), Page Up/Down a tenth of the steps
   * as on the timeline, Home/End to the first/last step the lines have: selects that step as a click
   * does (the view moves every chart's crosshair there). From no crosshair, the keys start at the last step.
   */
  private void moveCrosshair(int keyCode) {
    long[] range = ChartReadout.range(spec);
    if (range == null) {
      return;
    }
    long at = spec.selectedStep() >= 0 ? spec.selectedStep() : range[1];
    long step = spec.selectedStep() >= 0 ? ChartReadout.keyStep(spec) : 0;
    long page = spec.selectedStep() >= 0 ? Math.max(step, (range[1] - range[0]) / 10) : 0;
    long to = switch (keyCode) {
      case SWT.ARROW_LEFT -> at - step;
      case SWT.ARROW_RIGHT -> at + step;
      case SWT.PAGE_UP -> at - page;
      case SWT.PAGE_DOWN -> at + page;
      case SWT.HOME -> range[0];
      case SWT.END -> range[1];
      default -> -1;
    };
    if (to < 0) {
      return;
    }
    to = Math.max(range[0], Math.min(range[1], to));
    setSpec(spec.atStep(to)); // at once, also when the listener does not move the crosshair
    stepListener.accept(to);
  }

  /** What the box at the crosshair reads while the chart has the keyboard focus (tests): "step 12", "loss 0.0345", …. */
  public java.util.List<String> readout() {
    return spec == null ? java.util.List.of() : ChartReadout.at(spec, spec.selectedStep());
  }

  private void zoom(int x, int count) {
    // the chart as it is now: the last paint's may be another spec's (a new run read since), whose
    // axis zoomed a 3,000-step run to steps 99,884..938,587 of the million-step run shown before
    if (!ensureRendered() || rendered.dataArea() == null) {
      return;
    }
    var axis = rendered.chart().getXYPlot().getDomainAxis();
    double lo = axis.getLowerBound(), hi = axis.getUpperBound();
    long at = rendered.stepAt(x);
    double center = at >= 0 ? at : (lo + hi) / 2;
    double f = count > 0 ? 0.8 : 1.25;
    long from = (long) Math.floor(center - (center - lo) * f);
    long to = (long) Math.ceil(center + (hi - center) * f);
    if (to - from >= 4) {
      zoomListener.zoomed(from, to);
    }
  }

  /** The run's first and last step, or null: the lines' own (which, zoomed, are only the range shown). */
  private long[] stepBounds;

  /**
   * The steps a drag may pan over: the run's ({@code first > last}: unknown). A zoomed chart's lines
   * hold only the steps shown, so without them there was nothing to pan to.
   */
  public void setStepBounds(long first, long last) {
    stepBounds = first <= last ? new long[] {first, last} : null;
  }

  private static final int NO_PRESS = Integer.MIN_VALUE;
  /** Pixels a press must move before it pans rather than clicks (a shaky click still selects its step). */
  private static final int PAN_SLOP = 4;
  private int pressX = NO_PRESS;
  /** Whether the pointer moved past {@link #PAN_SLOP} since the press: then its release selects no step. */
  private boolean dragged;
  /** The pixels the plot is dragged by while panning (0: not panning). */
  private int panBy;

  /**
   * Drags the plot sideways by {@code dx} pixels: the image already drawn moves with the pointer (no
   * read, no render: the next range is read once, when the button is released), and only while the
   * chart shows part of its steps (zoomed), since all steps cannot move. Returns whether it panned.
   */
  private boolean pan(int dx) {
    if (panBy == 0 && (Math.abs(dx) < PAN_SLOP || !ensureRendered()) || rendered == null || rendered.dataArea() == null
        || panRange(0) == null) {
      return false;
    }
    if (dx != panBy) {
      panBy = dx;
      redraw();
    }
    return true;
  }

  private void endPan() {
    long[] range = panRange(panBy);
    panBy = 0;
    redraw();
    if (range != null) {
      zoomListener.zoomed(range[0], range[1]);
    }
  }

  /**
   * The step range shown after dragging the plot by {@code dx} pixels (right: earlier steps), kept
   * inside the steps the lines have, or null when the chart shows all of them (nothing to pan).
   */
  private long[] panRange(int dx) {
    long[] shown = ChartReadout.range(spec); // the steps the lines hold: the zoomed range (the axis adds margins)
    long[] all = stepBounds != null ? stepBounds : shown;
    var area = rendered.dataArea();
    if (shown == null || all == null || area.getWidth() <= 0 || shown[0] <= all[0] && shown[1] >= all[1]) {
      return null;
    }
    var axis = rendered.chart().getXYPlot().getDomainAxis();
    long shift = Math.round(-dx * (axis.getUpperBound() - axis.getLowerBound()) / area.getWidth());
    long from = shown[0] + shift, to = shown[1] + shift;
    if (from < all[0]) {
      to += all[0] - from;
      from = all[0];
    }
    if (to > all[1]) {
      from = Math.max(all[0], from - (to - all[1]));
      to = all[1];
    }
    return new long[] {from, to};
  }

  /** Shows {@code spec} (UI thread); the redraw is throttled. */
  public void setSpec(ChartSpec spec) {
    boolean moved = this.spec == null || spec == null || this.spec.selectedStep() != spec.selectedStep();
    // only the crosshair moved (a step selected, the timeline dragged): the image stays, the line is
    // painted over it; JFreeChart drew the whole chart again for it, ~20 ms a chart and step
    boolean sameChart = this.spec != null && spec != null && this.spec.atStep(-1).equals(spec.atStep(-1));
    this.spec = spec;
    dirty |= !sameChart;
    throttle.request();
    if (moved) {
      AccessibleText.valueChanged(this);
    }
  }

  public ChartSpec spec() {
    return spec;
  }

  /** Text shown instead of a chart (no data yet, nothing selected). */
  public void setPlaceholder(String text) {
    this.placeholder = text;
    this.spec = null;
    this.rendered = null; // no chart: nothing to map a click or the wheel to
    dirty = true;
    throttle.request();
  }

  /** The text shown instead of a chart, when there is no chart. */
  public String placeholder() {
    return spec == null ? placeholder : "";
  }

  public void onStepClicked(LongConsumer l) {
    this.stepListener = l;
  }

  public void onZoom(ZoomListener l) {
    this.zoomListener = l;
  }

  /** {@code taken} sees each wheel event first; when it returns true the chart does not zoom. */
  public void onWheel(java.util.function.Predicate<org.eclipse.swt.widgets.Event> taken) {
    this.wheelTaken = taken;
  }

  /** The chart as drawn at the canvas's size (pixel-to-step mapping), or null when there is none. */
  public Charts.Rendered rendered() {
    ensureRendered();
    return rendered;
  }

  /** The theme colours the image was drawn in. */
  private ThemeColors renderedIn;

  private boolean ensureRendered() {
    Rectangle r = getClientArea();
    if (spec == null || spec.lines().isEmpty() || r.width < 20 || r.height < 20) {
      return false;
    }
    ThemeColors t = ThemeColors.of(this);
    if (dirty || image == null || image.getBounds().width != r.width || image.getBounds().height != r.height
        || !t.equals(renderedIn)) { // a theme switch restyles the view: draw the chart in its colours
      renderedIn = t;
      renders++;
      // without the crosshair: it is painted over the image ({@link #paintCrosshair}), so selecting
      // another step draws no chart
      rendered = Charts.render(spec.atStep(-1), r.width, r.height, new ChartColors(awt(t.background()), awt(t.foreground())));
      if (image != null) {
        image.dispose();
      }
      image = new Image(getDisplay(), Images.toSwt(rendered.image()));
      dirty = false;
    }
    return true;
  }

  private static java.awt.Color awt(org.eclipse.swt.graphics.RGB c) {
    return new java.awt.Color(c.red, c.green, c.blue);
  }

  private int renders;

  /** How many times the chart was drawn afresh by JFreeChart (a new spec or size; not a crosshair move). */
  public int renders() {
    return renders;
  }

  /** The selected step's line over the plot, shifted with it while a drag pans. */
  private void paintCrosshair(GC gc, int dx) {
    var area = rendered.dataArea();
    if (spec.selectedStep() < 0 || area == null) {
      return;
    }
    double x = rendered.chart().getXYPlot().getDomainAxis().valueToJava2D(spec.selectedStep(), area,
        org.jfree.chart.ui.RectangleEdge.BOTTOM) + dx;
    if (x < area.getMinX() || x > area.getMaxX()) {
      return;
    }
    ThemeColors t = ThemeColors.of(this);
    java.awt.Color c = new ChartColors(awt(t.background()), awt(t.foreground())).crosshair();
    gc.setForeground(new org.eclipse.swt.graphics.Color(getDisplay(), c.getRed(), c.getGreen(), c.getBlue()));
    gc.setLineWidth(1);
    gc.drawLine((int) Math.round(x), (int) area.getMinY(), (int) Math.round(x), (int) area.getMaxY());
  }

  /** How many throttled redraws ran. */
  public int redraws() {
    return throttle.runs();
  }

  private void paint(GC gc) {
    Rectangle r = getClientArea();
    if (!ensureRendered()) {
      ThemeColors t = ThemeColors.of(this);
      gc.setBackground(t.backgroundColor());
      gc.fillRectangle(r);
      gc.setForeground(t.dimText());
      gc.drawText(placeholder, 10, 10, true);
      FocusRing.paint(this, gc);
      return;
    }
    gc.drawImage(image, 0, 0);
    if (panBy != 0 && rendered.dataArea() != null) { // the plot follows the pointer until the drag ends
      var a = rendered.dataArea();
      Rectangle plot = new Rectangle((int) a.getX(), (int) a.getY(), (int) a.getWidth() + 1, (int) a.getHeight() + 1);
      gc.setClipping(plot);
      gc.setBackground(ThemeColors.of(this).backgroundColor());
      gc.fillRectangle(plot);
      gc.drawImage(image, panBy, 0);
      paintCrosshair(gc, panBy);
      gc.setClipping((Rectangle) null);
      return;
    }
    paintCrosshair(gc, 0);
    if (isFocusControl()) {
      paintReadout(gc);
    }
    FocusRing.paint(this, gc);
  }

  /**
   * The values at the crosshair, in a box in the plot's corner that hides the least of the lines
   * and the crosshair ({@link Charts.Rendered#quietPlace}): what a keyboard user reads instead of hovering.
   */
  private void paintReadout(GC gc) {
    java.util.List<String> lines = readout();
    if (lines.isEmpty() || rendered == null || rendered.dataArea() == null) {
      return;
    }
    ThemeColors t = ThemeColors.of(this);
    int lineHeight = gc.getFontMetrics().getHeight();
    int width = 0;
    for (String l : lines) {
      width = Math.max(width, gc.textExtent(l).x);
    }
    var box = rendered.quietPlace(width + 8, lines.size() * lineHeight + 6, spec.selectedStep());
    int x = (int) box.getX(), y = (int) box.getY();
    gc.setBackground(t.backgroundColor());
    gc.setForeground(t.focusRing());
    gc.fillRectangle(x, y, width + 8, lines.size() * lineHeight + 6);
    gc.drawRectangle(x, y, width + 8, lines.size() * lineHeight + 6);
    gc.setForeground(t.text());
    for (int i = 0; i < lines.size(); i++) {
      gc.drawText(lines.get(i), x + 4, y + 3 + i * lineHeight, true);
    }
  }
}
