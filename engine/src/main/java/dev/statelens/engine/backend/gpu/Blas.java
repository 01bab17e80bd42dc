package dev.statelens.engine.backend.gpu;

/**
 * A vendor BLAS for plain matrix products: cuBLAS on cuda, hipBLAS on rocm. Optional: without
 * one, or with {@code -Dstatelens.gpu.blas=false}, the generated tiled kernel runs
 * ({@link BlasChoice} keeps which, and why, for the backend's description).
 */
public interface Blas {
  /** Row-major {@code C = op(A) op(B)} in F32 on the default stream (see {@link GpuProgram.Gemm}). */
  void sgemm(GpuProgram.Gemm g, long a, long b, long c);

  /** The library and the file it was loaded from, e.g. {@code hipBLAS (libhipblas.so.2)}. */
  String name();

  static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty("statelens.gpu.blas", "true").trim());
  }
}
