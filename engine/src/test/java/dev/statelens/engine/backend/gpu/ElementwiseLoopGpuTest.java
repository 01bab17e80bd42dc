package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Special;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.CallInlining;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Var;
import dev.statelens.engine.trace.StagingTrace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * expn's and hyp1f1's element-by-element loops ({@code ElementwiseWhile}) on the GPU backends:
 * each is one kernel ({@link ElementwiseLoop}: a thread per element, looping on its own) instead of
 * the host-driven while, and the whole functions give the CPU backend's bits under the emulated
 * driver (g++) on edge inputs — 0 and -0, negatives, tiny and huge arguments, the branch borders
 * (x = 1 for expn, |x| = 100 for hyp1f1, n = 5000), NaN, +-inf — in F32 and F64. A while that is
 * not guarded element by element stays host-driven and still matches.
 */
class ElementwiseLoopGpuTest {
  static Path dir;
  static GpuBackend gpu;

  @BeforeAll
  static void setUp() throws Exception {
    dir = Files.createTempDirectory("sl-emulated-loops");
    gpu = EmulatedDriver.withHostCompiler(dir).backend(false);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (dir != null) {
      CpuEmulation.deleteFolder(dir);
    }
  }

  static final double[] X = {0, -0.0, 1e-30, 1e-7, 1e-3, 0.25, 0.5, 0.999, 1, 1.0000001, 1.5, 2, 3.7, 10, 31.5, 64, 99.5,
      100, 150, 700, 1e4, 3e38, Double.POSITIVE_INFINITY, -1e-3, -0.5, -2, -40, -99.9, -100, -300,
      Double.NEGATIVE_INFINITY, Double.NaN};
  static final double[] N = {0, 1, 2, 3, 5, 12, 60, 5000, 6001, -1, 2.5, Double.NaN};
  static final double[] A = {0, 0.5, 1, 2.25, -2.5, 7, Double.NaN};
  static final double[] B = {0, 1.5, 1, 2.25, -0.5, 12};

  /** Every (first, second) pair, as two flat columns. */
  static double[][] pairs(double[] first, double[] second) {
    double[][] out = new double[2][first.length * second.length];
    int k = 0;
    for (double f : first) {
      for (double s : second) {
        out[0][k] = f;
        out[1][k++] = s;
      }
    }
    return out;
  }

  /** The graphs, as jit inlines them, with their inputs: expi, exp1, expn on (n, x) pairs, hyp1f1 on (a, b, x) triples. */
  static Map<String, Case> cases(DType dt) {
    Map<String, Case> m = new LinkedHashMap<>();
    Array x = Array.of(DType.F64, new int[] {X.length}, X).astype(dt);
    m.put("expi", new Case(in -> Special.expi(in.get(0)), List.of(x)));
    m.put("exp1", new Case(in -> Special.exp1(in.get(0)), List.of(x)));
    double[][] nx = pairs(N, X);
    m.put("expn", new Case(in -> Special.expn(in.get(0), in.get(1)),
        List.of(column(nx[0], dt), column(nx[1], dt))));
    double[][] ab = pairs(A, B);
    double[][] abx = {new double[ab[0].length * X.length], new double[ab[0].length * X.length], null};
    abx[2] = new double[abx[0].length];
    int k = 0;
    for (int p = 0; p < ab[0].length; p++) {
      for (double v : X) {
        abx[0][k] = ab[0][p];
        abx[1][k] = ab[1][p];
        abx[2][k++] = v;
      }
    }
    m.put("hyp1f1", new Case(in -> Special.hyp1f1(in.get(0), in.get(1), in.get(2)),
        List.of(column(abx[0], dt), column(abx[1], dt), column(abx[2], dt))));
    return m;
  }

  record Case(Function<List<Array>, Array> f, List<Array> inputs) {
    /** The graph as jit hands it to a backend (custom derivatives inlined), with its captured constants. */
    StagingTrace.Traced traced() {
      StagingTrace.Traced t = StagingTrace.traceFunction("loops", inputs.stream().map(Array::aval).toList(),
          in -> f.apply(in)).traced();
      return new StagingTrace.Traced(CallInlining.inline(t.jaxpr()).dce(), t.consts());
    }

    Jaxpr jaxpr() {
      return traced().jaxpr();
    }

