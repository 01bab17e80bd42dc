package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.chart.ChartLine;
import dev.statelens.debugger.chart.ChartSpec;
import dev.statelens.debugger.chart.Charts;
import dev.statelens.debugger.chart.Ema;
import dev.statelens.debugger.chart.LogScale;
import dev.statelens.debugger.model.Format;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Smoothing, envelopes, chart rendering and number formatting (no workbench needed). */
class ChartMathTest {

  @Test
  void emaIsDebiased() {
    double[] constant = Ema.smooth(new double[] {3, 3, 3, 3}, 0.9);
    for (double v : constant) {
      assertEquals(3, v, 1e-12, "a debiased EMA of a constant is that constant");
    }
    double[] s = Ema.smooth(new double[] {1, 2}, 0.5);
    assertEquals(1, s[0], 1e-12);
    // last = 0.5*(0.5*1) + 0.5*2 = 1.25; debias 1 - 0.25 = 0.75
    assertEquals(1.25 / 0.75, s[1], 1e-12);
    assertArrayEquals(new double[] {1, 2}, Ema.smooth(new double[] {1, 2}, 0), 0);
    double[] withNan = Ema.smooth(new double[] {1, Double.NaN, 1}, 0.5);
    assertTrue(Double.isNaN(withNan[1]));
    assertEquals(1, withNan[2], 1e-12, "NaN does not enter the average");
    assertThrows(IllegalArgumentException.class, () -> Ema.smooth(new double[] {1}, 1));
  }

  static ChartLine line() {
    Series s = new Series(new SeriesInfo(1, null, "scalar", 0, "loss"), Stat.MEAN, 10,
        new long[] {0, 10, 20}, new long[] {9, 19, 29}, new double[] {1, 0.5, 0.2}, new double[] {3, 0.5, 0.9});
    return new ChartLine("loss", s);
  }

  /**
   * A flat line on log y (a converged run's update norm, 0.0221 at every step of a million) gets the
   * decades around it: JFreeChart's auto range was a sliver of one decade, every tick labelled
   * "10^-1.654807E0". A line spanning decades keeps the auto range.
   */
  @Test
  void aFlatLineOnLogYGetsTheDecadesAroundIt() {
    Series flat = new Series(new SeriesInfo(1, null, "scalar", 0, "update_norm"), Stat.MEAN, 1,
        new long[] {0, 1, 2}, new long[] {0, 1, 2}, new double[] {0.0221, 0.0221, 0.0221}, new double[] {0.0221, 0.0221, 0.0221});
    var r = Charts.render(new ChartSpec("Update norms", "norm", List.of(new ChartLine("update_norm", flat)), true, 0, 2, List.of()),
        500, 300);
    var y = r.chart().getXYPlot().getRangeAxis();
    assertEquals(0.01, y.getLowerBound(), 1e-12, "from the power of ten below");
    assertEquals(0.1, y.getUpperBound(), 1e-12, "to the power of ten above");
    Series wide = new Series(new SeriesInfo(1, null, "scalar", 0, "loss"), Stat.MEAN, 1,
        new long[] {0, 1, 2}, new long[] {0, 1, 2}, new double[] {1e-4, 1e-2, 1}, new double[] {1e-4, 1e-2, 1});
    var w = Charts.render(new ChartSpec("Loss", "loss", List.of(new ChartLine("loss", wide)), true, 0, 2, List.of()), 500, 300);
    var wy = w.chart().getXYPlot().getRangeAxis();
    assertTrue(wy.getLowerBound() <= 1e-4 && wy.getUpperBound() >= 1, "four decades: the auto range, " + wy.getRange());
    Series power = new Series(new SeriesInfo(1, null, "scalar", 0, "x"), Stat.MEAN, 1,
        new long[] {0}, new long[] {0}, new double[] {0.1}, new double[] {0.1});
    var p = Charts.render(new ChartSpec("x", "x", List.of(new ChartLine("x", power)), true, 0, 0, List.of()), 500, 300);
    assertEquals(0.01, p.chart().getXYPlot().getRangeAxis().getLowerBound(), 1e-12, "a power of ten alone: a decade each side");
    assertEquals(1, p.chart().getXYPlot().getRangeAxis().getUpperBound(), 1e-12);
  }

