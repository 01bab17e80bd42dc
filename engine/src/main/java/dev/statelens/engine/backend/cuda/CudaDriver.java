package dev.statelens.engine.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.statelens.engine.backend.gpu.GpuArgs;
import dev.statelens.engine.backend.gpu.GpuDriver;
import dev.statelens.engine.backend.gpu.GpuException;
import dev.statelens.engine.backend.gpu.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * NVIDIA's driver API ({@code libcuda}) and NVRTC through {@code java.lang.foreign}. Uses the
 * device's primary context (what the runtime API and JAX use), made current on each calling
 * thread. Loading checks, in order: the library, {@code cuInit}, the driver version (CUDA 12+),
 * a device; each failure is one line.
 */
public final class CudaDriver implements GpuDriver {
  static final String BACKEND = "cuda";
  /** CUDA 12.0, as {@code cuDriverGetVersion} reports it. */
  static final int MIN_DRIVER_VERSION = 12000;
  private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
  private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
  private static final int CUDA_ERROR_NO_DEVICE = 100;

  private final Native cuda;
  private final Native nvrtc;
  private final MethodHandle cuGetErrorName;
  private final MethodHandle cuGetErrorString;
  private final MethodHandle cuCtxSetCurrent;
  private final MethodHandle cuMemAlloc;
  private final MethodHandle cuMemFree;
  private final MethodHandle cuMemcpyHtoD;
  private final MethodHandle cuMemcpyDtoH;
  private final MethodHandle cuMemcpyDtoD;
  private final MethodHandle cuModuleLoadData;
  private final MethodHandle cuModuleGetFunction;
  private final MethodHandle cuLaunchKernel;
  private final MethodHandle cuCtxSynchronize;
  private final MethodHandle nvrtcCreateProgram;
  private final MethodHandle nvrtcCompileProgram;
  private final MethodHandle nvrtcGetProgramLogSize;
  private final MethodHandle nvrtcGetProgramLog;
  private final MethodHandle nvrtcGetCUBINSize;
  private final MethodHandle nvrtcGetCUBIN;
  private final MethodHandle nvrtcDestroyProgram;
  private final MethodHandle nvrtcGetErrorString;
  private final MemorySegment context;
  private final String deviceName;
  private final String arch;
  private final String compilerVersion;
  private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
  private volatile java.util.Optional<dev.statelens.engine.backend.gpu.Blas> blas;

  /** Opens libcuda and NVRTC and the first device, or throws BackendUnavailableException saying why. */
  public static CudaDriver open() {
    Native cuda = Native.open(BACKEND, "statelens.cuda.lib", List.of("libcuda.so.1", "libcuda.so"),
        "no NVIDIA driver installed");
    return new CudaDriver(cuda);
  }

