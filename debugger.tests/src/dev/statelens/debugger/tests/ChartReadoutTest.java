package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.chart.ChartLine;
import dev.statelens.debugger.chart.ChartReadout;
import dev.statelens.debugger.chart.ChartSpec;
import dev.statelens.debugger.chart.Charts;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A chart's numbers in words (what the value box, the tooltip and a screen reader read): the point
 * holding the step, a downsampled point as its smallest and largest value, a line that ended before
 * the step left out.
 */
class ChartReadoutTest {

  @Test
  void readsEachLinesPointAtTheStepAndSaysWhatTheChartHolds() {
    // loss: one point per step 0..3; norm: points of 10 steps each, 0..29; short: steps 0..1 only
    ChartLine loss = line("loss", 1, new long[] {0, 1, 2, 3}, new long[] {0, 1, 2, 3},
        new double[] {4, 2, 1, 0.5}, new double[] {4, 2, 1, 0.5});
    ChartLine norm = line("grad_norm", 10, new long[] {0, 10, 20}, new long[] {9, 19, 29},
        new double[] {0.98, 0.5, Double.NaN}, new double[] {1.2, 0.5, Double.NaN});
    ChartLine shortLine = line("short", 1, new long[] {0, 1}, new long[] {0, 1}, new double[] {7, 8}, new double[] {7, 8});
    ChartSpec spec = new ChartSpec("Scalars", "value", List.of(loss, norm, shortLine), false, 0, 3, List.of());

    assertEquals(List.of("step 3", "loss 0.5", "grad_norm 0.98 … 1.2"), ChartReadout.at(spec, 3),
        "a 10-step point reads its range; the short line has no point at step 3");
    assertEquals("step 1; loss 2; grad_norm 0.98 … 1.2; short 8", ChartReadout.atAsText(spec, 1));
    assertEquals(List.of("step 25", "grad_norm nan"), ChartReadout.at(spec, 25), "no finite value: nan, as the tree says");
    assertEquals(List.of(), ChartReadout.at(spec, -1), "no crosshair: nothing to read");
    assertEquals("step 3\nloss 0.5\ngrad_norm 0.98 … 1.2", ChartReadout.tooltip(spec, 3), "the pointer's tooltip: a line each");
    assertNull(ChartReadout.tooltip(spec, 40), "past every line's points: no tooltip saying only 'step 40'");
    assertNull(ChartReadout.tooltip(spec, -1), "off the plot: no tooltip");
    assertEquals("Scalars: 3 lines over steps 0–29", ChartReadout.summary(spec));
    assertEquals(1, ChartReadout.keyStep(spec), "← and → move a step: the finest line has a point per step");
    assertEquals(10, ChartReadout.keyStep(new ChartSpec("Norms", "norm", List.of(norm), false, 0, 3, List.of())),
        "a chart of 10-step points: a press moves to the next point");
    assertEquals("Scalars: no data", ChartReadout.summary(new ChartSpec("Scalars", "value", List.of(), false, 0, -1, List.of())));
  }

  /**
   * A long run's step reads grouped in the value box, the tooltip and the accessible name, as the
   * timeline ("step 999,999") and the step axis write it: the box read "step 999999".
   */
  @Test
  void aLongRunsStepReadsGroupedAsTheTimelineWritesIt() {
    ChartLine loss = line("loss", 250_000, new long[] {0, 250_000, 500_000, 750_000},
        new long[] {249_999, 499_999, 749_999, 999_999}, new double[] {1, 0.5, 0.3, 0.2}, new double[] {2, 0.6, 0.4, 0.25});
    ChartSpec spec = new ChartSpec("Scalars", "value", List.of(loss), false, 0, 999_999, List.of());
    assertEquals(List.of("step 999,999", "loss 0.2 … 0.25"), ChartReadout.at(spec, 999_999));
    assertEquals("step 999,999\nloss 0.2 … 0.25", ChartReadout.tooltip(spec, 999_999));
    assertEquals("Scalars: 1 line over steps 0–999,999", ChartReadout.summary(spec));
  }

  /**
   * The value box stands where it hides no line nor the crosshair: a loss falling from the top left,
   * a weight rising along the bottom, the crosshair at the last step. The top corner away from the
   * crosshair, where the box stood before, hides the loss's first steps.
   */
  @Test
  void theValueBoxStandsWhereItHidesNoLine() {
    long[] steps = {0, 1, 2, 3, 4, 5, 6, 7};
    ChartLine loss = line("loss", 1, steps, steps, new double[] {5.6, 3.7, 2.6, 1.8, 1.4, 1.1, 0.85, 0.7},
        new double[] {5.6, 3.7, 2.6, 1.8, 1.4, 1.1, 0.85, 0.7});
    ChartLine w = line("w", 1, steps, steps, new double[] {0.7, 0.85, 0.95, 1.05, 1.1, 1.2, 1.25, 1.3},
        new double[] {0.7, 0.85, 0.95, 1.05, 1.1, 1.2, 1.25, 1.3});
    var r = Charts.render(new ChartSpec("Scalars", "value", List.of(loss, w), false, 0, 7, List.of()), 410, 180);
    double width = 90, height = 50;
    var box = r.quietPlace(width, height, 7);
    assertEquals(0, r.linesThrough(box), "the box hides no line: " + box);
    var topLeft = new Rectangle2D.Double(r.dataArea().getMinX() + 4, r.dataArea().getMinY() + 4, width, height);
    assertTrue(r.linesThrough(topLeft) > 0, "top left, away from the crosshair, the loss runs under the box");
    assertTrue(box.getMinY() < r.dataArea().getCenterY() && box.getMinX() > r.dataArea().getCenterX(),
        "top right, above the low end of both lines: " + box + " in " + r.dataArea());
    var crosshair = r.chart().getXYPlot().getDomainAxis().valueToJava2D(7, r.dataArea(), org.jfree.chart.ui.RectangleEdge.BOTTOM);
    assertTrue(box.getMaxX() < crosshair, "nor the crosshair");
  }

  private static ChartLine line(String label, long bucket, long[] first, long[] last, double[] lo, double[] hi) {
    return new ChartLine(label, new Series(new SeriesInfo(1, "step", "out", 0, label), Stat.MEAN, bucket, first, last, lo, hi));
  }
}
