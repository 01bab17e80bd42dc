package dev.statelens.engine;

/**
 * A traced value was used after the trace that created it ended: it escaped, typically by being
 * stored in a field or an outer variable inside a jitted function.
 */
public class UnexpectedTracerError extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public UnexpectedTracerError(String message) {
    super(message);
  }

  /** The standard message for a tracer of {@code functionName} used after its trace ended. */
  public static UnexpectedTracerError escaped(String functionName, String aval, String operation) {
    return new UnexpectedTracerError(
        "Encountered an unexpected tracer: a value of type " + aval + " created while tracing "
            + traceName(functionName) + " escaped its trace and was used later in '" + operation + "'. "
            + "Values computed inside a jitted function only exist while it is traced; this one "
            + "escaped, e.g. it was stored in a field or an outer variable. "
            + "Fix: return it as explicit state instead of storing it, e.g. "
            + "jit((Array n) -> Pair.of(out, newN)) and pass newN into the next call.");
  }

  /**
   * How a trace is named in messages: {@code jit(count)} for a jitted function's name; names of
   * other transformations already carry their kind, e.g. {@code vmap(<lambda>)}.
   */
  static String traceName(String functionName) {
    return functionName.matches("[A-Za-z_][A-Za-z0-9_]*\\(.*\\)") ? functionName : "jit(" + functionName + ")";
  }
}
