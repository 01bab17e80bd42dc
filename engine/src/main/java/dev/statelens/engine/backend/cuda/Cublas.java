package dev.statelens.engine.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.statelens.engine.backend.gpu.Blas;
import dev.statelens.engine.backend.gpu.BlasChoice;
import dev.statelens.engine.backend.gpu.ColumnMajorGemm;
import dev.statelens.engine.backend.gpu.GpuException;
import dev.statelens.engine.backend.gpu.GpuProgram;
import dev.statelens.engine.backend.gpu.LibrarySearch;
import dev.statelens.engine.backend.gpu.Native;
import dev.statelens.engine.backend.gpu.NativeCall;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * cuBLAS's {@code cublasSgemm_v2} (and {@code cublasCgemm_v2} for complex64) through
 * {@code java.lang.foreign}, for the matmuls the generator marks as plain. Row-major C = op(A) op(B) is computed as column-major C^T = op(B)^T op(A)^T
 * ({@link ColumnMajorGemm}, shared with hipBLAS), which needs no copies. One handle per thread
 * (on the default stream, like the kernels).
 */
final class Cublas implements Blas {
  private static final int OP_N = 0;
  private static final int OP_T = 1;
  /** {@code cublasMath_t}: CUBLAS_DEFAULT_MATH (true fp32) and CUBLAS_TF32_TENSOR_OP_MATH. */
  static final int DEFAULT_MATH = 0;
  static final int TF32_TENSOR_OP_MATH = 3;
  /** Opt-in TF32 tensor-core matmuls (JAX's default f32 precision on NVIDIA GPUs). */
  static final String TF32_PROPERTY = "statelens.cuda.tf32";
  static final String LIB_PROPERTY = "statelens.cublas.lib";
  /** cuBLAS 13 and 12 (CUDA 13, 12); the unversioned name is the toolkit's -dev symlink. */
  static final List<String> SONAMES = List.of("libcublas.so", "libcublas.so.13", "libcublas.so.12");

  private final MethodHandle create;
  private final MethodHandle sgemm;
  private final MethodHandle setMathMode;
  /** {@code cublasCgemm_v2}, or null in a library without it (complex matmuls then take the tiled kernel). */
  private final MethodHandle cgemm;
  private final int mathMode;
  private final String name;
  private final ThreadLocal<MemorySegment> handle = new ThreadLocal<>();

  /**
   * cuBLAS if it is enabled and its library loads, else the reason the tiled kernel runs (for the
   * backend's description). The library is {@code -Dstatelens.cublas.lib} when set, else the first
   * of {@link #SONAMES} the loader finds, each on its path and then in the CUDA toolkit's and JAX's
   * wheel directories, as the drivers look up cuFFT ({@link LibrarySearch#candidates}).
   */
  static BlasChoice open() {
    if (!Blas.enabled()) {
      return BlasChoice.disabled();
    }
    return BlasChoice.firstUsable(CudaDriver.BACKEND, LibrarySearch.candidates(LIB_PROPERTY, SONAMES,
        soname -> LibrarySearch.find(soname, "cublas")), "cublasSgemm_v2", Cublas::new,
        LibrarySearch.notFound(LIB_PROPERTY, "libcublas.so", "install the CUDA toolkit's cuBLAS"));
  }

  private Cublas(Native lib) {
    create = lib.fn("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    sgemm = lib.fn("cublasSgemm_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
        JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    setMathMode = lib.fn("cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // cuComplex is two floats, the interleaved pair: the same call shape as sgemm, alpha/beta two floats each
    cgemm = lib.has("cublasCgemm_v2") ? lib.fn("cublasCgemm_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT,
        JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG,
        JAVA_INT)) : null;
    mathMode = mathMode(System.getProperty(TF32_PROPERTY));
    this.name = "cuBLAS (" + lib.name() + (mathMode == TF32_TENSOR_OP_MATH ? ", TF32" : "") + ")";
  }

  /**
   * The math mode for {@code -Dstatelens.cuda.tf32=VALUE}: {@code true} lets cuBLAS round the
   * inputs of SGEMM to TF32 on tensor cores (10-bit mantissa; several times faster on an H100/H200,
   * and what JAX does by default), absent or {@code false} keeps true fp32.
   */
  static int mathMode(String value) {
    if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("false")) {
      return DEFAULT_MATH;
    }
    if (value.trim().equalsIgnoreCase("true")) {
      return TF32_TENSOR_OP_MATH;
    }
    throw new IllegalArgumentException("-D" + TF32_PROPERTY + "=" + value
        + " is not a boolean: use true (TF32 tensor-core matmuls, as JAX's default) or false (true fp32, the default)");
  }

