package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.ui.ChartCanvas;
import dev.statelens.debugger.ui.StateFlowView;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A measurement under Xvfb, not a check of speed: the State Flow view's charts on a 1,000,000-step
 * run — how long the UI thread spends drawing the charts afresh at the view's size, and how long a
 * mouse-wheel zoom takes from the wheel to the zoomed charts drawn (the range re-read in a Job, one
 * point per pixel column). Runs only with {@code STATELENS_MILLION_RUN=<run.db>} (a run of a million
 * steps, e.g. bench/probes/CompareRunsProbe.java's {@code statelens-compare-v2-1000000-0.db});
 * prints the numbers (docs/benchmarks.md, "State Flow charts on a 1M-step run under Xvfb").
 */
class MillionStepChartsTest {

  @AfterEach
  void close() {
    Ui.closeStateFlowView();
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  @Test
  void chartsOfAMillionStepRunRedrawAndZoomSmoothly() throws Exception {
    String file = System.getenv("STATELENS_MILLION_RUN");
    assumeTrue(file != null, "a measurement: set STATELENS_MILLION_RUN=<a million-step run.db>");
    Path db = Path.of(file);
    assertTrue(Files.exists(db), db + " does not exist");
    Ui.run(() -> {
      var shell = Ui.page().getWorkbenchWindow().getShell();
      shell.setBounds(shell.getDisplay().getBounds());
    });
    long t0 = System.nanoTime();
    Run run = DebuggerPlugin.runs().open(db);
    StateFlowView view = Ui.showRun(run);
    Ui.settle();
    long open = System.nanoTime() - t0;
    ChartCanvas chart = Ui.call(view::scalarChart);
    assertNotNull(Ui.call(chart::spec), "the loss chart is drawn");
    long steps = Ui.call(() -> chart.spec().lines().get(0).series().lastStep()[chart.spec().lines().get(0).series().size() - 1]);
    int width = Ui.call(() -> chart.getClientArea().width);
    System.out.printf("%nMillion-step charts: %s, last step %,d, loss chart %d px wide; opened and charted in %d ms%n",
        db.getFileName(), steps, width, open / 1_000_000);

    // a redraw from scratch (a resize or a theme switch re-renders; a plain expose only copies the image)
    var mx = ManagementFactory.getThreadMXBean();
    long[] cpu = new long[7];
    for (int i = 0; i < cpu.length; i++) {
      cpu[i] = Ui.call(() -> {
        long c = mx.getCurrentThreadCpuTime();
        var spec = chart.spec(); // another subtitle: a chart to draw again (the same one, or a crosshair move, is not drawn again)
        chart.setSpec(new dev.statelens.debugger.chart.ChartSpec(spec.title(), spec.yLabel(), spec.lines(), spec.logY(),
            spec.smoothing(), spec.selectedStep(), spec.eventSteps(), spec.subtitle() == null ? "" : null));
        chart.rendered(); // renders now, on this (the UI) thread, as the paint does
        return mx.getCurrentThreadCpuTime() - c;
      });
    }
    Arrays.sort(cpu);
    System.out.printf("  loss chart rendered afresh at its size: median %.1f ms CPU on the UI thread (min %.1f, max %.1f)%n",
        cpu[cpu.length / 2] / 1e6, cpu[0] / 1e6, cpu[cpu.length - 1] / 1e6);

    // mouse-wheel zoom, four notches in, at the chart's middle
    for (int notch = 0; notch < 4; notch++) {
      var before = Ui.call(chart::spec);
      long w0 = System.nanoTime();
      long busy = Ui.call(() -> {
        long c = mx.getCurrentThreadCpuTime();
        Event wheel = new Event();
        wheel.x = chart.getClientArea().width / 2;
        wheel.y = chart.getClientArea().height / 2;
        wheel.count = 3;
        wheel.stateMask = SWT.MOD1; // Ctrl+wheel: in a chart stack that scrolls, the plain wheel scrolls it
        chart.notifyListeners(SWT.MouseVerticalWheel, wheel);
        return mx.getCurrentThreadCpuTime() - c;
      });
      long waited = 0;
      while (Ui.call(chart::spec) == before && waited < 20_000) {
        Thread.sleep(5);
        waited += 5;
      }
      long drawCpu = Ui.call(() -> {
        long c = mx.getCurrentThreadCpuTime();
        chart.rendered();
        return mx.getCurrentThreadCpuTime() - c;
      });
      long latency = System.nanoTime() - w0;
      assertNotEquals(before, Ui.call(chart::spec), "the zoom re-read the range");
      long[] range = Ui.call(view::zoomRange);
      System.out.printf("  zoom notch %d -> steps %,d..%,d: wheel handled in %.1f ms CPU, zoomed chart drawn %d ms after the"
          + " wheel (draw %.1f ms CPU)%n", notch + 1, range[0], range[1], busy / 1e6, latency / 1_000_000, drawCpu / 1e6);
    }
    Ui.run(view::resetZoom);
    Ui.settle();
  }
}
