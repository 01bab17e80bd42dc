package dev.statelens.engine.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.statelens.engine.backend.gpu.DeviceFft;
import dev.statelens.engine.backend.gpu.GpuException;
import dev.statelens.engine.backend.gpu.LibrarySearch;
import dev.statelens.engine.backend.gpu.Native;
import dev.statelens.engine.backend.gpu.NativeCall;
import dev.statelens.engine.backend.gpu.NativeDriver;
import dev.statelens.engine.backend.gpu.RuntimeCompiler;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * NVIDIA's driver API ({@code libcuda}) and NVRTC through {@code java.lang.foreign}. Uses the
 * device's primary context (what the runtime API and JAX use), made current on each calling
 * thread. Loading checks, in order: the library, {@code cuInit}, the driver version (CUDA 12+),
 * a device; each failure is one line.
 */
public final class CudaDriver extends NativeDriver {
  static final String BACKEND = "cuda";
  /** CUDA 12.0, as {@code cuDriverGetVersion} reports it. */
  static final int MIN_DRIVER_VERSION = 12000;
  private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
  private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
  private static final int CUDA_ERROR_NO_DEVICE = 100;

  private final MethodHandle cuGetErrorName;
  private final MethodHandle cuGetErrorString;
  private final MethodHandle cuCtxSetCurrent;
  private final MethodHandle cuMemAlloc;
  private final MethodHandle cuMemFree;
  private final MethodHandle cuMemcpyHtoD;
  private final MethodHandle cuMemcpyDtoH;
  private final MethodHandle cuMemcpyDtoD;
  private final MethodHandle cuCtxSynchronize;
  private final RuntimeCompiler nvrtc;
  private final MemorySegment context;
  private final String deviceName;
  private final String arch;

  /** What initialization finds: the primary context of device 0, its name and its sm_XY arch. */
  private record Device(MemorySegment context, String name, String arch) {}

  /** Opens libcuda and NVRTC and the first device, or throws BackendUnavailableException saying why. */
  public static CudaDriver open() {
    Native cuda = Native.open(BACKEND, "statelens.cuda.lib", List.of("libcuda.so.1", "libcuda.so"),
        "no NVIDIA driver installed");
    return new CudaDriver(cuda);
  }