  /**
   * A converged run's update norm is exactly 0 once float weights stop changing: on log y those
   * points cannot be drawn, and the million-step chart was empty but for its first pixel. The chart
   * says so under its title.
   */
  @Test
  void aLogChartSaysWhichLinesAreZeroWhereItDrawsNothing() {
    Series converged = new Series(new SeriesInfo(1, null, "scalar", 0, "update_norm"), Stat.MEAN, 1000,
        new long[] {0, 1000, 2000, 3000}, new long[] {999, 1999, 2999, 3999}, new double[] {0.01, 0, 0, 0},
        new double[] {0.5, 0.002, 0, 0});
    var lines = List.of(new ChartLine("update norm", converged));
    assertEquals("update norm is 0 from step 2,000 on (a log axis cannot draw 0)", Charts.zerosNote(lines));
    var r = Charts.render(new ChartSpec("Update norms", "norm", lines, true, 0, 10, List.of()), 500, 300);
    assertTrue(r.chart().getSubtitles().stream().anyMatch(t -> t instanceof org.jfree.chart.title.TextTitle tt
        && tt.getText().equals("update norm is 0 from step 2,000 on (a log axis cannot draw 0)")), "the note is the chart's subtitle");
    var linear = Charts.render(new ChartSpec("Update norms", "norm", lines, false, 0, 10, List.of()), 500, 300);
    assertTrue(linear.chart().getSubtitles().stream().noneMatch(t -> t instanceof org.jfree.chart.title.TextTitle),
        "a linear axis draws 0: no note");
    Series zero = new Series(new SeriesInfo(2, null, "scalar", 0, "x"), Stat.MEAN, 1, new long[] {0, 1}, new long[] {0, 1},
        new double[] {0, 0}, new double[] {0, 0});
    Series gap = new Series(new SeriesInfo(3, null, "scalar", 0, "y"), Stat.MEAN, 1, new long[] {0, 1, 2}, new long[] {0, 1, 2},
        new double[] {1, 0, 1}, new double[] {1, 0, 1});
    assertEquals("x is 0 at every step shown; y is 0 at 1 of 3 points (a log axis cannot draw 0)",
        Charts.zerosNote(List.of(new ChartLine("x", zero), new ChartLine("y", gap), line())));
    assertNull(Charts.zerosNote(List.of(line())));
  }

  /** The step axis's last label ("1,000,000") is whole inside the chart: it was cut at the pane's edge to "1,000,00". */
  @Test
  void theLastStepLabelFitsInsideTheChart() {
    Series million = new Series(new SeriesInfo(1, null, "scalar", 0, "loss"), Stat.MEAN, 250_000,
        new long[] {0, 250_000, 500_000, 750_000}, new long[] {249_999, 499_999, 749_999, 999_999},
        new double[] {1, 0.5, 0.3, 0.2}, new double[] {2, 0.6, 0.4, 0.25});
    for (int width : new int[] {300, 540}) {
      var r = Charts.render(new ChartSpec("Scalars", "value", List.of(new ChartLine("loss", million)), false, 0, -1, List.of()),
          width, 200);
      var axis = (org.jfree.chart.axis.NumberAxis) r.chart().getXYPlot().getDomainAxis();
      java.awt.FontMetrics fm = r.image().createGraphics().getFontMetrics(axis.getTickLabelFont());
      double last = axis.getUpperBound();
      double x = axis.valueToJava2D(last, r.dataArea(), org.jfree.chart.ui.RectangleEdge.BOTTOM);
      String label = axis.getTickUnit().valueToString(Math.floor(last / axis.getTickUnit().getSize()) * axis.getTickUnit().getSize());
      double tickX = axis.valueToJava2D(Math.floor(last / axis.getTickUnit().getSize()) * axis.getTickUnit().getSize(), r.dataArea(),
          org.jfree.chart.ui.RectangleEdge.BOTTOM);
      assertTrue(tickX + fm.stringWidth(label) / 2.0 <= width, "'" + label + "' at x " + tickX + " ends past the chart's "
          + width + " px (plot ends at " + x + ")");
    }
  }

  @Test
  void envelopeKeepsMinAndMaxOfEachBucket() {
    double[][] env = line().envelope();
    assertArrayEquals(new double[] {4.5, 4.5, 14.5, 24.5, 24.5}, env[0], 0);
    assertArrayEquals(new double[] {1, 3, 0.5, 0.2, 0.9}, env[1], 0);
  }

