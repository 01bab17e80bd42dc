package dev.statelens.debugger.launch;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.DebugElement;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IVariable;

/**
 * The Variables view's one row while the program is paused before its first jitted call: there is
 * no state yet (nothing was recorded) and the editor cannot show the step's line yet (the run file
 * learns it at the first call), so the row says what to do instead of leaving the view empty.
 */
public final class HintVariable extends DebugElement implements IVariable, IValue {
  private final String name;
  private final String hint;

  HintVariable(IDebugTarget target, String function) {
    super(target);
    // the action in the name: the Name column (150 px) shows whole, the Value column is cut first
    this.name = "Press F6 (Step Over)";
    String call = function == null ? "the first jitted call" : function + "'s first call";
    this.hint = "to run " + call + "; then its state shows here and the editor opens its line";
  }

  /** The rest of the hint, after the name: "to run update's first call; ...". */
  public String hint() {
    return hint;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HintVariable h && h.hint.equals(hint);
  }

  @Override
  public int hashCode() {
    return hint.hashCode();
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
  public String getName() {
    return name;
  }

  @Override
  public String getReferenceTypeName() {
    return "";
  }

  @Override
  public boolean hasValueChanged() {
    return false;
  }

  @Override
  public void setValue(String expression) throws DebugException {
    throw new DebugException(org.eclipse.core.runtime.Status.error("a hint, not a value"));
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
  public String getValueString() {
    return hint;
  }

  @Override
  public boolean isAllocated() {
    return true;
  }

  @Override
  public IVariable[] getVariables() {
    return new IVariable[0];
  }

  @Override
  public boolean hasVariables() {
    return false;
  }
}
