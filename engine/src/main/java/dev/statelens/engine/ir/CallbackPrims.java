package dev.statelens.engine.ir;

import java.util.List;
import java.util.Set;

/**
 * The primitives that call Java on the host from a graph (JAX's callback family): their CPU
 * kernels convert the operands to arrays and call a {@link HostCallback}; a GPU graph copies the
 * operands to the host for them (its {@code Host} step), as for {@code debug_print}.
 */
public final class CallbackPrims {
  private CallbackPrims() {}

  /**
   * {@code jax.debug.callback}: calls {@code callback} with its operands on every run, no outputs.
   * Effectful, so never removed, and run in program order with {@code debug_print}.
   */
  public static final Primitive DEBUG_CALLBACK = new Primitive("debug_callback", (in, p) -> List.of(), true);

  /**
   * {@code jax.pure_callback}: a result computed on the host with declared shapes and dtypes
   * ({@code callback}'s results). Not effectful: removed when its result is unused, as in JAX.
   */
  public static final Primitive PURE_CALLBACK = new Primitive("pure_callback", CallbackPrims::declared);

  /** {@code jax.experimental.io_callback}: like pure_callback but effectful (never removed). */
  public static final Primitive IO_CALLBACK = new Primitive("io_callback", CallbackPrims::declared, true);

  /** Every primitive whose kernel runs user Java on the host ({@code debug_print} included). */
  public static final Set<Primitive> HOST_CALLS = Set.of(Prims.DEBUG_PRINT, DEBUG_CALLBACK, PURE_CALLBACK, IO_CALLBACK);

  /** True for a primitive that runs on the host with its operands in their own dtype. */
  public static boolean isHostCall(Primitive p) {
    return HOST_CALLS.contains(p);
  }

  /** The callback of an equation of one of these primitives (debug_print has none). */
  public static HostCallback callback(Params params) {
    return (HostCallback) params.get("callback");
  }

  /**
   * {@code params} carrying {@code callback}, and its declared results as JAX prints them
   * ({@code result_avals=(f32[3],)}) for pure and io callbacks.
   */
  public static Params withCallback(Params params, HostCallback callback) {
    Params p = params.with("callback", callback);
    if (callback.results().isEmpty() && !params.has("result_avals")) {
      return p;
    }
    StringBuilder shown = new StringBuilder("(");
    for (Aval a : callback.results()) {
      shown.append(a).append(',');
    }
    return p.with("result_avals", shown.append(')').toString());
  }

  private static List<Aval> declared(List<Aval> in, Params params) {
    return callback(params).results();
  }
}
