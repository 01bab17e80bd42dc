package dev.statelens.debugger.model;

import dev.statelens.engine.record.store.RunStoreException;
import java.nio.file.Path;

/**
 * Why a run file could not be read, in the words a user needs: a {@link RunStoreException}'s
 * {@link RunStoreException#summary() summary} (it names the file and the fix). SQLite's own report
 * (its {@link RunStoreException#detail() detail}) is not shown; it goes to the Error Log with the
 * exception.
 */
public final class RunFileProblems {
  private RunFileProblems() {}

  /** The message for the open-run dialog: names {@code file} and what to do. */
  public static String userMessage(Path file, Throwable t) {
    RunStoreException store = runStoreProblem(t);
    if (store != null) {
      return store.summary();
    }
    if (t instanceof IllegalStateException && t.getMessage() != null && !t.getMessage().isBlank()) {
      return t.getMessage(); // Run.read: the file does not exist (yet), and how to record it
    }
    return "Cannot read " + file + " as a StateLens run (" + t.getClass().getSimpleName()
        + "; the Error Log has the details). Open a .db file the recorder wrote, or re-record the run.";
  }

  /** One line for a view's status when a read failed: a run store's summary, else the exception's message. */
  public static String statusText(Throwable t) {
    RunStoreException store = runStoreProblem(t);
    if (store != null) {
      return store.summary();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** The run store's exception in {@code t}'s causes (a Job or a reader may wrap it), or null. */
  private static RunStoreException runStoreProblem(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof RunStoreException e) {
        return e;
      }
    }
    return null;
  }
}
