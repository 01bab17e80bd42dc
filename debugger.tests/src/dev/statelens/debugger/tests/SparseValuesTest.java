package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.model.StateNode;
import dev.statelens.debugger.model.StepState;
import dev.statelens.debugger.model.StepValues;
import dev.statelens.debugger.ui.RunsView;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run recorded with {@code statelens.record.every=10}: a step between snapshots shows a note
 * naming the step, k and the nearest steps with values (which select them), not an empty tree.
 */
class SparseValuesTest {
  static final int STEPS = 60;
  static final int EVERY = 10;
  static final int RETRACE_AT = 25; // a retrace keeps values off the k grid

  @TempDir
  static Path dir;
  static Path sparse;
  static Path dense;

  @BeforeAll
  static void record() {
    sparse = Fixtures.linreg(dir.resolve("sparse.db"), STEPS, 0.02, RETRACE_AT, -1, EVERY);
    dense = Fixtures.linreg(dir.resolve("dense.db"), STEPS, 0.02, RETRACE_AT, -1, 1);
  }

  @BeforeEach
  void fresh() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  @AfterAll
  static void close() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  @Test
  void modelFindsTheNearestStepsWithValuesFromTheStore() {
    try (RunStore store = RunStore.open(sparse)) {
      assertTrue(StepValues.at(store, Fixtures.FUNCTION, 30, 0, STEPS - 1).present());
      StepValues v = StepValues.at(store, Fixtures.FUNCTION, 23, 0, STEPS - 1);
      assertFalse(v.present());
      assertEquals(EVERY, v.every());
      assertEquals(20L, v.before());
      assertEquals(25L, v.after()); // the retrace, not the next multiple of k
      assertEquals(25L, v.closest());
      v = StepValues.at(store, Fixtures.FUNCTION, 27, 0, STEPS - 1);
      assertEquals(25L, v.before());
      assertEquals(30L, v.after());
      v = StepValues.at(store, Fixtures.FUNCTION, STEPS - 1, 0, STEPS - 1); // past the last snapshot
      assertEquals(50L, v.before());
      assertNull(v.after());
      assertEquals(List.of(50L), v.nearest());
      assertTrue(v.message().endsWith("Nearest: step 50"), v.message());
    }
  }

  @Test
  void aSparseRunOpensOnItsLastStepWithValues() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove); // opened fresh, not reused
    StateFlowView view = StateFlowViewTest.show(sparse);
    assertEquals(59, Ui.call(() -> view.timeline().last()));
    assertEquals(50, Ui.call(view::step), "the last step with values, not step 59's note");
    assertTrue(Ui.call(view::stepState).hasValues());
    assertEquals("", Ui.call(view::noValuesMessage));
  }

  @Test
  void aStepWithoutValuesSaysSoAndItsNearestButtonsSelectThoseSteps() throws Exception {
    StateFlowView view = StateFlowViewTest.show(sparse);
    assertTrue(Ui.call(view::header).contains("values every 10 steps"), Ui.call(view::header));
    Run run = DebuggerPlugin.runs().all().getFirst();
    assertTrue(RunsView.status(run).contains("values every 10 steps"), RunsView.status(run));

    Ui.run(() -> view.selectStep(43));
    Ui.settle();
    StepState s = Ui.call(view::stepState);
    assertEquals(43, s.step());
    assertFalse(s.hasValues());
    assertTrue(s.leaves().isEmpty());
    assertNotNull(s.call(), "the call's row is still there");
    String note = Ui.call(view::noValuesMessage);
    assertEquals("Step 43 has no values: this run keeps values every 10 steps (-Dstatelens.record.every=10). "
        + "Nearest: step 40 · step 50", note);
    // the loss chart is unaffected: every step, crosshair on the selected one
    assertEquals(43, Ui.call(() -> view.scalarChart().spec().selectedStep()));
    assertFalse(Ui.call(() -> view.scalarChart().spec().lines().isEmpty()));

    List<String> buttons = Ui.call(() -> view.nearestButtons().stream().map(Button::getText).toList());
    assertEquals(List.of("◀ step 40", "step 50 ▶"), buttons);
    click(view, 1);
    assertEquals(50, Ui.call(view::step));
    s = Ui.call(view::stepState);
    assertEquals(50, s.step());
    assertTrue(s.hasValues());
    assertEquals("", Ui.call(view::noValuesMessage), "the tree is back");
    try (RunStore store = RunStore.open(sparse)) {
      for (LeafSample leaf : store.state(Fixtures.FUNCTION, 50)) {
        StateNode n = StateNode.find(s.roots(), leaf.key());
        assertNotNull(n, leaf.key());
        assertEquals(leaf.values()[0], n.sample().values()[0], leaf.key());
      }
    }
    assertTrue(Ui.call(() -> view.tree().getTree().getItemCount()) > 0);

    Ui.run(() -> view.selectStep(43));
    Ui.settle();
    click(view, 0);
    assertEquals(40, Ui.call(view::step));
    assertTrue(Ui.call(view::stepState).hasValues());
  }

  @Test
  void diffNamesTheSideWithoutValuesAndOffersTheNearest() {
    StateFlowView view = StateFlowViewTest.show(sparse);
    Ui.run(() -> view.compare(23, 40));
    Ui.settle();
    assertNull(Ui.call(view::diff));
    String msg = Ui.call(view::diffNoValuesMessage);
    assertTrue(msg.startsWith("A: Step 23 has no values"), msg);
    assertTrue(msg.contains("every 10 steps"), msg);
    assertTrue(msg.contains("Nearest: step 20 · step 25"), msg);
    assertFalse(msg.contains("B:"), msg);
    assertTrue(Ui.call(view::compareNearest));
    Ui.settle();
    assertEquals("", Ui.call(view::diffNoValuesMessage));
    var d = Ui.call(view::diff);
    assertNotNull(d);
    assertEquals(25, d.stepA()); // the closer of 20 and 25
    assertEquals(40, d.stepB());
    assertFalse(d.leaves().isEmpty());
    // a side whose closest step with values is the other side's moves to its other neighbour
    Ui.run(() -> view.compare(49, 50));
    Ui.settle();
    assertTrue(Ui.call(view::diffNoValuesMessage).startsWith("A: Step 49 has no values"));
    assertTrue(Ui.call(view::compareNearest));
    Ui.settle();
    assertEquals(40, Ui.call(view::diff).stepA());
    assertEquals(50, Ui.call(view::diff).stepB());
  }

  @Test
  void aRunWithValuesAtEveryStepShowsNoSuchText() {
    StateFlowView view = StateFlowViewTest.show(dense);
    assertFalse(Ui.call(view::header).contains("values every"), Ui.call(view::header));
    Run run = DebuggerPlugin.runs().all().getFirst();
    assertFalse(RunsView.status(run).contains("values every"), RunsView.status(run));
    Ui.run(() -> view.selectStep(43));
    Ui.settle();
    assertTrue(Ui.call(view::stepState).hasValues());
    assertEquals("", Ui.call(view::noValuesMessage));
    assertTrue(Ui.call(view::nearestButtons).isEmpty());
    Ui.run(() -> view.compare(23, 43));
    Ui.settle();
    assertEquals("", Ui.call(view::diffNoValuesMessage));
    assertNotNull(Ui.call(view::diff));
  }

  /** Presses the note's {@code i}-th shown "nearest" button, then waits for the step's reads. */
  private static void click(StateFlowView view, int i) {
    Ui.run(() -> view.nearestButtons().get(i).notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event()));
    Ui.settle();
  }
}
