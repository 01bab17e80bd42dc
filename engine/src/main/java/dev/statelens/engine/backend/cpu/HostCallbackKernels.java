package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.Array;
import dev.statelens.engine.CallbackError;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.CallbackPrims;
import dev.statelens.engine.ir.HostCallback;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernels of {@code debug_callback}, {@code pure_callback} and {@code io_callback}: the
 * operands become concrete arrays on the current backend, the user's function runs, and its
 * results are checked against the declared shapes and dtypes and copied back. A GPU graph reaches
 * these through its host step, with the operands already copied to the host.
 */
final class HostCallbackKernels {
  private HostCallbackKernels() {}

  static void registerAll() {
    for (Primitive p : List.of(CallbackPrims.DEBUG_CALLBACK, CallbackPrims.PURE_CALLBACK, CallbackPrims.IO_CALLBACK)) {
      // the callback sees c64 (and 16-bit, see Widen16) values as they are
      CpuKernels.register(p, ComplexKernels.handlesComplex((params, in, out) -> call(p, params, in)));
    }
  }

  static CpuBuffer[] call(Primitive p, Params params, CpuBuffer[] in) {
    HostCallback callback = CallbackPrims.callback(params);
    List<Array> args = new ArrayList<>(in.length);
    for (CpuBuffer b : in) {
      // a copy: the graph may reuse its buffers (a scan's carry) while the callback keeps the array
      args.add(Array.fromBuffer(Backends.current().upload(b.aval(), b.data())));
    }
    List<Array> results;
    try {
      results = callback.fn().apply(args);
    } catch (RuntimeException | Error e) {
      throw new CallbackError(p.name() + ": the " + callback + " threw " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " (its stack trace is this error's cause)", e);
    }
    return hostResults(p, callback, results);
  }

  private static CpuBuffer[] hostResults(Primitive p, HostCallback callback, List<Array> results) {
    List<Aval> declared = callback.results();
    int got = results == null ? 0 : results.size();
    if (got != declared.size()) {
      throw new CallbackError(p.name() + ": the " + callback + " returned " + got + " array(s) but declared "
          + declared.size() + " result(s) " + declared + "; return one array per declared result", null);
    }
    CpuBuffer[] out = new CpuBuffer[got];
    for (int i = 0; i < got; i++) {
      Array a = results.get(i);
      Aval want = declared.get(i);
      if (a == null || !a.isConcrete()) {
        throw new CallbackError(p.name() + ": the " + callback + " returned " + (a == null ? "null" : "a traced value")
            + " for result #" + i + "; return a concrete array of " + want, null);
      }
      if (!a.aval().equals(want) && callback.batchedBy() != null) {
        throw new CallbackError(p.name() + ": the " + callback + " returned " + a.aval() + " for result #" + i
            + " but vmap (vmap_method=" + callback.batchedBy() + ") calls it once on the whole batch, so it must "
            + "return " + want + ": the batch of " + want.shape()[0] + " on axis 0, then the declared shape; return "
            + "every element's result stacked on axis 0, or pass VmapMethod.SEQUENTIAL (one call per element)", null);
      }
      if (!a.aval().equals(want)) {
        throw new CallbackError(p.name() + ": the " + callback + " returned " + a.aval() + " for result #" + i
            + " but declared " + want + "; return an array of the declared shape and dtype (astype/reshape it),"
            + " or declare Aval.of(" + a.aval().javaArgs() + ")", null);
      }
      out[i] = new CpuBuffer(want, HostArrays.copy(Backends.current().download(a.buffer())));
    }
    return out;
  }
}
