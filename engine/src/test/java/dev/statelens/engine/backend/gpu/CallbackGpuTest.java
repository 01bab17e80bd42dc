package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.Debug;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Host callbacks in a GPU graph (on {@link EmulatedDriver}): like debug_print, each becomes a host
 * step, its operands copied to the host and its results copied back, between device kernels.
 */
class CallbackGpuTest {
  static Path dir;
  static EmulatedDriver driver;
  static GpuBackend gpu;

  @BeforeAll
  static void setUp() throws Exception {
    dir = Files.createTempDirectory("sl-callback-gpu");
    driver = EmulatedDriver.withHostCompiler(dir);
    gpu = driver.backend(false);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    CpuEmulation.deleteFolder(dir);
  }

  @Test
  void debugAndPureCallbacksRunAsHostStepsBetweenDeviceKernels() {
    List<String> seen = new ArrayList<>();
    Jaxpr j = Transforms.makeJaxpr((Array x) -> {
      Array y = x.mul(2);
      Debug.callback(v -> seen.add("debug " + Arrays.toString(v[0].toFloatArray())), y);
      Array host = Transforms.pureCallback(in -> {
        seen.add("pure " + Arrays.toString(in[0].toFloatArray()));
        return in[0].add(100);
      }, y.aval(), y);
      return host.mul(3);
    }, Array.of(0f, 0f));
    seen.clear();
    Buffer in = gpu.upload(Aval.of(dev.statelens.engine.DType.F32, 2), new float[] {1f, 2f});
    List<Buffer> out = gpu.compile(j).execute(new ArrayList<>(List.of(in)));
    assertArrayEquals(new float[] {306f, 312f}, (float[]) gpu.download(out.get(0)));
    // a pure callback is not an effect: the scheduler may run it before the debug effect (as in JAX)
    assertEquals(java.util.Set.of("debug [2.0, 4.0]", "pure [2.0, 4.0]"), java.util.Set.copyOf(seen));
    assertEquals(2, seen.size(), "each called once");
    out.forEach(b -> ((GpuBuffer) b).close());
    ((GpuBuffer) in).close();
  }
}
