package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Special;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.BackendUnavailableException;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.ir.CallInlining;
import dev.statelens.engine.ir.Jaxpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a machine with a GPU: every primitive case, the complex64 cases, the examples' graphs and cond/scan/debug_print
 * run on the GPU backend ({@code cuda}, else {@code rocm}) and match the CPU backend (F32 1e-5
 * elementwise, 1e-4 for reductions/matmul, integers and PRNG bits identical; bf16/f16 bit for bit,
 * see {@link #sixteenBitCasesMatchTheCpuBackend}). Skips, naming the
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

  /** Primitives whose f32 result is the vendor's libm, which may be an ulp off the CPU's. */
  private static final java.util.Set<String> LIBM = java.util.Set.of("exp", "log", "log1p", "expm1", "tanh", "logistic",
      "sin", "cos", "sqrt", "rsqrt", "erf", "erfc", "erf_inv", "pow", "atan2", "rem", "div", "tan", "asin", "acos",
      "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "exp2", "lgamma", "digamma", "polygamma", "zeta", "cbrt", "igamma", "igammac",
      "igamma_grad_a", "random_gamma_grad", "regularized_incomplete_beta");

  /**
   * bf16/f16 ({@link SixteenBitCases}): bit for bit, as under emulation, except that a graph with a
   * libm function may be one 16-bit ulp off where the vendor's f32 result was an ulp off the CPU's.
   */
  @Test
  void sixteenBitCasesMatchTheCpuBackend() {
    assumeTrue(gpu != null, "no GPU backend loads here: " + why);
    List<String> mismatches = new ArrayList<>();
    long seed = 1;
    for (Map.Entry<String, Jaxpr> e : SixteenBitCases.device().entrySet()) {
      Jaxpr j = e.getValue();
      List<Object> in = SixteenBitKernelsTest.inputs(j, seed++);
      List<Object> expected = Reference.run(Backends.cpu(), j, in);
      List<Object> actual = Reference.run(gpu, j, in);
      boolean libm = j.eqns().stream().anyMatch(q -> LIBM.contains(q.primitive().name()));
      for (int o = 0; o < expected.size(); o++) {
        var aval = j.outAvals().get(o);
        String m = SixteenBitKernelsTest.bitMismatch(aval, expected.get(o), actual.get(o));
        if (m != null && libm && aval.dtype().is16BitFloat()) {
          m = withinOneUlp(aval.dtype(), (short[]) expected.get(o), (short[]) actual.get(o)) ? null : m;
        }
        if (m != null) {
          mismatches.add(e.getKey() + " output " + o + ": " + m);
        }
      }
    }
    assertTrue(mismatches.isEmpty(), mismatches.size() + " outputs differ:\n" + String.join("\n", mismatches));
  }

  private static boolean withinOneUlp(dev.statelens.engine.DType d, short[] a, short[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Float.isNaN(dev.statelens.engine.backend.HalfFloats.toFloat(d, a[i]))
          && Float.isNaN(dev.statelens.engine.backend.HalfFloats.toFloat(d, b[i]))) {
        continue;
      }
      int x = a[i] < 0 ? 0x8000 - (a[i] & 0xFFFF) : a[i]; // sign-magnitude to an ordered integer
      int y = b[i] < 0 ? 0x8000 - (b[i] & 0xFFFF) : b[i];
      if (Math.abs(x - y) > 1 && a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * complex64 device code: every {@link ComplexCases} graph (the arithmetic, the elementary
   * functions, sums, folds, scans, matmuls through cuBLAS/hipBLAS Cgemm) and the FFT graphs (cuFFT/hipFFT
   * where they load) at issue 7's tolerances,
   * and each elementary function on the edge grid of {@link ComplexKernelsTest} (NaN, infinities
   * and signed zeros exactly the CPU's, other parts within 1e-5 relative).
   */
  @Test
  void complexCasesMatchTheCpuBackend() {
    assumeTrue(gpu != null, "no GPU backend loads here: " + why);
    List<String> mismatches = new ArrayList<>();
    long seed = 100;
    for (Map.Entry<String, Jaxpr> e : ComplexCases.device().entrySet()) {
      check(e.getKey(), e.getValue(), seed++, mismatches);
    }
    for (Map.Entry<String, Jaxpr> e : HipfftStandInTest.graphs().entrySet()) { // cuFFT/hipFFT where they load
      check("fft: " + e.getKey(), e.getValue(), seed++, mismatches);
    }
    Map<String, Jaxpr> edges = new java.util.LinkedHashMap<>(ComplexKernelsTest.unary());
    ComplexKernelsTest.binary().forEach((name, j) -> edges.put(name, j));
    edges.forEach((name, j) -> {
      List<Object> in = j.invars().size() == 1 ? List.of(ComplexKernelsTest.grid())
          : List.of(ComplexKernelsTest.grid(), ComplexKernelsTest.shuffledGrid());
      float[] expected = (float[]) Reference.run(Backends.cpu(), j, in).get(0);
      float[] actual = (float[]) Reference.run(gpu, j, in).get(0);
      ComplexKernelsTest.compareParts(name, expected, actual, 1e-5, mismatches);
    });
    assertTrue(mismatches.isEmpty(), mismatches.size() + " outputs differ:\n" + String.join("\n", mismatches));
  }

  /**
   * Session 20's device code: expi/exp1/expn/hyp1f1, whose loops are one kernel each on the GPU
   * ({@link ElementwiseLoop}), on {@link ElementwiseLoopGpuTest}'s edge points, and f32 zeta (the
   * CPU's f32 steps with XLA's flushes) and polygamma on {@link SpecialGpuTest#zetaEdges}: NaN,
   * infinities and signed zeros exactly, finite values within F32 1e-5 and F64 1e-12 relative (the
   * device's libm and its fused multiply-adds move last bits; under g++ emulation they are bit for
   * bit). Prints how many were bit-exact and an A/B timing: exp1 of f32[65536] with the loop kernels
   * against the host-driven loops ({@code -Dstatelens.gpu.elementwiseLoops=false}).
   */
  @Test
  void specialLoopsAndF32ZetaMatchTheCpuBackend() {
    assumeTrue(gpu != null, "no GPU backend loads here: " + why);
    ElementwiseLoopGpuTest.EdgeOutcome loops = ElementwiseLoopGpuTest.againstCpu(gpu, 1e-5, 1e-12);
    System.out.println("[gpu] expi/exp1/expn/hyp1f1 edge values on the device: " + loops);
    List<String> mismatches = new ArrayList<>(loops.mismatches());
    List<Array> z = SpecialGpuTest.zetaEdges();
    int zetaExact = 0;
    for (int f = 0; f < 2; f++) {
      List<Array> args = f == 0 ? List.of(z.get(0), z.get(1)) : List.of(z.get(2), z.get(0));
      Function<List<Array>, Array> fn = f == 0 ? in -> Special.zeta(in.get(0), in.get(1))
          : in -> Special.polygamma(in.get(0).astype(DType.I32), in.get(1));
      Jaxpr j = CallInlining.inline(Transforms.makeJaxpr(fn, args)).dce();
      List<Object> host = List.of(args.get(0).toFloatArray(), args.get(1).toFloatArray());
      float[] expected = (float[]) Reference.run(Backends.cpu(), j, host).getFirst();
      float[] got = (float[]) Reference.run(gpu, j, host).getFirst();
      for (int i = 0; i < expected.length; i++) {
        float e = expected[i];
        float g = got[i];
        boolean bits = Float.isNaN(e) ? Float.isNaN(g) : Float.floatToRawIntBits(e) == Float.floatToRawIntBits(g);
        zetaExact += bits ? 1 : 0;
        boolean close = Float.isFinite(e) && e != 0 && Float.isFinite(g) && Math.abs((double) g - e) <= 1e-5 * Math.abs(e);
        if (!bits && !close) {
          mismatches.add((f == 0 ? "zeta(" : "polygamma(") + ((float[]) host.get(0))[i] + ", " + ((float[]) host.get(1))[i]
              + "): CPU " + e + ", device " + g);
        }
      }
    }
    System.out.println("[gpu] f32 zeta/polygamma edge pairs on the device: " + zetaExact + " of " + 2 * z.get(0).size()
        + " the CPU's bits");
    System.out.println("[gpu] exp1 f32[65536] per call: " + exp1Timing());
    assertTrue(mismatches.isEmpty(), mismatches.size() + " values differ:\n"
        + String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size()))));
  }

  /** Median wall time of 7 calls (after one warm-up) with the loop kernels, then with host-driven loops. */
  private static String exp1Timing() {
    float[] x = new float[1 << 16];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (1e-3 + 60.0 * i / x.length);
    }
    ElementwiseLoopGpuTest.Case c = new ElementwiseLoopGpuTest.Case(in -> Special.exp1(in.get(0)),
        List.of(Array.of(DType.F32, new int[] {x.length}, x)));
    dev.statelens.engine.trace.StagingTrace.Traced t = c.traced();
    Jaxpr j = t.jaxpr();
    List<Array> inputs = c.allInputs(t); // exp1's captured constants, then x
    List<dev.statelens.engine.ir.Var> vars = new ArrayList<>(j.constvars());
    vars.addAll(j.invars());
    List<Object> host = ElementwiseLoopGpuTest.hostArrays(inputs);
    StringBuilder out = new StringBuilder();
    for (String loops : List.of("true", "false")) {
      System.setProperty(ElementwiseLoop.PROPERTY, loops);
      try {
        dev.statelens.engine.backend.Executable exe = gpu.compile(j);
        List<dev.statelens.engine.backend.Buffer> in = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
          in.add(gpu.upload(vars.get(i).aval(), host.get(i)));
        }
        long[] ns = new long[8];
        for (int r = 0; r < ns.length; r++) {
          long t0 = System.nanoTime();
          gpu.download(exe.execute(in).getFirst());
          ns[r] = System.nanoTime() - t0;
        }
        long[] timed = java.util.Arrays.copyOfRange(ns, 1, ns.length);
        java.util.Arrays.sort(timed);
        out.append(loops.equals("true") ? "loop kernels " : ", host-driven loops ")
            .append(String.format("%.3f ms", timed[timed.length / 2] / 1e6));
      } finally {
        System.clearProperty(ElementwiseLoop.PROPERTY);
      }
    }
    return out.toString();
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
