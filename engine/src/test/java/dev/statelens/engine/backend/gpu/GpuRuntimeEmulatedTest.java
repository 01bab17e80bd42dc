package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.backend.Executable;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GPU runtime ({@link GpuBackend}, {@link GpuExecutable}, buffers and their lifetimes) end to
 * end on {@link EmulatedDriver}: kernels compiled by g++ and launched through FFM on host memory.
 * Covers what the kernel-level emulation cannot: aliases, literal and pass-through outputs, cond,
 * scan, while, host steps, eager execution, state threaded through steps, and freeing of intermediates.
 */
class GpuRuntimeEmulatedTest {
  static Path dir;
  static EmulatedDriver driver;
  static GpuBackend gpu;

  @BeforeAll
  static void setUp() throws Exception {
    dir = Files.createTempDirectory("sl-emulated");
    driver = EmulatedDriver.withHostCompiler(dir);
    gpu = driver.backend(false);
  }

  @Test
  void thePoolServesRepeatedStepsWithoutNewAllocations() {
    GpuBackend pooled = driver.backend(true);
    Jaxpr j = ExampleGraphs.mlpStep();
    List<Object> in = Reference.inputs(j, 3);
    List<Var> vars = new ArrayList<>(j.constvars());
    vars.addAll(j.invars());
    List<Buffer> inputs = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      inputs.add(pooled.upload(vars.get(i).aval(), in.get(i)));
    }
    Executable step = pooled.compile(j);
    step.execute(inputs).forEach(b -> ((GpuBuffer) b).close());
    long mallocs = driver.mallocs();
    for (int t = 0; t < 5; t++) {
      step.execute(inputs).forEach(b -> ((GpuBuffer) b).close());
    }
    assertEquals(mallocs, driver.mallocs(), "steps after the first must reuse pooled device memory");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    CpuEmulation.deleteFolder(dir);
  }

  /** Runs j on the emulated GPU and the CPU, compares, and checks every intermediate was freed. */
  private static void matchesCpu(String label, Jaxpr j) {
    List<Object> in = Reference.inputs(j, label.hashCode());
    List<Object> expected = Reference.run(Backends.cpu(), j, in);
    java.util.Set<Long> before = driver.livePointers();
    List<Var> vars = new ArrayList<>(j.constvars());
    vars.addAll(j.invars());
    List<GpuBuffer> inputs = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      inputs.add(gpu.upload(vars.get(i).aval(), in.get(i)));
    }
    List<Buffer> out = gpu.compile(j).execute(new ArrayList<>(inputs));
    for (int o = 0; o < expected.size(); o++) {
      assertEquals(j.outAvals().get(o), out.get(o).aval(), label + " output " + o + " type");
      assertNull(Reference.mismatch(j, o, expected.get(o), gpu.download(out.get(o))), label + " output " + o);
    }
    out.forEach(b -> ((GpuBuffer) b).close());
    inputs.forEach(GpuBuffer::close);
    java.util.Set<Long> left = driver.livePointers();
    left.removeAll(before); // buffers of other tests may be freed meanwhile by the Cleaner; none may be added
    assertEquals(java.util.Set.of(), left, label + ": device memory left allocated after the call");
  }

  @Test
  void controlFlowHostStepsAndExamples() {
    var cases = PrimitiveCases.all();
    matchesCpu("cond", cases.get("cond").get(0));
    matchesCpu("scan", cases.get("scan").get(0));
    matchesCpu("while", cases.get("while").get(0));
    matchesCpu("debug_print", cases.get("debug_print").get(0));
    matchesCpu("reshape", cases.get("reshape").get(3));
    matchesCpu("linreg", ExampleGraphs.linregUpdate());
    matchesCpu("mlp", ExampleGraphs.mlpStep());
    matchesCpu("sampling", ExampleGraphs.sampling());
    matchesCpu("row writer", ExampleGraphs.rowWriter());
    matchesCpu("cnn step", ExampleGraphs.cnnStep());
    matchesCpu("fno step", ExampleGraphs.fnoStep()); // complex64: rfft, irfft as host steps; complex einsums, sums on the device
  }

  /**
   * while(limit, step, i, x) runs i &lt; limit ? (i + 1, x + step) on the device: the host reads
   * the cond's bool each check, so a call launches the cond once per check and the body once
   * per trip, and frees every iteration's buffers.
   */
  @Test
  void whileRunsItsOwnTripCountDrivenFromTheHost() {
    GpuExecutable loop = (GpuExecutable) gpu.compile(PrimitiveCases.all().get("while").get(0));
    int[] launches = new int[3];
    int[][] limitAndStart = {{3, 3}, {4, 3}, {7, 2}}; // 0, 1 and 5 trips
    for (int k = 0; k < 3; k++) {
      int limit = limitAndStart[k][0];
      int start = limitAndStart[k][1];
      java.util.Set<Long> before = driver.livePointers();
      List<GpuBuffer> in = List.of(gpu.upload(Aval.scalar(DType.I32), new int[] {limit}),
          gpu.upload(Aval.of(DType.F32, 3), new float[] {1f, 2f, 0.5f}),
          gpu.upload(Aval.scalar(DType.I32), new int[] {start}),
          gpu.upload(Aval.of(DType.F32, 3), new float[] {10f, 0f, -1f}));
      List<Buffer> out = loop.execute(new ArrayList<>(in));
      launches[k] = loop.lastCallLaunches();
      int trips = Math.max(0, limit - start);
      assertEquals(Math.max(limit, start), ((int[]) gpu.download(out.get(0)))[0], "i after " + trips + " trips");
      org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {10f + trips, 2f * trips, -1f + 0.5f * trips},
          (float[]) gpu.download(out.get(1)), "x after " + trips + " trips");
      out.forEach(b -> ((GpuBuffer) b).close());
      in.forEach(GpuBuffer::close);
      java.util.Set<Long> left = driver.livePointers();
      left.removeAll(before);
      assertEquals(java.util.Set.of(), left, "device memory left allocated after " + trips + " trips");
    }
    assertEquals(1, launches[0], "zero trips: the cond runs once");
    int body = launches[1] - 2;
    org.junit.jupiter.api.Assertions.assertTrue(body >= 1, "the body launches kernels: " + launches[1]);
    assertEquals(6 + 5 * body, launches[2], "five trips: six checks and five bodies");
  }

  @Test
  void theLaunchCounterCountsKernelsPerCall() {
    for (Jaxpr j : List.of(ExampleGraphs.linregUpdate(), ExampleGraphs.mlpStep())) {
      List<Object> in = Reference.inputs(j, 11);
      List<Var> vars = new ArrayList<>(j.constvars());
      vars.addAll(j.invars());
      List<Buffer> inputs = new ArrayList<>();
      for (int i = 0; i < vars.size(); i++) {
        inputs.add(gpu.upload(vars.get(i).aval(), in.get(i)));
      }
      GpuExecutable step = (GpuExecutable) gpu.compile(j);
      long planned = step.program().main().steps().stream().filter(s -> s instanceof GpuProgram.Launch).count();
      long total = gpu.launches();
      long driverLaunches = driver.launches();
      step.execute(inputs).forEach(b -> ((GpuBuffer) b).close());
      step.execute(inputs).forEach(b -> ((GpuBuffer) b).close());
      System.out.println("[gpu] launches per call: " + step.lastCallLaunches() + " for " + j.outAvals().size() + "-output step");
      assertEquals(planned, step.lastCallLaunches());
      assertEquals(2 * planned, gpu.launches() - total);
      assertEquals(2 * planned, driver.launches() - driverLaunches, "the emulated driver has no BLAS: every launch is a kernel");
      inputs.forEach(b -> ((GpuBuffer) b).close());
    }
  }

  @Test
  void fusionCasesMatchTheCpu() {
    FusionCases.all().forEach((label, j) -> matchesCpu(label, j));
  }

  @Test
  void passThroughAndLiteralOutputs() {
    Var x = new Var(Aval.of(DType.F32, 3));
    Jaxpr j = new Jaxpr(List.of(), List.of(x), List.of(), List.of(x, new Literal(Aval.scalar(DType.I32), -7), x));
    matchesCpu("pass-through", j);
  }

  @Test
  void eagerPrimitivesRunOnTheDevice() {
    Buffer a = gpu.upload(Aval.of(DType.F32, 4), new float[] {1, 2, 3, 4});
    Buffer b = gpu.upload(Aval.of(DType.F32, 4), new float[] {10, 20, 30, 40});
    long launches = driver.launches();
    List<Buffer> sum = gpu.execute(Prims.ADD, Params.EMPTY, List.of(a, b), List.of(Aval.of(DType.F32, 4)));
    List<Buffer> again = gpu.execute(Prims.ADD, Params.EMPTY, List.of(sum.get(0), b), List.of(Aval.of(DType.F32, 4)));
    assertEquals(launches + 2, driver.launches());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {21, 42, 63, 84}, (float[]) gpu.download(again.get(0)));
  }

  @Test
  void stateThreadedThroughJittedStepsStaysOnTheDevice() {
    Jaxpr j = ExampleGraphs.linregUpdate();
    Executable step = gpu.compile(j);
    Executable cpuStep = Backends.cpu().compile(j);
    List<Object> in = Reference.inputs(j, 5);
    Backend cpu = Backends.cpu();
    List<Buffer> cpuState = List.of(cpu.upload(Aval.scalar(DType.F32), in.get(0)), cpu.upload(Aval.scalar(DType.F32), in.get(1)));
    Buffer cx = cpu.upload(j.invars().get(2).aval(), in.get(2));
    Buffer cy = cpu.upload(j.invars().get(3).aval(), in.get(3));
    List<Buffer> state = List.of(gpu.upload(Aval.scalar(DType.F32), in.get(0)), gpu.upload(Aval.scalar(DType.F32), in.get(1)));
    Buffer x = gpu.upload(j.invars().get(2).aval(), in.get(2));
    Buffer y = gpu.upload(j.invars().get(3).aval(), in.get(3));
    long downloads = driver.copiesToHost();
    for (int t = 0; t < 50; t++) {
      state = step.execute(List.of(state.get(0), state.get(1), x, y));
      cpuState = cpuStep.execute(List.of(cpuState.get(0), cpuState.get(1), cx, cy));
    }
    assertEquals(downloads, driver.copiesToHost(), "parameters were copied back during the loop");
    for (int k = 0; k < 2; k++) {
      assertNull(Reference.mismatch(Aval.scalar(DType.F32), cpu.download(cpuState.get(k)), gpu.download(state.get(k)), 1e-5, false));
    }
  }

  @Test
  void arraysMadeOnTheCpuBackendAreCopiedIn() {
    Jaxpr j = dev.statelens.engine.Transforms.makeJaxpr((Array v) -> v.mul(v), Array.zeros(3));
    List<Buffer> out = gpu.compile(j).execute(List.of(Backends.cpu().upload(Aval.of(DType.F32, 3), new float[] {1, 2, 3})));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 4, 9}, (float[]) gpu.download(out.get(0)));
  }
}
