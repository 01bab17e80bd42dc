package dev.statelens.debugger.launch;

import dev.statelens.debugger.model.StateNode;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.DebugElement;
import org.eclipse.debug.core.model.IRegisterGroup;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.core.model.IVariable;
import org.eclipse.debug.ui.sourcelookup.ISourceDisplay;

/**
 * The paused program's one frame: "update, before step 37". Its variables are the state the next
 * call receives (the outputs of the previous call of that function, as recorded), by pytree path.
 */
public final class StateFrame extends DebugElement implements IStackFrame {
  private final RunThread thread;
  private final LiveSession session;
  private final String function;
  private final long step;
  private final boolean atExit;
  private IVariable[] variables;

  StateFrame(RunThread thread, LiveSession session) {
    super(thread.getDebugTarget());
    this.thread = thread;
    this.session = session;
    this.function = session.function();
    this.step = session.step();
    this.atExit = session.atExit();
  }

  /** Paused at exit: after the program's last call (step - 1), before none. */
  public boolean atExit() {
    return atExit;
  }

  /** The jitted function the program is paused before (null before the first call). */
  public String function() {
    return function;
  }

  /** The step of that function's next call. */
  public long step() {
    return step;
  }

  /** How many state leaves the next call receives (as recorded for the previous call). */
  public int leafCount() throws DebugException {
    int n = 0;
    for (IVariable v : getVariables()) {
      if (v instanceof LeafVariable leaf) { // not the hint before the first call
        n += leaf.node().leaves().size();
      }
    }
    return n;
  }

  /** The live session this frame belongs to. */
  public LiveSession session() {
    return session;
  }

  /**
   * The frame's source is the step function at its recorded line ({@link FrameSourceDisplay}), not
   * what the launch's Java source locator would look up (a "Source not found" editor).
   */
  @Override
  public <T> T getAdapter(Class<T> adapter) {
    if (adapter == ISourceDisplay.class) {
      return adapter.cast(FrameSourceDisplay.INSTANCE);
    }
    return super.getAdapter(adapter);
  }

  @Override
  public String getModelIdentifier() {
    return RunDebugTarget.MODEL_ID;
  }

  @Override
  public IThread getThread() {
    return thread;
  }

  /** Read from the run store (flushed by the program before it paused); a model thread, not the UI's. */
  @Override
  public synchronized IVariable[] getVariables() throws DebugException {
    if (variables == null) {
      variables = read();
    }
    return variables;
  }

  private IVariable[] read() {
    if (beforeFirstCall()) {
      return new IVariable[] {new HintVariable(getDebugTarget(), function)};
    }
    List<LeafSample> leaves = session.recordedRun().read((RunStore s) -> s.state(function, step - 1));
    List<StateNode> roots = StateNode.build(leaves, Map.of());
    List<IVariable> out = new ArrayList<>();
    for (StateNode r : roots) {
      if (r.role().equals("out")) {
        for (StateNode c : r.children()) {
          out.add(new LeafVariable(getDebugTarget(), c));
        }
      }
    }
    return out.toArray(IVariable[]::new);
  }

  /** Paused before the function's first call: no state recorded yet, only a hint to show. */
  public boolean beforeFirstCall() {
    return function == null || step <= 0;
  }

  @Override
  public boolean hasVariables() {
    return true; // the state, or before the first call the hint of what to do
  }

  @Override
  public int getLineNumber() {
    return -1;
  }

  @Override
  public int getCharStart() {
    return -1;
  }

  @Override
  public int getCharEnd() {
    return -1;
  }

  @Override
  public String getName() {
    if (function != null && atExit) {
      return "jit " + function + ", after its last call, step " + (step - 1) + " (state = its outputs; Resume ends the program)";
    }
    return function == null ? "before the first jitted call" : "jit " + function + ", before step " + step
        + (step > 0 ? " (state = outputs of step " + (step - 1) + ")" : "");
  }

  @Override
  public IRegisterGroup[] getRegisterGroups() {
    return new IRegisterGroup[0];
  }

  @Override
  public boolean hasRegisterGroups() {
    return false;
  }

  @Override
  public boolean canStepInto() {
    return thread.canStepInto();
  }

  @Override
  public boolean canStepOver() {
    return thread.canStepOver();
  }

  @Override
  public boolean canStepReturn() {
    return thread.canStepReturn();
  }

  @Override
  public boolean isStepping() {
    return false;
  }

  @Override
  public void stepInto() throws DebugException {
    thread.stepInto();
  }

  @Override
  public void stepOver() throws DebugException {
    thread.stepOver();
  }

  @Override
  public void stepReturn() throws DebugException {
    thread.stepReturn();
  }

  @Override
  public boolean canResume() {
    return thread.canResume();
  }

  @Override
  public boolean canSuspend() {
    return thread.canSuspend();
  }

  @Override
  public boolean isSuspended() {
    return thread.isSuspended();
  }

  @Override
  public void resume() throws DebugException {
    thread.resume();
  }

  @Override
  public void suspend() throws DebugException {
    thread.suspend();
  }

  @Override
  public boolean canTerminate() {
    return thread.canTerminate();
  }

  @Override
  public boolean isTerminated() {
    return thread.isTerminated();
  }

  @Override
  public void terminate() throws DebugException {
    thread.terminate();
  }
}
