package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.backend.rocm.Hiprtc;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The runtime-compiler path of the rocm backend, through the real FFM binding: hiprtc needs no
 * device when given a target, so wherever Debian's libamdhip64 is installed the examples' graphs
 * are compiled exactly as the backend will compile them on an AMD GPU.
 */
class HiprtcBindingTest {

  private static Hiprtc hiprtc() {
    Optional<Native> hip = Native.tryOpen("rocm", "libamdhip64.so")
        .or(() -> Native.tryOpen("rocm", "libamdhip64.so.5"));
    assumeTrue(hip.isPresent(), "libamdhip64 is not installed (apt-get install libamdhip64-dev)");
    return Hiprtc.open(hip.get());
  }

  @Test
  void compilesTheExamplesGraphsToAmdCodeObjects() {
    Hiprtc rtc = hiprtc();
    for (GpuProgram p : List.of(KernelGenerator.generate(ExampleGraphs.linregUpdate()),
        KernelGenerator.generate(ExampleGraphs.mlpStep()))) {
      byte[] image = rtc.compile(p.source(), "graph.hip", OfflineCompilers.AMD_ARCH);
      assertTrue(image.length > 1000, "code object of " + image.length + " bytes");
      assertEquals("\u007fELF", new String(image, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void compileErrorsNameTheApiAndQuoteTheLog() {
    Hiprtc rtc = hiprtc();
    GpuException e = assertThrows(GpuException.class, () -> rtc.compile(
        "extern \"C\" __global__ void k(float* a) { a[0] = undefined_name; }", "broken.hip", OfflineCompilers.AMD_ARCH));
    assertTrue(e.getMessage().startsWith("hiprtcCompileProgram failed for broken.hip (gfx90a): "), e.getMessage());
    assertTrue(e.getMessage().contains("undefined_name"), e.getMessage());
  }
}
