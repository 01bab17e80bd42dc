package dev.statelens.engine.checkpoint;

import static dev.statelens.engine.checkpoint.CheckpointTestArrays.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.RunWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recorded step exported as .npz: the leaves with full values, exactly; the sampled ones named. */
class CheckpointRecordedStepExportTest {

  @TempDir Path dir;

  record State(Array w, Array big, Key key, Array flags) {}

  @AfterEach
  void closeLeftoverRecorder() {
    Recorder r = Recorder.current();
    if (r != null) {
      r.close();
    }
  }

  @Test
  void exportsEveryFullyRecordedLeafExactlyAndNamesTheSampledOnes() throws Exception {
    BiFunction<State, Array, Pair<State, Array>> step = Transforms.jit("train", (State s, Array lr) -> {
      Array w = s.w().sub(lr.mul(s.w()));
      Pair<Key, Key> k = Random.split(s.key());
      return Pair.of(new State(w, s.big().add(1), k.first(), s.flags().logicalNot()), w.sum());
    });
    Recorder.argNames(step, "state", "lr");
    State s = new State(Array.of(DType.F32, new int[] {2, 2}, 1.5f, -0.0f, 3f, -7.25f), Array.zeros(100),
        Random.key(3), Array.of(true, false));
    Path db = dir.resolve("run.db");
    List<State> inputs = new ArrayList<>();
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults().withMaxValues(64))) {
      for (int i = 0; i < 3; i++) {
        inputs.add(s);
        s = step.apply(s, Array.scalar(0.5)).first();
      }
    }
    try (RunStore store = RunStore.open(db)) {
      Path file = dir.resolve("step-1.npz");
      RecordedStepExport.Result result = RecordedStepExport.export(store, "train", 1, file);
      assertEquals(List.of("in:state.big", "out:first.big"), result.summarized(), "100 values > maxValues 64");
      Map<String, Array> z = Checkpoints.load(file);
      assertEquals(result.exported(), List.copyOf(z.keySet()));
      assertFalse(z.containsKey("in:state.big"));
      assertSameBits(inputs.get(1).w(), z.get("in:state.w"), "w");
      assertSameBits(inputs.get(1).key().keyData(), z.get("in:state.key.keyData"), "the PRNG key's u32 words");
      assertSameBits(inputs.get(1).flags(), z.get("in:state.flags"), "flags");
      assertSameBits(inputs.get(2).w(), z.get("out:first.w"), "the step's output is the next step's input");
      assertTrue(z.containsKey("in:lr") && z.containsKey("out:second"), z.keySet().toString());

      CheckpointException notRecorded = assertThrows(CheckpointException.class,
          () -> RecordedStepExport.export(store, "train", 7, dir.resolve("none.npz")));
      assertTrue(notRecorded.getMessage().contains("no recorded state of 'train' at step 7"), notRecorded.getMessage());
      assertFalse(Files.exists(dir.resolve("none.npz")));
    }
  }

  @Test
  void aStepWithOnlySampledLeavesSaysHowToRecordFullValues() throws Exception {
    var f = Transforms.jit("big", (Array x) -> x.add(1));
    Path db = dir.resolve("big.db");
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults().withMaxValues(8))) {
      f.apply(Array.zeros(100));
    }
    try (RunStore store = RunStore.open(db)) {
      CheckpointException e = assertThrows(CheckpointException.class,
          () -> RecordedStepExport.export(store, "big", 0, dir.resolve("big.npz")));
      assertTrue(e.getMessage().contains("-Dstatelens.record.maxValues=N"), e.getMessage());
      assertFalse(Files.exists(dir.resolve("big.npz")));
    }
  }
}
