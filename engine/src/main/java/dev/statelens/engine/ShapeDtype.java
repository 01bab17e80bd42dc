package dev.statelens.engine;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.trace.Trace;
import dev.statelens.engine.trace.Tracer;
import java.util.List;

/**
 * Arrays that have a shape and a dtype but no values, like {@code jax.ShapeDtypeStruct}: what
 * {@link Transforms#evalShape} takes (in place of large inputs) and returns (every output leaf).
 * {@code shape()}, {@code dtype()} and {@code aval()} work; reading values or computing with one
 * is an error that says so. Pytrees of them flatten like any arrays ({@code Tree.flattenWithPaths}).
 *
 * <pre>{@code
 * Params shapes = Transforms.evalShape(model::init, ShapeDtype.of(DType.U32, 2));   // no compute
 * shapes.weight().shape();                                                         // [784, 512]
 * }</pre>
 */
public final class ShapeDtype {
  private ShapeDtype() {}

  /** An array of this dtype and shape without values. */
  public static Array of(DType dtype, int... shape) {
    return of(Aval.of(dtype, shape));
  }

  /** An array of this aval (shape and dtype) without values. */
  public static Array of(Aval aval) {
    return Array.fromTracer(new Placeholder(TRACE.get(), aval));
  }

  /** An array with {@code x}'s shape and dtype and no values. */
  public static Array like(Array x) {
    return of(x.aval());
  }

  /** True for an array made here (shape and dtype only). */
  public static boolean isShapeOnly(Array x) {
    return x.tracer() instanceof Placeholder;
  }

  /**
   * The stand-in of a placeholder array: a tracer of a trace that is never on the stack (level -1,
   * so operations go to the trace below them and ask it for a value, which it refuses).
   */
  private static final class Placeholder extends Tracer {
    Placeholder(Trace trace, Aval aval) {
      super(trace, aval);
    }

    @Override
    public Array toConcrete(String operation) {
      throw new IllegalArgumentException("'" + operation + "' on a ShapeDtype " + aval() + ", which has a shape and"
          + " a dtype but no values: pass it to Transforms.evalShape (or read shape()/dtype()), or give a real"
          + " array (Array.zeros(DType." + aval().dtype().name() + ", ...)) where values are needed");
    }

    @Override
    public String toString() {
      return "ShapeDtype(" + aval() + ")";
    }
  }

  /** One per thread: the tracer checks that a thread uses its own. */
  private static final ThreadLocal<Trace> TRACE = ThreadLocal.withInitial(ShapeOnlyTrace::new);

  private static final class ShapeOnlyTrace extends Trace {
    ShapeOnlyTrace() {
      super(-1);
    }

    @Override
    public boolean isDynamic() {
      return false;
    }

    @Override
    public String functionName() {
      return "ShapeDtype";
    }

    @Override
    public List<Array> process(Primitive p, Params params, Array[] inputs) {
      throw new IllegalStateException("ShapeDtype placeholders are never on the trace stack");
    }
  }
}
