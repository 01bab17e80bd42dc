package dev.statelens.debugger.tests;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.launch.LiveSession;
import dev.statelens.debugger.launch.LiveSessions;
import dev.statelens.debugger.launch.RunDebugTarget;
import dev.statelens.debugger.model.Run;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.Launch;
import org.eclipse.debug.core.model.IThread;

/**
 * A live training session set up as a StateLens Training launch sets it up, for tests that run the
 * training program themselves (a thread in the test JVM, {@link LiveRunTest#training}): the run
 * file opened in the debugger, a {@link LiveSession} listening and registered where the views look
 * for it, waiting 30 s for the program (which pauses before its first jitted call) and the Debug
 * view's target on it. {@link #close} detaches the program and forgets the run.
 */
final class LiveFixture implements AutoCloseable {
  final Run run;
  final LiveSession session;
  final RunDebugTarget target;

  private LiveFixture(Run run, LiveSession session, RunDebugTarget target) {
    this.run = run;
    this.session = session;
    this.target = target;
  }

  /**
   * A session on {@code db} in a launch of its own (debug mode), which the launch manager does not
   * know: the Debug view does not list it.
   */
  static LiveFixture start(Path db) throws IOException {
    return start(db, new Launch(null, ILaunchManager.DEBUG_MODE, null), false);
  }

  /** A session on {@code db} whose Debug target is added to {@code launch} (one the launch manager has: the Debug view lists it). */
  static LiveFixture start(Path db, ILaunch launch) throws IOException {
    return start(db, launch, true);
  }

  /**
   * A session on {@code db} that no program joins, as a launch's while its program starts: the Live
   * row shows every control and no Debug target is made ({@link #target} is null).
   */
  static LiveFixture waiting(Path db) throws IOException {
    Run run = DebuggerPlugin.runs().open(db);
    LiveSession session = LiveSession.start(run);
    LiveSessions.put(run, session);
    return new LiveFixture(run, session, null);
  }

  private static LiveFixture start(Path db, ILaunch launch, boolean addTarget) throws IOException {
    LiveFixture waiting = waiting(db);
    waiting.session.acceptAsync(Duration.ofSeconds(30), true);
    RunDebugTarget target = new RunDebugTarget(launch, null, waiting.session);
    if (addTarget) {
      launch.addDebugTarget(target);
    }
    return new LiveFixture(waiting.run, waiting.session, target);
  }

  /** The training loop, as the Debug view shows it. */
  IThread thread() {
    return target.getThreads()[0];
  }

  @Override
  public void close() {
    session.close();
    LiveSessions.remove(run);
    DebuggerPlugin.runs().remove(run);
  }
}
