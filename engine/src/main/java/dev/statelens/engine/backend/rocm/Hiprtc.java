package dev.statelens.engine.backend.rocm;

import dev.statelens.engine.backend.gpu.Native;
import dev.statelens.engine.backend.gpu.RuntimeCompiler;
import java.util.List;

/**
 * hiprtc, ROCm's runtime compiler, through {@code java.lang.foreign}: HIP C++ to an AMD code
 * object. In ROCm 5.x it lives in {@code libamdhip64}, from 6.0 in {@code libhiprtc}. Needs no
 * device when the target arch is given, which is how the tests exercise this binding without a GPU.
 */
public final class Hiprtc {
  private final RuntimeCompiler rtc;

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
    rtc = new RuntimeCompiler(lib, "hiprtc", "Code");
  }

  public String version() {
    return rtc.version();
  }

  /** Compiles {@code source} for {@code arch} (e.g. {@code gfx90a}; null: the current device). */
  public byte[] compile(String source, String fileName, String arch) {
    List<String> opts = arch == null ? List.of("-O3") : List.of("-O3", "--offload-arch=" + arch);
    return rtc.compile(source, fileName, arch, opts);
  }
}
