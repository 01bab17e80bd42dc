package dev.statelens.engine.ir;

import dev.statelens.engine.Array;
import java.util.List;
import java.util.function.Function;

/**
 * A Java function a graph calls back on the host (the {@code callback} param of
 * {@code debug_callback}, {@code pure_callback} and {@code io_callback}), as JAX keeps the Python
 * callable in the equation. It gets the operands' run-time values as concrete arrays and returns
 * one array per declared result ({@link #results}; none for {@code debug_callback}).
 *
 * @param site where the user created it ({@code Train.java:31}), the name in the jaxpr and errors
 * @param results the declared shape and dtype of each result
 * @param fn the user's function, adapted to lists
 * @param batchedBy the vmap_method that made this one call on a whole batch (its results carry the
 *     batch on axis 0: a wrong shape is the function not being batch-aware), or null
 */
public record HostCallback(String site, List<Aval> results, Function<List<Array>, List<Array>> fn, String batchedBy)
    implements Params.Opaque {

  public HostCallback {
    results = List.copyOf(results);
  }

  /** A callback as the user created it, not batched by vmap. */
  public HostCallback(String site, List<Aval> results, Function<List<Array>, List<Array>> fn) {
    this(site, results, fn, null);
  }

  @Override
  public String toString() {
    return "<callback at " + site + ">";
  }

  /** Compared as the object itself: two callbacks are the same only if they are one. */
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
