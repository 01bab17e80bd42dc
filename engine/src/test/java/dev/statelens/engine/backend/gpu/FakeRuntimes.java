package dev.statelens.engine.backend.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stand-in vendor libraries, compiled with the system C compiler, that answer the start-up calls
 * as a machine without a device or with an old driver would. They let the tests drive the real
 * FFM bindings through each failure path. Two go further, for the hipBLAS path: a libamdhip64
 * whose device memory is host memory and a libhipblas that computes sgemm on it
 * ({@link #HIP_HOST_MEMORY}, {@link #HIPBLAS}); neither runs a kernel.
 */
final class FakeRuntimes {
  private FakeRuntimes() {}

  static Optional<Path> cc() {
    for (String c : List.of("cc", "gcc", "clang")) {
      Optional<Path> p = OfflineCompilers.onPath(c);
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  /** libcuda's start-up entry points; the others exist so that binding succeeds. */
  static final String CUDA = """
      static int init_status = INIT_STATUS, version = VERSION, count = COUNT;
      int cuGetErrorName(int e, const char** s) { *s = e == 100 ? "CUDA_ERROR_NO_DEVICE" : "CUDA_ERROR_UNKNOWN"; return 0; }
      int cuGetErrorString(int e, const char** s) { *s = e == 100 ? "no CUDA-capable device is detected" : "unknown error"; return 0; }
      int cuInit(int flags) { return init_status; }
      int cuDriverGetVersion(int* v) { *v = version; return 0; }
      int cuDeviceGetCount(int* n) { *n = count; return 0; }
      int cuDeviceGet(int* d, int i) { *d = i; return 0; }
      int cuDeviceGetName(char* name, int len, int d) { const char* s = "Fake"; int i = 0; for (; s[i] && i < len - 1; i++) name[i] = s[i]; name[i] = 0; return 0; }
      int cuDeviceGetAttribute(int* v, int attr, int d) { *v = attr == 75 ? 9 : 0; return 0; }
      int cuDevicePrimaryCtxRetain(void** ctx, int d) { *ctx = (void*)0x1; return 0; }
      int cuCtxSetCurrent(void* ctx) { return 0; }
      int cuMemAlloc_v2() { return 999; }
      int cuMemFree_v2() { return 999; }
      int cuMemcpyHtoD_v2() { return 999; }
      int cuMemcpyDtoH_v2() { return 999; }
      int cuMemcpyDtoD_v2() { return 999; }
      int cuModuleLoadData() { return 999; }
      int cuModuleGetFunction() { return 999; }
      int cuLaunchKernel() { return 999; }
      int cuCtxSynchronize() { return 999; }
      """;

  static final String HIP = """
      static int init_status = INIT_STATUS, version = VERSION, count = COUNT;
      const char* hipGetErrorName(int e) { return e == 100 ? "hipErrorNoDevice" : "hipErrorUnknown"; }
      const char* hipGetErrorString(int e) { return e == 100 ? "no ROCm-capable device is detected" : "unknown error"; }
      int hipInit(int flags) { return init_status; }
      int hipDriverGetVersion(int* v) { *v = version; return 0; }
      int hipGetDeviceCount(int* n) { *n = count; return count == 0 ? 100 : 0; }
      int hipDeviceGetName(char* name, int len, int d) { name[0] = 0; return 0; }
      int hipGetDeviceProperties(void* p, int d) { return 0; }
      int hipSetDevice(int d) { return 0; }
      int hipMalloc() { return 999; }
      int hipFree() { return 999; }
      int hipMemcpy() { return 999; }
      int hipModuleLoadData() { return 999; }
      int hipModuleGetFunction() { return 999; }
      int hipModuleLaunchKernel() { return 999; }
      int hipDeviceSynchronize() { return 999; }
      """;

  /**
   * A libamdhip64 whose one "device" is host memory: start-up succeeds (ROCm 5.2, one gfx90a
   * device), {@code hipMalloc}/{@code hipFree}/{@code hipMemcpy} work on tracked {@code malloc}
   * blocks (a copy from or to memory that is not a live block fails, as on a GPU), and hiprtc
   * (in libamdhip64, as in ROCm 5) refuses to compile, so a test sees at once if a kernel was
   * needed. {@code sl_hip_is_device} lets the stand-in hipBLAS check that it got device memory.
   */
  static final String HIP_HOST_MEMORY = """
      #include <stdlib.h>
      #include <string.h>
      #define MAX_BLOCKS 65536
      static char* blocks[MAX_BLOCKS];
      static size_t sizes[MAX_BLOCKS];
      int sl_hip_live = 0;
      int sl_hiprtc_compiles = 0;
      static const char* LOG = "stand-in hiprtc: no AMD compiler here, a generated kernel cannot be built";
      int sl_hip_is_device(const void* p, size_t bytes) {
        for (int i = 0; i < MAX_BLOCKS; i++) {
          if (blocks[i] && (const char*) p >= blocks[i] && (const char*) p + bytes <= blocks[i] + sizes[i]) return 1;
        }
        return 0;
      }
      const char* hipGetErrorName(int e) { return e == 1 ? "hipErrorInvalidValue" : e == 2 ? "hipErrorOutOfMemory" : "hipErrorUnknown"; }
      const char* hipGetErrorString(int e) { return e == 1 ? "invalid argument" : e == 2 ? "out of memory" : "unknown error"; }
      int hipInit(int flags) { return 0; }
      int hipDriverGetVersion(int* v) { *v = 50221153; return 0; }
      int hipGetDeviceCount(int* n) { *n = 1; return 0; }
      int hipDeviceGetName(char* name, int len, int d) { strncpy(name, "Stand-in AMD GPU (host memory)", len - 1); name[len - 1] = 0; return 0; }
      int hipGetDeviceProperties(char* p, int d) { memset(p, 0, 1024); strcpy(p + 396, "gfx90a:sramecc+:xnack-"); return 0; }
      int hipSetDevice(int d) { return d == 0 ? 0 : 1; }
      int hipMalloc(void** p, size_t n) {
        for (int i = 0; i < MAX_BLOCKS; i++) {
          if (!blocks[i]) {
            blocks[i] = malloc(n); sizes[i] = n; *p = blocks[i]; sl_hip_live++;
            return blocks[i] ? 0 : 2;
          }
        }
        return 2;
      }
      int hipFree(void* p) {
        if (!p) return 0;
        for (int i = 0; i < MAX_BLOCKS; i++) {
          if (blocks[i] == p) { free(p); blocks[i] = 0; sl_hip_live--; return 0; }
        }
        return 1;
      }
      int hipMemcpy(void* dst, const void* src, size_t n, int kind) {
        if ((kind == 1 || kind == 3) && !sl_hip_is_device(dst, n)) return 1;
        if ((kind == 2 || kind == 3) && !sl_hip_is_device(src, n)) return 1;
        if (kind < 1 || kind > 3) return 1;
        memcpy(dst, src, n);
        return 0;
      }
      int hipDeviceSynchronize(void) { return 0; }
      int hipModuleLoadData() { return 999; }
      int hipModuleGetFunction() { return 999; }
      int hipModuleLaunchKernel() { return 999; }
      int hiprtcVersion(int* major, int* minor) { *major = 5; *minor = 2; return 0; }
      int hiprtcCreateProgram(void** prog, const char* src, const char* name, int n, const char** h, const char** i) { *prog = (void*) 1; return 0; }
      int hiprtcCompileProgram(void* prog, int n, const char** options) { sl_hiprtc_compiles++; return 6; }
      int hiprtcGetProgramLogSize(void* prog, size_t* n) { *n = strlen(LOG) + 1; return 0; }
      int hiprtcGetProgramLog(void* prog, char* log) { strcpy(log, LOG); return 0; }
      int hiprtcGetCodeSize(void* prog, size_t* n) { *n = 0; return 0; }
      int hiprtcGetCode(void* prog, char* code) { return 0; }
      int hiprtcDestroyProgram(void** prog) { return 0; }
      const char* hiprtcGetErrorString(int e) { return e == 6 ? "HIPRTC_ERROR_COMPILATION" : "HIPRTC_ERROR_INTERNAL_ERROR"; }
      """;

  /**
   * A libhipblas whose {@code hipblasSgemm} computes on the host with BLAS's column-major
   * semantics ({@code C = alpha op(A) op(B) + beta C}, HIPBLAS_OP_N/T = 111/112), checking its
   * arguments as hipBLAS does (handle, operation codes, sizes, leading dimensions: each wrong one
   * a distinct status) and that A, B and C are device memory of {@link #HIP_HOST_MEMORY} (else
   * HIPBLAS_STATUS_MAPPING_ERROR). Counters and two "fail with this status" switches are globals
   * the test reads and sets through FFM. Linked against the stand-in libamdhip64, as the real
   * library is against the real one. {@link #HIPBLAS} adds {@code hipblasCgemm}; this one is a
   * library without it.
   */
  static final String HIPBLAS_WITHOUT_CGEMM = StandInGemm.C + """
      extern int sl_hip_is_device(const void* p, size_t bytes);
      int sl_hipblas_sgemm_calls = 0, sl_hipblas_created = 0, sl_hipblas_destroyed = 0;
      int sl_hipblas_sgemm_status = 0, sl_hipblas_create_status = 0;
      struct handle { int magic; };
      enum { MAGIC = 0x4b1a5, OP_N = 111, OP_T = 112 };
      int hipblasCreate(struct handle** h) {
        if (sl_hipblas_create_status) return sl_hipblas_create_status;
        *h = malloc(sizeof(struct handle)); (*h)->magic = MAGIC; sl_hipblas_created++;
        return 0;
      }
      int hipblasDestroy(struct handle* h) {
        if (!h) return 9;
        if (h->magic != MAGIC) return 1;
        h->magic = 0; free(h); sl_hipblas_destroyed++;
        return 0;
      }
      int hipblasSetStream(struct handle* h, void* stream) { return h ? 0 : 9; }
      /* hipBLAS's statuses: HANDLE_IS_NULLPTR 9, NOT_INITIALIZED 1, INVALID_ENUM 10, INVALID_VALUE 3 */
      static int sl_hipblas_check(struct handle* h, int transa, int transb, int m, int n, int k, const float* alpha,
                                  int lda, int ldb, const float* beta, int ldc) {
        if (!h) return 9;
        if (h->magic != MAGIC) return 1;
        switch (sl_gemm_check(OP_N, OP_T, transa, transb, m, n, k, alpha, lda, ldb, beta, ldc)) {
          case SL_GEMM_BAD_OP: return 10;
          case SL_GEMM_BAD_SIZE: return 3;
          default: return 0;
        }
      }
      /* A, B and C must be device memory (else HIPBLAS_STATUS_MAPPING_ERROR, 4); complex pairs span twice the bytes */
      static int sl_hipblas_on_device(int pairs, int transa, int transb, int m, int n, int k, const float* A, int lda,
                                      const float* B, int ldb, const float* C, int ldc) {
        int ar = transa == OP_N ? m : k, ac = transa == OP_N ? k : m;
        int br = transb == OP_N ? k : n, bc = transb == OP_N ? n : k;
        return sl_hip_is_device(A, pairs * sl_gemm_extent(lda, ar, ac))
            && sl_hip_is_device(B, pairs * sl_gemm_extent(ldb, br, bc)) && sl_hip_is_device(C, pairs * sl_gemm_extent(ldc, m, n));
      }
      int hipblasSgemm(struct handle* h, int transa, int transb, int m, int n, int k, const float* alpha,
                       const float* A, int lda, const float* B, int ldb, const float* beta, float* C, int ldc) {
        int bad = sl_hipblas_check(h, transa, transb, m, n, k, alpha, lda, ldb, beta, ldc);
        if (bad) return bad;
        sl_hipblas_sgemm_calls++;
        if (sl_hipblas_sgemm_status) return sl_hipblas_sgemm_status;
        if (!sl_hipblas_on_device(1, transa, transb, m, n, k, A, lda, B, ldb, C, ldc)) return 4;
        sl_sgemm(transa == OP_T, transb == OP_T, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
        return 0;
      }
      """;

  /**
   * {@link #HIPBLAS_WITHOUT_CGEMM} and {@code hipblasCgemm}: the same checks, on interleaved complex
   * pairs ({@code hipblasComplex}), with HIPBLAS_OP_T transposing without conjugating (HIPBLAS_OP_C,
   * 113, is refused: the backend never conjugates), alpha and beta complex.
   */
  static final String HIPBLAS = HIPBLAS_WITHOUT_CGEMM + """
      int sl_hipblas_cgemm_calls = 0, sl_hipblas_cgemm_status = 0;
      int hipblasCgemm(struct handle* h, int transa, int transb, int m, int n, int k, const float* alpha,
                       const float* A, int lda, const float* B, int ldb, const float* beta, float* C, int ldc) {
        int bad = sl_hipblas_check(h, transa, transb, m, n, k, alpha, lda, ldb, beta, ldc);
        if (bad) return bad;
        sl_hipblas_cgemm_calls++;
        if (sl_hipblas_cgemm_status) return sl_hipblas_cgemm_status;
        if (!sl_hipblas_on_device(2, transa, transb, m, n, k, A, lda, B, ldb, C, ldc)) return 4;
        sl_cgemm(transa == OP_T, transb == OP_T, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
        return 0;
      }
      """;

  /**
   * A libhipfft computing lax's transforms as naive DFTs in double on the host, for the
   * {@code hipfftPlanMany} layouts the backend asks for (no embedding: row-major, the transform
   * over the trailing {@code rank} axes, {@code batch} transforms one after another; R2C/C2R with
   * the last axis {@code n/2+1}). It checks plan magic, types and that buffers are device memory
   * of {@link #HIP_HOST_MEMORY}; C2R overwrites its input with NaN afterwards, as real C2R
   * transforms may destroy it. Counters: plans made, executions.
   */
  static final String HIPFFT = """
      #include <stdlib.h>
      #include <stddef.h>
      #include <math.h>
      extern int sl_hip_is_device(const void* p, size_t bytes);
      int sl_hipfft_plans = 0, sl_hipfft_execs = 0;
      struct plan { int magic, rank, n[3], type, batch; };
      enum { MAGIC = 0xff7, R2C = 0x2a, C2R = 0x2c, C2C = 0x29 };
      int hipfftPlanMany(struct plan** out, int rank, int* n, int* inembed, int istride, int idist, int* onembed,
                         int ostride, int odist, int type, int batch) {
        if (rank < 1 || rank > 3 || batch < 1 || inembed || onembed || istride != 1 || ostride != 1) return 4;
        if (type != R2C && type != C2R && type != C2C) return 3;
        struct plan* p = malloc(sizeof(struct plan));
        p->magic = MAGIC; p->rank = rank; p->type = type; p->batch = batch;
        for (int d = 0; d < 3; d++) p->n[d] = d < rank ? n[d] : 1;
        *out = p; sl_hipfft_plans++;
        return 0;
      }
      /* one batch: full logical size N = prod(n); complex sizes per side */
      static void dft(struct plan* p, const float* in, float* out, int sign) {
        int r = p->rank, last = p->n[r - 1], half = last / 2 + 1;
        long total = 1; for (int d = 0; d < r; d++) total *= p->n[d];
        long inCount = p->type == C2R ? total / last * half : total;
        long outCount = p->type == R2C ? total / last * half : total;
        for (int b = 0; b < p->batch; b++) {
          const float* x = in + (p->type == R2C ? 1 : 2) * inCount * b;
          float* y = out + (p->type == C2R ? 1 : 2) * outCount * b;
          for (long o = 0; o < outCount; o++) {
            int k[3] = {0, 0, 0}; long t = o;
            for (int d = r - 1; d >= 0; d--) { int ext = (p->type == R2C && d == r - 1) ? half : p->n[d]; k[d] = t % ext; t /= ext; }
            double sr = 0, si = 0;
            for (long j = 0; j < total; j++) {
              int idx[3] = {0, 0, 0}; long u = j;
              for (int d = r - 1; d >= 0; d--) { idx[d] = u % p->n[d]; u /= p->n[d]; }
              double xr, xi;
              if (p->type == R2C) { xr = x[j]; xi = 0; }
              else if (p->type == C2C) { xr = x[2 * j]; xi = x[2 * j + 1]; }
              else { /* C2R: the Hermitian half; the other half mirrored and conjugated */
                int m[3]; int conj = idx[r - 1] >= half;
                for (int d = 0; d < r; d++) m[d] = conj ? (p->n[d] - idx[d]) % p->n[d] : idx[d];
                long at = 0; for (int d = 0; d < r; d++) at = at * (d == r - 1 ? half : p->n[d]) + m[d];
                xr = x[2 * at]; xi = conj ? -x[2 * at + 1] : x[2 * at + 1];
              }
              double phase = 0;
              for (int d = 0; d < r; d++) phase += (double) k[d] * idx[d] / p->n[d];
              phase = fmod(phase, 1.0) * 2 * M_PI * sign;
              sr += xr * cos(phase) - xi * sin(phase);
              si += xr * sin(phase) + xi * cos(phase);
            }
            if (p->type == C2R) y[o] = (float) sr; else { y[2 * o] = (float) sr; y[2 * o + 1] = (float) si; }
          }
        }
      }
      static int exec(struct plan* p, int type, const float* in, float* out, int sign) {
        if (!p || p->magic != MAGIC) return 1;
        if (p->type != type) return 3;
        int r = p->rank, last = p->n[r - 1], half = last / 2 + 1;
        long total = 1; for (int d = 0; d < r; d++) total *= p->n[d];
        long inBytes = (type == R2C ? 4 : 8) * (type == C2R ? total / last * half : total) * p->batch;
        long outBytes = (type == C2R ? 4 : 8) * (type == R2C ? total / last * half : total) * p->batch;
        if (!sl_hip_is_device(in, inBytes) || !sl_hip_is_device(out, outBytes)) return 4;
        sl_hipfft_execs++;
        dft(p, in, out, sign);
        if (type == C2R) { float* w = (float*) in; for (long i = 0; i < inBytes / 4; i++) w[i] = NAN; }
        return 0;
      }
      int hipfftExecC2C(struct plan* p, const float* in, float* out, int direction) {
        if (direction != -1 && direction != 1) return 4;
        return exec(p, C2C, in, out, direction);
      }
      int hipfftExecR2C(struct plan* p, const float* in, float* out) { return exec(p, R2C, in, out, -1); }
      int hipfftExecC2R(struct plan* p, const float* in, float* out) { return exec(p, C2R, in, out, 1); }
      int hipfftDestroy(struct plan* p) { if (!p || p->magic != MAGIC) return 1; p->magic = 0; free(p); return 0; }
      """;

  /**
   * Compiles the C {@code source} into {@code dir/name} ({@code name} a file name such as
   * {@code libhipblas.so}); {@code linkWith} are shared libraries it calls, linked by full path so
   * that the loader reuses the very file the test loaded, never a system library of that name.
   */
  static Path buildLibrary(Path cc, Path dir, String name, String source, Path... linkWith)
      throws IOException, InterruptedException {
    Path src = dir.resolve(name + ".c");
    Files.writeString(src, source);
    Path lib = dir.resolve(name);
    List<String> cmd = new java.util.ArrayList<>(List.of(cc.toString(), "-shared", "-fPIC", "-O1", "-w", "-o",
        lib.toString(), src.toString()));
    for (Path l : linkWith) {
      cmd.add(l.toString());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException("cc failed building " + name + ": " + out);
    }
    return lib;
  }

  /** Builds {@code template} with the given answers into {@code dir/name}. */
  static Path build(Path cc, Path dir, String name, String template, int initStatus, int version, int count)
      throws IOException, InterruptedException {
    Path src = dir.resolve(name + ".c");
    Files.writeString(src, template.replace("INIT_STATUS", Integer.toString(initStatus))
        .replace("VERSION", Integer.toString(version)).replace("COUNT", Integer.toString(count)));
    Path lib = dir.resolve(name + ".so");
    Process p = new ProcessBuilder(cc.toString(), "-shared", "-fPIC", "-w", "-o", lib.toString(), src.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException("cc failed building " + name + ": " + out);
    }
    return lib;
  }
}
