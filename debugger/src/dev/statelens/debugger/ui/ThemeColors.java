package dev.statelens.debugger.ui;

import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Control;

/**
 * The debugger's colours, taken from the theme: the background and text colour a control has once
 * the workbench styled it (Eclipse's dark theme, org.eclipse.e4.ui.css.theme.e4_dark, sets them
 * through CSS), with every tint (a changed leaf, a NaN, the function box, the threading green) mixed
 * into that background. Hard-coded light colours left light text on a pale yellow row and white
 * canvases in a dark workbench.
 *
 * <p>SWT colours hold no OS resource (since 3.115): nothing to dispose.
 */
public record ThemeColors(RGB background, RGB foreground) {

  /** Eclipse's light theme: black on white. */
  public static final ThemeColors LIGHT = new ThemeColors(new RGB(255, 255, 255), new RGB(0, 0, 0));

  /** The colours {@code control} shows now (after the theme styled it). */
  public static ThemeColors of(Control control) {
    return new ThemeColors(control.getBackground().getRGB(), control.getForeground().getRGB());
  }

  /**
   * The colours of the workbench window (its shell, as the theme styled it), for a label provider
   * that is given no control: the Variables view's model presentation. Light off the UI thread or
   * without a window.
   */
  public static ThemeColors ofWorkbench() {
    if (!org.eclipse.ui.PlatformUI.isWorkbenchRunning()) {
      return LIGHT;
    }
    var workbench = org.eclipse.ui.PlatformUI.getWorkbench();
    var window = workbench.getActiveWorkbenchWindow(); // null off the UI thread
    if (window == null && workbench.getWorkbenchWindowCount() > 0
        && org.eclipse.swt.widgets.Display.getCurrent() != null) {
      window = workbench.getWorkbenchWindows()[0];
    }
    var shell = window == null ? null : window.getShell();
    return shell == null || shell.isDisposed() ? LIGHT : of(shell);
  }

  /** Whether the background is dark (the text light). */
  public boolean dark() {
    return luminance(background) < 0.5;
  }

  public Color backgroundColor() {
    return new Color(background);
  }

  public Color text() {
    return new Color(foreground);
  }

  /** Secondary text (captions, values under a path): the text colour a third of the way to the background. */
  public Color dimText() {
    return new Color(mix(foreground, background, 0.35));
  }

  /**
   * The keyboard focus ring of the custom-drawn controls (timeline, charts): a blue with at least
   * 3:1 contrast against the background (WCAG's non-text contrast), lighter on a dark one.
   */
  public Color focusRing() {
    return new Color(dark() ? new RGB(110, 170, 255) : new RGB(0, 90, 200));
  }

  /** Lines and box borders that should not compete with text. */
  public Color line() {
    return new Color(mix(foreground, background, 0.6));
  }

  /** A changed value's cell or box: a faint amber. */
  public Color changedBackground() {
    return dark() ? new Color(tint(new RGB(255, 190, 0), 0.22)) : new Color(255, 246, 214);
  }

  /** A box with NaN/Inf or stale state: a faint red. */
  public Color badBackground() {
    return new Color(tint(new RGB(230, 40, 40), dark() ? 0.25 : 0.1));
  }

  /**
   * Text of a leaf with NaN/Inf, an error, an event: the one "bad value" colour of the state tree,
   * the state flow picture, the status line and the Variables view. Not JFace's error colour, which
   * the Variables view used: pure red on white (4.0:1) and the dark theme's (247,68,117) on its
   * grey are both under {@link #TEXT_CONTRAST}.
   */
  public Color badText() {
    return dark() ? new Color(255, 120, 110) : new Color(200, 0, 0);
  }

  /** A leaf's box in the state flow picture. */
  public Color boxBackground() {
    return new Color(mix(background, foreground, 0.05));
  }

  /** The function's box and its border. */
  public Color functionBackground() {
    return new Color(tint(new RGB(66, 103, 178), dark() ? 0.35 : 0.12));
  }

  public Color functionBorder() {
    return dark() ? new Color(130, 165, 235) : new Color(66, 103, 178);
  }

  /** State threading (an output that becomes the next step's input). */
  public Color threadGreen() {
    return dark() ? new Color(95, 200, 95) : new Color(44, 160, 44);
  }

  /** A next-step input's box. */
  public Color threadBackground() {
    return new Color(tint(new RGB(44, 160, 44), dark() ? 0.22 : 0.1));
  }

  /** The traced graph's state inputs (blue) and state outputs (green). */
  public Color stateInText() {
    return dark() ? new Color(110, 175, 245) : new Color(0, 110, 180);
  }

  public Color stateOutText() {
    return dark() ? new Color(110, 205, 110) : new Color(30, 140, 30);
  }

  /** Text wants this contrast with what it is drawn on (WCAG AA). */
  public static final double TEXT_CONTRAST = 4.5;

  /**
   * The background mixed a fraction {@code strength} towards {@code hue}, weaker where needed so the
   * text on it keeps {@link #TEXT_CONTRAST} (on a dark theme's grey text a strong tint is too light).
   */
  RGB tint(RGB hue, double strength) {
    RGB out = mix(background, hue, strength);
    for (double t = strength; t > 0.04 && contrast(foreground, out) < TEXT_CONTRAST; t -= 0.02) {
      out = mix(background, hue, t);
    }
    return out;
  }

  /** Relative luminance (sRGB, WCAG) of a colour, 0 (black) to 1 (white). */
  public static double luminance(RGB c) {
    return 0.2126 * channel(c.red) + 0.7152 * channel(c.green) + 0.0722 * channel(c.blue);
  }

  /** WCAG contrast ratio of two colours, 1 (none) to 21 (black on white); text wants 4.5. */
  public static double contrast(RGB a, RGB b) {
    double la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  private static double channel(int v) {
    double c = v / 255.0;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  /** {@code a} moved a fraction {@code t} of the way to {@code b}. */
  static RGB mix(RGB a, RGB b, double t) {
    return new RGB((int) Math.round(a.red + (b.red - a.red) * t), (int) Math.round(a.green + (b.green - a.green) * t),
        (int) Math.round(a.blue + (b.blue - a.blue) * t));
  }
}
