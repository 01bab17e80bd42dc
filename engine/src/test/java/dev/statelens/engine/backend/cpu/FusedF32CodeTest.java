package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Compiled fused f32 groups ({@link FusedF32Code}) give the interpreted groups' bits (and so the
 * unfused kernels'): random f32 graphs (FusionTest's generator: XLA's functions between
 * arithmetic, comparisons and selects, broadcasts, literals, reductions, short rows, sizes split
 * over threads) compiled with {@code statelens.cpu.codegen=on} against the same graphs with
 * {@code off} and unfused.
 */
class FusedF32CodeTest {

  private static <T> T withCodegen(String mode, Supplier<T> make) {
    System.setProperty("statelens.cpu.codegen", mode);
    try {
      return make.get();
    } finally {
      System.clearProperty("statelens.cpu.codegen");
    }
  }

  /** The interpreter's fused f32 groups of {@code exe}, compiled or not yet. */
  private static List<FusedElementwise> groups(CpuExecutable exe) throws ReflectiveOperationException {
    var stepsField = CpuExecutable.class.getDeclaredField("steps");
    stepsField.setAccessible(true);
    List<FusedElementwise> out = new java.util.ArrayList<>();
    for (CpuExecutable.Step s : (CpuExecutable.Step[]) stepsField.get(exe)) {
      if (s.kernel() instanceof FusedElementwise f && f.usesF32Lanes()) {
        out.add(f);
      } else if (s.kernel() instanceof FusedReduction r) {
        out.add(r.expression());
      } else if (s.kernel() instanceof FusedMultiOutput m) {
        out.add(m.expression());
      }
    }
    return out;
  }

  @Test
  void randomF32GraphsCompiledGiveTheInterpretersBits() throws ReflectiveOperationException {
    int[][] shapes = {{1, 1}, {3, 5}, {7, 300}, {260, 300}, {1, 70_000}, {517, 48}, {3000, 32}, {33, 100}};
    int compiled = 0;
    for (long seed = 0; seed < 80; seed++) {
      int[] sh = shapes[(int) (seed % shapes.length)];
      FusionTest.GraphGen g = new FusionTest.GraphGen(seed * 6007 + 3, DType.F32, sh[0], sh[1]);
      Jaxpr jaxpr = g.build(4 + (int) (seed % 17));
      CpuBuffer[] in = g.inputs();
      CpuExecutable code = withCodegen("on", () -> new CpuExecutable(jaxpr, true));
      CpuExecutable interpreted = withCodegen("off", () -> new CpuExecutable(jaxpr, true));
      CpuBuffer[] unfused = new CpuExecutable(jaxpr, false).run(in);
      CpuBuffer[] expected = interpreted.run(in);
      CpuBuffer[] actual = code.run(in);
      for (int i = 0; i < expected.length; i++) {
        String what = "seed " + seed + " output " + i + " of\n" + jaxpr + "\nsteps " + code.stepNames();
        FusionTest.assertSameBits(expected[i], actual[i], what);
        FusionTest.assertSameBits(unfused[i], actual[i], what);
      }
      for (FusedElementwise f : groups(code)) {
        compiled += f.compiledCode() != null ? 1 : 0;
      }
      for (FusedElementwise f : groups(interpreted)) {
        assertNull(f.compiledCode(), "codegen=off interprets every group");
      }
    }
    assertTrue(compiled > 60, "random f32 graphs should run compiled groups, got " + compiled);
  }

