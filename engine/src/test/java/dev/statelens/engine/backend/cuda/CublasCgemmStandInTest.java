package dev.statelens.engine.backend.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.backend.gpu.Blas;
import dev.statelens.engine.backend.gpu.GpuException;
import dev.statelens.engine.backend.gpu.GpuProgram.Gemm;
import dev.statelens.engine.backend.gpu.StandInGemm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cuda backend's {@code cublasCgemm_v2} binding without a GPU: {@link Cublas} is loaded from a
 * stand-in libcublas built here with {@code cc}, whose {@code cublasCgemm_v2} checks its arguments
 * as cuBLAS does (operation codes, sizes, leading dimensions) and computes column-major
 * {@code C = alpha op(A) op(B) + beta C} on interleaved complex pairs in host memory. A row-major
 * complex product of every layout then equals, bit for bit, the same sums done here in the same
 * order, which proves the FFM descriptor, the argument order (B first: {@code ColumnMajorGemm}),
 * the leading dimensions and the complex alpha/beta. cuBLAS's own results need a GPU
 * ({@code GpuParityTest}).
 */
class CublasCgemmStandInTest {
  /** CUBLAS_STATUS_INVALID_VALUE. */
  private static final int INVALID_VALUE = 7;

  private static final String CORE = StandInGemm.C + """
      int sl_cublas_cgemm_calls = 0, sl_cublas_cgemm_status = 0;
      int cublasCreate_v2(void** h) { *h = malloc(16); return 0; }
      int cublasSetMathMode(void* h, int mode) { return h ? 0 : 1; }
      int cublasSgemm_v2(void* h, int ta, int tb, int m, int n, int k, const float* alpha, const float* A, int lda,
                         const float* B, int ldb, const float* beta, float* C, int ldc) { return 13; }
      """;

  /** CUBLAS_OP_N/T are 0 and 1 (never OP_C, 2); a bad argument is CUBLAS_STATUS_INVALID_VALUE (7), no handle NOT_INITIALIZED (1). */
  private static final String CGEMM = """
      int cublasCgemm_v2(void* h, int transa, int transb, int m, int n, int k, const float* alpha, const float* A, int lda,
                         const float* B, int ldb, const float* beta, float* C, int ldc) {
        if (!h) return 1;
        if (sl_gemm_check(0, 1, transa, transb, m, n, k, alpha, lda, ldb, beta, ldc)) return 7;
        sl_cublas_cgemm_calls++;
        if (sl_cublas_cgemm_status) return sl_cublas_cgemm_status;
        sl_cgemm(transa == 1, transb == 1, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
        return 0;
      }
      """;

  @AfterEach
  void clearProperties() {
    System.clearProperty("statelens.cublas.lib");
  }

  private static Path build(Path dir, String name, String source) throws Exception {
    Path src = Files.writeString(dir.resolve(name + ".c"), source);
    Path lib = dir.resolve(name);
    Process cc;
    try {
      cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-O1", "-w", "-o", lib.toString(), src.toString())
          .redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      assumeTrue(false, "no C compiler (cc) to build the stand-in libcublas");
      throw e;
    }
    String out = new String(cc.getInputStream().readAllBytes());
    assertTrue(cc.waitFor(2, TimeUnit.MINUTES) && cc.exitValue() == 0, "cc failed: " + out);
    return lib;
  }

  private static Blas open(Path lib) {
    System.setProperty("statelens.cublas.lib", lib.toString());
    return Cublas.open().get().orElseThrow(() -> new AssertionError("the stand-in libcublas did not load: "
        + Cublas.open().describe()));
  }

