package dev.statelens.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.backend.gpu.BlasChoice;
import dev.statelens.engine.backend.gpu.LibrarySearch;
import dev.statelens.engine.backend.gpu.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why the cuda backend computes matmuls with the tiled kernel instead of cuBLAS, as its
 * description says it: disabled, library missing, or a library without SGEMM. (cuBLAS itself is
 * exercised by GpuParityTest on a GPU.)
 */
class CublasChoiceTest {

  @AfterEach
  void clearProperties() {
    System.clearProperty("statelens.gpu.blas");
    System.clearProperty("statelens.cublas.lib");
  }

  /** The reasons below are only reachable where no real cuBLAS loads. */
  private static void assumeNoRealCublas() {
    for (String lib : Cublas.SONAMES) {
      assumeTrue(Native.tryOpen("cuda", lib).isEmpty(), lib + " is installed here");
      assumeTrue(LibrarySearch.find(lib, "cublas").isEmpty(), lib + " is installed here: " + LibrarySearch.find(lib, "cublas"));
    }
  }

  @Test
  void disabledByProperty() {
    System.setProperty("statelens.gpu.blas", "false");
    BlasChoice choice = Cublas.open();
    assertTrue(choice.get().isEmpty());
    assertEquals("tiled kernel (vendor BLAS disabled by -Dstatelens.gpu.blas=false)", choice.describe());
  }

  @Test
  void missingLibrarySaysWhatToInstall() {
    assumeNoRealCublas();
    assertEquals("tiled kernel (libcublas.so not found (install the CUDA toolkit's cuBLAS, or set"
        + " -Dstatelens.cublas.lib=/path/to/libcublas.so))", Cublas.open().describe());
    // a forced library is the only one tried (as hipBLAS, cuFFT, hipFFT), and is named
    System.setProperty("statelens.cublas.lib", "/nonexistent/libcublas.so");
    assertEquals("tiled kernel (/nonexistent/libcublas.so not found or not loadable (set by -Dstatelens.cublas.lib))",
        Cublas.open().describe());
  }

  @Test
  void aLibraryWithoutSgemmIsNamed(@TempDir Path dir) throws Exception {
    assumeNoRealCublas();
    Path source = Files.writeString(dir.resolve("notblas.c"), "int cublasCreate_v2(void** h) { return 0; }\n");
    Path lib = dir.resolve("libnotblas.so");
    Process cc;
    try {
      cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-o", lib.toString(), source.toString())
          .redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      assumeTrue(false, "no C compiler (cc) to build the stand-in library");
      return;
    }
    String log = new String(cc.getInputStream().readAllBytes());
    assertTrue(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0, "cc failed: " + log);
    System.setProperty("statelens.cublas.lib", lib.toString());
    assertEquals("tiled kernel (" + lib + " has no cublasSgemm_v2)", Cublas.open().describe());
  }
}
