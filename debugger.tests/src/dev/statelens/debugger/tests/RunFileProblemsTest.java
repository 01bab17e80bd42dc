package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.model.RunFileProblems;
import dev.statelens.engine.record.store.RunStoreException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The open-run dialog's text: the run store's sentence and fix, without SQLite's own words. */
class RunFileProblemsTest {
  static final Path FILE = Path.of("/runs/x.db");

  @Test
  void dropsSqlitesWordingFromAClassifiedFailure() {
    String m = RunFileProblems.userMessage(FILE, new RunStoreException("/runs/x.db is corrupt ([SQLITE_CORRUPT] "
        + "The database disk image is malformed (database disk image is malformed)). Use an intact copy or "
        + "re-record the run."));
    assertEquals("/runs/x.db is corrupt. Use an intact copy or re-record the run.", m);
  }

  @Test
  void anUnclassifiedSqliteFailureKeepsItsSentenceAndPointsToTheLog() {
    String m = RunFileProblems.userMessage(FILE, new RunStoreException("cannot read the run store /runs/x.db: "
        + "[SQLITE_IOERR] Some kind of disk I/O error occurred (disk I/O error)"));
    assertEquals("cannot read the run store /runs/x.db (SQLite's report is in the Error Log).", m);
  }

  @Test
  void aMessageWithoutSqliteTextIsKeptAsItIs() {
    String text = "/runs/x.db is truncated: it has 10 bytes but its header says 4096 (1 pages). Use the complete file.";
    assertEquals(text, RunFileProblems.userMessage(FILE, new RunStoreException(text)));
  }

  @Test
  void anythingElseNamesTheFileAndTheFixButNotTheStackTrace() {
    String m = RunFileProblems.userMessage(FILE, new NullPointerException());
    assertTrue(m.contains("/runs/x.db") && m.contains("re-record the run") && m.contains("Error Log"), m);
    assertTrue(!m.contains("\tat "), m);
  }
}
