package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.RunStoreException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad files give a clear RunStoreException, quickly: its summary names the file, what is wrong and
 * the fix, in StateLens's words only; SQLite's own report, where SQLite found the problem, is the
 * detail (and part of getMessage(), for logs).
 */
class RunStoreErrorsTest {
  @TempDir Path dir;

  private RunStoreException openFails(Path p) {
    return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(RunStoreException.class, () -> {
      try (RunStore s = RunStore.open(p)) {
        s.functions();
        s.calls("train", 0, Long.MAX_VALUE);
        for (var f : s.series("train")) {
          s.samples(f, 0, Long.MAX_VALUE);
        }
      }
    }));
  }

  /** The summary names the file and says what to do, without SQLite's wording. */
  private static String summary(RunStoreException e, Path file, String fix) {
    String s = e.summary();
    assertTrue(s.contains(file.toString()), "names the file: " + s);
    assertTrue(s.contains(fix), "says what to do (" + fix + "): " + s);
    for (String sqlite : List.of("SQLITE_", "SQLITE", "[", "database disk image", "SQLException")) {
      assertFalse(s.contains(sqlite), "no SQLite wording (" + sqlite + "): " + s);
    }
    return s;
  }

  /** StateLens found the problem before SQLite: no detail, and the message is the summary. */
  private static void noDetail(RunStoreException e) {
    assertEquals(Optional.empty(), e.detail(), e.getMessage());
    assertEquals(e.summary(), e.getMessage());
  }

  /** SQLite found the problem: its report is the detail, and the message carries both. */
  private static String sqliteDetail(RunStoreException e) {
    String d = e.detail().orElseThrow(() -> new AssertionError("no SQLite detail: " + e.getMessage()));
    assertTrue(d.startsWith("[SQLITE_"), "SQLite's own report: " + d);
    assertEquals(e.summary() + " (SQLite: " + d + ")", e.getMessage());
    return d;
  }

  /** A finished, checkpointed recording of 200 linreg steps. */
  private Path goodRun(String name) {
    Path db = dir.resolve(name);
    var step = Programs.linregStep("train", 0.01);
    try (Recorder r = Recorder.open(db)) {
      Programs.train(step, 200);
    }
    return db;
  }

  @Test
  void missingFile() {
    Path p = dir.resolve("nope.db");
    RunStoreException e = openFails(p);
    String s = summary(e, p, "Record a run first, e.g. -Dstatelens.record=" + p);
    assertTrue(s.contains("does not exist"), s);
    noDetail(e);
  }

  @Test
  void emptyFile() throws Exception {
    Path p = Files.createFile(dir.resolve("empty.db"));
    RunStoreException e = openFails(p);
    assertTrue(summary(e, p, "Re-record the run").contains("0 bytes"), e.summary());
    noDetail(e);
  }

  @Test
  void notSqlite() throws Exception {
    Path p = dir.resolve("random.db");
    byte[] b = new byte[8192];
    new Random(1).nextBytes(b);
    Files.write(p, b);
    RunStoreException e = openFails(p);
    assertTrue(summary(e, p, "Pass the .db file the recorder wrote").contains("not an SQLite database"), e.summary());
    noDetail(e);
  }

  @Test
  void anotherApplicationsSqliteFile() throws Exception {
    Path p = dir.resolve("other.db");
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + p); var s = c.createStatement()) {
      s.execute("CREATE TABLE t(x)");
    }
    RunStoreException e = openFails(p);
    assertTrue(summary(e, p, "Pass the .db file the recorder wrote").contains("not a StateLens run store"), e.summary());
    noDetail(e);
  }

  @Test
  void truncatedFile() throws Exception {
    Path p = goodRun("trunc.db");
    long size = Files.size(p);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(size / 2);
    }
    RunStoreException e = openFails(p);
    String s = summary(e, p, "use the complete file or re-record the run");
    assertTrue(s.contains("is truncated: it has " + size / 2 + " bytes"), s);
    noDetail(e); // the header's page count says so before SQLite reads a page
  }

  @Test
  void newerSchema() throws Exception {
    Path p = goodRun("newer.db");
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + p); var s = c.createStatement()) {
      s.execute("PRAGMA user_version=99");
    }
    RunStoreException e = openFails(p);
    assertTrue(summary(e, p, "Update StateLens to read it").contains("schema version 99"), e.summary());
    noDetail(e);
  }

  @Test
  void corruptPages() throws Exception {
    Path p = goodRun("corrupt.db");
    long size = Files.size(p);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      byte[] junk = new byte[4096];
      new Random(7).nextBytes(junk);
      for (long off = 4096; off + junk.length < size; off += 3 * 4096) { // every third page after the first
        f.seek(off);
        f.write(junk);
      }
    }
    RunStoreException e = openFails(p);
    assertEquals(p + " is corrupt. Use an intact copy or re-record the run.", summary(e, p, "re-record the run"));
    assertTrue(sqliteDetail(e).contains("malformed"), e.getMessage());
  }

  @Test
  void anSqliteHeaderWithNothingBehindIt() throws Exception {
    // the right magic, a page size of 0: SQLite itself refuses it as "not a database"
    Path p = dir.resolve("header-only.db");
    byte[] b = new byte[4096];
    System.arraycopy("SQLite format 3\0".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 16);
    Files.write(p, b);
    RunStoreException e = openFails(p);
    assertEquals(p + " is corrupt. Use an intact copy or re-record the run.", summary(e, p, "re-record the run"));
    assertTrue(sqliteDetail(e).startsWith("[SQLITE_NOTADB]"), e.getMessage());
  }

  @Test
  void aFileThatIsNotARunIsNotOverwrittenByTheRecorder() throws Exception {
    Path p = Files.writeString(dir.resolve("notes.db"), "my notes, not a run");
    RunStoreException e = assertThrows(RunStoreException.class, () -> Recorder.open(p));
    assertEquals("cannot create the run store " + p + ": the file exists and is not a StateLens run store, so it "
        + "is not overwritten. Choose a writable path (e.g. runs/train.db).", e.summary());
    noDetail(e);
  }

  @Test
  void aRunInAFolderThatCannotBeCreatedSaysWhy() throws Exception {
    Path file = Files.writeString(dir.resolve("plain"), "a file");
    Path p = file.resolve("run.db"); // its folder would have to be the file "plain"
    RunStoreException e = assertThrows(RunStoreException.class, () -> Recorder.open(p));
    String s = summary(e, p, "Choose a writable path");
    assertTrue(s.contains(file + " exists and is not a folder"), s);
    noDetail(e);
  }
}
