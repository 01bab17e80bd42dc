package dev.statelens.debugger.ui;

import org.eclipse.swt.widgets.Display;

/**
 * Coalesces redraw requests: however often {@link #request()} is called (a live run adds steps
 * all the time), {@code action} runs on the UI thread at most once per {@code minIntervalMs}
 * (50 ms = 20 redraws/s), and the latest request is never lost.
 */
public final class RedrawThrottle {
  private final Display display;
  private final Runnable action;
  private final int minIntervalMs;
  private long lastRun;
  private boolean scheduled;
  private int runs;

  public RedrawThrottle(Display display, int minIntervalMs, Runnable action) {
    this.display = display;
    this.minIntervalMs = minIntervalMs;
    this.action = action;
  }

  /** Asks for a redraw (any thread). */
  public void request() {
    display.asyncExec(this::schedule);
  }

  private void schedule() {
    if (scheduled) {
      return;
    }
    scheduled = true;
    long wait = Math.max(0, lastRun + minIntervalMs - System.currentTimeMillis());
    display.timerExec((int) wait, () -> {
      scheduled = false;
      lastRun = System.currentTimeMillis();
      runs++;
      action.run();
    });
  }

  /** How many times the action ran (UI thread). */
  public int runs() {
    return runs;
  }
}
