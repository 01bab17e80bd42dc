package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.ComplexPrims;
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
import org.junit.jupiter.api.Test;

/**
 * complex64 elementwise groups run fused ({@link FusedComplex}) and give the unfused
 * {@link ComplexKernels}' bits: random chains over XLA's special values (signed zeros, infinities,
 * NaN), broadcasts, rank-0 operands and literals, sizes split over threads; the FNO's backward
 * chain is one step.
 */
class FusedComplexTest {
  private static final Primitive[] UNARY = {Prims.NEG, Prims.EXP, Prims.LOG, Prims.SQRT, Prims.RSQRT, Prims.SIN,
      Prims.COS, Prims.TANH, Prims.TAN, Prims.SINH, Prims.COSH, Prims.EXPM1, Prims.LOG1P, Prims.SQUARE, Prims.SIGN,
      ComplexPrims.CONJ};
  private static final Primitive[] BINARY = {Prims.ADD, Prims.SUB, Prims.MUL, Prims.DIV, Prims.POW};
  /** XLA's special-value grid of the complex reference cases. */
  private static final float[] SPECIAL = {0f, -0f, 1f, -1f, 2.5f, -2.5f, Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY, Float.NaN};

  private static final class Graph {
    final Random rnd;
    final int[] shape;
    final List<Var> invars = new ArrayList<>();
    final List<Eqn> eqns = new ArrayList<>();
    final List<Atom> pool = new ArrayList<>();

    Graph(long seed, int rows, int cols) {
      rnd = new Random(seed);
      shape = new int[] {rows, cols};
    }

    Var eqn(Primitive p, Params params, Atom... in) {
      List<Aval> avals = java.util.Arrays.stream(in).map(Atom::aval).toList();
      Var out = new Var(p.abstractEval(avals, params).get(0));
      eqns.add(new Eqn(p, params, List.of(in), List.of(out)));
      return out;
    }

    Atom pick() {
      int n = pool.size();
      return pool.get(rnd.nextInt(4) == 0 ? rnd.nextInt(n) : Math.max(0, n - 1 - rnd.nextInt(Math.min(n, 3))));
    }

    /** invars: z, w c64 [rows, cols]; s c64 []; row c64 [cols]; re, im f32 [rows, cols]; col f32 [rows, 1]. */
    Atom operand() {
      return switch (rnd.nextInt(9)) {
        case 0 -> new Literal(Aval.scalar(DType.C64), Math.round(rnd.nextGaussian() * 100) / 37.0);
        case 1 -> invars.get(2);
        case 2 -> eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", shape, "broadcast_dimensions", new int[] {1}), invars.get(3));
        case 3 -> eqn(ComplexPrims.COMPLEX, Params.EMPTY, invars.get(4), invars.get(5));
        case 4 -> eqn(Prims.CONVERT_ELEMENT_TYPE, Params.of("new_dtype", DType.C64),
            eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", shape, "broadcast_dimensions", new int[] {0, 1}), invars.get(6)));
        default -> pick();
      };
    }

    Jaxpr build(int nOps) {
      invars.add(new Var(Aval.of(DType.C64, shape)));
      invars.add(new Var(Aval.of(DType.C64, shape)));
      invars.add(new Var(Aval.scalar(DType.C64)));
      invars.add(new Var(Aval.of(DType.C64, shape[1])));
      invars.add(new Var(Aval.of(DType.F32, shape)));
      invars.add(new Var(Aval.of(DType.F32, shape)));
      invars.add(new Var(Aval.of(DType.F32, shape[0], 1)));
      pool.add(invars.get(0));
      pool.add(invars.get(1));
      List<Atom> outs = new ArrayList<>();
      for (int k = 0; k < nOps; k++) {
        Atom a = pick();
        Var v = rnd.nextInt(5) < 2
            ? eqn(UNARY[rnd.nextInt(UNARY.length)], Params.EMPTY, a)
            : rnd.nextBoolean() ? eqn(BINARY[rnd.nextInt(BINARY.length)], Params.EMPTY, a, operand())
            : eqn(BINARY[rnd.nextInt(BINARY.length)], Params.EMPTY, operand(), a);
        pool.add(v);
        if (rnd.nextInt(8) == 0) {
          outs.add(v);
        }
      }
      Atom last = pool.get(pool.size() - 1);
      Primitive exit = new Primitive[] {ComplexPrims.REAL, ComplexPrims.IMAG, Prims.ABS, null}[rnd.nextInt(4)];
      outs.add(exit == null ? last : eqn(exit, Params.EMPTY, last));
      return new Jaxpr(List.of(), invars, eqns, outs);
    }

    /** Values drawn from the special grid a quarter of the time, else normal. */
    CpuBuffer[] inputs() {
      CpuBuffer[] in = new CpuBuffer[invars.size()];
      for (int i = 0; i < in.length; i++) {
        Aval a = invars.get(i).aval();
        float[] data = new float[a.dtype() == DType.C64 ? 2 * a.size() : a.size()];
        for (int j = 0; j < data.length; j++) {
          data[j] = rnd.nextInt(4) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : (float) (rnd.nextGaussian() * 2);
        }
        in[i] = new CpuBuffer(a, data);
      }
      return in;
    }
  }

