package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.chart.ChartLine;
import dev.statelens.debugger.model.StateNode;
import dev.statelens.debugger.model.StepState;
import dev.statelens.debugger.ui.DebuggerPerspective;
import dev.statelens.debugger.ui.FlowCanvas;
import dev.statelens.debugger.ui.OpenRunHandler;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.debugger.ui.StateTreeLabels;
import dev.statelens.engine.record.store.EventKind;
import dev.statelens.engine.record.store.LeafDiff;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.StepDiff;
import dev.statelens.test.support.Widgets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the State Flow view on runs recorded by the engine's Recorder in this JVM. */
class StateFlowViewTest {
  static final int STEPS = 60;
  static final int RETRACE_AT = 25;
  static final int STALE_AT = 40;

  @TempDir
  static Path dir;
  static Path run;
  StateFlowView view;

  @BeforeAll
  static void record() {
    run = Fixtures.linreg(dir.resolve("linreg.db"), STEPS, 0.02, RETRACE_AT, STALE_AT);
  }

  @BeforeEach
  void open() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove); // each test starts on a fresh Run
    view = show(run);
  }

  /** File > Open Run… on {@code file} in the StateLens perspective, then waits until the view has read it. */
  static StateFlowView show(Path file) {
    StateFlowView v = Ui.call(() -> {
      try {
        var wb = org.eclipse.ui.PlatformUI.getWorkbench();
        Ui.page().setPerspective(wb.getPerspectiveRegistry().findPerspectiveWithId(DebuggerPerspective.ID));
        // as the perspective opens: the editor area (shown by an earlier test's Go to Source) hidden
        Ui.page().closeAllEditors(false);
        Ui.page().setEditorAreaVisible(false);
        wb.getActiveWorkbenchWindow().getShell().setSize(1400, 900);
        return OpenRunHandler.open(Ui.page(), file);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    Ui.settle();
    return v;
  }

  @AfterAll
  static void close() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  @Test
  void opensTheRunAtItsLastStepWithTheStateTree() {
    assertEquals(Fixtures.FUNCTION, Ui.call(view::function));
    assertEquals(0, Ui.call(() -> view.timeline().first()));
    assertEquals(STEPS - 1, Ui.call(() -> view.timeline().last()));
    assertEquals(STEPS - 1, Ui.call(view::step));
    StepState s = Ui.call(view::stepState);
    assertNotNull(s);
    assertEquals(STEPS - 1, s.step());
    List<String> keys = s.leaves().stream().map(StateNode::key).toList();
    assertTrue(keys.containsAll(List.of("in:params.w", "in:params.b", "in:x", "in:y", "out:params.w", "out:params.b",
        "out:loss")), keys.toString());
    // the tree shows what the store holds
    try (RunStore store = RunStore.open(run)) {
      for (LeafSample leaf : store.state(Fixtures.FUNCTION, STEPS - 1)) {
        StateNode n = StateNode.find(s.roots(), leaf.key());
        assertNotNull(n, leaf.key());
        assertEquals(leaf.values()[0], n.sample().values()[0], leaf.key());
      }
    }
    // and the Runs view lists it with its call count
    assertTrue(DebuggerPlugin.runs().all().stream().anyMatch(r -> r.path().equals(run.toAbsolutePath().normalize())));
  }

  /**
   * A run whose jitted batch sampler is called as often as the step, and first (the transformer
   * example): the view opens on the step, the function that threads state, not on the sampler;
   * the user's choice in the combo is kept.
   */
  @Test
  void opensOnTheFunctionThatThreadsStateNotOnAHelperCalledAsOften() {
    Path sampled = Fixtures.withBatchSampler(dir.resolve("sampler.db"), 12);
    try (RunStore store = RunStore.open(sampled)) {
      assertEquals(List.of("sample_batch", Fixtures.FUNCTION), store.functions().stream().map(f -> f.name()).toList(),
          "the sampler is recorded first");
      assertEquals(store.functions().get(0).calls(), store.functions().get(1).calls(), "as many calls");
    }
    StateFlowView v = show(sampled);
    assertEquals(Fixtures.FUNCTION, Ui.call(v::function));
    assertEquals(11, Ui.call(v::step));
    assertTrue(Ui.call(() -> v.stepState().leaves().stream().anyMatch(n -> n.key().equals("in:params.w"))));
    Ui.run(() -> v.selectFunction("sample_batch"));
    Ui.settle();
    assertEquals("sample_batch", Ui.call(v::function), "the user's choice");
  }

  /**
   * While a run is recorded its first summary cannot tell the step from a helper jitted before it
   * (the threading shows from the step's second call): the view follows the step once it shows,
   * and keeps the function the user picks after that.
   */
  @Test
  void aRunBeingRecordedFollowsTheStepUntilTheUserPicks() throws Exception {
    Path db = dir.resolve("live-sampler.db");
    var update = Fixtures.step(0.02);
    java.util.function.Function<dev.statelens.engine.Array, dev.statelens.engine.Pair<dev.statelens.engine.Array,
        dev.statelens.engine.Array>> sample = dev.statelens.engine.Transforms.jit("sample_batch",
            (dev.statelens.engine.Array x) -> dev.statelens.engine.Pair.of(x, x.mul(2).sub(1)));
    try (dev.statelens.engine.record.Recorder r = dev.statelens.engine.record.Recorder.open(db)) {
      Fixtures.Params p = new Fixtures.Params(dev.statelens.engine.Array.scalar(0.5), dev.statelens.engine.Array.scalar(0));
      var batch = sample.apply(Fixtures.xs(8));
      p = update.apply(p, batch.first(), batch.second()).params();
      r.flush();
      StateFlowView v = show(db);
      for (int i = 1; i < 4; i++) {
        batch = sample.apply(Fixtures.xs(8));
        p = update.apply(p, batch.first(), batch.second()).params();
      }
      r.flush();
      LiveRunTest.await("the view on update", () -> Fixtures.FUNCTION.equals(Ui.call(v::function)));
      Ui.run(() -> v.selectFunction("sample_batch"));
      for (int i = 0; i < 3; i++) {
        batch = sample.apply(Fixtures.xs(8));
        p = update.apply(p, batch.first(), batch.second()).params();
      }
      r.flush();
      LiveRunTest.await("the re-read of step 6", () -> Ui.call(() -> v.timeline().last()) == 6);
      Thread.sleep(1500); // another re-read
      assertEquals("sample_batch", Ui.call(v::function), "the user's choice holds while the run grows");
    }
  }

  @Test
  void timelineTreeAndChartsStayInSync() throws Exception {
    Ui.run(() -> view.selectStep(10));
    Ui.settle();
    assertEquals(10, Ui.call(view::step));
    StepState s = Ui.call(view::stepState);
    assertEquals(10, s.step());
    assertEquals(10, Ui.call(() -> view.scalarChart().spec().selectedStep()));
    try (RunStore store = RunStore.open(run)) {
      double w10 = store.state(Fixtures.FUNCTION, 10).stream().filter(l -> l.key().equals("out:params.w"))
          .findFirst().orElseThrow().values()[0];
      assertEquals(w10, StateNode.find(s.roots(), "out:params.w").sample().values()[0]);
      // Δ column: signed change of the scalar from step 9
      double w9 = store.state(Fixtures.FUNCTION, 9).stream().filter(l -> l.key().equals("out:params.w"))
          .findFirst().orElseThrow().values()[0];
      String delta = new StateTreeLabels().getColumnText(StateNode.find(s.roots(), "out:params.w"), 4);
      assertEquals(w10 - w9, Double.parseDouble(delta), Math.abs(w10 - w9) * 1e-4, delta);
    }
    // clicking the chart at a step's pixel selects that step
    int x = Ui.call(() -> {
      var r = view.scalarChart().rendered();
      var area = r.dataArea();
      for (int px = (int) area.getMinX(); px <= area.getMaxX(); px++) {
        if (r.stepAt(px) == 30) {
          return px;
        }
      }
      return -1;
    });
    assertTrue(x > 0, "no pixel column maps to step 30");
    Ui.run(() -> {
      Event e = new Event();
      e.x = x;
      e.y = 40;
      e.button = 1;
      e.count = 1;
      view.scalarChart().notifyListeners(SWT.MouseUp, e);
    });
    Ui.settle();
    assertEquals(30, Ui.call(view::step));
    assertEquals(30, Ui.call(view::stepState).step());
    // selecting a leaf charts its trajectory
    Ui.run(() -> view.tree().setSelection(new org.eclipse.jface.viewers.StructuredSelection(
        StateNode.find(view.stepState().roots(), "out:params.b"))));
    Ui.settle();
    List<ChartLine> lines = Ui.call(() -> view.leafChart().spec().lines());
    assertEquals(1, lines.size());
    assertTrue(lines.getFirst().label().contains("params.b"), lines.getFirst().label());
  }

  @Test
  void stateFlowFitsItsPaneAndItsBoxesAreHit() {
    Ui.run(() -> {
      view.selectStep(10);
      view.selectTab("State flow");
    });
    Ui.settle();
    record Drawn(int paneWidth, int canvasWidth, java.util.Map<org.eclipse.swt.graphics.Rectangle, StateNode> boxes,
        org.eclipse.swt.graphics.Rectangle function, boolean fourColumns, List<String> hits, String tip) {}
    Drawn d = Ui.call(() -> {
      var flow = view.flowCanvas();
      var pane = (org.eclipse.swt.custom.ScrolledComposite) flow.getParent();
      flow.redraw();
      flow.update(); // paint now: the boxes are laid out while painting
      var boxes = flow.leafBoxes();
      List<String> hits = new java.util.ArrayList<>();
      for (var e : boxes.entrySet()) {
        var r = e.getKey();
        StateNode at = flow.leafAt(r.x + r.width / 2, r.y + r.height / 2);
        hits.add(e.getValue().key() + (at == e.getValue() ? "" : " hit " + at));
      }
      var out = boxes.entrySet().stream().filter(e -> e.getValue().key().equals("out:params.w")).findFirst().orElseThrow();
      String tip = flow.tooltipAt(out.getKey().x + 4, out.getKey().y + 4);
      return new Drawn(pane.getClientArea().width, flow.getSize().x, boxes, flow.functionBox(),
          FlowCanvas.columns(flow.getClientArea().width).showsNextStep(), hits, tip);
    });
    assertTrue(d.paneWidth() < 700, "the view's pane beside the tree is narrow: " + d.paneWidth());
    assertEquals(d.paneWidth(), d.canvasWidth(), "the picture fits the pane: no horizontal scrolling");
    assertTrue(!d.fourColumns(), "a narrow pane gets three columns");
    // every input and output leaf has a box, inside the pane, and a click at its centre finds that leaf
    StepState s = Ui.call(view::stepState);
    assertEquals(s.leaves("in").size() + s.leaves("out").size(), d.boxes().size());
    for (var r : d.boxes().keySet()) {
      assertTrue(r.x >= 0 && r.x + r.width <= d.paneWidth(), r + " outside the pane of " + d.paneWidth());
      assertTrue(!r.intersects(d.function()), r + " overlaps the function " + d.function());
    }
    assertTrue(d.function().x + d.function().width <= d.paneWidth(), d.function().toString());
    assertTrue(d.hits().stream().noneMatch(h -> h.contains(" hit ")), d.hits().toString());
    // the threading the fourth column drew is in the output's tooltip
    assertEquals("params.w\nbecomes params.w of step 11 (same array)", d.tip());
    Ui.run(() -> view.selectTab("Charts"));
  }

  @Test
  void flowColumnsAreFourWhenTheyFitElseThree() {
    for (int w = 200; w <= 1600; w += 10) {
      FlowCanvas.Columns c = FlowCanvas.columns(w);
      assertTrue(c.xIn() + c.leafW() < c.xFn() && c.xFn() + c.fnW() < c.xOut(), w + ": " + c);
      if (c.showsNextStep()) {
        assertTrue(c.xOut() + c.leafW() < c.xNext(), w + ": " + c);
        assertTrue(c.leafW() >= 150, w + ": " + c);
      }
      if (c.width() > w) {
        assertTrue(!c.showsNextStep() && c.leafW() == FlowCanvas.columns(0).leafW(),
            "only the narrowest three columns are wider than the pane: " + w + ": " + c);
      }
    }
    assertTrue(FlowCanvas.columns(1000).showsNextStep());
    assertTrue(!FlowCanvas.columns(550).showsNextStep());
    assertTrue(FlowCanvas.columns(550).width() <= 550 && FlowCanvas.columns(550).leafW() >= 150,
        "a 550-pixel pane: two leaf columns as wide as four used to be: " + FlowCanvas.columns(550));
    assertTrue(FlowCanvas.columns(0).width() <= 480, "the least width " + FlowCanvas.columns(0));
  }

  @Test
  void diffOfTwoChosenStepsMatchesTheStore() {
    Ui.run(() -> view.compare(5, 12));
    Ui.settle();
    StepDiff d = Ui.call(view::diff);
    assertEquals(5, d.stepA());
    assertEquals(12, d.stepB());
    LeafDiff w = d.leaves().stream().filter(l -> l.role().equals("out") && l.path().equals("params.w")).findFirst()
        .orElseThrow();
    assertTrue(w.changed());
    assertEquals(Math.abs(w.b().values()[0] - w.a().values()[0]), w.maxAbsDelta(), 1e-12);
    LeafDiff x = d.leaves().stream().filter(l -> l.path().equals("x")).findFirst().orElseThrow();
    assertTrue(!x.changed(), "the data x does not change between steps 5 and 12");
  }

  /** "Changed only" and the summary after it are apart, not run together ("Changed only step 198 → 199: …"). */
  @Test
  void theDiffSummaryStandsApartFromTheChangedOnlyBox() {
    Ui.run(() -> view.selectTab("Diff"));
    Ui.settle();
    Ui.run(() -> {
      org.eclipse.swt.widgets.Button box = Widgets.checkBox(view.getViewSite().getShell(), "Changed only");
      var summary = (org.eclipse.swt.widgets.Label) Widgets.next(box);
      assertTrue(summary.getText().contains("leaves changed"), summary.getText());
      // laid out on one row, as in a pane wide enough (a narrow one wraps the bar's row)
      var bar = box.getParent();
      var before = bar.getSize();
      bar.setSize(bar.computeSize(SWT.DEFAULT, SWT.DEFAULT));
      bar.layout(true);
      var b = box.getBounds();
      var s = summary.getBounds();
      bar.setSize(before);
      bar.getParent().layout(true, true);
      assertEquals(b.y + b.height / 2, s.y + s.height / 2, 2, "one row: " + b + " " + s);
      int gap = s.x - (b.x + b.width);
      assertTrue(gap >= 8, "the summary starts " + gap + " px after the check box");
    });
  }

  /** Opening the Diff tab compares the last two steps its spinners hold, without a click on Compare. */
  @Test
  void theDiffTabComparesTheLastTwoStepsWhenOpened() {
    assertNull(Ui.call(view::diff), "nothing compared before the tab is opened");
    Ui.run(() -> view.selectTab("Diff"));
    Ui.settle();
    StepDiff d = Ui.call(view::diff);
    assertNotNull(d, "the tab opened on an empty table that asked for a click");
    assertEquals(STEPS - 2, d.stepA());
    assertEquals(STEPS - 1, d.stepB());
    // a pair the user compared stays: opening the tab again does not replace it
    Ui.run(() -> {
      view.compare(5, 12);
      view.selectTab("Charts");
    });
    Ui.settle();
    Ui.run(() -> view.selectTab("Diff"));
    Ui.settle();
    assertEquals(5, Ui.call(view::diff).stepA());
    Ui.run(() -> view.selectTab("Charts"));
  }

  /**
   * A run that grows while shown (a launch, or a program recording it now): the Diff's pair follows
   * its last two steps until the user sets one. It stayed on the pair of the first read, so a
   * launched run's Diff opened on steps 1 → 2 of 200.
   */
  @Test
  void theDiffFollowsTheLastTwoStepsOfAGrowingRun() throws Exception {
    Path db = dir.resolve("growing-diff.db");
    var recorder = dev.statelens.engine.record.Recorder.open(db);
    try {
      Fixtures.train(3);
      recorder.flush();
      StateFlowView v = show(db);
      Fixtures.train(20);
      recorder.flush();
      long deadline = System.currentTimeMillis() + 20_000;
      while (!Ui.call(v::status).startsWith("23 calls") && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
        Ui.settle();
      }
      assertTrue(Ui.call(v::status).startsWith("23 calls"), Ui.call(v::status));
      Ui.run(() -> v.selectTab("Diff"));
      Ui.settle();
      StepDiff d = Ui.call(v::diff);
      assertNotNull(d);
      assertEquals(List.of(21L, 22L), List.of(d.stepA(), d.stepB()), "the last two steps, not the first read's 1 → 2");
      // once compared, the pair is the user's: more steps do not move it
      Ui.run(() -> v.compare(4, 9));
      Fixtures.train(5);
      recorder.flush();
      deadline = System.currentTimeMillis() + 20_000;
      while (!Ui.call(v::status).startsWith("28 calls") && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
        Ui.settle();
      }
      assertEquals(List.of(4L, 9L), List.of(Ui.call(v::diff).stepA(), Ui.call(v::diff).stepB()));
      Ui.run(() -> v.selectTab("Charts"));
    } finally {
      recorder.close();
      DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    }
  }

  @Test
  void eventsAreMarkedAndJumpedTo() {
    Ui.run(() -> view.selectStep(0));
    Ui.settle();
    assertEquals(RETRACE_AT, Ui.call(() -> view.jumpToEvent(true)));
    Ui.settle();
    assertEquals(RETRACE_AT, Ui.call(view::step));
    StepState s = Ui.call(view::stepState);
    assertTrue(s.events().stream().anyMatch(e -> e.kind().equals(EventKind.RETRACE)), s.events().toString());
    assertEquals(STALE_AT, Ui.call(() -> view.jumpToEvent(true)));
    Ui.settle();
    s = Ui.call(view::stepState);
    assertEquals(STALE_AT, s.step());
    assertTrue(s.staleInputs().stream().anyMatch(p -> p.startsWith("params")), s.events().toString());
    assertEquals(-1, Ui.call(() -> view.jumpToEvent(true)), "no event after the stale state");
    assertEquals(RETRACE_AT, Ui.call(() -> view.jumpToEvent(false)));
  }

  /** The event list follows the step: its event there, else "no event at step N" (it went blank). */
  @Test
  void eventListShowsTheSelectedStepsEventOrSaysThereIsNone() throws Exception {
    Ui.run(() -> view.selectStep(10));
    Ui.settle();
    assertEquals("no event at step 10", Ui.call(view::eventShown));
    Ui.run(() -> view.selectStep(RETRACE_AT));
    Ui.settle();
    assertEquals("step " + RETRACE_AT + ": retrace", Ui.call(view::eventShown));
    Ui.run(() -> view.selectStep(STALE_AT + 1));
    Ui.settle();
    assertEquals("no event at step " + (STALE_AT + 1), Ui.call(view::eventShown));
    assertEquals(STALE_AT, Ui.call(() -> view.jumpToEvent(false)));
    Ui.settle();
    String stale = Ui.call(view::eventShown);
    assertTrue(stale.startsWith("step " + STALE_AT + ": stale state in params"), stale);
    assertEquals(RETRACE_AT, Ui.call(() -> view.jumpToEvent(false)));
    Ui.settle();
    assertEquals("step " + RETRACE_AT + ": retrace", Ui.call(view::eventShown));
    try (RunStore store = RunStore.open(run)) {
      assertEquals("Events (" + store.events().size() + "):", Ui.call(view::eventsLabel),
          "the \"no event\" entry is not counted as an event");
    }
  }

  /**
   * With nothing selected the leaf chart shows the outputs but not an integer step count (Adam's
   * count climbs 0…N and flattened every parameter's line to the axis).
   */
  @Test
  void theDefaultLeafChartLeavesOutIntegerCounters() throws Exception {
    Path counted = Fixtures.withCounter(dir.resolve("counted.db"), 30);
    StateFlowView v = show(counted);
    assertTrue(Ui.call(() -> v.stepState().leaves("out").stream().anyMatch(n -> n.path().equals("state.count"))),
        "the run has the counter among its outputs");
    List<String> labels = Ui.call(() -> v.leafChart().spec().lines().stream().map(ChartLine::label).toList());
    assertTrue(labels.contains("out state.params.w") && labels.contains("out loss"), labels.toString());
    assertTrue(labels.stream().noneMatch(l -> l.contains("count")), labels.toString());
    // selected, it is charted
    Ui.run(() -> v.tree().setSelection(new org.eclipse.jface.viewers.StructuredSelection(
        StateNode.find(v.stepState().roots(), "out:state.count")), true));
    Ui.settle();
    assertEquals(List.of("out state.count"),
        Ui.call(() -> v.leafChart().spec().lines().stream().map(ChartLine::label).toList()));
  }

  @Test
  void chartsDownsampleToPixelsAndKeepEveryValueInsideItsPoint() throws Exception {
    Path big = Fixtures.linreg(dir.resolve("long.db"), 3000, 0.02, -1, -1);
    StateFlowView v = show(big);
    try {
      int width = Ui.call(() -> v.scalarChart().getClientArea().width);
      List<ChartLine> lines = Ui.call(() -> v.scalarChart().spec().lines());
      ChartLine loss = lines.stream().filter(l -> l.label().equals("loss")).findFirst().orElseThrow();
      var series = loss.series();
      assertTrue(series.size() <= Math.max(2, width), series.size() + " points for " + width + " pixels");
      assertTrue(series.size() < 3000, "3000 steps are downsampled");
      try (RunStore store = RunStore.open(big)) {
        List<LeafSample> raw = store.samples(store.scalar("loss").orElseThrow(), 0, 2999);
        assertEquals(3000, raw.size());
        int checked = 0;
        for (LeafSample s : raw) {
          for (int i = 0; i < series.size(); i++) {
            if (s.step() >= series.firstStep()[i] && s.step() <= series.lastStep()[i]) {
              double val = s.values()[0];
              assertTrue(val >= series.lo()[i] - 1e-6 * Math.abs(val) && val <= series.hi()[i] + 1e-6 * Math.abs(val),
                  "step " + s.step() + " value " + val + " outside [" + series.lo()[i] + ", " + series.hi()[i] + "]");
              checked++;
              break;
            }
          }
        }
        assertTrue(checked > 2900, "buckets cover the steps: " + checked);
      }
      // log y and smoothing redraw without losing points
      Ui.run(() -> v.setChartOptions(true, 0.9));
      Ui.settle();
      assertTrue(Ui.call(() -> v.scalarChart().spec().logY()));
      assertEquals(0.9, Ui.call(() -> v.scalarChart().spec().smoothing()), 1e-9);
      // export
      Path png = dir.resolve("charts.png");
      Path csv = dir.resolve("charts.csv");
      Ui.run(() -> {
        try {
          v.exportPng(png);
          v.exportCsv(csv);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      assertTrue(Files.size(png) > 1000);
      List<String> rows = Files.readAllLines(csv);
      assertEquals("series,first_step,last_step,min,max", rows.getFirst());
      assertTrue(rows.size() > series.size(), "all charted points exported");
    } finally {
      DebuggerPlugin.runs().all().stream().filter(r -> !r.path().endsWith("linreg.db")).forEach(DebuggerPlugin.runs()::remove);
    }
  }

  @Test
  void nanBadgesAndFirstNanEventOnADivergingRun() throws Exception {
    Path bad = Fixtures.diverging(dir.resolve("diverge.db"), 200);
    StateFlowView v = show(bad);
    try {
      long nanStep;
      try (RunStore store = RunStore.open(bad)) {
        nanStep = store.events(EventKind.FIRST_NAN).stream().mapToLong(e -> e.step()).min().orElseThrow();
      }
      Ui.run(() -> v.selectStep(0));
      Ui.settle();
      // jump through events until the first NaN
      long at = -1;
      for (int i = 0; i < 10 && at != nanStep; i++) {
        at = Ui.call(() -> v.jumpToEvent(true));
        Ui.settle();
      }
      assertEquals(nanStep, at);
      StepState s = Ui.call(v::stepState);
      StateNode out = s.roots().stream().filter(r -> r.role().equals("out")).findFirst().orElseThrow();
      assertTrue(out.nonFinite() > 0, "outputs at the first NaN step have non-finite values");
      String badge = Ui.call(() -> {
        for (StateNode n : out.leaves()) {
          String t = new StateTreeLabels().getColumnText(n, 6);
          if (t.contains("NaN")) {
            return t;
          }
        }
        return "";
      });
      assertTrue(badge.startsWith("⚠"), badge);
      // the leaf chart of a blow-up starts on log y, says why and ticks Log y; the user's linear choice holds
      Ui.run(() -> {
        v.selectTab("Charts");
        v.chooseLogYAutomatically(); // as a user meets it: earlier tests chose
        v.tree().setSelection(new org.eclipse.jface.viewers.StructuredSelection(out));
      });
      Ui.settle();
      var leaf = Ui.call(() -> v.leafChart().spec());
      assertNotNull(leaf, "the outputs are charted");
      assertTrue(leaf.logY(), "a leaf reaching 1e38 starts on log y");
      assertTrue(leaf.subtitle() != null && leaf.subtitle().startsWith("log y: values span "), leaf.subtitle());
      assertTrue(Ui.call(v::logYTicked), "Log y shows the log axis");
      Ui.run(() -> v.setChartOptions(false, 0));
      Ui.settle();
      leaf = Ui.call(() -> v.leafChart().spec());
      assertTrue(!leaf.logY(), "unticked Log y is the user's choice");
      assertTrue(leaf.subtitle() != null && leaf.subtitle().endsWith(": try Log y"), leaf.subtitle());
      Ui.run(v::chooseLogYAutomatically);
    } finally {
      DebuggerPlugin.runs().all().stream().filter(r -> !r.path().endsWith("linreg.db")).forEach(DebuggerPlugin.runs()::remove);
    }
  }

  @Test
  void aCorruptFileIsReportedNotHung() throws Exception {
    Path junk = dir.resolve("junk.db");
    Files.writeString(junk, "this is not a run store ".repeat(200));
    StateFlowView v = show(junk);
    try {
      String status = Ui.call(v::status);
      assertTrue(status.contains("junk.db"), status);
    } finally {
      DebuggerPlugin.runs().all().stream().filter(r -> !r.path().endsWith("linreg.db")).forEach(DebuggerPlugin.runs()::remove);
    }
  }
}
