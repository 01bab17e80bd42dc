package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.RunStoreException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files give a clear RunStoreException, quickly. */
class RunStoreErrorsTest {
  @TempDir Path dir;

  private String openFails(Path p) {
    return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      RunStoreException e = assertThrows(RunStoreException.class, () -> {
        try (RunStore s = RunStore.open(p)) {
          s.functions();
          s.calls("train", 0, Long.MAX_VALUE);
          for (var f : s.series("train")) {
            s.samples(f, 0, Long.MAX_VALUE);
          }
        }
      });
      return e.getMessage();
    });
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
    String m = openFails(dir.resolve("nope.db"));
    assertTrue(m.contains("does not exist") && m.contains("statelens.record"), m);
  }

  @Test
  void emptyFile() throws Exception {
    Path p = Files.createFile(dir.resolve("empty.db"));
    String m = openFails(p);
    assertTrue(m.contains("0 bytes"), m);
  }

  @Test
  void notSqlite() throws Exception {
    Path p = dir.resolve("random.db");
    byte[] b = new byte[8192];
    new Random(1).nextBytes(b);
    Files.write(p, b);
    String m = openFails(p);
    assertTrue(m.contains("not an SQLite database"), m);
  }

  @Test
  void anotherApplicationsSqliteFile() throws Exception {
    Path p = dir.resolve("other.db");
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + p); var s = c.createStatement()) {
      s.execute("CREATE TABLE t(x)");
    }
    String m = openFails(p);
    assertTrue(m.contains("not a StateLens run store"), m);
  }

  @Test
  void truncatedFile() throws Exception {
    Path p = goodRun("trunc.db");
    long size = Files.size(p);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(size / 2);
    }
    String m = openFails(p);
    assertTrue(m.contains("truncated") || m.contains("corrupt"), m);
  }

  @Test
  void newerSchema() throws Exception {
    Path p = goodRun("newer.db");
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + p); var s = c.createStatement()) {
      s.execute("PRAGMA user_version=99");
    }
    String m = openFails(p);
    assertTrue(m.contains("schema version 99") && m.contains("Update StateLens"), m);
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
    String m = openFails(p);
    assertTrue(m.contains("corrupt") || m.contains("malformed") || m.contains("lacks part"), m);
  }
}
