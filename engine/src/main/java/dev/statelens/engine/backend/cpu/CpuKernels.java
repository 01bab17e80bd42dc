package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.ir.Primitive;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Registry of CPU kernels by primitive; any package registers kernels for its own primitives. */
public final class CpuKernels {
  private static final Map<Primitive, CpuKernel> KERNELS = new ConcurrentHashMap<>();

  static {
    StandardKernels.registerAll();
  }

  private CpuKernels() {}

  /** Registers (or replaces) the kernel of {@code p}. */
  public static void register(Primitive p, CpuKernel kernel) {
    KERNELS.put(p, kernel);
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
