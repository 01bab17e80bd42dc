package dev.statelens.debugger.chart;

import java.util.List;

/**
 * What a chart shows: its lines, the y axis (linear or log), smoothing weight, the selected step
 * (drawn as a crosshair line) and event steps (drawn as red marks).
 */
public record ChartSpec(String title, String yLabel, List<ChartLine> lines, boolean logY, double smoothing,
    long selectedStep, List<Long> eventSteps) {}
