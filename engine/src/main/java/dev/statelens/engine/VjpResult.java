package dev.statelens.engine;

import java.util.Objects;
import java.util.function.Function;

/**
 * What {@link Transforms#vjp} returns, like the pair {@code (out, f_vjp)} of {@code jax.vjp}: the
 * function's output and its pullback, which maps a cotangent shaped like the output to the
 * cotangent of the (first) argument.
 *
 * <p>The pullback keeps the forward pass's tape and can be called any number of times, eagerly or
 * inside {@code jit} ({@code jit(r.pullback())}). It may not outlive a trace the forward pass ran
 * in: a {@code vjp} taken inside {@code jit} has its pullback called inside the same jit.
 *
 * @param out the function's output (primal values)
 * @param pullback cotangent of the output (same pytree structure, shapes and dtypes) to cotangent
 *     of the argument (shaped like the argument)
 * @param <R> the output type
 * @param <A> the differentiated argument's type
 */
public record VjpResult<R, A>(R out, Function<R, A> pullback) {
  public VjpResult {
    Objects.requireNonNull(pullback, "pullback");
  }

  /** The cotangent of the argument for the output cotangent {@code cotangent}. */
  public A pullback(R cotangent) {
    return pullback.apply(cotangent);
  }
}
