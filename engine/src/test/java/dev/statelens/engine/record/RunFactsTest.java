package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.backend.cpu.Matmul;
import dev.statelens.engine.record.store.RunFacts;
import dev.statelens.engine.record.store.RunStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RunFacts}: the facts a comparison shows beside the charts, read from real recordings. */
class RunFactsTest {
  @TempDir
  Path dir;

  /** {@code steps} linreg steps at learning rate {@code lr}, logging lr and returning each step's loss. */
  static double[] train(double lr, int steps) {
    Fn3<Programs.Params, Array, Array, Programs.StepOut> step = Programs.linregStep("update", lr);
    Programs.Params p = Programs.init();
    double[] losses = new double[steps];
    for (int i = 0; i < steps; i++) {
      Programs.StepOut out = step.apply(p, Programs.XS, Programs.YS);
      losses[i] = out.loss().item();
      p = out.params();
      Recorder.scalar("lr", lr);
      Recorder.scalar("w", p.w());
    }
    return losses;
  }

  @Test
  void readsStepsLastLossSettingsAndWallTimeAndMarksTheRowsThatDiffer() throws Exception {
    double[][] losses = new double[2][];
    RunFacts a, b;
    try (RunStore st = Programs.record(dir, "lr-0.02", () -> losses[0] = train(0.02, 30))) {
      a = RunFacts.read(st, "lr-0.02.db");
    }
    try (RunStore st = Programs.record(dir, "lr-0.005", () -> losses[1] = train(0.005, 20))) {
      b = RunFacts.read(st, "lr-0.005.db");
    }
    assertEquals("update", a.function());
    assertEquals(30, a.steps());
    assertEquals(20, b.steps());
    assertEquals(losses[0][29], a.lastLoss(), 1e-6 * Math.abs(losses[0][29]));
    assertEquals(losses[1][19], b.lastLoss(), 1e-6 * Math.abs(losses[1][19]));
    assertNull(a.firstNonFinite());
    assertNotNull(a.wallTime());
    assertEquals("finished", a.status());
    assertEquals("cpu: " + Matmul.describe(), a.backend(), "the backend that ran it, with its kernels");
    assertEquals("0.0200000", a.settings().get("lr"), "a scalar logged with one value is a setting");
    assertTrue(a.settings().containsKey("w (last)"), "a changing scalar shows its last value: " + a.settings());

    Map<String, RunFacts.Row> rows = RunFacts.table(List.of(a, b)).stream()
        .collect(Collectors.toMap(RunFacts.Row::label, Function.identity()));
    assertTrue(rows.get("steps").differs());
    assertEquals(List.of("30", "20"), rows.get("steps").cells());
    assertTrue(rows.get("lr").differs());
    assertTrue(rows.get("last loss").differs());
    assertFalse(rows.get("training step").differs());
    assertFalse(rows.get("record every").differs());
    assertFalse(rows.get("first NaN/Inf step").differs());
    assertFalse(rows.get("backend").differs(), "both ran on this JVM's cpu backend");
  }

  @Test
  void trainingTimeIsTheWallTimeLessThePausesAndOlderRunsSayTheirPausesWereNotRecorded() throws Exception {
    RunFacts run;
    try (RunStore st = Programs.record(dir, "plain", () -> train(0.01, 5))) {
      assertEquals("0", st.meta().get("paused_ms"), "a run without the debugger was never paused");
      run = RunFacts.read(st, "plain.db");
    }
    assertEquals(Duration.ZERO, run.paused());
    assertEquals(run.wallTime(), run.trainingTime());
    RunFacts paused = new RunFacts("paused.db", dir.resolve("paused.db"), "update", 200, 0.5, null,
        Duration.ofMillis(34_200), Duration.ofMillis(31_288), "finished", null, Map.of());
    RunFacts old = new RunFacts("old.db", dir.resolve("old.db"), "update", 200, 0.5, null,
        Duration.ofMillis(34_200), null, "finished", null, Map.of());
    assertEquals(Duration.ofMillis(2_912), paused.trainingTime());
    RunFacts.Row row = RunFacts.table(List.of(run, paused, old)).stream()
        .filter(r -> r.label().equals("training time")).findFirst().orElseThrow();
    assertEquals(String.format(java.util.Locale.ROOT, "%.3f s", run.wallTime().toNanos() / 1e9), row.cells().get(0));
    assertEquals("2.912 s (+ 31.3 s paused)", row.cells().get(1));
    assertEquals("34.200 s (pauses not recorded)", row.cells().get(2));
    assertEquals(RunFacts.TRAINING_TIME_ABOUT, row.about(), "the row says which time it is");
    assertTrue(row.about().contains("less the time the run sat paused"), row.about());
  }

  @Test
  void aRunRecordedBeforeTheBackendWasKeptSaysNotRecorded() throws Exception {
    RunFacts now, old;
    try (RunStore st = Programs.record(dir, "now", () -> train(0.02, 5))) {
      assertEquals("cpu", st.meta().get("backend"));
      assertEquals(Matmul.describe(), st.meta().get("cpu_kernels"));
      now = RunFacts.read(st, "now.db");
    }
    Path fixture = dir.resolve("scalars-v2.db"); // recorded by an earlier StateLens (schema 2, no backend key)
    try (InputStream in = RunFactsTest.class.getResourceAsStream("scalars-v2.db")) {
      Files.copy(in, fixture);
    }
    try (RunStore st = RunStore.open(fixture)) {
      old = RunFacts.read(st, "scalars-v2.db");
    }
    assertNull(old.backend());
    RunFacts.Row backend = RunFacts.table(List.of(now, old)).stream().filter(r -> r.label().equals("backend"))
        .findFirst().orElseThrow();
    assertEquals(List.of("cpu: " + Matmul.describe(), "not recorded"), backend.cells());
    assertTrue(backend.differs());
  }

  @Test
  void aDivergingRunNamesItsFirstNonFiniteStep() throws Exception {
    try (RunStore st = Programs.record(dir, "diverge", () -> train(1.5, 60))) {
      RunFacts f = RunFacts.read(st, "diverge.db");
      assertNotNull(f.firstNonFinite(), "lr 1.5 overflows within 60 steps");
      assertTrue(f.firstNonFinite() > 0 && f.firstNonFinite() < 60, "step " + f.firstNonFinite());
    }
  }
}
