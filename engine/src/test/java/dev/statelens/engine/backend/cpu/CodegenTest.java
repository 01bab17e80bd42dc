package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated code ({@link GraphCodegen}) must give the interpreter's bits: random graphs of
 * elementwise chains, broadcasts, selects, conversions and reductions (row, full, leading-axis),
 * in F32 and F64; the linear-regression step's graph as one loop; scratch arrays under threads.
 * The primitive corpus and the examples' graphs are checked in {@code CpuCodegenCorpusTest}.
 */
class CodegenTest {

  /** Same aval and the same bits (floats by bit pattern, so NaN payloads and -0.0 count). */
  static void assertSameBits(CpuBuffer expected, CpuBuffer actual, String what) {
    if (expected.data() instanceof int[] e) {
      assertEquals(expected.aval(), actual.aval(), what);
      assertTrue(java.util.Arrays.equals(e, actual.i32()), what);
    } else {
      FusionTest.assertSameBits(expected, actual, what);
    }
  }

  private static void assertSameOutputs(CpuExecutable expected, CpuExecutable actual, CpuBuffer[] in, String what) {
    CpuBuffer[] e = expected.run(in);
    CpuBuffer[] a = actual.run(in);
    assertEquals(e.length, a.length, what);
    for (int i = 0; i < e.length; i++) {
      assertSameBits(e[i], a[i], what + " output " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"F32", "F64"})
  void randomGraphsGeneratedEqualInterpretedBitForBit(String dtype) {
    DType dt = DType.valueOf(dtype);
    int[][] shapes = {{1, 1}, {3, 5}, {7, 300}, {128, 1}, {40, 33}, {1, 9000}};
    int generated = 0;
    int loops = 0;
    for (long seed = 0; seed < 60; seed++) {
      int[] sh = shapes[(int) (seed % shapes.length)];
      FusionTest.GraphGen g = new FusionTest.GraphGen(seed * 104_729 + dt.ordinal(), dt, sh[0], sh[1]);
      Jaxpr jaxpr = g.build(4 + (int) (seed % 17));
      CpuBuffer[] in = g.inputs();
      CpuExecutable code = CpuExecutable.compile(jaxpr, "on");
      assertTrue(code.isGenerated(), "seed " + seed + ": not generated: " + GraphCodegen.whyNot(jaxpr) + "\n" + jaxpr);
      generated++;
      loops += (int) code.generatedStepNames().stream().filter(s -> s.startsWith("loop[")).count();
      String what = "seed " + seed + " " + dt + " of\n" + jaxpr + "\ngenerated " + code.generatedStepNames();
      assertSameOutputs(new CpuExecutable(jaxpr, false), code, in, what + " (vs unfused)");
      assertSameOutputs(new CpuExecutable(jaxpr, true), code, in, what + " (vs fused)");
      assertSameOutputs(code, code, in, what + " (second call, scratch reused)");
    }
    assertEquals(60, generated);
    assertTrue(loops > 40, "random graphs should make loops, got " + loops);
  }

  /** Reductions over leading axes, trailing axes and all axes of values computed in the same loop. */
  @ParameterizedTest
  @ValueSource(strings = {"F32", "F64"})
  void reductionsOfEveryLoopKindMatch(String dtype) {
    DType dt = DType.valueOf(dtype);
    FusionTest.GraphGen g = new FusionTest.GraphGen(11, dt, 37, 29);
    Var x = new Var(Aval.of(dt, 37, 29));
    Var y = new Var(Aval.of(dt, 37, 29));
    g.invars.add(x);
    g.invars.add(y);
    Var d = g.eqn(Prims.SUB, Params.EMPTY, x, y);
    Var t = g.eqn(Prims.TANH, Params.EMPTY, d);
    Var rows = g.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {1}), t);
    Var cols = g.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {0}), t);
    Var all = g.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {0, 1}), d);
    Var mx = g.eqn(Prims.REDUCE_MAX, Params.of("axes", new int[] {1}), d);
    Var mn = g.eqn(Prims.REDUCE_MIN, Params.of("axes", new int[] {0}), t);
    Var scaled = g.eqn(Prims.MUL, Params.EMPTY, all, new Literal(Aval.scalar(dt), 0.125));
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(rows, cols, scaled, mx, mn));
    CpuExecutable code = CpuExecutable.compile(jaxpr, "on");
    assertTrue(code.isGenerated());
    CpuBuffer[] in = g.inputs();
    assertSameOutputs(new CpuExecutable(jaxpr, false), code, in, "reductions " + code.generatedStepNames());
  }

  @Test
  void linearRegressionStepIsOneLoopWithBothReductions() {
    // the examples' linreg update after dead-code elimination (see docs/benchmarks.md)
    Var a = new Var(Aval.scalar(DType.F32));
    Var b = new Var(Aval.scalar(DType.F32));
    Var c = new Var(Aval.of(DType.F32, 128, 1));
    Var dv = new Var(Aval.of(DType.F32, 128, 1));
    FusionTest.GraphGen g = new FusionTest.GraphGen(5, DType.F32, 128, 1);
    g.invars.addAll(List.of(a, b, c, dv));
    Var e = g.eqn(Prims.MUL, Params.EMPTY, a, c);
    Var f = g.eqn(Prims.ADD, Params.EMPTY, e, b);
    Var gg = g.eqn(Prims.SUB, Params.EMPTY, f, dv);
    Var h = g.eqn(Prims.DIV, Params.EMPTY, new Literal(Aval.scalar(DType.F32), 1), new Literal(Aval.scalar(DType.F32), 128));
    Var i = g.eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", new int[] {128, 1}, "broadcast_dimensions", new int[0]), h);
    Var j = g.eqn(Prims.MUL, Params.EMPTY, i, gg);
    Var k = g.eqn(Prims.MUL, Params.EMPTY, j, new Literal(Aval.scalar(DType.F32), 2));
    Var l = g.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {0, 1}), k);
    Var m = g.eqn(Prims.MUL, Params.EMPTY, k, c);
    Var n = g.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {0, 1}), m);
    Var o = g.eqn(Prims.MUL, Params.EMPTY, n, new Literal(Aval.scalar(DType.F32), 0.005));
    Var p = g.eqn(Prims.SUB, Params.EMPTY, a, o);
    Var q = g.eqn(Prims.MUL, Params.EMPTY, l, new Literal(Aval.scalar(DType.F32), 0.005));
    Var r = g.eqn(Prims.SUB, Params.EMPTY, b, q);
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(p, r));
    CpuExecutable code = CpuExecutable.compile(jaxpr, "auto");
    CpuBuffer[] in = g.inputs();
    code.run(in);
    assertFalse(code.isGenerated(), "auto generates code at the second run");
    code.run(in);
    assertEquals(List.of("scalar[div]", "loop[mul,add,sub,mul,mul,reduce_sum,mul,reduce_sum]",
        "scalar[mul]", "scalar[sub]", "scalar[mul]", "scalar[sub]"), code.generatedStepNames());
    assertSameOutputs(new CpuExecutable(jaxpr, true), code, in, "linreg");
  }

  @Test
  void eachLoopRunsInItsOwnStaticMethod() {
    // warm-up: small methods get compiled by call count, not by OSR of one big graph method
    DType dt = DType.F32;
    FusionTest.GraphGen g = new FusionTest.GraphGen(13, dt, 16, 8);
    Var x = new Var(Aval.of(dt, 16, 8));
    Var y = new Var(Aval.of(dt, 16, 8));
    Var s = new Var(Aval.scalar(dt));
    g.invars.addAll(List.of(x, y, s));
    Var d = g.eqn(Prims.SUB, Params.EMPTY, x, y);
    Var sq = g.eqn(Prims.SQUARE, Params.EMPTY, d);
    Var ss = g.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {0, 1}), sq); // two full reductions:
    Var mx = g.eqn(Prims.REDUCE_MAX, Params.of("axes", new int[] {0, 1}), d); // results via an array
    Var dot = g.eqn(Prims.DOT_GENERAL, Params.of("dimension_numbers",
        List.of(new int[] {1}, new int[] {1}, new int[0], new int[0])), d, y);
    Var t = g.eqn(Prims.TANH, Params.EMPTY, dot);
    Var ts = g.eqn(Prims.MUL, Params.EMPTY, t, s); // a scalar parameter
    Var rows = g.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {1}), ts); // one trailing reduction
    Var scaled = g.eqn(Prims.MUL, Params.EMPTY, ss, mx);
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(d, scaled, rows));
    CpuExecutable code = CpuExecutable.compile(jaxpr, "on");
    assertTrue(code.isGenerated(), GraphCodegen.whyNot(jaxpr));
    long loops = code.generatedStepNames().stream().filter(n -> n.startsWith("loop[")).count();
    List<java.lang.reflect.Method> methods = java.util.Arrays.stream(code.generatedClass().getDeclaredMethods())
        .filter(m -> java.lang.reflect.Modifier.isStatic(m.getModifiers())).toList();
    assertTrue(loops >= 2, code.generatedStepNames().toString());
    assertEquals(loops, methods.size(), methods + " for " + code.generatedStepNames());
    CpuBuffer[] in = g.inputs();
    assertSameOutputs(new CpuExecutable(jaxpr, false), code, in, "outlined loops " + code.generatedStepNames());
  }

  @Test
  void unsupportedPrimitivesRunThroughTheirKernels() {
    // integer ops, a matmul and a transpose between float loops
    Var x = new Var(Aval.of(DType.F32, 6, 4));
    Var w = new Var(Aval.of(DType.F32, 4, 3));
    Var n = new Var(Aval.of(DType.I32, 6, 3));
    FusionTest.GraphGen g = new FusionTest.GraphGen(9, DType.F32, 6, 3);
    g.invars.addAll(List.of(x, w, n));
    Var t = g.eqn(Prims.TANH, Params.EMPTY, x);
    Var mm = g.eqn(Prims.DOT_GENERAL, Params.of("dimension_numbers",
        List.of(new int[] {1}, new int[] {0}, new int[0], new int[0])), t, w);
    Var n2 = g.eqn(Prims.MUL, Params.EMPTY, n, n);
    Var nf = g.eqn(Prims.CONVERT_ELEMENT_TYPE, Params.of("new_dtype", DType.F32), n2);
    Var s = g.eqn(Prims.ADD, Params.EMPTY, mm, nf);
    Var e = g.eqn(Prims.EXP, Params.EMPTY, s);
    Var tr = g.eqn(Prims.TRANSPOSE, Params.of("permutation", new int[] {1, 0}), e);
    Var sum = g.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {1}), tr);
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(sum, n2, e));
    CpuExecutable code = CpuExecutable.compile(jaxpr, "on");
    assertTrue(code.isGenerated());
    assertTrue(code.generatedStepNames().containsAll(List.of("dot_general", "mul", "transpose")), code.generatedStepNames().toString());
    java.util.Random r = new java.util.Random(4);
    float[] xs = new float[24];
    float[] ws = new float[12];
    int[] ints = new int[18];
    for (int q = 0; q < xs.length; q++) xs[q] = (float) r.nextGaussian();
    for (int q = 0; q < ws.length; q++) ws[q] = (float) r.nextGaussian();
    for (int q = 0; q < ints.length; q++) ints[q] = q * 7919 - 40_000;
    CpuBuffer[] in = {new CpuBuffer(x.aval(), xs), new CpuBuffer(w.aval(), ws), new CpuBuffer(n.aval(), ints)};
    assertSameOutputs(new CpuExecutable(jaxpr, true), code, in, "mixed " + code.generatedStepNames());
  }

  @Test
  void graphOutputsAreFreshArraysEveryCall() {
    // a value read by a later loop lives in scratch; outputs must never alias it
    FusionTest.GraphGen g = new FusionTest.GraphGen(3, DType.F32, 8, 8);
    Var x = new Var(Aval.of(DType.F32, 8, 8));
    g.invars.add(x);
    Var e = g.eqn(Prims.EXP, Params.EMPTY, x);
    Var s = g.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {1}), e);
    Var b = g.eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", new int[] {8, 8}, "broadcast_dimensions", new int[] {0}), s);
    Var div = g.eqn(Prims.DIV, Params.EMPTY, e, b); // softmax: e is read again after its loop
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(div, s));
    CpuExecutable code = CpuExecutable.compile(jaxpr, "on");
    CpuBuffer[] in = g.inputs();
    CpuBuffer[] first = code.run(in);
    float[] kept = first[0].f32().clone();
    CpuBuffer[] other = g.inputs();
    CpuBuffer[] second = code.run(other);
    assertFalse(first[0].data() == second[0].data(), "outputs of two calls share an array");
    assertTrue(java.util.Arrays.equals(kept, first[0].f32()), "a later call changed an earlier call's output");
    assertSameOutputs(new CpuExecutable(jaxpr, true), code, other, "softmax " + code.generatedStepNames());
  }

  @Test
  void concurrentCallsGiveEachThreadItsOwnScratch() throws Exception {
    FusionTest.GraphGen g = new FusionTest.GraphGen(21, DType.F64, 30, 40);
    Var x = new Var(Aval.of(DType.F64, 30, 40));
    g.invars.add(x);
    Var e = g.eqn(Prims.SIN, Params.EMPTY, x);
    Var s = g.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {0}), e);
    Var b = g.eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", new int[] {30, 40}, "broadcast_dimensions", new int[] {1}), s);
    Var y = g.eqn(Prims.MUL, Params.EMPTY, e, b);
    Var z = g.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {1}), y);
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(z));
    CpuExecutable code = CpuExecutable.compile(jaxpr, "on");
    CpuExecutable reference = new CpuExecutable(jaxpr, true);
    List<CpuBuffer[]> inputs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      inputs.add(g.inputs());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        CpuBuffer[] in = inputs.get(t);
        CpuBuffer expected = reference.run(in)[0];
        done.add(pool.submit((Callable<Void>) () -> {
          for (int r = 0; r < 300; r++) {
            assertSameBits(expected, code.run(in)[0], "concurrent call");
          }
          return null;
        }));
      }
      for (Future<Void> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void autoGeneratesSmallGraphsOnlyAndTheJittedResultIsUnchanged() {
    Jaxpr small = Transforms.makeJaxpr((Array v) -> v.mul(2).add(1).tanh().sum(), Array.zeros(100));
    Jaxpr large = Transforms.makeJaxpr((Array v) -> v.mul(2).add(1).tanh().sum(), Array.zeros(100_000));
    CpuBuffer[] smallIn = {new CpuBuffer(Aval.of(DType.F32, 100), new float[100])};
    CpuBuffer[] largeIn = {new CpuBuffer(Aval.of(DType.F32, 100_000), new float[100_000])};
    CpuExecutable autoSmall = CpuExecutable.compile(small, "auto");
    CpuExecutable autoLarge = CpuExecutable.compile(large, "auto");
    for (int r = 0; r < 2; r++) {
      autoSmall.run(smallIn);
      autoLarge.run(largeIn);
    }
    assertTrue(autoSmall.isGenerated());
    assertFalse(autoLarge.isGenerated());
    assertTrue(CpuExecutable.compile(large, "on").isGenerated());
    assertFalse(CpuExecutable.compile(small, "off").isGenerated());
    assertThrows(IllegalArgumentException.class, () -> CpuExecutable.compile(small, "sometimes"));
  }

  @Test
  void badPropertyValueNamesTheFix() {
    String before = System.getProperty("statelens.cpu.codegen");
    System.setProperty("statelens.cpu.codegen", "maybe");
    try {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, GraphCodegen::configuredMode);
      assertTrue(e.getMessage().contains("auto, on or off"), e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty("statelens.cpu.codegen");
      } else {
        System.setProperty("statelens.cpu.codegen", before);
      }
    }
  }
}
