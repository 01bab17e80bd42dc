package dev.statelens.debugger.ui;

import dev.statelens.debugger.model.StateNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The leaves the leaf chart draws while none is selected, kept for a run's function once chosen.
 * Chosen afresh at every step (the outputs that changed in that step first), a leaf that changes
 * only on some steps came and went while stepping, and the lines after it changed colour; now the
 * first step where some output changed picks the lines ({@link StateFlowView#defaultChartLeaves}),
 * and every later step charts those same paths, each in the colour it got then.
 */
final class DefaultChartLeaves {
  /** The run and function the pinned paths belong to. */
  private Object owner;
  /** The charted leaves' keys ({@link StateNode#key}), in colour order; empty until chosen. */
  private List<String> pinned = List.of();

  /**
   * The outputs to chart for {@code owner} (a run and function): the pinned ones first, in their
   * order, then the others as {@link StateFlowView#defaultChartLeaves} orders them (what the note
   * "8 of 12 leaves" counts). Pins the first {@code max} once a step has an output that changed (a
   * first step has no previous one to differ from, so what it would pick says nothing).
   */
  List<StateNode> order(Object owner, List<StateNode> outputs, int max) {
    if (!Objects.equals(owner, this.owner)) {
      this.owner = owner;
      pinned = List.of();
    }
    List<StateNode> candidates = StateFlowView.defaultChartLeaves(outputs);
    if (pinned.isEmpty()) {
      if (candidates.stream().anyMatch(StateNode::changed)) {
        pinned = candidates.stream().limit(max).map(StateNode::key).toList();
      }
      return candidates;
    }
    List<StateNode> ordered = new ArrayList<>();
    for (String key : pinned) {
      candidates.stream().filter(n -> n.key().equals(key)).findFirst().ifPresent(ordered::add);
    }
    candidates.stream().filter(n -> !pinned.contains(n.key())).forEach(ordered::add);
    return ordered;
  }

  /** The palette index of a charted leaf: its place among the pinned ones, else -1 (by line order). */
  int colourOf(StateNode leaf) {
    return pinned.indexOf(leaf.key());
  }
}
