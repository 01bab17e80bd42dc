package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The complex64 elementary functions in device code ({@link ComplexDeviceMath}) against the CPU
 * backend's ({@code ComplexMath}), under {@link CpuEmulation} (g++), on the values where complex
 * functions go wrong: every pair of {0, -0, +-1e-30, +-1e-3, +-1, +-2.5, +-40, +-3e38, +-inf, NaN}
 * (the branch cuts of log, sqrt and pow along the negative real axis with +0 and -0 imaginary
 * parts, overflow of sinh/cosh/exp, poles, infinities, NaNs). A special part (NaN, an infinity, a
 * zero with its sign) must be the CPU's exactly; a finite nonzero part may differ by
 * {@link #ULPS} f32 ulps, where glibc's double libm and Java's round differently before the
 * single rounding to f32, or by an ulp of the result's larger part where it is what is left of a
 * cancellation. Skips without g++.
 */
class ComplexKernelsTest {
  /** The finite, nonzero parts' distance allowed from the CPU's, in f32 ulps. */
  static final int ULPS = 1;

  static final float[] VALUES = {0f, -0f, 1e-30f, -1e-30f, 1e-3f, -1e-3f, 1f, -1f, 2.5f, -2.5f, 40f, -40f, 3e38f, -3e38f,
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};

  /** Every (re, im) pair of {@link #VALUES}, interleaved. */
  static float[] grid() {
    float[] z = new float[2 * VALUES.length * VALUES.length];
    int k = 0;
    for (float re : VALUES) {
      for (float im : VALUES) {
        z[k++] = re;
        z[k++] = im;
      }
    }
    return z;
  }

  /** The grid's exponents for pow: the same pairs in another order, so each z meets many w. */
  static float[] shuffledGrid() {
    float[] g = grid();
    int n = g.length / 2;
    float[] w = new float[g.length];
    for (int i = 0; i < n; i++) {
      int j = (int) ((i * 37L + 11) % n); // 37 is prime to n = 289
      w[2 * i] = g[2 * j];
      w[2 * i + 1] = g[2 * j + 1];
    }
    return w;
  }

  static Map<String, Jaxpr> unary() {
    Map<String, UnaryOperator<Array>> f = new LinkedHashMap<>();
    f.put("exp", Array::exp);
    f.put("expm1", Array::expm1);
    f.put("log", Array::log);
    f.put("log1p", Array::log1p);
    f.put("sqrt", Array::sqrt);
    f.put("rsqrt", Array::rsqrt);
    f.put("sin", Array::sin);
    f.put("cos", Array::cos);
    f.put("tan", Array::tan);
    f.put("sinh", Array::sinh);
    f.put("cosh", Array::cosh);
    f.put("tanh", Array::tanh);
    f.put("sign", Array::sign);
    f.put("abs", Array::abs);
    f.put("square", Array::square);
    Array z = Array.zeros(DType.C64, VALUES.length * VALUES.length);
    Map<String, Jaxpr> m = new LinkedHashMap<>();
    f.forEach((name, fn) -> m.put(name, Transforms.makeJaxpr((Array x) -> fn.apply(x), z)));
    return m;
  }

  static Map<String, Jaxpr> binary() {
    Map<String, BinaryOperator<Array>> f = new LinkedHashMap<>();
    f.put("pow", Array::pow);
    f.put("div", Array::div);
    f.put("mul", Array::mul);
    Array z = Array.zeros(DType.C64, VALUES.length * VALUES.length);
    Map<String, Jaxpr> m = new LinkedHashMap<>();
    f.forEach((name, fn) -> m.put(name, Transforms.makeJaxpr((Array x, Array y) -> fn.apply(x, y), z, z)));
    return m;
  }

  @Test
  void everyFunctionHasDeviceCode() {
    unary().forEach((name, j) -> assertEquals(List.of(), KernelGenerator.hostSteps(KernelGenerator.generate(j)), name));
    binary().forEach((name, j) -> assertEquals(List.of(), KernelGenerator.hostSteps(KernelGenerator.generate(j)), name));
  }

  @Test
  void edgeValuesGiveTheCpuBackendsParts(@TempDir Path dir) throws Exception {
    Optional<Path> cxx = OfflineCompilers.onPath("g++").or(() -> OfflineCompilers.onPath("clang++"));
    assumeTrue(cxx.isPresent(), "no host C++ compiler (g++/clang++) to run the kernels under emulation");
    List<String> labels = new ArrayList<>();
    List<Jaxpr> graphs = new ArrayList<>();
    List<List<Object>> inputs = new ArrayList<>();
    unary().forEach((name, j) -> {
      labels.add(name);
      graphs.add(j);
      inputs.add(List.of(grid()));
    });
    binary().forEach((name, j) -> {
      labels.add(name);
      graphs.add(j);
      inputs.add(List.of(grid(), shuffledGrid()));
    });
    List<GpuProgram> programs = graphs.stream().map(KernelGenerator::generate).toList();
    Path exe = dir.resolve("emu");
    assertNull(CpuEmulation.build(cxx.get(), CpuEmulation.source(programs), dir, exe), "the emulator did not build");
    CpuEmulation.runAll(exe, dir, programs, inputs);
    List<String> mismatches = new ArrayList<>();
    int inexact = 0;
    for (int k = 0; k < programs.size(); k++) {
      float[] expected = (float[]) Reference.run(Backends.cpu(), graphs.get(k), inputs.get(k)).get(0);
      float[] actual = (float[]) CpuEmulation.readOutputs(dir.resolve("p" + k), programs.get(k).main()).get(0);
      inexact += compareParts(labels.get(k), expected, actual, 0, mismatches);
    }
    System.out.println("[gpu] complex edge values: " + programs.size() + " functions x " + VALUES.length * VALUES.length
        + " points; " + inexact + " parts not bit-exact (within " + ULPS + " ulp), " + mismatches.size() + " beyond");
    assertTrue(mismatches.isEmpty(), mismatches.size() + " parts differ from the CPU backend:\n" + String.join("\n", mismatches));
  }

  /**
   * Compares function {@code label}'s parts on the {@link #grid} ({@code expected} the CPU's) and
   * adds each difference beyond the bar to {@code mismatches}; returns how many parts were not
   * bit-exact. A special part (NaN, an infinity, a signed zero) must be the CPU's exactly; a
   * finite nonzero one may be {@link #ULPS} ulps off, or {@code relTol} relative (0 under
   * emulation; issue 7's 1e-5 on a GPU, whose double libm and fma contraction differ from Java's),
   * or, where it is the remnant of a cancellation ({@code pow(-1e-30+2.5j, 40)}: im =
   * |w| sin(20 pi + tiny), noise in both), within an ulp of the result's larger part.
   */
  static int compareParts(String label, float[] expected, float[] actual, double relTol, List<String> mismatches) {
    float[] z = grid();
    boolean complexOut = expected.length == z.length;
    int inexact = 0;
    for (int i = 0; i < expected.length; i++) {
      int d = distance(expected[i], actual[i]);
      if (d != 0) {
        inexact++;
      }
      float other = complexOut ? expected[i ^ 1] : 0f;
      boolean ordinary = Float.isFinite(expected[i]) && Float.isFinite(actual[i]) && expected[i] != 0 && actual[i] != 0;
      double err = Math.abs((double) actual[i] - expected[i]);
      boolean withinNorm = ordinary && Float.isFinite(other)
          && err <= Math.ulp(Math.max(Math.abs(expected[i]), Math.abs(other)));
      boolean withinRel = ordinary && err <= relTol * Math.abs(expected[i]);
      if (d > ULPS && !withinNorm && !withinRel) {
        int e = complexOut ? i / 2 : i;
        mismatches.add(label + "(" + z[2 * e] + (z[2 * e + 1] < 0 || 1 / z[2 * e + 1] < 0 ? "" : "+")
            + z[2 * e + 1] + "j) " + (complexOut ? (i % 2 == 0 ? "re" : "im") : "") + ": CPU " + expected[i]
            + ", device code " + actual[i]);
      }
    }
    return inexact;
  }

  /**
   * A complex sum adds each part exactly as the f32 sum adds it (same loop, same order, the
   * serial loop for short rows and the block tree for long ones), so its parts are, bit for bit,
   * the f32 sums of {@code real(z)} and {@code imag(z)}; and the folds and scans that are exact
   * on the CPU (max/min with NaNs and signed zeros, cumsum, cumprod) give the CPU's bits on the
   * edge grid.
   */
  @Test
  void sumsFoldsAndScansGiveTheCpusBits(@TempDir Path dir) throws Exception {
    Optional<Path> cxx = OfflineCompilers.onPath("g++").or(() -> OfflineCompilers.onPath("clang++"));
    assumeTrue(cxx.isPresent(), "no host C++ compiler (g++/clang++) to run the kernels under emulation");
    int n = VALUES.length;
    Jaxpr sums = Transforms.makeJaxpr((Array z) -> List.of(z.sum(1), z.real().sum(1), z.imag().sum(1), z.sum(),
        z.real().sum(), z.imag().sum()), Array.zeros(DType.C64, 3, 500));
    Jaxpr folds = Transforms.makeJaxpr((Array z) -> List.of(z.max(1), z.min(0), z.max(), z.min(), z.cumsum(1),
        z.cumprod(0)), Array.zeros(DType.C64, n, n));
    List<GpuProgram> programs = List.of(KernelGenerator.generate(sums), KernelGenerator.generate(folds));
    programs.forEach(p -> assertEquals(List.of(), KernelGenerator.hostSteps(p)));
    java.util.Random r = new java.util.Random(5);
    float[] z = new float[2 * 3 * 500];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(5) - 2));
    }
    List<List<Object>> inputs = List.of(List.of(z), List.of(grid()));
    Path exe = dir.resolve("emu");
    assertNull(CpuEmulation.build(cxx.get(), CpuEmulation.source(programs), dir, exe), "the emulator did not build");
    CpuEmulation.runAll(exe, dir, programs, inputs);

    List<Object> s = CpuEmulation.readOutputs(dir.resolve("p0"), programs.get(0).main());
    for (int c = 0; c < 2; c++) { // per row and over all: rows of 500 > 64 take the block tree
      float[] complexSum = (float[]) s.get(3 * c);
      float[] re = (float[]) s.get(3 * c + 1);
      float[] im = (float[]) s.get(3 * c + 2);
      for (int i = 0; i < re.length; i++) {
        assertEquals(Float.floatToIntBits(re[i]), Float.floatToIntBits(complexSum[2 * i]), "real part of sum " + c + "[" + i + "]");
        assertEquals(Float.floatToIntBits(im[i]), Float.floatToIntBits(complexSum[2 * i + 1]), "imaginary part of sum " + c + "[" + i + "]");
      }
    }
    List<Object> expected = Reference.run(Backends.cpu(), folds, inputs.get(1));
    List<Object> actual = CpuEmulation.readOutputs(dir.resolve("p1"), programs.get(1).main());
    String[] names = {"max over axis 1", "min over axis 0", "max", "min", "cumsum", "cumprod"};
    for (int o = 0; o < names.length; o++) {
      assertNull(SixteenBitKernelsTest.bitMismatch(Aval.of(DType.F32, 2 * folds.outAvals().get(o).size()),
          expected.get(o), actual.get(o)), names[o]); // the interleaved parts, bit for bit
    }
  }

  /**
   * A c64 cumprod on the device folds in the CPU's order ({@code ComplexScanTree}: XLA's block tree
   * of 16, each fold from 1, reversed scans folding each suffix front to back, the last block
   * padded with 1s), forwards and reversed, for lines of one level (5), two (17) and three (300):
   * every part the CPU's bits, on lines of near-unit random values with the edge values mixed in
   * and on the edge grid itself (infinities and NaNs, where the order decides NaN or inf).
   */
  @Test
  void cumprodFoldsInTheCpusTreeOrderForwardsAndReversed(@TempDir Path dir) throws Exception {
    Optional<Path> cxx = OfflineCompilers.onPath("g++").or(() -> OfflineCompilers.onPath("clang++"));
    assumeTrue(cxx.isPresent(), "no host C++ compiler (g++/clang++) to run the kernels under emulation");
    float[] edges = grid();
    java.util.Random r = new java.util.Random(11);
    List<GpuProgram> programs = new ArrayList<>();
    List<List<Object>> inputs = new ArrayList<>();
    List<Jaxpr> graphs = new ArrayList<>();
    for (int n : new int[] {5, 17, 300}) {
      float[] z = new float[2 * 3 * n]; // rows: near-unit values, the same with edge values mixed in, edge values
      for (int k = 0; k < n; k++) {
        for (int part = 0; part < 2; part++) {
          float near = (float) ((part == 0 ? 1 : 0) + 0.3 * r.nextGaussian());
          z[2 * k + part] = near;
          z[2 * (n + k) + part] = k % 7 == 3 ? edges[(2 * (5 * k) + part) % edges.length] : near;
          z[2 * (2 * n + k) + part] = edges[(2 * k + part) % edges.length];
        }
      }
      for (boolean reverse : new boolean[] {false, true}) {
        Jaxpr j = Transforms.makeJaxpr((Array x) -> dev.statelens.engine.ir.ArrayPrims.CUMPROD.bind1(
            dev.statelens.engine.ir.Params.of("axis", 1, "reverse", reverse), x), Array.zeros(DType.C64, 3, n));
        GpuProgram p = KernelGenerator.generate(j);
        assertEquals(List.of(), KernelGenerator.hostSteps(p));
        graphs.add(j);
        programs.add(p);
        inputs.add(List.of(z));
      }
    }
    Path exe = dir.resolve("emu");
    assertNull(CpuEmulation.build(cxx.get(), CpuEmulation.source(programs), dir, exe), "the emulator did not build");
    CpuEmulation.runAll(exe, dir, programs, inputs);
    for (int c = 0; c < programs.size(); c++) {
      Object expected = Reference.run(Backends.cpu(), graphs.get(c), inputs.get(c)).get(0);
      Object actual = CpuEmulation.readOutputs(dir.resolve("p" + c), programs.get(c).main()).get(0);
      assertNull(SixteenBitKernelsTest.bitMismatch(Aval.of(DType.F32, 2 * graphs.get(c).outAvals().get(0).size()),
          expected, actual), "cumprod " + graphs.get(c).outAvals().get(0) + (c % 2 == 1 ? " reversed" : ""));
    }
  }

  /**
   * 0 for the same bits (any NaN equals any NaN); for two finite nonzero floats of one sign their
   * distance in ulps; else (a special value against anything else) {@link Integer#MAX_VALUE}.
   */
  static int distance(float expected, float actual) {
    if (Float.floatToIntBits(expected) == Float.floatToIntBits(actual)) {
      return 0;
    }
    boolean ordinary = Float.isFinite(expected) && Float.isFinite(actual) && expected != 0 && actual != 0
        && (expected > 0) == (actual > 0);
    if (!ordinary) {
      return Integer.MAX_VALUE;
    }
    return Math.abs(Float.floatToIntBits(expected) - Float.floatToIntBits(actual));
  }
}
