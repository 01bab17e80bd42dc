package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Fused elementwise groups must give the same bits as the unfused kernels (which are the eager
 * kernels, run one equation at a time), for random graphs in F32 and F64, including broadcasts
 * of scalars, rows and columns, literals, comparisons + select, conversions, and sizes large
 * enough to be split over threads.
 */
class FusionTest {
  private static final Primitive[] UNARY = {Prims.NEG, Prims.EXP, Prims.TANH, Prims.LOG, Prims.SQRT,
      Prims.ABS, Prims.SQUARE, Prims.LOGISTIC, Prims.SIN, Prims.FLOOR, Prims.RSQRT, Prims.LOG1P};
  private static final Primitive[] BINARY = {Prims.ADD, Prims.SUB, Prims.MUL, Prims.DIV, Prims.MAX,
      Prims.MIN, Prims.POW, Prims.ATAN2, Prims.REM};
  private static final Primitive[] COMPARE = {Prims.LT, Prims.GE, Prims.EQ, Prims.NE};

  /** A random graph over inputs x, y (full), s (scalar), row [cols], col [rows,1]. */
  static final class GraphGen {
    final Random rnd;
    final DType dt;
    final int[] shape;
    final List<Var> invars = new ArrayList<>();
    final List<Eqn> eqns = new ArrayList<>();
    final List<Atom> pool = new ArrayList<>();

    GraphGen(long seed, DType dt, int rows, int cols) {
      this.rnd = new Random(seed);
      this.dt = dt;
      this.shape = new int[] {rows, cols};
    }

    Var eqn(Primitive p, Params params, Atom... in) {
      List<Aval> avals = java.util.Arrays.stream(in).map(Atom::aval).toList();
      Var out = new Var(p.abstractEval(avals, params).get(0));
      eqns.add(new Eqn(p, params, List.of(in), List.of(out)));
      return out;
    }

    Atom pick() {
      // prefer recent values so chains form, sometimes reach back for reuse (multi-use values)
      int n = pool.size();
      int i = rnd.nextInt(4) == 0 ? rnd.nextInt(n) : Math.max(0, n - 1 - rnd.nextInt(Math.min(n, 3)));
      return pool.get(i);
    }

    Atom operand() {
      return switch (rnd.nextInt(10)) {
        case 0 -> new Literal(Aval.scalar(dt), Math.round(rnd.nextGaussian() * 100) / 37.0);
        case 1 -> invars.get(2); // rank-0 operand read with stride 0
        case 2 -> eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", shape, "broadcast_dimensions", new int[] {1}), invars.get(3));
        case 3 -> eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", shape, "broadcast_dimensions", new int[] {0, 1}), invars.get(4));
        case 4 -> eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", shape, "broadcast_dimensions", new int[0]), invars.get(2));
        default -> pick();
      };
    }

