package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.store.RunFiles;
import dev.statelens.engine.record.store.RunFiles.WalOutcome;
import dev.statelens.engine.record.store.RunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunFiles#finishWal}: the last reader of a run no recorder holds makes it one file again
 * (every committed step checkpointed into the {@code .db}, {@code -wal} and {@code -shm} removed),
 * and leaves alone a run still being recorded, a read-only file or folder, and a file another
 * connection has open.
 */
class FinishWalTest {
  @TempDir Path dir;

  private static List<String> files(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Header byte 18: 1 = rollback journal, 2 = WAL. */
  private static int journalVersion(Path db) throws IOException {
    return Files.readAllBytes(db)[18];
  }

  /** Every call, the last step's leaves and the loss of every step: what the IDE reads. */
  private static void assertAllSteps(Path db, long steps) {
    try (RunStore s = RunStore.open(db)) {
      assertEquals(steps, s.callCount());
      assertEquals(steps, s.calls("train", 0, Long.MAX_VALUE).size());
      assertFalse(s.state("train", steps - 1).isEmpty(), "the last step has its leaves");
      assertEquals(steps, s.samples(s.scalar("loss").orElseThrow(), 0, Long.MAX_VALUE).size());
    }
  }

  /** A run closed while a reader watched it: WAL mode, an empty -wal and a -shm beside it. */
  private Path watchedRun(Path db, int steps) throws IOException {
    Recorder r = Recorder.open(db);
    Programs.train(Programs.linregStep("train", 0.01), steps);
    r.flush();
    try (RunStore watcher = RunStore.open(db)) {
      assertEquals(steps, watcher.callCount());
      r.close();
      assertTrue(watcher.isFinished());
    }
    return db;
  }

  /** What kill -9 leaves mid-recording: the file and its log, copied while the recorder runs. */
  private Path killedCopy(Path killed, int steps) throws IOException {
    Path source = Files.createDirectories(dir.resolve("source")).resolve("x.db");
    try (Recorder r = Recorder.open(source)) {
      Programs.train(Programs.linregStep("train", 0.01), steps);
      r.flush();
      Files.createDirectories(killed.getParent());
      Files.copy(source, killed, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(RunFiles.wal(source), RunFiles.wal(killed), StandardCopyOption.REPLACE_EXISTING);
    }
    return killed;
  }

  @Test
  void aRunClosedWhileWatchedBecomesOneFileOnceTheReaderHasClosed() throws Exception {
    Path db = watchedRun(dir.resolve("watched.db"), 30);
    assertEquals(List.of("watched.db", "watched.db-shm", "watched.db-wal"), files(dir),
        "the recorder's switch was refused while the reader had the file");
    assertEquals(2, journalVersion(db));

    assertEquals(WalOutcome.FINISHED, RunFiles.finishWal(db));
    assertEquals(List.of("watched.db"), files(dir));
    assertEquals(1, journalVersion(db), "left WAL mode: read-only readers create nothing beside it");
    assertAllSteps(db, 30);
    assertEquals(List.of("watched.db"), files(dir), "reading it again leaves nothing");
    assertEquals(WalOutcome.NONE, RunFiles.finishWal(db), "a second call has nothing to do");
  }

  @Test
  void aKilledRunsLogIsCheckpointedIntoTheFileNotDropped() throws Exception {
    Path db = killedCopy(dir.resolve("killed").resolve("x.db"), 40);
    assertTrue(Files.size(RunFiles.wal(db)) > 0, "the log holds committed steps");
    assertEquals(WalOutcome.FINISHED, RunFiles.finishWal(db), "this process's writer never had this copy open");
    assertEquals(List.of("x.db"), files(db.getParent()));
    assertAllSteps(db, 40);
    try (RunStore s = RunStore.open(db)) {
      assertFalse(s.isFinished(), "still a run that ended early");
    }
  }

  @Test
  void aRunKilledWithSigkillIsLeftWhileItsProcessLivesAndFinishedAfter() throws Exception {
    Path db = dir.resolve("killed.db");
    try (ChildJvm child = new ChildJvm(List.of(), "forever", db.toString())) {
      child.await("COMMITTED", 60);
      assertEquals(WalOutcome.WRITER_LIVE, RunFiles.finishWal(db), "never race a running recorder");
      assertTrue(Files.exists(RunFiles.wal(db)));
      child.process.destroyForcibly(); // SIGKILL: no close, no checkpoint, no switch
      assertTrue(child.process.waitFor(20, TimeUnit.SECONDS));
    }
    long steps;
    try (RunStore s = RunStore.open(db)) {
      steps = s.callCount();
    }
    assertTrue(steps >= 300, "the flushed steps: " + steps);
    assertEquals(WalOutcome.FINISHED, RunFiles.finishWal(db));
    assertEquals(List.of("killed.db"), files(dir));
    assertAllSteps(db, steps);
  }

  @Test
  void aRunThisProcessIsRecordingIsLeftAlone() throws Exception {
    Path db = dir.resolve("live.db");
    var step = Programs.linregStep("train", 0.01);
    try (Recorder r = Recorder.open(db)) {
      Programs.Params p = Programs.init();
      for (int i = 0; i < 25; i++) {
        p = step.apply(p, Programs.XS, Programs.YS).params();
        if (i == 19) {
          r.flush();
          assertEquals(WalOutcome.WRITER_LIVE, RunFiles.finishWal(db));
        }
      }
    }
    assertEquals(List.of("live.db"), files(dir), "the recorder still closed it into one file");
    assertAllSteps(db, 25);
  }

  @Test
  void anotherOpenReaderMakesItWaitAndNothingChanges() throws Exception {
    Path db = watchedRun(dir.resolve("x.db"), 12);
    byte[] before = Files.readAllBytes(db);
    try (RunStore other = RunStore.open(db)) { // a second reader, as report beside the IDE
      assertEquals(WalOutcome.IN_USE, RunFiles.finishWal(db));
      assertEquals(12, other.callCount(), "the other reader reads on");
    }
    assertArrayEquals(before, Files.readAllBytes(db));
    assertEquals(WalOutcome.FINISHED, RunFiles.finishWal(db), "the last reader finishes it");
    assertEquals(List.of("x.db"), files(dir));
    assertAllSteps(db, 12);
  }

  @Test
  void aReadOnlyFileIsLeftAsItIsAndStillRead() throws Exception {
    Path db = killedCopy(dir.resolve("ro").resolve("x.db"), 15);
    byte[] before = Files.readAllBytes(db);
    byte[] wal = Files.readAllBytes(RunFiles.wal(db));
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("r--r--r--"));
    try {
      assertEquals(WalOutcome.READ_ONLY, RunFiles.finishWal(db));
      assertArrayEquals(before, Files.readAllBytes(db));
      assertArrayEquals(wal, Files.readAllBytes(RunFiles.wal(db)), "the log that holds the steps stays");
      assertAllSteps(db, 15);
    } finally {
      Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  @Test
  void aRunInAReadOnlyFolderIsLeftAsItIs() throws Exception {
    Path db = killedCopy(dir.resolve("rofolder").resolve("x.db"), 15);
    assertAllSteps(db, 15); // a read-only reader adds the -shm index; finishWal adds nothing
    List<String> before = files(db.getParent());
    byte[] wal = Files.readAllBytes(RunFiles.wal(db));
    Files.setPosixFilePermissions(db.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assertEquals(WalOutcome.READ_ONLY, RunFiles.finishWal(db));
      assertEquals(before, files(db.getParent()));
      assertArrayEquals(wal, Files.readAllBytes(RunFiles.wal(db)));
    } finally {
      Files.setPosixFilePermissions(db.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void anotherApplicationsDatabaseIsNeverWritten() throws Exception {
    Path db = dir.resolve("app.db");
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("CREATE TABLE t(x)");
      s.execute("INSERT INTO t VALUES (1)");
      Files.copy(db, dir.resolve("copy.db"));
      Files.copy(RunFiles.wal(db), RunFiles.wal(dir.resolve("copy.db")));
    }
    Path copy = dir.resolve("copy.db");
    byte[] wal = Files.readAllBytes(RunFiles.wal(copy));
    assertEquals(WalOutcome.NOT_A_RUN, RunFiles.finishWal(copy));
    assertArrayEquals(wal, Files.readAllBytes(RunFiles.wal(copy)));
  }
}
