package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.model.RunFileProblems;
import dev.statelens.engine.record.store.RunStoreException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The open-run dialog's and the status line's text: the run store's summary, never SQLite's report. */
class RunFileProblemsTest {
  static final Path FILE = Path.of("/runs/x.db");
  static final String CORRUPT = "/runs/x.db is corrupt. Use an intact copy or re-record the run.";
  static final SQLException SQLITE = new SQLException(
      "[SQLITE_CORRUPT] The database disk image is malformed (database disk image is malformed)");

  @Test
  void aFailureSqliteReportedShowsTheSummaryOnly() {
    RunStoreException e = new RunStoreException(CORRUPT, SQLITE);
    assertTrue(e.getMessage().contains("[SQLITE_CORRUPT]"), "the log keeps SQLite's report: " + e.getMessage());
    assertEquals(CORRUPT, RunFileProblems.userMessage(FILE, e));
    assertEquals(CORRUPT, RunFileProblems.statusText(e));
  }

  @Test
  void aWrappedRunStoreFailureShowsItsSummary() {
    var wrapped = new IllegalStateException("reading failed", new RunStoreException(CORRUPT, SQLITE));
    assertEquals(CORRUPT, RunFileProblems.userMessage(FILE, wrapped));
    assertEquals(CORRUPT, RunFileProblems.statusText(wrapped));
  }

  @Test
  void aFailureStateLensFoundIsShownAsItIs() {
    String text = "/runs/x.db is truncated: it has 10 bytes but its header says 4096 (1 pages). Use the complete file.";
    assertEquals(text, RunFileProblems.userMessage(FILE, new RunStoreException(text)));
  }

  @Test
  void aRunFileNotThereYetKeepsItsReason() {
    String text = "run file /runs/x.db does not exist (yet); record one with -Dstatelens.record=/runs/x.db";
    assertEquals(text, RunFileProblems.userMessage(FILE, new IllegalStateException(text)));
  }

  @Test
  void anythingElseNamesTheFileAndTheFixButNotTheStackTrace() {
    String m = RunFileProblems.userMessage(FILE, new NullPointerException());
    assertTrue(m.contains("/runs/x.db") && m.contains("re-record the run") && m.contains("Error Log"), m);
    assertFalse(m.contains("\tat "), m);
    assertEquals("boom", RunFileProblems.statusText(new IllegalArgumentException("boom")));
  }
}
