package dev.statelens.debugger.launch;

import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IVariable;

/**
 * The Variables view's one row while the program is paused before its first jitted call: there is
 * no state yet (nothing was recorded) and the editor cannot show the step's line yet (the run file
 * learns it at the first call), so the row says what to do instead of leaving the view empty.
 */
public final class HintVariable extends ReadOnlyVariable {
  private final String name;
  private final String hint;

  HintVariable(IDebugTarget target, String function) {
    super(target, "a hint, not a value");
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
  public String getValueString() {
    return hint;
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
