package dev.statelens.debugger.launch;

import dev.statelens.debugger.model.Format;
import dev.statelens.debugger.model.StateNode;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IVariable;

/** A state pytree node in the Variables view: a group ({@code params}) or a leaf ({@code params.weight}). */
public final class LeafVariable extends ReadOnlyVariable {
  private final StateNode node;

  public LeafVariable(IDebugTarget target, StateNode node) {
    super(target, "recorded state is read-only");
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

  // ---- IVariable --------------------------------------------------------------------------------

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
  public IVariable[] getVariables() {
    return node.children().stream().map(c -> new LeafVariable(getDebugTarget(), c)).toArray(IVariable[]::new);
  }

  @Override
  public boolean hasVariables() {
    return !node.children().isEmpty();
  }
}
