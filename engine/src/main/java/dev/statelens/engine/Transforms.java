package dev.statelens.engine;

import dev.statelens.engine.autodiff.Derivatives;
import dev.statelens.engine.autodiff.Grad;
import dev.statelens.engine.batching.Vmap;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.trace.JitFunction;
import dev.statelens.engine.trace.StagingTrace;
import dev.statelens.engine.trace.TraceStack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * JAX's function transformations: {@code jit}, {@code grad}, {@code valueAndGrad} (and their
 * {@code has_aux} forms), {@code vjp}, {@code jvp}, {@code jacrev}, {@code jacfwd},
 * {@code hessian}, {@code linearize}, {@code linearTranspose}, {@code vmap}, {@code evalShape},
 * {@code makeJaxpr}, and the host callbacks {@code pureCallback} and {@code ioCallback}.
 *
 * <p>{@code jit} traces the function once per input signature (pytree structure + shapes +
 * dtypes) and replays the compiled graph afterwards. As in JAX, Java side effects inside run
 * only while tracing: a field written inside a jitted function is written once, with a traced
 * value. Return new state explicitly instead, e.g. {@code jit((Array n) -> Pair.of(out, newN))}.
 */
public final class Transforms {
  private Transforms() {}

  /** Implemented by every function {@code jit} returns: its name and cached graphs. */
  public interface Jitted {
    JitFunction jitFunction();
  }

  // ---- jit ---------------------------------------------------------------------------------

  public static <R> Supplier<R> jit(Supplier<R> fn) {
    return jit(null, fn);
  }

  @SuppressWarnings("unchecked")
  public static <R> Supplier<R> jit(String name, Supplier<R> fn) {
    JitFunction jf = new JitFunction(name, args -> fn.get());
    record J<R>(JitFunction jitFunction) implements Supplier<R>, Jitted {
      @Override
      public R get() {
        return (R) jitFunction.call();
      }
    }
    return new J<>(jf);
  }

  public static <A, R> Function<A, R> jit(Function<A, R> fn) {
    return jit(null, fn);
  }

  @SuppressWarnings("unchecked")
  public static <A, R> Function<A, R> jit(String name, Function<A, R> fn) {
    JitFunction jf = new JitFunction(name, args -> fn.apply((A) args[0]));
    record J<A, R>(JitFunction jitFunction) implements Function<A, R>, Jitted {
      @Override
      public R apply(A a) {
        return (R) jitFunction.call(a);
      }
    }
    return new J<>(jf);
  }

  public static <A, B, R> BiFunction<A, B, R> jit(BiFunction<A, B, R> fn) {
    return jit(null, fn);
  }

  @SuppressWarnings("unchecked")
  public static <A, B, R> BiFunction<A, B, R> jit(String name, BiFunction<A, B, R> fn) {
    JitFunction jf = new JitFunction(name, args -> fn.apply((A) args[0], (B) args[1]));
    record J<A, B, R>(JitFunction jitFunction) implements BiFunction<A, B, R>, Jitted {
      @Override
      public R apply(A a, B b) {
        return (R) jitFunction.call(a, b);
      }
    }
    return new J<>(jf);
  }

  public static <A, B, C, R> Fn3<A, B, C, R> jit(Fn3<A, B, C, R> fn) {
    return jit(null, fn);
  }

  @SuppressWarnings("unchecked")
  public static <A, B, C, R> Fn3<A, B, C, R> jit(String name, Fn3<A, B, C, R> fn) {
    JitFunction jf = new JitFunction(name, args -> fn.apply((A) args[0], (B) args[1], (C) args[2]));
    record J<A, B, C, R>(JitFunction jitFunction) implements Fn3<A, B, C, R>, Jitted {
      @Override
      public R apply(A a, B b, C c) {
        return (R) jitFunction.call(a, b, c);
      }
    }
    return new J<>(jf);
  }

  public static <A, B, C, D, R> Fn4<A, B, C, D, R> jit(Fn4<A, B, C, D, R> fn) {
    return jit(null, fn);
  }

