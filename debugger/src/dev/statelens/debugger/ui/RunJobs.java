package dev.statelens.debugger.ui;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.model.RunFileProblems;
import dev.statelens.engine.record.store.RunStore;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Control;

/**
 * Reads from a run in a Job and hands the result to the UI thread. Each {@link Slot} runs one
 * read at a time: a newer request cancels the older one, whose result is then dropped, so
 * dragging the timeline never queues up stale reads and the UI thread never touches SQLite.
 */
public final class RunJobs {
  /** The job family of all debugger reads (tests join it). */
  public static final Object FAMILY = new Object();

  private RunJobs() {}

  /** One kind of read (the selected step, a chart, a diff) whose latest request wins. */
  public static final class Slot {
    private final String name;
    private Job current;
    private long generation;

    public Slot(String name) {
      this.name = name;
    }

    /**
     * Reads {@code reader} from {@code run} in a Job, then calls {@code apply} on the UI thread of
     * {@code owner} (unless a newer request came, or the control was disposed); errors go to
     * {@code onError} there.
     */
    public <T> void submit(Run run, Control owner, Function<RunStore, T> reader, Consumer<T> apply,
        Consumer<String> onError) {
      submit(name + " (" + run.name() + ")", name + " failed for " + run.path(), owner, monitor -> {
        monitor.beginTask(name + " (" + run.name() + ")", IProgressMonitor.UNKNOWN);
        return run.read(reader);
      }, apply, onError);
    }

    /**
     * As {@link #submit(Run, Control, Function, Consumer, Consumer)} for work that is not one read of
     * one run (Compare Runs reads several): {@code work} reports progress on, and stops when
     * cancelled by, its monitor; its result is dropped when the Job was cancelled.
     */
    public <T> void submit(String jobName, Control owner, Function<IProgressMonitor, T> work, Consumer<T> apply,
        Consumer<String> onError) {
      submit(jobName, jobName + " failed", owner, work, apply, onError);
    }

    private synchronized <T> void submit(String jobName, String failure, Control owner,
        Function<IProgressMonitor, T> work, Consumer<T> apply, Consumer<String> onError) {
      if (current != null) {
        current.cancel();
      }
      long gen = ++generation;
      Job job = new Job(jobName) {
        @Override
        protected IStatus run(IProgressMonitor monitor) {
          if (monitor.isCanceled()) {
            return Status.CANCEL_STATUS;
          }
          T value;
          try {
            value = work.apply(monitor);
          } catch (RuntimeException e) {
            String msg = RunFileProblems.statusText(e); // a run store's summary, not SQLite's report
            DebuggerPlugin.log(failure, e);
            post(owner, gen, () -> onError.accept(msg));
            return Status.OK_STATUS; // shown in the view; no error dialog per keystroke
          } finally {
            monitor.done();
          }
          if (monitor.isCanceled()) {
            return Status.CANCEL_STATUS;
          }
          post(owner, gen, () -> apply.accept(value));
          return Status.OK_STATUS;
        }

        @Override
        public boolean belongsTo(Object family) {
          return family == FAMILY;
        }
      };
      job.setSystem(false);
      job.setPriority(Job.SHORT);
      current = job;
      job.schedule();
    }

    /** Drops the pending read: its result is not applied (the view stopped showing its run). */
    public synchronized void cancel() {
      if (current != null) {
        current.cancel();
        current = null;
      }
      generation++;
    }

    private void post(Control owner, long gen, Runnable r) {
      if (owner.isDisposed()) {
        return;
      }
      owner.getDisplay().asyncExec(() -> {
        synchronized (this) {
          if (gen != generation) {
            return;
          }
        }
        if (!owner.isDisposed()) {
          r.run();
        }
      });
    }
  }
}
