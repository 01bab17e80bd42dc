package dev.statelens.debugger.ui;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.model.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.DialogSettings;
import org.eclipse.jface.dialogs.IDialogSettings;
import org.eclipse.swt.widgets.Display;

/**
 * The runs open in the Runs view, and the one the State Flow view shows, kept in the debugger's
 * dialog settings so that they come back after the IDE restarts (the views came back empty, "No
 * run open"). The first of the two views created in a session reopens them in a Job; a file that
 * is gone or no longer a readable run is skipped silently (logged only).
 */
public final class OpenRunsMemory {
  private OpenRunsMemory() {}

  static final String SECTION = "openRuns";
  static final String PATHS = "paths";
  static final String SHOWN = "shown";

  /** The paths saved by the last session, read once at start before anything overwrites them. */
  private static volatile List<Path> saved = List.of();
  private static volatile Path savedShown;
  private static final AtomicBoolean restored = new AtomicBoolean();

  private static IDialogSettings section() {
    return DialogSettings.getOrCreateSection(DebuggerPlugin.getDefault().getDialogSettings(), SECTION);
  }

  /**
   * Reads what the last session left, then keeps the settings up to date with {@code runs}
   * (added, closed): called once when the bundle starts.
   */
  public static void track(Runs runs) {
    IDialogSettings s = section();
    String[] paths = s.getArray(PATHS);
    List<Path> list = new ArrayList<>();
    if (paths != null) {
      for (String p : paths) {
        try {
          list.add(Path.of(p));
        } catch (RuntimeException e) {
          // not a path on this machine: skipped
        }
      }
    }
    saved = List.copyOf(list);
    String shown = s.get(SHOWN);
    savedShown = shown == null || shown.isBlank() ? null : Path.of(shown);
    restored.set(false);
    runs.addListener(r -> save(runs));
  }

  private static synchronized void save(Runs runs) {
    if (DebuggerPlugin.getDefault() == null) {
      return;
    }
    if (!restored.get()) {
      return; // before the restore: the saved list still to be reopened must not be overwritten
    }
    section().put(PATHS, runs.all().stream().map(r -> r.path().toString()).toArray(String[]::new));
  }

  /** The State Flow view shows {@code run} (null: none): reopened there after a restart. */
  static synchronized void shown(Run run) {
    if (DebuggerPlugin.getDefault() != null && restored.get()) {
      section().put(SHOWN, run == null ? "" : run.path().toString());
    }
  }

  /**
   * Once per session (the first view to ask): reopens the runs the last session had open, in a
   * Job, and shows the one its State Flow view showed in {@code view} when that view still shows
   * nothing. Runs open already (a launch at start-up) are kept, not opened twice.
   */
  static void restoreOnce(Display display, StateFlowView view) {
    if (!restored.compareAndSet(false, true)) {
      return;
    }
    if ("false".equals(System.getProperty("statelens.debugger.restoreRuns"))) {
      save(DebuggerPlugin.runs()); // kept up to date, never reopened (the UI tests' workbench)
      return;
    }
    reopen(display, view);
  }

  private static void reopen(Display display, StateFlowView view) {
    List<Path> paths = saved;
    Path shown = savedShown;
    if (paths.isEmpty()) {
      save(DebuggerPlugin.runs());
      return;
    }
    Job job = new Job("Reopen StateLens runs") {
      @Override
      protected IStatus run(IProgressMonitor monitor) {
        List<Run> ok = new ArrayList<>();
        for (Path p : paths) {
          if (monitor.isCanceled()) {
            break;
          }
          if (!Files.isRegularFile(p) || DebuggerPlugin.runs().find(p) != null) {
            continue; // gone (or open already): skipped without a word
          }
          try {
            ok.add(Run.readChecked(p));
          } catch (RuntimeException e) {
            DebuggerPlugin.log("not reopening " + p + ": it is no longer a readable StateLens run", e);
          }
        }
        display.asyncExec(() -> {
          ok.forEach(DebuggerPlugin.runs()::add);
          save(DebuggerPlugin.runs());
          Run toShow = shown == null ? null : DebuggerPlugin.runs().find(shown);
          StateFlowView v = view != null ? view : openStateFlowView();
          if (toShow != null && v != null && !v.isDisposed() && v.run() == null) {
            v.show(toShow);
          }
        });
        return Status.OK_STATUS;
      }

      @Override
      public boolean belongsTo(Object family) {
        return family == RunJobs.FAMILY;
      }
    };
    job.setSystem(true);
    job.setPriority(Job.SHORT);
    job.schedule();
  }

  private static StateFlowView openStateFlowView() {
    var window = org.eclipse.ui.PlatformUI.getWorkbench().getActiveWorkbenchWindow();
    var page = window == null ? null : window.getActivePage();
    return page == null ? null : (StateFlowView) page.findView(StateFlowView.ID);
  }

  /** For tests: what a restart would find, and a fresh session's "not restored yet". */
  public static void simulateRestart(List<Path> paths, Path shown) {
    saved = List.copyOf(paths);
    savedShown = shown;
    restored.set(false);
  }

  /** For tests: restores as the first view of a session does. */
  public static void restoreNow(Display display, StateFlowView view) {
    restored.set(true);
    reopen(display, view);
  }

  /** The paths the settings hold now. */
  public static List<String> savedPaths() {
    String[] a = section().getArray(PATHS);
    return a == null ? List.of() : List.of(a);
  }

  /** The path the settings hold as the State Flow view's run ("" none). */
  public static String savedShown() {
    String s = section().get(SHOWN);
    return s == null ? "" : s;
  }
}
