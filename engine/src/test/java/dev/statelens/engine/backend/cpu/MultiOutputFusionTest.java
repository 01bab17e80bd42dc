package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Multi-output fused groups ({@link MultiOutput}, {@link FusedMultiOutput}) give the separate
 * steps' bits: the layer norm gradient's pattern and random f32 graphs with several trailing and
 * leading reductions of their values, against {@code -Dstatelens.cpu.multioutput=false} and unfused.
 */
class MultiOutputFusionTest {

  private static <T> T withMultiOutput(boolean on, Supplier<T> make) {
    System.setProperty("statelens.cpu.multioutput", Boolean.toString(on));
    try {
      return make.get();
    } finally {
      System.clearProperty("statelens.cpu.multioutput");
    }
  }

  private static long multiOutputSteps(CpuExecutable exe) throws ReflectiveOperationException {
    var stepsField = CpuExecutable.class.getDeclaredField("steps");
    stepsField.setAccessible(true);
    long n = 0;
    for (CpuExecutable.Step s : (CpuExecutable.Step[]) stepsField.get(exe)) {
      n += s.kernel() instanceof FusedMultiOutput ? 1 : 0;
    }
    return n;
  }

  private static float[] gaussians(Random rnd, int n) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) f[i] = (float) (rnd.nextGaussian() * 3);
    return f;
  }

  @Test
  void theLayerNormGradientsProductAndItsTwoReductionsAreOneStepWithTheSeparateStepsBits()
      throws ReflectiveOperationException {
    // p = g * x read by sum(p * a, axis=2) and sum(p * b, axes=(0, 1)); sum(g, axes=(0, 1)) reads g;
    // q = g * a is read by max(-q * col, axis=2) and by a step outside (q + 1 is a result)
    Random rnd = new Random(3);
    for (int[] sh : new int[][] {{16, 32, 48}, {3, 5, 7}, {2, 9, 256}, {1, 1, 1}, {4, 6, 33}}) {
      FusionTest.GraphGen gen = new FusionTest.GraphGen(1, DType.F32, sh[0] * sh[1], sh[2]);
      Aval s = Aval.of(DType.F32, sh);
      Var g = new Var(s);
      Var x = new Var(s);
      Var a = new Var(s);
      Var b = new Var(s);
      Var col = new Var(Aval.of(DType.F32, sh[0], sh[1]));
      gen.invars.addAll(List.of(g, x, a, b, col));
      Var p = gen.eqn(Prims.MUL, Params.EMPTY, g, x);
      Var rowSum = gen.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {2}), gen.eqn(Prims.MUL, Params.EMPTY, p, a));
      Var colSum = gen.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {0, 1}), gen.eqn(Prims.MUL, Params.EMPTY, p, b));
      Var gSum = gen.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {0, 1}), g);
      Var q = gen.eqn(Prims.MUL, Params.EMPTY, g, a);
      Var colB = gen.eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", sh, "broadcast_dimensions", new int[] {0, 1}), col);
      Var rowMax = gen.eqn(Prims.REDUCE_MAX, Params.of("axes", new int[] {2}),
          gen.eqn(Prims.MUL, Params.EMPTY, gen.eqn(Prims.NEG, Params.EMPTY, q), colB));
      Var qPlus = gen.eqn(Prims.ADD, Params.EMPTY, q, new dev.statelens.engine.ir.Literal(Aval.scalar(DType.F32), 1.0));
      Jaxpr jaxpr = new Jaxpr(List.of(), gen.invars, gen.eqns, List.of(rowSum, colSum, gSum, rowMax, qPlus));
      int n = s.size();
      CpuBuffer[] in = {new CpuBuffer(s, gaussians(rnd, n)), new CpuBuffer(s, gaussians(rnd, n)),
          new CpuBuffer(s, gaussians(rnd, n)), new CpuBuffer(s, gaussians(rnd, n)),
          new CpuBuffer(col.aval(), gaussians(rnd, sh[0] * sh[1]))};
      CpuExecutable merged = withMultiOutput(true, () -> new CpuExecutable(jaxpr, true));
      CpuExecutable separate = withMultiOutput(false, () -> new CpuExecutable(jaxpr, true));
      String what = java.util.Arrays.toString(sh) + " " + merged.stepNames();
      assertEquals(1, multiOutputSteps(merged), what);
      assertEquals(0, multiOutputSteps(separate), separate.stepNames().toString());
      assertEquals(1, merged.stepNames().size(), "every step is one group: " + what);
      CpuBuffer[] expected = separate.run(in);
      CpuBuffer[] unfused = new CpuExecutable(jaxpr, false).run(in);
      for (int call = 1; call <= 3; call++) { // interpreted, then compiled (auto: from the second run)
        CpuBuffer[] actual = merged.run(in);
        for (int i = 0; i < expected.length; i++) {
          FusionTest.assertSameBits(expected[i], actual[i], what + " call " + call + " output " + i);
          FusionTest.assertSameBits(unfused[i], actual[i], what + " call " + call + " output " + i + " (unfused)");
        }
      }
    }
  }

  @Test
  void aValueComputedAfterTheFirstMemberKeepsTheGroupsApart() throws ReflectiveOperationException {
    // r = sum(g * x, axis=1) feeds back: h = g * broadcast(r) needs r first, so sum(h, axes=0)
    // cannot join the group that computes r (it would read its own output)
    FusionTest.GraphGen gen = new FusionTest.GraphGen(1, DType.F32, 40, 24);
    Aval s = Aval.of(DType.F32, 40, 24);
    Var g = new Var(s);
    Var x = new Var(s);
    gen.invars.addAll(List.of(g, x));
    Var r = gen.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {1}), gen.eqn(Prims.MUL, Params.EMPTY, g, x));
    Var rb = gen.eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", new int[] {40, 24}, "broadcast_dimensions", new int[] {0}), r);
    Var h = gen.eqn(Prims.MUL, Params.EMPTY, g, rb);
    Var lead = gen.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {0}), h);
    Jaxpr jaxpr = new Jaxpr(List.of(), gen.invars, gen.eqns, List.of(r, lead));
    Random rnd = new Random(9);
    CpuBuffer[] in = {new CpuBuffer(s, gaussians(rnd, s.size())), new CpuBuffer(s, gaussians(rnd, s.size()))};
    CpuExecutable merged = withMultiOutput(true, () -> new CpuExecutable(jaxpr, true));
    CpuBuffer[] expected = new CpuExecutable(jaxpr, false).run(in);
    CpuBuffer[] actual = merged.run(in);
    for (int i = 0; i < expected.length; i++) {
      FusionTest.assertSameBits(expected[i], actual[i], merged.stepNames() + " output " + i);
    }
    assertTrue(merged.stepNames().size() >= 2, "r must be computed before h: " + merged.stepNames());
  }

  @Test
  void randomF32GraphsWithSeveralReductionsGiveTheSeparateStepsBits() throws ReflectiveOperationException {
    int[][] shapes = {{1, 1}, {3, 5}, {517, 48}, {33, 100}, {60, 256}, {128, 33}};
    Primitive[] reductions = {Prims.REDUCE_SUM, Prims.REDUCE_SUM, Prims.REDUCE_MAX, Prims.REDUCE_MIN};
    long merged = 0;
    for (long seed = 0; seed < 60; seed++) {
      int[] sh = shapes[(int) (seed % shapes.length)];
      FusionTest.GraphGen g = new FusionTest.GraphGen(seed * 4099 + 11, DType.F32, sh[0], sh[1]);
      Jaxpr base = g.build(4 + (int) (seed % 11));
      Random rnd = new Random(seed);
      List<Atom> outs = new ArrayList<>(base.outvars());
      int extra = 1 + rnd.nextInt(4);
      for (int k = 0; k < extra; k++) {
        Atom v = g.pool.get(rnd.nextInt(g.pool.size()));
        int[] axes = rnd.nextBoolean() ? new int[] {1} : new int[] {0};
        outs.add(g.eqn(reductions[rnd.nextInt(reductions.length)], Params.of("axes", axes), v));
      }
      Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, outs);
      CpuExecutable on = assertMergedGivesTheSeparateStepsBits(jaxpr, g.inputs(), "seed " + seed, true);
      merged += multiOutputSteps(on);
    }
    assertTrue(merged > 20, "random graphs with several reductions should merge groups, got " + merged);
  }
  @Test
  void groupsAboveOneThreadsWorthSplitOverThreadsWithTheSeparateStepsBits() throws ReflectiveOperationException {
    // above 32,768 elements a merged step splits by columns (leading reductions only, rows >= 64),
    // at segment boundaries (trailing reductions only) or by the leading lanes (both kinds: here
    // each row is one leading lane's run and one trailing segment, rows >= 64); narrower rows stay
    // separate steps
    int[][] shapes = {{520, 192}, {1100, 64}, {300, 256}, {2100, 33}, {129, 255}};
    Primitive[] reductions = {Prims.REDUCE_SUM, Prims.REDUCE_SUM, Prims.REDUCE_MAX, Prims.REDUCE_MIN};
    long mergedLeading = 0;
    long mergedTrailing = 0;
    long mergedBoth = 0;
    for (long seed = 0; seed < 20; seed++) {
      int[] sh = shapes[(int) (seed % shapes.length)];
      FusionTest.GraphGen g = new FusionTest.GraphGen(seed * 7919 + 5, DType.F32, sh[0], sh[1]);
      Jaxpr base = g.build(4 + (int) (seed % 9));
      Random rnd = new Random(seed);
      List<Atom> outs = new ArrayList<>(base.outvars());
      int kind = (int) (seed % 3); // 0: leading only, 1: trailing only, 2: both
      int extra = 2 + rnd.nextInt(3);
      for (int k = 0; k < extra; k++) {
        Atom v = g.pool.get(rnd.nextInt(g.pool.size()));
        boolean leading = kind == 0 || (kind == 2 && k % 2 == 0);
        outs.add(g.eqn(reductions[rnd.nextInt(reductions.length)], Params.of("axes", new int[] {leading ? 0 : 1}), v));
      }
      Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, outs);
      CpuExecutable on = assertMergedGivesTheSeparateStepsBits(
          jaxpr, g.inputs(), "seed " + seed + " " + java.util.Arrays.toString(sh), false);
      long merged = multiOutputSteps(on);
      if (kind != 1 && sh[1] < FusedMultiOutput.MIN_SPLIT_WIDTH) {
        assertEquals(0, mergedWithBothKinds(on, kind, sh), "unsplittable groups stay apart: " + on.stepNames());
      }
      mergedLeading += kind == 0 ? merged : 0;
      mergedTrailing += kind == 1 ? merged : 0;
      mergedBoth += kind == 2 ? mergedWithBothKinds(on, kind, sh) : 0;
    }
    assertTrue(mergedLeading >= 3, "large groups with leading reductions should merge, got " + mergedLeading);
    assertTrue(mergedTrailing >= 3, "large groups with trailing reductions should merge, got " + mergedTrailing);
    assertTrue(mergedBoth >= 2, "large groups with both kinds should merge, got " + mergedBoth);
  }

  /**
   * Runs {@code jaxpr} with multi-output fusion twice (interpreted, then compiled) and asserts every
   * output has the bits of the separate steps and of the unfused graph; returns the merged executable.
   */
  private static CpuExecutable assertMergedGivesTheSeparateStepsBits(Jaxpr jaxpr, CpuBuffer[] in, String label,
      boolean showGraph) {
    CpuExecutable on = withMultiOutput(true, () -> new CpuExecutable(jaxpr, true));
    CpuExecutable off = withMultiOutput(false, () -> new CpuExecutable(jaxpr, true));
    CpuBuffer[] expected = off.run(in);
    CpuBuffer[] unfused = new CpuExecutable(jaxpr, false).run(in);
    for (int call = 1; call <= 2; call++) { // interpreted, then compiled
      CpuBuffer[] actual = on.run(in);
      for (int i = 0; i < expected.length; i++) {
        String what = label + " call " + call + " output " + i + (showGraph ? " of\n" + jaxpr + "\n" : " ")
            + "steps " + on.stepNames();
        FusionTest.assertSameBits(expected[i], actual[i], what);
        FusionTest.assertSameBits(unfused[i], actual[i], what + " (unfused)");
      }
    }
    return on;
  }

  @Test
  void aLargeGroupsThreadsCutOnlyBetweenTrailingSegments() throws ReflectiveOperationException {
    // [5,100,128]: sum(p * a, axes=(1, 2)) folds 100-row segments; two threads would meet at row
    // 250, inside a segment: the cut moves to row 300. max(p, axis=2) and p + 1 split anywhere.
    int[] sh = {5, 100, 128};
    Aval s = Aval.of(DType.F32, sh);
    FusionTest.GraphGen gen = new FusionTest.GraphGen(1, DType.F32, sh[0] * sh[1], sh[2]);
    Var g = new Var(s);
    Var x = new Var(s);
    Var a = new Var(s);
    gen.invars.addAll(List.of(g, x, a));
    Var p = gen.eqn(Prims.MUL, Params.EMPTY, g, x);
    Var segmentSum = gen.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {1, 2}), gen.eqn(Prims.MUL, Params.EMPTY, p, a));
    Var rowMax = gen.eqn(Prims.REDUCE_MAX, Params.of("axes", new int[] {2}), p);
    Var pPlus = gen.eqn(Prims.ADD, Params.EMPTY, p, new dev.statelens.engine.ir.Literal(Aval.scalar(DType.F32), 1.0));
    Jaxpr jaxpr = new Jaxpr(List.of(), gen.invars, gen.eqns, List.of(segmentSum, rowMax, pPlus));
    Random rnd = new Random(5);
    CpuBuffer[] in = {new CpuBuffer(s, gaussians(rnd, s.size())), new CpuBuffer(s, gaussians(rnd, s.size())),
        new CpuBuffer(s, gaussians(rnd, s.size()))};
    CpuExecutable merged = withMultiOutput(true, () -> new CpuExecutable(jaxpr, true));
    assertEquals(1, multiOutputSteps(merged), merged.stepNames().toString());
    var stepsField = CpuExecutable.class.getDeclaredField("steps");
    stepsField.setAccessible(true);
    FusedMultiOutput step = (FusedMultiOutput) java.util.Arrays.stream((CpuExecutable.Step[]) stepsField.get(merged))
        .map(CpuExecutable.Step::kernel).filter(k -> k instanceof FusedMultiOutput).findFirst().orElseThrow();
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 300, 500}, step.segmentCuts(500, 128, 2));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 200, 300, 400, 500}, step.segmentCuts(500, 128, 4));
    CpuBuffer[] expected = withMultiOutput(false, () -> new CpuExecutable(jaxpr, true)).run(in);
    for (int call = 1; call <= 20; call++) { // a misplaced cut races: several calls
      CpuBuffer[] actual = merged.run(in);
      for (int i = 0; i < expected.length; i++) {
        FusionTest.assertSameBits(expected[i], actual[i], "call " + call + " output " + i + " " + merged.stepNames());
      }
    }
  }

  @Test
  void largeGroupsWithBothKindsSplitByLeadingLanesOrStayApart() throws ReflectiveOperationException {
    // [16,32,192] (the transformer's layer norm gradient): p = g * x, a trailing sum of p * a and a
    // leading sum of p; rows go to threads by the leading sum's lane, (row / (n / 192)) % 4
    int[] sh = {16, 32, 192};
    Aval s = Aval.of(DType.F32, sh);
    Random rnd = new Random(11);
    CpuBuffer[] in = {new CpuBuffer(s, gaussians(rnd, s.size())), new CpuBuffer(s, gaussians(rnd, s.size())),
        new CpuBuffer(s, gaussians(rnd, s.size()))};
    // leading axes, trailing axes, whether they merge: a trailing segment of 32 rows fits a run of
    // 32 rows (leading axis 0: n = 32 * 192) but crosses runs of one row (axes 0, 1: n = 192)
    Object[][] cases = {{new int[] {0, 1}, new int[] {2}, true}, {new int[] {0}, new int[] {2}, true},
        {new int[] {0}, new int[] {1, 2}, true}, {new int[] {0, 1}, new int[] {1, 2}, false}};
    for (Object[] c : cases) {
      FusionTest.GraphGen gen = new FusionTest.GraphGen(1, DType.F32, sh[0] * sh[1], sh[2]);
      Var g = new Var(s);
      Var x = new Var(s);
      Var a = new Var(s);
      gen.invars.addAll(List.of(g, x, a));
      Var p = gen.eqn(Prims.MUL, Params.EMPTY, g, x);
      Var trailing = gen.eqn(Prims.REDUCE_SUM, Params.of("axes", (int[]) c[1]), gen.eqn(Prims.MUL, Params.EMPTY, p, a));
      Var leading = gen.eqn(Prims.REDUCE_SUM, Params.of("axes", (int[]) c[0]), p);
      Jaxpr jaxpr = new Jaxpr(List.of(), gen.invars, gen.eqns, List.of(trailing, leading, p));
      String label = "leading " + java.util.Arrays.toString((int[]) c[0]) + ", trailing "
          + java.util.Arrays.toString((int[]) c[1]);
      CpuExecutable merged = withMultiOutput(true, () -> new CpuExecutable(jaxpr, true));
      assertEquals((boolean) c[2] ? 1 : 0, mergedWithBothKinds(merged, 2, sh), label + ": " + merged.stepNames());
      CpuBuffer[] expected = withMultiOutput(false, () -> new CpuExecutable(jaxpr, true)).run(in);
      CpuBuffer[] unfused = new CpuExecutable(jaxpr, false).run(in);
      for (int call = 1; call <= 10; call++) { // a lane on two threads would race: several calls
        CpuBuffer[] actual = merged.run(in);
        for (int i = 0; i < expected.length; i++) {
          FusionTest.assertSameBits(expected[i], actual[i], label + " call " + call + " output " + i);
          FusionTest.assertSameBits(unfused[i], actual[i], label + " call " + call + " output " + i + " (unfused)");
        }
      }
    }
    assertEquals(1, FusedMultiOutput.laneRows(192, new int[] {192, 192}, new int[] {192}));
    assertEquals(0, FusedMultiOutput.laneRows(192, new int[] {192, 32 * 192}, new int[] {192}), "two lane layouts");
    assertEquals(0, FusedMultiOutput.laneRows(33, new int[] {33}, new int[] {33}), "runs narrower than 64");
    assertEquals(0, FusedMultiOutput.laneRows(192, new int[] {192}, new int[] {192 * 512}), "a full sum");
  }

  /** Multi-output steps of {@code exe} that fold both a leading and a trailing reduction (kind 2), or any (kind 0). */
  private static long mergedWithBothKinds(CpuExecutable exe, int kind, int[] sh) throws ReflectiveOperationException {
    var stepsField = CpuExecutable.class.getDeclaredField("steps");
    stepsField.setAccessible(true);
    long n = 0;
    for (CpuExecutable.Step s : (CpuExecutable.Step[]) stepsField.get(exe)) {
      if (s.kernel() instanceof FusedMultiOutput m) {
        var kinds = java.util.Arrays.stream(m.outputs()).map(FusedMultiOutput.Output::kind).toList();
        boolean both = kinds.contains(FusedMultiOutput.Kind.LEADING) && kinds.contains(FusedMultiOutput.Kind.TRAILING);
        n += kind == 2 ? (both ? 1 : 0) : (kinds.contains(FusedMultiOutput.Kind.LEADING) ? 1 : 0);
      }
    }
    return n;
  }
}
