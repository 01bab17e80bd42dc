package dev.statelens.debugger.launch;

import dev.statelens.debugger.DebuggerPlugin;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.ui.AbstractDebugView;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.jface.viewers.TreePath;
import org.eclipse.jface.viewers.TreeSelection;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;

/**
 * What a Java debugger does when its program suspends, for a paused StateLens run: the Debug view
 * comes forward (without taking the focus) and the paused frame is selected in it, so the Variables
 * view shows the state at once. In the StateLens perspective the Debug view shares its tab folder
 * with the Runs view; behind that tab it was never created, nothing was the debug context, and the
 * Variables view stayed empty until the frame was clicked.
 */
final class PauseReveal {
  private PauseReveal() {}

  /** Brings the Debug view forward and selects the thread's top frame, later on the UI thread. */
  static void showPaused(RunThread thread) {
    if (!PlatformUI.isWorkbenchRunning()) {
      return;
    }
    var display = PlatformUI.getWorkbench().getDisplay();
    if (display.isDisposed()) {
      return;
    }
    display.asyncExec(() -> reveal(thread));
  }

  private static void reveal(RunThread thread) {
    IStackFrame frame = thread.getTopStackFrame();
    IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
    IWorkbenchPage page = window == null ? null : window.getActivePage();
    if (frame == null || page == null) {
      return; // resumed meanwhile, or no window
    }
    IViewPart debugView;
    try {
      debugView = page.showView(IDebugUIConstants.ID_DEBUG_VIEW, null, IWorkbenchPage.VIEW_VISIBLE);
      page.bringToTop(debugView); // VIEW_VISIBLE alone left it behind the Runs tab
    } catch (PartInitException e) {
      DebuggerPlugin.log("cannot show the Debug view", e);
      return;
    }
    if (debugView instanceof AbstractDebugView view && view.getViewer() != null) {
      // the Debug view's own update selects the top frame too once it has the element; selecting
      // it here covers a view created after the suspend event was handled
      TreePath path = new TreePath(new Object[] {thread.getLaunch(), thread.getDebugTarget(), thread, frame});
      view.getViewer().setSelection(new TreeSelection(path), true);
    }
  }
}
