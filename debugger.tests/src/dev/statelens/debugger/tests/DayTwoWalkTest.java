package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.launch.LiveSession;
import dev.statelens.debugger.ui.ChartCanvas;
import dev.statelens.debugger.ui.DebuggerPerspective;
import dev.statelens.debugger.ui.OpenRunHandler;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.test.support.Walk;
import dev.statelens.test.support.WorkbenchUi;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a check: a user's second day with the state debugger, one screenshot per step and
 * {@code walk.txt} with what each step said and what it cost the UI thread ({@link UiWatch}). A
 * million-step run (open, charts zoomed and panned, stepping back, a dragged timeline, the diff of its
 * first and last step, the tabs), a live program paused and stepped while it trains, a run whose
 * process was killed, a truncated copy, and every tab at 1000×700 and in the dark theme.
 *
 * <p>Runs only with {@code STATELENS_WALK=<folder>} and {@code STATELENS_MILLION_RUN=<run.db>} (e.g.
 * {@code ./statelens example linreg --steps 1000000 --record /tmp/linreg-1m.db}, about 35 s);
 * {@code STATELENS_KILLED_RUN=<run.db>} adds a run left by {@code kill -9} (its {@code -wal} beside
 * it; the walk opens a copy), under {@code xvfb-run -s "-screen 0 1600x1000x24"}.
 */
class DayTwoWalkTest {
  @TempDir
  Path dir;
  private Walk walk;
  private int[] shotSize = {1600, 1000};