  @SuppressWarnings("unchecked")
  public static <A, B, C, D, R> Fn4<A, B, C, D, R> jit(String name, Fn4<A, B, C, D, R> fn) {
    JitFunction jf = new JitFunction(name, args -> fn.apply((A) args[0], (B) args[1], (C) args[2], (D) args[3]));
    record J<A, B, C, D, R>(JitFunction jitFunction) implements Fn4<A, B, C, D, R>, Jitted {
      @Override
      public R apply(A a, B b, C c, D d) {
        return (R) jitFunction.call(a, b, c, d);
      }
    }
    return new J<>(jf);
  }

  /**
   * The jit machinery behind a function returned by {@code jit}: its {@link JitFunction#name()}
   * and cached {@link JitFunction#graphs()}.
   */
  public static JitFunction jitInfo(Object jitted) {
    return findJit(jitted).orElseThrow(() -> new IllegalArgumentException(
        "jitInfo: " + jitted + " was not returned by Transforms.jit"));
  }

  /** The jit machinery behind {@code fn}, if {@code fn} was returned by {@code jit}. */
  public static Optional<JitFunction> findJit(Object fn) {
    return fn instanceof Jitted j ? Optional.of(j.jitFunction()) : Optional.empty();
  }

  // ---- makeJaxpr ---------------------------------------------------------------------------

  /** The graph {@code fn} traces to, like {@code jax.make_jaxpr(fn)()}. */
  public static Jaxpr makeJaxpr(Supplier<?> fn) {
    return traceToJaxpr(args -> fn.get());
  }

  /** The graph {@code fn} traces to for arguments shaped like {@code a}. */
  @SuppressWarnings("unchecked")
  public static <A> Jaxpr makeJaxpr(Function<A, ?> fn, A a) {
    return traceToJaxpr(args -> fn.apply((A) args[0]), a);
  }

  @SuppressWarnings("unchecked")
  public static <A, B> Jaxpr makeJaxpr(BiFunction<A, B, ?> fn, A a, B b) {
    return traceToJaxpr(args -> fn.apply((A) args[0], (B) args[1]), a, b);
  }

  @SuppressWarnings("unchecked")
  public static <A, B, C> Jaxpr makeJaxpr(Fn3<A, B, C, ?> fn, A a, B b, C c) {
    return traceToJaxpr(args -> fn.apply((A) args[0], (B) args[1], (C) args[2]), a, b, c);
  }

  @SuppressWarnings("unchecked")
  public static <A, B, C, D> Jaxpr makeJaxpr(Fn4<A, B, C, D, ?> fn, A a, B b, C c, D d) {
    return traceToJaxpr(args -> fn.apply((A) args[0], (B) args[1], (C) args[2], (D) args[3]), a, b, c, d);
  }

  private static Jaxpr traceToJaxpr(Function<Object[], Object> fn, Object... args) {
    return traceArgs("make_jaxpr", fn, args).traced().jaxpr();
  }

  /** Traces {@code fn} once on placeholders shaped like the leaves of {@code args} (makeJaxpr, evalShape). */
  private static StagingTrace.TracedFunction traceArgs(String name, Function<Object[], Object> fn, Object... args) {
    Tree.Flat flat = Tree.flatten(Arrays.asList(args));
    List<Aval> avals = new ArrayList<>();
    for (Array leaf : flat.leaves()) {
      avals.add(leaf.aval());
    }
    return StagingTrace.traceFunction(name, avals, leaves -> {
      List<Object> unflat = flat.def().unflatten(leaves);
      return fn.apply(unflat.toArray());
    });
  }

  // ---- evalShape ---------------------------------------------------------------------------

  /**
   * {@code jax.eval_shape(fn, a)}: the output of {@code fn(a)} with every leaf a {@link ShapeDtype}
   * (shape and dtype, no values), found by tracing {@code fn} without computing anything. Leaves
   * of {@code a} may be arrays or {@link ShapeDtype}s, e.g. to learn a model's parameter shapes
   * without allocating them: {@code Transforms.evalShape(model::init, key)}.
   */
  @SuppressWarnings("unchecked")
  public static <A, R> R evalShape(Function<A, R> fn, A a) {
    return (R) shapesOf(args -> fn.apply((A) args[0]), a);
  }

  /** {@link #evalShape(Function, Object)} of a function of no arguments. */
  @SuppressWarnings("unchecked")
  public static <R> R evalShape(Supplier<R> fn) {
    return (R) shapesOf(args -> fn.get());
  }

