package dev.statelens.engine.backend.rocm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

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
import java.lang.ref.Cleaner;
import java.util.List;

/**
 * AMD's hipBLAS ({@code hipblasSgemm}, and {@code hipblasCgemm} for complex64) through
 * {@code java.lang.foreign}, for the matmuls the generator marks as plain: what cuBLAS is on the cuda backend, with the same row-major to
 * column-major mapping ({@link ColumnMajorGemm}). hipBLAS is ROCm's portable BLAS API over
 * rocBLAS; binding it rather than rocBLAS keeps the call identical in shape to cuBLAS's.
 *
 * <p>One handle per thread, created on the thread's first matmul and destroyed by a Cleaner after
 * the thread has ended (a rocBLAS handle owns device workspace). No {@code hipblasSetStream}: the
 * backend launches everything on the default (null) stream, which is a new handle's stream, so
 * the BLAS call is ordered after the kernels that write its operands. Scalars are host pointers
 * (hipBLAS's default pointer mode).
 */
final class Hipblas implements Blas {
  /** {@code hipblasOperation_t}: HIPBLAS_OP_N, HIPBLAS_OP_T (not cuBLAS's 0 and 1). */
  static final int OP_N = 111;
  static final int OP_T = 112;
  static final String LIB_PROPERTY = "statelens.hipblas.lib";
  /**
   * The sonames ROCm has shipped, newest first: hipBLAS 3 (ROCm 7), 2 (ROCm 6), 1 and 0 (ROCm 5,
   * Debian's libhipblas0); the unversioned name is the -dev symlink.
   */
  static final List<String> SONAMES = List.of("libhipblas.so", "libhipblas.so.3", "libhipblas.so.2",
      "libhipblas.so.1", "libhipblas.so.0");
  /** {@code hipblasStatus_t} names by value (hipblas.h). */
  private static final List<String> STATUS = List.of("HIPBLAS_STATUS_SUCCESS", "HIPBLAS_STATUS_NOT_INITIALIZED",
      "HIPBLAS_STATUS_ALLOC_FAILED", "HIPBLAS_STATUS_INVALID_VALUE", "HIPBLAS_STATUS_MAPPING_ERROR",
      "HIPBLAS_STATUS_EXECUTION_FAILED", "HIPBLAS_STATUS_INTERNAL_ERROR", "HIPBLAS_STATUS_NOT_SUPPORTED",
      "HIPBLAS_STATUS_ARCH_MISMATCH", "HIPBLAS_STATUS_HANDLE_IS_NULLPTR", "HIPBLAS_STATUS_INVALID_ENUM",
      "HIPBLAS_STATUS_UNKNOWN");
  private static final Cleaner CLEANER = Cleaner.create();
  /** alpha = 1, beta = 0 (host pointer mode: read when the call is made, so shared constants do). */
  private static final MemorySegment ONE = Arena.global().allocateFrom(JAVA_FLOAT, 1f);
  private static final MemorySegment ZERO = Arena.global().allocateFrom(JAVA_FLOAT, 0f);
  /** The same as {@code hipblasComplex} (two floats): 1 + 0i and 0 + 0i. */
  private static final MemorySegment COMPLEX_ONE = Arena.global().allocateFrom(JAVA_FLOAT, 1f, 0f);
  private static final MemorySegment COMPLEX_ZERO = Arena.global().allocateFrom(JAVA_FLOAT, 0f, 0f);

  private final MethodHandle create;
  private final MethodHandle destroy;
  private final MethodHandle sgemm;
  /** {@code hipblasCgemm}, or null in a library without it (complex matmuls then take the tiled kernel). */
  private final MethodHandle cgemm;
  private final String name;
  private final ThreadLocal<Handle> handle = new ThreadLocal<>();

  /** A thread's hipBLAS handle; when the holder becomes unreachable (its thread ended) it is destroyed. */
  private record Handle(MemorySegment pointer) {}