  @Test
  void walkASecondDay() throws Exception {
    assumeTrue(Walk.requested() != null && System.getenv("STATELENS_MILLION_RUN") != null,
        "a walk only on request (STATELENS_WALK, STATELENS_MILLION_RUN)");
    Path million = Path.of(System.getenv("STATELENS_MILLION_RUN"));
    walk = new Walk(Walk.requested(), 1600, 1000);
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    Ui.closeStateFlowView();
    WorkbenchUi.sizeWindow(1600, 1000);
    WorkbenchUi.showPerspective(DebuggerPerspective.ID);
    Ui.settle();

    // 1. a 200-step run, then the million-step run, opened as File > Open StateLens Run… does (the
    // first open also creates the view: the second is the one to compare)
    Path small200 = Fixtures.linreg(dir.resolve("linreg-200.db"), 200, 0.02, -1, -1);
    UiWatch w = UiWatch.start();
    Ui.run(() -> OpenRunHandler.openFile(Ui.page(), small200));
    Ui.settle();
    Ui.settle();
    note("open linreg-200.db (and create the view): " + w.report());
    Path small2 = Fixtures.linreg(dir.resolve("linreg-200-b.db"), 200, 0.01, -1, -1);
    w = UiWatch.start();
    Ui.run(() -> OpenRunHandler.openFile(Ui.page(), small2));
    Ui.settle();
    Ui.settle();
    note("open linreg-200-b.db (the view open): " + w.report());
    w = UiWatch.start();
    Ui.run(() -> OpenRunHandler.openFile(Ui.page(), million));
    Ui.settle();
    Ui.settle();
    StateFlowView v = Ui.call(() -> (StateFlowView) Ui.page().findView(StateFlowView.ID));
    note("open " + million.getFileName() + ": " + w.report());
    note("  header '" + Ui.call(v::header) + "', status '" + Ui.call(v::status) + "', step " + Ui.call(v::step));
    ChartCanvas loss = Ui.call(v::scalarChart);
    note("  loss chart: " + Ui.call(() -> loss.spec().lines().get(0).series().size()) + " points for "
        + Ui.call(() -> loss.getClientArea().width) + " px");
    capture("million-open");

    // 2. the charts: zoom in four notches around the middle, pan, back to all steps
    for (int notch = 0; notch < 4; notch++) {
      w = UiWatch.start();
      Ui.run(() -> Ui.wheel(loss, loss.getClientArea().width / 2, 3, SWT.MOD1));
      Ui.settle();
      long[] r = Ui.call(v::zoomRange);
      note("zoom notch " + (notch + 1) + " -> steps " + r[0] + ".." + r[1] + ": " + w.report());
    }
    capture("million-zoomed");
    w = UiWatch.start();
    Ui.run(() -> Ui.drag(loss, loss.getClientArea().width / 2, loss.getClientArea().width / 4));
    Ui.settle();
    long[] panned = Ui.call(v::zoomRange);
    note("drag a quarter of the chart to the left -> steps " + panned[0] + ".." + panned[1] + ": " + w.report());
    capture("million-panned");
    w = UiWatch.start();
    Ui.run(v::resetZoom);
    Ui.settle();
    note("reset zoom: " + w.report());

    // 3. stepping back through history, then a dragged timeline
    w = UiWatch.start();
    for (int i = 0; i < 5; i++) {
      Ui.run(() -> v.selectStep(v.step() - 1)); // ◀ Prev
      Ui.settle();
    }
    note("◀ Prev five times, each read: " + w.report() + "; at step " + Ui.call(v::step));
    capture("million-step-back");
    w = UiWatch.start();
    long last = Ui.call(() -> v.timeline().last());
    for (int i = 1; i <= 40; i++) {
      long s = last * (40 - i) / 40;
      Ui.run(() -> v.selectStep(s));
      Thread.sleep(15);
    }
    Ui.settle();
    note("timeline dragged from the end to step 0 (40 moves): " + w.report() + "; at step " + Ui.call(v::step));
    capture("million-timeline-start");

    // 4. the diff of the first and the last step, the other tabs
    w = UiWatch.start();
    Ui.run(() -> v.selectTab("Diff"));
    Ui.run(() -> v.compare(0, last));
    Ui.settle();
    note("Diff step 0 -> " + last + ": " + w.report());
    capture("million-diff");
    for (String tab : List.of("State flow", "Traced graph")) {
      w = UiWatch.start();
      Ui.run(() -> v.selectTab(tab));
      Ui.settle();
      note(tab + ": " + w.report());
      capture("million-" + tab.replace(' ', '-').toLowerCase());
    }
    Ui.run(() -> v.selectTab("Charts"));

    // 5. a live program, paused and stepped while it trains
    Path liveDb = dir.resolve("live.db");
    try (LiveFixture live = LiveFixture.start(liveDb)) {
      Thread program = LiveRunTest.training("walk training", live.session, liveDb, 0.01, 3000, 2);
      LiveRunTest.await("the pause before the first call", () -> live.session.state() == LiveSession.State.PAUSED);
      StateFlowView lv = Ui.call(() -> {
        try {
          return OpenRunHandler.open(Ui.page(), liveDb);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      w = UiWatch.start();
      live.session.resume();
      Thread.sleep(3000);
      live.session.pause();
      LiveRunTest.await("paused", () -> live.session.state() == LiveSession.State.PAUSED);
      Ui.settle();
      note("live: resumed 3 s, paused at '" + live.session.label() + "': " + w.report());
      capture("live-paused");
      w = UiWatch.start();
      long before = live.session.step();
      live.session.step(1);
      LiveRunTest.await("one step", () -> live.session.state() == LiveSession.State.PAUSED && live.session.step() > before);
      Ui.settle();
      note("live Step: '" + live.session.label() + "', view at step " + Ui.call(lv::step) + ": " + w.report());
      capture("live-stepped");
      live.session.resume();
      program.join(120_000);
      Ui.settle();
      capture("live-finished");
      note("live finished: status '" + Ui.call(lv::status) + "', live row '" + Ui.call(() -> lv.liveStatus()[1]) + "'");
    }

    // 6. a run whose process was killed (kill -9: the .db and its -wal), and a truncated copy
    String killedRun = System.getenv("STATELENS_KILLED_RUN");
    if (killedRun != null) {
      Path killed = dir.resolve("killed/" + Path.of(killedRun).getFileName());
      Files.createDirectories(killed.getParent());
      for (String side : List.of("", "-wal")) {
        if (Files.exists(Path.of(killedRun + side))) {
          Files.copy(Path.of(killedRun + side), Path.of(killed + side), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      w = UiWatch.start();
      Ui.run(() -> OpenRunHandler.openFile(Ui.page(), killed));
      Ui.settle();
      Ui.settle();
      StateFlowView kv = Ui.call(() -> (StateFlowView) Ui.page().findView(StateFlowView.ID));
      note("killed run: " + w.report());
      note("  status '" + Ui.call(kv::status) + "', step " + Ui.call(kv::step) + ", files beside it "
          + Files.list(killed.getParent()).map(p -> p.getFileName().toString()).sorted().toList());
      capture("killed-run");
    }
    Path truncated = dir.resolve("truncated/" + million.getFileName());
    Files.createDirectories(truncated.getParent());
    try (FileChannel in = FileChannel.open(million); FileChannel out = FileChannel.open(truncated,
        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      in.transferTo(0, in.size() * 2 / 5, out); // a copy cut short, as a full disk or an interrupted copy leaves it
    }
    boolean automated = org.eclipse.jface.dialogs.ErrorDialog.AUTOMATED_MODE;
    org.eclipse.jface.dialogs.ErrorDialog.AUTOMATED_MODE = false;
    try {
      w = UiWatch.start();
      Ui.run(() -> OpenRunHandler.openFile(Ui.page(), truncated));
      Shell dialog = WorkbenchUi.awaitShell(s -> OpenRunHandler.DIALOG_TITLE.equals(s.getText()), 30_000);
      note("truncated copy (" + Files.size(truncated) + " bytes): " + w.report());
      WorkbenchUi.centreDialogs();
      capture("truncated-run");
      note("  dialog: " + Ui.call(() -> dialog == null ? "none" : texts(dialog)));
      Ui.run(() -> {
        if (dialog != null) {
          dialog.close();
        }
      });
      Ui.settle();
    } finally {
      org.eclipse.jface.dialogs.ErrorDialog.AUTOMATED_MODE = automated;
    }

    // 7. every tab at 1000x700, light and dark
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    WorkbenchUi.sizeWindow(1000, 700);
    shotSize = new int[] {1000, 700};
    Ui.run(() -> OpenRunHandler.openFile(Ui.page(), million));
    Ui.settle();
    Ui.settle();
    StateFlowView small = Ui.call(() -> (StateFlowView) Ui.page().findView(StateFlowView.ID));
    for (String theme : List.of(DarkThemeTest.LIGHT, DarkThemeTest.DARK)) {
      DarkThemeTest.setTheme(theme);
      Thread.sleep(1000);
      String t = theme.equals(DarkThemeTest.DARK) ? "dark" : "light";
      for (String tab : List.of("Charts", "Diff", "State flow", "Traced graph")) {
        Ui.run(() -> small.selectTab(tab));
        Ui.settle();
        capture("small-" + t + "-" + tab.replace(' ', '-').toLowerCase());
      }
    }
    DarkThemeTest.setTheme(DarkThemeTest.LIGHT);
    WorkbenchUi.sizeWindow(1600, 1000);
  }

  private static String texts(Shell s) {
    StringBuilder b = new StringBuilder();
    collect(s, b);
    return b.toString().replace('\n', ' ');
  }

  private static void collect(org.eclipse.swt.widgets.Control c, StringBuilder b) {
    if (c instanceof org.eclipse.swt.widgets.Label l && !l.getText().isBlank()) {
      b.append(" | ").append(l.getText());
    }
    if (c instanceof org.eclipse.swt.widgets.Composite comp) {
      for (var child : comp.getChildren()) {
        collect(child, b);
      }
    }
  }

  private void capture(String what) throws Exception {
    Ui.run(() -> {});
    walk.capture(what, shotSize[0], shotSize[1]);
  }

  private void note(String line) {
    walk.note(line);
    System.out.println("walk: " + line);
  }
}
