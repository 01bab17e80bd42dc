package dev.statelens.engine.record.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * The files of one run beside its {@code .db}: SQLite's write-ahead log ({@code -wal}) and its
 * index ({@code -shm}), and who may still be writing them.
 *
 * <p>The recorder leaves WAL mode when it closes a run, so a finished run is one file. That switch
 * needs the file to itself: when a reader (the IDE watching the run live) still has it open, the
 * recorder checkpoints instead and the run keeps an empty {@code -wal} and a {@code -shm}; a
 * killed recorder leaves a {@code -wal} that holds its last committed steps. A read-only reader
 * cannot remove them, so the last reader, once it knows no writer is left, finishes the switch
 * with {@link #finishWal}.
 */
public final class RunFiles {
  private RunFiles() {}

  /** What {@link #finishWal} did. */
  public enum WalOutcome {
    /** The run had no {@code -wal} or {@code -shm}: nothing to do. */
    NONE,
    /** The log was checkpointed into the {@code .db} and both side files removed. */
    FINISHED,
    /** A recorder may still write the run (status running and its process alive): left alone. */
    WRITER_LIVE,
    /** The file or its folder is read-only: left alone, still readable through the log. */
    READ_ONLY,
    /** Another connection (a second reader, a recorder closing) has the file open: try again later. */
    IN_USE,
    /** Not a readable run (bad or foreign file): never written to. */
    NOT_A_RUN
  }

  public static Path wal(Path db) {
    return Path.of(db.toAbsolutePath() + "-wal");
  }

  public static Path shm(Path db) {
    return Path.of(db.toAbsolutePath() + "-shm");
  }

  /** Whether a {@code -wal} or {@code -shm} lies beside the run. */
  public static boolean hasWalFiles(Path db) {
    return Files.exists(wal(db)) || Files.exists(shm(db));
  }

  /**
   * Whether the recorder of {@code db} may still be writing it, from its {@code meta}: a run whose
   * status is not {@code finished} and whose process ({@code meta.pid}) is alive. This process is
   * asked exactly ({@link RunWriter#isWriting}); another process is taken as writing while it is
   * alive, so a killed run whose pid was reused reads as live until that process ends (erring on
   * the side of never touching a file that may be written).
   */
  public static boolean writerAlive(Map<String, String> meta, Path db) {
    if ("finished".equals(meta.get("status"))) {
      return false;
    }
    long pid = pid(meta);
    return pid > 0 && writerAlive(pid, db);
  }

  /** Whether process {@code pid} may still write {@code db} (see {@link #writerAlive(Map, Path)}). */
  public static boolean writerAlive(long pid, Path db) {
    if (pid == ProcessHandle.current().pid()) {
      return RunWriter.isWriting(db);
    }
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** {@code meta.pid}, or -1 when it is missing or malformed. */
  public static long pid(Map<String, String> meta) {
    String v = meta.get("pid");
    try {
      return v == null ? -1 : Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Makes a run no writer holds a single file again: checkpoints its {@code -wal} into the
   * {@code .db} (every committed step, also a killed recorder's last ones) and removes the
   * {@code -wal} and {@code -shm}, by the switch to {@code journal_mode=DELETE} the recorder could
   * not make. Call it with no connection of your own open on the file (close the reader first, open
   * it again after). Leaves the run alone, without an error, when a recorder may still write it,
   * when the file or its folder is read-only (no write permission bit: also for root), when another
   * connection has it open, and when it is not a readable run. Waits up to 2 s only for a recorder
   * that has finished the run but not yet closed its connection (its process still alive).
   */
  public static WalOutcome finishWal(Path db) {
    if (!hasWalFiles(db)) {
      return WalOutcome.NONE;
    }
    Map<String, String> meta;
    try (RunStore store = RunStore.open(db)) { // also: is it a run at all (never write a foreign file)
      meta = store.meta();
    } catch (RunStoreException e) {
      return WalOutcome.NOT_A_RUN;
    }
    if (writerAlive(meta, db)) {
      return WalOutcome.WRITER_LIVE;
    }
    Path folder = db.toAbsolutePath().getParent();
    if (!writable(db) || folder == null || !writable(folder)) {
      return WalOutcome.READ_ONLY;
    }
    // status finished while its process lives: the recorder is closing (its own switch, refused
    // while we read, and its checkpoint take a moment); wait for its connection to go, briefly
    boolean closing = "finished".equals(meta.get("status")) && pid(meta) > 0 && writerAlive(pid(meta), db);
    long deadline = System.nanoTime() + (closing ? CLOSING_WAIT_NANOS : 0);
    while (true) {
      WalOutcome outcome = leaveWal(db);
      if (outcome != WalOutcome.IN_USE || System.nanoTime() > deadline) {
        return outcome;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return outcome;
      }
      if (!hasWalFiles(db)) { // the recorder made its switch after all
        return WalOutcome.NONE;
      }
    }
  }

  private static final long CLOSING_WAIT_NANOS = 2_000_000_000L;

  /** One try at the switch to a rollback journal (which checkpoints the log and deletes it and its index). */
  private static WalOutcome leaveWal(Path db) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(200); // a reader mid-read: give up rather than wait on it
    String mode = "";
    try (Connection c = config.createConnection("jdbc:sqlite:" + db.toAbsolutePath());
        var s = c.createStatement()) {
      // opening runs SQLite's recovery of the log, so a killed writer's committed frames are kept;
      // the switch checkpoints all of them, then deletes the log and its index
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=DELETE")) {
        mode = rs.next() ? rs.getString(1) : "";
      }
    } catch (SQLException e) {
      return WalOutcome.IN_USE; // locked by another connection: refused, nothing changed
    }
    if (!"delete".equalsIgnoreCase(mode)) {
      return WalOutcome.IN_USE;
    }
    try { // an index left from before (a -shm without a log) means nothing to a rollback-journal file
      Files.deleteIfExists(shm(db));
    } catch (IOException e) {
      // harmless: SQLite ignores it outside WAL mode
    }
    return WalOutcome.FINISHED;
  }

  /**
   * Writable for this process and marked writable for someone: root may write a {@code r--r--r--}
   * file, but whoever removed every write bit meant it to stay as it is.
   */
  private static boolean writable(Path p) {
    if (!Files.isWritable(p)) {
      return false;
    }
    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
    if (view == null) {
      return true;
    }
    try {
      Set<PosixFilePermission> perms = view.readAttributes().permissions();
      return perms.contains(PosixFilePermission.OWNER_WRITE) || perms.contains(PosixFilePermission.GROUP_WRITE)
          || perms.contains(PosixFilePermission.OTHERS_WRITE);
    } catch (IOException e) {
      return false;
    }
  }
}
