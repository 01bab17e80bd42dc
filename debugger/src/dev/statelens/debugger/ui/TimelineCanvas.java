package dev.statelens.debugger.ui;

import dev.statelens.engine.record.store.EventInfo;
import dev.statelens.engine.record.store.EventKind;
import java.util.List;
import java.util.function.LongConsumer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * The step timeline: a slider over all recorded steps of a function with its events marked
 * (red NaN/Inf, orange retrace, purple stale state, dark red errors). Click or drag to select a
 * step; Left/Right step by one, Page Up/Down by a tenth, Home/End jump to the ends.
 */
public final class TimelineCanvas extends Canvas {
  private static final int PAD = 12;
  private long first;
  private long last = -1;
  private long selected = -1;
  private List<EventInfo> events = List.of();
  private LongConsumer listener = s -> {};
  private boolean dragging;

  public TimelineCanvas(Composite parent) {
    super(parent, SWT.DOUBLE_BUFFERED);
    addPaintListener(e -> {
      paint(e.gc);
      FocusRing.paint(this, e.gc);
    });
    addListener(SWT.MouseDown, e -> {
      if (e.button == 1) {
        dragging = true;
        setFocus();
        pick(e.x);
      }
    });
    addListener(SWT.MouseMove, e -> {
      if (dragging) {
        pick(e.x);
      }
    });
    addListener(SWT.MouseUp, e -> dragging = false);
    addListener(SWT.KeyDown, e -> {
      long page = Math.max(1, (last - first) / 10);
      switch (e.keyCode) {
        case SWT.ARROW_LEFT -> select(selected - 1, true);
        case SWT.ARROW_RIGHT -> select(selected + 1, true);
        case SWT.PAGE_UP -> select(selected - page, true);
        case SWT.PAGE_DOWN -> select(selected + page, true);
        case SWT.HOME -> select(first, true);
        case SWT.END -> select(last, true);
        default -> { }
      }
    });
    FocusRing.install(this); // Tab reaches it, a ring shows it has the keys
    AccessibleText.install(this, org.eclipse.swt.accessibility.ACC.ROLE_SLIDER, () -> "Step timeline",
        () -> selected < first ? "no step" : "step " + selected + " of " + first + " to " + last);
    setToolTipText("Click or drag to select a step; ←/→ step by one, Page Up/Down by a tenth, Home/End to the ends; "
        + "marks are events (red NaN/Inf, orange retrace, purple stale state)");
  }

  /** Sets the range of steps and the events to mark (UI thread); keeps the selection in range. */
  public void setRange(long first, long last, List<EventInfo> events) {
    this.first = first;
    this.last = last;
    this.events = List.copyOf(events);
    if (selected > last) {
      selected = last;
    }
    if (selected < first && last >= first) {
      selected = first;
    }
    redraw();
  }

  public long first() {
    return first;
  }

  public long last() {
    return last;
  }

  public long selection() {
    return selected;
  }

  /** Selects {@code step} (clamped to the range); {@code notify} tells the listener. */
  public void select(long step, boolean notify) {
    if (last < first) {
      return;
    }
    long s = Math.max(first, Math.min(last, step));
    if (s == selected) {
      return;
    }
    selected = s;
    redraw();
    AccessibleText.valueChanged(this);
    if (notify) {
      listener.accept(s);
    }
  }

  public void onSelect(LongConsumer l) {
    this.listener = l;
  }

  /** The step under pixel column {@code x}. */
  public long stepAt(int x) {
    Rectangle r = getClientArea();
    int w = Math.max(1, r.width - 2 * PAD);
    double f = Math.max(0, Math.min(1, (x - PAD) / (double) w));
    return first + Math.round(f * (last - first));
  }

  /** The pixel column of {@code step}. */
  public int xOf(long step) {
    Rectangle r = getClientArea();
    int w = Math.max(1, r.width - 2 * PAD);
    return PAD + (last == first ? 0 : (int) Math.round((step - first) * (double) w / (last - first)));
  }

  private void pick(int x) {
    select(stepAt(x), true);
  }

  @Override
  public Point computeSize(int wHint, int hHint, boolean changed) {
    return new Point(wHint == SWT.DEFAULT ? 400 : wHint, 38);
  }

  private void paint(GC gc) {
    Rectangle r = getClientArea();
    var d = getDisplay();
    ThemeColors theme = ThemeColors.of(this); // dark theme: the view's dark background, not GTK's grey
    gc.setBackground(theme.backgroundColor());
    gc.fillRectangle(r);
    int y = 14;
    gc.setBackground(theme.line());
    gc.fillRoundRectangle(PAD, y - 3, r.width - 2 * PAD, 6, 6, 6);
    if (last < first) {
      return;
    }
    boolean dark = theme.dark();
    for (EventInfo e : events) {
      if (e.step() == null || e.step() < first || e.step() > last) {
        continue;
      }
      int x = xOf(e.step());
      gc.setForeground(color(e.kind(), dark));
      gc.setLineWidth(2);
      gc.drawLine(x, y - 9, x, y + 9);
    }
    gc.setLineWidth(1);
    // labels at both ends, unless the selected step's label covers them
    int selLeft = Integer.MAX_VALUE, selRight = Integer.MIN_VALUE;
    if (selected >= first) {
      String t = "step " + String.format("%,d", selected); // 999,999: a million steps read at a glance
      int tw = gc.textExtent(t).x;
      selLeft = Math.max(PAD, Math.min(r.width - PAD - tw, xOf(selected) - tw / 2)) - 6;
      selRight = selLeft + tw + 12;
    }
    gc.setForeground(theme.dimText());
    String firstText = String.format("%,d", first);
    if (PAD + gc.textExtent(firstText).x < selLeft) {
      gc.drawText(firstText, PAD, y + 8, true);
    }
    String lastText = String.format("%,d", last);
    int lastX = r.width - PAD - gc.textExtent(lastText).x;
    if (lastX > selRight) {
      gc.drawText(lastText, lastX, y + 8, true);
    }
    if (selected >= first) {
      int x = xOf(selected);
      gc.setBackground(d.getSystemColor(SWT.COLOR_LIST_SELECTION));
      gc.fillOval(x - 6, y - 6, 12, 12);
      gc.setForeground(d.getSystemColor(SWT.COLOR_LIST_SELECTION_TEXT));
      gc.drawOval(x - 6, y - 6, 12, 12);
      String t = "step " + String.format("%,d", selected); // 999,999: a million steps read at a glance
      int tw = gc.textExtent(t).x;
      int tx = Math.max(PAD, Math.min(r.width - PAD - tw, x - tw / 2));
      gc.setForeground(theme.text());
      gc.drawText(t, tx, y + 8, true);
    }
  }

  /**
   * The mark colour of an event kind; {@code dark}: the theme's (read once per paint, not per mark),
   * since the dark marks of a light theme vanish on a dark one.
   */
  static Color color(String kind, boolean dark) {
    return switch (kind) {
      case EventKind.FIRST_NAN, EventKind.FIRST_INF -> dark ? new Color(255, 90, 80) : new Color(255, 0, 0);
      case EventKind.RETRACE -> new Color(230, 140, 0);
      case EventKind.STALE_STATE -> dark ? new Color(210, 110, 230) : new Color(128, 0, 128);
      default -> dark ? new Color(230, 60, 60) : new Color(128, 0, 0);
    };
  }
}
