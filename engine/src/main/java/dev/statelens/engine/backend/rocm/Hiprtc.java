package dev.statelens.engine.backend.rocm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.statelens.engine.backend.gpu.GpuException;
import dev.statelens.engine.backend.gpu.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * hiprtc, ROCm's runtime compiler, through {@code java.lang.foreign}: HIP C++ to an AMD code
 * object. In ROCm 5.x it lives in {@code libamdhip64}, from 6.0 in {@code libhiprtc}. Needs no
 * device when the target arch is given, which is how the tests exercise this binding without a GPU.
 */
public final class Hiprtc {
  private final MethodHandle create;
  private final MethodHandle compile;
  private final MethodHandle logSize;
  private final MethodHandle log;
  private final MethodHandle codeSize;
  private final MethodHandle code;
  private final MethodHandle destroy;
  private final MethodHandle errorString;
  private final String version;

  /** Binds hiprtc from {@code libhiprtc} if it loads, else from {@code hip} (ROCm 5). */
  public static Hiprtc open(Native hip) {
    Native lib = Native.tryOpen(HipDriver.BACKEND, System.getProperty("statelens.hiprtc.lib", "libhiprtc.so"))
        .filter(n -> n.has("hiprtcCreateProgram"))
        .or(() -> Native.tryOpen(HipDriver.BACKEND, "libhiprtc.so.6").filter(n -> n.has("hiprtcCreateProgram")))
        .orElse(hip);
    if (!lib.has("hiprtcCreateProgram")) {
      throw Native.unavailable(HipDriver.BACKEND, "hiprtc not found (neither libhiprtc.so nor " + hip.name()
          + " has hiprtcCreateProgram; install ROCm's hiprtc)");
    }
    return new Hiprtc(lib);
  }

  private Hiprtc(Native lib) {
    create = lib.fn("hiprtcCreateProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    compile = lib.fn("hiprtcCompileProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    logSize = lib.fn("hiprtcGetProgramLogSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    log = lib.fn("hiprtcGetProgramLog", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    codeSize = lib.fn("hiprtcGetCodeSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    code = lib.fn("hiprtcGetCode", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    destroy = lib.fn("hiprtcDestroyProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    errorString = lib.fn("hiprtcGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    MethodHandle ver = lib.fn("hiprtcVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    try (Arena a = Arena.ofConfined()) {
      MemorySegment maj = a.allocate(JAVA_INT);
      MemorySegment min = a.allocate(JAVA_INT);
      check("hiprtcVersion", (int) ver.invokeExact(maj, min));
      version = "hiprtc " + maj.get(JAVA_INT, 0) + "." + min.get(JAVA_INT, 0);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("hiprtcVersion failed: " + t);
    }
  }

  public String version() {
    return version;
  }

  private void check(String api, int status) throws Throwable {
    if (status != 0) {
      String text = Native.cString((MemorySegment) errorString.invokeExact(status));
      throw new GpuException(api + " failed: " + text + " (" + status + ")");
    }
  }

  /** Compiles {@code source} for {@code arch} (e.g. {@code gfx90a}; null: the current device). */
  public byte[] compile(String source, String fileName, String arch) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment prog = a.allocate(ADDRESS);
      check("hiprtcCreateProgram", (int) create.invokeExact(prog, a.allocateFrom(source), a.allocateFrom(fileName),
          0, MemorySegment.NULL, MemorySegment.NULL));
      MemorySegment handle = prog.get(ADDRESS, 0);
      try {
        List<String> opts = arch == null ? List.of("-O3") : List.of("-O3", "--offload-arch=" + arch);
        MemorySegment optv = a.allocate(ADDRESS, opts.size());
        for (int i = 0; i < opts.size(); i++) {
          optv.setAtIndex(ADDRESS, i, a.allocateFrom(opts.get(i)));
        }
        int status = (int) compile.invokeExact(handle, opts.size(), optv);
        if (status != 0) {
          throw new GpuException("hiprtcCompileProgram failed for " + fileName + " (" + arch + "): " + log(a, handle));
        }
        MemorySegment size = a.allocate(JAVA_LONG);
        check("hiprtcGetCodeSize", (int) codeSize.invokeExact(handle, size));
        MemorySegment image = a.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
        check("hiprtcGetCode", (int) code.invokeExact(handle, image));
        return image.asSlice(0, size.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
      } finally {
        int ignored = (int) destroy.invokeExact(prog);
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("hiprtc compilation failed: " + t);
    }
  }

  private String log(Arena a, MemorySegment handle) throws Throwable {
    MemorySegment size = a.allocate(JAVA_LONG);
    if ((int) logSize.invokeExact(handle, size) != 0) {
      return "(no log)";
    }
    // one spare zero byte: some runtimes count the terminator in the size, some do not
    MemorySegment text = a.allocate(size.get(JAVA_LONG, 0) + 1);
    int ignored = (int) log.invokeExact(handle, text);
    return text.getString(0).strip();
  }
}
