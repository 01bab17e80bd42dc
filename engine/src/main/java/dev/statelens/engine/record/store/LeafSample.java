package dev.statelens.engine.record.store;

import dev.statelens.engine.DType;

/**
 * One leaf at one step, as recorded: statistics (over finite elements; null when none),
 * NaN/Inf counts, and values (all, or an evenly spaced sample when {@code sampled}).
 */
public record LeafSample(String role, String path, long step, long seq, DType dtype, int[] shape, int size,
    Double min, Double max, Double mean, Double std, Double norm, long nan, long inf, boolean sampled,
    double[] values) {

  public String key() {
    return role + ":" + path;
  }
}
