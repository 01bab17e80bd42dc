package dev.statelens.debugger.ui;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Scrollable;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Tree;

/**
 * Grey text drawn in an empty table or tree that says what to do next ("No run open: File > Open
 * StateLens Run…"), wrapped to the control's width so a narrow side pane shows all of it.
 */
final class EmptyHint {
  private static final int MARGIN = 8;

  private EmptyHint() {}

  /** Draws {@code text} in {@code control} whenever {@code empty} holds; paragraphs split at '\n'. */
  static void install(Scrollable control, BooleanSupplier empty, Supplier<String> text) {
    control.addListener(SWT.Paint, e -> {
      if (empty.getAsBoolean()) {
        paint(e, control, text.get());
      }
    });
    control.addListener(SWT.Resize, e -> { // re-wrap to the new width
      if (empty.getAsBoolean()) {
        control.redraw();
      }
    });
  }

  private static void paint(Event e, Scrollable control, String text) {
    GC gc = e.gc;
    gc.setForeground(ThemeColors.of(control).dimText()); // GTK's dark grey vanished on the dark theme's table
    int header = control instanceof Table t ? t.getHeaderHeight() : control instanceof Tree t ? t.getHeaderHeight() : 0;
    int width = Math.max(80, control.getClientArea().width - 2 * MARGIN);
    int lineHeight = gc.getFontMetrics().getHeight() + 2;
    int y = header + MARGIN;
    for (String paragraph : text.split("\n")) {
      StringBuilder line = new StringBuilder();
      for (String word : paragraph.split(" ")) {
        String candidate = line.isEmpty() ? word : line + " " + word;
        if (!line.isEmpty() && gc.textExtent(candidate).x > width) {
          gc.drawText(line.toString(), MARGIN, y, true);
          y += lineHeight;
          line = new StringBuilder(word);
        } else {
          line = new StringBuilder(candidate);
        }
      }
      gc.drawText(line.toString(), MARGIN, y, true);
      y += lineHeight;
    }
  }
}
