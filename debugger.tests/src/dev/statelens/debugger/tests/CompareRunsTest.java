package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.chart.ChartLine;
import dev.statelens.debugger.chart.ChartSpec;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.ui.CompareView;
import dev.statelens.debugger.ui.DebuggerPerspective;
import dev.statelens.debugger.ui.RunsView;
import dev.statelens.engine.Array;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.RunFacts;
import dev.statelens.engine.record.store.RunWriter;
import dev.statelens.engine.record.store.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.PartInitException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compare Runs: two linreg runs recorded in this JVM with different learning rates (and lengths),
 * selected in the Runs view and compared: one line per run in each chart, holding each run's
 * losses; the facts that differ highlighted; a run that cannot be read named without losing the
 * others.
 */
class CompareRunsTest {
  static final int LONG = 40, SHORT = 25;

  @TempDir
  Path dir;

  /** {@code steps} steps of the fixtures' linreg at {@code lr}, logging lr as a setting; returns each step's loss. */
  static double[] record(Path db, double lr, int steps) {
    Fn3<Fixtures.Params, Array, Array, Fixtures.StepOut> update = Fixtures.step(lr);
    double[] losses = new double[steps];
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults())) {
      Recorder.scalar("lr", lr);
      Fixtures.Params p = new Fixtures.Params(Array.scalar(0.5), Array.scalar(0));
      Array x = Fixtures.xs(8);
      Array y = x.mul(2).sub(1);
      for (int i = 0; i < steps; i++) {
        Fixtures.StepOut out = update.apply(p, x, y);
        losses[i] = out.loss().item();
        p = out.params();
      }
    }
    return losses;
  }

  @AfterEach
  void close() {
    Ui.run(() -> {
      var v = Ui.page().findView(CompareView.ID);
      if (v != null) {
        Ui.page().hideView(v);
      }
    });
    Ui.settle();
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  static RunsView runsView() {
    return Ui.call(() -> {
      try {
        var wb = org.eclipse.ui.PlatformUI.getWorkbench();
        Ui.page().setPerspective(wb.getPerspectiveRegistry().findPerspectiveWithId(DebuggerPerspective.ID));
        Ui.page().closeAllEditors(false);
        Ui.page().setEditorAreaVisible(false);
        var shell = wb.getActiveWorkbenchWindow().getShell();
        shell.setBounds(0, 0, 1600, 1000);
        return (RunsView) Ui.page().showView(RunsView.ID);
      } catch (PartInitException e) {
        throw new RuntimeException(e);
      }
    });
  }

  static void assertLineHolds(ChartLine line, double[] values) {
    Series s = line.series();
    assertEquals(values.length, s.size(), line.label() + ": one point per step (the runs are shorter than the chart is wide)");
    for (int i = 0; i < values.length; i++) {
      assertEquals(i, s.firstStep()[i], line.label());
      assertEquals(values[i], s.lo()[i], 1e-6 * Math.abs(values[i]), line.label() + " at step " + i);
      assertEquals(s.lo()[i], s.hi()[i], 0, line.label() + " at step " + i);
    }
  }

  static void assertLineHolds10To20(ChartLine line, double[] values) {
    Series s = line.series();
    assertEquals(11, s.size(), line.label());
    for (int i = 0; i < s.size(); i++) {
      assertEquals(values[10 + i], s.lo()[i], 1e-6 * Math.abs(values[10 + i]), line.label() + " at step " + (10 + i));
    }
  }

  /**
   * Every run's column of the facts table shows in the pane: packed to the backend's description, the
   * first run's column pushed the second one out of the table (a newcomer's walk saw one run).
   */
  @Test
  void everyRunsColumnOfTheFactsShowsInThePane() throws Exception {
    CompareView view = compareThreeLongNamedRuns();
    Ui.run(() -> {
      var table = view.factsTable();
      int right = 0;
      for (var column : table.getColumns()) {
        right += column.getWidth();
      }
      assertEquals(4, table.getColumnCount(), "the fact and the three runs");
      assertTrue(right <= table.getClientArea().width,
          "the last run's column ends at " + right + " px, inside the table's " + table.getClientArea().width + " px");
      for (int i = 1; i < table.getColumnCount(); i++) {
        assertTrue(table.getColumn(i).getWidth() >= 70, "run " + i + " keeps a readable width: " + table.getColumn(i).getWidth());
      }
    });
  }

  /**
   * Two runs at 1600x1000: every fact shows whole, the backend's description ("cpu: vector (8 float
   * lanes), 2 threads") included. The facts pane kept a fixed 32 % of the view and cut it while the
   * charts had room; it now widens to its packed columns, up to half the view.
   */
  @Test
  void twoRunsFactsShowWholeTheBackendIncluded() throws Exception {
    Path a = dir.resolve("walk.db"), b = dir.resolve("walk-lr-0.01.db");
    record(a, 0.02, SHORT);
    record(b, 0.01, SHORT);
    CompareView view = compare(a, b);
    if (System.getenv("STATELENS_WALK") != null) { // opt-in: the facts pane, to look at
      dev.statelens.test.support.Screen.capture(Path.of(System.getenv("STATELENS_WALK"), "compare-two-runs.png"));
    }
    assertTrue(cell(view, "backend", 1).contains("cpu"), cell(view, "backend", 1));
    Ui.run(() -> {
      var table = view.factsTable();
      var gc = new org.eclipse.swt.graphics.GC(table);
      try {
        int sash = view.factsPaneWidth() + table.getParent().getParent().getChildren()[0].getSize().x;
        int cap = sash * 60 / 100;
        int packed = 0;
        for (var column : table.getColumns()) {
          packed += column.getData("packedWidth") instanceof Integer w ? w : 0;
        }
        assertTrue(view.factsPaneWidth() > sash * 32 / 100 + 20, "wider than the old fixed 32 %: "
            + view.factsPaneWidth() + " of " + sash + " px (columns packed: " + packed + " px)");
        assertTrue(view.factsPaneWidth() <= cap + 10, "the charts keep 40 %: " + view.factsPaneWidth() + " of " + sash);
        for (TableItem item : table.getItems()) {
          for (int col = 1; col < table.getColumnCount(); col++) {
            int text = gc.textExtent(item.getText(col)).x;
            // whole unless the pane is at its cap (the test JVM's backend, 'cpu: scalar
            // (jdk.incubator.vector not loaded), 2 threads', is longer than the vector one)
            assertTrue(text < table.getColumn(col).getWidth() || view.factsPaneWidth() >= cap - 10,
                "'" + item.getText(col) + "' (" + text + " px) whole in its " + table.getColumn(col).getWidth()
                + " px column; pane " + view.factsPaneWidth() + " px");
          }
        }
      } finally {
        gc.dispose();
      }
    });
  }

  /**
   * A run's column the user dragged wider keeps that width when the pane is resized; a column not
   * touched is still fitted to the new width. Before, every resize re-fitted all run columns, undoing
   * the drag (left by session 15's walk).
   */
  @Test
  void aColumnTheUserResizedKeepsItsWidthWhenThePaneResizes() throws Exception {
    CompareView view = compareThreeLongNamedRuns();
    int[] dragged = new int[1];
    Ui.run(() -> {
      var table = view.factsTable();
      assertFalse(view.userSizedFactsColumn(1), "fitted, not the user's");
      dragged[0] = table.getColumn(1).getWidth() + 41;
      table.getColumn(1).setWidth(dragged[0]); // as a drag on the header's edge does
      assertTrue(view.userSizedFactsColumn(1));
    });
    Ui.settle();
    for (int narrower : new int[] {120, 60}) {
      Ui.run(() -> {
        var table = view.factsTable();
        var size = table.getSize();
        table.setSize(size.x - narrower, size.y); // a sash drag or a smaller window
      });
      Ui.settle();
      Ui.run(() -> {
        var table = view.factsTable();
        assertEquals(dragged[0], table.getColumn(1).getWidth(), "the dragged column keeps the user's width");
        assertFalse(view.userSizedFactsColumn(2), "GTK's own sizing of a column is not taken for the user's");
        assertFalse(view.userSizedFactsColumn(3), "GTK's own sizing of the last column is not taken for the user's");
        int share = Math.max(70, (table.getClientArea().width - table.getColumn(0).getWidth()) / 3);
        assertTrue(table.getColumn(2).getWidth() <= share, "a column not dragged is fitted to the narrower pane: "
            + table.getColumn(2).getWidth() + " > " + share);
      });
    }
  }

  /**
   * The facts show each run's training time, pauses in the debugger left out (a run paused for half a
   * minute read 34.2 s against 2.9 s for the same 200 steps), and the row's label says which time it
   * is in its tooltip; a run's cell keeps its whole text as tooltip.
   */
  @Test
  void theTrainingTimeRowSaysWhatItMeasuresInItsTooltip() throws Exception {
    CompareView view = compareThreeLongNamedRuns();
    Ui.run(() -> {
      var table = view.factsTable();
      TableItem time = java.util.Arrays.stream(table.getItems()).filter(i -> i.getText(0).equals("training time"))
          .findFirst().orElseThrow(() -> new AssertionError("no training time row"));
      assertTrue(java.util.Arrays.stream(table.getItems()).noneMatch(i -> i.getText(0).equals("wall time")));
      assertTrue(time.getText(1).matches("\\d+\\.\\d{3} s"), "recorded without the debugger: no pause, " + time.getText(1));
      hover(table, time.getBounds(0));
      assertEquals(RunFacts.TRAINING_TIME_ABOUT, table.getToolTipText());
      assertTrue(table.getToolTipText().contains("less the time the run sat paused in the debugger"));
      hover(table, time.getBounds(1));
      assertEquals(time.getText(1), table.getToolTipText());
      TableItem steps = java.util.Arrays.stream(table.getItems()).filter(i -> i.getText(0).equals("steps"))
          .findFirst().orElseThrow();
      hover(table, steps.getBounds(0));
      assertEquals(null, table.getToolTipText(), "a label that says what it is has no tooltip");
    });
  }

  private static void hover(org.eclipse.swt.widgets.Table table, org.eclipse.swt.graphics.Rectangle cell) {
    org.eclipse.swt.widgets.Event e = new org.eclipse.swt.widgets.Event();
    e.x = cell.x + cell.width / 2;
    e.y = cell.y + cell.height / 2;
    table.notifyListeners(org.eclipse.swt.SWT.MouseMove, e);
  }

  /**
   * Three short runs with long file names, compared in the Compare Runs view at the default layout
   * (1600x1000): the first run's backend description is wider than a run's share of the pane.
   */
  private CompareView compareThreeLongNamedRuns() throws Exception {
    Path a = dir.resolve("first-run-with-a-long-name.db"), b = dir.resolve("second-run-with-a-long-name.db"),
        c = dir.resolve("third-run-with-a-long-name.db");
    record(a, 0.02, SHORT);
    record(b, 0.01, SHORT);
    record(c, 0.005, SHORT);
    return compare(a, b, c);
  }

  /** Opens the recorded runs and compares them in the Compare Runs view, as the Runs view's action does. */
  private CompareView compare(Path... files) {
    runsView();
    List<Run> runs = Stream.of(files).map(p -> DebuggerPlugin.runs().open(p)).toList();
    CompareView view = Ui.call(() -> {
      try {
        return (CompareView) Ui.page().showView(CompareView.ID);
      } catch (PartInitException e) {
        throw new IllegalStateException(e);
      }
    });
    Ui.run(() -> view.compare(runs));
    Ui.settle();
    return view;
  }

  @Test
  void comparesTwoRunsSelectedInTheRunsViewLinePerRunFactsThatDifferHighlighted() throws Exception {
    Path fast = dir.resolve("lr-0.02.db"), slow = dir.resolve("lr-0.005.db");
    double[] fastLoss = record(fast, 0.02, LONG);
    double[] slowLoss = record(slow, 0.005, SHORT);
    Run a = DebuggerPlugin.runs().open(fast);
    Run b = DebuggerPlugin.runs().open(slow);
    for (Run r : List.of(a, b)) { // as File > Open Run does: the Runs view's Calls and Status
      r.refresh();
      DebuggerPlugin.runs().changed(r);
    }
    RunsView runs = runsView();
    Ui.settle();
    Ui.run(() -> runs.viewer().setSelection(new StructuredSelection(a)));
    assertFalse(Ui.call(() -> runs.compareRunsAction().isEnabled()), "one run: nothing to compare");
    Ui.run(() -> runs.viewer().setSelection(new StructuredSelection(List.of(a, b))));
    assertTrue(Ui.call(() -> runs.compareRunsAction().isEnabled()), "two runs selected: Compare Runs");
    Ui.run(() -> runs.compareRunsAction().run());
    Ui.settle();
    CompareView view = Ui.call(() -> (CompareView) Ui.page().findView(CompareView.ID));

    List<ChartSpec> charts = Ui.call(() -> view.charts().stream().map(c -> c.spec()).toList());
    assertEquals(List.of("Loss", "Update norm", "in params.w (mean)"), charts.stream().map(ChartSpec::title).toList(),
        "the loss first, the norms both runs have (the fixture's gradient is hand-written: no gradient norm), "
            + "then a leaf both runs have");
    for (ChartSpec c : charts) {
      assertEquals(List.of("lr-0.02.db", "lr-0.005.db"), c.lines().stream().map(ChartLine::label).toList(), c.title());
    }
    assertTrue(charts.get(1).logY(), "norms on log y, as in the State Flow view");
    ChartSpec loss = charts.get(0);
    assertEquals(List.of("lr-0.02.db", "lr-0.005.db"), loss.lines().stream().map(ChartLine::label).toList());
    assertEquals(fast.toAbsolutePath().normalize().toString(), loss.lines().get(0).hover(), "the full path on hover");
    assertLineHolds(loss.lines().get(0), fastLoss);
    assertLineHolds(loss.lines().get(1), slowLoss);
    // aligned by step: the shorter run's line ends early
    for (ChartSpec c : charts) {
      Series longer = c.lines().get(0).series(), shorter = c.lines().get(1).series();
      assertEquals(LONG - 1, longer.lastStep()[longer.size() - 1], c.title());
      assertEquals(SHORT - 1, shorter.lastStep()[shorter.size() - 1], c.title());
    }
    assertNotEquals(Ui.call(() -> view.charts().get(0).rendered()), null, "the chart is drawn");

    // the facts table: one column per run; the rows that differ highlighted, the others not
    var highlight = Ui.call(() -> view.highlight().getRGB());
    List<String> highlighted = Ui.call(() -> {
      var out = new java.util.ArrayList<String>();
      for (TableItem item : view.factsTable().getItems()) {
        boolean h1 = item.getBackground(1).getRGB().equals(highlight), h2 = item.getBackground(2).getRGB().equals(highlight);
        assertEquals(h1, h2, item.getText(0));
        if (h1) {
          out.add(item.getText(0));
        }
      }
      return out;
    });
    assertTrue(highlighted.containsAll(List.of("steps", "last loss", "lr")), "highlighted: " + highlighted);
    assertFalse(highlighted.contains("training step"), "same function: " + highlighted);
    assertFalse(highlighted.contains("record every"), highlighted.toString());
    assertEquals("0.0200000", cell(view, "lr", 1));
    assertEquals("0.00500000", cell(view, "lr", 2));
    assertEquals(Integer.toString(SHORT), cell(view, "steps", 2));

    // the wheel zooms every chart: the runs are read again over the range; double-click: all steps
    Ui.run(() -> view.zoom(10, 20));
    Ui.settle();
    for (ChartSpec c : Ui.call(() -> view.charts().stream().map(x -> x.spec()).toList())) {
      for (ChartLine l : c.lines()) {
        Series s = l.series();
        assertEquals(10, s.firstStep()[0], c.title() + " " + l.label());
        assertEquals(20, s.lastStep()[s.size() - 1], c.title() + " " + l.label());
      }
    }
    assertLineHolds10To20(Ui.call(() -> view.charts().get(0).spec().lines().get(1)), slowLoss);
    // a drag to the right pans every chart to earlier steps, the width kept, stopping at step 0
    var first = Ui.call(() -> view.charts().get(0));
    Ui.run(() -> Ui.drag(first, first.getClientArea().width / 2, first.getClientArea().width * 3));
    Ui.settle();
    assertEquals(new dev.statelens.debugger.chart.RunComparison.Steps(0, 10), Ui.call(view::steps), "panned to the start, 11 steps as zoomed");
    Ui.run(() -> view.zoom(-1, -1));
    Ui.settle();
    assertLineHolds(Ui.call(() -> view.charts().get(0).spec().lines().get(0)), fastLoss);

    // a file that is not a run: named in the message, the two others still compared
    Path bad = Files.writeString(dir.resolve("bad.db"), "not a run store");
    Ui.run(() -> view.compare(List.of(a, new Run(bad), b)));
    Ui.settle();
    String message = Ui.call(view::message);
    assertTrue(message.contains("Could not read bad.db: "), message);
    List<String> labels = Ui.call(() -> view.charts().get(0).spec().lines().stream().map(ChartLine::label).toList());
    assertEquals(List.of("lr-0.02.db", "lr-0.005.db"), labels);
    assertEquals(3, Ui.call(() -> view.factsTable().getColumnCount()), "the fact and the two runs read");

    String shots = System.getenv("STATELENS_SCREENSHOTS");
    if (shots != null) {
      Ui.run(() -> view.compare(List.of(a, b)));
      Ui.settle();
      Thread.sleep(800);
      Files.createDirectories(Path.of(shots));
      ScreenshotTest.capture(Path.of(shots, "debugger-compare.png"));
      DarkThemeTest.setTheme(DarkThemeTest.DARK); // the same comparison in the dark theme
      try {
        Ui.run(() -> view.compare(List.of(a, b)));
        Ui.settle();
        Thread.sleep(800);
        ScreenshotTest.capture(Path.of(shots, "debugger-compare-dark.png"));
      } finally {
        DarkThemeTest.setTheme(DarkThemeTest.LIGHT);
      }
    }
  }

  private static String cell(CompareView view, String fact, int column) {
    return Ui.call(() -> {
      for (TableItem item : view.factsTable().getItems()) {
        if (item.getText(0).equals(fact)) {
          return item.getText(column);
        }
      }
      throw new AssertionError("no row " + fact);
    });
  }
}
