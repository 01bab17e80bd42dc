package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.ir.Jaxpr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated kernels compute what the CPU backend computes: every primitive case and the
 * examples' graphs run through {@link CpuEmulation} (the kernels compiled by the host C++
 * compiler under an emulation of the CUDA/HIP thread model) and are compared with the CPU
 * backend at issue 7's tolerances. Skips when no C++20 compiler is installed.
 */
class EmulatedKernelsTest {

  @Test
  void generatedKernelsMatchTheCpuBackend(@TempDir Path dir) throws Exception {
    Optional<Path> cxx = OfflineCompilers.onPath("g++").or(() -> OfflineCompilers.onPath("clang++"));
    assumeTrue(cxx.isPresent(), "no host C++ compiler (g++/clang++) to run the kernels under emulation");
    List<Jaxpr> graphs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (ExampleGraphs.Labeled g : ExampleGraphs.corpus()) {
      graphs.add(g.graph());
      labels.add(g.label());
    }
    FusionCases.all().forEach((label, j) -> {
      graphs.add(j);
      labels.add("fusion: " + label);
    });
    ComplexCases.device().forEach((label, j) -> {
      graphs.add(j);
      labels.add("complex: " + label);
    });

    List<GpuProgram> programs = new ArrayList<>();
    List<Integer> index = new ArrayList<>();
    for (int i = 0; i < graphs.size(); i++) {
      GpuProgram p = KernelGenerator.generate(graphs.get(i));
      if (CpuEmulation.supports(p)) {
        programs.add(p);
        index.add(i);
      }
    }
    Path exe = dir.resolve("emu");
    String failure = CpuEmulation.build(cxx.get(), CpuEmulation.source(programs), dir, exe);
    assertNull(failure, "the emulator did not build");

    List<List<Object>> inputs = new ArrayList<>();
    for (int k = 0; k < programs.size(); k++) {
      Jaxpr j = graphs.get(index.get(k));
      List<Object> in = Reference.inputs(j, 1000 + k);
      inputs.add(in);
    }
    CpuEmulation.runAll(exe, dir, programs, inputs);

    List<String> mismatches = new ArrayList<>();
    List<String> noReference = new ArrayList<>();
    for (int k = 0; k < programs.size(); k++) {
      Jaxpr j = graphs.get(index.get(k));
      List<Object> expected;
      try {
        expected = Reference.run(Backends.cpu(), j, inputs.get(k));
      } catch (RuntimeException e) {
        // the CPU backend failing leaves nothing to compare with
        noReference.add(labels.get(index.get(k)) + " " + j.inAvals() + ": " + e.getMessage());
        continue;
      }
      List<Object> actual = CpuEmulation.readOutputs(dir.resolve("p" + k), programs.get(k).main());
      for (int o = 0; o < expected.size(); o++) {
        String m = Reference.mismatch(j, o, expected.get(o), actual.get(o));
        if (m != null) {
          mismatches.add(labels.get(index.get(k)) + " output " + o + ": " + m + "\n    " + j.toString().replace('\n', ' '));
        }
      }
    }
    System.out.println("[gpu] emulated " + programs.size() + " of " + graphs.size() + " programs; "
        + mismatches.size() + " mismatches; no CPU reference for " + noReference);
    assertTrue(noReference.isEmpty(), "the CPU backend failed on: " + noReference);
    assertTrue(programs.size() >= graphs.size() - 4, "only cond, scan, while and debug_print may be left out");
    assertTrue(mismatches.isEmpty(), mismatches.size() + " outputs differ from the CPU backend:\n" + String.join("\n", mismatches));
  }
}
