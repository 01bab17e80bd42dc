package dev.statelens.engine.trace;

import java.util.Arrays;

/** The registered {@link JitListener}s (copy-on-write). */
public final class JitListeners {
  private static volatile JitListener[] listeners = new JitListener[0];

  private JitListeners() {}

  public static synchronized void add(JitListener l) {
    JitListener[] a = Arrays.copyOf(listeners, listeners.length + 1);
    a[a.length - 1] = l;
    listeners = a;
  }

  public static synchronized void remove(JitListener l) {
    listeners = Arrays.stream(listeners).filter(x -> x != l).toArray(JitListener[]::new);
  }

  static JitListener[] current() {
    return listeners;
  }
}
