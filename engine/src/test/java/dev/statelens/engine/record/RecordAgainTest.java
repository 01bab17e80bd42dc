package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.store.RunStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Recording again to the path of an earlier run keeps the earlier run instead of deleting it. */
@ExtendWith(CloseLeftoverRecorder.class)
class RecordAgainTest {
  @TempDir Path dir;

  private static void record(Path db, int steps) {
    var step = Programs.linregStep("train", 0.01);
    try (Recorder r = Recorder.open(db)) {
      Programs.train(step, steps);
    }
  }

  private static int calls(Path db) {
    try (RunStore s = RunStore.open(db)) {
      return s.calls("train", 0, Long.MAX_VALUE).size();
    }
  }

  @Test
  void theEarlierRunIsKeptBesideTheNewOneAndTheMoveIsSaid() throws Exception {
    Path db = dir.resolve("linreg.db");
    record(db, 30);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      record(db, 50);
    } finally {
      System.setErr(err);
    }
    List<Path> kept;
    try (Stream<Path> files = Files.list(dir)) {
      kept = files.filter(p -> p.getFileName().toString().matches("linreg-\\d{8}-\\d{6}\\.db")).toList();
    }
    assertEquals(1, kept.size(), "one earlier run kept: " + kept);
    assertEquals(30, calls(kept.get(0)), "the earlier run, intact");
    assertEquals(50, calls(db), "the new run at the path");
    String said = captured.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("statelens: " + db + " held an earlier run; it is kept as " + kept.get(0)), said);
  }

  @Test
  void twoEarlierRunsWithTheSameTimeGetTheirOwnNames() throws Exception {
    Path db = dir.resolve("run.db");
    var sameTime = java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);
    record(db, 5);
    Files.setLastModifiedTime(db, sameTime);
    record(db, 6);
    Files.setLastModifiedTime(db, sameTime);
    record(db, 7);
    List<Path> kept;
    try (Stream<Path> files = Files.list(dir)) {
      kept = files.filter(p -> p.getFileName().toString().matches("run-\\d{8}-\\d{6}(-2)?\\.db")).toList();
    }
    assertEquals(2, kept.size(), "both earlier runs kept: " + kept);
    Path first = kept.stream().filter(p -> !p.toString().endsWith("-2.db")).findFirst().orElseThrow();
    Path second = kept.stream().filter(p -> p.toString().endsWith("-2.db")).findFirst().orElseThrow();
    assertEquals(5, calls(first));
    assertEquals(6, calls(second));
    assertEquals(7, calls(db));
  }
}
