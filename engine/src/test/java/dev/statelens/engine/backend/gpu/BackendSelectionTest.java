package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.BackendUnavailableException;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.gpu.Native;
import dev.statelens.engine.testing.TemporaryProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backend selection with the GPU runtimes absent or failing: the exact one-line reasons, and
 * {@code auto} falling back to cpu. Libraries are pointed at with the {@code statelens.*.lib}
 * properties, so the results do not depend on what this machine has installed.
 */
class BackendSelectionTest {

  private static String failure(String spec) {
    return assertThrows(BackendUnavailableException.class, () -> Backends.select(spec, n -> {})).getMessage();
  }

  private static final Map<String, String> NO_RUNTIMES = Map.of(
      "statelens.cuda.lib", "/nonexistent/libcuda.so.1",
      "statelens.rocm.lib", "/nonexistent/libamdhip64.so");

  @Test
  void explicitRequestForAMissingRuntimeSaysWhichLibraryIsMissing() throws Exception {
    TemporaryProperties.call(NO_RUNTIMES, () -> {
      assertEquals("backend 'cuda' is not available: /nonexistent/libcuda.so.1 not found or not loadable"
          + " (set by -Dstatelens.cuda.lib)", failure("cuda"));
      assertEquals("backend 'rocm' is not available: /nonexistent/libamdhip64.so not found or not loadable"
          + " (set by -Dstatelens.rocm.lib)", failure("ROCm"));
      return null;
    });
  }

  @Test
  void autoFallsBackToCpuWithOneLinePerGpuBackend() throws Exception {
    List<String> notes = new ArrayList<>();
    Backend b = TemporaryProperties.call(NO_RUNTIMES, () -> Backends.select("auto", notes::add));
    assertSame(Backends.cpu(), b);
    assertEquals(List.of(
        "backend 'rocm' is not available: /nonexistent/libamdhip64.so not found or not loadable (set by -Dstatelens.rocm.lib); using cpu",
        "backend 'cuda' is not available: /nonexistent/libcuda.so.1 not found or not loadable (set by -Dstatelens.cuda.lib); using cpu"),
        notes);
  }

  @Test
  void cpuAndUnknownNames() {
    assertSame(Backends.cpu(), Backends.select("cpu", n -> {}));
    assertSame(Backends.cpu(), Backends.select(null, n -> {}));
    assertEquals("unknown backend 'opencl' in STATELENS_BACKEND: use cpu, rocm, cuda or auto", failure("opencl"));
  }

  @Test
  void withoutAnNvidiaDriverTheDefaultLookupSaysSo() {
    assumeTrue(Native.tryOpen("cuda", "libcuda.so.1").isEmpty(), "libcuda.so.1 is installed here");
    assertEquals("backend 'cuda' is not available: libcuda.so.1 not found (no NVIDIA driver installed;"
        + " or set -Dstatelens.cuda.lib=/path/to/libcuda.so.1)", failure("cuda"));
  }

  @Test
  void realHipRuntimeWithoutADeviceSaysNoDevice() {
    // Debian's libamdhip64 (installed by CI for hipcc) on a machine with no AMD GPU
    assumeTrue(Native.tryOpen("rocm", "libamdhip64.so").isPresent(), "libamdhip64.so is not installed");
    assumeTrue(!java.nio.file.Files.exists(Path.of("/dev/kfd")), "this machine has an AMD GPU driver (/dev/kfd)");
    String m = failure("rocm");
    assertTrue(m.startsWith("backend 'rocm' is not available: no ROCm device (hipInit: hipError"), m);
    assertFalse(m.contains("\n"), m);
  }

  @Test
  void cudaFailurePathsThroughTheRealBindings(@TempDir Path dir) throws Exception {
    Path cc = FakeRuntimes.cc().orElse(null);
    assumeTrue(cc != null, "no C compiler (cc/gcc/clang) to build the stand-in libcuda");
    Path noDevice = FakeRuntimes.build(cc, dir, "cuda_nodevice", FakeRuntimes.CUDA, 100, 12040, 0);
    Path oldDriver = FakeRuntimes.build(cc, dir, "cuda_old", FakeRuntimes.CUDA, 0, 11040, 1);
    Path zero = FakeRuntimes.build(cc, dir, "cuda_zero", FakeRuntimes.CUDA, 0, 12040, 0);
    Path ok = FakeRuntimes.build(cc, dir, "cuda_ok", FakeRuntimes.CUDA, 0, 12040, 1);
    TemporaryProperties.call(Map.of("statelens.cuda.lib", noDevice.toString()), () -> {
      assertEquals("backend 'cuda' is not available: no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE (100):"
          + " no CUDA-capable device is detected)", failure("cuda"));
      return null;
    });
    TemporaryProperties.call(Map.of("statelens.cuda.lib", oldDriver.toString()), () -> {
      assertEquals("backend 'cuda' is not available: driver too old: CUDA 11.4 found, 12.0 or newer needed"
          + " (update the NVIDIA driver)", failure("cuda"));
      return null;
    });
    TemporaryProperties.call(Map.of("statelens.cuda.lib", zero.toString()), () -> {
      assertEquals("backend 'cuda' is not available: no CUDA device (cuDeviceGetCount returned 0)", failure("cuda"));
      return null;
    });
    TemporaryProperties.call(Map.of("statelens.cuda.lib", ok.toString(), "statelens.nvrtc.lib", "/nonexistent/libnvrtc.so"), () -> {
      assertEquals("backend 'cuda' is not available: /nonexistent/libnvrtc.so not found or not loadable"
          + " (set by -Dstatelens.nvrtc.lib)", failure("cuda"));
      return null;
    });
  }

  @Test
  void rocmFailurePathsThroughTheRealBindings(@TempDir Path dir) throws Exception {
    Path cc = FakeRuntimes.cc().orElse(null);
    assumeTrue(cc != null, "no C compiler (cc/gcc/clang) to build the stand-in libamdhip64");
    Path noDevice = FakeRuntimes.build(cc, dir, "hip_nodevice", FakeRuntimes.HIP, 100, 50_200_000, 0);
    Path old = FakeRuntimes.build(cc, dir, "hip_old", FakeRuntimes.HIP, 0, 40_200_000, 1);
    Path zero = FakeRuntimes.build(cc, dir, "hip_zero", FakeRuntimes.HIP, 0, 50_200_000, 0);
    TemporaryProperties.call(Map.of("statelens.rocm.lib", noDevice.toString()), () -> {
      assertEquals("backend 'rocm' is not available: no ROCm device (hipInit: hipErrorNoDevice (100):"
          + " no ROCm-capable device is detected)", failure("rocm"));
      return null;
    });
    TemporaryProperties.call(Map.of("statelens.rocm.lib", old.toString()), () -> {
      assertEquals("backend 'rocm' is not available: driver too old: HIP 4.2 found, 5.0 or newer needed"
          + " (update ROCm)", failure("rocm"));
      return null;
    });
    TemporaryProperties.call(Map.of("statelens.rocm.lib", zero.toString()), () -> {
      assertEquals("backend 'rocm' is not available: no ROCm device (hipGetDeviceCount returned 0)", failure("rocm"));
      return null;
    });
  }
}
