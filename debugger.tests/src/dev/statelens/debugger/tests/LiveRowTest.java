package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.launch.LiveSession;
import dev.statelens.debugger.model.Run;
import java.nio.file.Path;
import java.util.List;
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
      Control afterNaN = next(button(view, "Break on NaN"));
      assertTrue(!(afterNaN instanceof Spinner) && !(afterNaN instanceof Text), "Break on NaN takes no value: " + afterNaN);
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
    LiveFixture live = LiveFixture.waiting(Fixtures.linreg(dir.resolve("live-row.db"), 5, 0.1, -1, -1));
    LiveSession session = live.session;
    Run run = live.run;
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
      live.close();
      Ui.closeStateFlowView();
    }
  }

  /**
   * In the IDE's first window (about 1,000 px wide, the State Flow view some 680 px of it) and
   * narrower, the view's toolbar and Live row wrap: every button, field and label of them lies inside
   * the view. In one grid row each, "Next ▶", the events, the loss threshold and "Break on event" ran
   * past the view's edge, cut off.
   */
  @Test
  void theToolbarAndTheLiveRowWrapInsideANarrowView(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    // waiting for its program: the Live row shows every control
    LiveFixture live = LiveFixture.waiting(Fixtures.linreg(dir.resolve("narrow.db"), 5, 0.1, -1, -1));
    Run run = live.run;
    Shell shell = Ui.call(() -> Ui.page().getWorkbenchWindow().getShell());
    Point size = Ui.call(shell::getSize);
    try {
      StateFlowView view = Ui.showRun(run);
      Ui.settle();
      for (int width : new int[] {1000, 700, 450}) {
        Ui.run(() -> shell.setSize(width, size.y));
        Ui.settle();
        Ui.run(() -> {
          org.eclipse.swt.widgets.Composite root = view.timeline().getParent();
          int top = view.timeline().getBounds().y; // the rows above the timeline
          int right = root.getClientArea().width;
          java.util.List<Control> rows = Widgets.all(root, Control.class, c -> c.getClass() != org.eclipse.swt.widgets.Composite.class
              && c.isVisible() && root.getDisplay().map(c.getParent(), root, c.getBounds()).y < top);
          List<String> buttons = rows.stream().filter(c -> c instanceof Button).map(c -> ((Button) c).getText()).toList();
          assertEquals(List.of("◀ Prev", "▶ Play", "Next ▶", "Next event", "❚❚ Pause", "Step", "▶ Resume", "Run to step",
              "Break on NaN", "Break when loss >", "Break on event"), buttons, "the two rows' buttons above the timeline (shell " + width + " px)");
          assertTrue(Widgets.button(root, "Break on event").isVisible() && Widgets.button(root, "Next event").isVisible(),
              "every control shown");
          // a label and its field, a button and its value, stay on one line ("Step:" ended a line, its spinner began the next)
          List<Control> heads = new java.util.ArrayList<>();
          for (String label : List.of("  Function:", "  Step:", "  Events")) { // "  Events: none", "  Events (4):"
            heads.add(Widgets.one(root, Label.class, l -> l.getText().startsWith(label)));
          }
          heads.add(Widgets.button(root, "Run to step"));
          heads.add(Widgets.button(root, "Break when loss >"));
          for (Control head : heads) {
            org.eclipse.swt.graphics.Rectangle a = root.getDisplay().map(head.getParent(), root, head.getBounds());
            Control value = Widgets.next(head);
            org.eclipse.swt.graphics.Rectangle b = root.getDisplay().map(value.getParent(), root, value.getBounds());
            assertTrue(Math.abs((a.y + a.height / 2) - (b.y + b.height / 2)) <= 6 && b.x > a.x,
                describe(head) + " at " + a + ", its " + describe(value) + " at " + b + " (shell " + width + " px)");
          }
          for (Control c : rows) {
            org.eclipse.swt.graphics.Rectangle r = root.getDisplay().map(c.getParent(), root, c.getBounds());
            assertTrue(r.x >= 0 && r.x + r.width <= right, describe(c) + " at x " + r.x + "–" + (r.x + r.width)
                + " in a view " + right + " px wide (shell " + width + " px)");
            if (c instanceof Label l && (l.getStyle() & org.eclipse.swt.SWT.WRAP) != 0) { // the status line: all its lines shown
              assertTrue(l.computeSize(r.width, org.eclipse.swt.SWT.DEFAULT).y <= r.height,
                  describe(c) + " needs " + l.computeSize(r.width, org.eclipse.swt.SWT.DEFAULT) + ", has " + r);
            } else if (c instanceof Label l && !l.getText().isEmpty()) { // its text whole
              assertTrue(l.computeSize(org.eclipse.swt.SWT.DEFAULT, org.eclipse.swt.SWT.DEFAULT).x <= r.width,
                  describe(c) + " needs " + l.computeSize(org.eclipse.swt.SWT.DEFAULT, org.eclipse.swt.SWT.DEFAULT).x + " px, has " + r.width);
            }
          }
        });
        if (System.getenv("STATELENS_WALK") != null) { // opt-in: the wrapped rows, to look at
          dev.statelens.test.support.Screen.capture(Path.of(System.getenv("STATELENS_WALK"), "rows-" + width + ".png"), width, 400);
        }
      }
    } finally {
      Ui.run(() -> shell.setSize(size));
      live.close();
      Ui.closeStateFlowView();
    }
  }

  /**
   * A layout of the view at a narrower width gives the Live row its wrapped height and puts the
   * timeline below it, with no event loop turn in between ({@code LiveRowLayout} computes the row's
   * height at the width it is given). The layout it replaced (a width hint set when the row was
   * resized, then a posted second layout) passes this too: here the resize's own layout sets the hint
   * before the explicit one; the test guards the single-pass layout against regressions.
   */
  @Test
  void oneLayoutPassWrapsTheLiveRowAndPutsTheTimelineBelowIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    LiveFixture live = LiveFixture.waiting(Fixtures.linreg(dir.resolve("onepass.db"), 5, 0.1, -1, -1));
    try {
      StateFlowView view = Ui.showRun(live.run);
      Ui.settle();
      Ui.run(() -> {
        org.eclipse.swt.widgets.Composite root = view.timeline().getParent();
        Control row = Widgets.button(root, "Break on event").getParent().getParent(); // the Live row
        org.eclipse.swt.graphics.Rectangle wide = root.getBounds();
        for (int width : new int[] {1200, 640, 420, 1200}) {
          root.setSize(width, wide.height); // no event loop turn in between: what a single pass gives
          root.layout(true, true);
          org.eclipse.swt.graphics.Rectangle r = row.getBounds();
          Control controls = Widgets.button(root, "Break on event").getParent();
          int needed = controls.computeSize(Math.min(controls.computeSize(-1, -1).x, r.width), -1).y;
          assertTrue(controls.getBounds().height >= needed && r.height >= needed,
              "the row holds its controls' lines at " + width + " px: row " + r + ", controls need " + needed);
          assertTrue(view.timeline().getBounds().y >= r.y + r.height,
              "the timeline below the Live row at " + width + " px: timeline " + view.timeline().getBounds() + ", row " + r);
          for (Control c : controls instanceof org.eclipse.swt.widgets.Composite comp ? comp.getChildren() : new Control[0]) {
            org.eclipse.swt.graphics.Rectangle b = root.getDisplay().map(c.getParent(), root, c.getBounds());
            assertTrue(b.x + b.width <= width, describe(c) + " ends at " + (b.x + b.width) + " in " + width + " px");
          }
        }
        root.setBounds(wide);
        root.layout(true, true);
      });
    } finally {
      live.close();
      Ui.closeStateFlowView();
    }
  }

  private static String describe(Control c) {
    String text = c instanceof Button b ? b.getText() : c instanceof Label l ? l.getText() : "";
    return c.getClass().getSimpleName() + (text.isEmpty() ? "" : " '" + text + "'");
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