  @SuppressWarnings("unchecked")
  public static <A, B, R> R evalShape(BiFunction<A, B, R> fn, A a, B b) {
    return (R) shapesOf(args -> fn.apply((A) args[0], (B) args[1]), a, b);
  }

  @SuppressWarnings("unchecked")
  public static <A, B, C, R> R evalShape(Fn3<A, B, C, R> fn, A a, B b, C c) {
    return (R) shapesOf(args -> fn.apply((A) args[0], (B) args[1], (C) args[2]), a, b, c);
  }

  private static Object shapesOf(Function<Object[], Object> fn, Object... args) {
    StagingTrace.TracedFunction traced = traceArgs("eval_shape", fn, args);
    List<Array> shapes = new ArrayList<>();
    for (Aval out : traced.traced().jaxpr().outAvals()) {
      shapes.add(ShapeDtype.of(out));
    }
    return traced.outTree().unflatten(shapes);
  }

  /** True while a function is being traced on this thread (inside jit, makeJaxpr, grad...). */
  public static boolean isTracing() {
    return TraceStack.isTracing();
  }

  // ---- autodiff and vmap: implemented in dev.statelens.engine.autodiff ----------------------

  /** Gradient of a scalar function w.r.t. its (pytree) argument. */
  public static <A> Function<A, A> grad(Function<A, Array> fn) {
    return a -> Grad.valueAndGrad("grad", fn, a).second();
  }

  /**
   * {@code jax.grad(fn, holomorphic=...)}: with {@code holomorphic = true} the argument's leaves
   * and the scalar output are complex and the result is the complex derivative ({@code 2z} for
   * {@code z*z}); with false it is {@link #grad(Function)}, which refuses a complex output.
   */
  public static <A> Function<A, A> grad(Function<A, Array> fn, boolean holomorphic) {
    return a -> Grad.valueAndGrad("grad", fn, a, holomorphic).second();
  }

  /**
   * {@code jax.grad(fn, allow_int=True)}: integer and bool leaves of the argument (a step counter
   * in a state record, an index) are not differentiated, and their gradient is zeros of their own
   * dtype where JAX gives {@code float0} zeros; {@link #grad(Function)} refuses them, as
   * {@code jax.grad} does without {@code allow_int}.
   */
  public static <A> Function<A, A> gradAllowInt(Function<A, Array> fn) {
    return a -> Grad.valueAndGradAllowInt("grad", fn, a).second();
  }

  /** {@code jax.value_and_grad(fn, holomorphic=...)}; see {@link #grad(Function, boolean)}. */
  public static <A> Function<A, Pair<Array, A>> valueAndGrad(Function<A, Array> fn, boolean holomorphic) {
    return a -> Grad.valueAndGrad("valueAndGrad", fn, a, holomorphic);
  }

  /** Gradient w.r.t. the first argument. */
  public static <A, B> BiFunction<A, B, A> grad(BiFunction<A, B, Array> fn) {
    return (a, b) -> Grad.valueAndGrad("grad", (A x) -> fn.apply(x, b), a).second();
  }

  public static <A, B, C> Fn3<A, B, C, A> grad(Fn3<A, B, C, Array> fn) {
    return (a, b, c) -> Grad.valueAndGrad("grad", (A x) -> fn.apply(x, b, c), a).second();
  }

  public static <A, B, C, D> Fn4<A, B, C, D, A> grad(Fn4<A, B, C, D, Array> fn) {
    return (a, b, c, d) -> Grad.valueAndGrad("grad", (A x) -> fn.apply(x, b, c, d), a).second();
  }

  /** Value and gradient w.r.t. the (pytree) argument. */
  public static <A> Function<A, Pair<Array, A>> valueAndGrad(Function<A, Array> fn) {
    return a -> Grad.valueAndGrad("valueAndGrad", fn, a);
  }

  public static <A, B> BiFunction<A, B, Pair<Array, A>> valueAndGrad(BiFunction<A, B, Array> fn) {
    return (a, b) -> Grad.valueAndGrad("valueAndGrad", (A x) -> fn.apply(x, b), a);
  }

