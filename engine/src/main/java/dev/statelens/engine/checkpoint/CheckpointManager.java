package dev.statelens.engine.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Numbered checkpoints of a training loop in one directory, like Orbax's
 * {@code CheckpointManager}: {@link #save} writes {@code DIR/step-000300.npz} and keeps the newest
 * {@link #keep()} files; {@link #restoreLatest} resumes from the highest step.
 *
 * <pre>{@code
 * var checkpoints = new CheckpointManager(Path.of("ckpt"));
 * TrainState state = initialState;
 * long start = 0;
 * var resumed = checkpoints.restoreLatest(state);     // state is the template
 * if (resumed.isPresent()) { state = resumed.get().tree(); start = resumed.get().step(); }
 * for (long step = start; step < steps; step++) {
 *   state = trainStep.apply(state, batch);
 *   if ((step + 1) % 100 == 0) checkpoints.save(step + 1, state);
 * }
 * }</pre>
 *
 * The step is the number of updates the state has had, so a resumed loop starts at it. One
 * process at a time may write a directory.
 */
public final class CheckpointManager {

  /** How many checkpoints are kept by default. */
  public static final int DEFAULT_KEEP = 3;

  private static final Pattern STEP_FILE = Pattern.compile("step-(\\d+)\\.npz");

  private final Path directory;
  private final int keep;

  /** Keeps the newest {@value #DEFAULT_KEEP} checkpoints in {@code directory}. */
  public CheckpointManager(Path directory) {
    this(directory, DEFAULT_KEEP);
  }

  /** Keeps the newest {@code keep} checkpoints in {@code directory} (created on the first save). */
  public CheckpointManager(Path directory, int keep) {
    this.directory = Objects.requireNonNull(directory, "directory");
    if (keep < 1) {
      throw new IllegalArgumentException("CheckpointManager: keep must be at least 1 (the checkpoint a resume "
          + "needs), got " + keep);
    }
    this.keep = keep;
  }

  public Path directory() {
    return directory;
  }

  public int keep() {
    return keep;
  }

  /** The file of {@code step}: {@code DIR/step-000300.npz} (six digits at least). */
  public Path file(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("CheckpointManager: a step is a count of updates, >= 0; got " + step);
    }
    return directory.resolve(String.format(java.util.Locale.ROOT, "step-%06d.npz", step));
  }

  /** The steps that have a checkpoint in the directory, ascending (none if it does not exist). */
  public List<Long> steps() throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<Long> steps = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Matcher m = STEP_FILE.matcher(f.getFileName().toString());
        if (m.matches() && m.group(1).length() < 19) {
          steps.add(Long.parseLong(m.group(1)));
        }
      }
    }
    steps.sort(null);
    return List.copyOf(steps);
  }

  /** The checkpoint with the highest step, if any. */
  public Optional<Path> latest() throws IOException {
    List<Long> steps = steps();
    return steps.isEmpty() ? Optional.empty() : Optional.of(file(steps.getLast()));
  }

  /**
   * Saves {@code tree} as the checkpoint of {@code step} (crash-safe, see {@link Checkpoints}),
   * then deletes the oldest checkpoints beyond {@link #keep()}.
   *
   * @return the file written
   * @throws CheckpointException if the directory holds a newer step: this run did not resume from
   *     it, and keeping the newest would delete what was just saved
   */
  public Path save(long step, Object tree) throws IOException {
    Path file = file(step);
    List<Long> before = steps();
    if (!before.isEmpty() && before.getLast() > step) {
      throw new CheckpointException("CheckpointManager: " + directory + " already holds step " + before.getLast()
          + ", newer than step " + step + "; resume from it (restoreLatest) or use an empty directory");
    }
    Checkpoints.save(file, tree, step);
    List<Long> after = steps();
    for (Long old : after.subList(0, Math.max(0, after.size() - keep))) {
      Files.deleteIfExists(file(old));
    }
    return file;
  }

  /** A tree restored from a checkpoint: the tree, the step it was saved at, and its file. */
  public record Restored<T>(T tree, long step, Path file) {}

  /**
   * Restores the checkpoint with the highest step into {@code template}'s structure (see
   * {@link Checkpoints#restore}); empty if the directory has none. Temporary files that a process
   * killed mid-save left behind are deleted first.
   *
   * @throws CheckpointException if the latest checkpoint is corrupt or does not match the
   *     template; the message names the file (delete it to resume from the one before)
   */
  public <T> Optional<Restored<T>> restoreLatest(T template) throws IOException {
    deleteAbandonedTemporaries();
    Optional<Path> latest = latest();
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    Path file = latest.get();
    Npz.Contents contents = Npz.read(file, "CheckpointManager.restoreLatest");
    T tree = Checkpoints.restore(contents, template);
    long fromName = Long.parseLong(stepText(file));
    OptionalLong recorded = Checkpoints.step(contents);
    return Optional.of(new Restored<>(tree, recorded.orElse(fromName), file));
  }

  private static String stepText(Path file) {
    Matcher m = STEP_FILE.matcher(file.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalStateException("not a step file: " + file);
    }
    return m.group(1);
  }

  private void deleteAbandonedTemporaries() throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (Stream<Path> files = Files.list(directory)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.startsWith(".step-") && name.endsWith(".tmp")) {
          Files.deleteIfExists(f);
        }
      }
    }
  }
}
