package dev.statelens.debugger.tests;

import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.ui.RunJobs;
import dev.statelens.debugger.ui.StateFlowView;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Scrollable;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;

/** Test helpers: the tests run off the UI thread (useUIThread=false) and call into it. */
final class Ui {
  private Ui() {}

  static <T> T call(Supplier<T> s) {
    AtomicReference<T> out = new AtomicReference<>();
    AtomicReference<Throwable> err = new AtomicReference<>();
    Display.getDefault().syncExec(() -> {
      try {
        out.set(s.get());
      } catch (Throwable t) {
        err.set(t);
      }
    });
    if (err.get() instanceof RuntimeException re) {
      throw re;
    }
    if (err.get() instanceof Error e) {
      throw e;
    }
    if (err.get() != null) {
      throw new RuntimeException(err.get());
    }
    return out.get();
  }

  static void run(Runnable r) {
    call(() -> {
      r.run();
      return null;
    });
  }

  /**
   * Hides the State Flow view and waits for its reads: a live run's view re-reads the run file
   * every second, and a read during the temp folder's deletion recreates SQLite's side files.
   */
  static void closeStateFlowView() {
    run(() -> {
      IWorkbenchPage p = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
      var view = p.findView(StateFlowView.ID);
      if (view != null) {
        p.hideView(view);
      }
    });
    settle();
  }

  /** Window > Show View > State Flow: the view, created if it was not. */
  static StateFlowView showStateFlowView() {
    return call(() -> {
      try {
        return (StateFlowView) page().showView(StateFlowView.ID);
      } catch (PartInitException e) {
        throw new RuntimeException(e);
      }
    });
  }

  /** Shows {@code run} in the State Flow view (not waiting for its reads: {@link #settle}). */
  static StateFlowView showRun(Run run) {
    return call(() -> { // one UI-thread turn: the view is created and shows the run
      StateFlowView v = showStateFlowView();
      v.show(run);
      return v;
    });
  }

  static IWorkbenchPage page() {
    return call(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage());
  }

  /**
   * Waits until the debugger's reads are done and their results applied: no job of the family
   * left twice in a row after the UI thread processed what they posted (and throttled redraws ran).
   */
  static void settle() {
    int quiet = 0;
    long deadline = System.currentTimeMillis() + 30_000;
    while (quiet < 3 && System.currentTimeMillis() < deadline) {
      try {
        Job.getJobManager().join(RunJobs.FAMILY, null);
        Thread.sleep(80);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      run(() -> {}); // the UI thread has now run what the jobs posted before
      quiet = Job.getJobManager().find(RunJobs.FAMILY).length == 0 ? quiet + 1 : 0;
    }
  }

  /**
   * The mouse wheel over {@code c} at x, half its height: {@code count} notches (&gt; 0: up) with
   * {@code mods} held (SWT.MOD1: Ctrl+wheel, which zooms a chart in a stack that scrolls). UI thread.
   */
  static void wheel(Scrollable c, int x, int count, int mods) {
    Event e = new Event();
    e.x = x;
    e.y = c.getClientArea().height / 2;
    e.count = count;
    e.stateMask = mods;
    e.doit = true; // as SWT sends it: a listener that takes the wheel clears it
    c.notifyListeners(SWT.MouseVerticalWheel, e);
  }

  /** A left-button drag across {@code c} from x {@code from} to x {@code to} at half its height, in 8 moves. UI thread. */
  static void drag(Scrollable c, int from, int to) {
    int y = c.getClientArea().height / 2;
    mouse(c, SWT.MouseDown, from, y, 0);
    for (int i = 1; i <= 8; i++) {
      mouse(c, SWT.MouseMove, from + (to - from) * i / 8, y, SWT.BUTTON1);
    }
    mouse(c, SWT.MouseUp, to, y, SWT.BUTTON1);
  }

  private static void mouse(Scrollable c, int type, int x, int y, int state) {
    Event e = new Event();
    e.x = x;
    e.y = y;
    e.button = type == SWT.MouseMove ? 0 : 1;
    e.count = 1;
    e.stateMask = state;
    c.notifyListeners(type, e);
  }
}
