package dev.statelens.debugger.model;

import dev.statelens.engine.record.store.RunFiles;
import dev.statelens.engine.record.store.RunFiles.WalOutcome;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * One run store opened in the workbench. The store's single JDBC connection is not shared between
 * threads at once, so every read goes through {@link #read}; reads happen in Jobs, never on the UI
 * thread. A run being recorded ({@link #isLive()}) is re-read as it grows.
 */
public final class Run implements AutoCloseable {
  private final Path path;
  private RunStore store;
  private volatile RunSummary summary;
  private volatile boolean live;
  private volatile String status = "";
  /** A summary said no writer is left while a -wal/-shm lies beside the run: finish it after this read. */
  private volatile boolean finishWal;
  /** The run's side files cannot be finished by us (read-only, not a run): do not try again. */
  private volatile boolean walLeft;

  public Run(Path path) {
    this.path = path.toAbsolutePath().normalize();
  }

  public Path path() {
    return path;
  }

  public String name() {
    return path.getFileName().toString();
  }

  /** Runs {@code reader} against the store (opening it first); one reader at a time. */
  public synchronized <T> T read(Function<RunStore, T> reader) {
    if (store == null) {
      if (!Files.exists(path)) {
        throw new IllegalStateException("run file " + path + " does not exist (yet); "
            + "record one with -Dstatelens.record=" + path);
      }
      store = RunStore.open(path);
    }
    T result = reader.apply(store);
    if (finishWal) {
      finishWal = false;
      finishWal();
    }
    return result;
  }

  /**
   * The recorder could not leave WAL mode while we read the run (it was watched live), or was
   * killed: as the last reader we close our connection, let {@link RunFiles#finishWal} checkpoint the
   * log into the file and remove the -wal/-shm, and open the store again at the next read. Only
   * ever for a run no writer holds (see {@link #setSummary}); a read-only file is left as it is.
   */
  private void finishWal() {
    store.close();
    store = null;
    WalOutcome outcome = RunFiles.finishWal(path);
    // in use (another reader, e.g. report): tried again at the next summary read (Refresh)
    if (outcome == WalOutcome.READ_ONLY || outcome == WalOutcome.NOT_A_RUN) {
      walLeft = true;
    }
  }

  /**
   * Opens the run of {@code path} and reads its overview, as File > Open Run… and the restore
   * after a restart do before registering it; call from a Job. A file that is not a readable run
   * throws as {@link #refresh()} does, with the run closed.
   */
  public static Run readChecked(Path path) {
    Run run = new Run(path);
    try {
      run.refresh();
      return run;
    } catch (RuntimeException e) {
      run.close();
      throw e;
    }
  }

  /** Re-reads the run's overview (functions, events, scalars, call count); call from a Job. */
  public RunSummary refresh() {
    return read(st -> {
      RunSummary s = RunSummary.load(st);
      setSummary(s);
      return s;
    });
  }

  /**
   * Remembers an overview read elsewhere (a view's Job, inside {@link #read}). When it says no
   * writer is left (finished, or its process gone) and not launched from here, the run's side
   * files are finished when that read ends.
   */
  public void setSummary(RunSummary s) {
    summary = s;
    if (!live && !walLeft && !s.beingRecorded() && RunFiles.hasWalFiles(path)) {
      finishWal = true;
    }
  }

  /** The latest overview, or null before the first {@link #refresh()}. */
  public RunSummary summary() {
    return summary;
  }

  public boolean isLive() {
    return live;
  }

  public void setLive(boolean live) {
    this.live = live;
  }

  /** A short live status for labels ("update — paused before step 37"), set by a live session. */
  public String status() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status == null ? "" : status;
  }

  @Override
  public synchronized void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  @Override
  public String toString() {
    return "Run(" + path + ")";
  }
}
