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

  /**
   * The compiled graph on host arrays, for jit's cache-hit path (no per-call {@link Buffer}
   * arrays or wrappers on the way in); null where this executable has none now (a device backend,
   * or a CPU graph still interpreted), in which case callers use {@link #execute(Buffer[])}.
   */
  default HostEntry hostEntry() {
    return null;
  }

  /** See {@link #hostEntry()}. Thread-safe like the executable. */
  interface HostEntry {
    /** The host array holding {@code buffer}'s data, or null where it has none (the caller then uses execute). */
    Object hostData(Buffer buffer);

    /** Runs the graph on host arrays (constvars then invars); returns the outputs' host arrays. */
    Object[] run(Object[] hostInputs);

    /** Output {@code index}'s host array (from {@link #run}) as a buffer. */
    Buffer output(int index, Object host);
  }
}
