package dev.statelens.debugger.launch;

import dev.statelens.debugger.ui.SourceNavigator;
import dev.statelens.debugger.ui.SourceNavigator.Outcome;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.debug.ui.sourcelookup.ISourceDisplay;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;

/**
 * Shows a paused frame's source, as the Debug view does for a Java frame: selecting
 * {@code update(step 37) — 3 state leaves} opens the step function at the line the run recorded
 * (run store schema 2), resolved by {@link SourceNavigator} like Go to Source on {@code jit update},
 * without taking the focus from the Debug view. What cannot be resolved (the class is not in the
 * workspace, a run without source positions) opens nothing: Go to Source's one-line message goes to
 * the Debug view's status line. Without this adapter the launch's Java source locator would open a
 * "Source not found" editor.
 */
public final class FrameSourceDisplay implements ISourceDisplay {
  static final FrameSourceDisplay INSTANCE = new FrameSourceDisplay();

  private final SourceNavigator navigator = new SourceNavigator(this::show);
  private volatile IWorkbenchPage page;
  private volatile Outcome last;

  private FrameSourceDisplay() {}

  /** Called by the Debug UI on the UI thread when a frame becomes the debug context. */
  @Override
  public void displaySource(Object element, IWorkbenchPage page, boolean forceSourceLookup) {
    if (!(element instanceof StateFrame frame) || page == null || frame.function() == null || frame.step() <= 0) {
      return; // before a function's first call it has not been traced: no source position yet
    }
    this.page = page;
    navigator.showFunction(frame.session().recordedRun(), page.getWorkbenchWindow().getShell(), frame.function());
  }

  /** The outcome of the latest frame shown (opened, or the status-line message why not); null before any. */
  public static Outcome lastOutcome() {
    return INSTANCE.last;
  }

  private void show(Outcome outcome) {
    last = outcome;
    IWorkbenchPage p = page;
    IViewPart debugView = p == null ? null : p.findView(IDebugUIConstants.ID_DEBUG_VIEW);
    if (debugView != null) { // a Java frame shows no message when its source opens; ours neither
      debugView.getViewSite().getActionBars().getStatusLineManager()
          .setMessage(outcome.opened() ? null : outcome.message());
    }
  }
}
