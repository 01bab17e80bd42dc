package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.ComplexPrims;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A group of complex64 elementwise equations run as one pass over the output ({@link Fusion}
 * groups them): an FNO's {@code convert -> broadcast -> mul -> conj} or a spectral multiply-add
 * chain writes no intermediate arrays. The group is a post-order program over registers of
 * {@link #BLOCK} interleaved (re, im) f32 pairs, run a block at a time like
 * {@link FusedElementwise}.
 *
 * <p>Bit-exact with the unfused {@link ComplexKernels}: every instruction calls the same formula
 * (its {@code mul}, {@code square}, {@code div} loops, vectorized by {@link ComplexVector}; its
 * {@code sign}, {@code abs}; {@link ComplexMath}'s functions and pow) and
 * rounds to f32 pairs after each step, as the eager kernels do between equations. An f32 value
 * (a leaf read for {@code complex}/{@code convert_element_type}, a {@code real}/{@code imag}/
 * {@code abs} result) sits in a register as {@code (x, 0)}.
 */
final class FusedComplex implements CpuKernel {
  static final int BLOCK = FusedElementwise.BLOCK;

  enum Op { LOAD, CONST, ADD, SUB, NEG, MUL, DIV, POW, SQUARE, SIGN, MATH, CONJ, COMPLEX, REAL, IMAG, ABS, CONVERT }

  /** One instruction writing register {@code index-in-program}; {@code a, b} operand registers (LOAD: the leaf). */
  record Instr(Op op, int a, int b, float constant, ComplexMath.Unary math) {}

  /** Unary primitives with a {@link ComplexMath} function: the eager kernels' table. */
  private static final Map<Primitive, ComplexMath.Unary> MATH = ComplexKernels.MATH;

  private static final Map<Primitive, Op> BINARY = Map.of(Prims.ADD, Op.ADD, Prims.SUB, Op.SUB, Prims.MUL, Op.MUL,
      Prims.DIV, Op.DIV, Prims.POW, Op.POW, ComplexPrims.COMPLEX, Op.COMPLEX);

  private static final Map<Primitive, Op> UNARY = Map.of(Prims.NEG, Op.NEG, Prims.SQUARE, Op.SQUARE,
      Prims.SIGN, Op.SIGN, ComplexPrims.CONJ, Op.CONJ, ComplexPrims.REAL, Op.REAL, ComplexPrims.IMAG, Op.IMAG,
      Prims.ABS, Op.ABS, Prims.CONVERT_ELEMENT_TYPE, Op.CONVERT);

  /**
   * True if {@code e} can be an operation of a complex group: a c64 result of c64 operands, or
   * one of the steps into c64 ({@code complex} of two f32s, an f32 converted) and out of it
   * ({@code real}, {@code imag}, {@code abs}).
   */
  static boolean isFusible(Eqn e) {
    Primitive p = e.primitive();
    if (e.outputs().size() != 1 || !CpuKernels.isStandard(p) || e.inputs().isEmpty()) {
      return false;
    }
    DType out = e.outputs().get(0).aval().dtype();
    List<DType> in = e.inputs().stream().map(a -> a.aval().dtype()).toList();
    if (p == ComplexPrims.COMPLEX || p == Prims.CONVERT_ELEMENT_TYPE) {
      return out == DType.C64 && in.stream().allMatch(d -> d == DType.F32);
    }
    if (p == ComplexPrims.REAL || p == ComplexPrims.IMAG || p == Prims.ABS) {
      return out == DType.F32 && in.get(0) == DType.C64;
    }
    boolean complex = out == DType.C64 && in.stream().allMatch(d -> d == DType.C64);
    return complex && ((in.size() == 1 && (UNARY.containsKey(p) || MATH.containsKey(p)))
        || (in.size() == 2 && BINARY.containsKey(p)));
  }

  /** The instruction of fusible equation {@code e} over operand registers {@code a, b}. */
  static Instr instr(Eqn e, int a, int b) {
    Primitive p = e.primitive();
    ComplexMath.Unary math = MATH.get(p);
    if (math != null) {
      return new Instr(Op.MATH, a, 0, 0, math);
    }
    Op op = e.inputs().size() == 2 ? BINARY.get(p) : UNARY.get(p);
    return new Instr(op, a, b, 0, null);
  }

  private final Instr[] prog;
  private final DType outDType;
  private final int[] outShape;
  /** Per leaf, whether it is c64 (else f32) and its stride for each output axis (0 on broadcast axes). */
  private final boolean[] leafComplex;
  private final int[][] leafStrides;
  /** Per leaf, true when it is read like the output (row-major, same shape): one contiguous copy per block. */
  private final boolean[] leafDense;
  private final ThreadLocal<float[][]> registers = new ThreadLocal<>();

  FusedComplex(Instr[] prog, DType outDType, int[] outShape, boolean[] leafComplex, int[][] leafStrides) {
    this.prog = prog;
    this.outDType = outDType;
    this.outShape = outShape.clone();
    this.leafComplex = leafComplex;
    this.leafStrides = leafStrides;
    int[] dense = Strided.rowMajor(outShape);
    this.leafDense = new boolean[leafStrides.length];
    for (int l = 0; l < leafStrides.length; l++) {
      leafDense[l] = Arrays.equals(leafStrides[l], dense);
    }
  }

  /** Number of fused operations (not counting loads and constants). */
  int opCount() {
    int n = 0;
    for (Instr i : prog) {
      n += i.op == Op.LOAD || i.op == Op.CONST ? 0 : 1;
    }
    return n;
  }

  @Override
  public CpuBuffer[] apply(Params params, CpuBuffer[] in, Aval[] outAvals) {
    int n = outAvals[0].size();
    float[] out = new float[outDType == DType.C64 ? 2 * n : n];
    float[][] src = new float[in.length][];
    for (int i = 0; i < in.length; i++) {
      src[i] = in[i].f32();
    }
    if (n <= BLOCK) {
      run(src, out, 0, n);
    } else {
      Parallel.elementwise(n, (from, to) -> run(src, out, from, to));
    }
    return new CpuBuffer[] {new CpuBuffer(outAvals[0], out)};
  }

  private float[][] registers() {
    float[][] r = registers.get();
    if (r == null) {
      r = new float[prog.length][2 * BLOCK];
      for (int k = 0; k < prog.length; k++) {
        if (prog[k].op == Op.CONST) {
          for (int j = 0; j < BLOCK; j++) {
            r[k][2 * j] = prog[k].constant;
          }
        }
      }
      registers.set(r);
    }
    return r;
  }

  /** Output elements {@code [from, to)}, a block at a time. */
  private void run(float[][] src, float[] out, int from, int to) {
    float[][] regs = registers();
    int[] offsets = new int[BLOCK];
    int[] index = new int[outShape.length];
    for (int s = from; s < to; s += BLOCK) {
      int len = Math.min(BLOCK, to - s);
      for (int k = 0; k < prog.length; k++) {
        Instr ins = prog[k];
        if (ins.op == Op.LOAD) {
          load(src[ins.a], ins.a, regs[k], s, len, offsets, index);
        } else if (ins.op != Op.CONST) {
          exec(ins, regs[ins.a], regs[ins.b], regs[k], len);
        }
      }
      float[] last = regs[prog.length - 1];
      if (outDType == DType.C64) {
        System.arraycopy(last, 0, out, 2 * s, 2 * len);
      } else {
        for (int j = 0; j < len; j++) {
          out[s + j] = last[2 * j];
        }
      }
    }
  }

  /** Reads leaf {@code l} at output elements {@code [s, s + len)} into {@code r} as (re, im) pairs. */
  private void load(float[] x, int l, float[] r, int s, int len, int[] offsets, int[] index) {
    if (leafDense[l] && leafComplex[l]) {
      System.arraycopy(x, 2 * s, r, 0, 2 * len);
      return;
    }
    if (leafDense[l]) {
      for (int j = 0; j < len; j++) {
        r[2 * j] = x[s + j];
        r[2 * j + 1] = 0f;
      }
      return;
    }
    elementOffsets(leafStrides[l], s, len, offsets, index);
    if (leafComplex[l]) {
      for (int j = 0; j < len; j++) {
        r[2 * j] = x[2 * offsets[j]];
        r[2 * j + 1] = x[2 * offsets[j] + 1];
      }
    } else {
      for (int j = 0; j < len; j++) {
        r[2 * j] = x[offsets[j]];
        r[2 * j + 1] = 0f;
      }
    }
  }

  /** The leaf element read by each output element {@code s .. s + len - 1}, walking the output index odometer-wise. */
  private void elementOffsets(int[] strides, int s, int len, int[] offsets, int[] index) {
    int rank = outShape.length;
    int rem = s;
    int at = 0;
    for (int d = rank - 1; d >= 0; d--) {
      index[d] = rem % outShape[d];
      rem /= outShape[d];
      at += index[d] * strides[d];
    }
    for (int j = 0; j < len; j++) {
      offsets[j] = at;
      for (int d = rank - 1; d >= 0; d--) {
        at += strides[d];
        if (++index[d] < outShape[d]) {
          break;
        }
        at -= outShape[d] * strides[d];
        index[d] = 0;
      }
    }
  }

  private static void exec(Instr ins, float[] x, float[] y, float[] r, int len) {
    int n = 2 * len;
    switch (ins.op) {
      case ADD -> {
        for (int i = 0; i < n; i++) r[i] = x[i] + y[i];
      }
      case SUB -> {
        for (int i = 0; i < n; i++) r[i] = x[i] - y[i];
      }
      case NEG -> {
        for (int i = 0; i < n; i++) r[i] = -x[i];
      }
      case MUL -> ComplexKernels.mulLoop(x, 0, 2, y, 0, 2, r, 0, len);
      case DIV -> ComplexKernels.divLoop(x, 0, 2, y, 0, 2, r, 0, len);
      case POW -> ComplexKernels.powLoop(x, 0, 2, y, 0, 2, r, 0, len);
      case SQUARE -> ComplexKernels.squareLoop(x, 0, r, 0, len);
      case SIGN -> {
        for (int i = 0; i < n; i += 2) ComplexKernels.sign(x[i], x[i + 1], r, i);
      }
      case MATH -> {
        for (int i = 0; i < n; i += 2) ins.math.apply(x[i], x[i + 1], r, i);
      }
      case CONJ -> {
        for (int i = 0; i < n; i += 2) {
          r[i] = x[i];
          r[i + 1] = -x[i + 1];
        }
      }
      case COMPLEX -> {
        for (int i = 0; i < n; i += 2) {
          r[i] = x[i];
          r[i + 1] = y[i];
        }
      }
      case REAL, CONVERT -> {
        for (int i = 0; i < n; i += 2) {
          r[i] = x[i];
          r[i + 1] = 0f;
        }
      }
      case IMAG -> {
        for (int i = 0; i < n; i += 2) {
          r[i] = x[i + 1];
          r[i + 1] = 0f;
        }
      }
      case ABS -> {
        for (int i = 0; i < n; i += 2) {
          r[i] = ComplexKernels.abs(x[i], x[i + 1]);
          r[i + 1] = 0f;
        }
      }
      case LOAD, CONST -> throw new IllegalStateException(ins.op + " is not computed");
    }
  }

  /** Builds one complex group's program from its root, reading values not inlined as leaves. */
  static final class Builder {
    private final List<Eqn> eqns;
    private final Map<Var, Integer> producer;
    private final boolean[] inlined;
    private final Aval out;
    private final List<Instr> prog = new ArrayList<>();
    /** Leaf reads in kernel-input order, keyed by atom (identity) and strides; values: register. */
    private final List<Atom> leafAtoms = new ArrayList<>();
    private final List<int[]> leafStrides = new ArrayList<>();
    private final List<Integer> leafRegisters = new ArrayList<>();
    final StringBuilder names = new StringBuilder();
    int ops;
    boolean hasBroadcastLeaf;

    Builder(List<Eqn> eqns, Map<Var, Integer> producer, boolean[] inlined, Aval out) {
      this.eqns = eqns;
      this.producer = producer;
      this.inlined = inlined;
      this.out = out;
    }

    List<Atom> leaves() {
      return List.copyOf(leafAtoms);
    }

    FusedComplex build() {
      boolean[] complex = new boolean[leafAtoms.size()];
      for (int l = 0; l < complex.length; l++) {
        complex[l] = leafAtoms.get(l).aval().dtype() == DType.C64;
      }
      return new FusedComplex(prog.toArray(Instr[]::new), out.dtype(), out.shape(), complex,
          leafStrides.toArray(int[][]::new));
    }

    private int add(Instr i) {
      prog.add(i);
      return prog.size() - 1;
    }

    /** Emits the value of {@code a}; returns its register. */
    private int value(Atom a) {
      if (a instanceof Literal l) {
        return add(new Instr(Op.CONST, 0, 0, (float) l.value(), null)); // a complex literal is real
      }
      Var v = (Var) a;
      Integer p = producer.get(v);
      if (p != null && inlined[p]) {
        Eqn e = eqns.get(p);
        if (e.primitive() != Prims.BROADCAST_IN_DIM) {
          return emit(e);
        }
        hasBroadcastLeaf = true;
        Atom src = e.inputs().get(0);
        if (src instanceof Literal) {
          return value(src);
        }
        return leaf(src, Strided.broadcastStrides(src.aval(), e.params().getInts("broadcast_dimensions"), out.rank()));
      }
      return leaf(v, v.aval().isScalar() ? new int[out.rank()] : Strided.rowMajor(out.shape()));
    }

    private int leaf(Atom a, int[] strides) {
      for (int l = 0; l < leafAtoms.size(); l++) {
        if (leafAtoms.get(l) == a && Arrays.equals(leafStrides.get(l), strides)) {
          return leafRegisters.get(l);
        }
      }
      leafAtoms.add(a);
      leafStrides.add(strides);
      int r = add(new Instr(Op.LOAD, leafAtoms.size() - 1, 0, 0, null));
      leafRegisters.add(r);
      return r;
    }

    /** Emits fusible equation {@code e} and its inlined operands; returns its register. */
    int emit(Eqn e) {
      ops++;
      names.append(names.isEmpty() ? "" : ",").append(e.primitive().name());
      int a = value(e.inputs().get(0));
      int b = e.inputs().size() == 2 ? value(e.inputs().get(1)) : 0;
      return add(instr(e, a, b));
    }
  }
}
