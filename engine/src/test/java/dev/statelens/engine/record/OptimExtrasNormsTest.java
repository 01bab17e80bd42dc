package dev.statelens.engine.record;

import static dev.statelens.engine.record.NormsRecordingTest.X;
import static dev.statelens.engine.record.NormsRecordingTest.Y;
import static dev.statelens.engine.record.NormsRecordingTest.assertRel;
import static dev.statelens.engine.record.NormsRecordingTest.init;
import static dev.statelens.engine.record.NormsRecordingTest.norm;
import static dev.statelens.engine.record.NormsRecordingTest.scalar;
import static dev.statelens.engine.record.NormsRecordingTest.trainStep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Optim;
import dev.statelens.engine.Schedule;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.NormsRecordingTest.Mlp;
import dev.statelens.engine.record.NormsRecordingTest.TrainOut;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimizers added beside sgd/adam (momentum SGD, AdamW, clipping, chains, schedules) keep
 * the recorder's gradient-norm tap: one tap per update, of the raw gradients (a chain taps before
 * its clip), named like the params; and the chain's state links record update norms.
 */
@ExtendWith(CloseLeftoverRecorder.class)
class OptimExtrasNormsTest {
  @TempDir Path dir;

  @Test
  void aClippedScheduledAdamwChainRecordsTheRawGradientNormsWithOneTap() throws Exception {
    int steps = 6;
    // maxNorm far below the MLP's gradient norm, so the clip acts at every step
    Optim.Optimizer opt = Optim.chain(Optim.clipByGlobalNorm(1e-3),
        Optim.adamw(Schedule.warmupCosineDecay(0, 0.05, 2, 6, 0.005)));
    var step = trainStep("chain", opt);
    Path db = dir.resolve("chain.db");
    List<Mlp> params = new ArrayList<>();
    try (Recorder r = Recorder.open(db)) {
      Mlp p = init();
      Optim.OptState<Mlp> s = opt.init(p);
      for (int t = 0; t < steps; t++) {
        params.add(p);
        TrainOut out = step.apply(p, s, X, Y);
        p = out.params();
        s = out.optState();
      }
    }
    try (RunStore store = RunStore.open(db)) {
      var grad = Transforms.grad(NormsRecordingTest::loss);
      Map<Long, Double> gw1 = scalar(store, "grad_norm/params.w1");
      Map<Long, Double> global = scalar(store, "grad_norm");
      assertEquals(steps, gw1.size(), "one grad_norm per step: the chain's parts do not tap again");
      for (int t = 0; t < steps; t++) {
        Mlp g = grad.apply(params.get(t), X, Y);
        double n1 = norm(g.w1()), n2 = norm(g.b1()), n3 = norm(g.w2());
        double raw = Math.sqrt(n1 * n1 + n2 * n2 + n3 * n3);
        assertTrue(raw > 1e-2, "the clip acts: raw norm " + raw);
        assertRel(n1, gw1.get((long) t), 1e-5, "grad_norm/params.w1 at step " + t + " (raw, not clipped)");
        assertRel(raw, global.get((long) t), 1e-5, "grad_norm at step " + t);
      }
      String ir = store.graphs("chain").getFirst().irText();
      int taps = ir.split("tap_norms", -1).length - 1;
      assertEquals(1, taps, ir);
      // the chain's state is linked too: AdamW's moments under opt_state[1]
      List<String> linked = store.scalars().stream().map(i -> i.path()).filter(n -> n.startsWith("update_norm/"))
          .sorted().toList();
      assertTrue(linked.contains("update_norm/optState[1].mu.w1"), linked.toString());
      assertTrue(linked.contains("update_norm/params.w1"), linked.toString());
    }
  }

  @Test
  void momentumSgdRecordsGradientNormsAndUpdateNorms() throws Exception {
    Optim.Optimizer opt = Optim.sgd(0.1, 0.9, true);
    var step = trainStep("momentum", opt);
    Path db = dir.resolve("momentum.db");
    Mlp p0 = init();
    try (Recorder r = Recorder.open(db)) {
      Mlp p = p0;
      Optim.OptState<Mlp> s = opt.init(p);
      for (int t = 0; t < 3; t++) {
        TrainOut out = step.apply(p, s, X, Y);
        p = out.params();
        s = out.optState();
      }
    }
    try (RunStore store = RunStore.open(db)) {
      Mlp g = Transforms.grad(NormsRecordingTest::loss).apply(p0, X, Y);
      assertRel(norm(g.w2()), scalar(store, "grad_norm/params.w2").get(0L), 1e-5, "step 0");
      assertEquals(3, scalar(store, "grad_norm").size());
      assertEquals(2, scalar(store, "update_norm/optState.trace.w2").size(), "linked from step 1");
    }
  }
}
