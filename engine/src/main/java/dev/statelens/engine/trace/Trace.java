package dev.statelens.engine.trace;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import java.util.List;

/**
 * One level of the thread-local trace stack. {@link TraceStack#bind} hands each primitive to the
 * highest-level trace among the innermost dynamic trace and the traces of the inputs' tracers.
 *
 * <p>Subclass to add a transformation (the grad trace does): implement {@link #process}, create
 * tracers that point back to this trace, and push/pop with {@link TraceStack#push}/{@link
 * TraceStack#pop}. Inputs handed to {@code process} may be concrete arrays, tracers of this
 * trace, or tracers of lower (still active) traces, which a trace must treat as constants.
 */
public abstract class Trace {
  private final int level;
  private final Thread owner;
  private volatile boolean active = true;

  protected Trace(int level) {
    this.level = level;
    this.owner = Thread.currentThread();
  }

  public final int level() {
    return level;
  }

  /** False once popped: its tracers must not be used any more. */
  public final boolean isActive() {
    return active;
  }

  final Thread owner() {
    return owner;
  }

  final void deactivate() {
    active = false;
  }

  /**
   * True for traces that take every operation while they are innermost (eager evaluation and
   * staging, JAX's omnistaging); false for traces that only see operations on their own tracers
   * (a grad trace).
   */
  public abstract boolean isDynamic();

  /** Name for error messages: the jitted function's name, or what this trace is doing. */
  public abstract String functionName();

  /** Applies {@code p} to inputs; returns one Array per output aval. */
  public abstract List<Array> process(Primitive p, Params params, Array[] inputs);
}
