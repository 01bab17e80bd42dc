package dev.statelens.engine;

import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.trace.StagingTrace;
import dev.statelens.engine.trace.TraceStack;

/** Run-time debugging aids that survive {@code jit}. */
public final class Debug {
  private Debug() {}

  /**
   * Prints {@code fmt} with each {@code {}} replaced by the next array (NumPy str form), like
   * {@code jax.debug.print}. Inside a jitted function it prints every time the compiled function
   * runs, with the run-time values (a Java {@code System.out.println} there would print once, at
   * trace time, and show a tracer).
   */
  public static void print(String fmt, Array... arrays) {
    int placeholders = countPlaceholders(fmt);
    if (placeholders != arrays.length) {
      throw new IllegalArgumentException("Debug.print: the format \"" + fmt + "\" has " + placeholders
          + " {} placeholder(s) but " + arrays.length + " array(s) were given");
    }
    if (!(TraceStack.innermost() instanceof StagingTrace)) {
      String text = tryFormatNow(fmt, arrays);
      if (text != null) {
        System.out.println(text);
        return;
      }
    }
    Prims.DEBUG_PRINT.bind(Params.of("fmt", fmt), arrays);
  }

  /**
   * Calls {@code fn} with the values of {@code arrays}, like {@code jax.debug.callback}: inside a
   * jitted function on <b>every</b> call of the compiled function, with that call's values, in
   * program order with {@link #print} (the graph carries one {@code debug_callback} equation);
   * eagerly, at once. Under {@code vmap} it is called once per batch element, under {@code grad}
   * with the primal values (it is not differentiated), inside {@code Lax.scan}/{@code whileLoop}
   * once per iteration. Use it to hand values to your own logger or file:
   *
   * <pre>{@code
   * Debug.callback(v -> logger.info("loss " + v[0]), loss);
   * }</pre>
   *
   * The arrays it gets are concrete copies; an exception it throws surfaces as a
   * {@link CallbackError} naming the line that created it.
   */
  public static void callback(java.util.function.Consumer<Array[]> fn, Array... args) {
    Callbacks.debugCallback(fn, args);
  }

  /**
   * The concrete values of {@code arrays} now (eager, or the primals under grad), or null when one
   * is only known at run time (being staged, or batched).
   */
  static Array[] concreteNow(Array[] arrays, String what) {
    Array[] values = new Array[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      Array a = arrays[i];
      if (!a.isConcrete()) {
        try {
          a = a.tracer().toConcrete(what);
        } catch (ConcretizationError e) {
          return null;
        }
      }
      values[i] = a;
    }
    return values;
  }

  /** The formatted text if every array has a concrete value now (eager, or under grad), else null. */
  private static String tryFormatNow(String fmt, Array[] arrays) {
    Array[] values = concreteNow(arrays, "Debug.print");
    if (values == null) {
      return null;
    }
    String[] parts = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      parts[i] = HostArrays.str(Backends.current().download(values[i].buffer()), values[i].aval());
    }
    StringBuilder sb = new StringBuilder();
    int next = 0;
    for (int i = 0; i < fmt.length(); ) {
      if (fmt.startsWith("{}", i)) {
        sb.append(parts[next++]);
        i += 2;
      } else {
        sb.append(fmt.charAt(i++));
      }
    }
    return sb.toString();
  }

  /**
   * Switches NaN checking on or off, like JAX's {@code jax_debug_nans}: every eager operation
   * checks its outputs, and a jitted call that returns a NaN is re-run op by op (its Java side
   * effects run again) so that {@link NanError} names the operation and the Java line that
   * produced it. Also on with {@code -Dstatelens.debugNans=true} or {@code STATELENS_DEBUG_NANS=1}.
   * Costs a scan of every result while on; off by default.
   */
  public static void setDebugNans(boolean on) {
    dev.statelens.engine.trace.NanCheck.setEnabled(on);
  }

  /** True while NaN checking is on. */
  public static boolean debugNans() {
    return dev.statelens.engine.trace.NanCheck.enabled();
  }

  private static int countPlaceholders(String fmt) {
    int n = 0;
    for (int i = fmt.indexOf("{}"); i >= 0; i = fmt.indexOf("{}", i + 2)) {
      n++;
    }
    return n;
  }
}
