package dev.statelens.engine.record.store;

/**
 * Where one equation of a recorded graph came from ({@code graphs.eqn_sources}, see run-store.md):
 * the user's method and line that bound it while tracing, and whether it belongs to the backward
 * pass (a gradient's transpose, which takes the position of the forward equation it differentiates).
 *
 * @param at class, method, file and line ({@code member} is the method)
 * @param backward true for an equation of a gradient's reverse sweep
 */
public record EqnSource(SourceRef at, boolean backward) {

  public EqnSource {
    if (at == null) {
      throw new IllegalArgumentException("EqnSource needs a position; use null for an equation without one");
    }
  }
}
