package dev.statelens.debugger.launch;

import java.io.IOException;
import org.eclipse.core.resources.IMarkerDelta;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.DebugElement;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IMemoryBlock;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IThread;

/**
 * A live training run in the Eclipse debug model: one thread (the training loop) whose
 * Suspend/Resume/Step Over pause, resume and step the program by one jitted call, and whose single
 * stack frame holds the state pytree for the Variables view.
 */
public final class RunDebugTarget extends DebugElement implements IDebugTarget {
  public static final String MODEL_ID = "dev.statelens.debugger.model";

  private final ILaunch launch;
  private final IProcess process;
  private final LiveSession session;
  private final RunThread thread;
  private LiveSession.State lastState = LiveSession.State.WAITING;

  public RunDebugTarget(ILaunch launch, IProcess process, LiveSession session) {
    super(null);
    this.launch = launch;
    this.process = process;
    this.session = session;
    this.thread = new RunThread(this);
    session.addListener(s -> stateChanged());
    fireCreationEvent();
    if (process != null) {
      DebugPlugin.getDefault().addDebugEventListener(processEnded);
      if (process.isTerminated()) { // it ended before we listened
        session.processExited();
      }
    }
  }

  /** Ends a session whose program exited without ever connecting (see LiveSession#processExited). */
  private final IDebugEventSetListener processEnded = this::processEvents;

  private void processEvents(DebugEvent[] events) {
    for (DebugEvent e : events) {
      if (e.getKind() == DebugEvent.TERMINATE && e.getSource() == process) {
        session.processExited();
      }
    }
  }

  private synchronized void stateChanged() {
    LiveSession.State now = session.state();
    LiveSession.State before = lastState;
    lastState = now;
    thread.invalidate();
    if (now == before) {
      fireChangeEvent(DebugEvent.STATE); // label changed (an event arrived)
      return;
    }
    switch (now) {
      case PAUSED -> {
        thread.fireSuspendEvent(DebugEvent.BREAKPOINT);
        fireSuspendEvent(DebugEvent.BREAKPOINT);
        PauseReveal.showPaused(thread); // Debug view forward, frame selected: the Variables view shows the state
      }
      case RUNNING -> {
        thread.fireResumeEvent(DebugEvent.CLIENT_REQUEST);
        fireResumeEvent(DebugEvent.CLIENT_REQUEST);
      }
      case TERMINATED -> {
        DebugPlugin.getDefault().removeDebugEventListener(processEnded);
        thread.fireTerminateEvent();
        fireTerminateEvent();
      }
      default -> fireChangeEvent(DebugEvent.STATE);
    }
  }

  public LiveSession session() {
    return session;
  }

  @Override
  public IDebugTarget getDebugTarget() {
    return this;
  }

  @Override
  public ILaunch getLaunch() {
    return launch;
  }

  @Override
  public String getModelIdentifier() {
    return MODEL_ID;
  }

  @Override
  public IProcess getProcess() {
    return process;
  }

  @Override
  public IThread[] getThreads() {
    return isTerminated() ? new IThread[0] : new IThread[] {thread};
  }

  @Override
  public boolean hasThreads() {
    return !isTerminated();
  }

  public RunThread thread() {
    return thread;
  }

  @Override
  public String getName() {
    return "StateLens run " + session.run().name();
  }

  @Override
  public boolean supportsBreakpoint(IBreakpoint breakpoint) {
    return false;
  }

  @Override
  public boolean canTerminate() {
    return process != null ? process.canTerminate() : !isTerminated();
  }

  @Override
  public boolean isTerminated() {
    return session.state() == LiveSession.State.TERMINATED;
  }

  /**
   * Detaches first, then ends the process. A program paused at exit waits inside its recorder's
   * shutdown hook for the IDE, so the JVM ignores the process's SIGTERM: ended first, Terminate (the
   * Console's red square, the Debug view's) failed with a "Terminate failed" dialog and the program
   * stayed. Detached, the hook returns and the JVM exits.
   */
  @Override
  public void terminate() throws DebugException {
    session.close();
    if (process != null) {
      process.terminate();
    }
  }

  @Override
  public boolean canResume() {
    return isSuspended();
  }

  @Override
  public boolean canSuspend() {
    return session.state() == LiveSession.State.RUNNING;
  }

  @Override
  public boolean isSuspended() {
    return session.state() == LiveSession.State.PAUSED;
  }

  @Override
  public void resume() throws DebugException {
    command(session::resume);
  }

  @Override
  public void suspend() throws DebugException {
    command(session::pause);
  }

  interface Command {
    void run() throws IOException;
  }

  static void command(Command c) throws DebugException {
    try {
      c.run();
    } catch (IOException e) {
      throw new DebugException(new Status(IStatus.ERROR, "dev.statelens.debugger",
          "The training program is not reachable: " + e.getMessage(), e));
    }
  }

  @Override
  public void breakpointAdded(IBreakpoint breakpoint) {}

  @Override
  public void breakpointRemoved(IBreakpoint breakpoint, IMarkerDelta delta) {}

  @Override
  public void breakpointChanged(IBreakpoint breakpoint, IMarkerDelta delta) {}

  @Override
  public boolean canDisconnect() {
    return session.isConnected();
  }

  @Override
  public void disconnect() throws DebugException {
    session.close();
  }

  @Override
  public boolean isDisconnected() {
    return !session.isConnected();
  }

  @Override
  public boolean supportsStorageRetrieval() {
    return false;
  }

  @Override
  public IMemoryBlock getMemoryBlock(long startAddress, long length) throws DebugException {
    throw new DebugException(new Status(IStatus.ERROR, "dev.statelens.debugger", "no memory blocks in a training run"));
  }

}
