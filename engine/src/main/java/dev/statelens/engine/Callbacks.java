package dev.statelens.engine;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.CallbackPrims;
import dev.statelens.engine.ir.HostCallback;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.trace.SourceInfo;
import dev.statelens.engine.trace.SourcePositions;
import dev.statelens.engine.trace.StagingTrace;
import dev.statelens.engine.trace.TraceStack;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * JAX's callback family behind {@link Debug#callback}, {@link Transforms#pureCallback} and
 * {@link Transforms#ioCallback}: each binds one primitive of {@link CallbackPrims} carrying the
 * user's function ({@link HostCallback}); the backends call it with the run-time values.
 */
final class Callbacks {
  private Callbacks() {}

  static void debugCallback(Consumer<Array[]> fn, Array[] args) {
    Objects.requireNonNull(fn, "Debug.callback: the callback is null");
    requireArrays("Debug.callback", args);
    HostCallback cb = new HostCallback(callerSite(), List.of(), in -> {
      fn.accept(in.toArray(Array[]::new));
      return List.of();
    });
    Params params = Params.of("callback", cb);
    // like Debug.print: outside jit (eager, or under grad) it runs now, on the primal values
    Array[] now = TraceStack.innermost() instanceof StagingTrace ? null : Debug.concreteNow(args, "Debug.callback");
    CallbackPrims.DEBUG_CALLBACK.bind(params, now != null ? now : args);
  }

  static List<Array> pure(Function<Array[], List<Array>> fn, List<Aval> results, VmapMethod vmapMethod, Array[] args) {
    HostCallback cb = callback("Transforms.pureCallback", fn, results, args);
    Params params = Params.of("vmap_method", vmapMethod == null ? null : vmapMethod.jaxName());
    return CallbackPrims.PURE_CALLBACK.bind(CallbackPrims.withCallback(params, cb), args);
  }

  static List<Array> io(Function<Array[], List<Array>> fn, List<Aval> results, boolean ordered, Array[] args) {
    HostCallback cb = callback("Transforms.ioCallback", fn, results, args);
    return CallbackPrims.IO_CALLBACK.bind(CallbackPrims.withCallback(Params.of("ordered", ordered), cb), args);
  }

  /** One-result form of the callbacks: the function's array becomes the only result. */
  static Function<Array[], List<Array>> single(Function<Array[], Array> fn) {
    Objects.requireNonNull(fn, "the callback is null");
    return in -> java.util.Collections.singletonList(fn.apply(in));
  }

  private static HostCallback callback(String what, Function<Array[], List<Array>> fn, List<Aval> results, Array[] args) {
    Objects.requireNonNull(fn, what + ": the callback is null");
    Objects.requireNonNull(results, what + ": the result shapes and dtypes are null; declare them, e.g. "
        + "Aval.of(DType.F32, 3) or List.of(x.aval())");
    for (Aval a : results) {
      Objects.requireNonNull(a, what + ": a declared result is null");
    }
    requireArrays(what, args);
    return new HostCallback(callerSite(), results, in -> fn.apply(in.toArray(Array[]::new)));
  }

  private static void requireArrays(String what, Array[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null) {
        throw new IllegalArgumentException(what + ": argument #" + i + " is null; pass arrays");
      }
    }
  }

  /** {@code Train.java:31}: the user's line that created the callback, found as equations' source lines are. */
  private static String callerSite() {
    SourceInfo caller = SourcePositions.fromStack();
    return caller == null ? "unknown" : caller.site().location();
  }
}