    /** The constants, then the arguments: the graph's inputs in order. */
    List<Array> allInputs(StagingTrace.Traced t) {
      List<Array> all = new ArrayList<>(t.consts());
      all.addAll(inputs);
      return all;
    }
  }

  static Array column(double[] v, DType dt) {
    return Array.of(DType.F64, new int[] {v.length}, v).astype(dt);
  }

  /** The graphs of {@link #cases} in F32 and F64, for the compile check. */
  static Map<String, Jaxpr> graphs() {
    Map<String, Jaxpr> out = new LinkedHashMap<>();
    for (DType dt : List.of(DType.F32, DType.F64)) {
      cases(dt).forEach((name, c) -> out.put(name + " " + dt, c.jaxpr()));
    }
    return out;
  }

  @Test
  void expnAndHyp1f1LoopsAreOneKernelEachNotHostDrivenLoops() {
    Map<String, Integer> loops = Map.of("expi", 3, "exp1", 3, "expn", 3, "hyp1f1", 2);
    cases(DType.F32).forEach((name, c) -> {
      Jaxpr j = c.jaxpr();
      long whiles = j.eqns().stream().filter(e -> e.primitive().name().equals("while")).count();
      assertEquals((long) loops.get(name), whiles, name + ": while loops in the graph");
      for (Eqn e : j.eqns()) {
        if (e.primitive().name().equals("while")) {
          assertNotNull(ElementwiseLoop.of(e), name + ": an element-by-element loop not recognized:\n" + e);
        }
      }
      GpuProgram p = KernelGenerator.generate(j);
      assertEquals(List.of(), KernelGenerator.hostSteps(p), name + ": host steps");
      assertEquals(0, p.main().steps().stream().filter(s -> s instanceof GpuProgram.While).count(),
          name + ": host-driven loops left");
      long kernels = p.kernels().stream().filter(k -> k.name().contains("while_elementwise")).count();
      assertTrue(kernels >= 1 && kernels <= whiles, name + ": " + kernels + " loop kernels for " + whiles + " loops");
    });
  }