    Jaxpr build(int nOps) {
      invars.add(new Var(Aval.of(dt, shape)));
      invars.add(new Var(Aval.of(dt, shape)));
      invars.add(new Var(Aval.scalar(dt)));
      invars.add(new Var(Aval.of(dt, shape[1])));
      invars.add(new Var(Aval.of(dt, shape[0], 1)));
      pool.add(invars.get(0));
      pool.add(invars.get(1));
      List<Atom> outs = new ArrayList<>();
      for (int k = 0; k < nOps; k++) {
        Atom a = pick();
        Var v = switch (rnd.nextInt(9)) {
          case 0, 1, 2 -> eqn(UNARY[rnd.nextInt(UNARY.length)], Params.EMPTY, a);
          case 3 -> {
            Var w = eqn(COMPARE[rnd.nextInt(COMPARE.length)], Params.EMPTY, a, operand());
            Atom other = operand();
            if (other.aval().isScalar()) {
              other = pick(); // select_n cases have equal shapes
            }
            yield eqn(Prims.SELECT_N, Params.EMPTY, w, pick(), other);
          }
          case 4 -> {
            DType other = dt == DType.F32 ? DType.F64 : DType.F32;
            Var c = eqn(Prims.CONVERT_ELEMENT_TYPE, Params.of("new_dtype", other), a);
            Var d = eqn(UNARY[rnd.nextInt(UNARY.length)], Params.EMPTY, c);
            yield eqn(Prims.CONVERT_ELEMENT_TYPE, Params.of("new_dtype", dt), d);
          }
          default -> rnd.nextBoolean()
              ? eqn(BINARY[rnd.nextInt(BINARY.length)], Params.EMPTY, a, operand())
              : eqn(BINARY[rnd.nextInt(BINARY.length)], Params.EMPTY, operand(), a);
        };
        pool.add(v);
        if (rnd.nextInt(8) == 0) {
          outs.add(v); // an intermediate that is also an output must be materialized
        }
      }
      Atom last = pool.get(pool.size() - 1);
      switch (rnd.nextInt(4)) {
        // a trailing-axis reduction of the last value: the group feeding it folds into it
        case 0 -> outs.add(eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {1}), last));
        case 1 -> outs.add(eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {0, 1}), last));
        case 2 -> outs.add(eqn(rnd.nextBoolean() ? Prims.REDUCE_MAX : Prims.REDUCE_MIN, Params.of("axes", new int[] {1}), last));
        default -> outs.add(last);
      }
      return new Jaxpr(List.of(), invars, eqns, outs);
    }

    CpuBuffer[] inputs() {
      CpuBuffer[] in = new CpuBuffer[invars.size()];
      for (int i = 0; i < in.length; i++) {
        Aval a = invars.get(i).aval();
        Object data = dt == DType.F32 ? new float[a.size()] : new double[a.size()];
        for (int j = 0; j < a.size(); j++) {
          double v = rnd.nextGaussian() * 2;
          if (data instanceof float[] f) f[j] = (float) v; else ((double[]) data)[j] = v;
        }
        in[i] = new CpuBuffer(a, data);
      }
      return in;
    }
  }

  static void assertSameBits(CpuBuffer expected, CpuBuffer actual, String what) {
    assertEquals(expected.aval(), actual.aval(), what);
    switch (expected.data()) {
      case float[] e -> {
        float[] a = actual.f32();
        for (int i = 0; i < e.length; i++) {
          if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
            fail(what + ": element " + i + " fused " + a[i] + " != unfused " + e[i]);
          }
        }
      }
      case double[] e -> {
        double[] a = actual.f64();
        for (int i = 0; i < e.length; i++) {
          if (Double.doubleToLongBits(e[i]) != Double.doubleToLongBits(a[i])) {
            fail(what + ": element " + i + " fused " + a[i] + " != unfused " + e[i]);
          }
        }
      }
      case boolean[] e -> assertTrue(java.util.Arrays.equals(e, actual.bool()), what);
      default -> fail("unexpected " + expected.data().getClass());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"F32", "F64"})
  void randomGraphsFusedEqualUnfusedBitForBit(String dtype) {
    DType dt = DType.valueOf(dtype);
    // rows shorter than half a block run several to a block (517 x 48: 5 rows a block, 2 left over;
    // 3000 x 32 is also split over threads; 33 x 100: 2 a block)
    int[][] shapes = {{1, 1}, {3, 5}, {7, 300}, {260, 300}, {1, 70_000}, {517, 48}, {3000, 32}, {33, 100}};
    int fusedGroups = 0;
    int fusedReductions = 0;
    for (long seed = 0; seed < 40; seed++) {
      int[] sh = shapes[(int) (seed % shapes.length)];
      GraphGen g = new GraphGen(seed * 7919 + dt.ordinal(), dt, sh[0], sh[1]);
      Jaxpr jaxpr = g.build(4 + (int) (seed % 13));
      CpuBuffer[] in = g.inputs();
      CpuExecutable unfused = new CpuExecutable(jaxpr, false);
      CpuExecutable fused = new CpuExecutable(jaxpr, true);
      fusedGroups += fused.stepNames().stream().filter(s -> s.startsWith("fused[")).count();
      fusedReductions += fused.stepNames().stream().filter(s -> s.startsWith("fused[reduce_")).count();
      CpuBuffer[] expected = unfused.run(in);
      CpuBuffer[] actual = fused.run(in);
      assertEquals(expected.length, actual.length);
      for (int i = 0; i < expected.length; i++) {
        assertSameBits(expected[i], actual[i], "seed " + seed + " " + dt + " output " + i + " of\n" + jaxpr
            + "\nsteps " + fused.stepNames());
      }
    }
    assertTrue(fusedGroups > 40, "random graphs should produce fused groups, got " + fusedGroups);
    assertTrue(fusedReductions > 5, "random graphs should fuse reductions, got " + fusedReductions);
  }

  @Test
  void f32LanesGiveTheDoubleRegistersBits() throws ReflectiveOperationException {
    // all-f32 groups run in float registers (FusedF32Lanes); the double registers they replaced
    // must give the same bits: compile each random graph with the lanes on and off
    int[][] shapes = {{3, 5}, {7, 300}, {517, 48}, {1, 70_000}, {3000, 32}};
    int inLanes = 0;
    for (long seed = 0; seed < 40; seed++) {
      int[] sh = shapes[(int) (seed % shapes.length)];
      GraphGen g = new GraphGen(seed * 104_729 + 5, DType.F32, sh[0], sh[1]);
      Jaxpr jaxpr = g.build(4 + (int) (seed % 13));
      CpuBuffer[] in = g.inputs();
      CpuExecutable lanes = new CpuExecutable(jaxpr, true);
      CpuExecutable doubles;
      System.setProperty("statelens.cpu.f32lanes", "false");
      try {
        doubles = new CpuExecutable(jaxpr, true);
      } finally {
        System.clearProperty("statelens.cpu.f32lanes");
      }
      inLanes += fusedGroups(lanes, true);
      assertEquals(0, fusedGroups(doubles, true), "the switch keeps the double registers");
      CpuBuffer[] expected = doubles.run(in);
      CpuBuffer[] actual = lanes.run(in);
      for (int i = 0; i < expected.length; i++) {
        assertSameBits(expected[i], actual[i], "seed " + seed + " output " + i + " of\n" + jaxpr);
      }
    }
    assertTrue(inLanes > 20, "random f32 graphs should run groups in f32 lanes, got " + inLanes);
  }

  /** The interpreter's fused elementwise steps that run in f32 lanes ({@code lanes}) or doubles. */
  private static int fusedGroups(CpuExecutable exe, boolean lanes) throws ReflectiveOperationException {
    var stepsField = CpuExecutable.class.getDeclaredField("steps");
    stepsField.setAccessible(true);
    int n = 0;
    for (CpuExecutable.Step s : (CpuExecutable.Step[]) stepsField.get(exe)) {
      if (s.kernel() instanceof FusedElementwise f && f.usesF32Lanes() == lanes) {
        n++;
      }
    }
    return n;
  }

  @Test
  void directUnaryLoopsComputeTheRegisteredFunctions() {
    // FusedElementwise runs exp, tanh, log, sqrt and rsqrt in loops of their own, with the
    // formula written out: it must stay the registered kernel's function, bit for bit
    assertTrue(CpuKernels.isStandard(Prims.EXP), "the standard kernels are registered");
    Random r = new Random(21);
    for (FusedElementwise.Direct d : FusedElementwise.Direct.values()) {
      Elementwise.D2D registered = Elementwise.FLOAT_UNARY.get(d.primitive);
      assertEquals(d, FusedElementwise.Direct.of(d.primitive), d + " is found by the instruction's primitive");
      for (int i = 0; i < 100_000; i++) {
        double x = i % 3 == 0 ? r.nextGaussian() * 30 : i % 3 == 1 ? r.nextDouble() * 4 : Math.scalb(r.nextDouble(), r.nextInt(200) - 100);
        assertEquals(Double.doubleToRawLongBits(registered.apply(x)), Double.doubleToRawLongBits(d.apply(x)), d + "(" + x + ")");
      }
      for (double x : new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1, Double.MIN_VALUE}) {
        assertEquals(Double.doubleToRawLongBits(registered.apply(x)), Double.doubleToRawLongBits(d.apply(x)), d + "(" + x + ")");
      }
    }
    assertEquals(null, FusedElementwise.Direct.of(Prims.SIN), "sin goes through its function object");
  }

  @Test
  void fusedUnaryInstructionsCarryTheirPrimitive() throws ReflectiveOperationException {
    // the loops and XLA's f32 functions are chosen by the instruction's primitive, not by a
    // reverse lookup of its function object
    Jaxpr j = Transforms.makeJaxpr((Array x) -> x.exp().sin().tanh().add(1f), Array.of(1f, 2f, 3f));
    var stepsField = CpuExecutable.class.getDeclaredField("steps");
    stepsField.setAccessible(true);
    List<Primitive> unary = new ArrayList<>();
    for (CpuExecutable.Step st : (CpuExecutable.Step[]) stepsField.get(CpuExecutable.compile(j, "off"))) {
      if (st.kernel() instanceof FusedElementwise f) {
        for (FusedElementwise.Instr i : f.program()) {
          if (i.op() == FusedElementwise.Op.UNARY) {
            unary.add(i.primitive());
            assertEquals(Elementwise.FLOAT_UNARY.get(i.primitive()), i.fn(), i.primitive() + "'s function object");
          }
        }
      }
    }
    assertEquals(List.of(Prims.EXP, Prims.SIN, Prims.TANH), unary);
  }

  @Test
  void shortRowsMasksAndRowReductionsGiveTheUnfusedBits() {
    // a softmax-gradient-like group over rows of every length up to half a block (several rows to
    // a block: dense leaves copied a block at a time, the column read per row), a bool mask leaf
    // selecting (the f32 lanes' vector select), and reductions over those rows (several segments
    // to a block, each folded from its own start): fused and unfused must agree bit for bit
    Random rnd = new Random(11);
    int checked = 0;
    for (int cols : new int[] {1, 2, 3, 5, 7, 31, 32, 33, 48, 64, 100, 127, 128}) {
      int rows = 1 + rnd.nextInt(90);
      for (Primitive reduce : new Primitive[] {null, Prims.REDUCE_SUM, Prims.REDUCE_MAX, Prims.REDUCE_MIN}) {
        GraphGen g = new GraphGen(cols, DType.F32, rows, cols);
        Var x = new Var(Aval.of(DType.F32, rows, cols));
        Var y = new Var(Aval.of(DType.F32, rows, cols));
        Var mask = new Var(Aval.of(DType.BOOL, rows, cols));
        Var col = new Var(Aval.of(DType.F32, rows));
        g.invars.addAll(List.of(x, y, mask, col));
        Var colB = g.eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", new int[] {rows, cols}, "broadcast_dimensions",
            new int[] {0}), col);
        Var kept = g.eqn(Prims.SELECT_N, Params.EMPTY, mask, y, x);
        Var prod = g.eqn(Prims.MUL, Params.EMPTY, kept, y);
        Var v = g.eqn(Prims.SUB, Params.EMPTY, prod, g.eqn(Prims.MUL, Params.EMPTY, colB, y));
        Var e = g.eqn(Prims.EXP, Params.EMPTY, v);
        Var out = reduce == null ? e : g.eqn(reduce, Params.of("axes", new int[] {1}), e);
        Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(out));
        CpuBuffer[] in = {random(rnd, x.aval()), random(rnd, y.aval()), randomMask(rnd, mask.aval()),
            random(rnd, col.aval())};
        CpuExecutable fused = new CpuExecutable(jaxpr, true);
        String group = reduce == null ? "fused[exp," : "fused[" + reduce.name() + ",";
        assertTrue(fused.stepNames().stream().anyMatch(n -> n.startsWith(group)),
            "one fused step for " + rows + " x " + cols + ": " + fused.stepNames());
        assertSameBits(new CpuExecutable(jaxpr, false).run(in)[0], fused.run(in)[0],
            rows + " x " + cols + " " + (reduce == null ? "elementwise" : reduce.name()));
        checked++;
      }
    }
    assertEquals(52, checked);
  }

  private static CpuBuffer random(Random rnd, Aval a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) f[i] = (float) (rnd.nextGaussian() * 2);
    return new CpuBuffer(a, f);
  }

  private static CpuBuffer randomMask(Random rnd, Aval a) {
    boolean[] b = new boolean[a.size()];
    for (int i = 0; i < b.length; i++) b[i] = rnd.nextBoolean();
    return new CpuBuffer(a, b);
  }

  @Test
  void sumOfSquaredErrorsIsOneStep() {
    GraphGen g = new GraphGen(4, DType.F32, 128, 1);
    g.invars.add(new Var(Aval.of(DType.F32, 128, 1)));
    g.invars.add(new Var(Aval.of(DType.F32, 128, 1)));
    Var d = g.eqn(Prims.SUB, Params.EMPTY, g.invars.get(0), g.invars.get(1));
    Var sq = g.eqn(Prims.SQUARE, Params.EMPTY, d);
    Var sum = g.eqn(Prims.REDUCE_SUM, Params.of("axes", new int[] {0, 1}), sq);
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(sum));
    CpuExecutable fused = new CpuExecutable(jaxpr, true);
    assertEquals(List.of("fused[reduce_sum,square,sub]"), fused.stepNames());
    CpuBuffer[] in = g.inputs();
    assertSameBits(new CpuExecutable(jaxpr, false).run(in)[0], fused.run(in)[0], "sum of squares");
  }

  @Test
  void chainBecomesOneStepWithBroadcastsReadInPlace() {
    // y = tanh(x * w_row + b) * 2 - x  over [4, 3]: broadcast + mul + add + tanh + mul + sub fuse
    GraphGen g = new GraphGen(1, DType.F32, 4, 3);
    g.invars.add(new Var(Aval.of(DType.F32, 4, 3)));
    g.invars.add(new Var(Aval.of(DType.F32, 3)));
    g.invars.add(new Var(Aval.scalar(DType.F32)));
    Var x = g.invars.get(0);
    Var wb = g.eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", new int[] {4, 3}, "broadcast_dimensions", new int[] {1}), g.invars.get(1));
    Var m = g.eqn(Prims.MUL, Params.EMPTY, x, wb);
    Var a = g.eqn(Prims.ADD, Params.EMPTY, m, g.invars.get(2));
    Var t = g.eqn(Prims.TANH, Params.EMPTY, a);
    Var t2 = g.eqn(Prims.MUL, Params.EMPTY, t, new Literal(Aval.scalar(DType.F32), 2));
    Var y = g.eqn(Prims.SUB, Params.EMPTY, t2, x);
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(y));
    CpuExecutable fused = new CpuExecutable(jaxpr, true);
    assertEquals(List.of("fused[sub,mul,tanh,add,mul]"), fused.stepNames());
    float[] xs = {1, -2, 3, 0.5f, 0, 7, -1, 2, 2, 4, -3, 1};
    float[] w = {0.5f, -1, 2};
    float b = 0.25f;
    CpuBuffer[] out = fused.run(new CpuBuffer[] {new CpuBuffer(Aval.of(DType.F32, 4, 3), xs),
        new CpuBuffer(Aval.of(DType.F32, 3), w), new CpuBuffer(Aval.scalar(DType.F32), new float[] {b})});
    for (int i = 0; i < xs.length; i++) {
      float expect = XlaF32Math.tanh(xs[i] * w[i % 3] + b) * 2f - xs[i]; // f32 tanh is XLA's
      assertEquals(expect, out[0].f32()[i], 0f, "element " + i);
    }
  }

  @Test
  void valuesUsedTwiceOrReturnedAreMaterializedNotRecomputed() {
    GraphGen g = new GraphGen(2, DType.F64, 2, 2);
    g.invars.add(new Var(Aval.of(DType.F64, 2, 2)));
    Var x = g.invars.get(0);
    Var e = g.eqn(Prims.EXP, Params.EMPTY, x);       // used twice: its own step
    Var a = g.eqn(Prims.ADD, Params.EMPTY, e, x);
    Var b = g.eqn(Prims.MUL, Params.EMPTY, a, e);    // fused with add
    Var c = g.eqn(Prims.NEG, Params.EMPTY, b);       // graph output and used: materialized
    Var d = g.eqn(Prims.SQRT, Params.EMPTY, c);
    Var f = g.eqn(Prims.ABS, Params.EMPTY, d);
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(c, f));
    CpuExecutable fused = new CpuExecutable(jaxpr, true);
    assertEquals(List.of("exp", "fused[neg,mul,add]", "fused[abs,sqrt]"), fused.stepNames());
  }

  @Test
  void jittedFunctionMatchesEagerBitForBit() {
    BiFunction<Array, Array, Array> f = (x, w) -> x.mul(w).add(1.5).tanh().mul(x).sub(w.exp()).maximum(0.0);
    var jitted = Transforms.jit(f);
    java.util.Random r = new java.util.Random(3);
    for (int[] shape : new int[][] {{}, {5}, {300, 301}}) {
      int n = java.util.Arrays.stream(shape).reduce(1, (p, q) -> p * q);
      float[] xs = new float[n];
      float[] ws = new float[n];
      for (int i = 0; i < n; i++) {
        xs[i] = (float) r.nextGaussian();
        ws[i] = (float) r.nextGaussian();
      }
      Array x = Array.of(DType.F32, shape, xs);
      Array w = Array.of(DType.F32, shape, ws);
      float[] eager = f.apply(x, w).toFloatArray();
      float[] fast = jitted.apply(x, w).toFloatArray();
      for (int i = 0; i < n; i++) {
        assertEquals(Float.floatToIntBits(eager[i]), Float.floatToIntBits(fast[i]), "element " + i);
      }
    }
  }
}
