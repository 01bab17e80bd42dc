package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Primitive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's proof of the GPU path without a GPU: the generator's output for every standard primitive
 * (every dtype it accepts, bf16/f16 from {@link SixteenBitCases}) and for the examples' graphs compiles with the device compilers that
 * are installed: ROCm's hipcc for gfx90a and NVIDIA's nvcc for sm_90. Each compiler's test skips,
 * saying why, when that compiler is absent.
 */
class KernelCompileCheckTest {
  static List<GpuProgram> programs;
  static List<String> labels;

  @BeforeAll
  static void generate() {
    programs = new ArrayList<>();
    labels = new ArrayList<>();
    for (Map.Entry<String, List<Jaxpr>> e : PrimitiveCases.all().entrySet()) {
      for (Jaxpr j : e.getValue()) {
        programs.add(KernelGenerator.generate(j));
        labels.add(e.getKey() + ": " + j.toString().replace('\n', ' '));
      }
    }
    for (Jaxpr j : List.of(ExampleGraphs.linregUpdate(), ExampleGraphs.mlpStep(), ExampleGraphs.matmul(512, 256, 384),
        ExampleGraphs.sampling(), ExampleGraphs.classifierStep(), ExampleGraphs.rowWriter(),
        ExampleGraphs.cnnStep())) {
      programs.add(KernelGenerator.generate(j));
      labels.add("example graph");
    }
    FusionCases.all().forEach((label, j) -> {
      programs.add(KernelGenerator.generate(j));
      labels.add("fusion: " + label);
    });
    ComplexCases.device().forEach((label, j) -> {
      programs.add(KernelGenerator.generate(j));
      labels.add("complex: " + label);
    });
    ElementwiseLoopGpuTest.graphs().forEach((label, j) -> { // expn's and hyp1f1's loops as kernels
      programs.add(KernelGenerator.generate(j));
      labels.add("loops: " + label);
    });
    SixteenBitCases.device().forEach((label, j) -> {
      programs.add(KernelGenerator.generate(j));
      labels.add("16-bit: " + label);
    });
    // the FFT graphs: their fft steps are host steps unless cuFFT/hipFFT loads, and the inverses'
    // normalizing kernels and the kernels around them must compile
    fftPrograms = HipfftStandInTest.graphs().values().stream().map(KernelGenerator::generate).toList();
  }

  static List<GpuProgram> fftPrograms;

  @Test
  void everyStandardPrimitiveHasACase() {
    TreeSet<String> missing = new TreeSet<>();
    Map<String, List<Jaxpr>> cases = PrimitiveCases.all();
    for (Primitive p : PrimitiveCases.standardPrimitives()) {
      if (!cases.containsKey(p.name())) {
        missing.add(p.name());
      }
    }
    assertTrue(missing.isEmpty(), "primitives without a GPU compile-check case (add them to PrimitiveCases): " + missing);
  }

  @Test
  void onlyDebugPrintRunsOnTheHost() {
    TreeSet<String> host = new TreeSet<>();
    for (GpuProgram p : programs) {
      host.addAll(KernelGenerator.hostSteps(p));
    }
    assertEquals(new TreeSet<>(List.of("debug_print")), host,
        "standard primitives must have device code; only debug_print prints from the host");
  }

  @Test
  void compilesWithHipccForGfx90a(@TempDir Path dir) throws Exception {
    check(OfflineCompilers.hipcc(), "hipcc (apt-get install hipcc libamdhip64-dev)", dir);
  }

  @Test
  void compilesWithNvccForSm90(@TempDir Path dir) throws Exception {
    check(OfflineCompilers.nvcc(), "nvcc (the CUDA toolkit; installed on the GPU machine)", dir);
  }

  private static void check(Optional<OfflineCompilers.Compiler> compiler, String what, Path dir) throws Exception {
    assumeTrue(compiler.isPresent(), what + " is not installed here; the kernels are not compile-checked with it");
    OfflineCompilers.Compiler c = compiler.get();
    List<GpuProgram> all = new ArrayList<>(programs);
    all.addAll(fftPrograms);
    String source = OfflineCompilers.combine(all);
    OfflineCompilers.Result r = OfflineCompilers.compile(c, source, dir);
    System.out.println("[gpu] " + c.name() + " compiled " + all.size() + " programs ("
        + all.stream().mapToInt(p -> p.kernels().size()).sum() + " kernels, " + source.length()
        + " chars) in " + r.millis() + " ms");
    assertEquals(0, r.exitCode(), c.name() + " rejected the generated source:\n" + tail(r.output()));
  }

  private static String tail(String s) {
    return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
  }
}
