package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fn4;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.store.CallInfo;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.Stat;
import dev.statelens.engine.trace.JitFunction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradient norms (from Optim's taps and Recorder.gradNorms, computed in the graph and handed over
 * at run time) and update norms (from state links, on the writer thread) recorded as scalars; the
 * traced graph and the jit cache with recording off and on.
 */
@ExtendWith(CloseLeftoverRecorder.class)
class NormsRecordingTest {
  @TempDir Path dir;

  record Mlp(Array w1, Array b1, Array w2) {}

  record TrainOut(Mlp params, Optim.OptState<Mlp> optState, Array loss) {}

  static final Array X = Array.of(DType.F32, new int[] {8, 3},
      0.1f, 0.2f, -0.3f, 0.5f, -0.1f, 0.4f, -0.6f, 0.3f, 0.2f, 0.9f, -0.5f, 0.1f,
      -0.2f, 0.7f, 0.3f, 0.4f, 0.4f, -0.8f, 0.6f, -0.3f, 0.5f, -0.7f, 0.1f, 0.2f);
  static final Array Y = Array.of(DType.F32, new int[] {8, 1}, 0.3f, -0.2f, 0.5f, 0.1f, -0.4f, 0.6f, 0.2f, -0.1f);

  static Mlp init() {
    return new Mlp(Array.of(DType.F32, new int[] {3, 4}, 0.3f, -0.2f, 0.1f, 0.5f, -0.4f, 0.2f, 0.6f, -0.1f, 0.2f,
        0.3f, -0.5f, 0.4f), Array.of(DType.F32, new int[] {4}, 0.1f, 0f, -0.1f, 0.05f),
        Array.of(DType.F32, new int[] {4, 1}, 0.5f, -0.3f, 0.2f, 0.4f));
  }

  static Array loss(Mlp p, Array x, Array y) {
    Array h = x.matmul(p.w1()).add(p.b1()).tanh();
    return h.matmul(p.w2()).sub(y).square().mean();
  }

  static Fn4<Mlp, Optim.OptState<Mlp>, Array, Array, TrainOut> trainStep(String name, Optim.Optimizer opt) {
    var step = Transforms.jit(name, (Mlp p, Optim.OptState<Mlp> s, Array x, Array y) -> {
      var lossAndGrads = Transforms.valueAndGrad(NormsRecordingTest::loss).apply(p, x, y);
      var r = opt.update(lossAndGrads.second(), s, p);
      return new TrainOut(Optim.applyUpdates(p, r.first()), r.second(), lossAndGrads.first());
    });
    Recorder.argNames(step, "params", "optState", "x", "y");
    return step;
  }

  /** Each recorded value of a logged scalar, by step. */
  static Map<Long, Double> scalar(RunStore store, String name) {
    Series s = store.series(store.scalar(name).orElseThrow(() -> new AssertionError("no scalar " + name
        + "; have " + store.scalars().stream().map(i -> i.path()).toList())), Stat.MEAN, 10_000);
    Map<Long, Double> byStep = new TreeMap<>();
    for (int i = 0; i < s.size(); i++) {
      assertEquals(s.firstStep()[i], s.lastStep()[i], "raw points");
      byStep.put(s.firstStep()[i], s.lo()[i]);
    }
    return byStep;
  }

  static double norm(Array a) {
    double s = 0;
    for (float v : a.astype(DType.F32).toFloatArray()) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  static double[] values(RunStore store, String function, long step, String key) {
    LeafSample leaf = store.state(function, step).stream().filter(l -> l.key().equals(key)).findFirst().orElseThrow();
    assertFalse(leaf.sampled());
    return leaf.values();
  }

  static double diffNorm(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (b[i] - a[i]) * (b[i] - a[i]);
    }
    return Math.sqrt(s);
  }

  static void assertRel(double expected, double actual, double rel, String what) {
    assertEquals(expected, actual, Math.max(1e-7, Math.abs(expected) * rel), what);
  }

