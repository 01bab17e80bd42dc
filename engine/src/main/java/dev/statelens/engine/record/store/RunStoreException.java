package dev.statelens.engine.record.store;

import java.sql.SQLException;
import java.util.Optional;

/**
 * A run store cannot be created, read, or understood. It keeps two texts apart:
 *
 * <ul>
 *   <li>{@link #summary()}: the sentence for the user, naming the file, what is wrong and what to
 *       do; what a dialog or a one-line CLI error shows;
 *   <li>{@link #detail()}: SQLite's own report when SQLite found the problem ({@code "[SQLITE_CORRUPT]
 *       The database disk image is malformed (…)"}), for logs, the Error Log and bug reports.
 * </ul>
 *
 * <p>{@link #getMessage()} is both ({@code summary (SQLite: detail)}), so logs and callers that only
 * print the message lose nothing.
 */
public class RunStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String summary;
  private final String detail;

  /** A problem StateLens found itself: there is no library report. */
  public RunStoreException(String summary) {
    this(summary, null, null);
  }

  /** A problem StateLens found itself, caused by {@code cause} (kept for the log, not shown). */
  public RunStoreException(String summary, Throwable cause) {
    this(summary, null, cause);
  }

  /**
   * A problem SQLite reported: {@code summary} says it in the user's terms, SQLite's own message
   * becomes the {@link #detail()}.
   */
  public RunStoreException(String summary, SQLException sqlite) {
    this(summary, sqlite.getMessage(), sqlite);
  }

  private RunStoreException(String summary, String detail, Throwable cause) {
    super(detail == null || detail.isBlank() ? summary : summary + " (SQLite: " + detail + ")", cause);
    this.summary = summary;
    this.detail = detail == null || detail.isBlank() ? null : detail;
  }

  /** What is wrong with which file, and the fix, in one or two sentences without SQLite's wording. */
  public String summary() {
    return summary;
  }

  /** SQLite's own report of the problem, when SQLite reported it. */
  public Optional<String> detail() {
    return Optional.ofNullable(detail);
  }
}
