package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.chart.ChartLine;
import dev.statelens.debugger.chart.ChartSpec;
import dev.statelens.debugger.chart.Charts;
import dev.statelens.debugger.chart.Ema;
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

  @Test
  void envelopeKeepsMinAndMaxOfEachBucket() {
    double[][] env = line().envelope();
    assertArrayEquals(new double[] {4.5, 4.5, 14.5, 24.5, 24.5}, env[0], 0);
    assertArrayEquals(new double[] {1, 3, 0.5, 0.2, 0.9}, env[1], 0);
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
