package dev.statelens.engine.record.store;

/** The {@code events.kind} values. */
public final class EventKind {
  private EventKind() {}

  /** First NaN in a leaf (per function and leaf path). */
  public static final String FIRST_NAN = "first_nan";
  /** First +/-Inf in a leaf (per function and leaf path). */
  public static final String FIRST_INF = "first_inf";
  /** A call traced a new graph because its input signature changed. */
  public static final String RETRACE = "retrace";
  /** A state input was not the previous call's state output (first occurrence per leaf). */
  public static final String STALE_STATE = "stale_state";
  /** The call failed with UnexpectedTracerError (a tracer escaped a trace). */
  public static final String TRACER_LEAK = "tracer_leak";
  /** The call failed with another error. */
  public static final String ERROR = "error";
}