  public static <A, B, C> Fn3<A, B, C, Pair<Array, A>> valueAndGrad(Fn3<A, B, C, Array> fn) {
    return (a, b, c) -> Grad.valueAndGrad("valueAndGrad", (A x) -> fn.apply(x, b, c), a);
  }

  public static <A, B, C, D> Fn4<A, B, C, D, Pair<Array, A>> valueAndGrad(Fn4<A, B, C, D, Array> fn) {
    return (a, b, c, d) -> Grad.valueAndGrad("valueAndGrad", (A x) -> fn.apply(x, b, c, d), a);
  }

  // ---- has_aux, vjp, jvp, Jacobians: implemented in dev.statelens.engine.autodiff ------------

  /**
   * {@code jax.value_and_grad(fn, has_aux=True)}: {@code fn} returns {@code Pair.of(loss, aux)}
   * (aux: any pytree, e.g. logits or an accuracy); the result is {@code ((loss, aux), gradient)}.
   * No gradient flows through aux; its leaves come back as values.
   */
  public static <A, X> Function<A, Pair<Pair<Array, X>, A>> valueAndGradWithAux(Function<A, Pair<Array, X>> fn) {
    return a -> Grad.valueAndGradWithAux("valueAndGradWithAux", fn, a);
  }

  /** {@link #valueAndGradWithAux(Function)} w.r.t. the first argument. */
  public static <A, B, X> BiFunction<A, B, Pair<Pair<Array, X>, A>> valueAndGradWithAux(
      BiFunction<A, B, Pair<Array, X>> fn) {
    return (a, b) -> Grad.valueAndGradWithAux("valueAndGradWithAux", (A x) -> fn.apply(x, b), a);
  }

  /** {@link #valueAndGradWithAux(Function)} w.r.t. the first argument. */
  public static <A, B, C, X> Fn3<A, B, C, Pair<Pair<Array, X>, A>> valueAndGradWithAux(
      Fn3<A, B, C, Pair<Array, X>> fn) {
    return (a, b, c) -> Grad.valueAndGradWithAux("valueAndGradWithAux", (A x) -> fn.apply(x, b, c), a);
  }

  /**
   * {@link #valueAndGradWithAux(Function)} w.r.t. the first of four arguments — JAX's
   * {@code loss_fn(params, bn_state, x, y)} returning {@code (loss, new_bn_state)}.
   */
  public static <A, B, C, D, X> Fn4<A, B, C, D, Pair<Pair<Array, X>, A>> valueAndGradWithAux(
      Fn4<A, B, C, D, Pair<Array, X>> fn) {
    return (a, b, c, d) -> Grad.valueAndGradWithAux("valueAndGradWithAux", (A x) -> fn.apply(x, b, c, d), a);
  }

  /** {@code jax.grad(fn, has_aux=True)}: {@code (gradient, aux)} for {@code fn} returning {@code (loss, aux)}. */
  public static <A, X> Function<A, Pair<A, X>> gradWithAux(Function<A, Pair<Array, X>> fn) {
    return a -> withoutValue(Grad.valueAndGradWithAux("gradWithAux", fn, a));
  }

  /** {@link #gradWithAux(Function)} w.r.t. the first argument. */
  public static <A, B, X> BiFunction<A, B, Pair<A, X>> gradWithAux(BiFunction<A, B, Pair<Array, X>> fn) {
    return (a, b) -> withoutValue(Grad.valueAndGradWithAux("gradWithAux", (A x) -> fn.apply(x, b), a));
  }

  /** {@link #gradWithAux(Function)} w.r.t. the first argument. */
  public static <A, B, C, X> Fn3<A, B, C, Pair<A, X>> gradWithAux(Fn3<A, B, C, Pair<Array, X>> fn) {
    return (a, b, c) -> withoutValue(Grad.valueAndGradWithAux("gradWithAux", (A x) -> fn.apply(x, b, c), a));
  }

  /** {@link #gradWithAux(Function)} w.r.t. the first of four arguments. */
  public static <A, B, C, D, X> Fn4<A, B, C, D, Pair<A, X>> gradWithAux(Fn4<A, B, C, D, Pair<Array, X>> fn) {
    return (a, b, c, d) -> withoutValue(Grad.valueAndGradWithAux("gradWithAux", (A x) -> fn.apply(x, b, c, d), a));
  }

