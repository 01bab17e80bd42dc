package dev.statelens.bench;

import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.gpu.GpuBackend;

/**
 * On a GPU backend, prints how many kernels one call launches (BLAS calls included), so a JMH
 * run on {@code -Dstatelens.backend=cuda} shows the launch count beside the time; prints nothing
 * on the CPU backend.
 */
final class GpuLaunches {
  private GpuLaunches() {}

  static void report(String what, Runnable call) {
    if (Backends.current() instanceof GpuBackend gpu) {
      long before = gpu.launches();
      call.run();
      System.out.println("[gpu] " + what + ": " + (gpu.launches() - before) + " kernel launches per call");
    }
  }
}