  @Test
  void shortRowsMasksAndRowReductionsCompiledGiveTheUnfusedBits() throws ReflectiveOperationException {
    // FusionTest's softmax-gradient-like group (a bool mask, a broadcast column, exp) over rows of
    // every length up to half a block, with and without a row reduction, compiled
    Random rnd = new Random(17);
    for (int cols : new int[] {1, 3, 7, 32, 33, 48, 100, 128, 300}) {
      int rows = 1 + rnd.nextInt(90);
      for (Primitive reduce : new Primitive[] {null, Prims.REDUCE_SUM, Prims.REDUCE_MAX}) {
        FusionTest.GraphGen g = new FusionTest.GraphGen(cols, DType.F32, rows, cols);
        Var x = new Var(Aval.of(DType.F32, rows, cols));
        Var y = new Var(Aval.of(DType.F32, rows, cols));
        Var mask = new Var(Aval.of(DType.BOOL, rows, cols));
        Var col = new Var(Aval.of(DType.F32, rows));
        g.invars.addAll(List.of(x, y, mask, col));
        Var colB = g.eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", new int[] {rows, cols}, "broadcast_dimensions",
            new int[] {0}), col);
        Var kept = g.eqn(Prims.SELECT_N, Params.EMPTY, mask, y, x);
        Var v = g.eqn(Prims.SUB, Params.EMPTY, g.eqn(Prims.MUL, Params.EMPTY, kept, y), g.eqn(Prims.MUL, Params.EMPTY, colB, y));
        Var e = g.eqn(Prims.MUL, Params.EMPTY, g.eqn(Prims.EXP, Params.EMPTY, v), g.eqn(Prims.TANH, Params.EMPTY, kept));
        Var out = reduce == null ? e : g.eqn(reduce, Params.of("axes", new int[] {1}), e);
        Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(out));
        float[] xs = new float[rows * cols];
        float[] ys = new float[rows * cols];
        boolean[] ms = new boolean[rows * cols];
        float[] cs = new float[rows];
        for (int i = 0; i < xs.length; i++) {
          xs[i] = (float) (rnd.nextGaussian() * 2);
          ys[i] = (float) (rnd.nextGaussian() * 2);
          ms[i] = rnd.nextBoolean();
        }
        for (int i = 0; i < rows; i++) cs[i] = (float) rnd.nextGaussian();
        CpuBuffer[] in = {new CpuBuffer(x.aval(), xs), new CpuBuffer(y.aval(), ys), new CpuBuffer(mask.aval(), ms),
            new CpuBuffer(col.aval(), cs)};
        CpuExecutable code = withCodegen("on", () -> new CpuExecutable(jaxpr, true));
        CpuBuffer actual = code.run(in)[0];
        FusionTest.assertSameBits(new CpuExecutable(jaxpr, false).run(in)[0], actual,
            rows + " x " + cols + " " + (reduce == null ? "elementwise" : reduce.name()));
        assertNotNull(groups(code).get(0).compiledCode(), rows + " x " + cols + ": " + code.stepNames());
      }
    }
  }

  @Test
  void denseF32LeavesAreReadInPlaceTheOthersLoadedAndTheBitsAreTheUnfusedOnes() throws ReflectiveOperationException {
    // where(mask, x*y, exp(z)) + col*x + rsqrt(w): x and y (read by loop code), z (by XLA's exp
    // loop) and w (by RsqrtVector; loaded without the Vector API: the plain loop vectorizes only at
    // offset 0) are dense f32, read in place at the block's offset; the bool mask and the broadcast
    // column are loaded. Flat blocks, rows longer than a block (300: blocks start mid-row) and short
    // rows several to a block (48, 7)
    Random rnd = new Random(5);
    for (int[] sh : new int[][] {{1, 70_000}, {3, 300}, {517, 48}, {91, 7}, {9, 1000}}) {
      int rows = sh[0];
      int cols = sh[1];
      FusionTest.GraphGen g = new FusionTest.GraphGen(cols, DType.F32, rows, cols);
      Var x = new Var(Aval.of(DType.F32, rows, cols));
      Var y = new Var(Aval.of(DType.F32, rows, cols));
      Var z = new Var(Aval.of(DType.F32, rows, cols));
      Var mask = new Var(Aval.of(DType.BOOL, rows, cols));
      Var col = new Var(Aval.of(DType.F32, rows));
      Var w = new Var(Aval.of(DType.F32, rows, cols));
      g.invars.addAll(List.of(x, y, z, mask, col, w));
      Var colB = g.eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", new int[] {rows, cols}, "broadcast_dimensions",
          new int[] {0}), col);
      Var picked = g.eqn(Prims.SELECT_N, Params.EMPTY, mask, g.eqn(Prims.EXP, Params.EMPTY, z),
          g.eqn(Prims.MUL, Params.EMPTY, x, y));
      Var out = g.eqn(Prims.ADD, Params.EMPTY, g.eqn(Prims.ADD, Params.EMPTY, picked, g.eqn(Prims.MUL, Params.EMPTY, colB, x)),
          g.eqn(Prims.RSQRT, Params.EMPTY, w));
      Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(out));
      int n = rows * cols;
      float[] xs = new float[n];
      float[] ys = new float[n];
      float[] zs = new float[n];
      boolean[] ms = new boolean[n];
      float[] cs = new float[rows];
      float[] ws = new float[n];
      for (int i = 0; i < n; i++) {
        ws[i] = (float) Math.abs(rnd.nextGaussian() * 4);
        xs[i] = (float) rnd.nextGaussian();
        ys[i] = (float) rnd.nextGaussian();
        zs[i] = (float) rnd.nextGaussian();
        ms[i] = rnd.nextBoolean();
      }
      for (int i = 0; i < rows; i++) cs[i] = (float) rnd.nextGaussian();
      CpuBuffer[] in = {new CpuBuffer(x.aval(), xs), new CpuBuffer(y.aval(), ys), new CpuBuffer(z.aval(), zs),
          new CpuBuffer(mask.aval(), ms), new CpuBuffer(col.aval(), cs), new CpuBuffer(w.aval(), ws)};
      CpuExecutable code = withCodegen("on", () -> new CpuExecutable(jaxpr, true));
      CpuBuffer actual = code.run(in)[0];
      FusionTest.assertSameBits(new CpuExecutable(jaxpr, false).run(in)[0], actual, rows + " x " + cols);
      FusedElementwise group = groups(code).get(0);
      boolean[] inPlace = group.inPlaceLeaves();
      assertNotNull(inPlace, rows + " x " + cols + " should be compiled: " + code.stepNames());
      assertEquals(6, inPlace.length, code.stepNames().toString());
      int count = 0;
      for (boolean b : inPlace) count += b ? 1 : 0;
      assertEquals(FusedElementwise.VECTOR ? 4 : 3, count, rows + " x " + cols + ": x, y, z and w (with the Vector"
          + " API) are read in place (the mask and the column loaded), got " + java.util.Arrays.toString(inPlace));
    }
  }

  @Test
  void groupsOfOneShapeShareOneClassAndAutoCompilesAtTheSecondRun() throws ReflectiveOperationException {
    // tanh(x * c) + x with two different constants: one program shape, one generated class
    FusionTest.GraphGen g = new FusionTest.GraphGen(1, DType.F32, 64, 64);
    Var x = new Var(Aval.of(DType.F32, 64, 64));
    g.invars.add(x);
    Var a = g.eqn(Prims.ADD, Params.EMPTY, g.eqn(Prims.TANH, Params.EMPTY,
        g.eqn(Prims.MUL, Params.EMPTY, x, new dev.statelens.engine.ir.Literal(Aval.scalar(DType.F32), 0.5))), x);
    Var b = g.eqn(Prims.ADD, Params.EMPTY, g.eqn(Prims.TANH, Params.EMPTY,
        g.eqn(Prims.MUL, Params.EMPTY, x, new dev.statelens.engine.ir.Literal(Aval.scalar(DType.F32), 0.25))), x);
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(a, b));
    CpuBuffer[] in = {new CpuBuffer(x.aval(), new float[64 * 64])};
    CpuExecutable exe = withCodegen("auto", () -> new CpuExecutable(jaxpr, true));
    List<FusedElementwise> groups = groups(exe);
    assertEquals(2, groups.size(), exe.stepNames().toString());
    exe.run(in);
    assertNull(groups.get(0).compiledCode(), "auto interprets a group's first run");
    exe.run(in);
    assertNotNull(groups.get(0).compiledCode(), "auto compiles it at the second");
    assertTrue(groups.get(0).compiledCode() == groups.get(1).compiledCode(), "the constants are registers: one class");
    if (FusedElementwise.VECTOR) {
      assertTrue(FusedF32Code.VECTOR_LANES >= 8, "with the Vector API the loops step whole vectors");
    }
  }

  @Test
  void autoCountsRunsNotThePiecesARunIsSplitInto() throws ReflectiveOperationException {
    // a row sum folds its group block by block, and a large group runs in parallel parts: the
    // first run of each is still one run, interpreted; the second compiles
    FusionTest.GraphGen g = new FusionTest.GraphGen(1, DType.F32, 512, 512);
    Var x = new Var(Aval.of(DType.F32, 512, 512));
    Var y = new Var(Aval.of(DType.F32, 512, 512));
    g.invars.addAll(List.of(x, y));
    Var rowSums = g.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {1}),
        g.eqn(Prims.ADD, Params.EMPTY, g.eqn(Prims.MUL, Params.EMPTY, x, y), x));
    Var large = g.eqn(Prims.SUB, Params.EMPTY, g.eqn(Prims.MUL, Params.EMPTY, y, y), x);
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(rowSums, large));
    CpuBuffer[] in = {new CpuBuffer(x.aval(), new float[512 * 512]), new CpuBuffer(y.aval(), new float[512 * 512])};
    CpuExecutable exe = withCodegen("auto", () -> new CpuExecutable(jaxpr, true));
    List<FusedElementwise> groups = groups(exe);
    assertEquals(2, groups.size(), exe.stepNames().toString());
    exe.run(in);
    for (FusedElementwise f : groups) {
      assertNull(f.compiledCode(), "auto compiled a group during its first run: " + exe.stepNames());
    }
    exe.run(in);
    for (FusedElementwise f : groups) {
      assertNotNull(f.compiledCode(), "auto compiles a group at its second run: " + exe.stepNames());
    }
  }

  @Test
  void autoLeavesALoneAddAndSmallGroupsInterpreted() throws ReflectiveOperationException {
    // x + bias: one operation, as fast interpreted (its loads and store); x * y + x over 16 elements: too small
    FusionTest.GraphGen g = new FusionTest.GraphGen(1, DType.F32, 64, 64);
    Var x = new Var(Aval.of(DType.F32, 64, 64));
    Var y = new Var(Aval.of(DType.F32, 64, 64));
    Var small = new Var(Aval.of(DType.F32, 4, 4));
    Var bias = new Var(Aval.of(DType.F32, 64));
    g.invars.addAll(List.of(x, y, small, bias));
    Var lone = g.eqn(Prims.ADD, Params.EMPTY, x, g.eqn(Prims.BROADCAST_IN_DIM,
        Params.of("shape", new int[] {64, 64}, "broadcast_dimensions", new int[] {1}), bias));
    Var two = g.eqn(Prims.ADD, Params.EMPTY, g.eqn(Prims.MUL, Params.EMPTY, x, y), x);
    Var tiny = g.eqn(Prims.ADD, Params.EMPTY, g.eqn(Prims.MUL, Params.EMPTY, small, small), small);
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(lone, two, tiny));
    CpuBuffer[] in = {new CpuBuffer(x.aval(), new float[64 * 64]), new CpuBuffer(y.aval(), new float[64 * 64]),
        new CpuBuffer(small.aval(), new float[16]), new CpuBuffer(bias.aval(), new float[64])};
    CpuExecutable exe = withCodegen("auto", () -> new CpuExecutable(jaxpr, true));
    exe.run(in);
    exe.run(in);
    List<FusedElementwise> groups = groups(exe);
    assertEquals(3, groups.size(), exe.stepNames().toString());
    List<Boolean> compiled = groups.stream().map(f -> f.compiledCode() != null).toList();
    assertEquals(List.of(false, true, false), compiled, exe.stepNames().toString());
  }
}
