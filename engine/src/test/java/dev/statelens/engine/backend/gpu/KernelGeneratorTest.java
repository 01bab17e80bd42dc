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

  /** Every slot a step reads was written before it (or is an input): the schedule is topological. */
  private static void assertTopological(GpuProgram p) {
    assertTopological(p.main());
  }

  private static void assertTopological(GpuProgram.Graph g) {
    java.util.Set<Integer> written = new java.util.HashSet<>();
    for (int i : g.inputs()) {
      written.add(i);
    }
    for (Step s : g.steps()) {
      switch (s) {
        case Launch l -> {
          java.util.Set<Integer> outs = new java.util.HashSet<>();
          for (int o : l.outputs()) {
            outs.add(o);
          }
          for (int a : l.args()) {
            assertTrue(outs.contains(a) || written.contains(a), "slot " + a + " read before written by " + l.kernel());
          }
          written.addAll(outs);
        }
        case Alias a -> {
          assertTrue(written.contains(a.src()), "alias of an unwritten slot " + a.src());
          written.add(a.dst());
        }
        case GpuProgram.Fill f -> written.add(f.slot());
        case GpuProgram.Cond c -> {
          assertTrue(written.contains(c.index()), "cond index unwritten");
          for (int o : c.operands()) {
            assertTrue(written.contains(o), "cond operand " + o + " unwritten");
          }
          c.branches().forEach(KernelGeneratorTest::assertTopological);
          for (int o : c.outputs()) {
            written.add(o);
          }
        }
        case GpuProgram.Scan sc -> {
          for (int o : sc.operands()) {
            assertTrue(written.contains(o), "scan operand " + o + " unwritten");
          }
          assertTopological(sc.body());
          for (int o : sc.outputs()) {
            written.add(o);
          }
        }
        case GpuProgram.While w -> {
          for (int o : w.operands()) {
            assertTrue(written.contains(o), "while operand " + o + " unwritten");
          }
          assertTopological(w.cond());
          assertTopological(w.body());
          for (int o : w.outputs()) {
            written.add(o);
          }
        }
        case GpuProgram.Host h -> {
          for (int o : h.operands()) {
            assertTrue(written.contains(o), "host step operand " + o + " unwritten");
          }
          for (int o : h.outputs()) {
            written.add(o);
          }
        }
      }
    }
    for (int o : g.outputs()) {
      assertTrue(written.contains(o), "graph output slot " + o + " never written");
    }
  }

  private static String plan(GpuProgram p) {
    StringBuilder b = new StringBuilder();
    for (Launch l : launches(p)) {
      String origin = p.kernels().stream().filter(k -> k.name().equals(l.kernel())).findFirst().orElseThrow().origin();
      b.append(l.kernel()).append(l.gemm() != null ? " (BLAS)" : "").append(": ").append(origin).append('\n');
    }
    return b.toString();
  }

  @Test
  void mlpAdamStepIsFourLaunches() {
    // session 2: 30 launches (every Adam leaf update 4, reductions absorbing only sole results, 5 GEMMs)
    GpuProgram p = KernelGenerator.generate(ExampleGraphs.mlpStep());
    assertTopological(p);
    List<Launch> ls = launches(p);
    System.out.println("[gpu] MLP Adam step: " + ls.size() + " launches\n" + plan(p));
    assertTrue(ls.size() <= 4, "MLP Adam step: at most 4 launches, got " + ls.size() + ":\n" + plan(p));
    // 1 -> 32 -> 1: every matmul is an outer product or a matrix-vector product, fused as loops
    assertEquals(0, ls.stream().filter(l -> l.gemm() != null).count(), plan(p));
    // all four leaves' m, v and parameter updates, the step count and the loss: one launch
    List<Launch> horizontal = ls.stream().filter(l -> l.kernel().contains("horizontal")).toList();
    assertEquals(1, horizontal.size(), plan(p));
    assertEquals(14, horizontal.get(0).outputs().length, "the loss, the count, and m, v, param of 4 leaves: " + plan(p));
    // the loss's and the output bias gradient's reductions share one loop that also writes dL/dpred
    assertTrue(ls.stream().anyMatch(l -> l.kernel().contains("reduce2") && l.outputs().length == 3), plan(p));
  }

  @Test
  void smallDotsAreLoopsInsideFusedKernels() {
    GpuProgram outer = KernelGenerator.generate(FusionCases.outerProduct());
    assertEquals(1, launches(outer).size(), plan(outer));
    assertTrue(launches(outer).get(0).gemm() == null);
    GpuProgram mv = KernelGenerator.generate(FusionCases.matrixVector());
    assertTopological(mv);
    // the explicit transpose is stored; then both matrix-vector loops share one horizontal launch
    assertEquals(2, launches(mv).size(), plan(mv));
    assertTrue(launches(mv).get(1).kernel().contains("horizontal2"), plan(mv));
    assertTrue(mv.source().contains("for (sl_idx kv"), mv.source());
    assertEquals(1, launches(KernelGenerator.generate(FusionCases.batchedVectorMatrix())).size());
  }

  @Test
  void everyScheduleReadsOnlyWrittenSlots() {
    int n = 0;
    for (var cases : PrimitiveCases.all().values()) {
      for (Jaxpr j : cases) {
        assertTopological(KernelGenerator.generate(j));
        n++;
      }
    }
    for (Jaxpr j : FusionCases.all().values()) {
      assertTopological(KernelGenerator.generate(j));
      n++;
    }
    assertTrue(n > 380, "cases checked: " + n);
  }

  @Test
  void linregStepIsTwoLaunches() {
    // before: 6 (loss residual, 1/n, gradient scale, two reductions, update)
    GpuProgram p = KernelGenerator.generate(ExampleGraphs.linregUpdate());
    assertTopological(p);
    assertEquals(2, launches(p).size(), plan(p));
  }

  @Test
  void aReductionWritesItsProducersOtherResultAsASideOutput() {
    GpuProgram p = KernelGenerator.generate(FusionCases.sideOutput());
    assertTopological(p);
    assertEquals(1, launches(p).size(), plan(p));
    assertEquals(2, launches(p).get(0).outputs().length, "the squared difference and its sum");
  }

  @Test
  void reductionsOverTheSameAxesShareOneLoop() {
    for (var j : List.of(FusionCases.siblingsSerial(), FusionCases.siblingsTree())) {
      GpuProgram p = KernelGenerator.generate(j);
      assertTopological(p);
      assertEquals(1, launches(p).size(), plan(p));
    }
  }

  @Test
  void reductionsOverDifferentAxesAreSeparateLaunches() {
    GpuProgram p = KernelGenerator.generate(FusionCases.differentAxes());
    assertTopological(p);
    assertEquals(2, launches(p).size(), plan(p));
  }

  @Test
  void independentLoopsOfDifferentShapesShareALaunch() {
    GpuProgram p = KernelGenerator.generate(FusionCases.horizontal());
    assertEquals(1, launches(p).size(), plan(p));
    Launch l = launches(p).get(0);
    assertEquals(1 + 9 + 1, l.grid()[0], "one block range per part: 5, 2100 and 1 elements");
    assertEquals(3, l.outputs().length);
  }

  @Test
  void aScalarComputedFromInputsIsRecomputedNotLaunched() {
    GpuProgram p = KernelGenerator.generate(FusionCases.recomputedScalar());
    assertEquals(1, launches(p).size(), plan(p));
    assertTrue(p.source().contains("expf("), p.source());
  }

  @Test
  void groupsAroundADependentMatmulAreNotMerged() {
    GpuProgram p = KernelGenerator.generate(FusionCases.noCycleThroughMatmul());
    assertTopological(p);
    assertEquals(3, launches(p).size(), plan(p));
  }

  @Test
  void aOneBlockReductionOfManyElementsDoesNotTakeSideOutputs() {
    GpuProgram p = KernelGenerator.generate(FusionCases.largeReductionKeepsSideOutputsApart());
    assertTopological(p);
    assertEquals(2, launches(p).size(), plan(p));
  }

  @Test
  void mlpStepRunsEntirelyOnTheDevice() {
    assertEquals(List.of(), KernelGenerator.hostSteps(KernelGenerator.generate(ExampleGraphs.mlpStep())));
  }

  @Test
  void realMatmulsOfAnMlpGradientCarryBlasHints() {
    GpuProgram p = KernelGenerator.generate(FusionCases.wideMlpGrad());
    assertTopological(p);
    List<GpuProgram.Gemm> gemms = launches(p).stream().map(Launch::gemm).filter(g -> g != null).toList();
    // forward x@W1, h@W2; backward g@W2^T, h^T@g, x^T@g1
    assertTrue(gemms.size() >= 4, gemms.toString());
    assertTrue(gemms.stream().anyMatch(GpuProgram.Gemm::transA), "a weight gradient contracts the batch axis: " + gemms);
    assertTrue(gemms.stream().anyMatch(GpuProgram.Gemm::transB), "an input gradient multiplies by W^T: " + gemms);
  }
}
