package dev.statelens.debugger.ui;

import dev.statelens.debugger.chart.ChartSpec;
import dev.statelens.debugger.chart.NormLines;
import dev.statelens.debugger.model.Run;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;

/**
 * The State Flow view's third chart: gradient and update norms ({@link NormLines}), log y by
 * default since norms span decades. Same canvas (zoom, click to select a step, throttled redraws)
 * and the same smoothing, zoom range and crosshair as the other two charts.
 */
final class NormsChart {
  private final ChartCanvas canvas;
  private final RunJobs.Slot slot = new RunJobs.Slot("Charting norms");

  NormsChart(Composite parent) {
    canvas = new ChartCanvas(parent);
  }

  ChartCanvas canvas() {
    return canvas;
  }

  /** Drops a pending read (the view stopped showing its run). */
  void cancel() {
    slot.cancel();
  }

  /** Re-reads the lines for the selected leaves' paths (global norms only when none) in a Job. */
  void refresh(Run run, Control owner, List<String> leafPaths, int points, long from, long to, boolean logY,
      double smoothing, long step, List<Long> eventSteps, Consumer<String> onError) {
    slot.submit(run, owner, st -> NormLines.read(st, leafPaths, points, from, to), r -> {
      if (canvas.isDisposed()) {
        return;
      }
      if (r.lines().isEmpty()) {
        canvas.setPlaceholder(NormLines.HINT);
      } else {
        canvas.setSpec(new ChartSpec(r.title(), "norm", r.lines(), logY, smoothing, step, eventSteps));
      }
    }, onError);
  }
}
