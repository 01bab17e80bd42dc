package dev.statelens.engine.backend.gpu;

import java.lang.foreign.MemorySegment;

/**
 * The few runtime operations the GPU backend needs, implemented once per vendor runtime through
 * {@code java.lang.foreign} ({@code rocm.HipDriver}: libamdhip64 + hiprtc; {@code cuda.CudaDriver}:
 * libcuda driver API + NVRTC). Every call checks its status and throws {@link GpuException}
 * naming the API and the runtime's error string. Device pointers are plain {@code long}s.
 */
public interface GpuDriver {
  /** {@code rocm} or {@code cuda}. */
  String platform();

  /** The device's name, e.g. {@code NVIDIA H100 80GB HBM3}. */
  String deviceName();

  /** The compile target, e.g. {@code sm_90} or {@code gfx90a}; part of the kernel cache key. */
  String arch();

  /** The runtime compiler and its version, e.g. {@code nvrtc 12.4}; part of the kernel cache key. */
  String compilerVersion();

  long malloc(long bytes);

  void free(long devicePtr);

  void copyToDevice(long dst, MemorySegment src, long bytes);

  void copyToHost(MemorySegment dst, long src, long bytes);

  void copyOnDevice(long dst, long src, long bytes);

  /** Compiles a translation unit with the runtime compiler (hiprtc/NVRTC) to a loadable image. */
  byte[] compile(String source, String fileName);

  /** Loads a compiled image; returns a module handle. */
  long loadModule(byte[] image);

  long function(long module, String name);

  /** Launches {@code function} with device pointers as its arguments (on the default stream). */
  void launch(long function, int[] grid, int[] block, int sharedBytes, long[] pointerArgs);

  /** Waits for all launched work. */
  void synchronize();

  /** The vendor BLAS for plain matmuls, when its library loads. */
  default java.util.Optional<Blas> blas() {
    return java.util.Optional.empty();
  }

  /** The vendor FFT (cuFFT, hipFFT) for {@code fft} steps, when its library loads; else they run on the host. */
  default java.util.Optional<DeviceFft> fft() {
    return java.util.Optional.empty();
  }

  /**
   * Which FFT path runs, for the backend's description: the vendor FFT's name, or {@code host step
   * (why)}. May load the FFT library (it is otherwise loaded on the first {@code fft}).
   */
  default String fftPath() {
    return fft().map(DeviceFft::name).orElse("host step (no vendor FFT here)");
  }

  /**
   * Which matmul path runs, for the backend's description: the vendor BLAS's name, or
   * {@code tiled kernel (why)}. May load the BLAS library (it is otherwise loaded on the first matmul).
   */
  default String matmul() {
    return blas().map(Blas::name).orElse(Blas.enabled() ? "tiled kernel (no vendor BLAS found)"
        : BlasChoice.disabled().describe());
  }
}
