package dev.statelens.debugger.launch;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.DebugElement;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;

/**
 * The training loop as a debug thread, labelled like "update — paused before step 37". Step Over (and
 * Step Into) run one jitted call and pause again; Step Return runs to the next event.
 */
public final class RunThread extends DebugElement implements IThread {
  private final RunDebugTarget target;
  private StateFrame frame;

  RunThread(RunDebugTarget target) {
    super(target);
    this.target = target;
  }

  /** The live session this thread shows. */
  public LiveSession session() {
    return target.session();
  }

  synchronized void invalidate() {
    frame = null;
  }

  @Override
  public String getModelIdentifier() {
    return RunDebugTarget.MODEL_ID;
  }

  @Override
  public synchronized IStackFrame[] getStackFrames() {
    if (!isSuspended()) {
      return new IStackFrame[0];
    }
    if (frame == null) {
      frame = new StateFrame(this, target.session());
    }
    return new IStackFrame[] {frame};
  }

  @Override
  public boolean hasStackFrames() {
    return isSuspended();
  }

  @Override
  public int getPriority() {
    return 0;
  }

  @Override
  public IStackFrame getTopStackFrame() {
    IStackFrame[] f = getStackFrames();
    return f.length == 0 ? null : f[0];
  }

  @Override
  public String getName() {
    return target.session().label();
  }

  @Override
  public IBreakpoint[] getBreakpoints() {
    return new IBreakpoint[0];
  }

  @Override
  public boolean canResume() {
    return target.canResume();
  }

  @Override
  public boolean canSuspend() {
    return target.canSuspend();
  }

  @Override
  public boolean isSuspended() {
    return target.isSuspended();
  }

  @Override
  public void resume() throws DebugException {
    target.resume();
  }

  @Override
  public void suspend() throws DebugException {
    target.suspend();
  }

  @Override
  public boolean canStepInto() {
    return isSuspended();
  }

  @Override
  public boolean canStepOver() {
    return isSuspended();
  }

  @Override
  public boolean canStepReturn() {
    return isSuspended();
  }

  @Override
  public boolean isStepping() {
    return false;
  }

  @Override
  public void stepInto() throws DebugException {
    stepOver();
  }

  /** One jitted call, then pause. */
  @Override
  public void stepOver() throws DebugException {
    RunDebugTarget.command(() -> target.session().step(1));
  }

  /** Runs until the next recorded event (NaN, retrace, stale state, …). */
  @Override
  public void stepReturn() throws DebugException {
    RunDebugTarget.command(() -> target.session().runUntilEvent(null)); // releases the pause too
  }

  @Override
  public boolean canTerminate() {
    return target.canTerminate();
  }

  @Override
  public boolean isTerminated() {
    return target.isTerminated();
  }

  @Override
  public void terminate() throws DebugException {
    target.terminate();
  }
}