  @Override
  public String name() {
    return name;
  }

  private MemorySegment handle() throws Throwable {
    MemorySegment h = handle.get();
    if (h == null) {
      try (Arena a = Arena.ofConfined()) {
        MemorySegment out = a.allocate(ADDRESS);
        int status = (int) create.invokeExact(out);
        if (status != 0) {
          throw new GpuException("cublasCreate_v2 failed: cublasStatus_t " + status);
        }
        h = out.get(ADDRESS, 0);
      }
      if (mathMode != DEFAULT_MATH) {
        int status = (int) setMathMode.invokeExact(h, mathMode);
        if (status != 0) {
          throw new GpuException("cublasSetMathMode(" + mathMode + ") failed: cublasStatus_t " + status);
        }
      }
      handle.set(h);
    }
    return h;
  }

  /**
   * The column-major call computing row-major {@code g}: {transa, transb, m, n, k, lda, ldb, ldc}
   * with cuBLAS's first operand being B and its second A (see {@link ColumnMajorGemm}).
   */
  static int[] columnMajor(GpuProgram.Gemm g) {
    return ColumnMajorGemm.of(g).args(OP_N, OP_T);
  }

  @Override
  public boolean hasCgemm() {
    return cgemm != null;
  }

  /** Complex {@code g} as {@code cublasCgemm_v2}, mapped as {@link #sgemm} (CUBLAS_OP_T transposes without conjugating). */
  @Override
  public void cgemm(GpuProgram.Gemm g, long a, long b, long c) {
    if (cgemm == null) {
      throw new UnsupportedOperationException(name + " has no cublasCgemm_v2");
    }
    gemm(cgemm, "cublasCgemm_v2", COMPLEX_ONE, COMPLEX_ZERO, g, a, b, c);
  }

  @Override
  public void sgemm(GpuProgram.Gemm g, long a, long b, long c) {
    gemm(sgemm, "cublasSgemm_v2", ONE, ZERO, g, a, b, c);
  }

  /** alpha = 1 and beta = 0, real and complex (cuComplex: the interleaved pair). */
  private static final float[] ONE = {1f};
  private static final float[] ZERO = {0f};
  private static final float[] COMPLEX_ONE = {1f, 0f};
  private static final float[] COMPLEX_ZERO = {0f, 0f};

  /**
   * {@code g} through {@code fn} ({@code cublasSgemm_v2} or {@code cublasCgemm_v2}: the same call
   * shape), alpha and beta one float each or a complex pair, on this thread's handle.
   */
  private void gemm(MethodHandle fn, String fnName, float[] alphaParts, float[] betaParts, GpuProgram.Gemm g,
      long a, long b, long c) {
    int[] p = columnMajor(g);
    NativeCall.inArena(fnName, arena -> {
      MemorySegment alpha = arena.allocateFrom(JAVA_FLOAT, alphaParts);
      MemorySegment beta = arena.allocateFrom(JAVA_FLOAT, betaParts);
      int status = (int) fn.invokeExact(handle(), p[0], p[1], p[2], p[3], p[4], alpha, b, p[5], a, p[6], beta, c, p[7]);
      if (status != 0) {
        throw new GpuException(fnName + " failed: cublasStatus_t " + status + " for " + g);
      }
      return null;
    });
  }
}