  private static <A, X> Pair<A, X> withoutValue(Pair<Pair<Array, X>, A> r) {
    return Pair.of(r.second(), r.first().second());
  }

  /**
   * {@code jax.vjp(fn, x)}: {@code fn(x)} and its pullback, mapping a cotangent shaped like the
   * output (any pytree) to one shaped like {@code x}. The pullback can be called many times, and
   * under {@code jit}.
   */
  public static <A, R> VjpResult<R, A> vjp(Function<A, R> fn, A x) {
    return Derivatives.vjp("vjp", fn, x);
  }

  /** {@link #vjp(Function, Object)} w.r.t. the first argument; {@code b} is held fixed. */
  public static <A, B, R> VjpResult<R, A> vjp(BiFunction<A, B, R> fn, A a, B b) {
    return Derivatives.vjp("vjp", (A x) -> fn.apply(x, b), a);
  }

  /**
   * {@code jax.jvp(fn, (x,), (tangent,))}: {@code (fn(x), J tangent)}; {@code tangent} has the
   * structure, shapes and dtypes of {@code x}. An integer or bool leaf of {@code x} (a step counter)
   * takes zeros of its own dtype, where JAX takes {@code float0} zeros; integer and bool outputs get
   * zero tangents of their dtype. Computed by transposing the pullback (see docs/autodiff.md): about
   * three reverse-mode passes, not JAX's single forward pass.
   */
  public static <A, R> Pair<R, R> jvp(Function<A, R> fn, A x, A tangent) {
    return Derivatives.jvp("jvp", fn, x, tangent);
  }

  /** {@link #jvp(Function, Object, Object)} w.r.t. the first argument; {@code b} is held fixed. */
  public static <A, B, R> Pair<R, R> jvp(BiFunction<A, B, R> fn, A a, B b, A tangent) {
    return Derivatives.jvp("jvp", (A x) -> fn.apply(x, b), a, tangent);
  }

  /**
   * {@code jax.linearize(fn, x)}: {@code fn(x)} and its JVP at {@code x} as a function of the
   * tangent, {@code t -> J t}, reusable on many tangents: the forward pass runs once here, each
   * call only sweeps the recorded linear map (cheaper than calling {@link #jvp} per tangent).
   * Tangents have the structure, shapes and dtypes of {@code x} (zeros of their dtype for integer and
   * bool leaves, as for {@link #jvp}); also usable under {@code vmap}.
   */
  public static <A, R> Pair<R, Function<A, R>> linearize(Function<A, R> fn, A x) {
    return Derivatives.linearize("linearize", fn, x);
  }

  /** {@link #linearize(Function, Object)} w.r.t. the first argument; {@code b} is held fixed. */
  public static <A, B, R> Pair<R, Function<A, R>> linearize(BiFunction<A, B, R> fn, A a, B b) {
    return Derivatives.linearize("linearize", (A x) -> fn.apply(x, b), a);
  }

  /**
   * {@code jax.linear_transpose(fn, x)}: the transpose of the linear function {@code fn}, mapping
   * a cotangent shaped like its output to one shaped like {@code x}. Only {@code x}'s shapes and
   * dtypes are used ({@link ShapeDtype}s are fine); {@code fn} is traced once. {@code fn} must be
   * linear in its argument, float/complex in and out: as JAX, a step without a transpose rule
   * ({@code sin}), a product of two values that both depend on the argument, a division by one, or
   * a predicate or index computed from it is refused with an {@link IllegalArgumentException} naming
   * the step and its line (here, not at the first call as in JAX). A constant term drops out, as
   * in JAX ({@code x + 1} transposes like {@code x}).
   */
  public static <A, R> Function<R, A> linearTranspose(Function<A, R> fn, A x) {
    return Derivatives.linearTranspose("linearTranspose", fn, x);
  }

  /**
   * {@code jax.jacrev(fn)}: the Jacobian of an array-valued function by reverse mode (one
   * batched pullback per output element). Shaped like the argument, each leaf
   * {@code out.shape ++ leaf.shape}. Best when the output is smaller than the input.
   */
  public static <A> Function<A, A> jacrev(Function<A, Array> fn) {
    return a -> Derivatives.jacrev("jacrev", fn, a);
  }

