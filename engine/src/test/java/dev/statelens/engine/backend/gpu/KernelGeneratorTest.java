package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.gpu.GpuProgram.Alias;
import dev.statelens.engine.backend.gpu.GpuProgram.Launch;
import dev.statelens.engine.backend.gpu.GpuProgram.Step;
import dev.statelens.engine.ir.Jaxpr;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shape of the generated programs: fusion, aliasing, deduplication, BLAS hints. */
class KernelGeneratorTest {

  private static List<Launch> launches(GpuProgram p) {
    return p.main().steps().stream().filter(s -> s instanceof Launch).map(s -> (Launch) s).toList();
  }

  @Test
  void broadcastingElementwiseChainIsOneKernel() {
    Jaxpr j = Transforms.makeJaxpr((Array x, Array b) -> x.add(b).mul(2).tanh().sub(x),
        Array.zeros(3, 4), Array.zeros(4));
    GpuProgram p = KernelGenerator.generate(j);
    assertEquals(1, launches(p).size(), p.source());
    assertEquals(1, p.kernels().size());
    assertTrue(p.source().contains("c1"), "the broadcast reads b at the column coordinate:\n" + p.source());
  }

  @Test
  void anElementwiseGroupFeedingOnlyAReductionIsComputedInsideIt() {
    Jaxpr j = Transforms.makeJaxpr((Array x, Array y) -> x.sub(y).square().sum(), Array.zeros(300, 2), Array.zeros(300, 2));
    GpuProgram p = KernelGenerator.generate(j);
    assertEquals(1, launches(p).size(), p.source());
    assertTrue(p.source().contains("_elem("), p.source());
  }

  @Test
  void reshapeOfAStoredValueIsAnAliasNotACopy() {
    Jaxpr j = Transforms.makeJaxpr((Array x) -> x.reshape(6, 2), Array.zeros(3, 4));
    GpuProgram p = KernelGenerator.generate(j);
    List<Step> steps = p.main().steps();
    assertEquals(1, steps.size());
    assertTrue(steps.get(0) instanceof Alias, steps.toString());
    assertTrue(p.kernels().isEmpty());
  }

  @Test
  void identicalKernelsAreGeneratedOnce() {
    Jaxpr j = Transforms.makeJaxpr((Array x, Array y) -> x.sum().add(y.sum()), Array.zeros(100, 3), Array.zeros(100, 3));
    GpuProgram p = KernelGenerator.generate(j);
    long reductions = launches(p).stream().filter(l -> l.kernel().contains("reduce_sum")).count();
    assertEquals(2, reductions);
    assertEquals(1, launches(p).stream().filter(l -> l.kernel().contains("reduce_sum")).map(Launch::kernel).distinct().count());
  }

  @Test
  void mlpStepRunsEntirelyOnTheDeviceWithBlasHintsForItsMatmuls() {
    GpuProgram p = KernelGenerator.generate(ExampleGraphs.mlpStep());
    assertEquals(List.of(), KernelGenerator.hostSteps(p));
    List<GpuProgram.Gemm> gemms = launches(p).stream().map(Launch::gemm).filter(g -> g != null).toList();
    // forward x@W1, h@W2; backward g@W2^T, h^T@g, x^T@g1
    assertTrue(gemms.size() >= 4, gemms.toString());
    assertTrue(gemms.stream().anyMatch(GpuProgram.Gemm::transA), "a weight gradient contracts the batch axis: " + gemms);
    assertTrue(gemms.stream().anyMatch(GpuProgram.Gemm::transB), "an input gradient multiplies by W^T: " + gemms);
  }
}