  private CudaDriver(Native cuda) {
    this.cuda = cuda;
    cuGetErrorName = cuda.fn("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    cuGetErrorString = cuda.fn("cuGetErrorString", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    MethodHandle cuInit = cuda.fn("cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    MethodHandle cuDriverGetVersion = cuda.fn("cuDriverGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    MethodHandle cuDeviceGetCount = cuda.fn("cuDeviceGetCount", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    MethodHandle cuDeviceGet = cuda.fn("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    MethodHandle cuDeviceGetName = cuda.fn("cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    MethodHandle cuDeviceGetAttribute = cuda.fn("cuDeviceGetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    MethodHandle cuDevicePrimaryCtxRetain = cuda.fn("cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    cuCtxSetCurrent = cuda.fn("cuCtxSetCurrent", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    cuMemAlloc = cuda.fnAny(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), "cuMemAlloc_v2", "cuMemAlloc");
    cuMemFree = cuda.fnAny(FunctionDescriptor.of(JAVA_INT, JAVA_LONG), "cuMemFree_v2", "cuMemFree");
    cuMemcpyHtoD = cuda.fnAny(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG), "cuMemcpyHtoD_v2", "cuMemcpyHtoD");
    cuMemcpyDtoH = cuda.fnAny(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), "cuMemcpyDtoH_v2", "cuMemcpyDtoH");
    cuMemcpyDtoD = cuda.fnAny(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG), "cuMemcpyDtoD_v2", "cuMemcpyDtoD");
    cuModuleLoadData = cuda.fn("cuModuleLoadData", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    cuModuleGetFunction = cuda.fn("cuModuleGetFunction", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    cuLaunchKernel = cuda.fn("cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS,
        JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    cuCtxSynchronize = cuda.fn("cuCtxSynchronize", FunctionDescriptor.of(JAVA_INT));

    try (Arena a = Arena.ofConfined()) {
      int status = (int) cuInit.invokeExact(0);
      if (status == CUDA_ERROR_NO_DEVICE) {
        throw Native.unavailable(BACKEND, "no CUDA device (cuInit: " + describe(status) + ")");
      }
      if (status != 0) {
        throw Native.unavailable(BACKEND, "cuInit failed: " + describe(status));
      }
      MemorySegment out = a.allocate(JAVA_INT);
      check("cuDriverGetVersion", (int) cuDriverGetVersion.invokeExact(out));
      int version = out.get(JAVA_INT, 0);
      if (version < MIN_DRIVER_VERSION) {
        throw Native.unavailable(BACKEND, "driver too old: CUDA " + versionText(version) + " found, "
            + versionText(MIN_DRIVER_VERSION) + " or newer needed (update the NVIDIA driver)");
      }
      check("cuDeviceGetCount", (int) cuDeviceGetCount.invokeExact(out));
      if (out.get(JAVA_INT, 0) == 0) {
        throw Native.unavailable(BACKEND, "no CUDA device (cuDeviceGetCount returned 0)");
      }
      check("cuDeviceGet", (int) cuDeviceGet.invokeExact(out, 0));
      int device = out.get(JAVA_INT, 0);
      MemorySegment name = a.allocate(256);
      check("cuDeviceGetName", (int) cuDeviceGetName.invokeExact(name, 256, device));
      deviceName = name.getString(0);
      check("cuDeviceGetAttribute", (int) cuDeviceGetAttribute.invokeExact(out, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device));
      int major = out.get(JAVA_INT, 0);
      check("cuDeviceGetAttribute", (int) cuDeviceGetAttribute.invokeExact(out, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device));
      arch = "sm_" + major + out.get(JAVA_INT, 0);
      MemorySegment ctx = a.allocate(ADDRESS);
      check("cuDevicePrimaryCtxRetain", (int) cuDevicePrimaryCtxRetain.invokeExact(ctx, device));
      context = ctx.get(ADDRESS, 0);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("CUDA initialization failed: " + t);
    }

    List<String> nvrtcNames = new java.util.ArrayList<>(List.of("libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12"));
    for (String v : List.of("libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so")) {
      nvrtcNames.addAll(dev.statelens.engine.backend.gpu.LibrarySearch.find(v, "cuda_nvrtc"));
    }
    nvrtc = Native.open(BACKEND, "statelens.nvrtc.lib", nvrtcNames,
        "NVRTC is missing: install the CUDA toolkit's runtime compiler (cuda-nvrtc)");
    nvrtcCreateProgram = nvrtc.fn("nvrtcCreateProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    nvrtcCompileProgram = nvrtc.fn("nvrtcCompileProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    nvrtcGetProgramLogSize = nvrtc.fn("nvrtcGetProgramLogSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    nvrtcGetProgramLog = nvrtc.fn("nvrtcGetProgramLog", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    nvrtcGetCUBINSize = nvrtc.fn("nvrtcGetCUBINSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    nvrtcGetCUBIN = nvrtc.fn("nvrtcGetCUBIN", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    nvrtcDestroyProgram = nvrtc.fn("nvrtcDestroyProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    nvrtcGetErrorString = nvrtc.fn("nvrtcGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    MethodHandle nvrtcVersion = nvrtc.fn("nvrtcVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    try (Arena a = Arena.ofConfined()) {
      MemorySegment maj = a.allocate(JAVA_INT);
      MemorySegment min = a.allocate(JAVA_INT);
      checkRtc("nvrtcVersion", (int) nvrtcVersion.invokeExact(maj, min));
      compilerVersion = "nvrtc " + maj.get(JAVA_INT, 0) + "." + min.get(JAVA_INT, 0);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("nvrtcVersion failed: " + t);
    }
  }

  static String versionText(int v) {
    return (v / 1000) + "." + (v % 1000) / 10;
  }

  @Override
  public String platform() {
    return BACKEND;
  }

  @Override
  public String deviceName() {
    return deviceName;
  }

  @Override
  public String arch() {
    return arch;
  }

  @Override
  public String compilerVersion() {
    return compilerVersion;
  }

  /** "CUDA_ERROR_OUT_OF_MEMORY (2): out of memory". */
  String describe(int status) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment p = a.allocate(ADDRESS);
      String name = (int) cuGetErrorName.invokeExact(status, p) == 0 ? Native.cString(p.get(ADDRESS, 0)) : "CUresult";
      String text = (int) cuGetErrorString.invokeExact(status, p) == 0 ? Native.cString(p.get(ADDRESS, 0)) : "unknown error";
      return name + " (" + status + "): " + text;
    } catch (Throwable t) {
      return "CUresult " + status;
    }
  }

  private void check(String api, int status) {
    if (status != 0) {
      throw new GpuException(api + " failed: " + describe(status));
    }
  }

  private void checkRtc(String api, int status) {
    if (status != 0) {
      String text;
      try {
        text = Native.cString((MemorySegment) nvrtcGetErrorString.invokeExact(status));
      } catch (Throwable t) {
        text = "nvrtcResult " + status;
      }
      throw new GpuException(api + " failed: " + text + " (" + status + ")");
    }
  }

  private void makeCurrent() throws Throwable {
    if (!current.get()) {
      check("cuCtxSetCurrent", (int) cuCtxSetCurrent.invokeExact(context));
      current.set(true);
    }
  }

  @Override
  public long malloc(long bytes) {
    try (Arena a = Arena.ofConfined()) {
      makeCurrent();
      MemorySegment p = a.allocate(JAVA_LONG);
      int status = (int) cuMemAlloc.invokeExact(p, Math.max(1L, bytes));
      if (status != 0) {
        throw new GpuException("cuMemAlloc of " + bytes + " bytes failed: " + describe(status));
      }
      return p.get(JAVA_LONG, 0);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("cuMemAlloc failed: " + t);
    }
  }

  @Override
  public void free(long devicePtr) {
    try {
      makeCurrent();
      check("cuMemFree", (int) cuMemFree.invokeExact(devicePtr));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("cuMemFree failed: " + t);
    }
  }

  @Override
  public void copyToDevice(long dst, MemorySegment src, long bytes) {
    try {
      makeCurrent();
      check("cuMemcpyHtoD", (int) cuMemcpyHtoD.invokeExact(dst, src, bytes));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("cuMemcpyHtoD failed: " + t);
    }
  }

  @Override
  public void copyToHost(MemorySegment dst, long src, long bytes) {
    try {
      makeCurrent();
      check("cuMemcpyDtoH", (int) cuMemcpyDtoH.invokeExact(dst, src, bytes));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("cuMemcpyDtoH failed: " + t);
    }
  }

  @Override
  public void copyOnDevice(long dst, long src, long bytes) {
    try {
      makeCurrent();
      check("cuMemcpyDtoD", (int) cuMemcpyDtoD.invokeExact(dst, src, bytes));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("cuMemcpyDtoD failed: " + t);
    }
  }

  @Override
  public byte[] compile(String source, String fileName) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment prog = a.allocate(ADDRESS);
      checkRtc("nvrtcCreateProgram", (int) nvrtcCreateProgram.invokeExact(prog, a.allocateFrom(source),
          a.allocateFrom(fileName), 0, MemorySegment.NULL, MemorySegment.NULL));
      MemorySegment handle = prog.get(ADDRESS, 0);
      try {
        String[] opts = {"--gpu-architecture=" + arch, "--std=c++17", "-default-device"};
        MemorySegment optv = a.allocate(ADDRESS, opts.length);
        for (int i = 0; i < opts.length; i++) {
          optv.setAtIndex(ADDRESS, i, a.allocateFrom(opts[i]));
        }
        int status = (int) nvrtcCompileProgram.invokeExact(handle, opts.length, optv);
        if (status != 0) {
          throw new GpuException("nvrtcCompileProgram failed for " + fileName + " (" + arch + "): "
              + log(a, handle));
        }
        MemorySegment size = a.allocate(JAVA_LONG);
        checkRtc("nvrtcGetCUBINSize", (int) nvrtcGetCUBINSize.invokeExact(handle, size));
        MemorySegment cubin = a.allocate(size.get(JAVA_LONG, 0));
        checkRtc("nvrtcGetCUBIN", (int) nvrtcGetCUBIN.invokeExact(handle, cubin));
        return cubin.toArray(JAVA_BYTE);
      } finally {
        int ignored = (int) nvrtcDestroyProgram.invokeExact(prog);
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("NVRTC compilation failed: " + t);
    }
  }

  private String log(Arena a, MemorySegment handle) throws Throwable {
    MemorySegment size = a.allocate(JAVA_LONG);
    if ((int) nvrtcGetProgramLogSize.invokeExact(handle, size) != 0) {
      return "(no log)";
    }
    // one spare zero byte: some runtimes count the terminator in the size, some do not
    MemorySegment text = a.allocate(size.get(JAVA_LONG, 0) + 1);
    int ignored = (int) nvrtcGetProgramLog.invokeExact(handle, text);
    return text.getString(0).strip();
  }

  @Override
  public long loadModule(byte[] image) {
    try (Arena a = Arena.ofConfined()) {
      makeCurrent();
      MemorySegment module = a.allocate(ADDRESS);
      MemorySegment data = a.allocate(image.length + 1L);
      data.copyFrom(MemorySegment.ofArray(image));
      check("cuModuleLoadData", (int) cuModuleLoadData.invokeExact(module, data));
      return module.get(ADDRESS, 0).address();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("cuModuleLoadData failed: " + t);
    }
  }

  @Override
  public long function(long module, String name) {
    try (Arena a = Arena.ofConfined()) {
      makeCurrent();
      MemorySegment fn = a.allocate(ADDRESS);
      check("cuModuleGetFunction(" + name + ")",
          (int) cuModuleGetFunction.invokeExact(fn, MemorySegment.ofAddress(module), a.allocateFrom(name)));
      return fn.get(ADDRESS, 0).address();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("cuModuleGetFunction failed: " + t);
    }
  }

  @Override
  public void launch(long function, int[] grid, int[] block, int sharedBytes, long[] pointerArgs) {
    try (Arena a = Arena.ofConfined()) {
      makeCurrent();
      MemorySegment params = GpuArgs.pack(a, pointerArgs);
      int status = (int) cuLaunchKernel.invokeExact(MemorySegment.ofAddress(function), grid[0], grid[1], grid[2],
          block[0], block[1], block[2], sharedBytes, MemorySegment.NULL, params, MemorySegment.NULL);
      if (status != 0) {
        throw new GpuException("cuLaunchKernel failed: " + describe(status));
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("cuLaunchKernel failed: " + t);
    }
  }

  @Override
  public java.util.Optional<dev.statelens.engine.backend.gpu.Blas> blas() {
    if (blas == null) {
      blas = Cublas.open(); // loaded on the first matmul
    }
    return blas;
  }

  @Override
  public void synchronize() {
    try {
      makeCurrent();
      check("cuCtxSynchronize", (int) cuCtxSynchronize.invokeExact());
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("cuCtxSynchronize failed: " + t);
    }
  }
}
