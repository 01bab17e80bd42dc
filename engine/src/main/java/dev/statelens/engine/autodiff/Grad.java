package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Tree;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.trace.JaxprEval;
import dev.statelens.engine.trace.TraceStack;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reverse-mode differentiation behind {@code Transforms.grad} and {@code valueAndGrad}: runs the
 * function under a {@link GradTrace} (each primitive evaluated on the primals and recorded on a
 * tape), then sweeps the tape backwards with the primitives' {@link VjpRule}s.
 *
 * <p>The sweep runs on the trace below the grad trace, so {@code jit(grad(f))} stages the
 * backward pass into the jitted graph, and {@code grad(grad(f))} differentiates it again.
 * {@code grad(jit(f))} works because a jitted function called under a trace is inlined.
 */
public final class Grad {
  private Grad() {}

  /**
   * The value of {@code fn(x)} and its gradient with respect to every leaf of the pytree
   * {@code x}, shaped like {@code x}.
   *
   * @param what the transformation's name for error messages ({@code grad} or {@code valueAndGrad})
   */
  public static <A> Pair<Array, A> valueAndGrad(String what, Function<A, Array> fn, A x) {
    return valueAndGrad(what, fn, x, false);
  }

  /**
   * {@link #valueAndGrad(String, Function, Object)} with JAX's {@code holomorphic} option: when
   * true, every input and the output must be complex, and the gradient is the complex
   * derivative {@code f'(z)} (the pullback of {@code 1 + 0j}); when false, a complex output is
   * refused as JAX refuses it.
   */
  public static <A> Pair<Array, A> valueAndGrad(String what, Function<A, Array> fn, A x, boolean holomorphic) {
    if (holomorphic) {
      requireComplexInputs(what, x);
    }
    return valueAndGrad(what, fn, x, holomorphic, false);
  }

  /**
   * {@code jax.value_and_grad(fn, allow_int=True)}: integer and bool leaves of {@code x} are not
   * differentiated and their gradient is zeros of their own dtype (JAX's {@code float0}, which
   * has no values; docs/decisions.md, jnp13); without {@code allowInt} such a leaf is refused.
   */
  public static <A> Pair<Array, A> valueAndGradAllowInt(String what, Function<A, Array> fn, A x) {
    return valueAndGrad(what, fn, x, false, true);
  }

  private static <A> Pair<Array, A> valueAndGrad(String what, Function<A, Array> fn, A x, boolean holomorphic,
      boolean allowInt) {
    Forward f = forward(what, fn, x, allowInt ? InputLeaves.ANY : InputLeaves.GRAD);
    Array out = (Array) f.out();
    checkOutput(what, out, holomorphic);
    A gradient = f.gradient(out);
    f.trace().release();
    return Pair.of(f.primal(out), gradient);
  }

  /**
   * {@code jax.value_and_grad(fn, has_aux=True)}: {@code fn} returns {@code Pair.of(value, aux)};
   * the result is {@code ((value, aux), gradient)}. The aux pytree comes back as primal values
   * (no gradient flows through it).
   */
  public static <A, X> Pair<Pair<Array, X>, A> valueAndGradWithAux(String what, Function<A, Pair<Array, X>> fn, A x) {
    Forward f = forward(what, fn, x);
    if (!(f.out() instanceof Pair<?, ?> pair)) {
      throw new IllegalArgumentException(what + " requires the function to return Pair.of(value, aux), got "
          + (f.out() == null ? "null" : f.out().getClass().getName())
          + "; return the scalar loss as first and the auxiliary values as second");
    }
    if (!(pair.first() instanceof Array out)) {
      throw new IllegalArgumentException(what + " requires the first of the returned Pair to be the scalar "
          + "value (an Array), got " + (pair.first() == null ? "null" : pair.first().getClass().getName()));
    }
    checkOutput(what, out);
    @SuppressWarnings("unchecked")
    X aux = (X) f.primalTree(pair.second(), "aux");
    A gradient = f.gradient(out);
    f.trace().release();
    return Pair.of(Pair.of(f.primal(out), aux), gradient);
  }

