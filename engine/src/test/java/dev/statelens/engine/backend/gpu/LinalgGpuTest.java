package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Linalg;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.linalg.MatrixOps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linalg primitives on the GPU backends: the generator has no device code for them, so each
 * runs as a host step (the CPU kernel on copied operands) between device kernels. The rest of the
 * graph still compiles for the device, the emulated runtime gives the CPU backend's results, and
 * nothing else becomes a host step.
 */
class LinalgGpuTest {

  /**
   * A GP-like step: an SPD matrix built on the device, factorized and solved on the host. Call
   * primitives inlined, as jit does before a backend compiles ({@code solve} is a customVjp).
   */
  static Jaxpr graph(DType dt) {
    Array x = Array.zeros(dt, 5, 5);
    Array y = Array.zeros(dt, 5, 2);
    return dev.statelens.engine.ir.CallInlining.inline(Transforms.makeJaxpr((Array a, Array b) -> {
      Array spd = a.matmul(MatrixOps.mT(a)).add(Array.eye(dt, 5, 5).mul(5));
      Array l = Linalg.cholesky(spd);
      Array alpha = Linalg.choSolve(l, b);
      Linalg.Qr qr = Linalg.qr(a);
      return List.of(alpha.mul(2), Linalg.solve(spd, b), Linalg.slogdet(spd).logabsdet(), qr.q().matmul(qr.r()),
          Linalg.eigh(spd).eigenvalues().exp(), Linalg.svdvals(a));
    }, x, y));
  }

  @Test
  void linalgPrimitivesAreTheOnlyHostSteps() {
    for (DType dt : new DType[] {DType.F32, DType.F64}) {
      GpuProgram p = KernelGenerator.generate(graph(dt));
      assertEquals(new TreeSet<>(List.of("cholesky", "eigh", "lu", "qr", "svd", "triangular_solve")),
          new TreeSet<>(KernelGenerator.hostSteps(p)), dt + ": host steps");
    }
  }

  @Test
  void theEmulatedRuntimeGivesTheCpuResults(@TempDir Path dir) throws Exception {
    GpuBackend gpu = EmulatedDriver.withHostCompiler(Files.createDirectories(dir.resolve("emulated"))).backend(true);
    for (DType dt : new DType[] {DType.F32, DType.F64}) {
      Jaxpr j = graph(dt);
      List<Object> in = Reference.inputs(j, 42);
      List<Object> expected = Reference.run(Backends.cpu(), j, in);
      List<Object> actual = Reference.run(gpu, j, in);
      for (int o = 0; o < expected.size(); o++) {
        assertNull(Reference.mismatch(j.outAvals().get(o), expected.get(o), actual.get(o), dt == DType.F32 ? 1e-4 : 1e-12, true),
            dt + " output " + o);
      }
    }
  }

  @Test
  void theDeviceCodeAroundTheHostStepsCompilesWithNvcc(@TempDir Path dir) throws Exception {
    Optional<OfflineCompilers.Compiler> nvcc = OfflineCompilers.nvcc();
    assumeTrue(nvcc.isPresent(), "nvcc is not installed here; the kernels are not compile-checked with it");
    String source = OfflineCompilers.combine(List.of(KernelGenerator.generate(graph(DType.F32)),
        KernelGenerator.generate(graph(DType.F64))));
    OfflineCompilers.Result r = OfflineCompilers.compile(nvcc.get(), source, dir);
    assertEquals(0, r.exitCode(), "nvcc rejected the generated source:\n" + r.output());
  }
}
