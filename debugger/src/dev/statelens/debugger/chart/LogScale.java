package dev.statelens.debugger.chart;

import dev.statelens.engine.record.store.ValueSpan;
import java.util.List;

/**
 * Whether a chart starts on a log y axis. A chart whose values span many decades (the engine's
 * {@link ValueSpan} rule, which the report's charts use too) starts on log y, and its subtitle
 * says why; once the user toggles Log y, their choice holds (and a wide chart they keep linear
 * says the span and suggests Log y).
 */
public final class LogScale {
  private LogScale() {}

  /** The axis to draw and the subtitle that explains it (null: none). */
  public record Choice(boolean logY, String subtitle) {}

  /** The span of every finite point (min and max of each bucket) of {@code lines}; null when no value is finite and nonzero. */
  public static ValueSpan span(List<ChartLine> lines) {
    return ValueSpan.of(lines.stream().map(ChartLine::series).toList());
  }

  /**
   * {@code explicitLog} is the user's Log y choice, null until they make one: until then a wide
   * chart is drawn on log y ("log y: values span …"); a wide chart they keep linear suggests
   * Log y; otherwise their choice, without a subtitle.
   */
  public static Choice choose(Boolean explicitLog, List<ChartLine> lines) {
    ValueSpan s = span(lines);
    boolean wide = s != null && s.isWide();
    if (explicitLog == null) {
      return wide ? new Choice(true, "log y: " + s.label() + " (untick Log y for linear)") : new Choice(false, null);
    }
    return new Choice(explicitLog, wide && !explicitLog ? s.label() + ": try Log y" : null);
  }
}