  private CudaDriver(Native cuda) {
    super(cuda, "cuModuleLoadData", "cuModuleGetFunction", "cuLaunchKernel", Cublas::open, CudaDriver::lookUpCufft);
    cuGetErrorName = cuda.fn("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    cuGetErrorString = cuda.fn("cuGetErrorString", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    cuCtxSetCurrent = cuda.fn("cuCtxSetCurrent", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    cuMemAlloc = cuda.fnAny(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), "cuMemAlloc_v2", "cuMemAlloc");
    cuMemFree = cuda.fnAny(FunctionDescriptor.of(JAVA_INT, JAVA_LONG), "cuMemFree_v2", "cuMemFree");
    cuMemcpyHtoD = cuda.fnAny(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG), "cuMemcpyHtoD_v2", "cuMemcpyHtoD");
    cuMemcpyDtoH = cuda.fnAny(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), "cuMemcpyDtoH_v2", "cuMemcpyDtoH");
    cuMemcpyDtoD = cuda.fnAny(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG), "cuMemcpyDtoD_v2", "cuMemcpyDtoD");
    cuCtxSynchronize = cuda.fn("cuCtxSynchronize", FunctionDescriptor.of(JAVA_INT));
    Device device = initialize(cuda);
    context = device.context();
    deviceName = device.name();
    arch = device.arch();

    List<String> nvrtcNames = new ArrayList<>(List.of("libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12"));
    for (String v : List.of("libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so")) {
      nvrtcNames.addAll(LibrarySearch.find(v, "cuda_nvrtc"));
    }
    nvrtc = new RuntimeCompiler(Native.open(BACKEND, "statelens.nvrtc.lib", nvrtcNames,
        "NVRTC is missing: install the CUDA toolkit's runtime compiler (cuda-nvrtc)"), "nvrtc", "CUBIN");
  }

  /** cuInit, the driver version, device 0 and its primary context; each failure is one line. */
  private Device initialize(Native cuda) {
    MethodHandle cuInit = cuda.fn("cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    MethodHandle cuDriverGetVersion = cuda.fn("cuDriverGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    MethodHandle cuDeviceGetCount = cuda.fn("cuDeviceGetCount", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    MethodHandle cuDeviceGet = cuda.fn("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    MethodHandle cuDeviceGetName = cuda.fn("cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    MethodHandle cuDeviceGetAttribute = cuda.fn("cuDeviceGetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    MethodHandle cuDevicePrimaryCtxRetain = cuda.fn("cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    return NativeCall.inArena("CUDA initialization", a -> {
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
      check("cuDeviceGetAttribute", (int) cuDeviceGetAttribute.invokeExact(out, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device));
      int major = out.get(JAVA_INT, 0);
      check("cuDeviceGetAttribute", (int) cuDeviceGetAttribute.invokeExact(out, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device));
      String arch = "sm_" + major + out.get(JAVA_INT, 0);
      MemorySegment ctx = a.allocate(ADDRESS);
      check("cuDevicePrimaryCtxRetain", (int) cuDevicePrimaryCtxRetain.invokeExact(ctx, device));
      return new Device(ctx.get(ADDRESS, 0), name.getString(0), arch);
    });
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
    return nvrtc.version();
  }

  /** "CUDA_ERROR_OUT_OF_MEMORY (2): out of memory". */
  @Override
  protected String describe(int status) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment p = a.allocate(ADDRESS);
      String name = (int) cuGetErrorName.invokeExact(status, p) == 0 ? Native.cString(p.get(ADDRESS, 0)) : "CUresult";
      String text = (int) cuGetErrorString.invokeExact(status, p) == 0 ? Native.cString(p.get(ADDRESS, 0)) : "unknown error";
      return name + " (" + status + "): " + text;
    } catch (Throwable t) {
      return "CUresult " + status;
    }
  }

  @Override
  protected void bindThread() throws Throwable {
    check("cuCtxSetCurrent", (int) cuCtxSetCurrent.invokeExact(context));
  }

  @Override
  public long malloc(long bytes) {
    return NativeCall.inArena("cuMemAlloc", a -> {
      makeCurrent();
      MemorySegment p = a.allocate(JAVA_LONG);
      int status = (int) cuMemAlloc.invokeExact(p, Math.max(1L, bytes));
      if (status != 0) {
        throw new GpuException("cuMemAlloc of " + bytes + " bytes failed: " + describe(status));
      }
      return p.get(JAVA_LONG, 0);
    });
  }

  @Override
  public void free(long devicePtr) {
    call("cuMemFree", () -> (int) cuMemFree.invokeExact(devicePtr));
  }

  @Override
  public void copyToDevice(long dst, MemorySegment src, long bytes) {
    call("cuMemcpyHtoD", () -> (int) cuMemcpyHtoD.invokeExact(dst, src, bytes));
  }

  @Override
  public void copyToHost(MemorySegment dst, long src, long bytes) {
    call("cuMemcpyDtoH", () -> (int) cuMemcpyDtoH.invokeExact(dst, src, bytes));
  }

  @Override
  public void copyOnDevice(long dst, long src, long bytes) {
    call("cuMemcpyDtoD", () -> (int) cuMemcpyDtoD.invokeExact(dst, src, bytes));
  }

  @Override
  public byte[] compile(String source, String fileName) {
    return nvrtc.compile(source, fileName, arch, List.of("--gpu-architecture=" + arch, "--std=c++17", "-default-device"));
  }

  /**
   * cuFFT through FFM for {@code fft} steps, looked up by {@link NativeDriver} on the first one
   * (or the first description):
   * {@code -Dstatelens.cufft.lib} if set, else the usual sonames and install locations ({@link LibrarySearch});
   * without it FFTs run on the host.
   */
  private static DeviceFft.Choice lookUpCufft() {
    return DeviceFft.choose(BACKEND, "cufft", false,
        LibrarySearch.candidates("statelens.cufft.lib", List.of("libcufft.so", "libcufft.so.12", "libcufft.so.11"), soname -> LibrarySearch.find(soname, "cufft")),
        LibrarySearch.notFound("statelens.cufft.lib", "libcufft.so", "install the CUDA toolkit's cuFFT"));
  }

  @Override
  public void synchronize() {
    call("cuCtxSynchronize", () -> (int) cuCtxSynchronize.invokeExact());
  }
}
