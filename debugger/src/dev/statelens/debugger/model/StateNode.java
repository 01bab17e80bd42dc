package dev.statelens.debugger.model;

import dev.statelens.engine.record.store.LeafDiff;
import dev.statelens.engine.record.store.LeafSample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A row of the state tree: a group ("inputs", "params", "opt_state.mu") or a leaf with its sample
 * at the selected step and its change from the previous step ({@code diff}, null at the first step).
 */
public final class StateNode {
  private final StateNode parent;
  private final String label;
  private final String role;
  private final String path;
  private final List<StateNode> children = new ArrayList<>();
  private LeafSample sample;
  private LeafDiff diff;

  private StateNode(StateNode parent, String label, String role, String path) {
    this.parent = parent;
    this.label = label;
    this.role = role;
    this.path = path;
  }

  /**
   * Builds the tree of one step: top-level "inputs" and "outputs", then one level per path segment.
   *
   * @param diffs leaf changes from the previous step by {@link LeafSample#key()} (may be empty)
   */
  public static List<StateNode> build(List<LeafSample> leaves, Map<String, LeafDiff> diffs) {
    Map<String, StateNode> roots = new LinkedHashMap<>();
    roots.put("in", new StateNode(null, "inputs", "in", ""));
    roots.put("out", new StateNode(null, "outputs", "out", ""));
    for (LeafSample s : leaves) {
      StateNode node = roots.computeIfAbsent(s.role(), r -> new StateNode(null, r, r, ""));
      String[] parts = s.path().split("\\.");
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < parts.length; i++) {
        prefix.append(i == 0 ? "" : ".").append(parts[i]);
        node = node.child(parts[i], prefix.toString());
      }
      node.sample = s;
      node.diff = diffs.get(s.key());
    }
    List<StateNode> out = new ArrayList<>();
    for (StateNode r : roots.values()) {
      if (!r.children.isEmpty()) {
        out.add(r);
      }
    }
    return out;
  }

  private StateNode child(String segment, String childPath) {
    for (StateNode c : children) {
      if (c.label.equals(segment)) {
        return c;
      }
    }
    StateNode c = new StateNode(this, segment, role, childPath);
    children.add(c);
    return c;
  }

  public StateNode parent() {
    return parent;
  }

  public String label() {
    return label;
  }

  /** "in" or "out". */
  public String role() {
    return role;
  }

  /** The pytree path ({@code params.weight}); "" for the top-level groups. */
  public String path() {
    return path;
  }

  public String key() {
    return role + ":" + path;
  }

  public List<StateNode> children() {
    return Collections.unmodifiableList(children);
  }

  public boolean isLeaf() {
    return sample != null;
  }

  public LeafSample sample() {
    return sample;
  }

  public LeafDiff diff() {
    return diff;
  }

  /** Whether this leaf (or, for a group, any leaf below) changed since the previous step. */
  public boolean changed() {
    if (sample != null) {
      return diff != null && diff.changed();
    }
    return children.stream().anyMatch(StateNode::changed);
  }

  /** NaN + Inf elements in this leaf or below. */
  public long nonFinite() {
    if (sample != null) {
      return sample.nan() + sample.inf();
    }
    return children.stream().mapToLong(StateNode::nonFinite).sum();
  }

  /** All leaves at or below this node, in order. */
  public List<StateNode> leaves() {
    List<StateNode> out = new ArrayList<>();
    collect(out);
    return out;
  }

  private void collect(List<StateNode> out) {
    if (sample != null) {
      out.add(this);
    }
    for (StateNode c : children) {
      c.collect(out);
    }
  }

  /** Finds the node with {@code key} ("in:params.weight") in {@code roots}. */
  public static StateNode find(List<StateNode> roots, String key) {
    for (StateNode r : roots) {
      if (r.key().equals(key)) {
        return r;
      }
      StateNode f = find(r.children, key);
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return key();
  }
}
