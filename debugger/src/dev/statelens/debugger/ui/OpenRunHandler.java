package dev.statelens.debugger.ui;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Run;
import java.nio.file.Path;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;

/** File > Open Run…: picks a recorded run store (.db) and shows it in the State Flow view. */
public final class OpenRunHandler extends AbstractHandler {
  @Override
  public Object execute(ExecutionEvent event) throws ExecutionException {
    openWithDialog(HandlerUtil.getActiveShell(event), HandlerUtil.getActiveWorkbenchWindow(event).getActivePage());
    return null;
  }

  static void openWithDialog(Shell shell, IWorkbenchPage page) {
    FileDialog d = new FileDialog(shell, SWT.OPEN);
    d.setText("Open StateLens Run");
    d.setFilterExtensions(new String[] {"*.db", "*.*"});
    d.setFilterNames(new String[] {"StateLens runs (*.db)", "All files"});
    String f = d.open();
    if (f != null) {
      try {
        open(page, Path.of(f));
      } catch (PartInitException e) {
        MessageDialog.openError(shell, "Open Run", "Cannot open the State Flow view: " + e.getMessage());
      }
    }
  }

  /** Registers {@code file} as a run and shows it in the State Flow view (reading happens in Jobs). */
  public static StateFlowView open(IWorkbenchPage page, Path file) throws PartInitException {
    Run run = DebuggerPlugin.runs().open(file);
    page.showView(RunsView.ID, null, IWorkbenchPage.VIEW_VISIBLE);
    StateFlowView v = (StateFlowView) page.showView(StateFlowView.ID);
    v.show(run);
    return v;
  }
}
