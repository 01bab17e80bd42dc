package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * complex64 has no GPU kernels: the code generator and the backend's upload refuse it with one
 * line naming the cpu backend, instead of generating code that would treat the pairs as floats.
 */
class ComplexGpuRefusalTest {

  private static void assertNamesCpu(RuntimeException e) {
    assertTrue(e.getMessage().contains("complex64") && e.getMessage().contains("STATELENS_BACKEND=cpu"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void kernelGeneratorRefusesAComplexGraph() {
    Array z = Array.complex(Array.of(1f, 2f), Array.of(3f, 4f));
    Jaxpr mulAbs = Transforms.makeJaxpr((Array x) -> x.mul(x).abs(), z);
    assertNamesCpu(assertThrows(UnsupportedOperationException.class, () -> KernelGenerator.generate(mulAbs)));
    // a graph whose inputs and outputs are real but which makes a complex value inside
    Jaxpr inner = Transforms.makeJaxpr((Array x) -> Array.complex(x, x).abs(), Array.of(1f, 2f));
    assertNamesCpu(assertThrows(UnsupportedOperationException.class, () -> KernelGenerator.generate(inner)));
    // a real graph still generates
    KernelGenerator.generate(Transforms.makeJaxpr((Array x) -> x.mul(x), Array.of(1f, 2f)));
  }

  @Test
  void backendRefusesToUploadAComplexArray(@TempDir Path dir) {
    GpuBackend gpu = EmulatedDriver.withHostCompiler(dir).backend(false);
    assertNamesCpu(assertThrows(UnsupportedOperationException.class,
        () -> gpu.upload(Aval.of(DType.C64, new int[] {2}), new float[] {1, 2, 3, 4})));
  }
}