  /**
   * The loop kernels give, bit for bit, what the host-driven while gives on the same device: the
   * loops themselves change no value. The emulated device's libm is glibc's, so this holds for
   * every edge point, whatever the CPU backend's exp/pow do.
   */
  @Test
  void loopKernelsGiveTheHostDrivenLoopsBits() {
    List<String> mismatches = new ArrayList<>();
    int points = 0;
    for (DType dt : List.of(DType.F32, DType.F64)) {
      for (Map.Entry<String, Case> c : cases(dt).entrySet()) {
        StagingTrace.Traced t = c.getValue().traced();
        List<Array> in = c.getValue().allInputs(t);
        Object kernels = runOnDevice(t.jaxpr(), in);
        int kernelLaunches = lastLaunches;
        Object hostDriven;
        System.setProperty(ElementwiseLoop.PROPERTY, "false");
        try {
          assertEquals(3 - (c.getKey().equals("hyp1f1") ? 1 : 0), KernelGenerator.generate(t.jaxpr()).main().steps().stream()
              .filter(s -> s instanceof GpuProgram.While).count(), c.getKey() + ": switched off, the loops are host-driven");
          hostDriven = runOnDevice(t.jaxpr(), in);
          System.out.println("[gpu] " + c.getKey() + " " + dt + " over " + t.jaxpr().outAvals().getFirst()
              + ": " + kernelLaunches + " launches with loop kernels, " + lastLaunches + " host-driven");
          assertTrue(kernelLaunches < lastLaunches, c.getKey() + ": launches " + kernelLaunches + " vs " + lastLaunches);
        } finally {
          System.clearProperty(ElementwiseLoop.PROPERTY);
        }
        int n = t.jaxpr().outAvals().getFirst().size();
        points += n;
        for (int i = 0; i < n; i++) {
          double k = HostArrays.getDouble(kernels, dt, i);
          double h = HostArrays.getDouble(hostDriven, dt, i);
          if (!(Double.isNaN(k) ? Double.isNaN(h) : Double.doubleToRawLongBits(k) == Double.doubleToRawLongBits(h))) {
            mismatches.add(c.getKey() + " " + dt + " element " + i + ": host-driven " + h + ", kernel " + k);
          }
        }
      }
    }
    System.out.println("[gpu] loop kernels vs host-driven loops: " + points + " points, " + mismatches.size() + " differ");
    assertTrue(mismatches.isEmpty(), String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size()))));
  }

  @Test
  void aBadSwitchValueSaysWhichToUse() {
    System.setProperty(ElementwiseLoop.PROPERTY, "no");
    try {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> KernelGenerator.generate(cases(DType.F32).get("exp1").jaxpr()));
      assertTrue(e.getMessage().contains("-Dstatelens.gpu.elementwiseLoops=no is not a choice: use true"), e.getMessage());
    } finally {
      System.clearProperty(ElementwiseLoop.PROPERTY);
    }
  }

  /**
   * Against the CPU backend on the edge points: NaN, infinities and zeros (with their signs)
   * exactly, and most values bit for bit. What is left comes from outside the loops, from the
   * functions the CPU backend computes its own way: f32 {@code exp} is XLA's algorithm with XLA's
   * flush of subnormal results on the CPU and the device's {@code expf} on a GPU ({@code exp(64)} an
   * ulp apart; hyp1f1's {@code e^x} at x = -100 a subnormal on the device, 0 on the CPU, as JAX
   * flushes), and F64 {@code pow}/{@code exp}/{@code log} are Java's and glibc's, whose last-bit
   * differences expn's series amplifies by its cancellation (~15 ulps at n = 3, x near 1). Finite
   * values within F32 1e-6 and F64 1e-13 relative; a subnormal may stand where the CPU flushed to 0.
   */
  @Test
  void edgeValuesMatchTheCpuBackend() {
    EdgeOutcome o = againstCpu(gpu, 1e-6, 1e-13);
    System.out.println("[gpu] expi/exp1/expn/hyp1f1 edge values (emulated): " + o);
    assertTrue(o.mismatches().isEmpty(), o.mismatches().size() + " values differ from the CPU backend:\n"
        + String.join("\n", o.mismatches().subList(0, Math.min(40, o.mismatches().size()))));
    assertTrue(o.exact() > o.points() * 0.99, o.toString());
  }

  /** Edge points compared, how many were the CPU's bits, and those beyond the bar. */
  record EdgeOutcome(int points, int exact, List<String> mismatches) {
    @Override
    public String toString() {
      return points + " points (F32 and F64), " + exact + " the CPU's bits, " + mismatches.size() + " beyond the bar";
    }
  }

  /**
   * {@link #cases} in F32 and F64 on {@code device} against the CPU backend: NaN, infinities and
   * zeros (with their signs) exactly; finite values within {@code f32Tol}/{@code f64Tol} relative;
   * a subnormal where the CPU flushed to 0 (XLA's f32 exp on the CPU). Shared with
   * {@code GpuParityTest}, which runs it on a real GPU.
   */
  static EdgeOutcome againstCpu(Backend device, double f32Tol, double f64Tol) {
    List<String> mismatches = new ArrayList<>();
    int points = 0;
    int exact = 0;
    for (DType dt : List.of(DType.F32, DType.F64)) {
      double rtol = dt == DType.F32 ? f32Tol : f64Tol;
      double smallestNormal = dt == DType.F32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
      for (Map.Entry<String, Case> c : cases(dt).entrySet()) {
        StagingTrace.Traced t = c.getValue().traced();
        List<Array> in = c.getValue().allInputs(t);
        Object expected = Reference.run(Backends.cpu(), t.jaxpr(), hostArrays(in)).getFirst();
        Object got = run(device, t.jaxpr(), in);
        int n = t.jaxpr().outAvals().getFirst().size();
        points += n;
        for (int i = 0; i < n; i++) {
          double e = HostArrays.getDouble(expected, dt, i);
          double g = HostArrays.getDouble(got, dt, i);
          boolean bits = Double.isNaN(e) ? Double.isNaN(g) : Double.doubleToRawLongBits(e) == Double.doubleToRawLongBits(g);
          boolean close = Double.isFinite(e) && e != 0 && Double.isFinite(g) && Math.signum(e) == Math.signum(g)
              && Math.abs(g - e) <= rtol * Math.abs(e);
          boolean flushed = e == 0 && Math.abs(g) < smallestNormal && Math.copySign(1, e) == Math.copySign(1, g);
          exact += bits ? 1 : 0;
          if (!bits && !close && !flushed) {
            mismatches.add(c.getKey() + " " + dt + arguments(in, c.getValue().inputs().size(), dt, i) + ": CPU " + e
                + ", device code " + g);
          }
        }
      }
    }
    return new EdgeOutcome(points, exact, mismatches);
  }

  /** The function's arguments at element i (the last {@code args} inputs), for a message. */
  static String arguments(List<Array> in, int args, DType dt, int i) {
    List<Object> host = hostArrays(in.subList(in.size() - args, in.size()));
    StringBuilder s = new StringBuilder("(");
    for (Object h : host) {
      s.append(s.length() == 1 ? "" : ", ").append(HostArrays.getDouble(h, dt, i));
    }
    return s.append(')').toString();
  }

  static List<Object> hostArrays(List<Array> xs) {
    return xs.stream().map(x -> (Object) switch (x.dtype()) {
      case F64 -> x.toDoubleArray();
      case F32 -> x.toFloatArray();
      case BOOL -> x.toBooleanArray();
      default -> x.toIntArray();
    }).toList();
  }

  /** Kernels launched by the latest {@link #runOnDevice}. */
  static int lastLaunches;

  /** {@code j} on the emulated GPU backend; its first result as a host array. */
  static Object runOnDevice(Jaxpr j, List<Array> xs) {
    GpuExecutable exe = (GpuExecutable) gpu.compile(j);
    Object out = run(exe, gpu, j, xs);
    lastLaunches = exe.lastCallLaunches();
    return out;
  }

  /** {@code j} on {@code backend}; its first result as a host array. */
  static Object run(Backend backend, Jaxpr j, List<Array> xs) {
    return run(backend.compile(j), backend, j, xs);
  }

  private static Object run(dev.statelens.engine.backend.Executable exe, Backend backend, Jaxpr j, List<Array> xs) {
    List<Var> vars = new ArrayList<>(j.constvars());
    vars.addAll(j.invars());
    assertEquals(xs.size(), vars.size(), "constants and arguments are the inputs");
    List<Object> host = hostArrays(xs);
    List<Buffer> device = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      device.add(backend.upload(vars.get(i).aval(), host.get(i)));
    }
    return backend.download(exe.execute(device).getFirst());
  }

  /** A loop whose body does not select by the condition updates every element while any runs: host-driven, and right. */
  @Test
  void aLoopNotGuardedElementByElementStaysHostDriven() {
    Array start = Array.of(0f, 3f, 7f, 9.5f);
    Function<Array, Array> unguarded = x -> Lax.whileLoop((Array c) -> c.lt(10f).any(), (Array c) -> c.add(1f), x);
    // guarded, but by another predicate than the condition's: element i would stop at 5, not 10
    Function<Array, Array> otherGuard = x -> Lax.whileLoop((Array c) -> c.lt(10f).any(),
        (Array c) -> Array.where(c.lt(5f), c.add(1f), c.add(2f)), x);
    Function<Array, Array> guarded = x -> Lax.whileLoop((Array c) -> c.lt(10f).any(),
        (Array c) -> Array.where(c.lt(10f), c.add(1f), c), x);
    Map<String, Function<Array, Array>> fs = new LinkedHashMap<>();
    fs.put("unguarded", unguarded);
    fs.put("other guard", otherGuard);
    fs.put("guarded", guarded);
    List<String> mismatches = new ArrayList<>();
    fs.forEach((name, f) -> {
      Jaxpr j = CallInlining.inline(Transforms.makeJaxpr(f, start)).dce();
      Eqn loop = j.eqns().stream().filter(e -> e.primitive().name().equals("while")).findFirst().orElseThrow();
      boolean elementwise = name.equals("guarded");
      assertEquals(elementwise, ElementwiseLoop.of(loop) != null, name);
      long hostDriven = KernelGenerator.generate(j).main().steps().stream().filter(s -> s instanceof GpuProgram.While).count();
      assertEquals(elementwise ? 0 : 1, hostDriven, name + ": host-driven loops");
      float[] expected = (float[]) Reference.run(Backends.cpu(), j, List.of(start.toFloatArray())).getFirst();
      float[] got = (float[]) runOnDevice(j, List.of(start));
      if (!java.util.Arrays.equals(expected, got)) {
        mismatches.add(name + ": CPU " + java.util.Arrays.toString(expected) + ", device " + java.util.Arrays.toString(got));
      }
    });
    assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
  }
}
