package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.debugger.chart.ChartLine;
import dev.statelens.debugger.chart.ChartReadout;
import dev.statelens.debugger.chart.ChartSpec;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
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
    assertEquals("Scalars: 3 lines over steps 0–29", ChartReadout.summary(spec));
    assertEquals("Scalars: no data", ChartReadout.summary(new ChartSpec("Scalars", "value", List.of(), false, 0, -1, List.of())));
  }

  private static ChartLine line(String label, long bucket, long[] first, long[] last, double[] lo, double[] hi) {
    return new ChartLine(label, new Series(new SeriesInfo(1, "step", "out", 0, label), Stat.MEAN, bucket, first, last, lo, hi));
  }
}
