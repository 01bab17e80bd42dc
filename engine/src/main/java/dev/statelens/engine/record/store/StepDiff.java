package dev.statelens.engine.record.store;

import java.util.List;

/** The leaves of two steps of one function, compared (leaves present at only one step are left out). */
public record StepDiff(String function, long stepA, long stepB, List<LeafDiff> leaves) {
  public List<LeafDiff> changed() {
    return leaves.stream().filter(LeafDiff::changed).toList();
  }
}
