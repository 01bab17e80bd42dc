package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.EventKind;
import dev.statelens.engine.record.store.GraphInfo;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.Stat;
import dev.statelens.engine.record.store.StateLink;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder on the real examples (the recorder engineer's checks): the recorded values are the
 * program's values, the whole Adam state threads step to step, and the deliberately wrong loop
 * is reported as stale state while the right loops are not.
 */
class RecordedTrainingTest {
  @TempDir Path dir;

  @Test
  void linregValuesAndThreadingMatchTheProgram() {
    Path db = dir.resolve("linreg.db");
    LinReg.Fit fit;
    try (Recorder r = Recorder.open(db)) {
      fit = LinReg.fit(50);
    }
    try (RunStore run = RunStore.open(db)) {
      List<LeafSample> last = run.state("update", 49);
      LeafSample w = last.stream().filter(s -> s.key().equals("out:weight")).findFirst().orElseThrow();
      assertEquals(fit.weight(), w.values()[0], 0, "the recorded final weight is the program's");
      LeafSample x = last.stream().filter(s -> s.key().equals("in:x")).findFirst().orElseThrow();
      assertArrayEquals(new int[] {LinReg.SAMPLES, 1}, x.shape());
      assertTrue(x.sampled(), "128 values > 64 kept: a sample");
      assertEquals(64, x.values().length);
      assertEquals(fit.data().xs().toFloatArray()[2], x.values()[1], 0, "element floor(1*128/64) = 2");
      List<StateLink> links = run.links("update");
      assertEquals(2, links.size(), links.toString());
      assertTrue(links.stream().allMatch(l -> l.firstStep() == 1 && l.lastStep() == 49));
      GraphInfo g = run.graphs("update").getFirst();
      assertEquals(List.of("params.weight", "params.bias"), g.stateInputs());
      assertEquals(List.of("weight", "bias"), g.stateOutputs());
      assertTrue(run.events().isEmpty(), run.events().toString());
      Series loss = run.series(run.scalar("loss").orElseThrow(), Stat.MEAN, 100);
      assertEquals(50, loss.size(), "one logged loss per update");
      assertEquals(fit.loss(), loss.lo()[49], 1e-6, "the last logged loss is the fit's");
      assertTrue(loss.lo()[49] < loss.lo()[0], "the loss falls");
    }
  }

  @Test
  void theStaleLoopIsReported() {
    Path db = dir.resolve("stale.db");
    try (Recorder r = Recorder.open(db)) {
      StaleStateLoop.run(6, 10, (step, loss) -> {});
    }
    try (RunStore run = RunStore.open(db)) {
      var stale = run.events(EventKind.STALE_STATE);
      assertEquals(List.of("params.weight", "params.bias"), stale.stream().map(e -> e.path()).toList());
      assertEquals(1L, stale.getFirst().step());
      assertTrue(run.links("update").isEmpty(), "no output ever became an input");
      assertEquals(2, run.calls("update", 5, 5).getFirst().stale());
    }
  }

  @Test
  void mlpWithAdamThreadsTheWholeTrainStateAndLogsTheLoss() {
    Path db = dir.resolve("mlp.db");
    Mlp.History h;
    try (Recorder r = Recorder.open(db)) {
      h = new Mlp().train(30, 1, (step, loss) -> {});
    }
    try (RunStore run = RunStore.open(db)) {
      GraphInfo g = run.graphs("train_step").getFirst();
      List<String> stateIn = g.stateInputs();
      // params (4 leaves) + Adam's count, mu (4), nu (4)
      assertEquals(13, stateIn.size(), stateIn.toString());
      assertTrue(stateIn.containsAll(List.of("state.params.hidden.w", "state.optState.count",
          "state.optState.mu.out.b", "state.optState.nu.hidden.w")), stateIn.toString());
      assertTrue(run.events().isEmpty(), run.events().toString());
      Series loss = run.series(run.scalar("loss").orElseThrow(), Stat.MEAN, 100);
      assertEquals(30, loss.size());
      for (int i = 0; i < 30; i++) {
        assertEquals(h.losses()[i], loss.lo()[i], 1e-6, "loss at step " + i);
      }
      // Adam's step count is threaded and counts
      LeafSample count = run.state("train_step", 29).stream()
          .filter(s -> s.key().equals("out:state.optState.count")).findFirst().orElseThrow();
      assertEquals(30, count.values()[0], 0);
      var diff = run.diff("train_step", 0, 29);
      assertTrue(diff.changed().stream().anyMatch(d -> d.path().equals("state.optState.nu.hidden.w")));
      assertTrue(diff.leaves().stream().filter(d -> d.path().equals("batch.x")).noneMatch(d -> d.changed()));
    }
  }
}
