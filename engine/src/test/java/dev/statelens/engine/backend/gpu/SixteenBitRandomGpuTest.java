package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Buffer;
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
 * bf16/f16 random draws on the GPU backends: the samplers are compositions of primitives the
 * generator already has (threefry2x32, integer shifts, a U32 -> F32 bitcast, the F32 -> 16-bit
 * convert, 16-bit arithmetic rounded per op), so a jitted 16-bit draw runs on the device with no
 * host step and gives the CPU backend's bits (checked here on the emulated driver). Only
 * {@code erf_inv} is the device library's ({@code erfinvf}), as for f32: normal draws are checked
 * for the whole graph staying on the device, not for bits.
 */
class SixteenBitRandomGpuTest {
  static Path dir;
  static GpuBackend gpu;

  @BeforeAll
  static void setUp() throws Exception {
    dir = Files.createTempDirectory("sl-emulated-random16");
    gpu = EmulatedDriver.withHostCompiler(dir).backend(false);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (dir != null) {
      CpuEmulation.deleteFolder(dir);
    }
  }

  private static Jaxpr draw(Function<Key, Array> sampler) {
    return Transforms.makeJaxpr((Array keyData) -> sampler.apply(new Key(keyData)), Random.key(42).keyData());
  }

  private static void matchesCpu(String label, Jaxpr j) {
    assertEquals(List.of(), KernelGenerator.hostSteps(KernelGenerator.generate(j)), label + ": host steps");
    List<Object> in = List.of(Random.key(42).keyData().toIntArray());
    List<Var> vars = new ArrayList<>(j.constvars());
    vars.addAll(j.invars());
    assertEquals(1, vars.size(), label + ": the key is the only input");
    List<Object> expected = Reference.run(Backends.cpu(), j, in);
    List<Buffer> out = gpu.compile(j).execute(List.of(gpu.upload(vars.getFirst().aval(), in.getFirst())));
    assertNull(SixteenBitKernelsTest.bitMismatch(j.outAvals().getFirst(), expected.getFirst(), gpu.download(out.getFirst())),
        label);
  }

  @Test
  void uniformDrawsOnTheDeviceGiveTheCpuBits() {
    for (DType d : List.of(DType.BF16, DType.F16)) {
      matchesCpu("uniform " + d, draw(k -> Random.uniform(k, new int[] {4096}, d)));
      matchesCpu("uniform(-0.3, 2.7) " + d, draw(k -> Random.uniform(k, new int[] {4096}, d, -0.3, 2.7)));
      matchesCpu("rademacher " + d, draw(k -> Random.rademacher(k, new int[] {512}, d)));
    }
  }

  @Test
  void normalDrawsStayOnTheDevice() {
    for (DType d : List.of(DType.BF16, DType.F16)) {
      var program = KernelGenerator.generate(draw(k -> Random.normal(k, new int[] {64}, d)));
      assertEquals(List.of(), KernelGenerator.hostSteps(program));
      assertTrue(program.source().contains("sl_threefry2x32(") && program.source().contains("erfinvf("),
          program.source());
    }
  }
}