  /** Row-major {@code op(A) op(B)} of interleaved complex matrices, summed as the stand-in sums (double, k in order). */
  private static float[] expected(Gemm g, float[] a, float[] b) {
    float[] c = new float[2 * g.m() * g.n()];
    for (int i = 0; i < g.m(); i++) {
      for (int j = 0; j < g.n(); j++) {
        double sr = 0;
        double si = 0;
        for (int p = 0; p < g.k(); p++) {
          int ai = g.transA() ? p * g.m() + i : i * g.k() + p;
          int bi = g.transB() ? j * g.k() + p : p * g.n() + j;
          double ar = a[2 * ai];
          double am = a[2 * ai + 1];
          double br = b[2 * bi];
          double bm = b[2 * bi + 1];
          sr += ar * br - am * bm;
          si += ar * bm + am * br;
        }
        c[2 * (i * g.n() + j)] = (float) sr;
        c[2 * (i * g.n() + j) + 1] = (float) si;
      }
    }
    return c;
  }

  private static float[] random(java.util.Random r, int pairs) {
    float[] x = new float[2 * pairs];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextDouble() * 4 - 2);
    }
    return x;
  }

  @Test
  void cgemmComputesRowMajorComplexProductsOfEveryLayout(@TempDir Path dir) throws Exception {
    Blas cublas = open(build(dir, "libcublas-standin.so", CORE + CGEMM));
    assertTrue(cublas.hasCgemm(), cublas.name());
    SymbolLookup symbols = SymbolLookup.libraryLookup(dir.resolve("libcublas-standin.so"), Arena.global());
    MemorySegment calls = symbols.find("sl_cublas_cgemm_calls").orElseThrow().reinterpret(4);
    java.util.Random r = new java.util.Random(11);
    int[][] shapes = {{37, 29, 23}, {2, 130, 70}, {64, 17, 3}, {1, 5, 1}};
    for (int[] s : shapes) {
      for (boolean transA : new boolean[] {false, true}) {
        for (boolean transB : new boolean[] {false, true}) {
          Gemm g = new Gemm(s[0], s[2], s[1], transA, transB, true);
          float[] a = random(r, g.m() * g.k());
          float[] b = random(r, g.k() * g.n());
          try (Arena arena = Arena.ofConfined()) {
            MemorySegment da = arena.allocateFrom(JAVA_FLOAT, a);
            MemorySegment db = arena.allocateFrom(JAVA_FLOAT, b);
            MemorySegment dc = arena.allocate(JAVA_FLOAT, 2L * g.m() * g.n());
            int before = calls.get(JAVA_INT, 0);
            assertTrue(cublas.computes(g));
            cublas.gemm(g, da.address(), db.address(), dc.address());
            assertEquals(before + 1, calls.get(JAVA_INT, 0), g + ": one cublasCgemm_v2 call");
            assertArrayEquals(expected(g, a, b), dc.toArray(JAVA_FLOAT), g.toString());
          }
        }
      }
    }
  }

  @Test
  void aFailingCgemmIsAOneLineGpuException(@TempDir Path dir) throws Exception {
    Blas cublas = open(build(dir, "libcublas-failing.so", CORE + CGEMM));
    SymbolLookup symbols = SymbolLookup.libraryLookup(dir.resolve("libcublas-failing.so"), Arena.global());
    symbols.find("sl_cublas_cgemm_status").orElseThrow().reinterpret(4).set(JAVA_INT, 0, INVALID_VALUE);
    Gemm g = new Gemm(3, 4, 5, false, true, true);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment m = arena.allocate(JAVA_FLOAT, 64);
      GpuException e = assertThrows(GpuException.class, () -> cublas.gemm(g, m.address(), m.address(), m.address()));
      assertEquals("cublasCgemm_v2 failed: cublasStatus_t 7 for Gemm[m=3, n=4, k=5, transA=false, transB=true,"
          + " complex=true]", e.getMessage());
    }
  }

  @Test
  void aCublasWithoutCgemmLeavesComplexMatmulsToTheGeneratedKernel(@TempDir Path dir) throws Exception {
    Blas cublas = open(build(dir, "libcublas-nocgemm.so", CORE));
    assertFalse(cublas.hasCgemm());
    assertFalse(cublas.computes(new Gemm(3, 4, 5, false, false, true)), "complex: the generated kernel");
    assertTrue(cublas.computes(new Gemm(3, 4, 5, false, false)), "f32: still cublasSgemm_v2");
  }
}
