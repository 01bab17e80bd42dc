package dev.statelens.engine.backend.rocm;

import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.BackendProvider;
import dev.statelens.engine.backend.gpu.GpuBackend;

/** {@code STATELENS_BACKEND=rocm}: AMD GPUs through libamdhip64 + hiprtc (found by ServiceLoader). */
public final class RocmProvider implements BackendProvider {
  @Override
  public String name() {
    return HipDriver.BACKEND;
  }

  @Override
  public Backend load() {
    return new GpuBackend(HipDriver.open());
  }
}
