package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.backend.cpu.CpuBackend;
import dev.statelens.engine.backend.cpu.CpuExecutable;
import dev.statelens.engine.backend.cpu.CpuKernels;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.CallInlining;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.trace.StagingTrace;
import dev.statelens.engine.trace.Trace;
import dev.statelens.engine.trace.TraceStack;
import dev.statelens.engine.trace.Tracer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/** What {@link CustomVjpCall} and {@link Remat} share: picking the trace, tracing, the CPU kernel. */
final class CallPrimitives {
  private CallPrimitives() {}

  private static final Map<Jaxpr, CpuExecutable> COMPILED = Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * The trace that {@code bind} would hand these operands to: the innermost dynamic trace or the
   * highest trace among the operands' tracers (level 0: plain eager evaluation).
   */
  static Trace top(List<Array> operands) {
    Trace top = TraceStack.dynamic();
    for (Array a : operands) {
      Tracer t = a.tracer();
      if (t != null) {
        TraceStack.checkAlive(t, "a customVjp/checkpoint function");
        if (t.trace().level() > top.level()) {
          top = t.trace();
        }
      }
    }
    return top;
  }

  static List<Aval> avals(List<Array> xs) {
    List<Aval> r = new ArrayList<>(xs.size());
    for (Array x : xs) {
      r.add(x.aval());
    }
    return r;
  }

  /** {@code fn} traced on fresh tracers of the operands' avals: graph + captured constants. */
  static StagingTrace.Traced trace(String name, List<Array> operands, Function<List<Array>, List<Array>> fn) {
    return StagingTrace.traceFunction(name, avals(operands), fn::apply).traced();
  }

  static List<Array> concat(List<Array> a, List<Array> b) {
    List<Array> r = new ArrayList<>(a.size() + b.size());
    r.addAll(a);
    r.addAll(b);
    return r;
  }

  /**
   * Registers {@code p} as a call of its sub-graph {@code params[jaxprKey]}: inlined before a
   * graph is compiled; evaluated by the CPU when bound eagerly on a replayed graph (and by a GPU
   * backend's host step).
   */
  static void registerCall(Primitive p, String jaxprKey) {
    CallInlining.register(p, jaxprKey);
    CpuKernels.register(p, (params, in, out) -> {
      Jaxpr j = params.getJaxpr(jaxprKey);
      CpuExecutable exe = COMPILED.computeIfAbsent(j, k -> (CpuExecutable) CpuBackend.INSTANCE.compile(CallInlining.inline(k)));
      return exe.run(in);
    });
  }
}