  /** {@code jax.jacrev(fn, holomorphic=...)}: complex input and output, rows of complex derivatives. */
  public static <A> Function<A, A> jacrev(Function<A, Array> fn, boolean holomorphic) {
    return a -> Derivatives.jacrev("jacrev", fn, a, holomorphic);
  }

  /**
   * {@code jax.jacrev(fn, allow_int=True)}: integer and bool leaves of the argument are not
   * differentiated; their Jacobian is zeros of their own dtype, {@code out.shape ++ leaf.shape}
   * (JAX gives int32 zeros too). {@link #jacrev(Function)} refuses them, as {@code jax.jacrev} does
   * without {@code allow_int}.
   */
  public static <A> Function<A, A> jacrevAllowInt(Function<A, Array> fn) {
    return a -> Derivatives.jacrevAllowInt("jacrev", fn, a);
  }

  /** {@link #jacrev(Function)} w.r.t. the first argument. */
  public static <A, B> BiFunction<A, B, A> jacrev(BiFunction<A, B, Array> fn) {
    return (a, b) -> Derivatives.jacrev("jacrev", (A x) -> fn.apply(x, b), a);
  }

  /**
   * {@code jax.jacfwd(fn)}: the same Jacobian as {@link #jacrev(Function)}, batched over the
   * input's elements instead. Best when the input is smaller than the output.
   */
  public static <A> Function<A, A> jacfwd(Function<A, Array> fn) {
    return a -> Derivatives.jacfwd("jacfwd", fn, a);
  }

  /** {@code jax.jacfwd(fn, holomorphic=...)}: complex input and output, columns of complex derivatives. */
  public static <A> Function<A, A> jacfwd(Function<A, Array> fn, boolean holomorphic) {
    return a -> Derivatives.jacfwd("jacfwd", fn, a, holomorphic);
  }

  /** {@link #jacfwd(Function)} w.r.t. the first argument. */
  public static <A, B> BiFunction<A, B, A> jacfwd(BiFunction<A, B, Array> fn) {
    return (a, b) -> Derivatives.jacfwd("jacfwd", (A x) -> fn.apply(x, b), a);
  }

  /**
   * {@code jax.hessian(fn)} = {@code jacfwd(jacrev(fn))}: for an array input, shape
   * {@code out.shape ++ x.shape ++ x.shape} ({@code x.shape ++ x.shape} for a scalar function).
   */
  public static Function<Array, Array> hessian(Function<Array, Array> fn) {
    return x -> Derivatives.jacfwd("hessian", (Array y) -> Derivatives.jacrev("hessian", fn, y), x);
  }

  /** {@link #hessian(Function)} w.r.t. the first argument. */
  public static <B> BiFunction<Array, B, Array> hessian(BiFunction<Array, B, Array> fn) {
    return (a, b) -> Derivatives.jacfwd("hessian", (Array y) -> Derivatives.jacrev("hessian", (Array z) -> fn.apply(z, b), y), a);
  }

  // ---- custom gradients and remat: dev.statelens.engine.autodiff.CustomVjp / Remat ----------

  /**
   * {@code jax.custom_vjp}: {@code f} with a hand-written reverse-mode rule. Called normally, or
   * under {@code jit}/{@code vmap}, it runs {@code f}; under {@code grad}/{@code vjp} it runs
   * {@code fwd} ({@code Pair.of(f(x), residuals)}, residuals any pytree) on the forward pass and
   * {@code bwd(residuals, cotangent of the output)} on the backward pass, which must return a
   * cotangent shaped like {@code x} (integer and bool leaves get zeros whatever it returns).
   * {@code f}, {@code fwd} and {@code bwd} must not capture values being differentiated: pass
   * them as arguments. See docs/autodiff.md.
   */
  public static <A, R, Res> Function<A, R> customVjp(Function<A, R> f, Function<A, Pair<R, Res>> fwd,
      BiFunction<Res, R, A> bwd) {
    return dev.statelens.engine.autodiff.CustomVjp.function(f, fwd, bwd);
  }

  /** {@link #customVjp(Function, Function, BiFunction)} of two arguments: bwd returns {@code Pair.of(ctA, ctB)}. */
  public static <A, B, R, Res> BiFunction<A, B, R> customVjp(BiFunction<A, B, R> f,
      BiFunction<A, B, Pair<R, Res>> fwd, BiFunction<Res, R, Pair<A, B>> bwd) {
    return dev.statelens.engine.autodiff.CustomVjp.function(f, fwd, bwd);
  }

