package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A recorded bf16 training loop: leaves keep their dtype, values and update norms are the widened ones. */
@ExtendWith(CloseLeftoverRecorder.class)
class SixteenBitRecordingTest {
  @TempDir Path dir;

  record Out(Array w, Optim.OptState<Array> state, Array loss) {}

  @Test
  void bf16ParamsRecordTheirValuesStatisticsAndUpdateNorms() throws Exception {
    Array x = Array.of(DType.BF16, new int[] {4, 2}, 0.5f, -1f, 1.5f, 0.25f, -0.75f, 2f, 1f, 1f);
    Array y = Array.of(DType.BF16, new int[] {4, 1}, 1f, -1f, 0.5f, 2f);
    Optim.Optimizer sgd = Optim.sgd(0.1);
    var step = Transforms.jit("train", (Array w, Optim.OptState<Array> s) -> {
      var lg = Transforms.valueAndGrad((Array p) -> x.matmul(p).sub(y).square().mean()).apply(w);
      var u = sgd.update(lg.second(), s, w);
      return new Out(Optim.applyUpdates(w, u.first()), u.second(), lg.first());
    });
    Recorder.argNames(step, "params", "optState");
    Path db = dir.resolve("bf16.db");
    List<Array> ws = new ArrayList<>();
    try (Recorder r = Recorder.open(db)) {
      Array w = Array.zeros(DType.BF16, 2, 1);
      Optim.OptState<Array> s = sgd.init(w);
      for (int t = 0; t < 4; t++) {
        ws.add(w);
        Out o = step.apply(w, s);
        w = o.w();
        s = o.state();
      }
      ws.add(w);
    }
    try (RunStore store = RunStore.open(db)) {
      for (int t = 0; t < 4; t++) {
        int at = t;
        LeafSample leaf = store.state("train", t).stream().filter(l -> l.key().equals("in:params"))
            .findFirst().orElseThrow(() -> new AssertionError("no params leaf at step " + at));
        assertEquals(DType.BF16, leaf.dtype());
        double[] want = ws.get(t).astype(DType.F64).toDoubleArray();
        assertArrayEquals(want, leaf.values(), leaf.key() + " at step " + t);
      }
      Map<Long, Double> updates = NormsRecordingTest.scalar(store, "update_norm/params");
      assertEquals(3, updates.size(), "update norms from step 1 (the first linked step): " + updates);
      for (int t = 1; t < 4; t++) {
        double expected = NormsRecordingTest.diffNorm(ws.get(t).astype(DType.F64).toDoubleArray(),
            ws.get(t + 1).astype(DType.F64).toDoubleArray());
        NormsRecordingTest.assertRel(expected, updates.get((long) t), 1e-12, "update_norm at step " + t);
      }
    }
  }
}
