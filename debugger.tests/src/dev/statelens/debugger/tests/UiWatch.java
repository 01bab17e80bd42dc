package dev.statelens.debugger.tests;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.swt.widgets.Display;

/**
 * What a UI action costs the user, for the walks: the UI thread's CPU time while it runs (its reads'
 * results applied and painted included) and the longest the UI thread was unresponsive — a thread
 * posts an empty runnable every 10 ms and keeps the longest wait for it. A measurement, not a check:
 * on the shared 2-core machine the numbers move with the load.
 */
final class UiWatch implements AutoCloseable {
  private final Thread uiThread = Display.getDefault().getThread();
  private final long cpu0;
  private final long wall0 = System.nanoTime();
  private final AtomicLong longest = new AtomicLong();
  private volatile boolean on = true;
  private final Thread pinger;

  private UiWatch() {
    cpu0 = uiCpu();
    pinger = new Thread(() -> {
      while (on) {
        long t = System.nanoTime();
        Display.getDefault().syncExec(() -> {});
        longest.accumulateAndGet(System.nanoTime() - t, Math::max);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "UiWatch pinger");
    pinger.setDaemon(true);
    pinger.start();
    sampler = new Thread(() -> {
      var mx = ManagementFactory.getThreadMXBean();
      while (on) {
        var info = mx.getThreadInfo(uiThread.threadId(), 40);
        if (info != null && info.getThreadState() == Thread.State.RUNNABLE) {
          StackTraceElement[] st = info.getStackTrace();
          String where = null;
          for (StackTraceElement e : st) {
            if (e.getClassName().startsWith("dev.statelens") && !e.getClassName().contains("UiWatch")) {
              where = e.getClassName().replaceAll(".*\\.", "") + "." + e.getMethodName() + ":" + e.getLineNumber();
              break;
            }
          }
          if (where != null && st.length > 0 && !st[0].getMethodName().contains("gtk_main_iteration")
              && !st[0].getMethodName().equals("_g_main_context_iteration")) {
            hot.merge(where + " <- top " + st[0].getClassName().replaceAll(".*\\.", "") + "." + st[0].getMethodName(), 1,
                Integer::sum);
          }
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "UiWatch sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  private final Thread sampler;
  private final java.util.Map<String, Integer> hot = new java.util.concurrent.ConcurrentHashMap<>();

  /** Where the UI thread was seen busy in the project's code (5 ms samples), the most often first. */
  String hotSpots(int n) {
    return hot.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
        .map(e -> "      " + e.getValue() + " x " + e.getKey()).reduce("", (a, b) -> a + "\n" + b);
  }

  static UiWatch start() {
    return new UiWatch();
  }

  private long uiCpu() {
    return ManagementFactory.getThreadMXBean().getThreadCpuTime(uiThread.threadId());
  }

  /** "wall 840 ms, UI thread 35 ms CPU, longest UI stall 12 ms" (stops the watch). */
  String report() {
    close();
    return String.format("wall %d ms, UI thread %.1f ms CPU, longest UI stall %.1f ms",
        (System.nanoTime() - wall0) / 1_000_000, (uiCpu() - cpu0) / 1e6, longest.get() / 1e6)
        + (PROFILE ? hotSpots(6) : "");
  }

  long longestStallMs() {
    return longest.get() / 1_000_000;
  }

  /** STATELENS_WALK_PROFILE=1: each report lists where the UI thread was busy. */
  private static final boolean PROFILE = System.getenv("STATELENS_WALK_PROFILE") != null;

  @Override
  public void close() {
    on = false;
    try {
      pinger.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
