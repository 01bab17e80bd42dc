package dev.statelens.examples;

import dev.statelens.engine.checkpoint.CheckpointException;
import dev.statelens.engine.checkpoint.CheckpointManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Kill-safe training for the examples' {@code --checkpoint DIR}: a loop starts from
 * {@link #resume} (the latest checkpoint in DIR, else its initial state), reports each finished
 * step to {@link #stepDone} (which saves every {@code every} steps) and the end to
 * {@link #finished}. Checkpoints hold the whole training state (params and optimizer state) and
 * the step, so a resumed run computes bit for bit what an uninterrupted one would; a killed run
 * loses at most the steps since its last checkpoint.
 *
 * <p>The step saved is the number of updates done, so a loop resumed at step {@code s} runs
 * {@code for (i = s; i < steps; i++)}. The examples train full-batch on data drawn from a fixed
 * seed, so no PRNG key travels through their loops; a loop that draws from a key each step puts
 * the key in its state record and it is saved with it.
 */
public final class TrainingCheckpoints {

  public static final int DEFAULT_EVERY = 100;

  /** No checkpoints: start from the initial state, save nothing. */
  public static final TrainingCheckpoints NONE = new TrainingCheckpoints(null, 1, null);

  private final CheckpointManager manager;
  private final int every;
  private final PrintStream log;
  private long lastSaved = -1;

  private TrainingCheckpoints(CheckpointManager manager, int every, PrintStream log) {
    this.manager = manager;
    this.every = every;
    this.log = log;
  }

  /**
   * Checkpoints in {@code directory}, saved every {@code every} steps and at the end, the newest
   * {@code keep} kept; the line saying where a run resumed goes to {@code log}.
   */
  public static TrainingCheckpoints in(Path directory, int every, int keep, PrintStream log) {
    Objects.requireNonNull(directory, "directory");
    if (every < 1) {
      throw new IllegalArgumentException("checkpoint every must be a positive number of steps, got " + every);
    }
    return new TrainingCheckpoints(new CheckpointManager(directory, keep), every, Objects.requireNonNull(log, "log"));
  }

  /** Where a loop starts: the state, and the number of steps it has already had. */
  public record Start<S>(S state, int step) {}

  /**
   * The latest checkpoint's state and step (printing "resumed from FILE at step N"), or
   * {@code initial} at step 0 if there is none. {@code initial} is also the template the
   * checkpoint is matched against.
   *
   * @throws CheckpointException if the checkpoint does not fit {@code initial}, is corrupt, or is
   *     past {@code steps}
   */
  public <S> Start<S> resume(S initial, int steps) throws IOException {
    if (manager == null) {
      return new Start<>(initial, 0);
    }
    Optional<CheckpointManager.Restored<S>> restored = manager.restoreLatest(initial);
    if (restored.isEmpty()) {
      return new Start<>(initial, 0);
    }
    CheckpointManager.Restored<S> r = restored.get();
    if (r.step() > steps) {
      throw new CheckpointException("the latest checkpoint " + r.file() + " is at step " + r.step() + ", past --steps "
          + steps + ": pass --steps " + r.step() + " or more to continue it, or another --checkpoint directory");
    }
    log.println("resumed from " + r.file() + " at step " + r.step());
    lastSaved = r.step();
    return new Start<>(r.tree(), (int) r.step());
  }

  /** After the update that completed step {@code done} (1 for the first): saves every {@code every} steps. */
  public void stepDone(int done, Object state) throws IOException {
    if (manager != null && done % every == 0) {
      save(done, state);
    }
  }

  /** At the end of the loop, after {@code done} steps: saves unless that step is saved already. */
  public void finished(int done, Object state) throws IOException {
    if (manager != null && lastSaved != done) {
      save(done, state);
    }
  }

  private void save(int step, Object state) throws IOException {
    manager.save(step, state);
    lastSaved = step;
  }
}
