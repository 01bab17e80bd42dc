package dev.statelens.engine.backend;

import dev.statelens.engine.ir.Jaxpr;
import java.util.List;

/** A compiled graph. Thread-safe: may be executed concurrently. */
public interface Executable {
  /** The graph this was compiled from. */
  Jaxpr jaxpr();

  /**
   * Runs the graph. {@code inputs} are the values of the jaxpr's constvars followed by its invars;
   * returns one buffer per outvar.
   */
  List<Buffer> execute(List<Buffer> inputs);

  /** {@link #execute(List)} on an array (jit's cache-hit path; backends may skip the lists). */
  default Buffer[] execute(Buffer[] inputs) {
    return execute(java.util.Arrays.asList(inputs)).toArray(Buffer[]::new);
  }
}
