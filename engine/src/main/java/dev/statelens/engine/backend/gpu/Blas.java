package dev.statelens.engine.backend.gpu;

/**
 * A vendor BLAS for plain matrix products (cuBLAS; hipBLAS/rocBLAS are not bound yet). Optional:
 * without one, or with {@code -Dstatelens.gpu.blas=false}, the generated tiled kernel runs.
 */
public interface Blas {
  /** Row-major {@code C = op(A) op(B)} in F32 on the default stream (see {@link GpuProgram.Gemm}). */
  void sgemm(GpuProgram.Gemm g, long a, long b, long c);

  /** e.g. {@code cuBLAS 12.4}. */
  String name();

  static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty("statelens.gpu.blas", "true").trim());
  }
}
