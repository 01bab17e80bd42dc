package dev.statelens.debugger.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The runs open in the workbench; views listen for additions, removals and changes. */
public final class Runs {
  private final List<Run> runs = new CopyOnWriteArrayList<>();
  private final List<Consumer<Run>> listeners = new CopyOnWriteArrayList<>();

  /** The open run of {@code path}, or a newly registered one. */
  public Run open(Path path) {
    Path p = path.toAbsolutePath().normalize();
    synchronized (runs) {
      Run open = find(p);
      if (open != null) {
        return open;
      }
      Run r = new Run(p);
      runs.add(r);
      changed(r);
      return r;
    }
  }

  /** The open run of {@code path}, or null. */
  public Run find(Path path) {
    Path p = path.toAbsolutePath().normalize();
    for (Run r : runs) {
      if (r.path().equals(p)) {
        return r;
      }
    }
    return null;
  }

  /**
   * Registers {@code run}, read and checked elsewhere (File > Open Run…'s Job); when its file is
   * open already (opened twice at once) the run registered first is returned and kept, and
   * {@code run} is closed.
   */
  public Run add(Run run) {
    synchronized (runs) {
      Run existing = find(run.path());
      if (existing != null) {
        run.close();
        return existing;
      }
      runs.add(run);
    }
    changed(run);
    return run;
  }

  public void remove(Run run) {
    if (runs.remove(run)) {
      run.close();
      changed(run);
    }
  }

  public List<Run> all() {
    return new ArrayList<>(runs);
  }

  /** Tells listeners that {@code run} was added, removed or changed (any thread). */
  public void changed(Run run) {
    for (Consumer<Run> l : listeners) {
      l.accept(run);
    }
  }

  public void addListener(Consumer<Run> l) {
    listeners.add(l);
  }

  public void removeListener(Consumer<Run> l) {
    listeners.remove(l);
  }

  public void closeAll() {
    for (Run r : runs) {
      r.close();
    }
    runs.clear();
  }
}