  /**
   * hipBLAS if it is enabled and its library loads, else the reason the tiled kernel runs. The
   * library is {@code -Dstatelens.hipblas.lib} when set, else the first of {@link #SONAMES} the
   * loader finds, each soname on its path and then under ROCm's prefixes, as the drivers look up
   * hipFFT ({@link LibrarySearch#candidates}).
   */
  static BlasChoice open() {
    if (!Blas.enabled()) {
      return BlasChoice.disabled();
    }
    return BlasChoice.firstUsable(HipDriver.BACKEND, LibrarySearch.candidates(LIB_PROPERTY, SONAMES,
        LibrarySearch::findRocm), "hipblasSgemm", Hipblas::new,
        LibrarySearch.notFound(LIB_PROPERTY, "libhipblas.so", "install ROCm's hipBLAS"));
  }

  private Hipblas(Native lib) {
    create = lib.fn("hipblasCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    destroy = lib.fn("hipblasDestroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    sgemm = lib.fn("hipblasSgemm", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
        JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    // hipblasComplex is two floats, the interleaved pair: the same call shape as hipblasSgemm
    cgemm = lib.has("hipblasCgemm") ? lib.fn("hipblasCgemm", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
        JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT)) : null;
    name = "hipBLAS (" + lib.name() + ")";
  }

  @Override
  public String name() {
    return name;
  }

  /** A {@code hipblasStatus_t} as hipblas.h names it, e.g. {@code HIPBLAS_STATUS_INVALID_VALUE (3)}. */
  static String describe(int status) {
    return (status >= 0 && status < STATUS.size() ? STATUS.get(status) : "hipblasStatus_t") + " (" + status + ")";
  }

  private MemorySegment handle() {
    Handle h = handle.get();
    if (h == null) {
      MemorySegment pointer = NativeCall.inArena("hipblasCreate", a -> {
        MemorySegment out = a.allocate(ADDRESS);
        int status = (int) create.invokeExact(out);
        if (status != 0) {
          throw new GpuException("hipblasCreate failed: " + describe(status));
        }
        return out.get(ADDRESS, 0);
      });
      h = new Handle(pointer);
      MethodHandle destroyer = destroy; // the action must not reach the holder, or it is never cleaned
      CLEANER.register(h, () -> {
        try {
          int ignored = (int) destroyer.invokeExact(pointer);
        } catch (Throwable t) {
          // the process is going away or the runtime is gone: nothing left to free
        }
      });
      handle.set(h);
    }
    return h.pointer();
  }

  @Override
  public boolean hasCgemm() {
    return cgemm != null;
  }

  /** Complex {@code g} as {@code hipblasCgemm}, mapped as {@link #sgemm} (HIPBLAS_OP_T transposes without conjugating). */
  @Override
  public void cgemm(GpuProgram.Gemm g, long a, long b, long c) {
    if (cgemm == null) {
      throw new UnsupportedOperationException(name + " has no hipblasCgemm");
    }
    gemm(cgemm, "hipblasCgemm", COMPLEX_ONE, COMPLEX_ZERO, g, a, b, c);
  }

  @Override
  public void sgemm(GpuProgram.Gemm g, long a, long b, long c) {
    gemm(sgemm, "hipblasSgemm", ONE, ZERO, g, a, b, c);
  }

  /** {@code g} through {@code fn} ({@code hipblasSgemm} or {@code hipblasCgemm}: the same call shape) on this thread's handle. */
  private void gemm(MethodHandle fn, String fnName, MemorySegment alpha, MemorySegment beta, GpuProgram.Gemm g,
      long a, long b, long c) {
    int[] p = ColumnMajorGemm.of(g).args(OP_N, OP_T);
    NativeCall.run(fnName, () -> {
      int status = (int) fn.invokeExact(handle(), p[0], p[1], p[2], p[3], p[4], alpha,
          MemorySegment.ofAddress(b), p[5], MemorySegment.ofAddress(a), p[6], beta, MemorySegment.ofAddress(c), p[7]);
      if (status != 0) {
        throw new GpuException(fnName + " failed: " + describe(status) + " for " + g);
      }
    });
  }
}
