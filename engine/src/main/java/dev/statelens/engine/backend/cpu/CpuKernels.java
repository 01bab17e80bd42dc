package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.ir.Primitive;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Registry of CPU kernels by primitive; any package registers kernels for its own primitives. */
public final class CpuKernels {
  private static final Map<Primitive, CpuKernel> KERNELS = new ConcurrentHashMap<>();

  /** The kernels as StandardKernels registered them (fusion only replaces these). */
  private static final Map<Primitive, CpuKernel> STANDARD;

  static {
    StandardKernels.registerAll();
    ComplexKernels.registerAll();
    STANDARD = Map.copyOf(KERNELS);
  }

  /** True if {@code p} still runs the built-in kernel (not one a user registered over it). */
  static boolean isStandard(Primitive p) {
    CpuKernel k = KERNELS.get(p);
    return k != null && k == STANDARD.get(p);
  }

  private CpuKernels() {}

  /**
   * Registers (or replaces) the kernel of {@code p}. The kernel only needs to handle F32 for
   * floats below f64: BF16/F16 operands are widened to f32 around it and 16-bit results rounded
   * ({@link Widen16}); c64 operands are split into parts or handled by {@link ComplexKernels}
   * unless the kernel is marked with {@link ComplexKernels#handlesComplex}.
   */
  public static void register(Primitive p, CpuKernel kernel) {
    KERNELS.put(p, Widen16.wrap(p, ComplexKernels.wrap(p, kernel)));
  }

  /** The kernel of {@code p}; throws a clear error if none was registered. */
  public static CpuKernel lookup(Primitive p) {
    CpuKernel k = KERNELS.get(p);
    if (k == null) {
      throw new UnsupportedOperationException("no CPU kernel for primitive '" + p.name()
          + "': register one with CpuKernels.register(primitive, kernel) where the primitive is defined");
    }
    return k;
  }

  public static boolean has(Primitive p) {
    return KERNELS.containsKey(p);
  }
}
