package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.ui.DebuggerPerspective;
import dev.statelens.debugger.ui.Images;
import dev.statelens.debugger.ui.OpenRunHandler;
import dev.statelens.debugger.ui.RunsView;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.engine.record.Recorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jface.action.ActionContributionItem;
import org.eclipse.jface.action.IAction;
import org.eclipse.jface.action.IContributionItem;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.action.ToolBarManager;
import org.eclipse.jface.dialogs.DialogSettings;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.ToolBar;
import org.eclipse.swt.widgets.ToolItem;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The StateLens Runs view as a user meets it: columns wide enough for what they hold (the Status
 * column cut "ended early at s…" and long live statuses at a fixed 240 px), a width the user
 * dragged kept across closing the view, and the empty view saying how to get a run into it.
 */
class RunsViewTest {
  @TempDir static Path dir;

  @BeforeEach
  void fresh() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    Ui.run(() -> {
      var wb = PlatformUI.getWorkbench();
      Ui.page().setPerspective(wb.getPerspectiveRegistry().findPerspectiveWithId(DebuggerPerspective.ID));
      Ui.page().closeAllEditors(false);
      Ui.page().setEditorAreaVisible(false);
      var shell = wb.getActiveWorkbenchWindow().getShell();
      shell.setBounds(shell.getDisplay().getBounds()); // no window manager under Xvfb
      var view = Ui.page().findView(RunsView.ID);
      if (view != null) {
        Ui.page().hideView(view);
      }
      // a fresh start: no width the user chose in an earlier test
      DialogSettings.getOrCreateSection(DebuggerPlugin.getDefault().getDialogSettings(), RunsView.WIDTHS_SECTION)
          .put("Status", 0);
    });
  }

  @AfterAll
  static void closeRuns() {
    Ui.closeStateFlowView();
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  /**
   * A long run's early end names its last step grouped, as the calls before it and the timeline's
   * label do: the status read "380,624 calls, 0 events, the process (pid 24078) stopped at step
   * 380623", beside a timeline saying "step 380,623".
   */
  @Test
  void anEarlyEndNamesItsLastStepGroupedAsTheCallsAndTheTimeline() {
    var update = new dev.statelens.engine.record.store.FunctionInfo(1, "update", 380_624, 380_623, 1, null, null);
    var summary = new dev.statelens.debugger.model.RunSummary(List.of(update), List.of(), List.of(), 380_624, false, 1,
        24078, false, java.util.Set.of("update"));
    assertEquals("the process (pid 24078) stopped at step 380,623 without closing the run: this is what it recorded",
        summary.recordingNote());
    Run run = new Run(dir.resolve("ended-early-380k.db"));
    run.setSummary(summary);
    assertEquals("ended early at step 380,623: the process stopped without closing the run", RunsView.status(run));
    assertEquals("ended early at step 380,623", RunsView.statusCell(run));
  }

  @Test
  void everyCellFitsItsColumnAndAUserWidthIsKept() throws Exception {
    Path killed = killedRun(dir.resolve("killed.db"), 25);
    Ui.run(() -> OpenRunHandler.openFile(Ui.page(), killed));
    Ui.settle();
    Ui.settle();
    // a launched run's status as the live session sets it, the longest the view shows
    Run live = DebuggerPlugin.runs().add(new Run(Fixtures.linreg(dir.resolve("launched.db"), 5, 0.02, -1, -1)));
    live.setLive(true);
    live.setStatus("update — paused before step 12345 (runUntil: loss > 10.0 at step 12344)");
    live.refresh();
    DebuggerPlugin.runs().changed(live);
    Ui.settle();
    RunsView view = runsView();
    Ui.settle();

    Ui.run(() -> {
      Table t = view.viewer().getTable();
      assertEquals(2, t.getItemCount());
      TableItem ended = row(t, "killed.db");
      assertEquals("ended early at step 24", ended.getText(index(t, "Status")),
          "the cell is short; the tooltip says why (" + RunsView.status(DebuggerPlugin.runs().find(killed)) + ")");
      assertEquals("ended early at step 24: the process stopped without closing the run",
          RunsView.status(DebuggerPlugin.runs().find(killed)));
      assertTrue(row(t, "launched.db").getText(index(t, "Status")).startsWith("live: update — paused before step 12345"));
      for (TableItem item : t.getItems()) {
        for (int c = 0; c < t.getColumnCount(); c++) {
          assertFits(t, item, c);
        }
      }
      for (TableColumn c : t.getColumns()) { // the header too
        GC gc = new GC(t);
        int header = gc.textExtent(c.getText()).x;
        gc.dispose();
        assertTrue(c.getWidth() > header, c.getText() + ": header " + header + " px, column " + c.getWidth());
      }
    });
    shot("debugger-runs-view.png");

    // the user drags the Status column narrower: kept when rows change and across closing the view
    Ui.run(() -> column(view.viewer().getTable(), "Status").setWidth(111));
    live.setStatus("update — paused before step 12346");
    DebuggerPlugin.runs().changed(live);
    Ui.settle();
    assertEquals(111, (int) Ui.call(() -> column(view.viewer().getTable(), "Status").getWidth()),
        "a width the user chose is not refitted");
    Ui.run(() -> Ui.page().hideView(view));
    RunsView reopened = runsView();
    Ui.settle();
    Ui.run(() -> {
      Table t = reopened.viewer().getTable();
      assertEquals(111, column(t, "Status").getWidth(), "the user's width survives closing the view");
      assertTrue(reopened.columnWidths().userSized(column(t, "Status")));
      assertFalse(reopened.columnWidths().userSized(column(t, "Run")));
      reopened.columnWidths().reset();
      assertFits(t, row(t, "launched.db"), index(t, "Status"));
    });
  }

  @Test
  void theEmptyViewsSayHowToOpenARun() throws Exception {
    RunsView view = runsView();
    Ui.settle();
    assertEquals(0, (int) Ui.call(() -> view.viewer().getTable().getItemCount()));
    // the hint names the menus as the workbench shows them
    assertTrue(RunsView.EMPTY_HINT.contains("File > Open StateLens Run…"), RunsView.EMPTY_HINT);
    assertTrue(RunsView.EMPTY_HINT.contains("Debug As > StateLens Training"), RunsView.EMPTY_HINT);
    // a newcomer in the StateLens perspective with no program yet is told where to start
    assertTrue(RunsView.EMPTY_HINT.contains("File > New > StateLens Project"), RunsView.EMPTY_HINT);
    assertTrue(StateFlowView.NO_RUN.contains("File > Open StateLens Run…"), StateFlowView.NO_RUN);
    assertEquals("Open StateLens Run...", openRunMenuLabel());
    Ui.closeStateFlowView();
    StateFlowView flow = Ui.showStateFlowView();
    Ui.settle();
    assertNull(Ui.call(flow::run));
    assertEquals(StateFlowView.NO_RUN, Ui.call(flow::status));
    shot("debugger-empty.png");
  }

  /**
   * File > Open StateLens Run… from the Java perspective switches to the StateLens perspective, as
   * a launch does: the State Flow view had opened in the Java perspective's bottom panel, a strip
   * beside Problems.
   */
  @Test
  void openingARunFromTheJavaPerspectiveSwitchesToStateLens() throws Exception {
    Path db = Fixtures.linreg(dir.resolve("from-java.db"), 5, 0.02, -1, -1);
    Ui.run(() -> {
      var wb = PlatformUI.getWorkbench();
      Ui.page().setPerspective(wb.getPerspectiveRegistry().findPerspectiveWithId("org.eclipse.jdt.ui.JavaPerspective"));
    });
    assertEquals("org.eclipse.jdt.ui.JavaPerspective", Ui.call(() -> Ui.page().getPerspective().getId()));
    Ui.run(() -> OpenRunHandler.openFile(Ui.page(), db));
    Ui.settle();
    Ui.settle();
    assertEquals(DebuggerPerspective.ID, Ui.call(() -> Ui.page().getPerspective().getId()));
    StateFlowView flow = Ui.call(() -> (StateFlowView) Ui.page().findView(StateFlowView.ID));
    assertNotNull(flow, "the State Flow view is open in the StateLens perspective");
    assertEquals(DebuggerPlugin.runs().find(db), Ui.call(flow::run));
  }

  @Test
  void closingTheShownRunEmptiesTheStateFlowView() throws Exception {
    Path db = Fixtures.linreg(dir.resolve("closed.db"), 12, 0.02, 5, -1); // a retrace at step 5
    Ui.run(() -> OpenRunHandler.openFile(Ui.page(), db));
    Ui.settle();
    Ui.settle();
    StateFlowView flow = Ui.call(() -> (StateFlowView) Ui.page().findView(StateFlowView.ID));
    Run run = DebuggerPlugin.runs().find(db);
    assertEquals(run, Ui.call(flow::run));
    assertEquals(11L, (long) Ui.call(flow::step));
    assertEquals("Events (1):", Ui.call(flow::eventsLabel), "the list says it holds the retrace");
    assertTrue(Ui.call(() -> flow.leafChart().spec() != null), "the outputs are charted without a selection: "
        + Ui.call(() -> flow.leafChart().placeholder()));
    Ui.run(() -> { // the state tree's cells are not cut either ("1.1e-04%" cut reads as another number)
      var t = flow.tree().getTree();
      GC gc = new GC(t);
      try {
        for (var top : t.getItems()) {
          for (var item : rows(top)) {
            for (int c = 1; c < t.getColumnCount(); c++) {
              if (c == 3) {
                continue; // Value: a summary, narrowed first when the pane is short of room
              }
              int text = gc.textExtent(item.getText(c)).x;
              int width = t.getColumn(c).getWidth();
              assertTrue(text < width || width >= dev.statelens.debugger.ui.StateTreeLabels.MAX_WIDTHS[c],
                  t.getColumn(c).getText() + " '" + item.getText(c) + "' " + text + " px in " + width + " px");
            }
          }
        }
      } finally {
        gc.dispose();
      }
    });
    Ui.run(() -> { // Δ prev and rel Δ in view: Value gave way, not the numbers
      var t = flow.tree().getTree();
      int right = 0;
      for (int c = 0; c <= 5; c++) {
        right += t.getColumn(c).getWidth();
      }
      assertTrue(right <= t.getClientArea().width, "rel Δ ends at " + right + " px, the pane is "
          + t.getClientArea().width + " px");
    });
    // a narrow pane (the sash dragged left): still the numbers, Value down to its minimum first
    Ui.run(() -> {
      var sash = (org.eclipse.swt.custom.SashForm) flow.tree().getTree().getParent().getParent();
      sash.setWeights(40, 60);
      sash.layout(true, true);
    });
    Ui.settle();
    Ui.run(() -> {
      var t = flow.tree().getTree();
      assertTrue(t.getColumn(3).getWidth() < dev.statelens.debugger.ui.StateTreeLabels.MAX_WIDTHS[3]
          || t.getClientArea().width > 700, "Value narrowed for a " + t.getClientArea().width + " px pane");
      assertTrue(t.getColumn(3).getWidth() >= 110, "not below its minimum");
    });
    Ui.run(() -> {
      var sash = (org.eclipse.swt.custom.SashForm) flow.tree().getTree().getParent().getParent();
      sash.setWeights(55, 45);
      sash.layout(true, true);
    });
    Ui.settle();
    shot("debugger-state-tree.png");
    Ui.run(() -> DebuggerPlugin.runs().remove(run)); // the Runs view's Close Run
    Ui.settle();
    Ui.run(() -> {
      assertNull(flow.run(), "the view let go of the closed run");
      assertEquals(StateFlowView.NO_RUN, flow.status());
      assertEquals("State Flow", flow.getPartName());
      assertEquals("No run", flow.header());
      assertEquals(0, flow.tree().getTree().getItemCount());
      assertEquals("Events: none", flow.eventsLabel());
    });
    // selecting a step on the emptied view reads nothing (a closed run's store stays closed)
    Ui.run(() -> flow.selectStep(3));
    Ui.settle();
    assertEquals(StateFlowView.NO_RUN, Ui.call(flow::status));
  }

  @Test
  void aLaunchedRunWaitsForItsFileWithoutAnError() throws Exception {
    Path before = Fixtures.linreg(dir.resolve("before.db"), 30, 0.02, -1, -1); // shown first, with charts
    Ui.run(() -> OpenRunHandler.openFile(Ui.page(), before));
    Ui.settle();
    Ui.settle();
    assertTrue(Ui.call(() -> ((StateFlowView) Ui.page().findView(StateFlowView.ID)).scalarChart().spec() != null));
    Path db = dir.resolve("later/launched-later.db");
    Run run = new Run(db);
    run.setLive(true); // as a launch registers it, before its program has started recording
    DebuggerPlugin.runs().add(run);
    StateFlowView flow = Ui.showRun(run);
    Ui.settle();
    assertEquals(StateFlowView.WAITING_FOR_FILE + "launched-later.db…", Ui.call(flow::status));
    Ui.run(() -> { // nothing of the run shown before stays under the new run's name
      assertNull(flow.scalarChart().spec(), "the previous run's loss chart");
      assertNull(flow.leafChart().spec());
      assertNull(flow.normsChart().spec());
      assertEquals(0, flow.tree().getTree().getItemCount());
      assertEquals(-1, flow.timeline().last(), "the previous run's 30 steps");
    });
    Files.createDirectories(db.getParent());
    // the recorder has opened the file, SQLite has not written its header yet: still waiting, no
    // red "not a StateLens run store: it has only 0 bytes" (it showed after every launch)
    Files.createFile(db);
    Thread.sleep(1500); // the view's live poll reads it meanwhile
    Ui.settle();
    assertEquals(StateFlowView.WAITING_FOR_FILE + "launched-later.db…", Ui.call(flow::status));
    Files.delete(db);
    Fixtures.linreg(db, 4, 0.02, -1, -1); // the program records: the view's live poll picks it up
    long deadline = System.currentTimeMillis() + 20_000;
    while (!Ui.call(flow::status).startsWith("4 calls") && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      Ui.settle();
    }
    assertTrue(Ui.call(flow::status).startsWith("4 calls"), Ui.call(flow::status));
    run.setLive(false);
  }

  @Test
  void theOpenRunDialogStartsWhereRunsAre() throws Exception {
    var settings = DebuggerPlugin.getDefault().getDialogSettings();
    settings.put(OpenRunHandler.LAST_FOLDER, dir.resolve("gone").toString()); // a folder deleted since
    Path runs = Path.of(org.eclipse.core.resources.ResourcesPlugin.getWorkspace().getRoot().getLocation()
        .toOSString(), "runs");
    boolean made = !Files.isDirectory(runs);
    Files.createDirectories(runs);
    try {
      assertEquals(runs, OpenRunHandler.startFolder(), "the workspace's runs/, where launches record");
      settings.put(OpenRunHandler.LAST_FOLDER, dir.toString());
      assertEquals(dir, OpenRunHandler.startFolder(), "the folder of the last run opened");
    } finally {
      settings.put(OpenRunHandler.LAST_FOLDER, (String) null);
      if (made) {
        Files.delete(runs);
      }
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static java.util.List<org.eclipse.swt.widgets.TreeItem> rows(org.eclipse.swt.widgets.TreeItem item) {
    var out = new java.util.ArrayList<org.eclipse.swt.widgets.TreeItem>();
    out.add(item);
    if (item.getExpanded()) {
      for (var c : item.getItems()) {
        out.addAll(rows(c));
      }
    }
    return out;
  }

  private static void assertFits(Table t, TableItem item, int column) {
    GC gc = new GC(t);
    int text = gc.textExtent(item.getText(column)).x;
    gc.dispose();
    int width = t.getColumn(column).getWidth();
    assertTrue(text < width, t.getColumn(column).getText() + " cell '" + item.getText(column) + "' is "
        + text + " px wide, its column " + width + " px: cut");
  }

  private static TableItem row(Table t, String run) {
    for (TableItem i : t.getItems()) {
      if (i.getText(0).equals(run)) {
        return i;
      }
    }
    throw new AssertionError("no row " + run);
  }

  private static int index(Table t, String title) {
    for (int i = 0; i < t.getColumnCount(); i++) {
      if (t.getColumn(i).getText().equals(title)) {
        return i;
      }
    }
    throw new AssertionError("no column " + title);
  }

  private static TableColumn column(Table t, String title) {
    return t.getColumn(index(t, title));
  }

  /** The label File > Open StateLens Run... has in plugin.xml (what the File menu shows). */
  private static String openRunMenuLabel() {
    for (var e : org.eclipse.core.runtime.Platform.getExtensionRegistry()
        .getConfigurationElementsFor("org.eclipse.ui.menus")) {
      for (var c : e.getChildren("command")) {
        if ("dev.statelens.debugger.openRun".equals(c.getAttribute("commandId"))) {
          return c.getAttribute("label");
        }
      }
    }
    return null;
  }

  @Test
  void theToolbarShowsIconsWithTooltipsAndTheMenuKeepsTheLabels() throws Exception {
    Path run = Fixtures.linreg(dir.resolve("toolbar.db"), 3, 0.02, -1, -1);
    RunsView view = runsView();
    Ui.settle();
    Ui.run(() -> {
      var bars = view.getViewSite().getActionBars();
      List<IAction> tools = actions(bars.getToolBarManager().getItems());
      assertEquals(List.of("Open Run…", "Refresh", "Compare Runs", "Close Run"), tools.stream().map(IAction::getText).toList());
      for (IAction a : tools) {
        assertNotNull(a.getImageDescriptor(), a.getText() + " has an icon");
        ImageData d = a.getImageDescriptor().getImageData(100);
        assertEquals(16, d.width, a.getText());
        assertEquals(16, d.height, a.getText());
        ImageData hi = a.getImageDescriptor().getImageData(200); // HiDPI: the @2x file, not a blown-up 16
        assertEquals(32, hi.width, a.getText() + " @2x");
        assertTrue(a.getToolTipText() != null && a.getToolTipText().length() > a.getText().length(),
            a.getText() + "'s tooltip says what it does: " + a.getToolTipText());
      }
      // the rendered toolbar shows the icons, not the words
      ToolBar bar = toolBar(view);
      assertEquals(4, bar.getItemCount());
      for (ToolItem item : bar.getItems()) {
        assertNotNull(item.getImage(), item.getToolTipText());
        assertEquals("", item.getText(), "icon only: " + item.getToolTipText());
      }
      // the view menu keeps the words
      assertEquals(List.of("Open Run…", "Refresh", "Compare Runs", "Close Run"),
          actions(bars.getMenuManager().getItems()).stream().map(IAction::getText).toList());
    });
    // the views' tabs have StateLens icons, not the generic window
    for (String[] idIcon : new String[][] {{RunsView.ID, "runs_view"}, {StateFlowView.ID, Images.TRAINING},
        {dev.statelens.debugger.ui.CompareView.ID, Images.COMPARE_RUNS}}) {
      var descriptor = PlatformUI.getWorkbench().getViewRegistry().find(idIcon[0]).getImageDescriptor();
      assertNotNull(descriptor, idIcon[0]);
      assertArrayEquals(Images.descriptor(idIcon[1]).getImageData(100).data, descriptor.getImageData(100).data,
          idIcon[0] + " shows icons/" + idIcon[1] + ".png");
    }
    // Close Run acts on the selection: greyed out without one
    IAction close = Ui.call(view::closeRunAction);
    assertFalse(close.isEnabled(), "nothing selected");
    Ui.run(() -> OpenRunHandler.openFile(Ui.page(), run));
    Ui.settle();
    Ui.run(() -> view.viewer().setSelection(new StructuredSelection(DebuggerPlugin.runs().find(run)), true));
    assertTrue(close.isEnabled(), "a run selected");
    Ui.run(close::run);
    Ui.settle();
    assertNull(DebuggerPlugin.runs().find(run), "closed");
    assertFalse(close.isEnabled(), "the selection went with the run");
    // the table's context menu: Show and Close Run
    Menu menu = Ui.call(() -> view.viewer().getTable().getMenu());
    assertNotNull(menu);
  }

  private static List<IAction> actions(IContributionItem[] items) {
    return Arrays.stream(items).filter(i -> i instanceof ActionContributionItem)
        .map(i -> ((ActionContributionItem) i).getAction()).toList();
  }

  /** The view's toolbar as rendered (the part's own tool bar, under the tab). */
  private static ToolBar toolBar(RunsView view) {
    IToolBarManager m = view.getViewSite().getActionBars().getToolBarManager();
    ToolBar bar = m instanceof ToolBarManager tbm ? tbm.getControl() : null;
    assertNotNull(bar, "the view's toolbar is rendered");
    return bar;
  }

  private static RunsView runsView() {
    return Ui.call(() -> {
      try {
        return (RunsView) Ui.page().showView(RunsView.ID, null, IWorkbenchPage.VIEW_VISIBLE);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  /** What kill -9 leaves mid-recording: the file and its write-ahead log, the run not closed. */
  private static Path killedRun(Path killed, int steps) throws Exception {
    Path source = Files.createDirectories(dir.resolve("killed-source")).resolve("x.db");
    try (Recorder r = Recorder.open(source)) {
      Fixtures.train(steps);
      r.flush();
      Files.copy(source, killed, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(Path.of(source + "-wal"), Path.of(killed + "-wal"), StandardCopyOption.REPLACE_EXISTING);
    }
    return killed;
  }

  private static void shot(String png) throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    if (out == null) {
      return;
    }
    Thread.sleep(800);
    ScreenshotTest.capture(Files.createDirectories(Path.of(out)).resolve(png));
  }
}
