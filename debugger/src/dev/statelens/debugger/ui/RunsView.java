package dev.statelens.debugger.ui;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.model.RunSummary;
import java.util.function.Consumer;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.ViewPart;

/** The runs open in the workbench (recorded files and live launches); double-click shows one. */
public final class RunsView extends ViewPart {
  public static final String ID = "dev.statelens.debugger.runsView";
  /** Drawn in the empty table: the two ways a run gets here. */
  public static final String EMPTY_HINT = """
      No run open.
      File > Open StateLens Run… opens a recorded run (.db).
      Run > Debug As > StateLens Training on a class with a main records one and opens it here.""";
  /** The plugin's dialog settings section that keeps the widths the user gave the columns. */
  public static final String WIDTHS_SECTION = "RunsView.columnWidths";
  private TableViewer viewer;
  private ColumnWidths widths;
  private final Consumer<Run> listener = r -> {
    if (viewer != null && !viewer.getControl().isDisposed()) {
      viewer.getControl().getDisplay().asyncExec(this::refresh);
    }
  };

  @Override
  public void createPartControl(Composite parent) {
    viewer = new TableViewer(parent, SWT.FULL_SELECTION | SWT.BORDER);
    viewer.getTable().setHeaderVisible(true);
    viewer.getTable().setLinesVisible(true);
    viewer.setContentProvider(ArrayContentProvider.getInstance());
    column("Run", Run::name, Run::name);
    column("Calls", r -> r.summary() == null ? "" : Long.toString(r.summary().calls()), r -> null);
    column("Status", RunsView::statusCell, RunsView::status);
    column("Path", r -> r.path().toString(), r -> r.path().toString());
    widths = ColumnWidths.forTable(viewer.getTable(), org.eclipse.jface.dialogs.DialogSettings.getOrCreateSection(
        DebuggerPlugin.getDefault().getDialogSettings(), WIDTHS_SECTION));
    ColumnViewerToolTipSupport.enableFor(viewer);
    // the empty table says how to get a run into it
    EmptyHint.install(viewer.getTable(), () -> viewer.getTable().getItemCount() == 0, () -> EMPTY_HINT);
    viewer.addDoubleClickListener(e -> showSelected());
    Action open = new Action("Open Run…") {
      @Override
      public void run() {
        OpenRunHandler.openWithDialog(getSite().getShell(), getSite().getPage());
      }
    };
    open.setToolTipText("Open a recorded run (.db)");
    Action remove = new Action("Close Run") {
      @Override
      public void run() {
        for (Object o : ((IStructuredSelection) viewer.getSelection()).toList()) {
          DebuggerPlugin.runs().remove((Run) o);
        }
      }
    };
    Action reread = new Action("Refresh") {
      @Override
      public void run() {
        rereadAll();
      }
    };
    reread.setToolTipText("Re-read every run's calls and status (runs another process is still recording grow)");
    getViewSite().getActionBars().getToolBarManager().add(open);
    getViewSite().getActionBars().getToolBarManager().add(reread);
    getViewSite().getActionBars().getToolBarManager().add(remove);
    getSite().setSelectionProvider(viewer);
    DebuggerPlugin.runs().addListener(listener);
    refresh();
  }

  /**
   * The Status column: live, finished, being recorded (another process is writing it) or ended
   * early (the process stopped without closing the run), and "values every k steps" for a sparse run.
   */
  public static String status(Run r) {
    RunSummary s = r.summary();
    String every = s == null || s.valuesLabel().isEmpty() ? "" : ", " + s.valuesLabel();
    if (r.isLive()) {
      return "live" + (r.status().isEmpty() ? "" : ": " + r.status()) + every;
    }
    if (s == null || s.calls() == 0 && !r.status().isEmpty()) {
      return r.status(); // e.g. a launch whose program exited before its first jitted call says so
    }
    if (s.finished()) {
      return "finished" + every;
    }
    if (s.beingRecorded()) {
      return "being recorded" + (s.pid() > 0 ? " (pid " + s.pid() + ")" : "") + every;
    }
    return "ended early" + (s.lastStep() >= 0 ? " at step " + s.lastStep() : "")
        + ": the process stopped without closing the run" + every;
  }

  /**
   * The Status cell: {@link #status} without the explanation of an early end (the tooltip has it),
   * so "ended early at step 24" fits the narrow side pane the perspective gives this view.
   */
  public static String statusCell(Run r) {
    String full = status(r);
    return full.replace(": the process stopped without closing the run", "");
  }

  /** A column whose width follows its content ({@link ColumnWidths}); tooltip null: none. */
  private void column(String title, java.util.function.Function<Run, String> text,
      java.util.function.Function<Run, String> tooltip) {
    TableViewerColumn c = new TableViewerColumn(viewer, SWT.NONE);
    c.getColumn().setText(title);
    c.getColumn().setResizable(true);
    c.getColumn().setWidth(80); // until the first fit()
    c.setLabelProvider(new ColumnLabelProvider() {
      @Override
      public String getText(Object element) {
        return text.apply((Run) element);
      }

      @Override
      public String getToolTipText(Object element) { // the whole text (and why) where the cell is short
        return tooltip.apply((Run) element);
      }
    });
  }

  private void refresh() {
    if (!viewer.getControl().isDisposed()) {
      viewer.setInput(DebuggerPlugin.runs().all());
      widths.fit();
      viewer.getTable().redraw(); // the empty-table hint comes and goes with the rows
    }
  }

  /** The column widths: content-fitted until the user resizes one (then remembered). */
  public ColumnWidths columnWidths() {
    return widths;
  }

  /**
   * Re-reads the overview of every open run in a Job (family {@link RunJobs#FAMILY}); the table
   * follows as each one is read. A run that cannot be read any more keeps its last overview; why
   * goes to the Error Log.
   */
  public void rereadAll() {
    Job job = new Job("Refresh StateLens runs") {
      @Override
      protected IStatus run(IProgressMonitor monitor) {
        for (Run r : DebuggerPlugin.runs().all()) {
          if (monitor.isCanceled()) {
            return Status.CANCEL_STATUS;
          }
          try {
            r.refresh();
            DebuggerPlugin.runs().changed(r);
          } catch (RuntimeException e) {
            DebuggerPlugin.log("Could not re-read " + r.path(), e);
          }
        }
        return Status.OK_STATUS;
      }

      @Override
      public boolean belongsTo(Object family) {
        return family == RunJobs.FAMILY;
      }
    };
    job.setPriority(Job.SHORT);
    job.schedule();
  }

  private void showSelected() {
    Object o = ((IStructuredSelection) viewer.getSelection()).getFirstElement();
    if (o instanceof Run r) {
      try {
        StateFlowView v = (StateFlowView) getSite().getPage().showView(StateFlowView.ID);
        v.show(r);
      } catch (PartInitException e) {
        DebuggerPlugin.log("cannot open the State Flow view", e);
      }
    }
  }

  public TableViewer viewer() {
    return viewer;
  }

  @Override
  public void dispose() {
    DebuggerPlugin.runs().removeListener(listener);
    super.dispose();
  }

  @Override
  public void setFocus() {
    viewer.getControl().setFocus();
  }
}
