package dev.statelens.engine.ir;

import dev.statelens.engine.Array;
import dev.statelens.engine.trace.TraceStack;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An operation of the IR. Open: any package can define one with its shape rule, then register a
 * CPU kernel ({@code CpuKernels.register}) and, where differentiable, a VJP rule. Every array
 * operation goes through {@link #bind}, which hands it to the current trace (eager evaluation,
 * staging into a jaxpr, or a grad trace).
 *
 * <pre>{@code
 * static final Primitive MY_OP = new Primitive("my_op", (in, p) -> List.of(in.get(0)));
 * static { CpuKernels.register(MY_OP, (params, in, out) -> ...); }
 * Array y = MY_OP.bind1(Params.EMPTY, x);
 * }</pre>
 */
public class Primitive {
  private static final Map<String, Primitive> BY_NAME = new ConcurrentHashMap<>();

  private final String name;
  private final AbstractEval abstractEval;
  private final boolean effectful;

  public Primitive(String name, AbstractEval abstractEval) {
    this(name, abstractEval, false);
  }

  /**
   * @param effectful true for primitives with a run-time side effect (e.g. {@code debug_print}):
   *     never removed by dead-code elimination, executed on every call of a compiled graph.
   */
  public Primitive(String name, AbstractEval abstractEval, boolean effectful) {
    if (name == null || name.isBlank() || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("primitive name '" + name + "' must be an identifier like my_op");
    }
    this.name = name;
    this.abstractEval = Objects.requireNonNull(abstractEval, "abstractEval");
    this.effectful = effectful;
    BY_NAME.putIfAbsent(name, this);
  }

  public final String name() {
    return name;
  }

  public final boolean isEffectful() {
    return effectful;
  }

  /** Output avals for these inputs; throws ShapeError for unacceptable operands. */
  public final List<Aval> abstractEval(List<Aval> inputs, Params params) {
    return abstractEval.apply(inputs, params);
  }

  /** Applies this primitive on the current trace; returns one Array per output. */
  public final List<Array> bind(Params params, Array... inputs) {
    return TraceStack.bind(this, params, inputs);
  }

  /** {@link #bind} for single-output primitives. */
  public final Array bind1(Params params, Array... inputs) {
    List<Array> out = TraceStack.bind(this, params, inputs);
    if (out.size() != 1) {
      throw new IllegalStateException(name + " has " + out.size() + " outputs; use bind()");
    }
    return out.get(0);
  }

  /** The first primitive defined with this name, or null (GPU backends generate code by name). */
  public static Primitive byName(String name) {
    return BY_NAME.get(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
