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
 * FFM bindings through each failure path; they implement nothing else (no GPU is faked).
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
