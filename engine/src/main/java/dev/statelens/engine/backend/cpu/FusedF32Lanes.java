package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.backend.cpu.FusedElementwise.Comparison;
import dev.statelens.engine.backend.cpu.FusedElementwise.CompareSelect;
import dev.statelens.engine.backend.cpu.FusedElementwise.Instr;
import dev.statelens.engine.backend.cpu.FusedElementwise.Op;
import java.util.Arrays;

/**
 * {@link FusedElementwise}'s program run in f32 registers, for groups whose every value is f32 (or
 * a 0/1 predicate) over f32 and bool leaves — most of a float32 model's step. Each instruction is
 * the eager f32 kernel's operation: {@code + - * /}, {@code x * x} and {@code sqrt} in float give
 * the bits of the double operation rounded once (p = 24 ≤ (53 - 2) / 2), max/min, negation,
 * comparisons and selects are exact either way, XLA's f32 functions ({@link XlaF32Math}) run on
 * their own lanes, and everything else still calls the double function and rounds. So the results
 * are the double registers' bits (FusionTest compares the two), with twice the lanes per vector
 * and no float↔double conversion around every instruction.
 */
final class FusedF32Lanes {
  private FusedF32Lanes() {}

  /** True when every instruction of {@code prog} computes an f32 value or a predicate. */
  static boolean eligible(Instr[] prog) {
    for (Instr i : prog) {
      boolean ok = switch (i.op()) {
        case LOAD, COMPARE, SELECT, COMPARE_SELECT -> true; // their operands are checked as values
        case CONST -> (float) i.constant() == i.constant() || Double.isNaN(i.constant());
        default -> i.f32();
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** True when every leaf is f32 or bool (F64 leaves keep the double registers). */
  static boolean leavesFit(Object[] src) {
    for (Object s : src) {
      if (!(s instanceof float[]) && !(s instanceof boolean[])) {
        return false;
      }
    }
    return true;
  }

  static float[][] registers(Instr[] prog, int block) {
    float[][] regs = new float[prog.length][];
    for (int k = 0; k < prog.length; k++) {
      regs[k] = new float[block];
      if (prog[k].op() == Op.CONST) {
        Arrays.fill(regs[k], (float) prog[k].constant());
      }
    }
    return regs;
  }

  /** As {@code FusedElementwise.execRows}, in f32 registers. */
  static void execRows(Instr[] prog, XlaF32Math.Fn[] xla, FusedElementwise.Direct[] direct, float[][] regs,
      Object[] src, int[] bases, int[] stride, boolean[] denseLeaf, int rowLen, int rows) {
    int len = rowLen * rows;
    for (int k = 0; k < prog.length; k++) {
      Instr ins = prog[k];
      float[] r = regs[k];
      switch (ins.op()) {
        case CONST -> { }
        case LOAD -> loadLeaf(ins.a(), r, src, bases, stride, denseLeaf, rowLen, rows);
        case ADD -> { float[] a = regs[ins.a()], b = regs[ins.b()]; for (int j = 0; j < len; j++) r[j] = a[j] + b[j]; }
        case SUB -> { float[] a = regs[ins.a()], b = regs[ins.b()]; for (int j = 0; j < len; j++) r[j] = a[j] - b[j]; }
        case MUL -> { float[] a = regs[ins.a()], b = regs[ins.b()]; for (int j = 0; j < len; j++) r[j] = a[j] * b[j]; }
        case DIV -> { float[] a = regs[ins.a()], b = regs[ins.b()]; for (int j = 0; j < len; j++) r[j] = a[j] / b[j]; }
        case MAX -> { float[] a = regs[ins.a()], b = regs[ins.b()]; for (int j = 0; j < len; j++) r[j] = Math.max(a[j], b[j]); }
        case MIN -> { float[] a = regs[ins.a()], b = regs[ins.b()]; for (int j = 0; j < len; j++) r[j] = Math.min(a[j], b[j]); }
        case NEG -> { float[] a = regs[ins.a()]; for (int j = 0; j < len; j++) r[j] = -a[j]; }
        case SQUARE -> { float[] a = regs[ins.a()]; for (int j = 0; j < len; j++) r[j] = a[j] * a[j]; }
        case UNARY -> unary(ins, xla[k], direct[k], regs[ins.a()], 0, r, len);
        case BINARY -> binary(ins, regs[ins.a()], 0, regs[ins.b()], 0, r, len);
        case COMPARE -> compare((Comparison) ins.fn(), r, regs[ins.a()], regs[ins.b()], len);
        case SELECT -> {
          float[] p = regs[ins.a()], c0 = regs[ins.b()], c1 = regs[ins.c()];
          int from = FusedElementwise.VECTOR ? VectorSelect.select(r, p, c0, c1, len) : 0;
          for (int j = from; j < len; j++) r[j] = pick((int) p[j], c0[j], c1[j]);
        }
        case COMPARE_SELECT -> {
          CompareSelect cs = (CompareSelect) ins.fn();
          compareSelect(cs.cmp(), r, regs[ins.a()], regs[ins.b()], regs[cs.c0()], regs[cs.c1()], len);
        }
        case CONVERT -> System.arraycopy(regs[ins.a()], 0, r, 0, len); // f32 → f32
      }
    }
  }

  /**
   * The LOAD instructions of {@code prog} alone, into their registers: what a compiled program
   * ({@link FusedF32Code.Block}) reads before it runs the arithmetic.
   */
  static void loadLeaves(Instr[] prog, float[][] regs, Object[] src, int[] bases, int[] stride, boolean[] denseLeaf,
      int rowLen, int rows, boolean[] inPlace) {
    for (int k = 0; k < prog.length; k++) {
      if (prog[k].op() == Op.LOAD && !inPlace[prog[k].a()]) {
        loadLeaf(prog[k].a(), regs[k], src, bases, stride, denseLeaf, rowLen, rows);
      }
    }
  }

  /** Leaf {@code l}'s elements of the block's rows into register {@code r}. */
  private static void loadLeaf(int l, float[] r, Object[] src, int[] bases, int[] stride, boolean[] denseLeaf,
      int rowLen, int rows) {
    if (denseLeaf[l]) {
      load(r, 0, src[l], bases[l], 1, rowLen * rows); // its rows lie end to end, as the block's
    } else {
      int nLeaves = denseLeaf.length;
      for (int q = 0; q < rows; q++) {
        load(r, q * rowLen, src[l], bases[q * nLeaves + l], stride[l], rowLen);
      }
    }
  }

  /**
   * A BINARY instruction over a block: its double function, rounded to float; operands from
   * {@code a[ao..]} and {@code b[bo..]} (a register at 0, or a leaf read in place at the block's offset).
   */
  static void binary(Instr ins, float[] a, int ao, float[] b, int bo, float[] r, int len) {
    Elementwise.DD2D f = (Elementwise.DD2D) ins.fn();
    for (int j = 0; j < len; j++) r[j] = (float) f.apply(a[ao + j], b[bo + j]);
  }

  /**
   * A UNARY instruction over a block: XLA's f32 function, a direct loop, or its double function
   * rounded; the operand from {@code a[ao..]} (a register at 0, or a leaf read in place).
   */
  static void unary(Instr ins, XlaF32Math.Fn xla, FusedElementwise.Direct direct, float[] a, int ao, float[] r, int len) {
    if (xla != null) {
      XlaF32Math.apply(xla, a, ao, r, 0, len);
    } else if (direct == FusedElementwise.Direct.SQRT) {
      for (int j = 0; j < len; j++) r[j] = (float) Math.sqrt(a[ao + j]);
    } else if (direct == FusedElementwise.Direct.RSQRT) {
      for (int j = FusedElementwise.VECTOR ? RsqrtVector.rsqrt(a, ao, r, 0, len) : 0; j < len; j++) {
        r[j] = (float) (1 / Math.sqrt(a[ao + j]));
      }
    } else {
      Elementwise.D2D f = (Elementwise.D2D) ins.fn();
      for (int j = 0; j < len; j++) r[j] = (float) f.apply(a[ao + j]);
    }
  }

  // `cond ? 1 : 0` into an int, then to float: a set-on-condition, no branch (FusedElementwise's note)
  private static void compare(Comparison c, float[] r, float[] a, float[] b, int len) {
    switch (c) {
      case EQ -> { for (int j = 0; j < len; j++) { int t = a[j] == b[j] ? 1 : 0; r[j] = t; } }
      case NE -> { for (int j = 0; j < len; j++) { int t = a[j] != b[j] ? 1 : 0; r[j] = t; } }
      case LT -> { for (int j = 0; j < len; j++) { int t = a[j] < b[j] ? 1 : 0; r[j] = t; } }
      case LE -> { for (int j = 0; j < len; j++) { int t = a[j] <= b[j] ? 1 : 0; r[j] = t; } }
      case GT -> { for (int j = 0; j < len; j++) { int t = a[j] > b[j] ? 1 : 0; r[j] = t; } }
      case GE -> { for (int j = 0; j < len; j++) { int t = a[j] >= b[j] ? 1 : 0; r[j] = t; } }
    }
  }

  private static void compareSelect(Comparison c, float[] r, float[] a, float[] b, float[] c0, float[] c1, int len) {
    switch (c) {
      case EQ -> { for (int j = 0; j < len; j++) { int t = a[j] == b[j] ? 1 : 0; r[j] = pick(t, c0[j], c1[j]); } }
      case NE -> { for (int j = 0; j < len; j++) { int t = a[j] != b[j] ? 1 : 0; r[j] = pick(t, c0[j], c1[j]); } }
      case LT -> { for (int j = 0; j < len; j++) { int t = a[j] < b[j] ? 1 : 0; r[j] = pick(t, c0[j], c1[j]); } }
      case LE -> { for (int j = 0; j < len; j++) { int t = a[j] <= b[j] ? 1 : 0; r[j] = pick(t, c0[j], c1[j]); } }
      case GT -> { for (int j = 0; j < len; j++) { int t = a[j] > b[j] ? 1 : 0; r[j] = pick(t, c0[j], c1[j]); } }
      case GE -> { for (int j = 0; j < len; j++) { int t = a[j] >= b[j] ? 1 : 0; r[j] = pick(t, c0[j], c1[j]); } }
    }
  }

  /** {@code t == 1 ? c1 : c0} by a bit mask: exactly one operand's bits, no branch. */
  static float pick(int t, float c0, float c1) {
    int m = -t;
    return Float.intBitsToFloat((Float.floatToRawIntBits(c1) & m) | (Float.floatToRawIntBits(c0) & ~m));
  }

  /** {@code r[at + j] = src[base + j * stride]} for {@code j < len}, as floats. */
  private static void load(float[] r, int at, Object src, int base, int stride, int len) {
    switch (src) {
      case float[] s -> {
        if (stride == 1) { System.arraycopy(s, base, r, at, len); }
        else if (stride == 0) { float v = s[base]; for (int j = 0; j < len; j++) r[at + j] = v; } // short rows: no fill call per row
        else { for (int j = 0; j < len; j++) r[at + j] = s[base + j * stride]; }
      }
      case boolean[] s -> {
        if (stride == 1) { for (int j = 0; j < len; j++) { int t = s[base + j] ? 1 : 0; r[at + j] = t; } } // vectorized
        else { for (int j = 0; j < len; j++) { int t = s[base + j * stride] ? 1 : 0; r[at + j] = t; } }
      }
      default -> throw new IllegalStateException("f32 lanes cannot read " + src.getClass().getSimpleName());
    }
  }

  /** Stores a block: f32 as is, bool as {@code != 0}. */
  static void store(float[] r, Object out, int at, int len) {
    switch (out) {
      case float[] o -> System.arraycopy(r, 0, o, at, len);
      case boolean[] o -> { for (int j = 0; j < len; j++) o[at + j] = r[j] != 0; }
      default -> throw new AssertionError("an f32 program stores f32 or bool, not " + out.getClass().getSimpleName());
    }
  }
}
