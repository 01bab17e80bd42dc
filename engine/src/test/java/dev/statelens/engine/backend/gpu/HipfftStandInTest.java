package dev.statelens.engine.backend.gpu;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.fft.FftPrims;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.testing.TemporaryProperties;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device FFT path without a GPU: the real {@code HipDriver} → {@link DeviceFft} FFM chain
 * against a stand-in libhipfft ({@link FakeRuntimes#HIPFFT}: naive DFTs on stand-in device
 * memory, which C2R overwrites afterwards) and the generated kernels run by {@link EmulatedDriver}
 * on the same memory (the inverse's normalization and the graph's other kernels). Every transform
 * type over 1 to 3 axes with batches equals the CPU backend's FFT (1e-4 normwise), each through
 * one hipFFT execution and one plan per shape, an IRFFT's input survives for a later step, and
 * without the library the same graphs run the FFT as a host step. cuFFT has the same API (an
 * int plan handle instead of a pointer) and is bound by the same {@link DeviceFft}; hipFFT and
 * cuFFT themselves need a GPU.
 */
class HipfftStandInTest {
  static Path dir;
  static Path hip;
  static Path hipfft;
  static SymbolLookup fftSymbols;

  @BeforeAll
  static void build() throws Exception {
    Path cc = FakeRuntimes.cc().orElse(null);
    assumeTrue(cc != null, "no C compiler (cc/gcc/clang) to build the stand-in libamdhip64 and libhipfft");
    dir = Files.createTempDirectory("sl-hipfft");
    hip = FakeRuntimes.buildLibrary(cc, dir, "libamdhip64.so", FakeRuntimes.HIP_HOST_MEMORY);
    hipfft = FakeRuntimes.buildLibrary(cc, dir, "libhipfft.so", FakeRuntimes.HIPFFT, hip);
    fftSymbols = SymbolLookup.libraryLookup(hipfft, Arena.global());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    CpuEmulation.deleteFolder(dir);
  }

  private static int read(String name) {
    return fftSymbols.find(name).orElseThrow().reinterpret(4).get(JAVA_INT, 0);
  }

  /** The rocm driver on the stand-ins with hipFFT at {@code fftLib}, kernels emulated by g++. */
  private static GpuBackend backend(String fftLib, Path work) throws Exception {
    var cxx = OfflineCompilers.onPath("g++").or(() -> OfflineCompilers.onPath("clang++"));
    assumeTrue(cxx.isPresent(), "no host C++ compiler (g++/clang++) for the emulated kernels");
    GpuDriver hipDriver = TemporaryProperties.call(Map.of("statelens.rocm.lib", hip.toString(), "statelens.hiprtc.lib",
        hip.toString(), "statelens.hipfft.lib", fftLib), () -> {
          GpuDriver d = dev.statelens.engine.backend.rocm.HipDriver.open();
          d.fft(); // looked up while the property is set
          return d;
        });
    return TemporaryProperties.call(Map.of("statelens.gpu.cacheDir", "none"),
        () -> new GpuBackend(new HipWithEmulatedKernels(hipDriver, new EmulatedDriver(cxx.get(), work))));
  }

  private static Array c(int... shape) {
    return Array.zeros(DType.C64, shape);
  }

  /** Each transform type, 1 to 3 axes, with batches; the IRFFT's input read again after it; a filter with kernels around. */
  static Map<String, Jaxpr> graphs() {
    Map<String, Jaxpr> m = new LinkedHashMap<>();
    m.put("fft over the last axis, batch 3", Transforms.makeJaxpr((Array z) -> FftPrims.fft(z, FftPrims.FFT, 16), c(3, 16)));
    m.put("ifft over two axes, batch 2", Transforms.makeJaxpr((Array z) -> FftPrims.fft(z, FftPrims.IFFT, 6, 5), c(2, 6, 5)));
    m.put("fft over three axes", Transforms.makeJaxpr((Array z) -> FftPrims.fft(z, FftPrims.FFT, 3, 4, 5), c(3, 4, 5)));
    m.put("rfft of odd and even lengths", Transforms.makeJaxpr((Array x, Array y) ->
        List.of(FftPrims.fft(x, FftPrims.RFFT, 12), FftPrims.fft(y, FftPrims.RFFT, 3, 7)), Array.zeros(4, 12), Array.zeros(2, 3, 7)));
    m.put("irfft, its input used again", Transforms.makeJaxpr((Array z) ->
        List.of(FftPrims.fft(z, FftPrims.IRFFT, 12), z.mul(2)), c(4, 7)));
    m.put("irfft over two axes, odd length", Transforms.makeJaxpr((Array z) -> FftPrims.fft(z, FftPrims.IRFFT, 4, 9), c(2, 4, 5)));
    m.put("a spectral filter: tanh, rfft, mode weights, irfft", Transforms.makeJaxpr((Array x, Array w) ->
        FftPrims.fft(FftPrims.fft(x.tanh(), FftPrims.RFFT, 16).mul(w), FftPrims.IRFFT, 16).sum(1), Array.zeros(5, 16), c(5, 9)));
    return m;
  }

  private static long ffts(Jaxpr j) {
    return j.eqns().stream().filter(e -> e.primitive().name().equals("fft")).count();
  }

  @Test
  void everyTransformRunsThroughHipfftAndMatchesTheCpu(@TempDir Path work) throws Exception {
    GpuBackend gpu = backend(hipfft.toString(), work);
    assertTrue(gpu.driver().fft().isPresent(), "the stand-in libhipfft did not load");
    assertTrue(gpu.driver().fft().get().name().startsWith("hipFFT ("), gpu.driver().fft().get().name());
    for (Map.Entry<String, Jaxpr> e : graphs().entrySet()) {
      Jaxpr j = e.getValue();
      List<Object> in = Reference.inputs(j, e.getKey().hashCode());
      List<Object> expected = Reference.run(Backends.cpu(), j, in);
      int execs = read("sl_hipfft_execs");
      List<Object> actual = Reference.run(gpu, j, in);
      assertEquals(ffts(j), read("sl_hipfft_execs") - execs, e.getKey() + ": hipFFT executions");
      for (int o = 0; o < expected.size(); o++) {
        assertNull(Reference.mismatch(j.outAvals().get(o), expected.get(o), actual.get(o), 1e-4, true),
            e.getKey() + " output " + o);
      }
      int plans = read("sl_hipfft_plans");
      Reference.run(gpu, j, in);
      assertEquals(plans, read("sl_hipfft_plans"), e.getKey() + ": a second call makes no new plan");
    }
  }

  /**
   * The backend's description ends with the FFT path as it does with the matmul path: the library,
   * or the host step and why (turned off, a forced library missing, a library without the plan call).
   */
  @Test
  void theDescriptionNamesTheFftPath() throws Exception {
    assertTrue(describe(Map.of("statelens.hipfft.lib", hipfft.toString())).endsWith(", fft: hipFFT (" + hipfft + "))"));
    assertTrue(describe(Map.of("statelens.hipfft.lib", hipfft.toString(), "statelens.gpu.fft", "false"))
        .endsWith(", fft: host step (vendor FFT disabled by -Dstatelens.gpu.fft=false))"));
    assertTrue(describe(Map.of("statelens.hipfft.lib", "/nonexistent/libhipfft.so"))
        .endsWith(", fft: host step (/nonexistent/libhipfft.so not found or not loadable (set by -Dstatelens.hipfft.lib)))"));
    assertTrue(describe(Map.of("statelens.hipfft.lib", hip.toString()))
        .endsWith(", fft: host step (" + hip + " has no hipfftPlanMany, hipfftExecC2C, hipfftExecR2C, hipfftExecC2R))"));
    // a library with the plan call but not every exec function: all the missing names, the whole path
    Path cc = FakeRuntimes.cc().orElseThrow();
    Path partial = FakeRuntimes.buildLibrary(cc, dir, "libhipfft-plan-only.so",
        "int hipfftPlanMany(void) { return 0; }\nint hipfftExecC2C(void) { return 0; }\n");
    assertTrue(describe(Map.of("statelens.hipfft.lib", partial.toString()))
        .endsWith(", fft: host step (" + partial + " has no hipfftExecR2C, hipfftExecC2R))"));
  }

  /** The rocm backend on the stand-in runtime, described while {@code props} are set (the FFT is looked up then). */
  private static String describe(Map<String, String> props) throws Exception {
    Map<String, String> all = new LinkedHashMap<>(props);
    all.put("statelens.rocm.lib", hip.toString());
    all.put("statelens.hiprtc.lib", hip.toString());
    all.put("statelens.gpu.cacheDir", "none");
    String d = TemporaryProperties.call(all, () -> Backends.select("rocm", n -> {}).toString());
    System.out.println("[gpu] " + d);
    return d;
  }

  @Test
  void withoutHipfftTheTransformsRunOnTheHost(@TempDir Path work) throws Exception {
    GpuBackend gpu = backend(dir.resolve("no-such-libhipfft.so").toString(), work);
    assertEquals(Optional.empty(), gpu.driver().fft());
    int execs = read("sl_hipfft_execs");
    for (Map.Entry<String, Jaxpr> e : graphs().entrySet()) {
      Jaxpr j = e.getValue();
      List<Object> in = Reference.inputs(j, e.getKey().hashCode());
      List<Object> expected = Reference.run(Backends.cpu(), j, in);
      List<Object> actual = Reference.run(gpu, j, in);
      for (int o = 0; o < expected.size(); o++) {
        assertNull(Reference.mismatch(j.outAvals().get(o), expected.get(o), actual.get(o), 1e-4, true),
            e.getKey() + " output " + o);
      }
    }
    assertEquals(execs, read("sl_hipfft_execs"));
  }

  @Test
  void theGeneratorPlansEachFftAndNormalizesOnlyInverses() {
    for (Map.Entry<String, Jaxpr> e : graphs().entrySet()) {
      for (GpuProgram.Step s : KernelGenerator.generate(e.getValue()).main().steps()) {
        if (s instanceof GpuProgram.Host h && h.eqn().primitive().name().equals("fft")) {
          GpuProgram.FftPlan p = h.fft();
          assertTrue(p != null, e.getKey());
          int type = h.eqn().params().getInt("fft_type");
          assertEquals(type == FftPrims.IFFT || type == FftPrims.IRFFT, p.normalize() != null, e.getKey());
        }
      }
    }
  }
}
