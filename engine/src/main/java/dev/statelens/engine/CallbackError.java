package dev.statelens.engine;

/**
 * A host callback ({@link Debug#callback}, {@link Transforms#pureCallback},
 * {@link Transforms#ioCallback}) threw, or returned results that do not match its declaration.
 * The message names the callback by where it was created; the cause is the callback's own
 * exception. The jitted function stays usable: its compiled graph is kept and the next call runs
 * it again.
 */
public class CallbackError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CallbackError(String message, Throwable cause) {
    super(message, cause);
  }
}
