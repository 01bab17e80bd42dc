package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.BackendUnavailableException;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.ir.Jaxpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a machine with a GPU: every primitive case, the examples' graphs and cond/scan/debug_print
 * run on the GPU backend ({@code cuda}, else {@code rocm}) and match the CPU backend (F32 1e-5
 * elementwise, 1e-4 for reductions/matmul, integers and PRNG bits identical). Skips, naming the
 * reason, where no GPU backend loads: no device is lent to CI.
 */
class GpuParityTest {
  static Backend gpu;
  static String why;

  @BeforeAll
  static void load() {
    List<String> reasons = new ArrayList<>();
    for (String name : List.of("cuda", "rocm")) {
      try {
        gpu = Backends.select(name, n -> {});
        System.out.println("[gpu] parity on " + gpu);
        return;
      } catch (BackendUnavailableException e) {
        reasons.add(e.getMessage());
      }
    }
    why = String.join("; ", reasons);
  }

  private static void check(String label, Jaxpr j, long seed, List<String> mismatches) {
    List<Object> in = Reference.inputs(j, seed);
    List<Object> expected;
    try {
      expected = Reference.run(Backends.cpu(), j, in);
    } catch (RuntimeException e) {
      return; // no CPU reference (see EmulatedKernelsTest)
    }
    List<Object> actual = Reference.run(gpu, j, in);
    for (int o = 0; o < expected.size(); o++) {
      String m = Reference.mismatch(j, o, expected.get(o), actual.get(o));
      if (m != null) {
        mismatches.add(label + " output " + o + ": " + m + "\n    " + j.toString().replace('\n', ' '));
      }
    }
  }

  @Test
  void everyPrimitiveMatchesTheCpuBackend() {
    assumeTrue(gpu != null, "no GPU backend loads here: " + why);
    List<String> mismatches = new ArrayList<>();
    long seed = 1;
    for (Map.Entry<String, List<Jaxpr>> e : PrimitiveCases.all().entrySet()) {
      for (Jaxpr j : e.getValue()) {
        check(e.getKey(), j, seed++, mismatches);
      }
    }
    assertTrue(mismatches.isEmpty(), mismatches.size() + " outputs differ:\n" + String.join("\n", mismatches));
  }

  @Test
  void examplesGraphsMatchTheCpuBackend() {
    assumeTrue(gpu != null, "no GPU backend loads here: " + why);
    List<String> mismatches = new ArrayList<>();
    check("linreg update", ExampleGraphs.linregUpdate(), 11, mismatches);
    check("mlp step", ExampleGraphs.mlpStep(), 12, mismatches);
    check("matmul", ExampleGraphs.matmul(1000, 300, 700), 13, mismatches);
    check("sampling", ExampleGraphs.sampling(), 14, mismatches);
    assertTrue(mismatches.isEmpty(), mismatches.size() + " outputs differ:\n" + String.join("\n", mismatches));
  }
}
