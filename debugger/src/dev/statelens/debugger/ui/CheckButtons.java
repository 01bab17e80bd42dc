package dev.statelens.debugger.ui;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;

/**
 * Check boxes for views whose tick stays visible under Eclipse's light theme on GTK.
 *
 * <p>Why: the theme styles {@code .View Button[style~='SWT.CHECK'] { background-color: inherit }};
 * SWT on GTK 3 applies a check button's background to its indicator too, so Adwaita's checked
 * indicator (a white tick on a blue fill) becomes a white tick on white: checked and unchecked look
 * the same (dialogs are not styled, so only views show it). The tick is drawn in the widget's
 * foreground colour once one is set explicitly, so each check box gets the theme's text colour,
 * nudged by one unit: SWT ignores a foreground equal to the default.
 */
public final class CheckButtons {
  private CheckButtons() {}

  /** A check box labelled {@code text} in {@code parent} whose tick shows on any background. */
  public static Button create(Composite parent, String text) {
    Button b = new Button(parent, SWT.CHECK);
    b.setText(text);
    keepTickVisible(b);
    return b;
  }

  /** Gives {@code b} an explicit foreground (the default text colour, one unit off) for its tick. */
  public static void keepTickVisible(Button b) {
    b.setForeground(new Color(nudged(b.getDisplay().getSystemColor(SWT.COLOR_WIDGET_FOREGROUND).getRGB())));
  }

  /** {@code rgb} one unit towards grey in each channel: the same to the eye, not equal to the default. */
  static RGB nudged(RGB rgb) {
    return new RGB(step(rgb.red), step(rgb.green), step(rgb.blue));
  }

  private static int step(int c) {
    return c < 128 ? c + 1 : c - 1;
  }
}
