package dev.statelens.engine.backend.gpu;

/**
 * A vendor BLAS for plain F32 and complex64 matrix products: cuBLAS on cuda, hipBLAS on rocm. Optional: without
 * one, or with {@code -Dstatelens.gpu.blas=false}, the generated tiled kernel runs
 * ({@link BlasChoice} keeps which, and why, for the backend's description).
 */
public interface Blas {
  /** Row-major {@code C = op(A) op(B)} in F32 on the default stream (see {@link GpuProgram.Gemm}). */
  void sgemm(GpuProgram.Gemm g, long a, long b, long c);

  /**
   * Row-major complex64 {@code C = op(A) op(B)} (op transposes, never conjugates) on the default
   * stream, where {@link #hasCgemm}: cuBLAS's {@code cublasCgemm_v2}, hipBLAS's {@code hipblasCgemm}.
   */
  default void cgemm(GpuProgram.Gemm g, long a, long b, long c) {
    throw new UnsupportedOperationException(name() + " has no complex matmul (cgemm)");
  }

  /** Whether the library exports its complex matmul; without it complex matmuls take the generated kernel. */
  default boolean hasCgemm() {
    return false;
  }

  /** Whether this library computes {@code g} (every F32 product; complex ones with {@link #hasCgemm}). */
  default boolean computes(GpuProgram.Gemm g) {
    return !g.complex() || hasCgemm();
  }

  /** {@code g} through {@link #sgemm} or {@link #cgemm}. */
  default void gemm(GpuProgram.Gemm g, long a, long b, long c) {
    if (g.complex()) {
      cgemm(g, a, b, c);
    } else {
      sgemm(g, a, b, c);
    }
  }

  /** The library and the file it was loaded from, e.g. {@code hipBLAS (libhipblas.so.2)}. */
  String name();

  static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty("statelens.gpu.blas", "true").trim());
  }
}
