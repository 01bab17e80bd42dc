package dev.statelens.debugger.ui;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;

/**
 * Buttons that look disabled when they are, in any theme.
 *
 * <p>Why: Eclipse's dark theme gives every button its text colour through CSS, and SWT on GTK then
 * draws that colour in every state, so a greyed-out button (the State Flow view's <i>Next event</i>
 * with no events) looked as clickable as the others. The theme's own {@code Button.disabled { color:
 * #777777 }} is a class selector no widget carries, and the CSS engine restyles a view's widgets
 * again when it likes (a part activated, a theme switch), so a colour set with {@code setForeground}
 * alone was undone at once. A disabled button therefore gets the colour as the CSS engine's inline
 * style (the widget's {@code "style"} data, which wins over every rule), its text moved halfway to
 * its background, and loses it when enabled.
 */
public final class DisabledButtons {
  private DisabledButtons() {}

  /** The e4 CSS engine's inline style of a widget (WidgetElement.getCSSStyle). */
  private static final String INLINE_STYLE = "style";

  /** How far a disabled button's text moves from the theme's text colour towards the background. */
  static final double DIM = 0.55;

  /** Enables or disables {@code b}, its text dimmed while disabled. */
  public static void setEnabled(Button b, boolean enabled) {
    if (b.isDisposed()) {
      return;
    }
    b.setEnabled(enabled);
    if (!enabled) {
      dim(b);
    } else if (b.getData(INLINE_STYLE) != null) {
      b.setData(INLINE_STYLE, null);
      if ((b.getStyle() & SWT.CHECK) != 0) {
        CheckButtons.keepTickVisible(b); // its tick is drawn in an explicit foreground
      } else {
        b.setForeground(null);
      }
      b.reskin(SWT.NONE); // the theme's colour again, where it has one
    }
  }

  /** Dims {@code b} in the new theme's colours if it is disabled (after a theme switch). */
  public static void restyled(Button b) {
    if (!b.isDisposed() && !b.getEnabled()) {
      dim(b);
    }
  }

  /**
   * The theme's text colour (the parent's: the button's own may be dimmed already) moved towards
   * the button's background, set now and as the inline style the CSS engine applies from then on.
   */
  private static void dim(Button b) {
    RGB dimmed = ThemeColors.mix(b.getParent().getForeground().getRGB(), b.getBackground().getRGB(), DIM);
    b.setData(INLINE_STYLE, String.format("color: #%02x%02x%02x;", dimmed.red, dimmed.green, dimmed.blue));
    b.setForeground(new Color(dimmed));
    b.reskin(SWT.NONE);
  }
}