  /**
   * {@code jax.custom_jvp}: {@code f} with a hand-written forward-mode rule
   * {@code jvp(x, t) -> Pair.of(f(x), tangent of f(x))}, the tangent linear in {@code t} (shaped
   * like {@code x}; integer and bool leaves get zero tangents). Called normally, or under
   * {@code jit}/{@code vmap}, it runs {@code f}; {@code jvp}/{@code jacfwd} use the rule, and
   * {@code grad}/{@code vjp} its transpose (JAX's linearize + transpose). Static, non-array
   * parameters (JAX's {@code nondiff_argnums}) are Java values the functions close over; arrays
   * being differentiated must be arguments. See docs/autodiff.md.
   */
  public static <A, R> Function<A, R> customJvp(Function<A, R> f, BiFunction<A, A, Pair<R, R>> jvp) {
    return dev.statelens.engine.autodiff.CustomJvp.function(f, jvp);
  }

  /** {@link #customJvp(Function, BiFunction)} of two arguments: {@code jvp(a, b, ta, tb)}. */
  public static <A, B, R> BiFunction<A, B, R> customJvp(BiFunction<A, B, R> f, Fn4<A, B, A, B, Pair<R, R>> jvp) {
    return dev.statelens.engine.autodiff.CustomJvp.function(f, jvp);
  }

  /**
   * {@code jax.checkpoint} (remat): the same function, but under {@code grad} its intermediate
   * values are not kept for the backward pass; they are recomputed from its inputs there. Trades
   * compute for memory in deep models. Under {@code jit} it stages a {@code checkpoint} equation.
   * (The save-to-disk checkpoints are {@code dev.statelens.engine.checkpoint}.)
   */
  public static <A, R> Function<A, R> checkpoint(Function<A, R> f) {
    java.util.Objects.requireNonNull(f, "checkpoint: f must not be null");
    return a -> dev.statelens.engine.autodiff.Remat.apply(f, a);
  }

  /** {@link #checkpoint(Function)} of two arguments. */
  public static <A, B, R> BiFunction<A, B, R> checkpoint(BiFunction<A, B, R> f) {
    java.util.Objects.requireNonNull(f, "checkpoint: f must not be null");
    return (a, b) -> dev.statelens.engine.autodiff.Remat.apply((Pair<A, B> p) -> f.apply(p.first(), p.second()), Pair.of(a, b));
  }

  // ---- vmap: implemented in dev.statelens.engine.batching ------------------------------------

  /**
   * Vectorizes {@code fn} over axis 0 of every array leaf of its argument, like {@code jax.vmap}:
   * {@code fn} sees one batch element and the result has the batch on axis 0. Composes with
   * {@code jit} in both orders.
   */
  @SuppressWarnings("unchecked")
  public static <A, R> Function<A, R> vmap(Function<A, R> fn) {
    return vmap(fn, 0);
  }

  /**
   * {@code vmap} with {@code in_axes}: the mapped axis of every leaf of the argument (negative
   * counts from the end), or null for an argument passed unchanged to every element.
   */
  @SuppressWarnings("unchecked")
  public static <A, R> Function<A, R> vmap(Function<A, R> fn, Integer inAxis) {
    Integer[] axes = {inAxis};
    return a -> (R) Vmap.call("<lambda>", new Object[] {a}, axes, args -> fn.apply((A) args[0]));
  }

  public static <A, B, R> BiFunction<A, B, R> vmap(BiFunction<A, B, R> fn) {
    return vmap(fn, 0, 0);
  }

  /** {@code vmap} with one in-axis (or null: not mapped) per argument. */
  @SuppressWarnings("unchecked")
  public static <A, B, R> BiFunction<A, B, R> vmap(BiFunction<A, B, R> fn, Integer inAxisA, Integer inAxisB) {
    Integer[] axes = {inAxisA, inAxisB};
    return (a, b) -> (R) Vmap.call("<lambda>", new Object[] {a, b}, axes,
        args -> fn.apply((A) args[0], (B) args[1]));
  }

