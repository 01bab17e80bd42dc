package dev.statelens.engine.trace;

import dev.statelens.engine.Array;
import dev.statelens.engine.NanError;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Buffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * NaN checking, JAX's {@code jax_debug_nans}: when on, every eager operation checks its floating
 * outputs, and a jitted call whose outputs hold a NaN is re-run op by op to name the operation
 * that produced it. Off by default (one volatile read per operation); switched on with
 * {@code -Dstatelens.debugNans=true}, {@code STATELENS_DEBUG_NANS=1} or
 * {@code Debug.setDebugNans(true)}.
 */
public final class NanCheck {
  private static volatile boolean enabled = initial();

  private NanCheck() {}

  private static boolean initial() {
    String p = System.getProperty("statelens.debugNans");
    String e = System.getenv("STATELENS_DEBUG_NANS");
    for (String warning : new String[] {unclearSetting("-Dstatelens.debugNans", p), unclearSetting("STATELENS_DEBUG_NANS", e)}) {
      if (warning != null) {
        System.err.println(warning); // a typo must not silently leave the checks off
      }
    }
    return isTrue(p) || (p == null && isTrue(e));
  }

  /** A one-line warning when {@code value} is neither true-ish nor false-ish; null when it is clear. */
  static String unclearSetting(String name, String value) {
    if (value == null || isTrue(value) || value.isBlank() || value.equals("0") || value.equalsIgnoreCase("false")
        || value.equalsIgnoreCase("no")) {
      return null;
    }
    return "statelens: " + name + "=" + value + " is not understood: use 1, true or yes to check for NaNs "
        + "(0, false or no for off); NaN checking stays off.";
  }

  private static boolean isTrue(String s) {
    return s != null && (s.equalsIgnoreCase("true") || s.equals("1") || s.equalsIgnoreCase("yes"));
  }

  public static boolean enabled() {
    return enabled;
  }

  public static void setEnabled(boolean on) {
    enabled = on;
  }

  /** Number of NaNs in a concrete floating array (0 for other dtypes). */
  static int countNans(Aval aval, Buffer buffer) {
    if (!aval.dtype().isFloating()) {
      return 0;
    }
    int n = 0;
    switch (Backends.current().download(buffer)) {
      case float[] f -> {
        for (float v : f) {
          n += Float.isNaN(v) ? 1 : 0;
        }
      }
      case double[] d -> {
        for (double v : d) {
          n += Double.isNaN(v) ? 1 : 0;
        }
      }
      case short[] h -> { // bf16/f16 bits
        for (short v : h) {
          n += Float.isNaN(dev.statelens.engine.backend.HalfFloats.toFloat(aval.dtype(), v)) ? 1 : 0;
        }
      }
      default -> { }
    }
    return n;
  }

  /** After an eager operation: throws {@link NanError} if an output holds a NaN. */
  static void checkEager(Primitive p, Array[] inputs, List<Aval> outAvals, List<Buffer> outs) {
    for (int i = 0; i < outs.size(); i++) {
      int nans = countNans(outAvals.get(i), outs.get(i));
      if (nans == 0) {
        continue;
      }
      StringBuilder in = new StringBuilder();
      String origin = "";
      for (int k = 0; k < inputs.length; k++) {
        in.append(k > 0 ? ", " : "").append(inputs[k].aval());
        if (origin.isEmpty() && countNans(inputs[k].aval(), inputs[k].buffer()) > 0) {
          origin = " Its operand #" + k + " already contained NaN, so the NaN came from before this "
              + "operation (e.g. an argument or a value computed outside the checked code).";
        }
      }
      String site = dev.statelens.engine.ShapeError.userFrame();
      throw new NanError("NaN encountered in " + p.name() + (site == null ? "" : " at " + site) + ": output "
          + (outs.size() > 1 ? "#" + i + " " : "") + outAvals.get(i) + " has " + nans + " NaN(s) (operands: "
          + in + ")." + origin + " NaN checking is on "
          + "(Debug.setDebugNans / -Dstatelens.debugNans); typical fixes: guard log/sqrt/div "
          + "arguments with Array.where or maximum(eps), lower the learning rate.");
    }
  }

  /**
   * After top-level jitted call {@code step} (from 0, as the recorder and the debugger number
   * steps): if an output holds a NaN, re-runs the function op by op ({@code rerun}; its Java side
   * effects run again, as in JAX) so that the eager check names the operation, and throws
   * {@link NanError} with the jitted function's context and the step, to find it in a recorded run.
   */
  static void checkJitOutputs(JitFunction fn, long step, List<String> outPaths, List<Array> outs, Supplier<Object> rerun) {
    String found = null;
    for (int i = 0; i < outs.size() && found == null; i++) {
      Array a = outs.get(i);
      int nans = countNans(a.aval(), a.buffer());
      if (nans > 0) {
        String path = outPaths.get(i).isEmpty() ? "the result" : "output " + outPaths.get(i);
        found = "jit(" + fn.name() + ") returned NaN at step " + step + " (call #" + (step + 1) + ") in " + path + " (" + a.aval() + ", " + nans + " NaN(s))";
      }
    }
    if (found == null) {
      return;
    }
    try {
      rerun.get();
    } catch (NanError e) {
      throw new NanError(found + "; re-running it op by op: " + e.getMessage(), e);
    }
    throw new NanError(found + ", but re-running it op by op produced no NaN; the compiled graph "
        + "and eager evaluation differ here, please report it with the function");
  }
}
