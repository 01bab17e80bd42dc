package dev.statelens.debugger.chart;

import dev.statelens.debugger.model.PathText;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.entity.EntityCollection;
import org.jfree.chart.entity.LegendItemEntity;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Builds JFreeChart charts from a {@link ChartSpec} and renders them to images. The views draw the
 * image on an SWT canvas (docs/decisions.md, "Debugger charts"); {@link Rendered} keeps the plot
 * area so a click maps back to a step.
 */
public final class Charts {
  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

  private Charts() {}

  /** A rendered chart: the image, the mapping from pixels to steps, and what was drawn where (legend items). */
  public record Rendered(BufferedImage image, JFreeChart chart, Rectangle2D dataArea, EntityCollection entities) {
    /** The full label of the legend item under (x, y) (the legend shows it shortened), or null. */
    public String legendToolTipAt(int x, int y) {
      if (entities == null) {
        return null;
      }
      for (Object e : entities.getEntities()) {
        if (e instanceof LegendItemEntity item && item.getArea().contains(x, y)) {
          return item.getToolTipText();
        }
      }
      return null;
    }

    /** The step under pixel column {@code x}, or -1 outside the plot. */
    public long stepAt(int x) {
      if (dataArea == null || x < dataArea.getMinX() || x > dataArea.getMaxX()) {
        return -1;
      }
      XYPlot plot = chart.getXYPlot();
      double v = plot.getDomainAxis().java2DToValue(x, dataArea, RectangleEdge.BOTTOM);
      return Math.round(v);
    }

    /**
     * Where a {@code width}×{@code height} box inside the plot hides the least of what is drawn: of
     * its corners (4 px in) and the places just beside the crosshair at {@code step}, at the top and
     * the bottom, the one crossed by the fewest line segments and the crosshair; on a tie the first
     * of top away from the crosshair, top near it, top beside it, then the same at the bottom. The
     * chart's value box stands there: always top-left it hid a falling loss curve's first steps.
     */
    public Rectangle2D quietPlace(double width, double height, long step) {
      double left = dataArea.getMinX() + 4, right = dataArea.getMaxX() - 4 - width;
      double top = dataArea.getMinY() + 4, bottom = dataArea.getMaxY() - 4 - height;
      XYPlot plot = chart.getXYPlot();
      double crosshair = step < 0 ? Double.NaN : plot.getDomainAxis().valueToJava2D(step, dataArea, RectangleEdge.BOTTOM);
      double away = crosshair > dataArea.getCenterX() ? left : right, near = away == left ? right : left;
      double[] xs = {away, near, crosshair - 4 - width, crosshair + 4};
      Rectangle2D best = null;
      int fewest = Integer.MAX_VALUE;
      for (double y : new double[] {top, bottom}) {
        for (double x : xs) {
          if (Double.isNaN(x) || x < left || x > right) {
            continue; // no crosshair, or beside it the box leaves the plot
          }
          Rectangle2D box = new Rectangle2D.Double(x, y, width, height);
          int crossed = linesThrough(box) + (box.getMinX() <= crosshair && crosshair <= box.getMaxX() ? 1 : 0);
          if (crossed < fewest) {
            best = box;
            fewest = crossed;
          }
        }
      }
      return best != null ? best : new Rectangle2D.Double(left, top, width, height); // a plot narrower than the box
    }

    /** How many of the plotted lines' segments (and lone points) pass through {@code box} (image pixels). */
    public int linesThrough(Rectangle2D box) {
      XYPlot plot = chart.getXYPlot();
      var data = plot.getDataset();
      int n = 0;
      for (int s = 0; data != null && s < data.getSeriesCount(); s++) {
        double px = Double.NaN, py = Double.NaN;
        for (int i = 0; i < data.getItemCount(s); i++) {
          double x = plot.getDomainAxis().valueToJava2D(data.getXValue(s, i), dataArea, RectangleEdge.BOTTOM);
          double y = plot.getRangeAxis().valueToJava2D(data.getYValue(s, i), dataArea, RectangleEdge.LEFT);
          if (Double.isNaN(y)) { // a NaN breaks the line, as the renderer draws it
            px = Double.NaN;
            continue;
          }
          boolean crossed = Double.isNaN(px) ? box.contains(x, y) : new java.awt.geom.Line2D.Double(px, py, x, y).intersects(box);
          n += crossed ? 1 : 0;
          px = x;
          py = y;
        }
      }
      return n;
    }
  }

