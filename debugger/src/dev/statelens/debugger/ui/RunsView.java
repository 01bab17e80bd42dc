package dev.statelens.debugger.ui;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.model.RunSummary;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IContributionManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.IActionBars;
import org.eclipse.ui.ISharedImages;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.part.ViewPart;

/** The runs open in the workbench (recorded files and live launches); double-click shows one. */
public final class RunsView extends ViewPart {
  public static final String ID = "dev.statelens.debugger.runsView";
  /** Drawn in the empty table: the two ways a run gets here, and where a newcomer without a program starts. */
  public static final String EMPTY_HINT = """
      No run open.
      File > Open StateLens Run… opens a recorded run (.db).
      Run > Debug As > StateLens Training on a class with a main records one and opens it here.
      No training program yet? File > New > StateLens Project makes one that records.""";
  /** The plugin's dialog settings section that keeps the widths the user gave the columns. */
  public static final String WIDTHS_SECTION = "RunsView.columnWidths";
  private TableViewer viewer;
  private ColumnWidths widths;
  private Action closeRun;
  private Action compareRuns;
  private final Consumer<Run> listener = r -> {
    if (viewer != null && !viewer.getControl().isDisposed()) {
      viewer.getControl().getDisplay().asyncExec(this::refresh);
    }
  };

  @Override
  public void createPartControl(Composite parent) {
    viewer = new TableViewer(parent, SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER);
    viewer.getTable().setHeaderVisible(true);
    viewer.getTable().setLinesVisible(true);
    viewer.setContentProvider(ArrayContentProvider.getInstance());
    column("Run", Run::name, Run::name);
    column("Calls", r -> r.summary() == null ? "" : String.format("%,d", r.summary().calls()), r -> null);
    column("Status", RunsView::statusCell, RunsView::status);
    column("Path", r -> r.path().toString(), r -> r.path().toString());
    widths = ColumnWidths.forTable(viewer.getTable(), org.eclipse.jface.dialogs.DialogSettings.getOrCreateSection(
        DebuggerPlugin.getDefault().getDialogSettings(), WIDTHS_SECTION));
    OpenRunsMemory.restoreOnce(parent.getDisplay(), null); // the runs open before the IDE restarted
    ColumnViewerToolTipSupport.enableFor(viewer);
    // the empty table says how to get a run into it
    EmptyHint.install(viewer.getTable(), () -> viewer.getTable().getItemCount() == 0, () -> EMPTY_HINT);
    viewer.addDoubleClickListener(e -> showSelected());
    createActions();
    getSite().setSelectionProvider(viewer);
    DebuggerPlugin.runs().addListener(listener);
    refresh();
  }

  /**
   * Open Run…, Refresh and Close Run: icons with tooltips on the view's toolbar, with their labels
   * in the view menu; Show and Close Run in the table's context menu. Close Run works on the
   * selected runs, so it is greyed out while none is selected.
   */
  private void createActions() {
    Action open = action("Open Run…", "Open a recorded run (.db) in the State Flow view",
        Images.descriptor(Images.OPEN_RUN), () -> OpenRunHandler.openWithDialog(getSite().getShell(), getSite().getPage()));
    Action reread = action("Refresh", "Re-read every run's calls and status (runs another process is still recording grow)",
        Images.descriptor(Images.REFRESH_RUNS), this::rereadAll);
    ISharedImages shared = PlatformUI.getWorkbench().getSharedImages();
    closeRun = action("Close Run", "Close the selected runs (the files stay)",
        shared.getImageDescriptor(ISharedImages.IMG_ELCL_REMOVE), this::closeSelected);
    closeRun.setDisabledImageDescriptor(shared.getImageDescriptor(ISharedImages.IMG_ELCL_REMOVE_DISABLED));
    closeRun.setEnabled(false);
    Action show = action("Show in State Flow", "Show the selected run in the State Flow view (or double-click it)",
        null, this::showSelected);
    show.setEnabled(false);
    compareRuns = action("Compare Runs", "Overlay the selected runs' loss, norms and a shared leaf by step, "
        + "beside a table of what differs (select two or more: Ctrl+click)", Images.descriptor(Images.COMPARE_RUNS),
        this::compareSelected);
    compareRuns.setEnabled(false);
    viewer.addSelectionChangedListener(e -> {
      closeRun.setEnabled(!e.getSelection().isEmpty());
      show.setEnabled(!e.getSelection().isEmpty());
      compareRuns.setEnabled(((IStructuredSelection) e.getSelection()).size() >= 2);
    });
    IActionBars bars = getViewSite().getActionBars();
    for (IContributionManager m : new IContributionManager[] {bars.getToolBarManager(), bars.getMenuManager()}) {
      m.add(open);
      m.add(reread);
      m.add(compareRuns);
      m.add(closeRun);
    }
    MenuManager context = new MenuManager();
    context.add(show);
    context.add(compareRuns);
    context.add(closeRun);
    viewer.getTable().setMenu(context.createContextMenu(viewer.getTable()));
  }

  private static Action action(String label, String tooltip, ImageDescriptor image, Runnable run) {
    Action a = new Action(label) {
      @Override
      public void run() {
        run.run();
      }
    };
    a.setToolTipText(tooltip);
    a.setImageDescriptor(image);
    return a;
  }

  private void closeSelected() {
    for (Object o : ((IStructuredSelection) viewer.getSelection()).toList()) {
      DebuggerPlugin.runs().remove((Run) o);
    }
  }

  /** Compare Runs (toolbar, view menu, context menu): enabled while two or more runs are selected. */
  public Action compareRunsAction() {
    return compareRuns;
  }

  /** Opens the Compare Runs view on the selected runs (two or more). */
  private void compareSelected() {
    List<Run> selected = ((IStructuredSelection) viewer.getSelection()).toList().stream()
        .filter(Run.class::isInstance).map(Run.class::cast).toList();
    if (selected.size() < 2) {
      return;
    }
    try {
      ((CompareView) getSite().getPage().showView(CompareView.ID)).compare(selected);
    } catch (PartInitException e) {
      DebuggerPlugin.log("cannot open the Compare Runs view", e);
    }
  }

  /** Close Run (toolbar, view menu, context menu): enabled while a run is selected. */
  public Action closeRunAction() {
    return closeRun;
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
    return "ended early" + (s.lastStep() >= 0 ? " at step " + String.format("%,d", s.lastStep()) : "")
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
