package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.chart.ChartLine;
import dev.statelens.debugger.chart.ChartSpec;
import dev.statelens.debugger.chart.NormLines;
import dev.statelens.debugger.model.StateNode;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.Stat;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.eclipse.jface.viewers.StructuredSelection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The State Flow view's "Gradient & update norms" chart on runs recorded in this JVM. */
class NormsChartTest {
  static final int STEPS = 40;

  @TempDir
  Path dir;

  record Params(Array w, Array b) {}

  record StepOut(Params params, Array loss) {}

  static Array loss(Params p, Array x, Array y) {
    return p.w().mul(x).add(p.b()).sub(y).square().mean();
  }

  /** Linear regression trained by Optim.sgd inside the jitted step: the recorder taps the gradient norms. */
  static Path sgdRun(Path db) {
    Optim.Optimizer sgd = Optim.sgd(0.02);
    Fn3<Params, Array, Array, StepOut> update = Transforms.jit(Fixtures.FUNCTION, (Params p, Array x, Array y) -> {
      var lg = Transforms.valueAndGrad(NormsChartTest::loss).apply(p, x, y);
      var r = sgd.update(lg.second(), sgd.init(p), p);
      return new StepOut(Optim.applyUpdates(p, r.first()), lg.first());
    });
    Recorder.argNames(update, "params", "x", "y");
    try (Recorder r = Recorder.open(db)) {
      Params p = new Params(Array.scalar(0.5f), Array.scalar(0f));
      Array x = Fixtures.xs(8);
      Array y = x.mul(2).sub(1);
      for (int i = 0; i < STEPS; i++) {
        p = update.apply(p, x, y).params();
      }
    }
    return db;
  }

  @AfterEach
  void close() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  /** The chart's line {@code name} holds what the store holds for that scalar, point for point. */
  static void assertLineMatchesStore(List<ChartLine> lines, String name, Path db) {
    ChartLine line = lines.stream().filter(l -> l.label().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no line " + name + " in " + lines.stream().map(ChartLine::label).toList()));
    Series charted = line.series();
    try (RunStore store = RunStore.open(db)) {
      Series stored = store.series(store.scalar(name).orElseThrow(), Stat.MEAN, 10_000);
      assertEquals(stored.size(), charted.size(), name + ": one point per step at this width");
      for (int i = 0; i < stored.size(); i++) {
        assertEquals(stored.firstStep()[i], charted.firstStep()[i], name);
        assertEquals(stored.lo()[i], charted.lo()[i], 0, name + " at step " + stored.firstStep()[i]);
        assertEquals(stored.hi()[i], charted.hi()[i], 0, name + " at step " + stored.firstStep()[i]);
      }
      assertTrue(stored.size() >= STEPS - 1, name + " has its steps: " + stored.size());
    }
  }

  @Test
  void chartsGlobalNormsThenTheSelectedLeafsNormsOnALogAxisMatchingTheStore() {
    Path db = sgdRun(dir.resolve("sgd.db"));
    StateFlowView view = StateFlowViewTest.show(db);
    ChartSpec spec = Ui.call(() -> view.normsChart().spec());
    assertTrue(spec.logY(), "log y by default");
    assertEquals("Gradient & update norms", spec.title());
    assertEquals(List.of("grad_norm", "update_norm"), spec.lines().stream().map(ChartLine::label).toList());
    assertLineMatchesStore(spec.lines(), "grad_norm", db);
    assertLineMatchesStore(spec.lines(), "update_norm", db);
    // the scalars chart leaves the norms to this chart
    List<String> scalars = Ui.call(() -> view.scalarChart().spec().lines().stream().map(ChartLine::label).toList());
    assertEquals(List.of("loss"), scalars);

    Ui.run(() -> view.tree().setSelection(new StructuredSelection(StateNode.find(view.stepState().roots(), "in:params.w"))));
    Ui.settle();
    List<ChartLine> lines = Ui.call(() -> view.normsChart().spec().lines());
    assertEquals(List.of("grad_norm", "update_norm", "grad_norm/params.w", "update_norm/params.w", "update_ratio/params.w"),
        lines.stream().map(ChartLine::label).toList());
    for (String name : List.of("grad_norm/params.w", "update_norm/params.w", "update_ratio/params.w")) {
      assertLineMatchesStore(lines, name, db);
    }
    // SGD: each update is lr * gradient
    Series g = lines.get(2).series();
    Series u = lines.get(3).series();
    int last = u.size() - 1;
    assertEquals(g.lastStep()[g.size() - 1], u.lastStep()[last]);
    assertEquals(0.02 * g.lo()[g.size() - 1], u.lo()[last], 1e-4 * u.lo()[last]);

    // clicking the chart selects the step, and the crosshair follows
    Ui.run(() -> view.selectStep(7));
    Ui.settle();
    assertEquals(7, Ui.call(() -> view.normsChart().spec().selectedStep()));
    Ui.run(() -> view.setChartOptions(false, 0.5));
    Ui.settle();
    assertEquals(0.5, Ui.call(() -> view.normsChart().spec().smoothing()), 1e-9, "shares the smoothing");
  }

  @Test
  void aRunWithoutGradientNormsSaysWhyAndARunWithoutAnyNormsShowsTheHint() {
    // the linreg fixture computes its gradient by hand: update norms only
    Path linreg = Fixtures.linreg(dir.resolve("linreg.db"), 20, 0.02, -1, -1);
    StateFlowView v = StateFlowViewTest.show(linreg);
    ChartSpec spec = Ui.call(() -> v.normsChart().spec());
    assertTrue(spec.title().contains("no gradient norms: use Optim or Recorder.gradNorms"), spec.title());
    assertEquals(List.of("update_norm"), spec.lines().stream().map(ChartLine::label).toList());

    // no state, no optimizer: nothing to chart, a hint instead
    Path plain = dir.resolve("plain.db");
    Function<Array, Array> f = Transforms.jit("double", (Array x) -> x.mul(2));
    try (Recorder r = Recorder.open(plain)) {
      Array x = Array.of(DType.F32, new int[] {2}, 1, 2);
      for (int i = 0; i < 5; i++) {
        f.apply(x);
      }
    }
    StateFlowView w = StateFlowViewTest.show(plain);
    assertNull(Ui.call(() -> w.normsChart().spec()));
    assertEquals(NormLines.HINT, Ui.call(() -> w.normsChart().placeholder()));
    assertFalse(NormLines.HINT.isBlank());
    // no logged scalars: the scalar chart steps aside, the norms chart keeps its room (it was hidden)
    assertFalse(Ui.call(() -> w.scalarChart().getVisible()));
    assertTrue(Ui.call(() -> w.normsChart().getVisible() && w.normsChart().getSize().y > 0));
    // and a run with scalars shows it again
    StateFlowView again = StateFlowViewTest.show(linreg);
    Ui.settle();
    assertTrue(Ui.call(() -> again.scalarChart().getVisible() && again.scalarChart().getSize().y > 0));
  }
}
