package dev.statelens.engine.trace;

/**
 * The trace-time switch for the recorder's taps (run-time callbacks that hand the recorder a few
 * numbers per call, e.g. gradient norms from {@code Optim}). While no run is recorded nothing is
 * installed and traced graphs carry no taps; while one is, code that asks {@link #consult()} during
 * a trace adds them. A graph whose trace asked is cached per answer (see {@link JitFunction}), so
 * starting or stopping a recording retraces exactly the functions whose graphs differ.
 */
public final class RecordingTaps {
  private RecordingTaps() {}

  /** What the recorder does with a tree of gradients at trace time (adds its tap to the graph). */
  public interface Tapper {
    /**
     * Called while tracing an optimizer update: {@code grads} has the structure of {@code params}.
     */
    void gradients(Object grads, Object params);
  }

  private static volatile Tapper tapper;

  /** Installed by the recorder while it records. */
  public static void install(Tapper t) {
    tapper = t;
  }

  /** Removes {@code t} if it is the installed tapper. */
  public static void uninstall(Tapper t) {
    if (tapper == t) {
      tapper = null;
    }
  }

  /** Whether a run is recorded now (no side effect; for cache lookups). */
  public static boolean on() {
    return tapper != null;
  }

  /**
   * For code being traced: the tapper when a run is recorded, else null. Marks every jit trace in
   * progress on this thread as depending on the answer, so their graphs are cached per answer.
   */
  public static Tapper consult() {
    Tapper t = tapper;
    JitFrame.markRecordingDependent(t != null);
    return t;
  }
}
