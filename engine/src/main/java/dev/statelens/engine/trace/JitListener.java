package dev.statelens.engine.trace;

/**
 * Observes top-level calls of jitted functions (the recorder and the live control channel use
 * this). Calls made while another trace is active (inlined) are not reported. Register with
 * {@link JitListeners#add}; with none registered the hooks cost one volatile read per call.
 */
public interface JitListener {
  /** Before the call runs (may block, e.g. to pause a live run). */
  default void beforeCall(JitFunction function, long step) {}

  /** After a successful call. */
  default void afterCall(JitCall call) {}

  /** After a call failed (e.g. UnexpectedTracerError); the error is rethrown afterwards. */
  default void callFailed(JitFunction function, long step, Throwable error) {}
}
