package dev.statelens.engine.backend.gpu;

import java.lang.foreign.MemorySegment;

/**
 * The rocm driver (on stand-in libraries) for memory, transfers, hipBLAS and hipFFT, with
 * {@link EmulatedDriver} compiling and launching the generated kernels (g++, on the host): the
 * stand-in device memory is host memory, so emulated kernels and the stand-in libraries read and
 * write the same buffers. Used by {@link HipblasStandInTest} and {@link HipfftStandInTest}.
 */
record HipWithEmulatedKernels(GpuDriver hip, EmulatedDriver kernels) implements GpuDriver {
  @Override public String platform() { return hip.platform(); }
  @Override public String deviceName() { return hip.deviceName(); }
  @Override public String arch() { return kernels.arch(); }
  @Override public String compilerVersion() { return kernels.compilerVersion(); }
  @Override public long malloc(long bytes) { return hip.malloc(bytes); }
  @Override public void free(long devicePtr) { hip.free(devicePtr); }
  @Override public void copyToDevice(long dst, MemorySegment src, long bytes) { hip.copyToDevice(dst, src, bytes); }
  @Override public void copyToHost(MemorySegment dst, long src, long bytes) { hip.copyToHost(dst, src, bytes); }
  @Override public void copyOnDevice(long dst, long src, long bytes) { hip.copyOnDevice(dst, src, bytes); }
  @Override public byte[] compile(String source, String fileName) { return kernels.compile(source, fileName); }
  @Override public long loadModule(byte[] image) { return kernels.loadModule(image); }
  @Override public long function(long module, String name) { return kernels.function(module, name); }
  @Override public void launch(long f, int[] grid, int[] block, int shared, long[] args) { kernels.launch(f, grid, block, shared, args); }
  @Override public void synchronize() { hip.synchronize(); }
  @Override public java.util.Optional<Blas> blas() { return hip.blas(); }
  @Override public String matmul() { return hip.matmul(); }
  @Override public java.util.Optional<DeviceFft> fft() { return hip.fft(); }
  @Override public String fftPath() { return hip.fftPath(); }
}
