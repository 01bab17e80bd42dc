package dev.statelens.engine.trace;

/**
 * Where a traced equation came from in the user's code, as JAX's {@code source_info}: the first
 * stack frame outside the engine when the equation was bound ({@link SourcePositions}), and whether
 * it belongs to the backward pass (made by {@code grad}'s reverse sweep, which gives its equations
 * the position of the forward equation they differentiate).
 *
 * @param site the user's frame: class, method, file and line
 * @param backward true for an equation of a gradient's reverse sweep
 */
public record SourceInfo(CodeSite site, boolean backward) {

  public SourceInfo {
    if (site == null) {
      throw new IllegalArgumentException("SourceInfo needs a site; use null for an unknown position");
    }
  }

  /** This position, marked as the backward pass. */
  public SourceInfo transposed() {
    return backward ? this : new SourceInfo(site, true);
  }
}
