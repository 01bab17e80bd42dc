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
    if (!bootstrapped) {
      bootstrap();
    }
    return listeners;
  }

  private static volatile boolean bootstrapped;

  /**
   * Once, at the first jit call: when recording or the live control channel is switched on from
   * outside ({@code statelens.record} / {@code STATELENS_RECORD}, {@code statelens.control.port} /
   * {@code STATELENS_CONTROL_PORT}), lets {@code dev.statelens.engine.record.AutoStart} register
   * its listeners, so the program needs no change. Reflective so that trace does not depend on
   * record; a failure is reported in one line and the program runs unrecorded.
   */
  private static synchronized void bootstrap() {
    if (bootstrapped) {
      return;
    }
    bootstrapped = true;
    if (System.getProperty("statelens.record") == null && System.getenv("STATELENS_RECORD") == null
        && System.getProperty("statelens.control.port") == null && System.getenv("STATELENS_CONTROL_PORT") == null) {
      return;
    }
    try {
      Class.forName("dev.statelens.engine.record.AutoStart").getMethod("install").invoke(null);
    } catch (ReflectiveOperationException | LinkageError e) {
      Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
      // StateLens's own exceptions are sentences with the fix (a run file that cannot be created);
      // anything else keeps its type
      String why = cause.getClass().getName().startsWith("dev.statelens.") && cause.getMessage() != null
          ? cause.getMessage() : String.valueOf(cause);
      System.err.println("statelens: recording was requested but could not start, so the program runs unrecorded: " + why);
    }
  }
}
