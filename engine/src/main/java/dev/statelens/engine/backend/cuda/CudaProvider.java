package dev.statelens.engine.backend.cuda;

import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.BackendProvider;
import dev.statelens.engine.backend.gpu.GpuBackend;

/** {@code STATELENS_BACKEND=cuda}: NVIDIA GPUs through libcuda + NVRTC (found by ServiceLoader). */
public final class CudaProvider implements BackendProvider {
  @Override
  public String name() {
    return CudaDriver.BACKEND;
  }

  @Override
  public Backend load() {
    return new GpuBackend(CudaDriver.open());
  }
}
