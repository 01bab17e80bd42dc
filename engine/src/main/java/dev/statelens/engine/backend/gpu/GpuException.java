package dev.statelens.engine.backend.gpu;

/** A failed call into a GPU runtime: the message names the API call, the status and its text. */
public class GpuException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GpuException(String message) {
    super(message);
  }
}
