package dev.statelens.engine.backend.rocm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.statelens.engine.backend.gpu.DeviceFft;
import dev.statelens.engine.backend.gpu.LibrarySearch;
import dev.statelens.engine.backend.gpu.GpuException;
import dev.statelens.engine.backend.gpu.Native;
import dev.statelens.engine.backend.gpu.NativeCall;
import dev.statelens.engine.backend.gpu.NativeDriver;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AMD's HIP runtime ({@code libamdhip64}) and hiprtc through {@code java.lang.foreign}. Loading
 * checks, in order: the library, {@code hipInit}, the runtime version (ROCm 5.0+), a device.
 * Plain F32 matmuls go to hipBLAS ({@link Hipblas}) when it loads, else to the tiled kernel.
 */
public final class HipDriver extends NativeDriver {
  static final String BACKEND = "rocm";
  /** HIP 5.0.0 as hipDriverGetVersion encodes it (major * 10^7 + minor * 10^5 + patch). */
  static final int MIN_VERSION = 50_000_000;
  private static final int HIP_ERROR_NO_DEVICE = 100;
  /** What ROCm 5.x's hipInit returns on a machine without an AMD GPU (no /dev/kfd). */
  private static final int HIP_ERROR_INVALID_DEVICE = 101;
  private static final int HIP_MEMCPY_HOST_TO_DEVICE = 1;
  private static final int HIP_MEMCPY_DEVICE_TO_HOST = 2;
  private static final int HIP_MEMCPY_DEVICE_TO_DEVICE = 3;

  private final MethodHandle hipGetErrorName;
  private final MethodHandle hipGetErrorString;
  private final MethodHandle hipSetDevice;
  private final MethodHandle hipMalloc;
  private final MethodHandle hipFree;
  private final MethodHandle hipMemcpy;
  private final MethodHandle hipDeviceSynchronize;
  private final Hiprtc hiprtc;
  private final String deviceName;
  private final String arch;

  /** What initialization finds: device 0's name and its gfx arch (null when not found). */
  private record Device(String name, String arch) {}

  /** Opens libamdhip64 and the first device, or throws BackendUnavailableException saying why. */
  public static HipDriver open() {
    Native hip = openLibrary();
    return new HipDriver(hip);
  }

  static Native openLibrary() {
    return Native.open(BACKEND, "statelens.rocm.lib",
        List.of("libamdhip64.so", "libamdhip64.so.6", "libamdhip64.so.5", "/opt/rocm/lib/libamdhip64.so"),
        "ROCm's HIP runtime is not installed (apt install libamdhip64-5, or ROCm from AMD)");
  }

