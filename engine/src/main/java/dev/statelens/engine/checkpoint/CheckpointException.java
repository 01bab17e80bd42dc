package dev.statelens.engine.checkpoint;

import java.io.IOException;

/**
 * A checkpoint could not be read, written or matched to its template: a corrupt, truncated or
 * foreign file, a leaf the template and the file disagree on, a tree that cannot be saved. The
 * message names the file, the leaf paths involved and the fix. An {@link IOException}, so a caller
 * handles every way a save or restore can fail in one {@code catch}.
 */
public final class CheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
