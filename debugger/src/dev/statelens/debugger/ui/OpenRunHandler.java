package dev.statelens.debugger.ui;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.model.RunFileProblems;
import java.nio.file.Path;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * File > Open StateLens Run…: picks a recorded run store (.db) and shows it in the State Flow view,
 * in the StateLens perspective.
 * The file is opened and checked in a Job; a file that is not a readable run (missing, empty,
 * truncated, corrupt, another application's database, a newer schema) ends in one error dialog
 * naming the file and the fix, with the exception in the Error Log, and is not added to the Runs
 * view. Reading never writes to the file.
 */
public final class OpenRunHandler extends AbstractHandler {
  /** The title of the error dialog (tests find it by this). */
  public static final String DIALOG_TITLE = "Open StateLens Run";

  @Override
  public Object execute(ExecutionEvent event) throws ExecutionException {
    openWithDialog(HandlerUtil.getActiveShell(event), HandlerUtil.getActiveWorkbenchWindow(event).getActivePage());
    return null;
  }

  static void openWithDialog(Shell shell, IWorkbenchPage page) {
    FileDialog d = new FileDialog(shell, SWT.OPEN);
    d.setText(DIALOG_TITLE);
    d.setFilterExtensions(new String[] {"*.db", "*.*"});
    d.setFilterNames(new String[] {"StateLens runs (*.db)", "All files"});
    Path start = startFolder();
    if (start != null) {
      d.setFilterPath(start.toString());
    }
    String f = d.open();
    if (f != null) {
      Path chosen = Path.of(f).toAbsolutePath();
      if (chosen.getParent() != null) {
        DebuggerPlugin.getDefault().getDialogSettings().put(LAST_FOLDER, chosen.getParent().toString());
      }
      openFile(page, chosen);
    }
  }

  /** Dialog settings key: the folder of the last run opened with the dialog. */
  public static final String LAST_FOLDER = "OpenRun.lastFolder";

  /**
   * Where the file dialog starts: the folder of the last run opened with it, else the workspace's
   * {@code runs/} (where StateLens Training launches record), else the dialog's own default (GTK's
   * "Recent", where a run file never is); null for that default.
   */
  public static Path startFolder() {
    String last = DebuggerPlugin.getDefault().getDialogSettings().get(LAST_FOLDER);
    if (last != null && !last.isBlank() && java.nio.file.Files.isDirectory(Path.of(last))) {
      return Path.of(last);
    }
    var location = org.eclipse.core.resources.ResourcesPlugin.getWorkspace().getRoot().getLocation();
    Path runs = location == null ? null : location.toPath().resolve("runs");
    return runs != null && java.nio.file.Files.isDirectory(runs) ? runs : null;
  }

  /**
   * Opens {@code file} as the user asked for it: reads its overview in a Job (family
   * {@link RunJobs#FAMILY}), then registers it and shows it in the State Flow view, or shows why it
   * cannot be read. A file already open is shown again (and re-read), not opened twice.
   */
  public static void openFile(IWorkbenchPage page, Path file) {
    Path p = file.toAbsolutePath().normalize();
    Run open = DebuggerPlugin.runs().find(p);
    if (open != null) {
      showRun(page, open);
      return;
    }
    Display display = page.getWorkbenchWindow().getShell().getDisplay();
    Job job = new Job("Open StateLens run " + p.getFileName()) {
      @Override
      protected IStatus run(IProgressMonitor monitor) {
        Run run;
        try {
          run = Run.readChecked(p);
        } catch (RuntimeException e) {
          String message = RunFileProblems.userMessage(p, e);
          DebuggerPlugin.log("Could not open the StateLens run " + p + ": " + message, e);
          display.asyncExec(() -> showProblem(page, p, message));
          return Status.OK_STATUS; // reported by the dialog; a second one from the job manager would repeat it
        }
        display.asyncExec(() -> showRun(page, DebuggerPlugin.runs().add(run)));
        return Status.OK_STATUS;
      }

      @Override
      public boolean belongsTo(Object family) {
        return family == RunJobs.FAMILY;
      }
    };
    job.setUser(false);
    job.setPriority(Job.SHORT);
    job.schedule();
  }

  private static void showProblem(IWorkbenchPage page, Path file, String message) {
    Shell shell = page.getWorkbenchWindow().getShell();
    if (shell.isDisposed()) {
      return;
    }
    // no exception in the shown status: a user error gets its reason and fix, not a stack trace
    ErrorDialog.openError(shell, DIALOG_TITLE, "Could not open " + file.getFileName() + " as a StateLens run.",
        new Status(IStatus.ERROR, DebuggerPlugin.ID, message));
  }

  private static void showRun(IWorkbenchPage page, Run run) {
    try {
      page = inStateLensPerspective(page);
      page.showView(RunsView.ID, null, IWorkbenchPage.VIEW_VISIBLE);
      ((StateFlowView) page.showView(StateFlowView.ID)).show(run);
    } catch (PartInitException e) {
      DebuggerPlugin.log("cannot open the State Flow view", e);
      ErrorDialog.openError(page.getWorkbenchWindow().getShell(), DIALOG_TITLE,
          "Cannot open the State Flow view.", DebuggerPlugin.error(e.getMessage(), null));
    }
  }

  /**
   * Switches to the StateLens perspective, as a StateLens Training launch does: opened from the Java
   * perspective the State Flow view landed in the bottom panel beside Problems, a strip 200
   * pixels high for the timeline, the tree and three charts.
   */
  private static IWorkbenchPage inStateLensPerspective(IWorkbenchPage page) {
    var perspective = page.getPerspective();
    if (perspective != null && DebuggerPerspective.ID.equals(perspective.getId())) {
      return page;
    }
    try {
      return page.getWorkbenchWindow().getWorkbench().showPerspective(DebuggerPerspective.ID, page.getWorkbenchWindow());
    } catch (org.eclipse.ui.WorkbenchException e) {
      DebuggerPlugin.log("cannot open the StateLens perspective", e);
      return page;
    }
  }

  /**
   * Registers {@code file} as a run and shows it in the State Flow view without checking it first
   * (a launch's run file, which may not exist until the program's first jitted call; reading
   * happens in Jobs and a failure shows in the view's status line).
   */
  public static StateFlowView open(IWorkbenchPage page, Path file) throws PartInitException {
    Run run = DebuggerPlugin.runs().open(file);
    page.showView(RunsView.ID, null, IWorkbenchPage.VIEW_VISIBLE);
    StateFlowView v = (StateFlowView) page.showView(StateFlowView.ID);
    v.show(run);
    return v;
  }
}
