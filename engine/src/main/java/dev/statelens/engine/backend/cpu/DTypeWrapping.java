package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import java.util.function.Predicate;

/**
 * What the kernel wrappers that lower a dtype onto f32 kernels ({@link Widen16} for BF16/F16,
 * {@link ComplexKernels} for c64) ask of a call: does it touch that dtype at all, does it carry a
 * sub-graph (whose body applies the rule itself), and its output avals with that dtype as f32.
 */
final class DTypeWrapping {
  private DTypeWrapping() {}

  /** True when an input or an output has a dtype of {@code kind}. */
  static boolean involves(CpuBuffer[] inputs, Aval[] outAvals, Predicate<DType> kind) {
    for (CpuBuffer b : inputs) {
      if (kind.test(b.aval().dtype())) {
        return true;
      }
    }
    for (Aval a : outAvals) {
      if (kind.test(a.dtype())) {
        return true;
      }
    }
    return false;
  }

  /** True for cond, scan, while...: a param holds a jaxpr or a list of them ({@link Params#holdsJaxprs}). */
  static boolean hasSubGraph(Params params) {
    return params.holdsJaxprs();
  }

  /** {@code avals} with each one of {@code kind} as f32 (same shape), the others as they are. */
  static Aval[] asF32(Aval[] avals, Predicate<DType> kind) {
    Aval[] f32 = new Aval[avals.length];
    for (int i = 0; i < avals.length; i++) {
      f32[i] = kind.test(avals[i].dtype()) ? avals[i].withDType(DType.F32) : avals[i];
    }
    return f32;
  }
}