  /**
   * Each line's palette index: its own {@link ChartLine#colour} when it has one, else the first
   * colour no line before it (nor any line with its own) took, so a pinned leaf keeps its colour and
   * the others do not take it.
   */
  static int[] colours(List<ChartLine> lines) {
    int[] out = new int[lines.size()];
    boolean[] taken = new boolean[PALETTE.length];
    int takenCount = 0;
    for (ChartLine l : lines) {
      if (l.colour() >= 0 && !taken[l.colour() % PALETTE.length]) {
        taken[l.colour() % PALETTE.length] = true;
        takenCount++;
      }
    }
    int next = 0;
    for (int i = 0; i < out.length; i++) {
      int own = lines.get(i).colour();
      if (own >= 0) {
        out[i] = own % PALETTE.length;
        continue;
      }
      for (int tries = 0; taken[next % PALETTE.length] && tries < PALETTE.length; tries++) {
        next++;
      }
      out[i] = next % PALETTE.length;
      if (!taken[out[i]]) {
        taken[out[i]] = true;
        takenCount++;
      }
      next++;
      if (takenCount == PALETTE.length) { // more lines than colours: round again
        java.util.Arrays.fill(taken, false);
        takenCount = 0;
      }
    }
    return out;
  }

  public static JFreeChart chart(ChartSpec spec) {
    return chart(spec, ChartColors.LIGHT);
  }

