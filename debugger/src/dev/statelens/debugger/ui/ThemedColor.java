package dev.statelens.debugger.ui;

import java.util.function.Function;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Control;

/**
 * One colour derived from a control's theme ({@link ThemeColors}), computed again only when the
 * control's background or text colour changed (a theme switch). Label providers ask for a colour per
 * table cell: each ask costs two RGB reads instead of a tint's contrast search and a new Color.
 */
public final class ThemedColor {
  private final Control control;
  private final Function<ThemeColors, Color> derive;
  private ThemeColors theme;
  private Color color;

  public ThemedColor(Control control, Function<ThemeColors, Color> derive) {
    this.control = control;
    this.derive = derive;
  }

  /** The colour for the control's colours now (the light theme's once it is disposed). */
  public Color get() {
    ThemeColors now = control == null || control.isDisposed() ? ThemeColors.LIGHT : ThemeColors.of(control);
    if (!now.equals(theme)) {
      theme = now;
      color = derive.apply(now);
    }
    return color;
  }
}