  @Test
  void adamUnderJitRecordsGradientNormsNamedLikeTheParamsAndUpdateNormsOfEveryStateLink() throws Exception {
    int steps = 12;
    Optim.Optimizer adam = Optim.adam(0.05);
    var step = trainStep("train", adam);
    Path db = dir.resolve("mlp.db");
    List<Mlp> params = new ArrayList<>();
    try (Recorder r = Recorder.open(db)) {
      Mlp p = init();
      Optim.OptState<Mlp> s = adam.init(p);
      for (int t = 0; t < steps; t++) {
        params.add(p);
        TrainOut out = step.apply(p, s, X, Y);
        p = out.params();
        s = out.optState();
      }
      params.add(p);
    }
    try (RunStore store = RunStore.open(db)) {
      // gradient norms: what Transforms.grad gives outside jit, at each step's params
      var grad = Transforms.grad(NormsRecordingTest::loss);
      Map<Long, Double> gw1 = scalar(store, "grad_norm/params.w1");
      Map<Long, Double> gb1 = scalar(store, "grad_norm/params.b1");
      Map<Long, Double> gw2 = scalar(store, "grad_norm/params.w2");
      Map<Long, Double> global = scalar(store, "grad_norm");
      assertEquals(steps, gw1.size());
      for (int t = 0; t < steps; t++) {
        Mlp g = grad.apply(params.get(t), X, Y);
        double n1 = norm(g.w1()), n2 = norm(g.b1()), n3 = norm(g.w2());
        assertRel(n1, gw1.get((long) t), 1e-5, "grad_norm/params.w1 at step " + t);
        assertRel(n2, gb1.get((long) t), 1e-5, "grad_norm/params.b1 at step " + t);
        assertRel(n3, gw2.get((long) t), 1e-5, "grad_norm/params.w2 at step " + t);
        assertRel(Math.sqrt(n1 * n1 + n2 * n2 + n3 * n3), global.get((long) t), 1e-5, "grad_norm at step " + t);
      }
      assertNotEquals(gw1.get(0L), gw1.get(5L), "a norm per step, not one value");

      // update norms: ‖w_{t+1} − w_t‖ from the recorded state, from step 1 (the first linked step)
      Map<Long, Double> uw1 = scalar(store, "update_norm/params.w1");
      Map<Long, Double> ratio = scalar(store, "update_ratio/params.w1");
      Map<Long, Double> uGlobal = scalar(store, "update_norm");
      assertEquals(steps - 1, uw1.size(), uw1.toString());
      assertFalse(uw1.containsKey(0L), "no link before step 1");
      List<String> linked = store.scalars().stream().map(i -> i.path()).filter(n -> n.startsWith("update_norm/"))
          .sorted().toList();
      assertEquals(List.of("update_norm/optState.count", "update_norm/optState.mu.b1", "update_norm/optState.mu.w1",
          "update_norm/optState.mu.w2", "update_norm/optState.nu.b1", "update_norm/optState.nu.w1",
          "update_norm/optState.nu.w2", "update_norm/params.b1", "update_norm/params.w1", "update_norm/params.w2")
          .stream().filter(n -> !n.endsWith("count")).toList(), linked, "every linked floating leaf, not the I32 count");
      for (long t = 1; t < steps; t++) {
        double[] in = values(store, "train", t, "in:params.w1");
        double[] out = values(store, "train", t, "out:params.w1");
        double expected = diffNorm(in, out);
        assertRel(expected, uw1.get(t), 1e-9, "update_norm/params.w1 at step " + t);
        assertRel(diffNorm(toDoubles(params.get((int) t).w1()), toDoubles(params.get((int) t + 1).w1())), uw1.get(t),
            1e-6, "the program's own w_{t+1} - w_t at step " + t);
        double r = ratio.get(t);
        assertTrue(Double.isFinite(r) && r > 0, "update_ratio finite at step " + t + ": " + r);
        assertRel(expected / norm(params.get((int) t).w1()), r, 1e-6, "update_ratio/params.w1 at step " + t);
        double sq = 0;
        for (String n : linked) {
          double v = scalar(store, n).get(t);
          sq += v * v;
        }
        assertRel(Math.sqrt(sq), uGlobal.get(t), 1e-9, "update_norm over all linked leaves at step " + t);
      }
      // the graph that ran holds the tap, named like the params
      String ir = store.graphs("train").getFirst().irText();
      assertTrue(ir.contains("tap_norms"), ir);
      assertTrue(ir.contains("params.w1"), ir);
    }
  }

