package dev.statelens.debugger.launch;

import dev.statelens.debugger.model.Format;
import dev.statelens.debugger.model.StateNode;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.DebugElement;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IVariable;

/** A state pytree node in the Variables view: a group ({@code params}) or a leaf ({@code params.weight}). */
public final class LeafVariable extends DebugElement implements IVariable, IValue {
  private final StateNode node;

  public LeafVariable(IDebugTarget target, StateNode node) {
    super(target);
    this.node = node;
  }

  /** The same state node: the Variables view finds a child again after asking for the children anew. */
  @Override
  public boolean equals(Object o) {
    return o instanceof LeafVariable v && v.node == node;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(node);
  }

  public StateNode node() {
    return node;
  }

  @Override
  public String getModelIdentifier() {
    return RunDebugTarget.MODEL_ID;
  }

  // ---- IVariable --------------------------------------------------------------------------------

  @Override
  public IValue getValue() {
    return this;
  }

  @Override
  public String getName() {
    return node.label();
  }

  @Override
  public String getReferenceTypeName() {
    if (!node.isLeaf()) {
      return "pytree";
    }
    return Format.type(node.sample());
  }

  @Override
  public boolean hasValueChanged() {
    return node.changed();
  }

  @Override
  public void setValue(String expression) throws DebugException {
    throw new DebugException(org.eclipse.core.runtime.Status.error("recorded state is read-only"));
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

  // ---- IValue -----------------------------------------------------------------------------------

  @Override
  public String getValueString() {
    if (!node.isLeaf()) {
      return node.leaves().size() + " leaves" + (node.nonFinite() > 0 ? ", ⚠ " + node.nonFinite() + " NaN/Inf" : "");
    }
    String badges = Format.badges(node.sample());
    return (badges.isEmpty() ? "" : "⚠ " + badges + "  ") + Format.value(node.sample());
  }

  @Override
  public boolean isAllocated() {
    return true;
  }

  @Override
  public IVariable[] getVariables() {
    return node.children().stream().map(c -> new LeafVariable(getDebugTarget(), c)).toArray(IVariable[]::new);
  }

  @Override
  public boolean hasVariables() {
    return !node.children().isEmpty();
  }
}
