package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.launch.RunDebugTarget;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.ui.CompareView;
import dev.statelens.debugger.ui.DebuggerPerspective;
import dev.statelens.debugger.ui.OpenRunHandler;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.debugger.wizard.NewProjectCreator;
import dev.statelens.debugger.wizard.NewProjectPage;
import dev.statelens.debugger.wizard.NewProjectWizard;
import dev.statelens.debugger.wizard.ProjectTemplate;
import dev.statelens.test.support.TestJavaProjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a check: a newcomer's walk through the IDE as the README tells it, one screenshot per step and
 * a text file of what each step said (markers, quick fixes, status lines, dialogs), for a person to
 * read. Runs only with {@code STATELENS_WALK=<folder>} under {@code xvfb-run -s "-screen 0 1600x1000x24"}.
 */
class NewcomerWalkTest {
  @TempDir
  Path dir;
  private Path out;
  private final StringBuilder notes = new StringBuilder();
  private int shot;

  @Test
  void walkTheReadmesPath() throws Exception {
    String folder = System.getenv("STATELENS_WALK");
    assumeTrue(folder != null, "a walk only on request (STATELENS_WALK)");
    out = Files.createDirectories(Path.of(folder));
    TestJavaProjects.disableAutoBuild();
    Ui.run(() -> {
      var shell = Ui.page().getWorkbenchWindow().getShell();
      shell.setBounds(shell.getDisplay().getBounds());
      Ui.page().closeAllEditors(false);
    });
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    Ui.closeStateFlowView();
    perspective(DebuggerPerspective.ID);
    capture("empty-statelens-perspective");

    // 1. File > New > StateLens Project
    NewProjectWizard wizard = new NewProjectWizard();
    NewProjectWizardTest.FinishingDialog dialog = Ui.call(() -> {
      wizard.init(PlatformUI.getWorkbench(), null);
      var d = new NewProjectWizardTest.FinishingDialog(wizard);
      d.setBlockOnOpen(false);
      d.open();
      return d;
    });
    Ui.run(() -> ((NewProjectPage) dialog.getCurrentPage()).fill("walk", ProjectTemplate.LINEAR_REGRESSION));
    centreDialogs();
    capture("wizard");
    Ui.run(dialog::finish);
    NewProjectCreator.Created created = wizard.created();
    created.project().getProject().build(IncrementalProjectBuilder.FULL_BUILD, null);
    Ui.settle();
    capture("created");
    String clean = TestJavaProjects.read(created.source());

    // 2. purity broken on purpose: a field write, a println, Math.random in the jitted step
    String broken = clean.replace("  static final int STEPS = 200;", "  static int tracedSteps;\n  static final int STEPS = 200;")
        .replace("      Pair<Array, Params> lossAndGrads = lossAndGrad.apply(state.params(), b);",
            "      tracedSteps++;\n      System.out.println(\"step \" + tracedSteps);\n"
                + "      Array jitter = Array.scalar(Math.random());\n"
                + "      Pair<Array, Params> lossAndGrads = lossAndGrad.apply(state.params(), b);");
    setSource(created, broken);
    note("markers after the build:");
    for (IMarker m : created.project().getProject().findMarkers(NewProjectWizardTest.MARKER, true, IResource.DEPTH_INFINITE)) {
      note("  line " + m.getAttribute(IMarker.LINE_NUMBER, -1) + ": " + m.getAttribute(IMarker.MESSAGE, ""));
      for (var r : Ui.call(() -> org.eclipse.ui.ide.IDE.getMarkerHelpRegistry().getResolutions(m))) {
        note("      fix: " + r.getLabel());
      }
    }
    IMarker firstMarker = created.project().getProject().findMarkers(NewProjectWizardTest.MARKER, true,
        IResource.DEPTH_INFINITE)[0];
    Ui.run(() -> {
      try {
        Ui.page().showView("org.eclipse.ui.views.ProblemView");
        var editor = org.eclipse.ui.ide.IDE.openEditor(Ui.page(), created.source(), true);
        org.eclipse.ui.ide.IDE.gotoMarker(editor, firstMarker);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Ui.settle();
    Thread.sleep(1000);
    Ui.run(() -> expandWarnings(Ui.page().getWorkbenchWindow().getShell()));
    Thread.sleep(800);
    capture("broken-markers");
    setSource(created, clean);

    // 3. Debug As > StateLens Training: paused before the first call; step, step back
    ILaunchConfigurationWorkingCopy wc = created.launch().getWorkingCopy();
    wc.setAttribute(dev.statelens.debugger.launch.TrainingLaunchDelegate.ATTR_RUN_FILE, dir.resolve("walk.db").toString());
    ILaunch launch = wc.doSave().launch(ILaunchManager.DEBUG_MODE, null, false);
    try {
      RunDebugTarget target = awaitTarget(launch);
      var session = target.session();
      TrainingLaunchEndToEndTest.await("paused", 60_000, () -> session.state() == dev.statelens.debugger.launch.LiveSession.State.PAUSED,
          session::label);
      Ui.settle();
      Thread.sleep(1500);
      capture("paused-at-start");
      IThread thread = target.getThreads()[0];
      for (int i = 1; i <= 3; i++) {
        long want = i;
        thread.stepOver();
        TrainingLaunchEndToEndTest.await("step " + i, 30_000,
            () -> session.state() == dev.statelens.debugger.launch.LiveSession.State.PAUSED && session.step() == want, session::label);
      }
      Ui.settle();
      Thread.sleep(1500);
      capture("stepped-three");
      StateFlowView v = Ui.call(() -> (StateFlowView) Ui.page().findView(StateFlowView.ID));
      note("paused: thread '" + thread.getName() + "', view header '" + Ui.call(v::header) + "'");
      Ui.run(() -> v.selectStep(Math.max(0, v.step() - 1))); // ◀ Prev
      Ui.settle();
      Thread.sleep(800);
      capture("step-back");
      target.resume();
      TrainingLaunchEndToEndTest.await("the end", 60_000, launch::isTerminated, session::label);
      Ui.settle();
      Thread.sleep(1500);
      capture("finished-charts");
      note("finished: view header '" + Ui.call(v::header) + "'");
      for (String tab : List.of("Diff", "Traced graph", "State flow")) {
        Ui.run(() -> v.selectTab(tab));
        Ui.settle();
        Thread.sleep(1000);
        capture("tab-" + tab.replace(' ', '-').toLowerCase());
      }
    } catch (Exception | AssertionError e) {
      TrainingLaunchEndToEndTest.endLaunch(launch);
      throw e;
    }

    // 4. a second run at another learning rate, compared with the first
    setSource(created, clean.replace("Optim.sgd(0.05)", "Optim.sgd(0.01)"));
    wc = created.launch().getWorkingCopy();
    wc.setAttribute(dev.statelens.debugger.launch.TrainingLaunchDelegate.ATTR_RUN_FILE, dir.resolve("walk-lr-0.01.db").toString());
    ILaunch first = launch;
    ILaunch second = wc.doSave().launch(ILaunchManager.RUN_MODE, null, false);
    try {
    TrainingLaunchEndToEndTest.await("the second run", 60_000, second::isTerminated, () -> "");
    Ui.settle();
    Thread.sleep(1500);
    capture("second-run-finished");
    List<Run> runs = DebuggerPlugin.runs().all();
    note("runs open: " + runs.stream().map(r -> r.path().getFileName().toString()).toList());
    var runsView = CompareRunsTest.runsView();
    Ui.run(() -> runsView.viewer().setSelection(new StructuredSelection(runs)));
    Ui.run(() -> runsView.compareRunsAction().run());
    Ui.settle();
    Thread.sleep(1500);
    capture("compare-runs");
    CompareView compare = Ui.call(() -> (CompareView) Ui.page().findView(CompareView.ID));
    note("compare: " + Ui.call(compare::message));

    // 5. a corrupt run file
    Path corrupt = dir.resolve("corrupt.db");
    byte[] whole = Files.readAllBytes(dir.resolve("walk.db"));
    Files.write(corrupt, Arrays.copyOf(whole, whole.length / 3));
    boolean automated = org.eclipse.jface.dialogs.ErrorDialog.AUTOMATED_MODE;
    org.eclipse.jface.dialogs.ErrorDialog.AUTOMATED_MODE = false; // the test harness's ErrorDialog logs instead of showing
    Ui.run(() -> OpenRunHandler.openFile(Ui.page(), corrupt));
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline && !Ui.call(() -> Arrays.stream(Display.getDefault().getShells())
        .anyMatch(sh -> sh.isVisible() && sh != Ui.page().getWorkbenchWindow().getShell()))) {
      Thread.sleep(200);
    }
    Thread.sleep(500);
    StateFlowView shown = Ui.call(() -> (StateFlowView) Ui.page().findView(StateFlowView.ID));
    if (shown != null) {
      note("state flow after opening corrupt.db: '" + Ui.call(shown::header) + "' status '" + Ui.call(shown::status) + "'");
    }
    centreDialogs();
    capture("corrupt-run");
    Ui.run(() -> {
      for (Shell s : Display.getDefault().getShells()) {
        if (s != Ui.page().getWorkbenchWindow().getShell() && s.isVisible()) {
          note("dialog '" + s.getText() + "'");
          s.close();
        }
      }
    });
      org.eclipse.jface.dialogs.ErrorDialog.AUTOMATED_MODE = automated;
    } finally {
      TrainingLaunchEndToEndTest.endLaunch(first);
      TrainingLaunchEndToEndTest.endLaunch(second);
    }
    created.project().getProject().delete(true, true, null);
  }

  /** Opens the Problems view's "Warnings (n items)" group, as a click on it does. */
  private static void expandWarnings(org.eclipse.swt.widgets.Composite parent) {
    for (var child : parent.getChildren()) {
      if (child instanceof org.eclipse.swt.widgets.Tree tree) {
        for (var item : tree.getItems()) {
          if (item.getText().startsWith("Warnings (")) {
            // the viewer makes the children on Expand; expanding before that opened a row with none
            var e = new org.eclipse.swt.widgets.Event();
            e.item = item;
            tree.notifyListeners(org.eclipse.swt.SWT.Expand, e);
            item.setExpanded(true);
          }
        }
      } else if (child instanceof org.eclipse.swt.widgets.Composite c) {
        expandWarnings(c);
      }
    }
  }

  private static RunDebugTarget awaitTarget(ILaunch launch) throws Exception {
    TrainingLaunchEndToEndTest.await("the debug target", 20_000,
        () -> Arrays.stream(launch.getDebugTargets()).anyMatch(t -> t instanceof RunDebugTarget), () -> "");
    return (RunDebugTarget) Arrays.stream(launch.getDebugTargets()).filter(t -> t instanceof RunDebugTarget).findFirst()
        .orElseThrow();
  }

  private void setSource(NewProjectCreator.Created created, String text) throws Exception {
    created.source().setContents(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        IResource.FORCE, null);
    created.project().getProject().build(IncrementalProjectBuilder.INCREMENTAL_BUILD, null);
    Ui.settle();
  }

  private static void perspective(String id) {
    Ui.run(() -> {
      try {
        PlatformUI.getWorkbench().showPerspective(id, Ui.page().getWorkbenchWindow());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Ui.settle();
  }

  private static void centreDialogs() {
    Ui.run(() -> {
      var window = Ui.page().getWorkbenchWindow().getShell();
      for (Shell s : Display.getDefault().getShells()) {
        if (s != window && s.isVisible()) {
          var size = s.getSize();
          var screen = window.getDisplay().getBounds();
          s.setLocation((screen.width - size.x) / 2, (screen.height - size.y) / 2);
          s.moveAbove(null);
        }
      }
    });
  }

  private void capture(String what) throws Exception {
    Ui.run(() -> {});
    Thread.sleep(300);
    ScreenshotTest.capture(out.resolve(String.format("%02d-%s.png", ++shot, what)));
    note("[" + shot + "] " + what);
  }

  private void note(String line) {
    notes.append(line).append('\n');
    try { // as it goes: a step that fails leaves what came before
      Files.writeString(out.resolve("walk.txt"), notes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
