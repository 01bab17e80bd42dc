package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import dev.statelens.engine.Special;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.CallInlining;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Var;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The special-function primitives on the GPU backend (the emulated driver): the device functions
 * of {@link SpecialDeviceFunctions} against the CPU backend's {@code SpecialFunctions}, on inputs
 * spread over each function's domain (tails, both sides of the series / continued-fraction
 * switch, the reflection), F32 and F64. The device's libm may differ from Java's in the last bit,
 * which the loops can carry a few ulps further: F64 within 1e-12, F32 within 1e-6, relative.
 * With them the gradient of a gamma draw in its shape compiles with no host step and matches.
 */
class SpecialGpuTest {
  static Path dir;
  static GpuBackend gpu;

  @BeforeAll
  static void setUp() throws Exception {
    dir = Files.createTempDirectory("sl-emulated-special");
    gpu = EmulatedDriver.withHostCompiler(dir).backend(false);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (dir != null) {
      CpuEmulation.deleteFolder(dir);
    }
  }

  /** 48 values in (-1, 1) (a scrambled sine), which each case maps into its function's domain. */
  private static Array unit(DType dt) {
    double[] v = new double[48];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.sin(i * 1.7 + 0.3);
    }
    return Array.of(DType.F64, new int[] {48}, v).astype(dt);
  }

  private static void matchesCpu(String label, Function<Array, Array> f, Array x, double rtol) {
    matchesCpu(label, (List<Array> xs) -> f.apply(xs.getFirst()), List.of(x), rtol);
  }

  /** {@code f}'s graph, its host inputs, and its first output from the CPU backend and from the device code. */
  private record Outputs(Jaxpr graph, List<Object> host, Object expected, Object got) {}

  /** Stages {@code f} on {@code xs} (all of it device kernels, the arguments its only inputs) and runs it on both. */
  private static Outputs runOnBoth(String label, Function<List<Array>, Array> f, List<Array> xs) {
    Jaxpr j = CallInlining.inline(Transforms.makeJaxpr(f, xs)).dce();
    assertEquals(List.of(), KernelGenerator.hostSteps(KernelGenerator.generate(j)), label + ": host steps");
    List<Var> vars = new ArrayList<>(j.constvars());
    vars.addAll(j.invars());
    assertEquals(xs.size(), vars.size(), label + ": the arguments are the only inputs");
    List<Object> host = new ArrayList<>();
    List<Buffer> device = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      Array x = xs.get(i);
      Object h = switch (x.dtype()) {
        case F64 -> x.toDoubleArray();
        case F32 -> x.toFloatArray();
        default -> x.toIntArray();
      };
      host.add(h);
      device.add(gpu.upload(vars.get(i).aval(), h));
    }
    Object expected = Reference.run(Backends.cpu(), j, host).getFirst();
    Object got = gpu.download(gpu.compile(j).execute(device).getFirst());
    return new Outputs(j, host, expected, got);
  }

  private static void matchesCpu(String label, Function<List<Array>, Array> f, List<Array> xs, double rtol) {
    Outputs out = runOnBoth(label, f, xs);
    Jaxpr j = out.graph();
    Object expected = out.expected();
    Object got = out.got();
    DType dt = j.outAvals().getFirst().dtype();
    int n = j.outAvals().getFirst().size();
    int finite = 0;
    for (int i = 0; i < n; i++) {
      double e = HostArrays.getDouble(expected, dt, i);
      double g = HostArrays.getDouble(got, dt, i);
      if (Double.isFinite(e)) {
        finite++;
      }
      assertTrue(e == g || (Double.isNaN(e) && Double.isNaN(g)) || Math.abs(g - e) <= rtol * Math.abs(e),
          label + " " + dt + " element " + i + ": CPU " + e + ", device " + g);
    }
    assertTrue(finite > n / 2, label + ": most inputs should be inside the domain (" + finite + " of " + n + ")");
  }

  @Test
  void specialFunctionsMatchTheCpuBackend() {
    for (DType dt : List.of(DType.F32, DType.F64)) {
      double tol = dt == DType.F64 ? 1e-12 : 1e-6;
      Array u = unit(dt);
      matchesCpu("lgamma", t -> Special.lgamma(t.mul(12).add(3)), u, tol);       // (-9, 15): reflection and poles' sides
      matchesCpu("digamma", t -> Special.digamma(t.mul(12).add(3)), u, tol);
      matchesCpu("polygamma(1)", t -> Special.polygamma(1, t.mul(4).add(4.5)), u, tol);
      matchesCpu("zeta", t -> Special.zeta(t.mul(3).add(4), t.mul(t).mul(20).add(0.3)), u, tol);
      matchesCpu("erfc", t -> Special.erfc(t.mul(9)), u, tol);
      matchesCpu("igamma", t -> Special.gammainc(t.mul(t).mul(30).add(0.05), t.add(1).mul(15)), u, tol);
      matchesCpu("igammac", t -> Special.gammaincc(t.mul(t).mul(30).add(0.05), t.add(1).mul(15)), u, tol);
      matchesCpu("igamma_grad_a", t -> Special.igammaGradA(t.mul(t).mul(30).add(0.05), t.add(1).mul(15)), u, tol);
      matchesCpu("random_gamma_grad", t -> Special.randomGammaGrad(t.mul(t).mul(30).add(0.05), t.add(1).mul(15)), u,
          tol);
      matchesCpu("betainc", t -> Special.betainc(t.mul(t).mul(8).add(0.2), t.add(1).mul(5).add(0.1), t.add(1).mul(0.5)),
          u, tol);
    }
  }

  /**
   * f32 zeta on the device is the CPU's f32 steps with XLA's subnormal flushes
   * ({@code SpecialFunctions.zetaF32}), so every pair of an edge grid — the pole at x = 1 and just
   * past it, x < 1, q at and around the non-positive integers, subnormal x and q, overflow of
   * {@code (q + 10)^2} and {@code (x + 22)(x + 21)} past 3.4e38 (JAX's NaN at {@code zeta(1e20, 1e38)}),
   * the flushed tail of {@code zeta(1e15, 1.38e12)}, NaN and infinities — gives the CPU's bits (any
   * NaN for a NaN); f32 polygamma, which the CPU computes in double, too.
   */
  @Test
  void f32ZetaAndPolygammaGiveTheCpusBitsOnEdges() {
    List<Array> edges = zetaEdges();
    Array xa = edges.get(0);
    Array qa = edges.get(1);
    Array n = edges.get(2);
    int points = xa.size();
    List<String> mismatches = new ArrayList<>();
    bitsMatchCpu("zeta", (List<Array> in) -> Special.zeta(in.get(0), in.get(1)), List.of(xa, qa), mismatches);
    bitsMatchCpu("polygamma", (List<Array> in) -> Special.polygamma(in.get(0).astype(DType.I32), in.get(1)), List.of(n, xa), mismatches);
    assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + 2 * points + " differ:\n"
        + String.join("\n", mismatches.subList(0, Math.min(30, mismatches.size()))));
  }

  /**
   * zeta's f32 edge pairs (x, q) and an order 0..6 per pair for polygamma: the pole at x = 1 and
   * just past it, x < 1, q at and around the non-positive integers, subnormal x and q, overflow
   * past 3.4e38, NaN, infinities. {@code GpuParityTest} runs them on a real GPU.
   */
  static List<Array> zetaEdges() {
    float[] xs = {1f, Math.nextUp(1f), 1.5f, 2f, 2.0000002f, 3f, 4.5f, 10f, 31f, 1e15f, 1e18f, 1e19f, 1e20f, 1e38f,
        Float.POSITIVE_INFINITY, Float.NaN, 0.5f, 0f, -0f, -1f, -2f, 1e-40f, -1e-40f};
    float[] qs = {1f, 0.5f, 1e-3f, 1e-40f, -1e-40f, 0f, -0f, -1f, -2f, -2.5f, -7.25f, 3f, 100f, 1e10f, 1.38e12f, 1e20f,
        1e38f, 3e38f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
    float[] x = new float[xs.length * qs.length];
    float[] q = new float[x.length];
    int k = 0;
    for (float a : xs) {
      for (float b : qs) {
        x[k] = a;
        q[k++] = b;
      }
    }
    Array xa = Array.of(DType.F32, new int[] {x.length}, x);
    Array qa = Array.of(DType.F32, new int[] {q.length}, q);
    float[] orders = new float[x.length];
    for (int i = 0; i < orders.length; i++) {
      orders[i] = i % 7;
    }
    Array n = Array.of(DType.F32, new int[] {x.length}, orders);
    return List.of(xa, qa, n);
  }

  private static void bitsMatchCpu(String label, Function<List<Array>, Array> f, List<Array> xs, List<String> mismatches) {
    Outputs out = runOnBoth(label, f, xs);
    List<Object> host = out.host();
    float[] expected = (float[]) out.expected();
    float[] got = (float[]) out.got();
    for (int i = 0; i < expected.length; i++) {
      boolean same = Float.isNaN(expected[i]) ? Float.isNaN(got[i])
          : Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(got[i]);
      if (!same) {
        mismatches.add(label + "(" + ((float[]) host.get(0))[i] + ", " + ((float[]) host.get(1))[i] + "): CPU "
            + expected[i] + ", device code " + got[i]);
      }
    }
  }

  @Test
  void gammaGradientRunsOnTheDevice() {
    Key key = Random.key(42);
    Array a = Array.of(DType.F32, new int[] {6}, 0.3f, 0.9f, 1.5f, 2.5f, 7f, 40f);
    // the key is an argument (a captured one would be a constant of the graph)
    matchesCpu("grad gamma", (List<Array> in) -> Transforms.grad((Array t) ->
        Random.gamma(new Key(in.get(0)), t, null, DType.F32).sum()).apply(in.get(1)), List.of(key.keyData(), a), 1e-5);
  }
}