  @Test
  void randomComplexChainsFuseWithTheUnfusedBits() {
    int groups = 0;
    for (int seed = 0; seed < 60; seed++) {
      int[][] shapes = {{3, 5}, {17, 31}, {300, 257}};
      int[] s = shapes[seed % shapes.length];
      Graph g = new Graph(seed, s[0], s[1]);
      Jaxpr jaxpr = g.build(4 + seed % 9);
      CpuExecutable unfused = new CpuExecutable(jaxpr, false);
      CpuExecutable fused = new CpuExecutable(jaxpr, true);
      groups += (int) fused.stepNames().stream().filter(n -> n.startsWith("fused[")).count();
      CpuBuffer[] in = g.inputs();
      CpuBuffer[] expected = unfused.run(in);
      CpuBuffer[] actual = fused.run(in);
      for (int o = 0; o < expected.length; o++) {
        FusionTest.assertSameBits(expected[o], actual[o], "seed " + seed + " output " + o + " steps "
            + fused.stepNames() + "\n" + jaxpr);
      }
    }
    assertTrue(groups >= 60, "random complex chains should form fused groups, got " + groups);
  }

  @Test
  void fnoBackwardChainIsOneStep() {
    // the fno step's gradient: rfft output * broadcast(convert(f32 weights)), conjugated
    Graph g = new Graph(7, 64 * 12, 17);
    Var spectrum = new Var(Aval.of(DType.C64, 64, 12, 17));
    Var weights = new Var(Aval.of(DType.F32, 17));
    g.invars.add(spectrum);
    g.invars.add(weights);
    Var c = g.eqn(Prims.CONVERT_ELEMENT_TYPE, Params.of("new_dtype", DType.C64), weights);
    Var b = g.eqn(Prims.BROADCAST_IN_DIM, Params.of("shape", new int[] {64, 12, 17}, "broadcast_dimensions", new int[] {2}), c);
    Var m = g.eqn(Prims.MUL, Params.EMPTY, spectrum, b);
    Var conj = g.eqn(ComplexPrims.CONJ, Params.EMPTY, m);
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(conj));
    CpuExecutable fused = new CpuExecutable(jaxpr, true);
    assertEquals(List.of("convert_element_type", "fused[conj,mul]"), fused.stepNames());
    CpuBuffer[] in = g.inputs();
    FusionTest.assertSameBits(new CpuExecutable(jaxpr, false).run(in)[0], fused.run(in)[0], "fno chain");
  }

  @Test
  void autoLeavesAGraphWithAFusedComplexChainToTheInterpreter() {
    // small enough for auto's code, and code can be generated for it ("on"): auto still interprets
    // it, because the interpreter runs the chain as one FusedComplex step (GraphCodegen.wanted)
    Graph g = new Graph(3, 2 * 3, 4);
    Var spectrum = new Var(Aval.of(DType.C64, 2, 3, 4));
    g.invars.add(spectrum);
    Var m = g.eqn(Prims.MUL, Params.EMPTY, spectrum, spectrum);
    Var conj = g.eqn(ComplexPrims.CONJ, Params.EMPTY, m);
    Jaxpr jaxpr = new Jaxpr(List.of(), g.invars, g.eqns, List.of(conj));
    CpuBuffer[] in = g.inputs();
    CpuExecutable auto = CpuExecutable.compile(jaxpr, "auto");
    assertEquals(List.of("fused[conj,mul]"), auto.stepNames());
    for (int r = 0; r < 2; r++) {
      auto.run(in);
    }
    assertFalse(auto.isGenerated(), "auto generated code for a graph whose complex chain the interpreter fuses");
    assertTrue(CpuExecutable.compile(jaxpr, "on").isGenerated(), "the graph can be generated");
  }

  @Test
  void jittedComplexChainMatchesEagerBitForBit() {
    BiFunction<Array, Array, Array> f = (z, w) -> z.mul(w).add(z).exp().conj().div(w.add(1.5)).real();
    var jitted = Transforms.jit(f);
    Random r = new Random(5);
    for (int n : new int[] {1, 7, 70_000}) {
      float[] a = new float[n];
      float[] b = new float[n];
      float[] c = new float[n];
      float[] d = new float[n];
      for (int i = 0; i < n; i++) {
        a[i] = (float) r.nextGaussian();
        b[i] = (float) r.nextGaussian();
        c[i] = (float) r.nextGaussian();
        d[i] = (float) r.nextGaussian();
      }
      Array z = Array.complex(Array.of(a), Array.of(b));
      Array w = Array.complex(Array.of(c), Array.of(d));
      float[] eager = f.apply(z, w).toFloatArray();
      float[] jit = jitted.apply(z, w).toFloatArray();
      for (int i = 0; i < n; i++) {
        assertEquals(Float.floatToIntBits(eager[i]), Float.floatToIntBits(jit[i]), "n " + n + " element " + i);
      }
    }
  }
}
