package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.StateNode;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.test.support.Screen;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jface.viewers.StructuredSelection;
import org.junit.jupiter.api.Test;

/**
 * Screenshots for docs/screenshots (not a check): runs only when STATELENS_SCREENSHOTS names an
 * output folder and STATELENS_SCREENSHOT_RUNS lists {@code name=run.db} pairs (comma separated);
 * captures the Xvfb screen with ImageMagick's {@code import -window root}.
 */
class ScreenshotTest {
  @Test
  void captureTheViewOnRecordedRuns() throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    String runs = System.getenv("STATELENS_SCREENSHOT_RUNS");
    assumeTrue(out != null && runs != null, "screenshots only on request (STATELENS_SCREENSHOTS, STATELENS_SCREENSHOT_RUNS)");
    Path dir = Files.createDirectories(Path.of(out));
    for (String pair : runs.split(",")) {
      String name = pair.substring(0, pair.indexOf('='));
      Path db = Path.of(pair.substring(pair.indexOf('=') + 1));
      DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
      StateFlowView v = StateFlowViewTest.show(db);
      Ui.run(() -> { // no window manager under Xvfb: fill the screen by hand
        var shell = Ui.page().getWorkbenchWindow().getShell();
        shell.setBounds(shell.getDisplay().getBounds());
      });
      Ui.settle();
      long last = Ui.call(() -> v.timeline().last());
      Ui.run(() -> v.selectStep(Math.max(1, last / 3)));
      Ui.settle();
      if (!Ui.call(v::stepState).hasValues()) { // statelens.record.every=k: the note in place of the tree
        Ui.run(() -> v.selectTab("Charts"));
        Ui.settle();
        Thread.sleep(800);
        capture(dir.resolve(name + "-no-values.png"));
      }
      // a run with NaN/Inf: show the first step where they appear, on a log axis
      boolean diverged = false;
      Ui.run(() -> v.selectStep(0));
      Ui.settle();
      for (int i = 0; i < 6; i++) {
        if (Ui.call(() -> v.jumpToEvent(true)) < 0) {
          break;
        }
        Ui.settle();
        if (Ui.call(() -> v.stepState().leaves().stream().anyMatch(n -> n.nonFinite() > 0))) {
          diverged = true;
          break;
        }
      }
      if (!diverged) {
        Ui.run(() -> v.selectStep(Math.max(1, last / 3)));
        Ui.settle();
      }
      Long withValues = Ui.call(() -> v.stepState().hasValues() ? null : v.stepState().values().closest());
      if (withValues != null) { // the other shots need a step with values
        Ui.run(() -> v.selectStep(withValues));
        Ui.settle();
      }
      long shown = Ui.call(v::step);
      boolean smooth = !diverged;
      Ui.run(() -> {
        StateNode first = v.stepState().leaves("in").getFirst();
        v.tree().setSelection(new StructuredSelection(first.parent() == null ? first : first.parent()));
        if (smooth) {
          v.setChartOptions(false, 0.6);
        } else { // a diverging run as a user meets it: its charts choose log y and say so
          v.setChartOptions(false, 0);
          v.chooseLogYAutomatically();
        }
      });
      Ui.settle();
      Thread.sleep(800);
      capture(dir.resolve(name + "-charts.png"));
      Ui.run(() -> v.selectTab("State flow"));
      Ui.settle();
      Thread.sleep(500);
      capture(dir.resolve(name + "-flow.png"));
      Ui.run(() -> v.selectTab("Traced graph"));
      Ui.settle();
      Thread.sleep(500);
      capture(dir.resolve(name + "-graph.png"));
      Ui.run(() -> {
        v.compare(Math.max(0, shown - 1), shown);
        v.selectTab("Diff");
      });
      Ui.settle();
      Thread.sleep(500);
      capture(dir.resolve(name + "-diff.png"));
      Ui.run(() -> v.selectTab("Charts"));
      if (diverged) { // between events the event list says so (it went blank)
        Ui.run(() -> v.selectStep(Math.max(1, last / 3)));
        Ui.settle();
        Thread.sleep(500);
        capture(dir.resolve(name + "-no-event.png"));
      }
    }
  }

  static void capture(Path png) throws Exception {
    Screen.capture(png);
  }
}
