package dev.statelens.engine.record.store;

/** A run store cannot be created, read, or understood; the message names the file and the fix. */
public class RunStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunStoreException(String message) {
    super(message);
  }

  public RunStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
