package dev.statelens.engine;

/**
 * How {@code vmap} runs a {@link Transforms#pureCallback} (JAX's {@code vmap_method}). Without
 * one, vmap of a pure callback is an error, as in JAX 0.10.2.
 */
public enum VmapMethod {
  /** Calls the host function once per batch element (JAX's {@code "sequential"}). */
  SEQUENTIAL("sequential"),
  /**
   * The same calls as {@link #SEQUENTIAL} (JAX's {@code "sequential_unrolled"}: JAX unrolls the
   * loop it stages, {@code scan[unroll=n]}; the engine's per-element calls are unrolled already).
   */
  SEQUENTIAL_UNROLLED("sequential_unrolled"),
  /**
   * Calls it once on the whole batch: mapped operands carry the batch on axis 0, unmapped ones get
   * a size-1 axis 0; the function must return results with the batch on axis 0
   * ({@code "expand_dims"}).
   */
  EXPAND_DIMS("expand_dims"),
  /** As {@link #EXPAND_DIMS}, but unmapped operands are broadcast to the full batch ({@code "broadcast_all"}). */
  BROADCAST_ALL("broadcast_all"),
  /**
   * One call on the whole batch, unmapped operands passed unchanged (no new axis), results with
   * the batch on axis 0 ({@code "legacy_vectorized"}, what JAX's removed {@code vectorized=True}
   * did). Under nested vmap each level puts its batch on axis 0 of its own mapped operands only,
   * so the operands' axes need not line up: {@code vmap(vmap(f, x mapped), y mapped)} hands the
   * function {@code x[3]} and {@code y[2]} and expects {@code [2,3]}. Prefer {@link #EXPAND_DIMS}.
   */
  LEGACY_VECTORIZED("legacy_vectorized");

  private final String jaxName;

  VmapMethod(String jaxName) {
    this.jaxName = jaxName;
  }

  /** The name JAX uses, printed in the jaxpr's {@code vmap_method=} param. */
  public String jaxName() {
    return jaxName;
  }
}
