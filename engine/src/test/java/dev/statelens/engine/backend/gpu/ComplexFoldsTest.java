package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
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
 * The c64 folds whose order decides the answer ({@link ComplexFolds}) against the CPU backend under
 * {@link CpuEmulation} (g++), bit for bit: {@code reduce_max/min} past 32 elements on an axis (XLA
 * CPU's window tree, {@code backend/cpu/ComplexReduceTree}; a window pass a launch, one thread per
 * window, so a full reduce runs in parallel) and {@code cummax/cummin} (the
 * reduce-window rewriter's block tree, {@code ComplexScanTree}). The inputs are parts drawn from
 * {-2, -1, -0, 0, 1, 2, +-inf, NaN} — ties on one part, NaN parts that make the lexicographic fold
 * non-associative, signed zeros — and each test first checks that a plain in-order fold gives
 * another answer on them somewhere, so a device fold in the wrong order would fail it. Skips
 * without g++.
 */
class ComplexFoldsTest {
  private static final float[] PARTS = {-2f, -1f, -0f, 0f, 1f, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
      Float.NaN};

  /** {@code n} interleaved c64 values: mostly small ties and signed zeros, a NaN part in about one in 12. */
  static float[] edgyValues(int n, long seed) {
    Random r = new Random(seed);
    float[] z = new float[2 * n];
    for (int i = 0; i < z.length; i++) {
      int pick = r.nextInt(24);
      z[i] = pick < 22 ? PARTS[pick % 6] : PARTS[6 + r.nextInt(3)];
    }
    return z;
  }

  private record Case(String label, Jaxpr graph, float[] input, List<float[]> inOrder) {}

  @Test
  void maxAndMinPastThirtyTwoFoldInXlasWindowTree(@TempDir Path dir) throws Exception {
    // axes: one window level with padding (33, 100), two levels (1100), windows on two axes with
    // a kept axis between, a windowed leading axis, a windowed axis next to a whole (20) one
    int[][] shapes = {{3, 33}, {2, 100}, {1100}, {40, 3, 50}, {40, 5}, {33, 20}, {7, 32}};
    int[][] axes = {{1}, {1}, {0}, {0, 2}, {0}, {0, 1}, {1}};
    List<Case> cases = new ArrayList<>();
    for (int c = 0; c < shapes.length; c++) {
      int[] shape = shapes[c];
      int[] ax = axes[c];
      float[] z = edgyValues(Arrays.stream(shape).reduce(1, Math::multiplyExact), 100 + c);
      Jaxpr j = Transforms.makeJaxpr((Array x) -> List.of(x.max(ax), x.min(ax)), Array.zeros(DType.C64, shape));
      cases.add(new Case("c64" + Arrays.toString(shape) + " over " + Arrays.toString(ax), j, z,
          List.of(rowMajorFold(z, shape, ax, true), rowMajorFold(z, shape, ax, false))));
    }
    compareWithTheCpu(cases, dir);
  }

  @Test
  void fullReducesRunAWindowPassPerLevelOneThreadPerWindow(@TempDir Path dir) throws Exception {
    // all axes: two window passes (5000 -> 157 -> 5), windows on two axes (70 x 90 -> 3 x 3), a
    // windowed axis between whole ones (3 x 40 x 20 -> 1 x 2 x 1), exactly one window (32, plain)
    int[][] shapes = {{5000}, {70, 90}, {3, 40, 20}, {32}};
    List<Case> cases = new ArrayList<>();
    for (int c = 0; c < shapes.length; c++) {
      int[] shape = shapes[c];
      int[] all = java.util.stream.IntStream.range(0, shape.length).toArray();
      float[] z = edgyValues(Arrays.stream(shape).reduce(1, Math::multiplyExact), 200 + c);
      Jaxpr j = Transforms.makeJaxpr((Array x) -> List.of(x.max(), x.min()), Array.zeros(DType.C64, shape));
      cases.add(new Case("c64" + Arrays.toString(shape) + " over all axes", j, z,
          List.of(rowMajorFold(z, shape, all, true), rowMajorFold(z, shape, all, false))));
    }
    // the launches: one per window pass and one for the outputs; the first pass has a thread per window
    long[][] threadsPerLaunch = {{157, 5, 1}, {9, 1}, {2, 1}, {1}};
    for (int c = 0; c < shapes.length; c++) {
      List<Long> threads = new ArrayList<>();
      for (GpuProgram.Step step : KernelGenerator.generate(cases.get(c).graph()).main().steps()) {
        if (step instanceof GpuProgram.Launch l && l.kernel().contains("reduce_max")) {
          threads.add((long) l.grid()[0] * l.block()[0]);
        }
      }
      assertEquals(threadsPerLaunch[c].length, threads.size(), cases.get(c).label() + ": launches " + threads);
      for (int k = 0; k < threads.size(); k++) {
        long want = threadsPerLaunch[c][k];
        assertTrue(threads.get(k) >= want && threads.get(k) < want + KernelGenerator.BLOCK,
            cases.get(c).label() + ": launch " + k + " runs " + threads.get(k) + " threads for " + want + " windows/outputs");
      }
    }
    compareWithTheCpu(cases, dir);
  }

  @Test
  void cummaxAndCumminFoldInTheCpusBlockTreeForwardsAndReversed(@TempDir Path dir) throws Exception {
    List<Case> cases = new ArrayList<>();
    for (int n : new int[] {5, 17, 300}) { // one, two and three levels of blocks of 16
      for (boolean reverse : new boolean[] {false, true}) {
        float[] z = edgyValues(3 * n, n + (reverse ? 1 : 0));
        Jaxpr j = Transforms.makeJaxpr((Array x) -> List.of(Lax.cummax(x, 1, reverse), Lax.cummin(x, 1, reverse)),
            Array.zeros(DType.C64, 3, n));
        cases.add(new Case("c64[3," + n + "] along axis 1" + (reverse ? " reversed" : ""), j, z,
            List.of(inOrderScan(z, 3, n, reverse, true), inOrderScan(z, 3, n, reverse, false))));
      }
    }
    // along a leading axis (the lines strided in memory)
    float[] z = edgyValues(40 * 2, 7);
    Jaxpr j = Transforms.makeJaxpr((Array x) -> List.of(Lax.cummax(x, 0, false), Lax.cummin(x, 0, true)),
        Array.zeros(DType.C64, 40, 2));
    cases.add(new Case("c64[40,2] along axis 0", j, z, List.of()));
    compareWithTheCpu(cases, dir);
  }

  /**
   * Every case's outputs through the generated kernels (no host step) equal the CPU backend's bit
   * for bit, and somewhere the CPU's answer is not the plain in-order fold's.
   */
  private static void compareWithTheCpu(List<Case> cases, Path dir) throws Exception {
    Optional<Path> cxx = OfflineCompilers.onPath("g++").or(() -> OfflineCompilers.onPath("clang++"));
    assumeTrue(cxx.isPresent(), "no host C++ compiler (g++/clang++) to run the kernels under emulation");
    List<GpuProgram> programs = cases.stream().map(c -> KernelGenerator.generate(c.graph())).toList();
    programs.forEach(p -> assertEquals(List.of(), KernelGenerator.hostSteps(p), "c64 folds run on the device"));
    Path exe = dir.resolve("emu");
    assertNull(CpuEmulation.build(cxx.get(), CpuEmulation.source(programs), dir, exe), "the emulator did not build");
    CpuEmulation.runAll(exe, dir, programs, cases.stream().map(c -> List.<Object>of(c.input())).toList());
    int orderMatters = 0;
    for (int k = 0; k < cases.size(); k++) {
      Case c = cases.get(k);
      List<Object> expected = Reference.run(Backends.cpu(), c.graph(), List.of(c.input()));
      List<Object> actual = CpuEmulation.readOutputs(dir.resolve("p" + k), programs.get(k).main());
      for (int o = 0; o < expected.size(); o++) {
        Aval parts = Aval.of(DType.F32, 2 * c.graph().outAvals().get(o).size());
        assertNull(SixteenBitKernelsTest.bitMismatch(parts, expected.get(o), actual.get(o)), c.label() + " output " + o);
        if (o < c.inOrder().size() && SixteenBitKernelsTest.bitMismatch(parts, expected.get(o), c.inOrder().get(o)) != null) {
          orderMatters++;
        }
      }
    }
    System.out.println("[gpu] c64 ordered folds: " + cases.size() + " graphs bit for bit with the CPU; " + orderMatters
        + " outputs where an in-order fold would differ");
    assertTrue(orderMatters > 0, "the inputs do not tell XLA's order from an in-order fold");
  }

  /** XLA's complex max step {@code acc > x ? acc : x} (min: {@code <}) keeps the accumulator. */
  private static boolean keeps(float aRe, float aIm, float bRe, float bIm, boolean max) {
    return max ? aRe > bRe || (aRe == bRe && aIm > bIm) : aRe < bRe || (aRe == bRe && aIm < bIm);
  }

  /** The reduce as one plain fold per output over its elements in row-major order (no windows). */
  static float[] rowMajorFold(float[] z, int[] shape, int[] axes, boolean max) {
    int rank = shape.length;
    boolean[] reduced = new boolean[rank];
    for (int a : axes) {
      reduced[a] = true;
    }
    int outputs = 1;
    for (int d = 0; d < rank; d++) {
      outputs *= reduced[d] ? 1 : shape[d];
    }
    float[] r = new float[2 * outputs];
    for (int o = 0; o < outputs; o++) {
      r[2 * o] = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    }
    int[] coord = new int[rank];
    for (int i = 0; i < z.length / 2; i++) {
      int o = 0;
      for (int d = 0; d < rank; d++) {
        o = reduced[d] ? o : o * shape[d] + coord[d];
      }
      if (!keeps(r[2 * o], r[2 * o + 1], z[2 * i], z[2 * i + 1], max)) {
        r[2 * o] = z[2 * i];
        r[2 * o + 1] = z[2 * i + 1];
      }
      for (int d = rank - 1; d >= 0 && ++coord[d] == shape[d]; d--) {
        coord[d] = 0;
      }
    }
    return r;
  }

  /** The scan of each row of {@code [rows, n]} as one running fold (from the end when reversed). */
  static float[] inOrderScan(float[] z, int rows, int n, boolean reverse, boolean max) {
    float[] r = new float[z.length];
    for (int row = 0; row < rows; row++) {
      float re = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
      float im = 0f;
      for (int s = 0; s < n; s++) {
        int i = row * n + (reverse ? n - 1 - s : s);
        if (!keeps(re, im, z[2 * i], z[2 * i + 1], max)) {
          re = z[2 * i];
          im = z[2 * i + 1];
        }
        r[2 * i] = re;
        r[2 * i + 1] = im;
      }
    }
    return r;
  }
}
