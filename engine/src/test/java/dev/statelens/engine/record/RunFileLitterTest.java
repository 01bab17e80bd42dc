package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.store.RunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.DriverManager;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished run is one file, and reading a run leaves nothing beside it: no {@code -wal} or
 * {@code -shm} from a read-only reader, and a killed run's log (which holds its last committed
 * steps) is read, never checkpointed away or removed.
 */
class RunFileLitterTest {
  @TempDir Path dir;

  private List<String> files(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Path record(Path db, int steps) {
    try (Recorder r = Recorder.open(db)) {
      Programs.train(Programs.linregStep("train", 0.01), steps);
    }
    return db;
  }

  private static long readEverything(Path db) {
    try (RunStore s = RunStore.open(db)) {
      s.meta();
      s.calls("train", 0, Long.MAX_VALUE);
      s.state("train", 0);
      return s.callCount();
    }
  }

  /** Header bytes 18 and 19: 1 = rollback journal, 2 = WAL. */
  private static int journalVersion(Path db) throws IOException {
    byte[] h = Files.readAllBytes(db);
    return h[18];
  }

  @Test
  void aCleanlyClosedRunIsOneFileInRollbackJournalMode() throws Exception {
    Path db = record(dir.resolve("x.db"), 120);
    assertEquals(List.of("x.db"), files(dir));
    assertEquals(1, journalVersion(db), "switched out of WAL at close");
    assertEquals(120, readEverything(db));
  }

  @Test
  void readingAFinishedRunLeavesOnlyTheDbAndChangesNoByte() throws Exception {
    Path db = record(dir.resolve("x.db"), 80);
    byte[] before = Files.readAllBytes(db);
    assertEquals(80, readEverything(db));
    try (RunStore s = RunStore.open(db)) { // two readers at once, as report beside the IDE
      assertEquals(80, readEverything(db));
      assertTrue(s.isFinished());
    }
    assertEquals(List.of("x.db"), files(dir));
    assertArrayEquals(before, Files.readAllBytes(db));
  }

  @Test
  void aFinishedRunStillInWalModeIsReadWithoutSideFiles() throws Exception {
    // runs recorded before the switch, or closed while a reader held them, stay in WAL mode
    Path db = record(dir.resolve("old.db"), 50);
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
    }
    assertEquals(2, journalVersion(db));
    assertEquals(List.of("old.db"), files(dir));
    byte[] before = Files.readAllBytes(db);
    assertEquals(50, readEverything(db));
    assertEquals(List.of("old.db"), files(dir), "no -wal/-shm left by the read-only reader");
    assertArrayEquals(before, Files.readAllBytes(db));
  }

  @Test
  void aKilledRunKeepsItsLogAndOpensWithEveryCommittedStep() throws Exception {
    Path live = dir.resolve("live");
    Path killed = Files.createDirectories(dir.resolve("killed"));
    Path db = live.resolve("x.db");
    try (Recorder r = Recorder.open(db)) {
      Programs.train(Programs.linregStep("train", 0.01), 40);
      r.flush();
      // what kill -9 leaves: the file and its log as they are mid-recording (no close, no checkpoint)
      Files.copy(db, killed.resolve("x.db"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(Path.of(db + "-wal"), killed.resolve("x.db-wal"), StandardCopyOption.REPLACE_EXISTING);
    }
    Path copy = killed.resolve("x.db");
    byte[] wal = Files.readAllBytes(Path.of(copy + "-wal"));
    assertTrue(wal.length > 0, "the log holds the committed steps");
    try (RunStore s = RunStore.open(copy)) {
      assertFalse(s.isFinished(), "status stays running");
      assertEquals(40, s.callCount());
      assertEquals(40, s.calls("train", 0, Long.MAX_VALUE).size());
      assertFalse(s.state("train", 39).isEmpty(), "the last committed step has its leaves");
    }
    assertArrayEquals(wal, Files.readAllBytes(Path.of(copy + "-wal")), "the reader left the log alone");
    assertEquals(2, journalVersion(copy), "the reader did not checkpoint or switch the file");
  }

  @Test
  void aRunKilledWithSigkillKeepsItsLogThroughReadsAndReports() throws Exception {
    Path db = dir.resolve("killed.db");
    try (ChildJvm child = new ChildJvm(List.of(), "forever", db.toString())) {
      child.await("COMMITTED", 60);
      Thread.sleep(300);
      child.process.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no journal switch
      assertTrue(child.process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
    }
    assertTrue(Files.exists(Path.of(db + "-wal")), "kill -9 leaves the log: " + files(dir));
    assertEquals(2, journalVersion(db), "still in WAL mode");
    byte[] wal = Files.readAllBytes(Path.of(db + "-wal"));
    long steps = readEverything(db);
    assertTrue(steps >= 300, "the flushed steps are there: " + steps);
    assertEquals(steps, readEverything(db), "read twice, the same");
    assertArrayEquals(wal, Files.readAllBytes(Path.of(db + "-wal")), "readers leave the log as it was");
    assertEquals(2, journalVersion(db));
  }

  @Test
  void aReaderHoldingTheRunDuringCloseKeepsItReadableInWalMode() throws Exception {
    Path db = dir.resolve("watched.db");
    Recorder r = Recorder.open(db);
    Programs.train(Programs.linregStep("train", 0.01), 30);
    r.flush();
    try (RunStore watcher = RunStore.open(db)) {
      assertEquals(30, watcher.callCount());
      long t0 = System.nanoTime();
      r.close();
      assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "close does not wait on the reader");
      assertTrue(watcher.isFinished(), "the reader sees the run finish");
      assertEquals(2, journalVersion(db), "the switch waits for no reader");
    }
    Path wal = Path.of(db + "-wal");
    assertTrue(!Files.exists(wal) || Files.size(wal) == 0, "every step is in the .db itself: " + files(dir));
    assertEquals(30, readEverything(db));
  }
}
