package dev.statelens.engine.backend.gpu;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.testing.TemporaryProperties;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rocm backend's hipBLAS path without AMD hardware: the real {@code RocmProvider} →
 * {@code HipDriver} → {@code GpuBackend}/{@code GpuExecutable} → {@code Hipblas} chain, all its FFM
 * bindings included, against stand-in C libraries built here ({@link FakeRuntimes#HIP_HOST_MEMORY},
 * whose device memory is host memory and whose hiprtc compiles nothing, and
 * {@link FakeRuntimes#HIPBLAS}, a column-major sgemm that checks its arguments as hipBLAS does).
 * So a matmul that gives the CPU's numbers here went through {@code hipblasSgemm} with the right
 * operation codes, sizes and leading dimensions on device pointers, and nothing else: any kernel
 * would have failed to compile. One test adds the generated kernels (compiled by g++ as in
 * {@link EmulatedDriver}) on the same stand-in device memory, for a graph that alternates kernels
 * and hipBLAS calls. What only AMD hardware shows (rocBLAS's own results and speed, handles on a
 * real device) is not covered.
 */
class HipblasStandInTest {
  static Path cc;
  static Path dir;
  static Path hip;
  static Path hipblas;
  static Backend rocm;
  static SymbolLookup hipblasSymbols;
  static SymbolLookup hipSymbols;

  @BeforeAll
  static void build() throws Exception {
    cc = FakeRuntimes.cc().orElse(null);
    assumeTrue(cc != null, "no C compiler (cc/gcc/clang) to build the stand-in libamdhip64 and libhipblas");
    dir = Files.createTempDirectory("sl-hipblas");
    hip = FakeRuntimes.buildLibrary(cc, dir, "libamdhip64.so", FakeRuntimes.HIP_HOST_MEMORY);
    hipblas = FakeRuntimes.buildLibrary(cc, dir, "libhipblas.so", FakeRuntimes.HIPBLAS, hip);
    hipSymbols = SymbolLookup.libraryLookup(hip, Arena.global());
    hipblasSymbols = SymbolLookup.libraryLookup(hipblas, Arena.global());
    rocm = rocm(Map.of());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    CpuEmulation.deleteFolder(dir);
  }

  /**
   * The rocm backend on the stand-ins, selected as a user selects it. The hipBLAS look-up happens
   * in the description, inside the properties' scope (it is otherwise done on the first matmul).
   */
  private static Backend rocm(Map<String, String> extra) throws Exception {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("statelens.rocm.lib", hip.toString());
    props.put("statelens.hiprtc.lib", hip.toString());
    props.put("statelens.hipblas.lib", hipblas.toString());
    props.put("statelens.gpu.cacheDir", "none");
    props.putAll(extra);
    return TemporaryProperties.call(props, () -> {
      Backend b = Backends.select("rocm", n -> {});
      System.out.println("[gpu] " + b);
      return b;
    });
  }

  private static MemorySegment global(SymbolLookup lib, String name) {
    return lib.find(name).orElseThrow().reinterpret(4);
  }

  private static int read(SymbolLookup lib, String name) {
    return global(lib, name).get(JAVA_INT, 0);
  }

  /** {@code lhs · rhs} contracting lhs axis {@code lc} with rhs axis {@code rc}, traced from the public API. */
  private static Jaxpr dot(int m, int k, int n, boolean transA, boolean transB) {
    Array a = transA ? Array.zeros(k, m) : Array.zeros(m, k);
    Array b = transB ? Array.zeros(n, k) : Array.zeros(k, n);
    int[] lc = {transA ? 0 : 1};
    int[] rc = {transB ? 1 : 0};
    return Transforms.makeJaxpr((Array x, Array y) -> Array.dotGeneral(x, y, lc, rc, new int[0], new int[0]), a, b);
  }

  /** The same product of complex64 matrices. */
  private static Jaxpr complexDot(int m, int k, int n, boolean transA, boolean transB) {
    Array a = Array.zeros(DType.C64, transA ? new int[] {k, m} : new int[] {m, k});
    Array b = Array.zeros(DType.C64, transB ? new int[] {n, k} : new int[] {k, n});
    int[] lc = {transA ? 0 : 1};
    int[] rc = {transB ? 1 : 0};
    return Transforms.makeJaxpr((Array x, Array y) -> Array.dotGeneral(x, y, lc, rc, new int[0], new int[0]), a, b);
  }

  private static long gemmSteps(Jaxpr j) {
    return KernelGenerator.generate(j).main().steps().stream()
        .filter(s -> s instanceof GpuProgram.Launch l && l.gemm() != null).count();
  }

  @Test
  void theDescriptionNamesHipblas() {
    assertTrue(rocm.toString().startsWith("rocm (Stand-in AMD GPU (host memory), gfx90a, hiprtc 5.2, matmul: hipBLAS ("),
        rocm.toString());
    assertTrue(rocm.toString().contains(", matmul: hipBLAS (" + hipblas + "), fft: "), rocm.toString());
  }

  @Test
  void everyLayoutTheGeneratorMarksGoesThroughHipblasAndMatchesTheCpu() {
    int[][] shapes = {{37, 29, 23}, {64, 130, 48}, {2, 300, 70}, {90, 17, 3}};
    List<String> mismatches = new ArrayList<>();
    int compiles = read(hipSymbols, "sl_hiprtc_compiles");
    for (int[] s : shapes) {
      for (boolean transA : new boolean[] {false, true}) {
        for (boolean transB : new boolean[] {false, true}) {
          String label = "m=" + s[0] + " k=" + s[1] + " n=" + s[2] + " transA=" + transA + " transB=" + transB;
          Jaxpr j = dot(s[0], s[1], s[2], transA, transB);
          long marked = gemmSteps(j);
          assertEquals(1, marked, label + ": not marked as a plain matmul");
          List<Object> in = Reference.inputs(j, label.hashCode());
          List<Object> expected = Reference.run(Backends.cpu(), j, in);
          int calls = read(hipblasSymbols, "sl_hipblas_sgemm_calls");
          List<Object> actual = Reference.run(rocm, j, in);
          assertEquals(marked, read(hipblasSymbols, "sl_hipblas_sgemm_calls") - calls, label + ": hipblasSgemm calls");
          String m = Reference.mismatch(j, 0, expected.get(0), actual.get(0));
          if (m != null) {
            mismatches.add(label + ": " + m);
          }
        }
      }
    }
    assertEquals(List.of(), mismatches);
    assertEquals(compiles, read(hipSymbols, "sl_hiprtc_compiles"), "a kernel was compiled: some matmul missed hipBLAS");
  }

  /**
   * complex64 matmuls take {@code hipblasCgemm} with the row-major mapping of sgemm: every layout in
   * two shapes equals the CPU (1e-4 normwise), one cgemm call each, no sgemm and no kernel compiled.
   */
  @Test
  void complexMatmulsOfEveryLayoutGoThroughHipblasCgemmAndMatchTheCpu() {
    int[][] shapes = {{37, 29, 23}, {2, 130, 70}, {64, 17, 3}};
    List<String> mismatches = new ArrayList<>();
    int compiles = read(hipSymbols, "sl_hiprtc_compiles");
    int sgemms = read(hipblasSymbols, "sl_hipblas_sgemm_calls");
    for (int[] s : shapes) {
      for (boolean transA : new boolean[] {false, true}) {
        for (boolean transB : new boolean[] {false, true}) {
          String label = "c64 m=" + s[0] + " k=" + s[1] + " n=" + s[2] + " transA=" + transA + " transB=" + transB;
          Jaxpr j = complexDot(s[0], s[1], s[2], transA, transB);
          List<GpuProgram.Launch> marked = KernelGenerator.generate(j).main().steps().stream()
              .filter(st -> st instanceof GpuProgram.Launch l && l.gemm() != null).map(st -> (GpuProgram.Launch) st).toList();
          assertEquals(1, marked.size(), label + ": not marked as a plain matmul");
          assertTrue(marked.get(0).gemm().complex(), label);
          List<Object> in = Reference.inputs(j, label.hashCode());
          List<Object> expected = Reference.run(Backends.cpu(), j, in);
          int calls = read(hipblasSymbols, "sl_hipblas_cgemm_calls");
          List<Object> actual = Reference.run(rocm, j, in);
          assertEquals(1, read(hipblasSymbols, "sl_hipblas_cgemm_calls") - calls, label + ": hipblasCgemm calls");
          String m = Reference.mismatch(j, 0, expected.get(0), actual.get(0));
          if (m != null) {
            mismatches.add(label + ": " + m);
          }
        }
      }
    }
    assertEquals(List.of(), mismatches);
    assertEquals(sgemms, read(hipblasSymbols, "sl_hipblas_sgemm_calls"), "a complex matmul went to hipblasSgemm");
    assertEquals(compiles, read(hipSymbols, "sl_hiprtc_compiles"), "a kernel was compiled: some complex matmul missed hipBLAS");
  }

  @Test
  void aFailingCgemmIsAOneLineGpuException() {
    Jaxpr j = complexDot(37, 29, 23, false, true);
    MemorySegment status = global(hipblasSymbols, "sl_hipblas_cgemm_status");
    status.set(JAVA_INT, 0, 3);
    try {
      GpuException e = assertThrows(GpuException.class, () -> Reference.run(rocm, j, Reference.inputs(j, 2)));
      assertEquals("hipblasCgemm failed: HIPBLAS_STATUS_INVALID_VALUE (3) for Gemm[m=37, n=23, k=29, transA=false,"
          + " transB=true, complex=true]", e.getMessage());
    } finally {
      status.set(JAVA_INT, 0, 0);
    }
  }

  /**
   * A hipBLAS without {@code hipblasCgemm} still computes f32 matmuls; complex ones take the
   * generated kernel, which here reaches the stand-in hiprtc (that compiles nothing).
   */
  @Test
  void aLibraryWithoutCgemmLeavesComplexMatmulsToTheTiledKernel() throws Exception {
    Path noCgemm = FakeRuntimes.buildLibrary(cc, dir, "libhipblas-nocgemm.so", FakeRuntimes.HIPBLAS_WITHOUT_CGEMM, hip);
    SymbolLookup symbols = SymbolLookup.libraryLookup(noCgemm, Arena.global());
    assertTrue(symbols.find("hipblasCgemm").isEmpty());
    Backend b = rocm(Map.of("statelens.hipblas.lib", noCgemm.toString()));
    assertTrue(b.toString().contains(", matmul: hipBLAS (" + noCgemm + "), fft: "), b.toString());
    Jaxpr real = dot(37, 29, 23, false, false);
    List<Object> in = Reference.inputs(real, 5);
    assertNull(Reference.mismatch(real, 0, Reference.run(Backends.cpu(), real, in).get(0), Reference.run(b, real, in).get(0)));
    assertEquals(1, read(symbols, "sl_hipblas_sgemm_calls"), "the f32 matmul went through that library's hipblasSgemm");
    Jaxpr complex = complexDot(37, 29, 23, false, false);
    int compiles = read(hipSymbols, "sl_hiprtc_compiles");
    GpuException e = assertThrows(GpuException.class, () -> Reference.run(b, complex, Reference.inputs(complex, 1)));
    assertTrue(e.getMessage().endsWith("stand-in hiprtc: no AMD compiler here, a generated kernel cannot be built"), e.getMessage());
    assertEquals(compiles + 1, read(hipSymbols, "sl_hiprtc_compiles"), "the complex matmul's kernel was compiled");
  }

  @Test
  void theTracedMatmulOfTheExamplesGoesThroughHipblas() {
    Jaxpr j = ExampleGraphs.matmul(130, 70, 90);
    List<Object> in = Reference.inputs(j, 7);
    int calls = read(hipblasSymbols, "sl_hipblas_sgemm_calls");
    List<Object> actual = Reference.run(rocm, j, in);
    assertEquals(1, read(hipblasSymbols, "sl_hipblas_sgemm_calls") - calls);
    assertNull(Reference.mismatch(j, 0, Reference.run(Backends.cpu(), j, in).get(0), actual.get(0)));
  }

  @Test
  void aGraphMixingKernelsAndHipblasMatchesTheCpu() throws Exception {
    var cxx = OfflineCompilers.onPath("g++").or(() -> OfflineCompilers.onPath("clang++"));
    assumeTrue(cxx.isPresent(), "no host C++ compiler (g++/clang++) for the emulated kernels");
    GpuDriver hipDriver = TemporaryProperties.call(Map.of("statelens.rocm.lib", hip.toString(), "statelens.hiprtc.lib",
        hip.toString(), "statelens.hipblas.lib", hipblas.toString()), () -> {
          GpuDriver d = dev.statelens.engine.backend.rocm.HipDriver.open();
          assertTrue(d.matmul().startsWith("hipBLAS ("), d.matmul()); // looked up while the property is set
          return d;
        });
    EmulatedDriver kernels = new EmulatedDriver(cxx.get(), dir);
    GpuBackend mixed = TemporaryProperties.call(Map.of("statelens.gpu.cacheDir", "none"),
        () -> new GpuBackend(new HipWithEmulatedKernels(hipDriver, kernels)));
    // forward x@W1, h@W2 and backward g@W2^T, h^T@g, x^T@g1 between tanh, square and mean kernels
    Jaxpr j = FusionCases.wideMlpGrad();
    List<GpuProgram.Launch> launches = KernelGenerator.generate(j).main().steps().stream()
        .filter(st -> st instanceof GpuProgram.Launch).map(st -> (GpuProgram.Launch) st).toList();
    long gemms = launches.stream().filter(l -> l.gemm() != null).count();
    List<Object> in = Reference.inputs(j, 17);
    List<Object> expected = Reference.run(Backends.cpu(), j, in);
    int calls = read(hipblasSymbols, "sl_hipblas_sgemm_calls");
    long kernelLaunches = kernels.launches();
    List<Object> actual = Reference.run(mixed, j, in);
    System.out.println("[gpu] wide MLP gradient: " + gemms + " hipblasSgemm calls, " + (launches.size() - gemms) + " kernels");
    assertTrue(gemms >= 4, "the MLP gradient has " + gemms + " BLAS matmuls");
    assertEquals(gemms, read(hipblasSymbols, "sl_hipblas_sgemm_calls") - calls, "hipblasSgemm calls");
    assertEquals(launches.size() - gemms, kernels.launches() - kernelLaunches, "generated kernels launched");
    for (int o = 0; o < expected.size(); o++) {
      assertNull(Reference.mismatch(j, o, expected.get(o), actual.get(o)), "output " + o);
    }
  }

  /** Runs a matmul that hipBLAS would compute; the tiled kernel instead must reach (stand-in) hiprtc. */
  private static void tiledKernelRuns(Backend b) {
    Jaxpr j = dot(37, 29, 23, false, false);
    int calls = read(hipblasSymbols, "sl_hipblas_sgemm_calls");
    int compiles = read(hipSymbols, "sl_hiprtc_compiles");
    GpuException e = assertThrows(GpuException.class, () -> Reference.run(b, j, Reference.inputs(j, 1)));
    assertTrue(e.getMessage().startsWith("hiprtcCompileProgram failed for statelens_") && e.getMessage().endsWith(
        "(gfx90a): stand-in hiprtc: no AMD compiler here, a generated kernel cannot be built"), e.getMessage());
    assertEquals(calls, read(hipblasSymbols, "sl_hipblas_sgemm_calls"));
    assertEquals(compiles + 1, read(hipSymbols, "sl_hiprtc_compiles"));
  }

  @Test
  void aMissingLibraryMeansTheTiledKernelAndTheDescriptionSaysWhy() throws Exception {
    Backend b = rocm(Map.of("statelens.hipblas.lib", "/nonexistent/libhipblas.so"));
    assertTrue(b.toString().contains(", matmul: tiled kernel (/nonexistent/libhipblas.so not found or not loadable"
        + " (set by -Dstatelens.hipblas.lib)), fft: "), b.toString());
    tiledKernelRuns(b);
  }

  @Test
  void withoutHipblasInstalledTheDefaultLookupSaysWhatToInstall() throws Exception {
    assumeTrue(installedHipblas().isEmpty(), "a libhipblas is installed on this machine");
    Backend b = TemporaryProperties.call(Map.of("statelens.rocm.lib", hip.toString(), "statelens.hiprtc.lib", hip.toString(),
        "statelens.gpu.cacheDir", "none"), () -> {
          assertNull(System.getProperty("statelens.hipblas.lib"));
          Backend r = Backends.select("rocm", n -> {});
          r.toString(); // the look-up happens here, with no library forced
          return r;
        });
    assertTrue(b.toString().contains(", matmul: tiled kernel (libhipblas.so not found (install ROCm's hipBLAS, or set"
        + " -Dstatelens.hipblas.lib=/path/to/libhipblas.so)), fft: "), b.toString());
  }

  /** A libhipblas on the loader's path or under ROCm's prefixes, if this machine has one. */
  private static java.util.Optional<String> installedHipblas() {
    for (String soname : List.of("libhipblas.so", "libhipblas.so.3", "libhipblas.so.2", "libhipblas.so.1", "libhipblas.so.0")) {
      if (Native.tryOpen("rocm", soname).isPresent() || !LibrarySearch.findRocm(soname).isEmpty()) {
        return java.util.Optional.of(soname);
      }
    }
    return java.util.Optional.empty();
  }

  @Test
  void aLibraryWithoutSgemmIsReportedAsSuch() throws Exception {
    Backend b = rocm(Map.of("statelens.hipblas.lib", hip.toString()));
    assertTrue(b.toString().contains(", matmul: tiled kernel (" + hip + " has no hipblasSgemm), fft: "), b.toString());
    tiledKernelRuns(b);
  }

  @Test
  void blasFalseTurnsHipblasOff() throws Exception {
    Backend b = rocm(Map.of("statelens.gpu.blas", "false"));
    assertTrue(b.toString().contains(", matmul: tiled kernel (vendor BLAS disabled by -Dstatelens.gpu.blas=false), fft: "),
        b.toString());
    tiledKernelRuns(b);
  }

  @Test
  void aFailingStatusIsAOneLineGpuExceptionNamingCallAndStatus() {
    Jaxpr j = dot(37, 29, 23, true, false);
    MemorySegment status = global(hipblasSymbols, "sl_hipblas_sgemm_status");
    status.set(JAVA_INT, 0, 7);
    try {
      GpuException e = assertThrows(GpuException.class, () -> Reference.run(rocm, j, Reference.inputs(j, 2)));
      assertEquals("hipblasSgemm failed: HIPBLAS_STATUS_NOT_SUPPORTED (7) for Gemm[m=37, n=23, k=29, transA=true,"
          + " transB=false, complex=false]", e.getMessage());
    } finally {
      status.set(JAVA_INT, 0, 0);
    }
  }

  @Test
  void handlesArePerThreadAndAFailedCreateSaysSo() throws Exception {
    Jaxpr j = dot(37, 29, 23, false, true);
    List<Object> in = Reference.inputs(j, 3);
    Reference.run(rocm, j, in); // this thread's handle exists from here on
    int created = read(hipblasSymbols, "sl_hipblas_created");
    Reference.run(rocm, j, in);
    assertEquals(created, read(hipblasSymbols, "sl_hipblas_created"), "a thread reuses its handle");

    Throwable[] failure = new Throwable[1];
    MemorySegment createStatus = global(hipblasSymbols, "sl_hipblas_create_status");
    createStatus.set(JAVA_INT, 0, 2);
    try {
      Thread t = new Thread(() -> {
        try {
          Reference.run(rocm, j, in);
        } catch (Throwable e) {
          failure[0] = e;
        }
      });
      t.start();
      t.join();
    } finally {
      createStatus.set(JAVA_INT, 0, 0);
    }
    assertTrue(failure[0] instanceof GpuException, String.valueOf(failure[0]));
    assertEquals("hipblasCreate failed: HIPBLAS_STATUS_ALLOC_FAILED (2)", failure[0].getMessage());

    Thread t = new Thread(() -> Reference.run(rocm, j, in));
    t.start();
    t.join();
    assertEquals(created + 1, read(hipblasSymbols, "sl_hipblas_created"), "a new thread gets its own handle");
  }

  @Test
  void aThreadsHandleIsDestroyedAfterTheThreadEnds() throws Exception {
    Jaxpr j = dot(37, 29, 23, true, true);
    List<Object> in = Reference.inputs(j, 4);
    int destroyed = read(hipblasSymbols, "sl_hipblas_destroyed");
    Thread t = new Thread(() -> Reference.run(rocm, j, in));
    t.start();
    t.join();
    t = null;
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (read(hipblasSymbols, "sl_hipblas_destroyed") == destroyed && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(50);
    }
    assertTrue(read(hipblasSymbols, "sl_hipblas_destroyed") > destroyed, "hipblasDestroy was not called for the ended thread's handle");
  }
}
