package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.ir.CallInlining;
import dev.statelens.engine.ir.Jaxpr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * custom_vjp_call and checkpoint (remat) on the GPU backends: jit inlines them before a graph is
 * compiled (CallInlining), so the generator sees only their sub-graphs' primitives; a graph
 * handed to a backend un-inlined still runs, each call as a host step (the CPU kernel).
 */
class CustomCallGpuTest {
  static final Function<Array, Array> SAFE_NORM = Transforms.customVjp(
      (Array x) -> x.square().sum().sqrt(),
      (Array x) -> Pair.of(x.square().sum().sqrt(), x),
      (Array x, Array ct) -> x.div(Array.where(x.square().sum().eq(0), 1.0, x.square().sum().sqrt())).mul(ct));

  /** A step with both calls, and its gradient (fwd/bwd staged as plain operations). */
  static List<Jaxpr> graphs(DType dt) {
    Array x = Array.zeros(dt, 4, 3);
    Function<Array, Array> loss = a -> Transforms.checkpoint((Array b) -> b.tanh().matmul(Array.ones(dt, 3, 3)).sin())
        .apply(a).sum().add(SAFE_NORM.apply(a));
    return List.of(Transforms.makeJaxpr(loss, x), Transforms.makeJaxpr(Transforms.grad(loss), x));
  }

  @Test
  void inlinedCallsLeaveNoHostSteps() {
    for (DType dt : new DType[] {DType.F32, DType.F64}) {
      Jaxpr forward = graphs(dt).get(0);
      assertTrue(forward.toString().contains("custom_vjp_call["), forward.toString());
      assertTrue(forward.toString().contains("checkpoint["), forward.toString());
      for (Jaxpr j : graphs(dt)) {
        assertEquals(Set.of(), new TreeSet<>(KernelGenerator.hostSteps(KernelGenerator.generate(CallInlining.inline(j)))),
            dt + ": host steps of\n" + j);
      }
      assertEquals(new TreeSet<>(List.of("checkpoint", "custom_vjp_call")),
          new TreeSet<>(KernelGenerator.hostSteps(KernelGenerator.generate(forward))), dt + ": un-inlined");
    }
  }

  @Test
  void theEmulatedRuntimeGivesTheCpuResultsInlinedOrNot(@TempDir Path dir) throws Exception {
    GpuBackend gpu = EmulatedDriver.withHostCompiler(Files.createDirectories(dir.resolve("emulated"))).backend(true);
    for (DType dt : new DType[] {DType.F32, DType.F64}) {
      for (Jaxpr j : graphs(dt)) {
        List<Object> in = Reference.inputs(j, 7);
        List<Object> expected = Reference.run(Backends.cpu(), j, in); // the CPU kernels of the calls
        for (Jaxpr variant : List.of(j, CallInlining.inline(j))) {
          List<Object> actual = Reference.run(gpu, variant, in);
          for (int o = 0; o < expected.size(); o++) {
            assertNull(Reference.mismatch(j.outAvals().get(o), expected.get(o), actual.get(o),
                dt == DType.F32 ? 1e-4 : 1e-12, true), dt + " output " + o + " of\n" + variant);
          }
        }
      }
    }
  }

  @Test
  void theInlinedDeviceCodeCompilesWithNvcc(@TempDir Path dir) throws Exception {
    Optional<OfflineCompilers.Compiler> nvcc = OfflineCompilers.nvcc();
    assumeTrue(nvcc.isPresent(), "nvcc is not installed here; the kernels are not compile-checked with it");
    List<GpuProgram> programs = new java.util.ArrayList<>();
    for (DType dt : new DType[] {DType.F32, DType.F64}) {
      for (Jaxpr j : graphs(dt)) {
        programs.add(KernelGenerator.generate(CallInlining.inline(j)));
      }
    }
    OfflineCompilers.Result r = OfflineCompilers.compile(nvcc.get(), OfflineCompilers.combine(programs), dir);
    assertEquals(0, r.exitCode(), "nvcc rejected the generated source:\n" + r.output());
  }
}
