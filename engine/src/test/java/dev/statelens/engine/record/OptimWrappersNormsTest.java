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
 * The wrappers keep the recorder's contract: one gradient-norm tap per update, of the raw
 * gradients (taken outside applyIfFinite's cond, so the tap is not inside a branch), and a state
 * with a BOOL leaf ({@code lastFinite}) and nested inner states records like any other.
 */
@ExtendWith(CloseLeftoverRecorder.class)
class OptimWrappersNormsTest {
  @TempDir Path dir;

  @Test
  void applyIfFiniteAroundMultiStepsRecordsOneTapOfTheRawGradients() throws Exception {
    int steps = 4;
    Optim.Optimizer opt = Optim.applyIfFinite(Optim.multiSteps(Optim.adam(0.05), 2), 3);
    var step = trainStep("wrapped", opt);
    Path db = dir.resolve("wrapped.db");
    List<Mlp> params = new ArrayList<>();
    Optim.OptState<Mlp> s;
    try (Recorder r = Recorder.open(db)) {
      Mlp p = init();
      s = opt.init(p);
      for (int t = 0; t < steps; t++) {
        params.add(p);
        TrainOut out = step.apply(p, s, X, Y);
        p = out.params();
        s = out.optState();
      }
    }
    var outer = (Optim.ApplyIfFiniteState<Mlp>) s;
    assertEquals(2, ((Optim.MultiStepsState<Mlp>) outer.innerState()).gradientStep().intValue());
    try (RunStore store = RunStore.open(db)) {
      Map<Long, Double> gw1 = scalar(store, "grad_norm/params.w1");
      assertEquals(steps, gw1.size(), "one grad_norm per call, mini-steps included");
      var grad = Transforms.grad(NormsRecordingTest::loss);
      for (int t = 0; t < steps; t++) {
        assertRel(norm(grad.apply(params.get(t), X, Y).w1()), gw1.get((long) t), 1e-5, "grad_norm/params.w1 at " + t);
      }
      String ir = store.graphs("wrapped").getFirst().irText();
      assertEquals(1, ir.split("tap_norms", -1).length - 1, ir);
      List<String> names = store.scalars().stream().map(i -> i.path()).toList();
      assertTrue(names.stream().anyMatch(n -> n.contains("innerState.innerOptState.mu.w1")), names.toString());
    }
  }
}