  public static <A, B, C, R> Fn3<A, B, C, R> vmap(Fn3<A, B, C, R> fn) {
    return vmap(fn, 0, 0, 0);
  }

  @SuppressWarnings("unchecked")
  public static <A, B, C, R> Fn3<A, B, C, R> vmap(Fn3<A, B, C, R> fn, Integer inAxisA, Integer inAxisB, Integer inAxisC) {
    Integer[] axes = {inAxisA, inAxisB, inAxisC};
    return (a, b, c) -> (R) Vmap.call("<lambda>", new Object[] {a, b, c}, axes,
        args -> fn.apply((A) args[0], (B) args[1], (C) args[2]));
  }

  public static <A, B, C, D, R> Fn4<A, B, C, D, R> vmap(Fn4<A, B, C, D, R> fn) {
    return vmap(fn, 0, 0, 0, 0);
  }

  @SuppressWarnings("unchecked")
  public static <A, B, C, D, R> Fn4<A, B, C, D, R> vmap(Fn4<A, B, C, D, R> fn, Integer inAxisA, Integer inAxisB,
      Integer inAxisC, Integer inAxisD) {
    Integer[] axes = {inAxisA, inAxisB, inAxisC, inAxisD};
    return (a, b, c, d) -> (R) Vmap.call("<lambda>", new Object[] {a, b, c, d}, axes,
        args -> fn.apply((A) args[0], (B) args[1], (C) args[2], (D) args[3]));
  }

  // ---- host callbacks ------------------------------------------------------------------------

  /**
   * {@code jax.pure_callback}: calls the host function {@code fn} (any Java: a library routine the
   * engine lacks) with the values of {@code args} and returns its array, declared to have the
   * shape and dtype {@code result} ({@code x.aval()}, {@code Aval.of(DType.F32, 3)}). Under
   * {@code jit} the graph carries one {@code pure_callback} equation, called on every run; like
   * any pure operation it may be dropped when its result is unused, so side effects belong in
   * {@link Debug#callback} or {@link #ioCallback}. Not differentiable (wrap the caller in
   * {@link #customVjp}); under {@code vmap} it needs a {@link VmapMethod} (the overload below). A
   * result of another shape or dtype is a {@link CallbackError} naming both.
   */
  public static Array pureCallback(Function<Array[], Array> fn, Aval result, Array... args) {
    return pureCallback(fn, result, null, args);
  }

  /** {@link #pureCallback(Function, Aval, Array...)} with how vmap runs it ({@code vmap_method}). */
  public static Array pureCallback(Function<Array[], Array> fn, Aval result, VmapMethod vmapMethod, Array... args) {
    return Callbacks.pure(Callbacks.single(fn), List.of(result), vmapMethod, args).get(0);
  }

  /** {@link #pureCallback(Function, Aval, VmapMethod, Array...)} with several results, one per declaration. */
  public static List<Array> pureCallback(Function<Array[], List<Array>> fn, List<Aval> results,
      VmapMethod vmapMethod, Array... args) {
    return Callbacks.pure(fn, results, vmapMethod, args);
  }

  /**
   * {@code jax.experimental.io_callback}: like {@link #pureCallback(Function, Aval, Array...)} but
   * a side effect: never dropped, run on every call of the compiled function. {@code ordered}
   * calls run in program order with the other ordered effects (the CPU and GPU backends run every
   * callback in program order); an ordered one is refused under {@code vmap}, as in JAX, an
   * unordered one is called once per batch element. Not differentiable.
   */
  public static Array ioCallback(Function<Array[], Array> fn, Aval result, boolean ordered, Array... args) {
    return Callbacks.io(Callbacks.single(fn), List.of(result), ordered, args).get(0);
  }

  /** {@link #ioCallback(Function, Aval, boolean, Array...)} with several results (or none: {@code List.of()}). */
  public static List<Array> ioCallback(Function<Array[], List<Array>> fn, List<Aval> results, boolean ordered,
      Array... args) {
    return Callbacks.io(fn, results, ordered, args);
  }

  private static UnsupportedOperationException notYet(String what) {
    return new UnsupportedOperationException(what + " is not available yet: it is implemented in "
        + "dev.statelens.engine.autodiff (in progress)");
  }
}
