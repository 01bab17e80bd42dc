package dev.statelens.engine.record.report;

import dev.statelens.engine.record.store.EventInfo;
import dev.statelens.engine.record.store.Series;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** JFreeChart plots of downsampled series: a line through each bucket with its min..max band. */
final class Charts {
  static final int WIDTH = 900;

  private Charts() {}

  /**
   * One series as a band (lo..hi per point) with a line through the middle; NaN and infinite
   * points are gaps (JFreeChart cannot scale an axis to infinity: a diverged run's report failed
   * with "Must be finite."; the events table names the first NaN/Inf step instead).
   */
  static YIntervalSeries band(String name, Series s) {
    return band(name, s, false);
  }

  /**
   * As {@link #band(String, Series)}; for a log axis ({@code log}) by magnitude, as the IDE draws
   * its log charts (each end by its magnitude: a diverging value alternates sign), the line through
   * the band's geometric middle; an end at 0 is left out, and a point at 0 is a gap too.
   */
  static YIntervalSeries band(String name, Series s, boolean log) {
    YIntervalSeries y = new YIntervalSeries(name, false, true);
    for (int i = 0; i < s.size(); i++) {
      double lo = s.lo()[i], hi = s.hi()[i];
      double x = (s.firstStep()[i] + s.lastStep()[i]) / 2.0;
      if (log) {
        double a = Math.abs(lo), b = Math.abs(hi);
        hi = Math.max(a, b);
        lo = Math.min(a, b) > 0 ? Math.min(a, b) : hi; // a zero end has no place on a log axis: the other end alone
      }
      if (!Double.isFinite(lo) || !Double.isFinite(hi) || log && lo == 0) {
        y.add(x, Double.NaN, Double.NaN, Double.NaN);
      } else {
        y.add(x, log ? Math.sqrt(lo) * Math.sqrt(hi) : (lo + hi) / 2, lo, hi);
      }
    }
    return y;
  }

  static XYPlot plot(String axisLabel, List<YIntervalSeries> series, Color... colors) {
    return plot(axisLabel, false, series, colors);
  }

  /** The bands of {@code series} on one y axis, a log axis of magnitudes ({@code |name| (log)}) when {@code logY}. */
  static XYPlot plot(String axisLabel, boolean logY, List<YIntervalSeries> series, Color... colors) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    for (YIntervalSeries s : series) {
      data.addSeries(s);
    }
    DeviationRenderer r = new DeviationRenderer(true, false);
    for (int i = 0; i < series.size(); i++) {
      Color c = colors[i % colors.length];
      r.setSeriesPaint(i, c);
      r.setSeriesFillPaint(i, c);
      r.setSeriesStroke(i, new BasicStroke(1.5f));
    }
    r.setAlpha(0.25f);
    ValueAxis y;
    if (logY) {
      LogAxis log = new LogAxis("|" + axisLabel + "| (log)");
      log.setSmallestValue(1e-30);
      y = log;
    } else {
      NumberAxis lin = new NumberAxis(axisLabel);
      lin.setAutoRangeIncludesZero(false);
      y = lin;
    }
    XYPlot p = new XYPlot(data, null, y, r);
    p.setBackgroundPaint(Color.WHITE);
    p.setDomainGridlinePaint(Color.LIGHT_GRAY);
    p.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return p;
  }

  /** Several stacked plots over a shared step axis, saved as a PNG. */
  static void save(Path file, String title, int height, List<EventInfo> markers, XYPlot... plots) throws IOException {
    save(file, title, null, height, markers, plots);
  }

  /** As above, with a line under the title (null: none), e.g. why the axis is log. */
  static void save(Path file, String title, String subtitle, int height, List<EventInfo> markers, XYPlot... plots)
      throws IOException {
    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(new NumberAxis("step"));
    combined.setGap(8);
    for (XYPlot p : plots) {
      for (EventInfo e : markers) {
        if (e.step() != null) {
          ValueMarker m = new ValueMarker(e.step(), eventColor(e.kind()), new BasicStroke(1f));
          p.addDomainMarker(m);
        }
      }
      combined.add(p, 1);
    }
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, combined, plots.length > 1
        || plots[0].getDataset().getSeriesCount() > 1);
    chart.setBackgroundPaint(Color.WHITE);
    if (subtitle != null) {
      chart.addSubtitle(new TextTitle(subtitle));
    }
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, height);
  }

  static Color eventColor(String kind) {
    return switch (kind) {
      case "first_nan", "first_inf" -> new Color(200, 0, 0);
      case "stale_state" -> new Color(230, 120, 0);
      case "retrace" -> new Color(120, 0, 160);
      default -> Color.DARK_GRAY;
    };
  }
}
