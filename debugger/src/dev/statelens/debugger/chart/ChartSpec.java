package dev.statelens.debugger.chart;

import java.util.List;

/**
 * What a chart shows: its lines, the y axis (linear or log), smoothing weight, the selected step
 * (drawn as a crosshair line), event steps (drawn as red marks) and a subtitle under the title
 * (null: none; e.g. why the axis is log, see {@link LogScale}).
 */
public record ChartSpec(String title, String yLabel, List<ChartLine> lines, boolean logY, double smoothing,
    long selectedStep, List<Long> eventSteps, String subtitle) {

  /** Without a subtitle. */
  public ChartSpec(String title, String yLabel, List<ChartLine> lines, boolean logY, double smoothing,
      long selectedStep, List<Long> eventSteps) {
    this(title, yLabel, lines, logY, smoothing, selectedStep, eventSteps, null);
  }

  /** This chart with the crosshair on {@code step}. */
  public ChartSpec atStep(long step) {
    return new ChartSpec(title, yLabel, lines, logY, smoothing, step, eventSteps, subtitle);
  }
}
