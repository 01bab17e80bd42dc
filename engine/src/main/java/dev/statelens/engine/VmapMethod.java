package dev.statelens.engine;

/**
 * How {@code vmap} runs a {@link Transforms#pureCallback} (JAX's {@code vmap_method}). Without
 * one, vmap of a pure callback is an error, as in JAX 0.10.2.
 */
public enum VmapMethod {
  /** Calls the host function once per batch element (JAX's {@code "sequential"}). */
  SEQUENTIAL("sequential"),
  /**
   * Calls it once on the whole batch: mapped operands carry the batch on axis 0, unmapped ones get
   * a size-1 axis 0; the function must return results with the batch on axis 0
   * ({@code "expand_dims"}).
   */
  EXPAND_DIMS("expand_dims"),
  /** As {@link #EXPAND_DIMS}, but unmapped operands are broadcast to the full batch ({@code "broadcast_all"}). */
  BROADCAST_ALL("broadcast_all");

  private final String jaxName;

  VmapMethod(String jaxName) {
    this.jaxName = jaxName;
  }

  /** The name JAX uses, printed in the jaxpr's {@code vmap_method=} param. */
  public String jaxName() {
    return jaxName;
  }
}
