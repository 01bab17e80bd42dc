package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.chart.ChartReadout;
import dev.statelens.debugger.launch.LiveSession;
import dev.statelens.debugger.model.Format;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.ui.ChartCanvas;
import dev.statelens.debugger.ui.RunsView;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.debugger.ui.ThemeColors;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.test.support.Accessibles;
import dev.statelens.test.support.Keys;
import dev.statelens.test.support.Screen;
import dev.statelens.test.support.Widgets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jface.bindings.keys.KeySequence;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.contexts.IContextActivation;
import org.eclipse.ui.contexts.IContextService;
import org.eclipse.ui.keys.IBindingService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state debugger without a mouse: real keystrokes ({@link Keys}, through GTK and the
 * workbench's key bindings) step a recorded run back and forth, drive a live program (step, run to
 * step, resume, pause, break when the loss is above a threshold, break on NaN), move through the
 * Runs list and open a run with Enter, reach a chart with Tab and read its numbers with the arrows,
 * as a screen reader reads them too.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class KeyboardTest {
  @TempDir
  Path dir;

  private IContextActivation debugging;

  @AfterEach
  void close() {
    if (debugging != null) {
      IContextActivation d = debugging;
      Ui.run(() -> PlatformUI.getWorkbench().getService(IContextService.class).deactivateContext(d));
      debugging = null;
    }
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    Ui.closeStateFlowView();
    DarkThemeTest.setTheme(DarkThemeTest.LIGHT);
  }

  /**
   * In the State Flow view each key is the view's command, also while a launch is debugged (the
   * debugging context on, whose F6, F7, F8 and Ctrl+R are the Debug view's), and the buttons'
   * tooltips and the view menu name the keys.
   */
  @Test
  @org.junit.jupiter.api.Order(1)
  void theViewsKeysAreItsOwnAlsoWhileDebuggingAndTheTooltipsAndMenuNameThem() throws Exception {
    StateFlowView view = StateFlowViewTest.show(Fixtures.linreg(dir.resolve("keys.db"), 6, 0.02, -1, -1));
    debugging();
    activate(view);
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("F6", "dev.statelens.debugger.step");
    keys.put("Shift+F6", "dev.statelens.debugger.stepBack");
    keys.put("F8", "dev.statelens.debugger.live.resume");
    keys.put("F9", "dev.statelens.debugger.live.pause");
    keys.put("M1+R", "dev.statelens.debugger.live.runToStep");
    keys.put("F7", "dev.statelens.debugger.live.breakOnEvent");
    keys.put("M2+M3+B", "dev.statelens.debugger.live.breakOnNaN");
    keys.put("M2+M3+L", "dev.statelens.debugger.live.breakWhenLossAbove");
    Ui.run(() -> {
      IBindingService bindings = PlatformUI.getWorkbench().getService(IBindingService.class);
      keys.forEach((key, command) -> {
        try {
          var match = bindings.getPerfectMatch(KeySequence.getInstance(key));
          assertNotNull(match, key + " is bound in the State Flow view");
          assertEquals(command, match.getParameterizedCommand().getId(), key);
        } catch (org.eclipse.jface.bindings.keys.ParseException e) {
          throw new AssertionError(e);
        }
      });
      var shell = view.getViewSite().getShell();
      assertEquals("Previous step (Shift+F6)", Widgets.button(shell, "◀ Prev").getToolTipText());
      assertEquals("Next step (F6)", Widgets.button(shell, "Next ▶").getToolTipText());
      assertTrue(Widgets.button(shell, "Step").getToolTipText().endsWith("(F6)"));
      assertTrue(Widgets.button(shell, "▶ Resume").getToolTipText().endsWith("(F8)"));
      assertTrue(Widgets.button(shell, "❚❚ Pause").getToolTipText().endsWith("(F9)"));
      assertTrue(Widgets.button(shell, "Run to step").getToolTipText().endsWith("(Ctrl+R)"));
      assertTrue(Widgets.button(shell, "Break on NaN").getToolTipText().endsWith("(Shift+Alt+B)"),
          Widgets.button(shell, "Break on NaN").getToolTipText());
      assertTrue(Widgets.button(shell, "Break when loss >").getToolTipText().endsWith("(Shift+Alt+L)"));
      // a screen reader reads the buttons' words, not their symbols
      assertEquals("Pause", Accessibles.name(Widgets.button(shell, "❚❚ Pause")));
      assertEquals("Prev", Accessibles.name(Widgets.button(shell, "◀ Prev")));
      assertEquals("Break when loss >", Accessibles.name(Widgets.button(shell, "Break when loss >")));
      // the Live row's value fields, which have no label of their own, are named by their button
      assertEquals("Run to step", Accessibles.name(view.runToStepSpinner()));
      assertEquals("Break when loss is above", Accessibles.name(Widgets.next(Widgets.button(shell, "Break when loss >"))));
      assertEquals("Step timeline", Accessibles.name(view.timeline()));
      assertEquals("step 5 of 0 to 5", Accessibles.value(view.timeline()));
    });
    List<String> menu = Ui.call(() -> viewMenu(view));
    assertTrue(menu.contains("Step\tF6") && menu.contains("Step Back\tShift+F6") && menu.contains("Resume Training\tF8")
        && menu.contains("Pause Training\tF9") && menu.contains("Break on NaN\tShift+Alt+B"), "the view menu: " + menu);

    // another part active: the same keys are Eclipse's again (the Debug view's, JDT's Extract Local Variable)
    Ui.run(() -> {
      try {
        Ui.page().activate(Ui.page().showView(RunsView.ID));
      } catch (org.eclipse.ui.PartInitException e) {
        throw new AssertionError(e);
      }
    });
    Ui.settle();
    Map<String, String> eclipse = Map.of("F6", "org.eclipse.debug.ui.commands.StepOver",
        "F7", "org.eclipse.debug.ui.commands.StepReturn", "F8", "org.eclipse.debug.ui.commands.Resume",
        "M1+R", "org.eclipse.debug.ui.commands.RunToLine",
        "M2+M3+L", "org.eclipse.jdt.ui.edit.text.java.extract.local.variable");
    Ui.run(() -> {
      IBindingService bindings = PlatformUI.getWorkbench().getService(IBindingService.class);
      eclipse.forEach((key, command) -> {
        try {
          var match = bindings.getPerfectMatch(KeySequence.getInstance(key));
          assertEquals(command, match == null ? null : match.getParameterizedCommand().getId(), key + " outside the view");
        } catch (org.eclipse.jface.bindings.keys.ParseException e) {
          throw new AssertionError(e);
        }
      });
      for (String key : List.of("F9", "M2+F6", "M2+M3+B")) {
        try {
          var match = bindings.getPerfectMatch(KeySequence.getInstance(key));
          assertTrue(match == null || !match.getParameterizedCommand().getId().startsWith("dev.statelens"),
              key + " is not the State Flow view's outside it: " + match);
        } catch (org.eclipse.jface.bindings.keys.ParseException e) {
          throw new AssertionError(e);
        }
      }
    });
  }

  /** Shift+F6 and F6 in the view step a recorded run back and forth, wherever the focus is in it. */
  @Test
  @org.junit.jupiter.api.Order(2)
  void shiftF6AndF6StepARecordedRunBackAndForth() throws Exception {
    StateFlowView view = StateFlowViewTest.show(Fixtures.linreg(dir.resolve("steps.db"), 6, 0.02, -1, -1));
    activate(view);
    long last = Ui.call(view::step);
    assertEquals(5, last, "a run opens on its last step");
    Ui.run(() -> view.tree().getControl().setFocus()); // the focus in the state tree: the view's keys still work
    Keys.press(SWT.SHIFT, SWT.F6);
    await("step 4", () -> Ui.call(view::step) == 4);
    Keys.press(SWT.SHIFT, SWT.F6);
    await("step 3", () -> Ui.call(view::step) == 3);
    Keys.press(0, SWT.F6);
    await("step 4 again", () -> Ui.call(view::step) == 4);
  }

  /** The Live row's keys drive a live program: F6, Ctrl+R, Shift+Alt+L, Shift+Alt+B, F8, F9, F8 to the end. */
  @Test
  @org.junit.jupiter.api.Order(5)
  void theLiveRowsKeysDriveALiveProgram() throws Exception {
    Path db = dir.resolve("live-keys.db");
    LiveFixture live = LiveFixture.start(db);
    LiveSession session = live.session;
    Run run = live.run;
    Thread program = LiveRunTest.training("keys-training", session, db, 1.5, 300, 30); // diverges, 30 ms a call
    try {
      LiveRunTest.await("the pause before the first call", () -> session.state() == LiveSession.State.PAUSED);
      StateFlowView view = Ui.showRun(run);
      Ui.settle();
      debugging();
      activate(view);

      Keys.press(0, SWT.F6);
      LiveRunTest.await("F6: paused before step 1", () -> paused(session) && session.step() == 1);

      LiveRunTest.await("the Run to step spinner ahead", () -> Ui.call(() -> view.runToStepSpinner().getMinimum()) == 2);
      Ui.run(() -> view.runToStepSpinner().setSelection(5));
      Keys.press(SWT.CTRL, 'r');
      LiveRunTest.await("Ctrl+R: paused before step 5", () -> paused(session) && session.step() == 5
          || session.step() > 5);
      assertEquals(5, session.step(), "Ctrl+R ran to the Live row's step");

      // a threshold that is no number: nothing is sent, and the status line says how to fix it,
      // naming the key just used beside the button (it said "press Break when loss > again")
      var thresholdField = Ui.call(() -> (org.eclipse.swt.widgets.Text) Widgets.next(Widgets.button(view.getViewSite().getShell(),
          "Break when loss >")));
      Ui.run(() -> thresholdField.setText("ten"));
      Keys.press(SWT.ALT | SWT.SHIFT, 'l');
      String bad = "The loss threshold must be a number, got 'ten': type one such as 10 or 0.5 in the box after "
          + "Break when loss >, then break again (the button or Shift+Alt+L)";
      LiveRunTest.await("the bad threshold's message", () -> Ui.call(view::status).equals(bad));
      Thread.sleep(2_000); // two of the live run's summary refreshes: they replaced the message within a second
      Ui.settle();
      assertEquals(bad, Ui.call(view::status), "the message stays long enough to read");
      assertTrue(paused(session) && session.step() == 5, "still paused before step 5: " + session.step());

      double threshold = 1000;
      Ui.run(() -> thresholdField.setText(Format.num(threshold)));
      Keys.press(SWT.ALT | SWT.SHIFT, 'l');
      LiveRunTest.await("Alt+Shift+L: the loss break", () -> paused(session) && session.reason().contains("loss"));
      assertTrue(session.reason().contains("above 1000"), session.reason());
      long lossCall = session.step() - 1;
      try (RunStore store = RunStore.open(db)) {
        double loss = store.state("update", lossCall).stream().filter(l -> l.key().equals("out:loss")).findFirst()
            .orElseThrow().values()[0];
        assertTrue(loss > threshold, "the call before the pause had loss " + loss);
      }

      Keys.press(SWT.ALT | SWT.SHIFT, 'b');
      LiveRunTest.await("Alt+Shift+B: the NaN break", () -> paused(session) && session.reason().contains("NaN"));
      assertTrue(session.step() > lossCall + 1, "the NaN comes after the loss break");

      // after the NaN the program runs on (30 ms a call): F8 resumes it, F9 pauses it again
      long nanAt = session.step();
      long pauses = session.pauses();
      Keys.press(0, SWT.F8);
      LiveRunTest.await("F8: running", () -> session.state() == LiveSession.State.RUNNING);
      Keys.press(0, SWT.F9);
      LiveRunTest.await("F9: paused again", () -> paused(session) && session.pauses() > pauses);
      long pausedAt = session.step();
      assertTrue(pausedAt > nanAt && pausedAt < 300, "F9 paused the running program at step " + pausedAt
          + " (resumed at " + nanAt + ")");

      Keys.press(0, SWT.F8);
      LiveRunTest.await("F8: the end of training", () -> session.state() == LiveSession.State.TERMINATED);
    } finally {
      live.close(); // detaches: a program left paused runs on to its end
      program.join(30_000);
    }
  }

  /** ↓/↑ move through the Runs view's list and Enter shows the selected run in the State Flow view. */
  @Test
  @org.junit.jupiter.api.Order(3)
  void arrowsMoveThroughTheRunsListAndEnterShowsARun() throws Exception {
    Path a = Fixtures.linreg(dir.resolve("first.db"), 4, 0.02, -1, -1);
    Path b = Fixtures.linreg(dir.resolve("second.db"), 4, 0.02, -1, -1);
    StateFlowView view = StateFlowViewTest.show(a);
    StateFlowViewTest.show(b);
    RunsView runs = Ui.call(() -> {
      try {
        return (RunsView) Ui.page().showView(RunsView.ID);
      } catch (org.eclipse.ui.PartInitException e) {
        throw new RuntimeException(e);
      }
    });
    Ui.settle();
    Table table = Ui.call(() -> Widgets.one((org.eclipse.swt.widgets.Composite) runs.getViewSite().getShell(), Table.class,
        t -> t.getColumnCount() > 0 && t.getColumn(0).getText().equals("Run")));
    // the view shows the run opened last; walk the list to the other one and back, each shown by Enter
    assertTrue(Ui.call(() -> view.getPartName()).contains("second"), Ui.call(() -> view.getPartName()));
    Ui.run(() -> {
      Ui.page().activate(runs);
      table.setFocus();
      table.setSelection(0);
    });
    for (String wanted : List.of("first", "second")) {
      int row = Ui.call(() -> java.util.stream.IntStream.range(0, table.getItemCount())
          .filter(i -> table.getItem(i).getText(0).contains(wanted)).findFirst().orElseThrow());
      while (Ui.call(table::getSelectionIndex) != row) {
        int at = Ui.call(table::getSelectionIndex);
        Keys.press(0, at < row ? SWT.ARROW_DOWN : SWT.ARROW_UP);
        await((at < row ? "↓" : "↑") + " moves the selection", () -> Ui.call(table::getSelectionIndex) != at);
      }
      assertFalse(wanted.equals("first") && Ui.call(() -> view.getPartName()).contains(wanted), "a selection alone shows nothing");
      Keys.press(0, SWT.CR);
      await("Enter shows " + wanted, () -> Ui.call(() -> view.getPartName()).contains(wanted));
      Ui.run(() -> { // back to the Runs view (Ctrl+F7), its table focused
        Ui.page().activate(runs);
        table.setFocus();
      });
    }
  }

  /**
   * Tab reaches the loss chart; ←/→ move its crosshair and the view's step, the box at the crosshair
   * and the chart's accessible value read the recorded loss there; the focus ring shows on the chart
   * in the light and the dark theme (at least 3:1 against the background) and is gone once Tab leaves.
   */
  @Test
  @org.junit.jupiter.api.Order(4)
  void tabReachesTheChartArrowsReadItsValuesAndTheFocusRingShows() throws Exception {
    Path db = Fixtures.linreg(dir.resolve("chart.db"), 8, 0.02, -1, -1);
    StateFlowView view = StateFlowViewTest.show(db);
    Ui.run(() -> view.selectTab("Charts"));
    activate(view);
    Ui.settle();
    ChartCanvas chart = Ui.call(view::scalarChart);
    Ui.run(view::setFocus); // the timeline, the view's first control
    Ui.settle();
    shot("keyboard-timeline-focus-light.png");
    List<String> path = new java.util.ArrayList<>();
    for (int i = 0; i < 40 && Ui.call(() -> Display.getCurrent().getFocusControl() != chart); i++) {
      Keys.press(0, SWT.TAB);
      Thread.sleep(40);
      path.add(Ui.call(() -> String.valueOf(Display.getCurrent().getFocusControl())));
    }
    assertTrue(Ui.call(() -> Display.getCurrent().getFocusControl() == chart), "Tab reaches the loss chart: " + path);

    Keys.press(0, SWT.ARROW_LEFT);
    await("← selects step 6", () -> Ui.call(view::step) == 6);
    Keys.press(0, SWT.ARROW_LEFT);
    await("← selects step 5", () -> Ui.call(view::step) == 5);
    Ui.settle();
    double loss5;
    try (RunStore store = RunStore.open(db)) {
      loss5 = store.state("update", 5).stream().filter(l -> l.key().equals("out:loss")).findFirst().orElseThrow().values()[0];
    }
    List<String> readout = Ui.call(chart::readout);
    assertEquals("step 5", readout.get(0), readout.toString());
    assertTrue(readout.stream().anyMatch(l -> l.endsWith(" " + Format.num(loss5)) && l.contains("loss")),
        "the loss at step 5, " + Format.num(loss5) + ", in " + readout);
    assertEquals(String.join("; ", readout), Ui.call(() -> Accessibles.value(chart)), "the screen reader's value");
    assertEquals(ChartReadout.summary(Ui.call(chart::spec)), Ui.call(() -> Accessibles.name(chart)));
    assertTrue(Ui.call(() -> Accessibles.name(chart)).matches(".*: \\d+ lines? over steps 0–7"), Ui.call(() -> Accessibles.name(chart)));
    Keys.press(0, SWT.PAGE_DOWN);
    await("Page Down a tenth of the steps, at least a point: step 6", () -> Ui.call(view::step) == 6);
    Keys.press(0, SWT.END);
    await("End selects the last step", () -> Ui.call(view::step) == 7);

    assertFocusRing(chart, true, "light");
    shot("keyboard-chart-focus-light.png");
    DarkThemeTest.setTheme(DarkThemeTest.DARK);
    Ui.run(chart::setFocus);
    Ui.settle();
    Thread.sleep(300);
    assertFocusRing(chart, true, "dark");
    shot("keyboard-chart-focus-dark.png");
    Keys.press(0, SWT.TAB);
    Ui.settle();
    Thread.sleep(200);
    assertFalse(Ui.call(() -> Display.getCurrent().getFocusControl() == chart), "Tab leaves the chart");
    assertFocusRing(chart, false, "dark, after Tab left");
    // a push button of the view draws the same ring when it has the focus: GTK's own mark, a faint
    // dotted line, was hard to see in the dark theme
    var next = Ui.call(() -> Widgets.button(view.getViewSite().getShell(), "Next ▶"));
    Ui.run(() -> view.tree().getControl().setFocus());
    assertRingAround(next, false, "dark, Next ▶ without the focus");
    Ui.run(next::setFocus);
    Thread.sleep(300);
    assertRingAround(next, true, "dark, Next ▶ focused");
    shot("keyboard-button-focus-dark.png");
    DarkThemeTest.setTheme(DarkThemeTest.LIGHT);
    Ui.run(next::setFocus);
    Thread.sleep(300);
    assertRingAround(next, true, "light, Next ▶ focused");
  }

  /** Window > Show View > Other… from the keyboard: Alt+Shift+Q, Q, type "State Flow", Enter opens the view. */
  @Test
  @org.junit.jupiter.api.Order(6)
  void showViewFromTheKeyboardOpensTheStateFlowView() throws Exception {
    StateFlowViewTest.show(Fixtures.linreg(dir.resolve("show.db"), 3, 0.02, -1, -1));
    Ui.closeStateFlowView();
    Ui.run(() -> {
      PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell().forceActive();
      var runs = Ui.page().findView(RunsView.ID);
      if (runs != null) {
        Ui.page().activate(runs);
      }
    });
    Ui.settle();
    Keys.press(SWT.ALT | SWT.SHIFT, 'q');
    Keys.press(0, 'q');
    var dialog = dev.statelens.test.support.WorkbenchUi.awaitShell(sh -> "Show View".equals(sh.getText()), 10_000);
    assertNotNull(dialog, "Alt+Shift+Q, Q opens Show View");
    for (char c : "State Flow".toCharArray()) {
      Keys.press(0, c);
    }
    dev.statelens.test.support.WorkbenchUi.settle(1500); // the filter runs after a pause in typing
    Keys.press(0, SWT.CR);
    await("Enter opens the State Flow view", () -> Ui.call(() -> Ui.page().findView(StateFlowView.ID) != null));
    assertTrue(Ui.call(() -> Ui.page().getActivePart() instanceof StateFlowView), "and it is the active part");
  }

  /**
   * The user rebinds Step to F10 (Preferences > Keys, Apply: the binding service saves a user
   * binding and unbinds F6): the open view's tooltips name F10 at once, and F6 again once the
   * default is restored. Written when the view was built, they named F6 until it was reopened.
   */
  @Test
  @org.junit.jupiter.api.Order(7)
  void theTooltipsFollowTheKeysTheUserBinds() throws Exception {
    StateFlowView view = StateFlowViewTest.show(Fixtures.linreg(dir.resolve("rebind.db"), 3, 0.02, -1, -1));
    IBindingService bindings = Ui.call(() -> PlatformUI.getWorkbench().getService(IBindingService.class));
    org.eclipse.jface.bindings.Binding[] defaults = Ui.call(bindings::getBindings);
    org.eclipse.jface.bindings.Scheme scheme = Ui.call(bindings::getActiveScheme);
    var shell = Ui.call(() -> view.getViewSite().getShell());
    try {
      Ui.run(() -> {
        var command = PlatformUI.getWorkbench().getService(org.eclipse.ui.commands.ICommandService.class)
            .getCommand("dev.statelens.debugger.step");
        String context = "dev.statelens.debugger.stateFlowContext";
        List<org.eclipse.jface.bindings.Binding> rebound = new java.util.ArrayList<>(List.of(defaults));
        try {
          rebound.add(new org.eclipse.jface.bindings.keys.KeyBinding(KeySequence.getInstance("F10"),
              org.eclipse.core.commands.ParameterizedCommand.generateCommand(command, null), scheme.getId(), context,
              null, null, null, org.eclipse.jface.bindings.Binding.USER));
          rebound.add(new org.eclipse.jface.bindings.keys.KeyBinding(KeySequence.getInstance("F6"), null, scheme.getId(),
              context, null, null, null, org.eclipse.jface.bindings.Binding.USER)); // F6 unbound, as Keys does it
          bindings.savePreferences(scheme, rebound.toArray(org.eclipse.jface.bindings.Binding[]::new));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      await("the tooltips to name F10", () -> Ui.call(() -> Widgets.button(shell, "Next ▶").getToolTipText()).equals("Next step (F10)"));
      assertTrue(Ui.call(() -> Widgets.button(shell, "Step").getToolTipText()).endsWith("(F10)"), "the Live row's Step too");
      assertEquals("Previous step (Shift+F6)", Ui.call(() -> Widgets.button(shell, "◀ Prev").getToolTipText()),
          "a command not rebound keeps its key");
    } finally {
      Ui.run(() -> {
        try {
          bindings.savePreferences(scheme, defaults);
        } catch (java.io.IOException e) {
          throw new AssertionError(e);
        }
      });
    }
    await("the tooltip to name F6 again", () -> Ui.call(() -> Widgets.button(shell, "Next ▶").getToolTipText()).equals("Next step (F6)"));
  }

  /** The ring's colour down the control's left edge, with 3:1 contrast against the view's background; none without focus. */
  private static void assertFocusRing(org.eclipse.swt.widgets.Control chart, boolean shown, String theme) throws Exception {
    Ui.run(chart::redraw);
    Ui.settle();
    Thread.sleep(150);
    Ui.run(() -> {
      ThemeColors t = ThemeColors.of(chart);
      RGB ring = t.focusRing().getRGB();
      int margin = Math.min(10, chart.getSize().y / 4); // a button is ~30 px high
      List<RGB> edge = Screen.pixels(chart, new Rectangle(0, margin, 3, chart.getSize().y - 2 * margin));
      long ringPixels = edge.stream().filter(ring::equals).count();
      if (shown) {
        assertTrue(ringPixels >= chart.getSize().y / 2, theme + ": the focus ring down the chart's left edge (" + ringPixels + " px)");
        assertTrue(ThemeColors.contrast(ring, t.background()) >= 3, theme + ": ring contrast " + ThemeColors.contrast(ring, t.background()));
      } else {
        assertEquals(0, ringPixels, theme + ": no ring without the focus");
      }
    });
  }

  /**
   * The ring's colour in the 2 pixels left of a push button (its row draws it there), at 3:1 against
   * the view's background; none without the focus.
   */
  private static void assertRingAround(org.eclipse.swt.widgets.Button button, boolean shown, String theme) throws Exception {
    Ui.run(() -> button.getParent().redraw());
    Ui.settle();
    Thread.sleep(150);
    Ui.run(() -> {
      ThemeColors t = ThemeColors.of(button.getParent());
      RGB ring = t.focusRing().getRGB();
      Rectangle b = button.getBounds();
      int margin = b.height / 4;
      List<RGB> left = Screen.pixels(button.getParent(), new Rectangle(b.x - 2, b.y + margin, 2, b.height - 2 * margin));
      // within a few levels of the ring's colour: in the light theme GTK shows (0,89,198) for (0,90,200)
      long ringPixels = left.stream().filter(p -> Math.abs(p.red - ring.red) <= 6 && Math.abs(p.green - ring.green) <= 6
          && Math.abs(p.blue - ring.blue) <= 6).count();
      assertTrue(left.size() >= 20, "the strip beside the button: " + left.size() + " px");
      if (shown) {
        assertEquals(left.size(), ringPixels, theme + ": the ring down the button's left side " + left);
        assertTrue(ThemeColors.contrast(ring, t.background()) >= 3, theme + ": ring contrast " + ThemeColors.contrast(ring, t.background()));
      } else {
        assertEquals(0, ringPixels, theme + ": no ring without the focus");
      }
    });
  }

  private static boolean paused(LiveSession s) {
    return s.state() == LiveSession.State.PAUSED;
  }

  /** The debugging context on, as while a launch is debugged: its F6/F7/F8/Ctrl+R are the Debug view's. */
  private void debugging() {
    debugging = Ui.call(() -> PlatformUI.getWorkbench().getService(IContextService.class)
        .activateContext("org.eclipse.debug.ui.debugging"));
  }

  /** The view the active part and its window the one the keys go to. */
  private static void activate(StateFlowView view) throws Exception {
    Ui.run(() -> {
      view.getViewSite().getShell().forceActive();
      Ui.page().activate(view);
    });
    Ui.settle();
  }

  /** The view menu's items as shown: "Step\tF6". */
  private static List<String> viewMenu(StateFlowView view) {
    var manager = (org.eclipse.jface.action.MenuManager) view.getViewSite().getActionBars().getMenuManager();
    var menu = manager.createContextMenu(view.getViewSite().getShell());
    try {
      menu.notifyListeners(SWT.Show, new org.eclipse.swt.widgets.Event());
      return java.util.Arrays.stream(menu.getItems()).map(org.eclipse.swt.widgets.MenuItem::getText).toList();
    } finally {
      menu.notifyListeners(SWT.Hide, new org.eclipse.swt.widgets.Event());
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    LiveRunTest.await(what, () -> {
      Ui.run(() -> { });
      return condition.getAsBoolean();
    });
  }

  private static void shot(String name) throws Exception {
    String out = System.getenv("STATELENS_WALK");
    if (out != null) {
      Screen.capture(Path.of(out, name));
    }
  }
}
