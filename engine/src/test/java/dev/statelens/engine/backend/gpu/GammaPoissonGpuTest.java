package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Buffer;
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
 * The gamma family and poisson/geometric/cauchy on the GPU backend (the emulated driver): they are
 * nested {@code while} loops (a per-element predicate under vmap) over threefry, the uniform and
 * normal samplers and elementwise math, all of which the kernel generator has, so a jitted draw
 * compiles with no host step and runs on the device. The device's {@code logf}/{@code powf}/
 * {@code tanf} may differ from the CPU backend's in the last bit, so floats are compared within
 * 1e-5 relative (an ulp could in principle flip one rejection decision: the fixed keys here do
 * not); counts must be equal.
 */
class GammaPoissonGpuTest {
  static Path dir;
  static GpuBackend gpu;

  @BeforeAll
  static void setUp() throws Exception {
    dir = Files.createTempDirectory("sl-emulated-gamma");
    gpu = EmulatedDriver.withHostCompiler(dir).backend(false);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (dir != null) {
      CpuEmulation.deleteFolder(dir);
    }
  }

  private static void matchesCpu(String label, Function<Key, Array> sampler) {
    // as CompiledGraph does before a backend compiles: gamma's custom_vjp_call (its clear error
    // under grad) is inlined, so the device sees the while loops themselves
    Jaxpr j = CallInlining.inline(Transforms.makeJaxpr((Array keyData) -> sampler.apply(new Key(keyData)),
        Random.key(42).keyData())).dce();
    assertEquals(List.of(), KernelGenerator.hostSteps(KernelGenerator.generate(j)), label + ": host steps");
    List<Object> in = List.of(Random.key(42).keyData().toIntArray());
    List<Var> vars = new ArrayList<>(j.constvars());
    vars.addAll(j.invars());
    assertEquals(1, vars.size(), label + ": the key is the only input");
    Object expected = Reference.run(Backends.cpu(), j, in).getFirst();
    List<Buffer> out = gpu.compile(j).execute(List.of(gpu.upload(vars.getFirst().aval(), in.getFirst())));
    Object got = gpu.download(out.getFirst());
    if (expected instanceof int[] e) {
      int[] g = (int[]) got;
      for (int i = 0; i < e.length; i++) {
        assertEquals(e[i], g[i], label + " element " + i);
      }
    } else {
      float[] e = (float[]) expected;
      float[] g = (float[]) got;
      assertEquals(e.length, g.length, label);
      for (int i = 0; i < e.length; i++) {
        assertEquals(e[i], g[i], 1e-5 * Math.abs(e[i]) + 1e-30, label + " element " + i);
      }
    }
  }

  @Test
  void gammaFamilyRunsOnTheDevice() {
    matchesCpu("gamma(0.3)", k -> Random.gamma(k, 0.3, 64));
    matchesCpu("beta(0.5, 2.5)", k -> Random.beta(k, 0.5, 2.5, 32)); // loggamma twice
  }

  @Test
  void countsAndCauchyRunOnTheDevice() {
    matchesCpu("poisson(4)", k -> Random.poisson(k, 4.0, 64)); // both loops run whatever lam is
    matchesCpu("geometric(0.3)", k -> Random.geometric(k, 0.3, 64));
    matchesCpu("cauchy", k -> Random.cauchy(k, 64));
  }
}