  /**
   * {@code fn} run once on {@code x} under a {@link GradTrace}: its output (still holding the
   * trace's tracers) and the tape, ready for any number of reverse sweeps ({@link #backward}).
   */
  record Forward(String what, GradTrace trace, Tree.Flat in, List<GradTracer> args, Object out) {
    /** The primal of {@code a} (itself if it is not one of this trace's tracers). */
    Array primal(Array a) {
      return primalOf(trace, a);
    }

    /** {@code tree} with every leaf replaced by its primal; {@code name} for the error message. */
    Object primalTree(Object tree, String name) {
      Tree.Flat flat;
      try {
        flat = Tree.flatten(tree);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what + ": the " + name + " value must be a pytree of arrays "
            + "(records, List, Map, Pair, Optional, null): " + e.getMessage(), e);
      }
      List<Array> primals = new ArrayList<>(flat.leaves().size());
      for (Array leaf : flat.leaves()) {
        primals.add(primal(leaf));
      }
      return flat.def().unflatten(primals);
    }

    /** Cotangents of the differentiated leaves for {@code seeds} (null: no seed) of {@code outputs}. */
    List<Array> backward(List<Array> outputs, List<Array> seeds) {
      return trace.backward(outputs, seeds, args);
    }

    /** The gradient of the scalar {@code out}, shaped like the argument. */
    <A> A gradient(Array out) {
      List<Array> cts = backward(List.of(out), List.of(Array.scalar(out.dtype(), 1)));
      return in.def().unflatten(Vjp.withZerosForNonFloat(in.leaves(), cts));
    }
  }

  /** JAX's check for {@code holomorphic=True}: every input leaf is complex. */
  static void requireComplexInputs(String what, Object x) {
    Tree.Flat flat = Tree.flatten(x);
    List<String> paths = flat.def().paths("arg0");
    for (int i = 0; i < flat.leaves().size(); i++) {
      Array leaf = flat.leaves().get(i);
      if (!leaf.dtype().isComplex()) {
        throw new IllegalArgumentException(what + " with holomorphic=true requires inputs with complex dtype, but "
            + paths.get(i) + " is " + leaf.aval() + "; convert it with astype(DType.C64), or differentiate "
            + "without holomorphic (a real input is not a point of a holomorphic function)");
      }
    }
  }

  /** Runs {@code fn(x)} with every leaf of {@code x} (which must be float or complex) traced for reverse mode. */
  static <A> Forward forward(String what, Function<A, ?> fn, A x) {
    return forward(what, fn, x, InputLeaves.GRAD);
  }

  /**
   * {@link #forward(String, Function, Object)} with the leaves {@code accepted} takes (refusing the
   * others with its advice); with {@link InputLeaves#ANY}, integer and bool leaves go in untraced.
   */
  static <A> Forward forward(String what, Function<A, ?> fn, A x, InputLeaves accepted) {
    Tree.Flat flat = Tree.flatten(x);
    accepted.check(what, flat);
    GradTrace trace = TraceStack.push(level -> new GradTrace(level, what));
    List<GradTracer> tracers = new ArrayList<>(flat.leaves().size());
    Object out;
    try {
      List<Array> wrapped = new ArrayList<>(flat.leaves().size());
      for (Array leaf : flat.leaves()) {
        if (!leaf.dtype().isInexact()) {
          wrapped.add(leaf); // allowInt: a constant of the trace, its gradient zeros
          continue;
        }
        GradTracer t = trace.newArg(leaf);
        tracers.add(t);
        wrapped.add(Array.fromTracer(t));
      }
      A arg = flat.def().unflatten(wrapped);
      out = fn.apply(arg);
    } finally {
      TraceStack.pop(trace);
    }
    return new Forward(what, trace, flat, tracers, out);
  }

  static void checkOutput(String what, Array out) {
    checkOutput(what, out, false);
  }

  /** JAX's output checks of grad: scalar; real unless holomorphic, complex if holomorphic. */
  static void checkOutput(String what, Array out, boolean holomorphic) {
    if (out == null) {
      throw new IllegalArgumentException(what + " requires the function to return a scalar float array, got null");
    }
    if (out.ndim() != 0) {
      throw new IllegalArgumentException(what + " requires a scalar output, got " + out.aval()
          + "; use sum() or mean()");
    }
    checkOutputDtype(what, out, holomorphic);
  }

  /** The dtype half of {@link #checkOutput}, shared with jacrev (JAX's _check_output_dtype_revderiv). */
  static void checkOutputDtype(String what, Array out, boolean holomorphic) {
    if (holomorphic && !out.dtype().isComplex()) {
      throw new IllegalArgumentException(what + " with holomorphic=true requires a complex output, got " + out.aval()
          + "; a holomorphic function maps complex to complex (drop holomorphic for a real loss)");
    }
    if (!holomorphic && out.dtype().isComplex()) {
      throw new IllegalArgumentException(what + " requires a real-valued output, got " + out.aval()
          + "; for holomorphic differentiation pass holomorphic=true, and for a non-holomorphic function with a "
          + "complex output use vjp directly (or differentiate real(), imag() or abs() of it)");
    }
    if (!out.dtype().isInexact()) {
      throw new IllegalArgumentException(what + " requires a float output, got " + out.aval()
          + "; an integer or bool result has no gradient (convert with astype(DType.F32) if that is meant)");
    }
  }

  private static Array primalOf(GradTrace trace, Array a) {
    return a.tracer() instanceof GradTracer g && g.trace() == trace ? g.primal() : a;
  }

  /**
   * {@code jaxpr} without its effectful equations (debug_print), also inside sub-graphs. The VJPs
   * of cond and scan re-evaluate their sub-graphs; as in JAX, the effects run once, in the
   * forward pass, not again when the backward pass recomputes.
   */
  static Jaxpr withoutEffects(Jaxpr jaxpr) {
    if (!jaxpr.isEffectful()) {
      return jaxpr;
    }
    List<Eqn> kept = new ArrayList<>(jaxpr.eqns().size());
    for (Eqn e : jaxpr.eqns()) {
      if (e.primitive().isEffectful() && e.outputs().isEmpty()) {
        continue;
      }
      Params params = e.params().mapJaxprs(Grad::withoutEffects);
      kept.add(params == e.params() ? e : new Eqn(e.primitive(), params, e.inputs(), e.outputs()));
    }
    return new Jaxpr(jaxpr.constvars(), jaxpr.invars(), kept, jaxpr.outvars());
  }

  /**
   * The VJP of a closed jaxpr (no constvars) at {@code primals}: cotangents of its invars for
   * the cotangents {@code outCts} of its outputs; zeros for integer and bool invars. Used by the
   * rules of primitives with sub-graphs (cond, scan), on whatever trace is current.
   */
  static List<Array> jaxprVjp(Jaxpr jaxpr, List<Array> primals, List<Array> outCts) {
    jaxpr = withoutEffects(jaxpr);
    GradTrace trace = TraceStack.push(level -> new GradTrace(level, "vjp"));
    List<GradTracer> tracers = new ArrayList<>();
    List<Array> outs;
    try {
      List<Array> args = new ArrayList<>(primals.size());
      for (Array p : primals) {
        if (p.dtype().isInexact()) {
          GradTracer t = trace.newArg(p);
          tracers.add(t);
          args.add(Array.fromTracer(t));
        } else {
          args.add(p);
        }
      }
      outs = JaxprEval.eval(jaxpr, List.of(), args);
    } finally {
      TraceStack.pop(trace);
    }
    List<Array> cts = trace.backward(outs, outCts, tracers);
    trace.release();
    return Vjp.withZerosForNonFloat(primals, cts);
  }
}
