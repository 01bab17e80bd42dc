package dev.statelens.engine.record;

import static dev.statelens.engine.record.NormsRecordingTest.X;
import static dev.statelens.engine.record.NormsRecordingTest.Y;
import static dev.statelens.engine.record.NormsRecordingTest.assertRel;
import static dev.statelens.engine.record.NormsRecordingTest.init;
import static dev.statelens.engine.record.NormsRecordingTest.norm;
import static dev.statelens.engine.record.NormsRecordingTest.scalar;
import static dev.statelens.engine.record.NormsRecordingTest.trainStep;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Schedule;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.Tree;
import dev.statelens.engine.record.NormsRecordingTest.Mlp;
import dev.statelens.engine.record.NormsRecordingTest.TrainOut;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parameter groups and the new optimizers under {@code jit} with the recorder on: the step
 * trains exactly as unrecorded, taps the raw gradients once per update (a partition's groups and
 * a wrapper's inner optimizer do not tap again), and the state trees — with their left-out leaves
 * — are recorded with their paths.
 */
@ExtendWith(CloseLeftoverRecorder.class)
class OptimGroupsNormsTest {
  @TempDir Path dir;

  private static final int STEPS = 4;

  /** Each optimizer with a state leaf whose update norm the recorder must log. */
  private record Case(Supplier<Optim.Optimizer> optimizer, String stateLeaf) {}

  private static final Map<String, Case> CASES = new LinkedHashMap<>();

  static {
    CASES.put("partition", new Case(() -> Optim.partition(
        Map.of("adam", Optim.adam(0.05), "sgd", Optim.sgd(0.1, 0.9, false), "frozen", Optim.setToZero()),
        path -> path.equals("b1") ? "sgd" : path.equals("w2") ? "frozen" : "adam"),
        "optState.innerStates.adam.innerState.mu.w1"));
    CASES.put("adafactor", new Case(() -> Optim.adafactor(Schedule.cosineDecay(0.05, 10), 2, 0.8, 0, true, 1.0, 0.9, 1e-3,
        1e-30, true), "optState[0].vRow.w1"));
    CASES.put("lamb", new Case(() -> Optim.lamb(0.05), "optState.mu.w1"));
    CASES.put("applyIfFinite(nadamw)", new Case(() -> Optim.applyIfFinite(Optim.nadamw(0.05), 2), "optState.innerState.nu.w2"));
  }

  @TestFactory
  List<DynamicTest> recordedJitStepsTrainAsUnrecordedAndTapOnce() {
    List<DynamicTest> tests = new ArrayList<>();
    CASES.forEach((name, c) -> tests.add(DynamicTest.dynamicTest(name, () -> check(name, c))));
    return tests;
  }

  private void check(String name, Case c) throws Exception {
    Optim.Optimizer opt = c.optimizer().get();
    String fn = "step_" + name.replaceAll("[^a-z]", "_");
    List<Mlp> plain = train(opt, trainStep(fn, opt));
    Path db = dir.resolve(fn + ".db");
    List<Mlp> recorded;
    try (Recorder r = Recorder.open(db)) {
      recorded = train(opt, trainStep(fn + "_rec", opt));
    }
    for (int t = 0; t < STEPS; t++) {
      List<Array> a = Tree.leaves(plain.get(t));
      List<Array> b = Tree.leaves(recorded.get(t));
      for (int i = 0; i < a.size(); i++) {
        assertArrayEquals(a.get(i).toFloatArray(), b.get(i).toFloatArray(), name + ": recording changed step " + t);
      }
    }
    try (RunStore store = RunStore.open(db)) {
      var grad = Transforms.grad(NormsRecordingTest::loss);
      Map<Long, Double> gw1 = scalar(store, "grad_norm/params.w1");
      assertEquals(STEPS, gw1.size(), name + ": one grad_norm per step");
      Mlp p = init();
      for (int t = 0; t < STEPS; t++) {
        assertRel(norm(grad.apply(p, X, Y).w1()), gw1.get((long) t), 1e-5, name + " grad_norm/params.w1 at step " + t);
        p = recorded.get(t);
      }
      String ir = store.graphs(fn + "_rec").getFirst().irText();
      assertEquals(1, ir.split("tap_norms", -1).length - 1, name + ": one tap in\n" + ir);
      List<String> linked = store.scalars().stream().map(i -> i.path()).filter(n -> n.startsWith("update_norm/")).toList();
      assertTrue(linked.contains("update_norm/" + c.stateLeaf()), name + ": " + linked);
    }
  }

  /** The params after each of STEPS jitted steps from {@link NormsRecordingTest#init}. */
  private static List<Mlp> train(Optim.Optimizer opt, dev.statelens.engine.Fn4<Mlp, Optim.OptState<Mlp>, Array, Array, TrainOut> step) {
    List<Mlp> out = new ArrayList<>();
    Mlp p = init();
    Optim.OptState<Mlp> s = opt.init(p);
    for (int t = 0; t < STEPS; t++) {
      TrainOut o = step.apply(p, s, X, Y);
      p = o.params();
      s = o.optState();
      out.add(p);
    }
    return out;
  }
}
