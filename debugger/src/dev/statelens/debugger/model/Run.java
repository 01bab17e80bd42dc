package dev.statelens.debugger.model;

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
    return reader.apply(store);
  }

  /** Re-reads the run's overview (functions, events, scalars, call count); call from a Job. */
  public RunSummary refresh() {
    RunSummary s = read(RunSummary::load);
    summary = s;
    return s;
  }

  /** Remembers an overview read elsewhere (a view's Job). */
  public void setSummary(RunSummary s) {
    summary = s;
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

  /** A short live status for labels ("step 37, paused"), set by a live session. */
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
