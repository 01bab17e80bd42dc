package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.HalfFloats;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.CallbackPrims;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Primitive;

/**
 * The 16-bit float rule, implemented once for every CPU kernel (as XLA's CPU and GPU backends
 * do it): an operation on BF16/F16 values widens its 16-bit inputs to f32 (exact), runs the f32
 * kernel, and rounds each 16-bit output to nearest even. {@link CpuKernels#register} wraps every
 * kernel in this, so eager ops, interpreted graphs and kernel calls of generated code all follow
 * it; fusion and code generation leave 16-bit equations out (they take F32/F64 only), so a fused
 * graph rounds at every operation boundary exactly as eager does.
 *
 * <p>Not wrapped: primitives that carry sub-graphs (cond, scan, while: their bodies are compiled
 * graphs that apply the rule themselves), {@code convert_element_type} (converts 16-bit directly,
 * rounding once from f64 and integers), {@code debug_print} and the callbacks (they see the values in their dtype).
 * A reduction accumulates in f32 (the kernels fold in double lanes) and rounds once at the end.
 */
final class Widen16 {
  private Widen16() {}

  static CpuKernel wrap(Primitive p, CpuKernel kernel) {
    if (p == Prims.CONVERT_ELEMENT_TYPE || CallbackPrims.isHostCall(p) || kernel instanceof Wrapped) {
      return kernel;
    }
    return new Wrapped(kernel);
  }

  record Wrapped(CpuKernel f32) implements CpuKernel {
    @Override
    public CpuBuffer[] apply(Params params, CpuBuffer[] inputs, Aval[] outAvals) {
      if (!DTypeWrapping.involves(inputs, outAvals, DType::is16BitFloat) || DTypeWrapping.hasSubGraph(params)) {
        return f32.apply(params, inputs, outAvals);
      }
      CpuBuffer[] wideIn = new CpuBuffer[inputs.length];
      for (int i = 0; i < inputs.length; i++) {
        wideIn[i] = widen(inputs[i]);
      }
      CpuBuffer[] r = f32.apply(widenParams(params), wideIn, DTypeWrapping.asF32(outAvals, DType::is16BitFloat));
      for (int i = 0; i < r.length; i++) {
        DType d = outAvals[i].dtype();
        if (d.is16BitFloat()) {
          r[i] = new CpuBuffer(outAvals[i], HalfFloats.fromFloats(d, r[i].f32()));
        }
      }
      return r;
    }
  }

  static CpuBuffer widen(CpuBuffer b) {
    DType d = b.aval().dtype();
    return d.is16BitFloat() ? new CpuBuffer(b.aval().withDType(DType.F32), HalfFloats.toFloats(d, b.bits16())) : b;
  }

  /** dtype-valued params ({@code dtype} of iota, ...) that name a 16-bit type name f32 instead. */
  private static Params widenParams(Params params) {
    Params p = params;
    for (String k : params.keys()) {
      if (params.get(k) instanceof DType d && d.is16BitFloat()) {
        p = p.with(k, DType.F32);
      }
    }
    return p;
  }
}