  static double[] toDoubles(Array a) {
    float[] f = a.toFloatArray();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  @Test
  void sgdRecordsTheSameNormsAsAdamWouldForItsGradients() throws Exception {
    Optim.Optimizer sgd = Optim.sgd(0.1);
    var step = trainStep("sgd", sgd);
    Path db = dir.resolve("sgd.db");
    Mlp p0 = init();
    try (Recorder r = Recorder.open(db)) {
      Mlp p = p0;
      Optim.OptState<Mlp> s = sgd.init(p);
      for (int t = 0; t < 3; t++) {
        p = step.apply(p, s, X, Y).params();
      }
    }
    try (RunStore store = RunStore.open(db)) {
      Mlp g = Transforms.grad(NormsRecordingTest::loss).apply(p0, X, Y);
      assertRel(norm(g.w2()), scalar(store, "grad_norm/params.w2").get(0L), 1e-5, "step 0");
      // SGD: the update is -lr * g, so update_norm/params.w2 = lr * grad_norm/params.w2 at every linked step
      Map<Long, Double> u = scalar(store, "update_norm/params.w2");
      Map<Long, Double> gn = scalar(store, "grad_norm/params.w2");
      for (long t = 1; t < 3; t++) {
        assertRel(0.1 * gn.get(t), u.get(t), 1e-4, "sgd update at step " + t);
      }
    }
  }

  @Test
  void withRecordingOffTheTracedGraphHasNoTapAndIsUnchangedAfterARecording() throws Exception {
    Optim.Optimizer adam = Optim.adam(0.01);
    Mlp p = init();
    Optim.OptState<Mlp> s = adam.init(p);
    Fn4<Mlp, Optim.OptState<Mlp>, Array, Array, TrainOut> body = (pp, ss, x, y) -> {
      var lg = Transforms.valueAndGrad(NormsRecordingTest::loss).apply(pp, x, y);
      var r = adam.update(lg.second(), ss, pp);
      Recorder.gradNorms(lg.second());
      return new TrainOut(Optim.applyUpdates(pp, r.first()), r.second(), lg.first());
    };
    var off = Transforms.makeJaxpr(body, p, s, X, Y);
    assertFalse(off.toString().contains("tap_norms"), off.toString());
    int offEqns = off.eqns().size();
    try (Recorder r = Recorder.open(dir.resolve("on.db"))) {
      var on = Transforms.makeJaxpr(body, p, s, X, Y);
      long taps = on.eqns().stream().filter(e -> e.primitive().name().equals("tap_norms")).count();
      assertEquals(2, taps, "one tap for Optim, one for Recorder.gradNorms");
      assertTrue(on.eqns().size() > offEqns, "the norms are computed in the graph");
    }
    assertEquals(off.toString(), Transforms.makeJaxpr(body, p, s, X, Y).toString(), "recording off again: as before");
  }

  @Test
  void theJitCacheKeepsOneGraphPerRecordingStateOnlyForFunctionsWithTaps() throws Exception {
    Optim.Optimizer sgd = Optim.sgd(0.1);
    var step = trainStep("cached", sgd);
    var plain = Programs.linregStep("plain", 0.01);
    JitFunction stepFn = Transforms.jitInfo(step);
    JitFunction plainFn = Transforms.jitInfo(plain);
    Mlp p = init();
    Optim.OptState<Mlp> s = sgd.init(p);
    step.apply(p, s, X, Y);
    plain.apply(Programs.init(), Programs.XS, Programs.YS);
    assertEquals(1, stepFn.graphs().size());
    assertFalse(stepFn.graphs().getFirst().jaxpr().toString().contains("tap_norms"));

    Path db = dir.resolve("cache.db");
    try (Recorder r = Recorder.open(db)) {
      step.apply(p, s, X, Y);
      step.apply(p, s, X, Y);
      plain.apply(Programs.init(), Programs.XS, Programs.YS);
    }
    assertEquals(2, stepFn.graphs().size(), "recording on: a graph with the tap");
    assertTrue(stepFn.graphs().get(1).jaxpr().toString().contains("tap_norms"));
    assertEquals(1, plainFn.graphs().size(), "a function without taps is not retraced");
    try (RunStore store = RunStore.open(db)) {
      List<CallInfo> calls = store.calls("cached", 0, 10);
      assertTrue(calls.get(0).compiled());
      assertTrue(calls.get(0).retraceReason().startsWith("recording started"), calls.get(0).retraceReason());
      assertFalse(calls.get(1).compiled());
      assertFalse(store.calls("plain", 0, 10).get(0).compiled(), "plain reuses its graph");
      assertEquals(2, scalar(store, "grad_norm").size());
    }

    // recording off again: the first graph, from the cache (no third trace); on again: the second
    step.apply(p, s, X, Y);
    assertEquals(2, stepFn.graphs().size());
    try (Recorder r = Recorder.open(dir.resolve("again.db"))) {
      step.apply(p, s, X, Y);
    }
    assertEquals(2, stepFn.graphs().size());
    try (RunStore store = RunStore.open(dir.resolve("again.db"))) {
      assertFalse(store.calls("cached", 0, 10).get(0).compiled());
      assertEquals(1, scalar(store, "grad_norm").size());
    }
  }

  @Test
  void recorderGradNormsAndTapNormsWorkInUserCodeInsideJitAndEagerly() throws Exception {
    var step = Transforms.jit("manual", (Programs.Params p, Array x, Array y) -> {
      Array err = p.w().mul(x).add(p.b()).sub(y);
      Programs.Params g = new Programs.Params(err.mul(x).mean().mul(2), err.mean().mul(2));
      Recorder.gradNorms(g);
      Recorder.tapNorms("weights", p);
      return new Programs.StepOut(new Programs.Params(p.w().sub(g.w().mul(0.01)), p.b().sub(g.b().mul(0.01))),
          err.square().mean());
    });
    Path db = dir.resolve("manual.db");
    List<Programs.Params> seen = new ArrayList<>();
    try (Recorder r = Recorder.open(db)) {
      Programs.Params p = Programs.init();
      for (int t = 0; t < 4; t++) {
        seen.add(p);
        p = step.apply(p, Programs.XS, Programs.YS).params();
      }
      Recorder.gradNorms(new Programs.Params(Array.scalar(3f), Array.scalar(4f))); // eager: at the latest step
    }
    try (RunStore store = RunStore.open(db)) {
      for (int t = 0; t < 4; t++) {
        Programs.Params p = seen.get(t);
        Array err = p.w().mul(Programs.XS).add(p.b()).sub(Programs.YS);
        double gw = Math.abs(err.mul(Programs.XS).mean().mul(2).item());
        if (t < 3) { // step 3's gradient norms are replaced by the eager call below
          assertRel(gw, scalar(store, "grad_norm/.w").get((long) t), 1e-5, "grad_norm/.w at " + t);
        }
        assertRel(Math.abs(p.w().item()), scalar(store, "weights/.w").get((long) t), 1e-6, "weights/.w at " + t);
        assertRel(Math.hypot(p.w().item(), p.b().item()), scalar(store, "weights").get((long) t), 1e-5, "weights");
      }
      assertEquals(3.0, scalar(store, "grad_norm/.w").get(3L), 1e-6, "the eager call replaced step 3's values");
      assertEquals(5.0, scalar(store, "grad_norm").get(3L), 1e-6);
    }
    assertThrows(IllegalArgumentException.class, () -> Recorder.tapNorms("a/b", Programs.init()));
  }

  @Test
  void switchedOffNoTapsAndNoUpdateNorms() throws Exception {
    Optim.Optimizer sgd = Optim.sgd(0.1);
    var step = trainStep("quiet", sgd);
    Path db = dir.resolve("quiet.db");
    System.setProperty("statelens.record.norms", "false");
    try (Recorder r = Recorder.open(db)) {
      Mlp p = init();
      Optim.OptState<Mlp> s = sgd.init(p);
      for (int t = 0; t < 3; t++) {
        p = step.apply(p, s, X, Y).params();
      }
    } finally {
      System.clearProperty("statelens.record.norms");
    }
    try (RunStore store = RunStore.open(db)) {
      assertEquals(List.of("loss"), store.scalars().stream().map(i -> i.path()).toList());
      assertFalse(store.graphs("quiet").getFirst().irText().contains("tap_norms"));
      assertEquals(3, store.calls("quiet", 0, 10).size());
    }
  }

  @Test
  void theWritersFastScalarSummaryIsTheGeneralOne() {
    for (double v : new double[] {0, -2.5, 1e-3, 3e7, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      var fast = dev.statelens.engine.record.store.LeafStats.scalar(v);
      var general = dev.statelens.engine.record.store.LeafStats.of(DType.F64, new int[0], new double[] {v}, 1);
      assertEquals(general, fast, "values, counts, shape for " + v);
      assertEquals(general.min(), fast.min());
      assertEquals(general.max(), fast.max());
      assertEquals(general.mean(), fast.mean());
      assertEquals(general.std(), fast.std());
      assertEquals(general.norm(), fast.norm());
      assertEquals(general.size(), fast.size());
      assertEquals(general.sampled(), fast.sampled());
    }
  }

  @Test
  void tapsAreTransparentToGradAndVmapOfTheTracedFunction() throws Exception {
    try (Recorder r = Recorder.open(dir.resolve("grad.db"))) {
      var f = Transforms.jit("tapped", (Array x) -> {
        Recorder.tapNorms("x", x);
        return x.square().sum();
      });
      Array g = Transforms.grad(f).apply(Array.of(1f, 2f));
      assertEquals(List.of(2f, 4f), List.of(g.toFloatArray()[0], g.toFloatArray()[1]));
      Array v = Transforms.vmap(f).apply(Array.of(DType.F32, new int[] {2, 2}, 1f, 2f, 3f, 4f));
      assertEquals(25f, v.toFloatArray()[1]);
    }
  }
}
