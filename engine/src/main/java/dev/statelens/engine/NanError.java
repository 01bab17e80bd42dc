package dev.statelens.engine;

/**
 * A NaN appeared while NaN checking was on ({@link Debug#setDebugNans}, like JAX's
 * {@code jax_debug_nans}). The message names the operation that produced it; for a jitted
 * function, the function is re-run op by op to find that operation, and the cause carries the
 * Java stack of the line that produced the NaN.
 */
public class NanError extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  public NanError(String message) {
    super(message);
  }

  public NanError(String message, Throwable cause) {
    super(message);
    initCause(cause);
  }
}
