package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Optim;
import dev.statelens.engine.record.Programs.Params;
import dev.statelens.engine.record.store.CallInfo;
import dev.statelens.engine.record.store.EventKind;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.RunWriter;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import dev.statelens.engine.record.store.StateLink;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code statelens.record.every = k}: every call keeps its row, loss and state links; leaf values
 * (and the norms that come with them) only every k-th step, at retraces and at stale state.
 */
@ExtendWith(CloseLeftoverRecorder.class)
class RecordEveryTest {
  @TempDir Path dir;

  private RunStore record(String name, int every, Runnable program) {
    Path db = dir.resolve(name + ".db");
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults().withEvery(every))) {
      program.run();
    }
    return RunStore.open(db);
  }

  private static double value(LeafSample s) {
    return s.values()[0];
  }

  @Test
  void everyCallKeepsItsRowAndLossButValuesOnlyEveryKthStep() {
    var step = Programs.linregStep("train", 0.01);
    Params[] seen = new Params[26];
    try (RunStore store = record("every10", 10, () -> {
      Params p = Programs.init();
      for (int i = 0; i < 25; i++) {
        seen[i] = p;
        p = step.apply(p, Programs.XS, Programs.YS).params();
      }
    })) {
      assertEquals(10, store.recordEvery());
      assertEquals("10", store.meta().get("record_every"));
      List<CallInfo> calls = store.calls("train", 0, 100);
      assertEquals(LongStream.range(0, 25).boxed().toList(), calls.stream().map(CallInfo::step).toList(),
          "every call has its row");
      assertEquals(List.of(0L, 10L, 20L), store.stateSteps("train", 0, 100));
      assertTrue(store.hasState("train", 10));
      assertFalse(store.hasState("train", 11));
      assertTrue(store.state("train", 11).isEmpty(), "no values between snapshots");

      // a snapshot's values are the arrays the program passed at that step; the training data
      // (unchanged since step 0) is a reference to step 0's entry and still resolves
      List<LeafSample> s20 = store.state("train", 20);
      LeafSample w = s20.stream().filter(s -> s.key().equals("in:params.w")).findFirst().orElseThrow();
      assertEquals(seen[20].w().item(), value(w), 0);
      LeafSample xs = s20.stream().filter(s -> s.key().equals("in:arg1")).findFirst().orElseThrow();
      assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, xs.values(), 0);
      LeafSample outW = s20.stream().filter(s -> s.key().equals("out:params.w")).findFirst().orElseThrow();
      assertEquals(seen[21].w().item(), value(outW), 0);

      // the loss output is logged at every call
      SeriesInfo loss = store.scalar("loss").orElseThrow();
      Series ls = store.series(loss, Stat.MEAN, 1000);
      assertEquals(25, ls.size(), "one loss per call");
      // leaf charts have the snapshot steps only
      SeriesInfo inW = store.seriesInfo("train", "in", "params.w");
      assertEquals(List.of(0L, 10L, 20L), store.samples(inW, 0, 100).stream().map(LeafSample::step).toList());

      // threading is per call: params.w is output params.w of the step before over steps 1..24
      StateLink link = store.links("train").stream().filter(l -> l.inPath().equals("params.w")).findFirst().orElseThrow();
      assertEquals(1, link.firstStep());
      assertEquals(24, link.lastStep());
      assertTrue(store.events(EventKind.STALE_STATE).isEmpty());
    }
  }

  @Test
  void retracesAndStaleStateAlwaysGetValues() {
    var step = Programs.linregStep("train", 0.01);
    try (RunStore store = record("forced", 1000, () -> {
      Params p = Programs.init();
      for (int i = 0; i < 5; i++) {
        p = step.apply(p, Programs.XS, Programs.YS).params();
      }
      Params stale = p;
      step.apply(stale, Programs.XS, Programs.YS); // step 5: its new state is dropped...
      step.apply(stale, Programs.XS, Programs.YS); // step 6: ...so this input is stale
      Array xs9 = Array.of(Programs.DTypes.F32, new int[] {9}, 0, 1, 2, 3, 4, 5, 6, 7, 8);
      step.apply(stale, xs9, xs9.mul(2).sub(1)); // step 7: another shape, a retrace
      step.apply(stale, xs9, xs9.mul(2).sub(1)); // step 8: cached, stale again (step 7's output dropped)
      step.apply(p, xs9, xs9.mul(2).sub(1)); // step 9: cached; p is no output of step 8 either...
      Params fresh = step.apply(p, xs9, xs9.mul(2).sub(1)).params(); // step 10: ...and neither is this
      step.apply(fresh, xs9, xs9.mul(2).sub(1)); // step 11: threaded correctly, no snapshot
    })) {
      assertEquals(12, store.calls("train", 0, 100).size());
      long staleStep = store.events(EventKind.STALE_STATE).getFirst().step();
      assertEquals(6, staleStep);
      assertEquals(List.of(0L, 6L, 7L, 8L, 9L, 10L), store.stateSteps("train", 0, 100),
          "step 0 (k divides it, and the first trace), the stale calls, the retrace");
      LeafSample xs = store.state("train", 7).stream().filter(s -> s.key().equals("in:arg1")).findFirst().orElseThrow();
      assertEquals(9, xs.size());
    }
  }

  @Test
  void normsComeWithTheSnapshots() {
    var opt = Optim.sgd(0.05);
    var step = NormsRecordingTest.trainStep("mlp", opt);
    try (RunStore store = record("norms", 4, () -> {
      NormsRecordingTest.Mlp p = NormsRecordingTest.init();
      var s = opt.init(p);
      for (int i = 0; i < 10; i++) {
        var out = step.apply(p, s, NormsRecordingTest.X, NormsRecordingTest.Y);
        p = out.params();
        s = out.optState();
      }
    })) {
      assertEquals(10, store.calls("mlp", 0, 100).size());
      assertEquals(10, NormsRecordingTest.scalar(store, "loss").size(), "loss at every call");
      Map<Long, Double> grad = NormsRecordingTest.scalar(store, "grad_norm");
      assertEquals(List.of(0L, 4L, 8L), grad.keySet().stream().toList(), "gradient norms at the snapshot steps");
      Map<Long, Double> update = NormsRecordingTest.scalar(store, "update_norm");
      assertEquals(List.of(4L, 8L), update.keySet().stream().toList(), "update norms need a link: not at step 0");
      assertTrue(update.values().stream().allMatch(v -> v > 0));
    }
  }

  @Test
  void defaultKeepsValuesAtEveryCallAndOldRunsReadAsEveryOne() throws Exception {
    var step = Programs.linregStep("train", 0.01);
    Path db = dir.resolve("default.db");
    try (Recorder r = Recorder.open(db)) {
      Programs.train(step, 6);
    }
    try (RunStore store = RunStore.open(db)) {
      assertEquals(1, store.recordEvery());
      assertEquals(LongStream.range(0, 6).boxed().toList(), store.stateSteps("train", 0, 100));
    }
    // a run recorded before the setting existed has no meta.record_every
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      c.createStatement().execute("DELETE FROM meta WHERE key = 'record_every'");
    }
    try (RunStore store = RunStore.open(db)) {
      assertEquals(1, store.recordEvery());
      assertTrue(store.hasState("train", 5));
    }
  }

  @Test
  void everyBelowOneIsRejectedWithTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunWriter.Options.defaults().withEvery(0));
    assertTrue(e.getMessage().contains("statelens.record.every must be >= 1"), e.getMessage());
  }

  /** `--record` in the examples and any program's Recorder.open(path) honour -Dstatelens.record.every too. */
  @Test
  void openWithAPathTakesTheEverySettingFromTheProperties(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("every.db");
    dev.statelens.engine.testing.TemporaryProperties.call(Map.of("statelens.record.every", "5"), () -> {
      try (Recorder r = Recorder.open(db)) {
        Programs.train(Programs.linregStep("train", 0.01), 12);
      }
      return null;
    });
    try (RunStore store = RunStore.open(db)) {
      assertEquals(5, store.recordEvery());
      assertTrue(store.hasState("train", 5) && store.hasState("train", 10));
      assertFalse(store.hasState("train", 7));
    }
  }
}
