package dev.statelens.debugger.launch;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.DebugElement;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IVariable;

/**
 * A row of the Variables view that is its own value and cannot be changed: a recorded state leaf
 * ({@link LeafVariable}, read-only) or the hint before the first call ({@link HintVariable}, not a
 * value). What IVariable and IValue ask that is the same for both is answered here once.
 */
public abstract class ReadOnlyVariable extends DebugElement implements IVariable, IValue {
  /** Why an edit is refused: the Variables view shows it. */
  private final String readOnlyReason;

  protected ReadOnlyVariable(IDebugTarget target, String readOnlyReason) {
    super(target);
    this.readOnlyReason = readOnlyReason;
  }

  @Override
  public String getModelIdentifier() {
    return RunDebugTarget.MODEL_ID;
  }

  @Override
  public IValue getValue() {
    return this;
  }

  @Override
  public void setValue(String expression) throws DebugException {
    throw new DebugException(org.eclipse.core.runtime.Status.error(readOnlyReason));
  }

  @Override
  public void setValue(IValue value) throws DebugException {
    setValue("");
  }

  @Override
  public boolean supportsValueModification() {
    return false;
  }

  @Override
  public boolean verifyValue(String expression) {
    return false;
  }

  @Override
  public boolean verifyValue(IValue value) {
    return false;
  }

  @Override
  public boolean isAllocated() {
    return true;
  }
}