  @Test
  void aLegendThatWouldLeaveNoPlotIsDropped() {
    List<ChartLine> eight = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      eight.add(new ChartLine("out state.optState.mu.hidden.w" + i + " ‖·‖", line().series()));
    }
    // eight leaves in a pane too short for the legend under the plot and too narrow for it at the
    // right (ChartLegendTest: the usual 470x150 pane keeps it at the right)
    var r = Charts.render(new ChartSpec("Leaf trajectories", "value", eight, false, 0, 1, List.of()), 260, 150);
    assertTrue(r.dataArea().getHeight() >= Charts.MIN_PLOT_HEIGHT, "plot " + r.dataArea());
    assertNull(r.chart().getLegend());
    assertTrue(r.chart().getSubtitles().stream().anyMatch(t -> t instanceof org.jfree.chart.title.TextTitle tt
        && tt.getText().startsWith("8 lines")), "says how many lines");
    // room enough: the legend stays
    var tall = Charts.render(new ChartSpec("Leaf trajectories", "value", eight, false, 0, 1, List.of()), 470, 600);
    assertNotNull(tall.chart().getLegend());
    var one = Charts.render(new ChartSpec("Scalars", "value", List.of(line()), false, 0, 1, List.of()), 470, 150);
    assertNotNull(one.chart().getLegend(), "one line keeps its name");
  }

  @Test
  void renderedChartMapsPixelsToSteps() {
    var r = Charts.render(new ChartSpec("t", "v", List.of(line()), true, 0.6, 14, List.of(20L)), 600, 300);
    assertEquals(600, r.image().getWidth());
    var area = r.dataArea();
    long left = r.stepAt((int) Math.ceil(area.getMinX()));
    long right = r.stepAt((int) Math.floor(area.getMaxX()));
    assertTrue(left <= 5 && right >= 24, left + ".." + right);
    assertEquals(-1, r.stepAt(0), "left of the plot is no step");
  }

  /** A live run's first call: one point of the loss. */
  static ChartLine onePoint(double v) {
    Series s = new Series(new SeriesInfo(1, null, "scalar", 0, "loss"), Stat.MEAN, 1,
        new long[] {0}, new long[] {0}, new double[] {v}, new double[] {v});
    return new ChartLine("loss", s);
  }

  @Test
  void oneStepIsADotOnAReadableAxisNamedInTheLegend() {
    var chart = Charts.chart(new ChartSpec("Scalars", "value", List.of(onePoint(5.712832)), false, 0, 0, List.of()));
    var plot = chart.getXYPlot();
    var range = plot.getRangeAxis().getRange();
    assertTrue(range.getLength() > 1 && range.contains(5.712832), "a flat line gets room around it, not a 1e-8 range: " + range);
    assertTrue(((org.jfree.chart.renderer.xy.XYLineAndShapeRenderer) plot.getRenderer()).getSeriesShapesVisible(0),
        "a single point is drawn as a dot (a line needs two)");
    assertTrue(chart.getLegend() != null, "one line is named in a legend (which scalar is it?)");
    var zero = Charts.chart(new ChartSpec("Scalars", "value", List.of(onePoint(0)), false, 0, 0, List.of()));
    assertTrue(zero.getXYPlot().getRangeAxis().getRange().getLength() >= 2, "a flat zero line gets ±1");
    var moving = Charts.chart(new ChartSpec("Scalars", "value", List.of(line()), false, 0, 0, List.of()));
    assertTrue(moving.getXYPlot().getRangeAxis().getRange().getLength() < 3.5, "a varying line keeps its auto range");
    assertTrue(!((org.jfree.chart.renderer.xy.XYLineAndShapeRenderer) moving.getXYPlot().getRenderer()).getSeriesShapesVisible(0));
  }

  /** A leaf's values, one per step (lo == hi). */
  static ChartLine values(String label, double... v) {
    long[] steps = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      steps[i] = i;
    }
    return new ChartLine(label, new Series(new SeriesInfo(1, "step", "out", 0, label), Stat.MEAN, 1, steps, steps, v, v));
  }

  /** The diverge example's params: about 2x per step with alternating sign, to 1e38, then Inf and NaN. */
  static ChartLine diverging() {
    double[] v = new double[130];
    double x = 0.5;
    for (int i = 0; i < v.length; i++) {
      v[i] = i < 126 ? x : i == 126 ? Double.POSITIVE_INFINITY : Double.NaN;
      x *= -2;
    }
    return values("out params.w", v);
  }

  @Test
  void aDivergingLeafStartsOnLogYAndSaysWhy() {
    var span = LogScale.span(List.of(diverging()));
    assertEquals(0.5, span.minNonzero(), "Inf and NaN are left out");
    assertEquals(Math.scalb(0.5, 125), span.max());
    assertTrue(span.isWide() && !span.oneSigned(), span.toString());
    LogScale.Choice start = LogScale.choose(null, List.of(diverging()));
    assertTrue(start.logY(), "no choice made yet: a blow-up starts on log y");
    assertEquals("log y: values span 5e-1…2e37 (untick Log y for linear)", start.subtitle());
    // the user's choice holds: unticked, the chart stays linear and suggests Log y; ticked, no note
    LogScale.Choice linear = LogScale.choose(false, List.of(diverging()));
    assertTrue(!linear.logY());
    assertEquals("values span 5e-1…2e37: try Log y", linear.subtitle());
    assertEquals(new LogScale.Choice(true, null), LogScale.choose(true, List.of(diverging())));
    // and the subtitle is drawn under the title
    var chart = Charts.chart(new ChartSpec("Leaf values", "value", List.of(diverging()), true, 0, 3, List.of(),
        start.subtitle()));
    assertTrue(chart.getSubtitles().stream().anyMatch(t -> t instanceof org.jfree.chart.title.TextTitle tt
        && tt.getText().equals(start.subtitle())), chart.getSubtitles().toString());
    assertTrue(chart.getXYPlot().getRangeAxis() instanceof org.jfree.chart.axis.LogAxis);
    assertEquals(start.subtitle(), new ChartSpec("t", "v", List.of(), true, 0, 3, List.of(), start.subtitle())
        .atStep(7).subtitle(), "moving the crosshair keeps the subtitle");
  }

  @Test
  void ordinaryChartsStayLinear() {
    // the mlp's loss, 3.7 to 6e-5: under 1e6
    assertEquals(new LogScale.Choice(false, null), LogScale.choose(null, List.of(values("loss", 3.7, 0.2, 6e-5))));
    // a bias crossing zero has a tiny magnitude at the crossing; its signs differ, so no log axis
    assertEquals(new LogScale.Choice(false, null),
        LogScale.choose(null, List.of(values("out params.b", 0.5, 2e-9, -0.3))));
    // all zeros, or nothing finite: nothing to span
    assertEquals(null, LogScale.span(List.of(values("x", 0, 0, Double.NaN))));
    assertEquals(new LogScale.Choice(false, null), LogScale.choose(null, List.of(values("x", 0, 0))));
    // explicit log y on an ordinary chart: log, no note
    assertEquals(new LogScale.Choice(true, null), LogScale.choose(true, List.of(values("loss", 3.7, 0.2))));
  }

  @Test
  void aOneSignedSpanOfManyDecadesStartsOnLogY() {
    // a loss falling 1 -> 1e-7 (ratio 1e7 > 1e6); the ends round to one digit: 9.6e-8 -> 1e-7
    LogScale.Choice c = LogScale.choose(null, List.of(values("loss", 1, 1e-3, 9.6e-8)));
    assertEquals(new LogScale.Choice(true, "log y: values span 1e-7…1e0 (untick Log y for linear)"), c);
    // two leaves on one chart span together: 2e-3 and 3e4 alone are narrow, together 1.5e7
    assertTrue(LogScale.choose(null, List.of(values("a", 2e-3, 2.4e-3), values("b", 3e4, 3.1e4))).logY());
    assertTrue(!LogScale.choose(null, List.of(values("a", 2e-3, 2.4e-3), values("b", 3e2, 3.1e2))).logY());
    // any magnitude beyond 1e12 is a blow-up, whatever the signs
    assertTrue(LogScale.choose(null, List.of(values("w", 1, -5e12))).logY());
  }

  @Test
  void formatsLikeNumPy() {
    assertEquals("0.5", Format.num(0.5));
    assertEquals("nan", Format.num(Double.NaN));
    assertEquals("-inf", Format.num(Double.NEGATIVE_INFINITY));
    assertEquals("1.0000e-07", Format.num(1e-7));
    assertEquals("(3, 2)", Format.shape(new int[] {3, 2}));
    assertEquals("()", Format.shape(new int[0]));
    assertEquals("new", Format.percent(Double.POSITIVE_INFINITY));
    assertEquals("12.50%", Format.percent(0.125));
  }
}
