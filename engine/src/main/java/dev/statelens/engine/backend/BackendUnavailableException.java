package dev.statelens.engine.backend;

/** A backend cannot be loaded here; the message is one line saying why. */
public class BackendUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message) {
    super(message);
  }
}
