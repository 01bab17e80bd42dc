package dev.statelens.debugger.ui;

import dev.statelens.debugger.launch.LiveSession;
import java.io.IOException;
import java.util.function.Consumer;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Display;

/**
 * Sends the State Flow view's live commands (pause, step, resume, run to, break on …) to the
 * training program off the UI thread: each writes the control socket, and a program slow to read it
 * (a full socket buffer, a stalled JVM) held the whole IDE. Each command is a Job, as the view's
 * reads are ({@link RunJobs}); all of them share one rule, so they run one at a time in the order
 * they were given (F6 F6 F8 steps twice, then resumes), and a bug in one is logged by the job
 * manager rather than lost.
 */
final class LiveCommands {
  /** One live command: it may write the program's socket. */
  interface Command {
    void run(LiveSession s) throws IOException;
  }

  /** Every live command conflicts with every other: one runs at a time, in scheduling order. */
  private static final ISchedulingRule ONE_AT_A_TIME = new ISchedulingRule() {
    @Override
    public boolean contains(ISchedulingRule rule) {
      return rule == this;
    }

    @Override
    public boolean isConflicting(ISchedulingRule rule) {
      return rule == this;
    }
  };

  private LiveCommands() {}

  /**
   * Runs {@code command} on {@code session} in a Job, after every command sent before it; a failure
   * to reach the program goes to {@code onError} on {@code display}'s UI thread.
   */
  static void send(Display display, LiveSession session, Command command, Consumer<String> onError) {
    Job job = Job.create("StateLens live command", monitor -> {
      try {
        command.run(session);
      } catch (IOException e) {
        String message = "The training program is not reachable: " + e.getMessage();
        if (!display.isDisposed()) {
          display.asyncExec(() -> onError.accept(message));
        }
      }
      return Status.OK_STATUS; // an unreachable program is shown in the view, not in a dialog
    });
    job.setSystem(true); // a command takes milliseconds: no entry in the Progress view
    job.setPriority(Job.INTERACTIVE); // the user waits on it: before a build's or a read's Jobs
    job.setRule(ONE_AT_A_TIME);
    job.schedule();
  }
}
