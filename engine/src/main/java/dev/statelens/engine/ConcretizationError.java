package dev.statelens.engine;

/**
 * A traced value was asked for its concrete contents (item(), floatValue(), a Java {@code if})
 * while a jitted function was being traced, when only its shape and dtype are known.
 */
public class ConcretizationError extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public ConcretizationError(String message) {
    super(message);
  }

  public static ConcretizationError of(String functionName, String aval, String operation) {
    return new ConcretizationError(
        "Abstract tracer value encountered where a concrete value is expected: " + operation
            + " was called on a traced " + aval + " while tracing " + UnexpectedTracerError.traceName(functionName) + ". "
            + "Inside jit only shapes and dtypes are known, not values. "
            + "Fix: keep the computation in array ops: use Array.where(cond, a, b) for a "
            + "value-dependent choice, Lax.cond(pred, trueFn, falseFn, operands...) for branches, "
            + "Lax.forI / Lax.scan for loops; or move the Java logic outside the jitted function.");
  }
}
