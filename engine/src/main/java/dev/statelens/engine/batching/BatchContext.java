package dev.statelens.engine.batching;

import dev.statelens.engine.Array;

/** What a {@link BatchRule} may ask of the vmap it runs in. */
public interface BatchContext {

  /** The size of the mapped axis. */
  int batchSize();

  /**
   * The array a user function would see for {@code b}: mapped values become tracers of this
   * vmap, so operations on them are batched again (used to run sub-graphs, e.g. cond branches).
   */
  Array wrap(Batched b);

  /** The inverse of {@link #wrap}: a tracer of this vmap is mapped, anything else unmapped. */
  Batched unwrap(Array a);
}