  private HipDriver(Native hip) {
    super(hip, "hipModuleLoadData", "hipModuleGetFunction", "hipModuleLaunchKernel", Hipblas::open, HipDriver::lookUpHipfft);
    hipGetErrorName = hip.fn("hipGetErrorName", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    hipGetErrorString = hip.fn("hipGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    hipSetDevice = hip.fn("hipSetDevice", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    hipMalloc = hip.fn("hipMalloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    hipFree = hip.fn("hipFree", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    hipMemcpy = hip.fn("hipMemcpy", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    hipDeviceSynchronize = hip.fn("hipDeviceSynchronize", FunctionDescriptor.of(JAVA_INT));
    Device device = initialize(hip);
    deviceName = device.name();
    arch = device.arch();
    hiprtc = Hiprtc.open(hip);
  }

  /** hipInit, the runtime version, device 0, its name and arch; each failure is one line. */
  private Device initialize(Native hip) {
    MethodHandle hipInit = hip.fn("hipInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    MethodHandle hipDriverGetVersion = hip.fn("hipDriverGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    MethodHandle hipGetDeviceCount = hip.fn("hipGetDeviceCount", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    MethodHandle hipDeviceGetName = hip.fn("hipDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    MethodHandle hipGetDeviceProperties = hip.fnAny(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
        "hipGetDevicePropertiesR0600", "hipGetDeviceProperties");
    return NativeCall.inArena("HIP initialization", a -> {
      int status = (int) hipInit.invokeExact(0);
      if (status == HIP_ERROR_NO_DEVICE || status == HIP_ERROR_INVALID_DEVICE) {
        throw Native.unavailable(BACKEND, "no ROCm device (hipInit: " + describe(status) + ")");
      }
      if (status != 0) {
        throw Native.unavailable(BACKEND, "hipInit failed: " + describe(status));
      }
      MemorySegment out = a.allocate(JAVA_INT);
      check("hipDriverGetVersion", (int) hipDriverGetVersion.invokeExact(out));
      int version = out.get(JAVA_INT, 0);
      if (version < MIN_VERSION) {
        throw Native.unavailable(BACKEND, "driver too old: HIP " + versionText(version) + " found, "
            + versionText(MIN_VERSION) + " or newer needed (update ROCm)");
      }
      status = (int) hipGetDeviceCount.invokeExact(out);
      if (status == HIP_ERROR_NO_DEVICE || (status == 0 && out.get(JAVA_INT, 0) == 0)) {
        throw Native.unavailable(BACKEND, "no ROCm device (hipGetDeviceCount returned 0)");
      }
      check("hipGetDeviceCount", status);
      check("hipSetDevice", (int) hipSetDevice.invokeExact(0));
      MemorySegment name = a.allocate(256);
      check("hipDeviceGetName", (int) hipDeviceGetName.invokeExact(name, 256, 0));
      // hipDeviceProp_t's layout changes between ROCm versions; its gcnArchName is found by content
      MemorySegment props = a.allocate(16384);
      check("hipGetDeviceProperties", (int) hipGetDeviceProperties.invokeExact(props, 0));
      return new Device(name.getString(0), findArch(props.toArray(JAVA_BYTE)));
    });
  }

  private static final Pattern GFX = Pattern.compile("gfx[0-9a-f]{3,4}");

  /** The {@code gfxNNN} target in a hipDeviceProp_t image, or null (hiprtc then targets the current device). */
  static String findArch(byte[] props) {
    Matcher m = GFX.matcher(new String(props, StandardCharsets.ISO_8859_1));
    return m.find() ? m.group() : null;
  }

  static String versionText(int v) {
    return (v / 10_000_000) + "." + (v / 100_000) % 100;
  }

  @Override
  protected String describe(int status) {
    try {
      String name = Native.cString((MemorySegment) hipGetErrorName.invokeExact(status));
      String text = Native.cString((MemorySegment) hipGetErrorString.invokeExact(status));
      return name + " (" + status + "): " + text;
    } catch (Throwable t) {
      return "hipError_t " + status;
    }
  }

  @Override
  protected void bindThread() throws Throwable {
    check("hipSetDevice", (int) hipSetDevice.invokeExact(0));
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
    return arch == null ? "amdgpu" : arch;
  }

  @Override
  public String compilerVersion() {
    return hiprtc.version();
  }

  @Override
  public long malloc(long bytes) {
    return NativeCall.inArena("hipMalloc", a -> {
      makeCurrent();
      MemorySegment p = a.allocate(ADDRESS);
      int status = (int) hipMalloc.invokeExact(p, Math.max(1L, bytes));
      if (status != 0) {
        throw new GpuException("hipMalloc of " + bytes + " bytes failed: " + describe(status));
      }
      return p.get(ADDRESS, 0).address();
    });
  }

  @Override
  public void free(long devicePtr) {
    call("hipFree", () -> (int) hipFree.invokeExact(MemorySegment.ofAddress(devicePtr)));
  }

  @Override
  public void copyToDevice(long dst, MemorySegment src, long bytes) {
    call("hipMemcpy(HostToDevice)", () -> (int) hipMemcpy.invokeExact(MemorySegment.ofAddress(dst), src, bytes,
        HIP_MEMCPY_HOST_TO_DEVICE));
  }

  @Override
  public void copyToHost(MemorySegment dst, long src, long bytes) {
    call("hipMemcpy(DeviceToHost)", () -> (int) hipMemcpy.invokeExact(dst, MemorySegment.ofAddress(src), bytes,
        HIP_MEMCPY_DEVICE_TO_HOST));
  }

  @Override
  public void copyOnDevice(long dst, long src, long bytes) {
    call("hipMemcpy(DeviceToDevice)", () -> (int) hipMemcpy.invokeExact(MemorySegment.ofAddress(dst),
        MemorySegment.ofAddress(src), bytes, HIP_MEMCPY_DEVICE_TO_DEVICE));
  }

  @Override
  public byte[] compile(String source, String fileName) {
    return hiprtc.compile(source, fileName, arch);
  }

  /**
   * hipFFT through FFM for {@code fft} steps, looked up by {@link NativeDriver} on the first one
   * (or the first description):
   * {@code -Dstatelens.hipfft.lib} if set, else the usual sonames and install locations ({@link LibrarySearch});
   * without it FFTs run on the host.
   */
  private static DeviceFft.Choice lookUpHipfft() {
    return DeviceFft.choose(BACKEND, "hipfft", true,
        LibrarySearch.candidates("statelens.hipfft.lib", List.of("libhipfft.so", "libhipfft.so.0", "libhipfft.so.1"), LibrarySearch::findRocm),
        LibrarySearch.notFound("statelens.hipfft.lib", "libhipfft.so", "install ROCm's hipFFT"));
  }

  @Override
  public void synchronize() {
    call("hipDeviceSynchronize", () -> (int) hipDeviceSynchronize.invokeExact());
  }
}
