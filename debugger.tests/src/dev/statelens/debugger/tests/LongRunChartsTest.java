package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.chart.ChartLine;
import dev.statelens.debugger.ui.ChartCanvas;
import dev.statelens.debugger.ui.StateFlowView;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.eclipse.swt.SWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The charts of a long run, walked on a million steps (DayTwoWalkTest), checked here on 3,000 without
 * timing anything: a zoomed chart pans, and stepping moves only the crosshair.
 */
class LongRunChartsTest {
  @TempDir
  Path dir;

  @AfterEach
  void close() {
    Ui.closeStateFlowView();
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  /**
   * Selecting steps (◀ Prev, the timeline dragged, Play) moves the charts' crosshair without drawing
   * the charts again: the line is painted over the drawn image. Each step re-rendered all three
   * charts with JFreeChart (~20 ms each on the loaded 2-core box), most of the UI thread's time per
   * step on a million-step run, and ~45 ms per move while dragging the timeline.
   */
  @Test
  void steppingMovesTheCrosshairWithoutDrawingTheChartsAgain() throws Exception {
    StateFlowView v = StateFlowViewTest.show(Fixtures.linreg(dir.resolve("steps.db"), 3000, 0.02, -1, -1));
    List<ChartCanvas> charts = Ui.call(() -> List.of(v.scalarChart(), v.leafChart(), v.normsChart()));
    Ui.run(() -> charts.forEach(ChartCanvas::rendered));
    List<Integer> before = Ui.call(() -> charts.stream().map(ChartCanvas::renders).toList());
    for (int i = 1; i <= 10; i++) {
      long s = 3000L * i / 11;
      Ui.run(() -> v.selectStep(s));
      Ui.settle();
    }
    Ui.run(() -> v.selectStep(1500));
    Ui.settle();
    for (ChartCanvas c : charts) {
      assertEquals(1500, (long) Ui.call(() -> c.spec().selectedStep()), "every chart's crosshair at the step");
    }
    assertEquals(before, Ui.call(() -> charts.stream().map(ChartCanvas::renders).toList()),
        "no chart drawn again for a crosshair move");

    // the line is on screen at step 1500's x, in the crosshair's colour
    ChartCanvas loss = charts.get(0);
    Ui.run(loss::redraw);
    Ui.settle();
    Thread.sleep(200);
    int[] hits = Ui.call(() -> {
      loss.update();
      var area = loss.rendered().dataArea();
      int x = (int) Math.round(loss.rendered().chart().getXYPlot().getDomainAxis().valueToJava2D(1500, area,
          org.jfree.chart.ui.RectangleEdge.BOTTOM));
      var t = dev.statelens.debugger.ui.ThemeColors.of(loss);
      java.awt.Color want = new dev.statelens.debugger.chart.ChartColors(
          new java.awt.Color(t.background().red, t.background().green, t.background().blue),
          new java.awt.Color(t.foreground().red, t.foreground().green, t.foreground().blue)).crosshair();
      int top = (int) area.getMinY() + 2, height = (int) area.getHeight() - 4;
      int[] counts = new int[2];
      for (int k = 0; k < 2; k++) {
        int column = k == 0 ? x : x + 40; // the crosshair's column, and one beside it without
        for (var rgb : dev.statelens.test.support.Screen.pixels(loss, new org.eclipse.swt.graphics.Rectangle(column, top, 1, height))) {
          if (Math.abs(rgb.red - want.getRed()) + Math.abs(rgb.green - want.getGreen()) + Math.abs(rgb.blue - want.getBlue()) < 40) {
            counts[k]++;
          }
        }
      }
      counts[1] = height - counts[1]; // what the column beside is not
      return new int[] {counts[0], height, counts[1]};
    });
    assertTrue(hits[0] > hits[1] * 0.8, "the crosshair drawn down the plot at step 1500: " + hits[0] + " of " + hits[1] + " pixels");
  }

  /**
   * The Step spinner (and the Diff's) as wide as the longer run's steps need when it is shown after a
   * short one: sized for a 200-step run, it kept its width for a million steps and cut its + off.
   */
  @Test
  void theStepSpinnersWidenForALongerRunShownAfterAShortOne() throws Exception {
    StateFlowView v = StateFlowViewTest.show(Fixtures.linreg(dir.resolve("short.db"), 5, 0.02, -1, -1));
    Ui.run(() -> v.selectTab("Diff"));
    Ui.settle();
    StateFlowViewTest.show(Fixtures.linreg(dir.resolve("long.db"), 3000, 0.02, -1, -1));
    Ui.run(() -> {
      for (var spinner : dev.statelens.test.support.Widgets.all(v.stepSpinner().getShell(), org.eclipse.swt.widgets.Spinner.class,
          sp -> sp.isVisible() && sp.getMaximum() == 2999)) {
        int needed = spinner.computeSize(SWT.DEFAULT, SWT.DEFAULT).x;
        assertTrue(spinner.getSize().x >= needed, "a spinner up to 2999 is " + spinner.getSize().x + " px wide, needs " + needed);
      }
      assertEquals(2999, v.stepSpinner().getMaximum());
    });
  }

  /**
   * Dragging the plot sideways moves every chart's step range by the steps the drag covered, keeps
   * its width, stays inside the run's steps, re-reads the new range downsampled to the chart's width,
   * and selects no step (a plain click still does). Zoomed in on a long run there was no way along
   * the steps but zooming out and in again.
   */
  @Test
  void draggingAZoomedChartPansEveryChartAlongTheSteps() throws Exception {
    StateFlowView v = StateFlowViewTest.show(Fixtures.linreg(dir.resolve("long.db"), 3000, 0.02, -1, -1));
    ChartCanvas loss = Ui.call(v::scalarChart);
    int width = Ui.call(() -> loss.getClientArea().width);
    long selected = Ui.call(v::step);

    // all steps shown: a drag has nothing to pan, and is no click either
    Ui.run(() -> Ui.drag(loss, width / 2, width / 4));
    Ui.settle();
    assertArrayEquals(new long[] {-1, -1}, Ui.call(v::zoomRange), "all steps: nothing to pan");
    assertEquals(selected, (long) Ui.call(v::step), "a drag selects no step");

    for (int notch = 0; notch < 3; notch++) { // Ctrl+wheel: zoom in around the middle
      Ui.run(() -> Ui.wheel(loss, width / 2, 3, SWT.MOD1));
      Ui.settle();
    }
    long[] zoomed = Ui.call(v::zoomRange);
    assertTrue(zoomed[0] > 0 && zoomed[1] < 2999, Arrays.toString(zoomed));
    double stepsPerPixel = Ui.call(() -> {
      var area = loss.rendered().dataArea();
      var axis = loss.rendered().chart().getXYPlot().getDomainAxis();
      return (axis.getUpperBound() - axis.getLowerBound()) / area.getWidth();
    });

    // drag a sixteenth of the chart to the left: later steps come in from the right (not as far as the end)
    Ui.run(() -> Ui.drag(loss, width / 2, width / 2 - width / 16));
    Ui.settle();
    long[] panned = Ui.call(v::zoomRange);
    long expected = Math.round((width / 16) * stepsPerPixel);
    assertTrue(zoomed[1] + expected < 2999, "the test's drag stays inside the run: " + Arrays.toString(zoomed) + " + " + expected);
    assertEquals(zoomed[1] - zoomed[0], panned[1] - panned[0], "the same number of steps: " + Arrays.toString(panned));
    assertTrue(Math.abs(panned[0] - zoomed[0] - expected) <= 2,
        "moved by the steps the drag covered (" + expected + "): " + Arrays.toString(zoomed) + " -> " + Arrays.toString(panned));
    assertEquals(selected, (long) Ui.call(v::step), "panning selects no step");
    for (ChartCanvas c : Ui.call(() -> List.of(v.scalarChart(), v.leafChart()))) {
      for (ChartLine line : Ui.call(() -> c.spec().lines())) {
        var s = line.series();
        assertTrue(s.size() <= Math.max(2, width), line.label() + ": " + s.size() + " points for " + width + " px");
        assertTrue(s.firstStep()[0] >= panned[0] && s.lastStep()[s.size() - 1] <= panned[1],
            line.label() + " read for the panned range " + Arrays.toString(panned) + ": " + s.firstStep()[0] + ".."
                + s.lastStep()[s.size() - 1]);
      }
    }

    // dragged far to the right: stops at step 0, the width kept
    Ui.run(() -> Ui.drag(loss, 10, width * 4));
    Ui.settle();
    long[] start = Ui.call(v::zoomRange);
    assertEquals(0, start[0], Arrays.toString(start));
    assertEquals(zoomed[1] - zoomed[0], start[1] - start[0], Arrays.toString(start));

    // a click (no movement) still selects its step
    Ui.run(() -> {
      var e = new org.eclipse.swt.widgets.Event();
      e.x = width / 2;
      e.y = loss.getClientArea().height / 2;
      e.button = 1;
      e.count = 1;
      loss.notifyListeners(SWT.MouseDown, e);
      loss.notifyListeners(SWT.MouseUp, e);
    });
    Ui.settle();
    long clicked = Ui.call(v::step);
    assertTrue(clicked != selected && clicked >= start[0] && clicked <= start[1], "the click selected step " + clicked);
  }
}
