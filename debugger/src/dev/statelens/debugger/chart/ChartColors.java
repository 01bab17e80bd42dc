package dev.statelens.debugger.chart;

import java.awt.Color;

/**
 * The colours a chart is drawn in besides its lines: the view's background and text (so a chart in
 * Eclipse's dark theme is dark too, not a white picture with black text), grid lines and the
 * selected step's crosshair mixed from them.
 */
public record ChartColors(Color background, Color text) {

  /** Eclipse's light theme: black on white. */
  public static final ChartColors LIGHT = new ChartColors(Color.WHITE, Color.BLACK);

  /** Subtitles and notes: the text a third of the way to the background. */
  public Color dimText() {
    return mix(text, background, 0.35);
  }

  /** Grid lines: faint. */
  public Color grid() {
    return mix(background, text, 0.14);
  }

  /** The selected step's line. */
  public Color crosshair() {
    return mix(text, background, 0.25);
  }

  private static Color mix(Color a, Color b, double t) {
    return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
        (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
        (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
  }
}
