package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Products;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * c64 {@code prod} ({@code reduce_prod}) in device code ({@link ComplexFolds#windowFoldBody} and
 * {@link ComplexFolds#plainFoldBody} with {@code sl_cmul}) against the CPU backend under {@link CpuEmulation} (g++), bit for bit, on the
 * shapes where XLA's window tree decides the rounding: one and two window levels, padding, windows
 * on two axes, a leading axis, short axes (a plain fold), and full reduces of 3000 elements (two window
 * passes) and of [70, 90] (windows on both axes). The running product (the order prod
 * had before) gives other bits on these inputs, so a device fold in that order would fail. Skips
 * without g++.
 */
class ComplexProductDeviceTest {

  @Test
  void prodFoldsInTheCpusWindowTree(@TempDir Path dir) throws Exception {
    Optional<Path> cxx = OfflineCompilers.onPath("g++").or(() -> OfflineCompilers.onPath("clang++"));
    assumeTrue(cxx.isPresent(), "no host C++ compiler (g++/clang++) to run the kernels under emulation");
    int[][] shapes = {{3, 33}, {2, 100}, {1100}, {40, 3, 50}, {40, 5}, {33, 20}, {7, 16}, {3000}, {70, 90}};
    int[][] axes = {{1}, {1}, {0}, {0, 2}, {0}, {0, 1}, {1}, {0}, {0, 1}};
    List<Jaxpr> graphs = new ArrayList<>();
    List<List<Object>> inputs = new ArrayList<>();
    for (int c = 0; c < shapes.length; c++) {
      int[] ax = axes[c];
      graphs.add(Transforms.makeJaxpr((Array x) -> x.prod(ax), Array.zeros(DType.C64, shapes[c])));
      inputs.add(List.of(nearOne(Arrays.stream(shapes[c]).reduce(1, Math::multiplyExact), c)));
    }
    List<GpuProgram> programs = graphs.stream().map(KernelGenerator::generate).toList();
    programs.forEach(p -> assertEquals(List.of(), KernelGenerator.hostSteps(p), "c64 prod runs on the device"));
    Path exe = dir.resolve("emu");
    assertNull(CpuEmulation.build(cxx.get(), CpuEmulation.source(programs), dir, exe), "the emulator did not build");
    CpuEmulation.runAll(exe, dir, programs, inputs);
    int orderMatters = 0;
    for (int k = 0; k < graphs.size(); k++) {
      Aval parts = Aval.of(DType.F32, 2 * graphs.get(k).outAvals().get(0).size());
      Object expected = Reference.run(Backends.cpu(), graphs.get(k), inputs.get(k)).get(0);
      Object actual = CpuEmulation.readOutputs(dir.resolve("p" + k), programs.get(k).main()).get(0);
      String label = "c64" + Arrays.toString(shapes[k]) + " over " + Arrays.toString(axes[k]);
      assertNull(SixteenBitKernelsTest.bitMismatch(parts, expected, actual), label);
      int[] ax = axes[k];
      Jaxpr running = Transforms.makeJaxpr((Array x) -> Products.lastRunningProduct(x, ax),
          Array.zeros(DType.C64, shapes[k]));
      if (SixteenBitKernelsTest.bitMismatch(parts, expected, Reference.run(Backends.cpu(), running, inputs.get(k)).get(0))
          != null) {
        orderMatters++;
      }
    }
    assertTrue(orderMatters > 0, "the inputs do not tell XLA's order from the running product's");
  }

  private static float[] nearOne(int n, long seed) {
    Random r = new Random(seed);
    float[] z = new float[2 * n];
    for (int i = 0; i < n; i++) {
      z[2 * i] = (float) (1 + 0.2 * r.nextGaussian());
      z[2 * i + 1] = (float) (0.2 * r.nextGaussian());
    }
    return z;
  }
}
