package dev.statelens.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointManagerTest {

  @TempDir Path dir;

  record Params(Array w, Array step) {}

  private static Params at(int step) {
    return new Params(Array.full(new int[] {4}, step), Array.scalar(step));
  }

  @Test
  void keepsTheNewestKAndResumesFromTheHighestStep() throws IOException {
    CheckpointManager m = new CheckpointManager(dir.resolve("ckpt"), 3);
    assertEquals(Optional.empty(), m.restoreLatest(at(0)), "nothing to resume from, not even a directory");
    for (int step = 100; step <= 1200; step += 100) {
      assertEquals(m.file(step), m.save(step, at(step)));
    }
    assertEquals(List.of(1000L, 1100L, 1200L), m.steps());
    assertEquals(dir.resolve("ckpt/step-001200.npz"), m.latest().orElseThrow());
    CheckpointManager.Restored<Params> r = m.restoreLatest(at(0)).orElseThrow();
    assertEquals(1200, r.step());
    assertEquals(m.file(1200), r.file());
    assertEquals(1200f, r.tree().w().toFloatArray()[3]);
  }

  @Test
  void stepsSortNumericallyBeyondSixDigits() throws IOException {
    CheckpointManager m = new CheckpointManager(dir, 5);
    m.save(999_999, at(1));
    m.save(1_000_000, at(2));
    assertEquals(dir.resolve("step-1000000.npz"), m.latest().orElseThrow());
    assertEquals(List.of(999_999L, 1_000_000L), m.steps());
  }

  @Test
  void savingAnOlderStepThanTheDirectoryHoldsIsRefused() throws IOException {
    CheckpointManager m = new CheckpointManager(dir);
    m.save(500, at(5));
    CheckpointException e = assertThrows(CheckpointException.class, () -> m.save(100, at(1)));
    assertTrue(e.getMessage().contains("already holds step 500, newer than step 100"), e.getMessage());
    assertTrue(e.getMessage().contains("use an empty directory"), e.getMessage());
    m.save(500, at(6)); // the same step again replaces it
    assertEquals(6f, m.restoreLatest(at(0)).orElseThrow().tree().step().item());
  }

  @Test
  void restoreLatestDeletesTemporariesACrashedSaveLeft() throws IOException {
    CheckpointManager m = new CheckpointManager(dir);
    m.save(100, at(1));
    Path leftover = Files.writeString(dir.resolve(".step-000200.npz.1a2b3c.tmp"), "half a zip");
    Path unrelated = Files.writeString(dir.resolve("notes.txt"), "mine");
    assertEquals(100, m.restoreLatest(at(0)).orElseThrow().step());
    assertFalse(Files.exists(leftover));
    assertTrue(Files.exists(unrelated));
  }

  @Test
  void aCorruptLatestCheckpointIsNamed() throws IOException {
    CheckpointManager m = new CheckpointManager(dir);
    m.save(100, at(1));
    Files.writeString(m.file(200), "garbage");
    CheckpointException e = assertThrows(CheckpointException.class, () -> m.restoreLatest(at(0)));
    assertTrue(e.getMessage().contains(m.file(200).toString()), e.getMessage());
  }

  @Test
  void badArgumentsSayWhatIsExpected() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new CheckpointManager(dir, 0))
        .getMessage().contains("keep must be at least 1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new CheckpointManager(dir).file(-1))
        .getMessage().contains(">= 0; got -1"));
  }
}
