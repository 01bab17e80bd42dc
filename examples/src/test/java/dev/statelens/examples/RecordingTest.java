package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import dev.statelens.engine.record.store.StateLink;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --record RUN.db} writes a run store that names the examples' state by path. */
class RecordingTest {

  @Test
  void linregRecordsEveryUpdateWithNamedLeavesAndStateThreading(@TempDir Path dir) {
    Path db = dir.resolve("linreg.db");
    Console c = Console.run("linreg", "--steps", "7", "--out", dir.toString(), "--record", db.toString());
    assertEquals(0, c.exitCode(), c.err());
    assertTrue(c.out().contains("statelens: recording to " + db), c.out());
    assertTrue(c.out().contains("statelens: run recorded in " + db), c.out());
    assertEquals("", c.err(), "recording is not an error: its lines are on stdout");
    assertNull(Recorder.current(), "the recorder is closed when the example ends");
    try (RunStore run = RunStore.open(db)) {
      assertTrue(run.isFinished());
      assertEquals(7, run.calls("update", 0, Long.MAX_VALUE).size());
      List<String> inputs = run.series("update").stream()
          .filter(s -> s.role().equals("in")).map(SeriesInfo::path).toList();
      assertEquals(List.of("params.weight", "params.bias", "x", "y"), inputs);
      List<StateLink> links = run.links("update");
      assertTrue(links.stream().anyMatch(l -> l.inPath().equals("params.weight")), links.toString());
    }
  }

  @Test
  void mlpRecordsTheLossAndTheOptimizerState(@TempDir Path dir) {
    Path db = dir.resolve("mlp.db");
    Console c = Console.run("mlp", "--steps", "5", "--every", "1", "--out", dir.toString(), "--record", db.toString());
    assertEquals(0, c.exitCode(), c.err());
    try (RunStore run = RunStore.open(db)) {
      assertEquals(5, run.calls("train_step", 0, Long.MAX_VALUE).size());
      assertTrue(run.scalar("loss").isPresent(), "the step's loss output is logged as the run's loss");
      List<String> paths = run.series("train_step").stream().map(s -> s.role() + ":" + s.path()).toList();
      assertTrue(paths.contains("in:state.optState.mu.hidden.w"), paths.toString());
      assertTrue(paths.contains("out:state.optState.count"), paths.toString());
      assertTrue(run.links("train_step").stream()
          .anyMatch(l -> l.inPath().equals("state.optState.count") && l.outPath().equals("state.optState.count")));
    }
  }

  @Test
  void divergeRecordsItsLossSoTheScalarsChartShowsItBlowUp(@TempDir Path dir) {
    Path db = dir.resolve("diverge.db");
    Console c = Console.run("diverge", "--steps", "200", "--record", db.toString());
    assertEquals(0, c.exitCode(), c.err());
    try (RunStore run = RunStore.open(db)) {
      SeriesInfo loss = run.scalar("loss").orElseThrow(() -> new AssertionError("no loss scalar: " + run.scalars()));
      Series s = run.series(loss, Stat.MEAN, 1000);
      assertTrue(s.size() > 10, "a loss per step: " + s.size());
      double first = s.lo()[0];
      assertTrue(Double.isFinite(first), "it starts finite: " + first);
      double last = s.hi()[s.size() - 1];
      assertTrue(Double.isNaN(last) || Double.isInfinite(last) || last > 1e30 * first, "and blows up: " + last);
    }
  }

  @Test
  void withoutRecordNothingIsRecorded(@TempDir Path dir) {
    Console c = Console.run("counter");
    assertEquals(0, c.exitCode());
    assertFalse(c.err().contains("recording"), c.err());
    assertFalse(c.out().contains("recording"), c.out());
    assertNull(Recorder.current());
  }
}
