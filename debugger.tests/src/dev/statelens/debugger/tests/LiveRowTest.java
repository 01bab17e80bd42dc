package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.launch.LiveSession;
import dev.statelens.debugger.launch.LiveSessions;
import dev.statelens.debugger.model.Run;
import java.nio.file.Path;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.test.support.Widgets;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;

/**
 * The State Flow view's Live row reads left to right as sentences: each value follows the button
 * it belongs to ("Run to step [5]", "Break when loss > [10]"). The threshold stood before its
 * button, right after Break on NaN, and read as that button's ("Break on NaN [10] Break when loss >").
 */
class LiveRowTest {

  @Test
  void eachValueFollowsItsButton() {
    StateFlowView view = Ui.showStateFlowView();
    Ui.settle();
    Ui.run(() -> {
      Button runTo = button(view, "Run to step");
      Button lossAbove = button(view, "Break when loss >");
      assertTrue(next(runTo) instanceof Spinner, "after Run to step: " + next(runTo));
      assertTrue(next(lossAbove) instanceof Text, "after Break when loss >: " + next(lossAbove));
      assertEquals("10", ((Text) next(lossAbove)).getText());
      assertTrue(lossAbove.getToolTipText().contains("named loss"), lossAbove.getToolTipText());
      assertTrue(next(button(view, "Break on NaN")) instanceof Button, "Break on NaN takes no value");
    });
  }

  /**
   * A loss break's reason in the Live row and the Debug view: the loss and threshold as the view
   * formats scalars (6 significant digits), not every digit of the double the engine's text carries.
   */
  @Test
  void aLossBreaksReasonShowsTheLossAsTheViewFormatsScalars() {
    String sent = "runUntil: loss 4.09942626953125 above 0.001";
    assertEquals("runUntil: loss 4.09943 above 0.001", LiveSession.reason(sent, 4.09942626953125, 0.001));
    assertEquals("runUntil: loss 1.5000e+07 above 10", LiveSession.reason(sent, 1.5e7, 10.0));
    assertEquals(sent, LiveSession.reason(sent, null, null), "an engine that sends no numbers: its text as sent");
    String nan = "runUntil: NaN in an output of update at step 3";
    assertEquals(nan, LiveSession.reason(nan, null, null));
  }

  /**
   * The Live row says only what the status line above it does not: nothing while the program is
   * waiting or paused (the status line reads "live: step — paused before step 3"; the row repeated
   * it), "finished" and why once it ended. In a narrow view it is shortened at a word with "…", the
   * whole text in its tooltip: it ran past the view's edge, cut mid-word.
   */
  @Test
  void theLiveRowSaysOnlyWhatTheStatusLineDoesNotAndIsNeverCut(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Run run = DebuggerPlugin.runs().open(Fixtures.linreg(dir.resolve("live-row.db"), 5, 0.1, -1, -1));
    LiveSession session = LiveSession.start(run);
    LiveSessions.put(run, session);
    Shell shell = Ui.call(() -> Ui.page().getWorkbenchWindow().getShell());
    Point size = Ui.call(shell::getSize);
    try {
      StateFlowView view = Ui.showRun(run);
      Ui.settle();
      assertEquals("", Ui.call(view::liveStatus)[1], "waiting: the status line says so ('live: waiting …')");
      assertTrue(Ui.call(view::status).contains("live: " + session.label()), Ui.call(view::status));

      session.processExited(); // ends the session: the row keeps why, the status line no longer says "live"
      String whole = "finished: the program exited before its first jitted call";
      awaitRow(view, whole);
      Ui.run(() -> shell.setSize(450, size.y));
      Ui.settle();
      if (System.getenv("STATELENS_WALK") != null) { // opt-in: the narrow Live row, to look at
        dev.statelens.test.support.Screen.capture(Path.of(System.getenv("STATELENS_WALK"), "live-row-narrow.png"), 450, 400);
      }
      Ui.run(() -> {
        String[] row = view.liveStatus();
        assertEquals(whole, row[1]);
        assertTrue(row[0].endsWith("…") && whole.startsWith(row[0].substring(0, row[0].length() - 2)),
            "shortened at a word: '" + row[0] + "' in a shell " + shell.getSize().x + " px wide");
        Label label = liveLabel(view, row[0]);
        GC gc = new GC(label);
        try {
          assertTrue(gc.textExtent(row[0]).x <= label.getSize().x, "fits its " + label.getSize().x + " px");
        } finally {
          gc.dispose();
        }
        assertEquals(whole, label.getToolTipText(), "the whole text in the tooltip");
      });
      Ui.run(() -> shell.setSize(size));
      Ui.settle();
      Ui.run(() -> {
        assertEquals(whole, view.liveStatus()[0], "whole again when there is room");
        assertNull(liveLabel(view, whole).getToolTipText(), "no tooltip repeating what shows");
      });
    } finally {
      Ui.run(() -> shell.setSize(size));
      session.close();
      LiveSessions.remove(run);
      DebuggerPlugin.runs().remove(run);
      Ui.closeStateFlowView();
    }
  }

  private static void awaitRow(StateFlowView view, String whole) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!Ui.call(view::liveStatus)[1].equals(whole) && System.currentTimeMillis() < deadline) {
      Ui.settle();
      Thread.sleep(50);
    }
    assertEquals(whole, Ui.call(view::liveStatus)[1]);
  }

  private static Label liveLabel(StateFlowView view, String text) {
    return Widgets.label(view.getViewSite().getShell(), text);
  }

  private static Control next(Control c) {
    return Widgets.next(c);
  }

  private static Button button(StateFlowView view, String text) {
    return Widgets.button(view.getViewSite().getShell(), text);
  }
}