  /** The chart of {@code spec} in {@code colours} (the view's theme). */
  public static JFreeChart chart(ChartSpec spec, ChartColors colours) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    boolean smoothed = spec.smoothing() > 0;
    int s = 0;
    int[] palette = colours(spec.lines());
    List<String> hovers = new java.util.ArrayList<>(); // per dataset series: its line's legend tooltip
    for (int i = 0; i < spec.lines().size(); i++) {
      ChartLine line = spec.lines().get(i);
      String hover = line.hover() != null ? line.hover() : line.label();
      hovers.add(hover);
      if (smoothed) {
        hovers.add(hover);
      }
      Color c = PALETTE[palette[i]];
      double[][] env = line.envelope();
      XYSeries raw = new XYSeries(smoothed ? line.label() + " (raw)" : line.label(), false, true);
      for (int k = 0; k < env[0].length; k++) {
        raw.add(env[0][k], positive(env[1][k], spec.logY()));
      }
      data.addSeries(raw);
      renderer.setSeriesShapesVisible(s, env[0].length == 1); // one step (a live run's first call): a dot, not nothing
      renderer.setSeriesPaint(s, smoothed ? new Color(c.getRed(), c.getGreen(), c.getBlue(), 70) : c);
      renderer.setSeriesStroke(s, new BasicStroke(smoothed ? 1f : 1.5f));
      renderer.setSeriesVisibleInLegend(s, !smoothed);
      s++;
      if (smoothed) {
        double[] x = line.xs();
        double[] y = Ema.smooth(line.mids(), spec.smoothing());
        XYSeries sm = new XYSeries(line.label(), false, true);
        for (int k = 0; k < x.length; k++) {
          sm.add(x[k], positive(y[k], spec.logY()));
        }
        data.addSeries(sm);
        renderer.setSeriesPaint(s, c);
        renderer.setSeriesStroke(s, new BasicStroke(2f));
        s++;
      }
    }
    NumberAxis x = new NumberAxis("step");
    x.setAutoRangeIncludesZero(false);
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    ValueAxis y;
    if (spec.logY()) {
      LogAxis log = new LogAxis("|" + spec.yLabel() + "| (log)");
      log.setSmallestValue(1e-30);
      double[] decades = enclosingDecades(data);
      if (decades != null) { // within one decade: JFreeChart's auto range labelled every tick "10^-1.654807E0"
        log.setRange(decades[0], decades[1]);
      }
      y = log;
    } else {
      NumberAxis lin = new NumberAxis(spec.yLabel());
      lin.setAutoRangeIncludesZero(false);
      double[] flat = flatValue(data);
      if (flat != null) { // one value: JFreeChart's tiny auto range labels every tick "5.712832E0"
        double pad = flat[0] == 0 ? 1 : Math.abs(flat[0]) * 0.1;
        lin.setRange(flat[0] - pad, flat[0] + pad);
      }
      y = lin;
    }
    XYPlot plot = new XYPlot(data, x, y, renderer);
    // the legend names each line by its (middle-shortened) label; the full label is its tooltip
    renderer.setLegendItemLabelGenerator((dataset, series) -> shorten(String.valueOf(dataset.getSeriesKey(series)),
        LEGEND_LABEL_CHARS));
    renderer.setLegendItemToolTipGenerator((dataset, series) -> series < hovers.size() ? hovers.get(series)
        : String.valueOf(dataset.getSeriesKey(series)));
    plot.setBackgroundPaint(colours.background());
    plot.setDomainGridlinePaint(colours.grid());
    plot.setRangeGridlinePaint(colours.grid());
    plot.setOutlinePaint(colours.grid());
    for (ValueAxis axis : new ValueAxis[] {x, y}) {
      axis.setLabelPaint(colours.text());
      axis.setTickLabelPaint(colours.text());
      axis.setAxisLinePaint(colours.dimText());
      axis.setTickMarkPaint(colours.dimText());
    }
    for (Long e : spec.eventSteps()) {
      ValueMarker m = new ValueMarker(e, new Color(0xd62728), new BasicStroke(1f, BasicStroke.CAP_BUTT,
          BasicStroke.JOIN_MITER, 1f, new float[] {3f, 3f}, 0f));
      plot.addDomainMarker(m);
    }
    if (spec.selectedStep() >= 0) {
      plot.addDomainMarker(new ValueMarker(spec.selectedStep(), colours.crosshair(), new BasicStroke(1.2f)));
    }
    // a legend even for one line: it names what is charted ("loss")
    JFreeChart chart = new JFreeChart(spec.title(), new Font(Font.SANS_SERIF, Font.BOLD, 12), plot,
        !spec.lines().isEmpty());
    String zeros = spec.logY() ? zerosNote(spec.lines()) : null;
    String subtitle = spec.subtitle() == null ? zeros : zeros == null ? spec.subtitle() : spec.subtitle() + " · " + zeros;
    if (subtitle != null) {
      TextTitle sub = new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      sub.setPaint(colours.dimText());
      chart.addSubtitle(0, sub); // above the legend, under the title
    }
    if (chart.getLegend() != null) { // compact: eight leaves fit in two or three rows of a 470-pixel pane
      LegendTitle legend = chart.getLegend();
      legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
      legend.setItemLabelPadding(new RectangleInsets(1, 2, 1, 6));
      legend.setFrame(BlockBorder.NONE);
      legend.setMargin(new RectangleInsets(0, 2, 2, 2));
      legend.setItemPaint(colours.text());
      legend.setBackgroundPaint(colours.background());
    }
    chart.getTitle().setPaint(colours.text());
    chart.setBackgroundPaint(colours.background());
    chart.setAntiAlias(true);
    return chart;
  }

  /** Legend labels longer than this are shortened ("out …mu.hidden.w ‖·‖"). */
  public static final int LEGEND_LABEL_CHARS = 30;

  /** A chart line's label: its role ("in ", "grad_norm/"), a pytree path, its marker (" ‖·‖"). */
  private static final Pattern PATH_LABEL = Pattern.compile("([a-z_]+[ /])?(\\S+?)( ‖·‖)?");

  /**
   * {@code label} if at most {@code max} characters, else shortened: a leaf's label keeps its role
   * and marker and as much of its path's leaf end as fits in whole segments ({@link PathText#fit}:
   * a cut inside a segment made {@code blocks[0]} and {@code blocks[1]}, {@code mu} and {@code nu}
   * read alike); any other label keeps its start and, the larger share, its end around "…".
   */
  public static String shorten(String label, int max) {
    if (label.length() <= max || max < 5) {
      return label;
    }
    Matcher m = PATH_LABEL.matcher(label);
    if (m.matches()) {
      String role = m.group(1) == null ? "" : m.group(1);
      String marker = m.group(3) == null ? "" : m.group(3);
      int room = max - role.length() - marker.length();
      if (room >= 8) {
        return role + PathText.fit(m.group(2), room, String::length) + marker;
      }
    }
    int head = (max - 1) * 2 / 5;
    int tail = max - 1 - head;
    return label.substring(0, head) + "…" + label.substring(label.length() - tail);
  }

  /** {@code {v}} when every finite y in {@code data} is the same v (at least one point), else null. */
  static double[] flatValue(XYSeriesCollection data) {
    double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < data.getSeriesCount(); i++) {
      for (int k = 0; k < data.getItemCount(i); k++) {
        double v = data.getYValue(i, k);
        if (Double.isFinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    return min == max ? new double[] {min} : null;
  }

  /**
   * What a log axis leaves out: "update_norm is 0 from step 1,204 on (a log axis cannot draw 0)". A
   * converged run's update norm is exactly 0 once the weights stop changing in float, and on log y
   * the chart of a million steps was empty but for a sliver at its start. Null when no line has a
   * point that is 0 throughout.
   */
  public static String zerosNote(List<ChartLine> lines) {
    List<String> parts = new java.util.ArrayList<>();
    for (ChartLine line : lines) {
      var s = line.series();
      int zeros = 0, trailingFrom = s.size();
      for (int i = 0; i < s.size(); i++) {
        if (s.lo()[i] == 0 && s.hi()[i] == 0) {
          zeros++;
          trailingFrom = trailingFrom == s.size() ? i : trailingFrom;
        } else {
          trailingFrom = s.size();
        }
      }
      if (zeros == 0) {
        continue;
      }
      String name = shorten(line.label(), LEGEND_LABEL_CHARS);
      parts.add(zeros == s.size() ? name + " is 0 at every step shown"
          : trailingFrom < s.size() && s.size() - trailingFrom == zeros
              ? name + " is 0 from step " + String.format("%,d", s.firstStep()[trailingFrom]) + " on"
              : name + " is 0 at " + zeros + " of " + s.size() + " points");
    }
    if (parts.isEmpty()) {
      return null;
    }
    return (parts.size() > 2 ? String.join("; ", parts.subList(0, 2)) + "; …" : String.join("; ", parts))
        + " (a log axis cannot draw 0)";
  }

  /**
   * For a log axis whose values span less than a decade (a flat norm, a converged loss): the powers of
   * ten around them, {@code [1e-2, 1e-1]} for values 0.021…0.023, so the axis has ticks to read;
   * null when they span more (the auto range labels its decades) or there are none.
   */
  static double[] enclosingDecades(XYSeriesCollection data) {
    double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < data.getSeriesCount(); i++) {
      for (int k = 0; k < data.getItemCount(i); k++) {
        double v = data.getYValue(i, k);
        if (Double.isFinite(v) && v > 0) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (!(min <= max) || max / min >= 10) {
      return null;
    }
    double lo = Math.pow(10, Math.floor(Math.log10(min)));
    double hi = Math.pow(10, Math.ceil(Math.log10(max)));
    return hi > lo ? new double[] {lo, hi} : new double[] {lo / 10, hi * 10}; // an exact power of ten alone
  }

  /** On a log axis values are drawn by magnitude (a diverging leaf alternates sign); 0 and NaN leave gaps. */
  private static double positive(double v, boolean log) {
    if (!log) {
      return v;
    }
    double a = Math.abs(v);
    return a > 0 && !Double.isInfinite(a) ? a : Double.NaN;
  }

  /** The plot keeps at least this many pixels of height; a legend that would leave less is dropped. */
  public static final int MIN_PLOT_HEIGHT = 48;

  /** A legend moved to the right keeps the plot at least this share of the width. */
  static final double MIN_PLOT_WIDTH_SHARE = 0.45;

  /**
   * Renders {@code spec} at {@code width x height} pixels. The legend goes under the plot; when
   * there it would squeeze the plot under {@link #MIN_PLOT_HEIGHT} (eight leaves in a short pane),
   * it moves to the right in columns; only when that leaves the plot too narrow is the chart
   * drawn without it, its subtitle saying how many lines it has.
   */
  public static Rendered render(ChartSpec spec, int width, int height) {
    return render(spec, width, height, ChartColors.LIGHT);
  }

  /** As {@link #render(ChartSpec, int, int)}, in {@code colours} (the view's theme). */
  public static Rendered render(ChartSpec spec, int width, int height, ChartColors colours) {
    JFreeChart chart = chart(spec, colours);
    BufferedImage img = new BufferedImage(Math.max(1, width), Math.max(1, height), BufferedImage.TYPE_INT_RGB);
    roomForTheLastStepLabel(chart, spec, img);
    ChartRenderingInfo info = draw(chart, img);
    Rectangle2D area = info.getPlotInfo().getDataArea();
    if (area.getHeight() < MIN_PLOT_HEIGHT && chart.getLegend() != null && spec.lines().size() > 1) {
      chart.getLegend().setPosition(RectangleEdge.RIGHT);
      info = draw(chart, img);
      area = info.getPlotInfo().getDataArea();
    }
    // at the right the legend takes no height: a plot still short there is short for its titles,
    // and dropping the legend would not make it taller (its note takes a line more); only a legend
    // too wide for the plot goes (two lines' legend was dropped in the pane over the Console)
    boolean legendTooWide = chart.getLegend() != null && chart.getLegend().getPosition() == RectangleEdge.RIGHT
        && area.getWidth() < width * MIN_PLOT_WIDTH_SHARE;
    if (legendTooWide && spec.lines().size() > 1) {
      chart.removeLegend();
      TextTitle note = new TextTitle(spec.lines().size() + " lines (no room for their legend: select fewer "
          + "leaves or make the pane taller)", new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      note.setPaint(colours.dimText());
      chart.addSubtitle(note);
      info = draw(chart, img);
      area = info.getPlotInfo().getDataArea();
    }
    return new Rendered(img, chart, area, info.getEntityCollection());
  }

  /**
   * Padding at the chart's right for half the step axis's last label: a tick at the plot's right edge
   * has its label centred on it, and "1,000,000" (or "800,000" zoomed in) was cut at the pane's edge
   * to "1,000,00".
   */
  private static void roomForTheLastStepLabel(JFreeChart chart, ChartSpec spec, BufferedImage img) {
    long last = 0;
    for (ChartLine line : spec.lines()) {
      var s = line.series();
      if (s.size() > 0) {
        last = Math.max(last, s.lastStep()[s.size() - 1]);
      }
    }
    Graphics2D g = img.createGraphics();
    try {
      var axis = chart.getXYPlot().getDomainAxis();
      // the last step's label and a digit more: the last tick may be rounded up past it (999,999: 1,000,000)
      var metrics = g.getFontMetrics(axis.getTickLabelFont());
      int half = (metrics.stringWidth(String.format("%,d", last)) + metrics.stringWidth("0")) / 2 + 2;
      RectangleInsets p = chart.getPadding();
      if (p.getRight() < half) {
        chart.setPadding(new RectangleInsets(p.getTop(), p.getLeft(), p.getBottom(), half));
      }
    } finally {
      g.dispose();
    }
  }

  private static ChartRenderingInfo draw(JFreeChart chart, BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    ChartRenderingInfo info = new ChartRenderingInfo();
    chart.draw(g, new Rectangle2D.Double(0, 0, img.getWidth(), img.getHeight()), info);
    g.dispose();
    return info;
  }
}
