package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.launch.LiveSession;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.ui.DebuggerPerspective;
import dev.statelens.debugger.ui.RunsView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.Launch;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.ui.AbstractDebugView;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A paused run behaves as a suspended Java program: the Debug view comes forward (in the StateLens
 * perspective it shares a tab folder with the Runs view) and the paused frame is selected, so the
 * Variables view shows the state without a click — at the pause before the first call and after a
 * Step Over, also when the Debug view was closed or behind the Runs tab.
 */
class PauseRevealTest {
  @TempDir
  Path dir;

  @Test
  void aPauseBringsTheDebugViewForwardWithItsFrameSelected() throws Exception {
    Path db = dir.resolve("paused.db");
    ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
    ILaunch launch = new Launch(null, ILaunchManager.DEBUG_MODE, null);
    manager.addLaunch(launch);
    Ui.run(() -> {
      var window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
      try {
        PlatformUI.getWorkbench().showPerspective(DebuggerPerspective.ID, window);
        IWorkbenchPage page = window.getActivePage();
        var debugView = page.findView(IDebugUIConstants.ID_DEBUG_VIEW);
        if (debugView != null) {
          page.hideView(debugView); // as in a fresh perspective: never created
        }
        page.showView(RunsView.ID); // the Runs tab in front, where the Debug view's tab is
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    LiveFixture live = LiveFixture.start(db, launch);
    LiveSession session = live.session;
    Run run = live.run;
    IThread thread = live.thread();
    Thread program = LiveRunTest.training("paused-training", session, db, 0.02, 20);
    try {
      // paused before the first call: the Debug view is shown and its frame is the debug context
      LiveRunTest.await("the pause before the first call", () -> session.state() == LiveSession.State.PAUSED);
      awaitFrameShown(thread, "update(step 0) — not run yet");

      // Step Over with the Runs tab in front again: after the step the Debug view comes back, the
      // new frame selected, and the Variables view shows the state step 1 receives without a click
      Ui.run(() -> {
        try {
          Ui.page().showView(RunsView.ID);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertTrue(!Ui.call(() -> Ui.page().isPartVisible(Ui.page().findView(IDebugUIConstants.ID_DEBUG_VIEW))),
          "the Runs tab covers the Debug view before the step");
      thread.stepOver();
      LiveRunTest.await("step 1", () -> session.state() == LiveSession.State.PAUSED && session.step() == 1);
      awaitFrameShown(thread, "update(step 1) — 3 state leaves");
      LiveRunTest.await("the Variables view showing params and loss", () -> {
        List<String> texts = treeTexts(IDebugUIConstants.ID_VARIABLE_VIEW);
        return texts.contains("params") && texts.contains("loss");
      });
      // the State Flow view opened on the run while it is paused before step 1: its Run to step starts
      // at the first step still ahead (it read 0, and Run to step 0 ran to the end)
      var flow = Ui.call(() -> {
        try {
          var v = (dev.statelens.debugger.ui.StateFlowView) Ui.page().showView(dev.statelens.debugger.ui.StateFlowView.ID,
              null, IWorkbenchPage.VIEW_VISIBLE);
          v.show(run);
          return v;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      LiveRunTest.await("Run to step to start at step 2", () -> {
        Ui.settle();
        return Ui.call(() -> flow.runToStepSpinner().getSelection()) == 2;
      });
      shotIfAsked(); // the picture with the run's State Flow view
      session.resume();
      program.join(60_000);
    } finally {
      live.close();
      manager.removeLaunch(launch);
      Ui.closeStateFlowView();
    }
  }

  /** Waits until the Debug view is visible, shows the frame {@code label} and has it as the window's debug context. */
  private static void awaitFrameShown(IThread thread, String label) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    String seen = "";
    while (System.currentTimeMillis() < deadline) {
      var frame = thread.getTopStackFrame();
      seen = Ui.call(() -> {
        IWorkbenchPage page = Ui.page();
        var view = page.findView(IDebugUIConstants.ID_DEBUG_VIEW);
        var context = DebugUITools.getDebugContextManager().getContextService(page.getWorkbenchWindow())
            .getActiveContext();
        Object selected = context instanceof IStructuredSelection s ? s.getFirstElement() : null;
        var runs = page.findView(RunsView.ID);
        return "visible=" + (view != null && page.isPartVisible(view)) + " context=" + selected
            + " runsVisible=" + (runs != null && page.isPartVisible(runs)) + " active=" + page.getActivePart()
            + " texts=" + treeTexts(IDebugUIConstants.ID_DEBUG_VIEW);
      });
      if (frame != null && seen.startsWith("visible=true context=" + frame) && seen.contains(label)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the Debug view did not come forward with '" + label + "' selected: " + seen);
  }

  /** The labels (first column) of the items a debug view shows, expanded ones' children too. */
  private static List<String> treeTexts(String viewId) {
    return Ui.call(() -> {
      List<String> out = new ArrayList<>();
      var view = Ui.page().findView(viewId);
      if (view instanceof AbstractDebugView dv && dv.getViewer() != null && dv.getViewer().getControl() instanceof Tree t) {
        collect(t.getItems(), out);
      }
      return out;
    });
  }

  private static void collect(TreeItem[] items, List<String> out) {
    for (TreeItem item : items) {
      out.add(item.getText());
      if (item.getExpanded()) {
        collect(item.getItems(), out);
      }
    }
  }

  /** With STATELENS_SCREENSHOTS=dir: the StateLens perspective at the pause, as dir/debugger-paused-frame.png. */
  private static void shotIfAsked() throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    if (out == null) {
      return;
    }
    Ui.run(() -> {
      var shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
      shell.setBounds(shell.getDisplay().getBounds()); // no window manager under Xvfb
    });
    Ui.settle();
    Thread.sleep(2500); // the State Flow view just opened: let every view repaint (it caught them greyed)
    Ui.run(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell().update());
    ScreenshotTest.capture(Path.of(out).resolve("debugger-paused-frame.png"));
  }
}
