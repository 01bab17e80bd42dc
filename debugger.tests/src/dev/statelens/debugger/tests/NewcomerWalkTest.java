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
import dev.statelens.test.support.Walk;
import dev.statelens.test.support.Widgets;
import dev.statelens.test.support.WorkbenchUi;
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
  private static final int W = 1600;
  private static final int H = 1000;

  @TempDir
  Path dir;
  private Walk walk;

  @Test
  void walkTheReadmesPath() throws Exception {
    assumeTrue(Walk.requested() != null, "a walk only on request (STATELENS_WALK)");
    walk = new Walk(Walk.requested(), W, H);
    TestJavaProjects.disableAutoBuild();
    WorkbenchUi.sizeWindow(W, H);
    Ui.run(() -> Ui.page().closeAllEditors(false));
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    Ui.closeStateFlowView();
    WorkbenchUi.showPerspective(DebuggerPerspective.ID);
    Ui.settle();
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
    WorkbenchUi.centreDialogs();
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
    WorkbenchUi.expandGroups("Warnings (");
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

      // Break when loss > X, X below the loss: the program pauses after its next call
      long before = session.step();
      Ui.run(() -> {
        var lossAbove = Widgets.one(v.getViewSite().getShell(), org.eclipse.swt.widgets.Button.class,
            b -> b.getText().equals("Break when loss >"));
        var siblings = Arrays.asList(lossAbove.getParent().getChildren());
        ((org.eclipse.swt.widgets.Text) siblings.get(siblings.indexOf(lossAbove) + 1)).setText("0.001");
        lossAbove.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
      });
      TrainingLaunchEndToEndTest.await("the loss break", 30_000,
          () -> session.state() == dev.statelens.debugger.launch.LiveSession.State.PAUSED && session.step() > before,
          session::label);
      Ui.settle();
      Thread.sleep(1500);
      capture("break-when-loss");
      note("after Break when loss > 0.001: thread '" + thread.getName() + "', live '" + session.label() + "'");
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

      // Go to Source on a leaf of the state tree
      Ui.run(() -> {
        v.selectTab("Charts");
        var leaf = v.stepState().leaves("in").getFirst();
        v.tree().setSelection(new StructuredSelection(leaf), true);
        v.goToSource();
      });
      Ui.settle();
      Thread.sleep(1000);
      capture("go-to-source");
      note("Go to Source: status '" + Ui.call(v::status) + "', editor '"
          + Ui.call(() -> Ui.page().getActiveEditor() == null ? "none" : Ui.page().getActiveEditor().getTitle()) + "'");

      // the same view in the dark theme
      Ui.run(() -> Ui.page().activate(v));
      DarkThemeTest.setTheme(DarkThemeTest.DARK);
      try {
        Thread.sleep(1500);
        capture("dark-charts");
        Ui.run(() -> v.selectTab("Traced graph"));
        Ui.settle();
        Thread.sleep(800);
        capture("dark-graph");
      } finally {
        DarkThemeTest.setTheme(DarkThemeTest.LIGHT);
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
    WorkbenchUi.centreDialogs();
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

    // the transformer example's Traced graph (STATELENS_WALK_TRANSFORMER: a run recorded with
    // ./statelens example transformer --record FILE)
    String transformer = System.getenv("STATELENS_WALK_TRANSFORMER");
    if (transformer != null) {
      DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
      StateFlowView t = StateFlowViewTest.show(Path.of(transformer));
      WorkbenchUi.sizeWindow(W, H); // an earlier step's dialog left the window smaller
      Ui.run(() -> t.selectTab("Traced graph"));
      Ui.settle();
      Thread.sleep(1500);
      capture("transformer-graph");
      note("transformer graph: " + Ui.call(() -> t.tracedGraph().summaryText()));
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

  private void capture(String what) throws Exception {
    Ui.run(() -> {});
    walk.capture(what);
  }

  private void note(String line) {
    walk.note(line);
  }
}
