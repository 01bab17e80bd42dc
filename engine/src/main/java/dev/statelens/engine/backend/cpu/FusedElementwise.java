package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import java.util.Arrays;

/**
 * A group of elementwise equations run as one pass over the output: no intermediate arrays. The
 * group is a small program (post-order expression tree, see {@link Fusion}) interpreted one block
 * of {@link #BLOCK} elements at a time: each instruction is a tight loop over double registers,
 * so the per-instruction dispatch cost is paid once per block, not per element. A group whose every
 * value is f32 runs in f32 registers instead ({@link FusedF32Lanes}): the same bits, twice the lanes.
 *
 * <p>Bit-exact with the unfused kernels: values are held in doubles, F32 results are rounded to
 * float after every instruction exactly as the eager F32 kernels round their double results, and
 * non-trivial functions (exp, tanh, pow, ...) are the very {@link Elementwise} function objects;
 * f32 exp, log, tanh and logistic are {@link XlaF32Math}'s, as in the eager kernels.
 * Broadcast operands ({@code broadcast_in_dim} of a scalar, row, column) are read in place
 * with stride 0 instead of being materialized.
 */
final class FusedElementwise implements CpuKernel {
  static final int BLOCK = 256;

  enum Op { LOAD, CONST, ADD, SUB, MUL, DIV, MAX, MIN, NEG, SQUARE, UNARY, BINARY, COMPARE, SELECT, COMPARE_SELECT, CONVERT }

  /**
   * {@link Op#COMPARE_SELECT}'s {@code fn}: {@code (a cmp b) ? c1 : c0}, a {@code select_n} whose
   * predicate is a comparison used only there (relu's {@code where(x <= 0, 0, x)}): the 0/1
   * predicate is never written to a register.
   */
  record CompareSelect(Comparison cmp, int c0, int c1) {}

  /** Compare and select run on the Vector API (present, 256-bit doubles in hardware). */
  static final boolean VECTOR = vectorSelect();

  private static boolean vectorSelect() {
    if (!Matmul.vectorized()) {
      return false; // also honours -Dstatelens.cpu.vector=false
    }
    try {
      return VectorSelect.available();
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  /**
   * One instruction writing register {@code index-in-program}. {@code a, b, c} are operand
   * registers (or, for LOAD, {@code a} is the leaf). {@code f32}: round the result to float.
   * {@code primitive}: a UNARY instruction's primitive (its {@link Direct} loop and XLA f32
   * function are looked up by it), else null.
   */
  record Instr(Op op, int a, int b, int c, boolean f32, double constant, Object fn, Primitive primitive) {
    Instr(Op op, int a, int b, int c, boolean f32, double constant, Object fn) {
      this(op, a, b, c, f32, constant, fn, null);
    }
  }

  /**
   * The unary functions a fused group calls most (softmax's exp, GELU's tanh, LayerNorm's rsqrt),
   * run in loops of their own: through the shared {@link Elementwise.D2D} call site every element
   * paid a megamorphic interface call around the intrinsic. Each formula is the registered
   * function's own ({@code Math::exp}, {@code x -> 1 / Math.sqrt(x)}: FusionTest checks the bits).
   */
  enum Direct {
    EXP(Prims.EXP), TANH(Prims.TANH), LOG(Prims.LOG), SQRT(Prims.SQRT), RSQRT(Prims.RSQRT);

    final Primitive primitive;

    Direct(Primitive primitive) {
      this.primitive = primitive;
    }

    static Direct of(Primitive p) {
      for (Direct d : values()) {
        if (p != null && p == d.primitive) {
          return d;
        }
      }
      return null;
    }

    double apply(double x) {
      return switch (this) {
        case EXP -> Math.exp(x);
        case TANH -> Math.tanh(x);
        case LOG -> Math.log(x);
        case SQRT -> Math.sqrt(x);
        case RSQRT -> 1 / Math.sqrt(x);
      };
    }
  }

  private final Instr[] prog;
  /** Per instruction, its {@link Direct} loop (UNARY instructions only), else null. */
  private final Direct[] direct;
  /** Per instruction, XLA's f32 function (f32 UNARY exp/log/tanh/logistic), else null. */
  private final XlaF32Math.Fn[] xla;
  /**
   * Runs in f32 registers ({@link FusedF32Lanes}) when its leaves are f32/bool: every value is
   * f32 or a predicate. {@code -Dstatelens.cpu.f32lanes=false} (read when a graph is compiled)
   * keeps the double registers, for comparisons; the bits are the same.
   */
  private final boolean f32Lanes;
  private final DType outDType;
  /** Per leaf (kernel input), its stride for each output axis (0 on broadcast axes). */
  private final int[][] leafStrides;
  /** True when every leaf is either dense like the output or a scalar: one flat row. */
  private final boolean flat;
  /**
   * Per leaf, true when it is laid out like the output (no broadcast axis): consecutive output
   * rows are consecutive in it, so {@link #runShortRows} loads a block of rows with one copy.
   */
  private final boolean[] denseLeaf;
  private final int[] outShape;
  private final int opCount;

  FusedElementwise(Instr[] prog, DType outDType, int[] outShape, int[][] leafStrides) {
    this.prog = prog;
    this.direct = Arrays.stream(prog).map(i -> i.op == Op.UNARY ? Direct.of(i.primitive) : null).toArray(Direct[]::new);
    this.xla = Arrays.stream(prog).map(i -> i.op == Op.UNARY && i.f32 && i.primitive != null ? XlaF32Math.Fn.of(i.primitive) : null)
        .toArray(XlaF32Math.Fn[]::new);
    this.f32Lanes = (outDType == DType.F32 || outDType == DType.BOOL) && FusedF32Lanes.eligible(prog)
        && Boolean.parseBoolean(System.getProperty("statelens.cpu.f32lanes", "true"));
    this.outDType = outDType;
    this.outShape = outShape.clone();
    this.leafStrides = leafStrides;
    int[] dense = Strided.rowMajor(outShape);
    boolean f = true;
    this.denseLeaf = new boolean[leafStrides.length];
    for (int l = 0; l < leafStrides.length; l++) {
      int[] s = leafStrides[l];
      boolean zero = Arrays.stream(s).allMatch(x -> x == 0);
      denseLeaf[l] = Arrays.equals(s, dense);
      f &= zero || denseLeaf[l];
    }
    this.flat = f;
    this.opCount = (int) Arrays.stream(prog).filter(i -> i.op != Op.LOAD && i.op != Op.CONST).count();
    this.codegen = codegenFor(f32Lanes, prog, size());
    this.kept = new boolean[prog.length];
  }

  /** Makes the compiled program also write registers {@code registers} (call before the first run). */
  void keepRegisters(int... registers) {
    for (int r : registers) {
      kept[r] = true;
    }
  }

  /** True when the group runs in f32 registers (given f32/bool leaves): {@link FusedF32Lanes}. */
  boolean usesF32Lanes() {
    return f32Lanes;
  }

  /** The compiled program this group runs ({@link FusedF32Code}), or null while it is interpreted. */
  FusedF32Code.Block compiledCode() {
    return compiled;
  }

  /** Per leaf, whether {@link #compiledCode} reads it in place from its array; null while interpreted. */
  boolean[] inPlaceLeaves() {
    return compiled == null ? null : inPlaceLeaves.clone();
  }

  /** Number of fused operations (not counting loads and constants). */
  int opCount() {
    return opCount;
  }

  Instr[] program() {
    return prog.clone();
  }

  /** The group's output shape. */
  int[] outputShape() {
    return outShape.clone();
  }

  /** Elements of the group's output. */
  int size() {
    int n = 1;
    for (int d : outShape) {
      n *= d;
    }
    return n;
  }

  /** True when the output can be produced as one flat range (no row-wise broadcast reads). */
  boolean isFlat() {
    return flat || outShape.length <= 1;
  }

  /** Receives one computed block: {@code count} values at the start of {@code block}. */
  @FunctionalInterface
  interface BlockSink {
    void accept(double[] block, int count);
  }

  /** Computes elements {@code [from, to)} (flat groups only) and hands each block to {@code sink}. */
  void forEachBlock(Object[] src, int from, int to, BlockSink sink) {
    Object regs = registers(src);
    int nLeaves = leafStrides.length;
    int[] base = new int[nLeaves];
    int[] stride = new int[nLeaves];
    for (int l = 0; l < nLeaves; l++) {
      stride[l] = isZero(leafStrides[l]) ? 0 : 1;
    }
    for (int s = from; s < to; s += BLOCK) {
      int len = Math.min(BLOCK, to - s);
      for (int l = 0; l < nLeaves; l++) {
        base[l] = stride[l] * s;
      }
      exec(regs, src, base, stride, len);
      sink.accept(lastAsDoubles(regs, len), len);
    }
  }

  /** Receives one block of whole output rows: every register of the program over {@code rows} rows from {@code firstRow}. */
  @FunctionalInterface
  interface RowBlockSink {
    void accept(float[][] regs, int firstRow, int rows);
  }

  /**
   * Runs the program over columns {@code colFrom..colTo} (of the last axis, at most {@link #BLOCK}
   * long) of output rows {@code rowFrom..rowTo}, as many whole rows to a block as fit (a piece of a
   * row is a block of its own, so a dense leaf's block still lies end to end in its array), in f32
   * registers (f32 groups over f32/bool leaves only; compiled as other groups, with the
   * {@link #keepRegisters kept registers} written), and hands each block's registers to
   * {@code sink}: a multi-output group ({@link FusedMultiOutput}) reads several of them. Counts no
   * run: the caller counts the call once ({@link #countRun}), then may hand pieces to threads.
   */
  void forEachRowBlock(Object[] src, int rowFrom, int rowTo, int colFrom, int colTo, RowBlockSink sink) {
    float[][] regs = (float[][]) registers(src);
    runRowBlocks(regs, src, rowFrom, rowTo, colFrom, colTo - colFrom, lastAxisStrides(), (firstRow, rows) ->
        sink.accept(regs, firstRow, rows));
  }

  /** The whole output as doubles (F32 values already rounded to float). */
  double[] values(Object[] src) {
    int n = size();
    double[] out = new double[n];
    int rank = outShape.length;
    if (n == 0) {
      return out;
    }
    if (isFlat()) {
      runFlat(src, out, 0, n);
    } else {
      runRows(src, out, 0, n / outShape[rank - 1], outShape[rank - 1]);
    }
    return out;
  }

  @Override
  public CpuBuffer[] apply(Params params, CpuBuffer[] in, Aval[] outAvals) {
    Aval outAval = outAvals[0];
    int n = outAval.size();
    Object out = HostArrays.allocate(outDType, n);
    if (n == 0) {
      return Elementwise.one(outAval, out);
    }
    Object[] src = new Object[in.length];
    for (int i = 0; i < in.length; i++) {
      src[i] = in[i].data();
    }
    countRun(src);
    int rank = outShape.length;
    if (n <= BLOCK) {
      if (flat || rank <= 1) {
        runFlat(src, out, 0, n); // small: no thread hand-off, no lambda
      } else {
        runRows(src, out, 0, n / outShape[rank - 1], outShape[rank - 1]);
      }
    } else if (flat || rank <= 1) {
      Parallel.elementwise(n, (from, to) -> runFlat(src, out, from, to));
    } else {
      int len = outShape[rank - 1];
      int rows = n / len;
      int parts = Parallel.parts(n, Parallel.ELEMENTWISE_GRAIN);
      Parallel.forRange(rows, parts, 1, (r0, r1) -> runRows(src, out, r0, r1, len));
    }
    return Elementwise.one(outAval, out);
  }

  /**
   * {@link #BLOCK}-sized registers, reused per thread: small graphs run in a few hundred
   * nanoseconds, so allocating them on every call would dominate. Safe because a kernel never
   * calls back into user code while it holds them. Constant registers are filled once.
   */
  private Object registers(Object[] src) {
    if (f32Lanes && FusedF32Lanes.leavesFit(src)) {
      float[][] f = f32Registers.get();
      if (f == null) {
        f = FusedF32Lanes.registers(prog, BLOCK);
        f32Registers.set(f);
      }
      return f;
    }
    double[][] regs = blockRegisters.get();
    if (regs != null) {
      return regs;
    }
    regs = new double[prog.length][];
    for (int k = 0; k < prog.length; k++) {
      regs[k] = new double[BLOCK];
      if (prog[k].op == Op.CONST) {
        Arrays.fill(regs[k], prog[k].constant);
      }
    }
    blockRegisters.set(regs);
    return regs;
  }

  /**
   * Counts one run of this group on f32 registers and compiles its program at the run
   * {@link #codegen} names. Called once per kernel call ({@link #apply}, or the
   * {@link FusedReduction} folding this group), before the work is split over threads, rows or
   * blocks: counted per piece, a group would compile during its first run.
   */
  void countRun(Object[] src) {
    if (compiled == null && !compileTried && f32Lanes && FusedF32Lanes.leavesFit(src)
        && ++runs >= codegen.firstCompiledRun) {
      compileTried = true; // once: a program the generator refuses stays interpreted
      boolean[] inPlace = FusedF32Code.inPlaceLeaves(prog, src, denseLeaf);
      for (int k = 0; k < prog.length; k++) {
        if (kept[k] && prog[k].op() == Op.LOAD) {
          inPlace[prog[k].a()] = false; // a multi-output group reads its register
        }
      }
      FusedF32Code.Block code = FusedF32Code.compile(prog, xla, direct, inPlace, kept);
      inPlaceLeaves = inPlace;
      compiled = code;
    }
  }

  /** Registers the compiled program must write besides its result: the values a {@link FusedMultiOutput} reads. */
  private final boolean[] kept;

  /** When this group's f32 program is compiled ({@link FusedF32Code}), read when the graph is compiled. */
  private final CompiledWhen codegen;
  /** The compiled program, or null while (or when) it is interpreted. Races only compile twice (the cache). */
  private volatile FusedF32Code.Block compiled;
  /** The leaves {@link #compiled} reads in place (set before it). */
  private boolean[] inPlaceLeaves;
  private boolean compileTried;
  private int runs;

  /**
   * {@code -Dstatelens.cpu.codegen}: {@code off} interprets every group, {@code on} compiles every
   * f32 group at its first run, {@code auto} compiles the groups where compiled code measured
   * faster (see {@link #codegenFor}) at their second run, so a group that runs once never pays for a class.
   */
  enum CompiledWhen {
    NEVER(Integer.MAX_VALUE), FIRST_RUN(1), SECOND_RUN(2);

    final int firstCompiledRun;

    CompiledWhen(int firstCompiledRun) {
      this.firstCompiledRun = firstCompiledRun;
    }
  }

  /** auto: groups of at least this many elements (smaller ones: the class would not pay back soon). */
  static final int AUTO_MIN_ELEMENTS = BLOCK;

  /**
   * auto's rule (docs/benchmarks.md, "Compiled fused groups"): an f32 group of at least
   * {@link #AUTO_MIN_ELEMENTS} elements with at least two operations in its loops, or a compare
   * or select (a blend on vectors where the interpreter makes a pass per instruction). A lone
   * {@code x + bias} runs at the speed of its loads and store either way; functions such as
   * {@code exp} run the same vector loops compiled or not.
   */
  private static CompiledWhen codegenFor(boolean f32Lanes, Instr[] prog, int size) {
    if (!f32Lanes) {
      return CompiledWhen.NEVER;
    }
    return switch (GraphCodegen.configuredMode()) {
      case OFF -> CompiledWhen.NEVER;
      case ON -> CompiledWhen.FIRST_RUN;
      case AUTO -> size >= AUTO_MIN_ELEMENTS && (FusedF32Code.loopInstructions(prog) >= 2 || FusedF32Code.selects(prog))
          ? CompiledWhen.SECOND_RUN : CompiledWhen.NEVER;
    };
  }

  private final ThreadLocal<double[][]> blockRegisters = new ThreadLocal<>();
  private final ThreadLocal<float[][]> f32Registers = new ThreadLocal<>();
  private final ThreadLocal<double[]> widened = ThreadLocal.withInitial(() -> new double[BLOCK]);

  /** The result register of a block as doubles (f32 lanes widened, exactly). */
  private double[] lastAsDoubles(Object regs, int len) {
    if (regs instanceof double[][] d) {
      return d[prog.length - 1];
    }
    float[] r = ((float[][]) regs)[prog.length - 1];
    double[] w = widened.get();
    for (int j = 0; j < len; j++) w[j] = r[j];
    return w;
  }

  private void storeLast(Object regs, Object out, int at, int len) {
    if (regs instanceof double[][] d) {
      store(d[prog.length - 1], out, at, len);
    } else if (out instanceof double[] o) { // values(): the block as doubles
      float[] r = ((float[][]) regs)[prog.length - 1];
      for (int j = 0; j < len; j++) o[at + j] = r[j];
    } else {
      FusedF32Lanes.store(((float[][]) regs)[prog.length - 1], out, at, len);
    }
  }

  private void runFlat(Object[] src, Object out, int from, int to) {
    Object regs = registers(src);
    int nLeaves = leafStrides.length;
    int[] base = new int[nLeaves];
    int[] stride = new int[nLeaves];
    for (int l = 0; l < nLeaves; l++) {
      stride[l] = isZero(leafStrides[l]) ? 0 : 1;
    }
    for (int s = from; s < to; s += BLOCK) {
      int len = Math.min(BLOCK, to - s);
      for (int l = 0; l < nLeaves; l++) {
        base[l] = stride[l] * s;
      }
      exec(regs, src, base, stride, len);
      storeLast(regs, out, s, len);
    }
  }

  private void runRows(Object[] src, Object out, int rowFrom, int rowTo, int rowLen) {
    Object regs = registers(src);
    int nLeaves = leafStrides.length;
    int[] rowBase = new int[nLeaves];
    int[] base = new int[nLeaves];
    int[] stride = lastAxisStrides();
    if (rowLen < BLOCK / 2) {
      runShortRows(regs, src, out, rowFrom, rowTo, rowLen, stride);
      return;
    }
    for (int r = rowFrom; r < rowTo; r++) {
      rowBase(r, rowBase);
      for (int c = 0; c < rowLen; c += BLOCK) {
        int len = Math.min(BLOCK, rowLen - c);
        for (int l = 0; l < nLeaves; l++) {
          base[l] = rowBase[l] + c * stride[l];
        }
        exec(regs, src, base, stride, len);
        storeLast(regs, out, r * rowLen + c, len);
      }
    }
  }

  /**
   * Rows shorter than half a block ({@code x[B,T,48] + bias[48]}, a softmax's {@code [.., 32]}
   * rows minus their max): as many whole rows as fit go into one block, each leaf loaded row by
   * row, so every instruction runs over up to {@link #BLOCK} elements instead of one row's; the
   * output rows are consecutive, so the block is stored in one piece. Same operations per element.
   */
  private void runShortRows(Object regs, Object[] src, Object out, int rowFrom, int rowTo, int rowLen, int[] stride) {
    runRowBlocks(regs, src, rowFrom, rowTo, 0, rowLen, stride, (firstRow, rows) ->
        storeLast(regs, out, firstRow * rowLen, rows * rowLen));
  }

  /** What is done with a block of whole rows once the program has run over it. */
  @FunctionalInterface
  private interface RowsRun {
    void rows(int firstRow, int rows);
  }

  /**
   * Runs the program over columns {@code colFrom..colFrom + width} of rows {@code rowFrom..rowTo}
   * ({@code width <= BLOCK}), as many whole rows to a block as fit (one row piece to a block when
   * {@code width} is less than a row), then {@code done} for each block: the short-row store and
   * the multi-output groups' folds share this walk.
   */
  private void runRowBlocks(Object regs, Object[] src, int rowFrom, int rowTo, int colFrom, int width, int[] stride,
      RowsRun done) {
    int nLeaves = leafStrides.length;
    int rowsPerBlock = width == outShape[outShape.length - 1] ? BLOCK / width : 1;
    int[] bases = new int[rowsPerBlock * nLeaves];
    int[] one = new int[nLeaves];
    int[] index = rowIndex(rowFrom, one);
    for (int r = rowFrom; r < rowTo; r += rowsPerBlock) {
      int rows = Math.min(rowsPerBlock, rowTo - r);
      for (int q = 0; q < rows; q++) {
        for (int l = 0; l < nLeaves; l++) {
          bases[q * nLeaves + l] = one[l] + colFrom * stride[l];
        }
        nextRow(index, one);
      }
      execRows(regs, src, bases, stride, width, rows);
      done.rows(r, rows);
    }
  }

  /** Each leaf's stride along the output's last axis. */
  private int[] lastAxisStrides() {
    int[] stride = new int[leafStrides.length];
    for (int l = 0; l < stride.length; l++) {
      stride[l] = leafStrides[l][outShape.length - 1];
    }
    return stride;
  }

  /** {@link #rowBase} of row {@code r}, and the row's index over the outer axes (for {@link #nextRow}). */
  private int[] rowIndex(int r, int[] rowBase) {
    rowBase(r, rowBase);
    int[] index = new int[Math.max(0, outShape.length - 1)];
    int rem = r;
    for (int d = outShape.length - 2; d >= 0; d--) {
      index[d] = rem % outShape[d];
      rem /= outShape[d];
    }
    return index;
  }

  /**
   * Steps {@code index} and the leaves' offsets {@code rowBase} to the next row, odometer-wise:
   * a 32-wide softmax row spent more time in {@link #rowBase}'s divisions than in its arithmetic.
   */
  private void nextRow(int[] index, int[] rowBase) {
    for (int d = index.length - 1; d >= 0; d--) {
      index[d]++;
      for (int l = 0; l < rowBase.length; l++) {
        rowBase[l] += leafStrides[l][d];
      }
      if (index[d] < outShape[d]) {
        return;
      }
      for (int l = 0; l < rowBase.length; l++) {
        rowBase[l] -= outShape[d] * leafStrides[l][d];
      }
      index[d] = 0;
    }
  }

  /** Each leaf's offset of output row {@code r}: the row index decomposed over the outer axes. */
  private void rowBase(int r, int[] rowBase) {
    Arrays.fill(rowBase, 0);
    int rem = r;
    for (int d = outShape.length - 2; d >= 0; d--) {
      int idx = rem % outShape[d];
      rem /= outShape[d];
      for (int l = 0; l < rowBase.length; l++) {
        rowBase[l] += idx * leafStrides[l][d];
      }
    }
  }

  private static boolean isZero(int[] s) {
    for (int x : s) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private void store(double[] r, Object out, int at, int len) {
    switch (out) {
      case float[] o -> {
        for (int j = 0; j < len; j++) o[at + j] = (float) r[j];
      }
      case double[] o -> System.arraycopy(r, 0, o, at, len);
      case boolean[] o -> {
        for (int j = 0; j < len; j++) o[at + j] = r[j] != 0;
      }
      default -> throw new AssertionError();
    }
  }

  /** Runs the program over one block of {@code len} elements. */
  private void exec(Object regs, Object[] src, int[] base, int[] stride, int len) {
    execRows(regs, src, base, stride, len, 1);
  }

  /**
   * Runs the program over one block of {@code rows} rows of {@code rowLen} elements laid end to
   * end; {@code bases} holds each row's leaf offsets ({@code rows} x leaves).
   */
  private void execRows(Object regs, Object[] src, int[] bases, int[] stride, int rowLen, int rows) {
    if (regs instanceof float[][] f) {
      FusedF32Code.Block code = compiled;
      if (code != null) {
        FusedF32Lanes.loadLeaves(prog, f, src, bases, stride, denseLeaf, rowLen, rows, inPlaceLeaves);
        code.run(f, src, bases, rowLen * rows);
      } else {
        FusedF32Lanes.execRows(prog, xla, direct, f, src, bases, stride, denseLeaf, rowLen, rows);
      }
    } else {
      execRows((double[][]) regs, src, bases, stride, rowLen, rows);
    }
  }

  private void execRows(double[][] regs, Object[] src, int[] bases, int[] stride, int rowLen, int rows) {
    int len = rowLen * rows;
    int nLeaves = leafStrides.length;
    for (int k = 0; k < prog.length; k++) {
      Instr ins = prog[k];
      double[] r = regs[k];
      switch (ins.op) {
        case CONST -> { }
        case LOAD -> {
          if (denseLeaf[ins.a]) {
            load(r, 0, src[ins.a], bases[ins.a], 1, len); // its rows lie end to end, as the block's
          } else {
            for (int q = 0; q < rows; q++) {
              load(r, q * rowLen, src[ins.a], bases[q * nLeaves + ins.a], stride[ins.a], rowLen);
            }
          }
        }
        case ADD -> {
          double[] a = regs[ins.a], b = regs[ins.b];
          if (ins.f32) { for (int j = 0; j < len; j++) r[j] = (float) (a[j] + b[j]); }
          else { for (int j = 0; j < len; j++) r[j] = a[j] + b[j]; }
        }
        case SUB -> {
          double[] a = regs[ins.a], b = regs[ins.b];
          if (ins.f32) { for (int j = 0; j < len; j++) r[j] = (float) (a[j] - b[j]); }
          else { for (int j = 0; j < len; j++) r[j] = a[j] - b[j]; }
        }
        case MUL -> {
          double[] a = regs[ins.a], b = regs[ins.b];
          if (ins.f32) { for (int j = 0; j < len; j++) r[j] = (float) (a[j] * b[j]); }
          else { for (int j = 0; j < len; j++) r[j] = a[j] * b[j]; }
        }
        case DIV -> {
          double[] a = regs[ins.a], b = regs[ins.b];
          if (ins.f32) { for (int j = 0; j < len; j++) r[j] = (float) (a[j] / b[j]); }
          else { for (int j = 0; j < len; j++) r[j] = a[j] / b[j]; }
        }
        case MAX -> {
          double[] a = regs[ins.a], b = regs[ins.b];
          for (int j = 0; j < len; j++) r[j] = Math.max(a[j], b[j]); // exact: no rounding needed
        }
        case MIN -> {
          double[] a = regs[ins.a], b = regs[ins.b];
          for (int j = 0; j < len; j++) r[j] = Math.min(a[j], b[j]);
        }
        case NEG -> {
          double[] a = regs[ins.a];
          for (int j = 0; j < len; j++) r[j] = -a[j];
        }
        case SQUARE -> {
          double[] a = regs[ins.a];
          if (ins.f32) { for (int j = 0; j < len; j++) r[j] = (float) (a[j] * a[j]); }
          else { for (int j = 0; j < len; j++) r[j] = a[j] * a[j]; }
        }
        case UNARY -> {
          double[] a = regs[ins.a];
          if (xla[k] != null) {
            xlaF32(xla[k], a, r, len);
          } else if (direct[k] != null) {
            direct(direct[k], ins.f32, a, r, len);
          } else {
            Elementwise.D2D f = (Elementwise.D2D) ins.fn;
            if (ins.f32) { for (int j = 0; j < len; j++) r[j] = (float) f.apply(a[j]); }
            else { for (int j = 0; j < len; j++) r[j] = f.apply(a[j]); }
          }
        }
        case BINARY -> {
          Elementwise.DD2D f = (Elementwise.DD2D) ins.fn;
          double[] a = regs[ins.a], b = regs[ins.b];
          if (ins.f32) { for (int j = 0; j < len; j++) r[j] = (float) f.apply(a[j], b[j]); }
          else { for (int j = 0; j < len; j++) r[j] = f.apply(a[j], b[j]); }
        }
        case COMPARE -> compare((Comparison) ins.fn, r, regs[ins.a], regs[ins.b], len);
        case SELECT -> select(r, regs[ins.a], regs[ins.b], regs[ins.c], len);
        case COMPARE_SELECT -> {
          CompareSelect cs = (CompareSelect) ins.fn;
          compareSelect(cs.cmp(), r, regs[ins.a], regs[ins.b], regs[cs.c0()], regs[cs.c1()], len);
        }
        case CONVERT -> {
          double[] a = regs[ins.a];
          if (ins.f32) { for (int j = 0; j < len; j++) r[j] = (float) a[j]; }
          else { System.arraycopy(a, 0, r, 0, len); }
        }
      }
    }
  }

  /** f32 lanes for XLA's functions: the block in, the results after it ({@code 2 * BLOCK}). */
  private static final ThreadLocal<float[]> F32_LANES = ThreadLocal.withInitial(() -> new float[2 * BLOCK]);

  /** {@code r = fn(a)} over a block of f32 values held in doubles, on the Vector API where present. */
  private static void xlaF32(XlaF32Math.Fn fn, double[] a, double[] r, int len) {
    float[] s = F32_LANES.get();
    for (int j = 0; j < len; j++) s[j] = (float) a[j];
    XlaF32Math.apply(fn, s, 0, s, BLOCK, len);
    for (int j = 0; j < len; j++) r[j] = s[BLOCK + j];
  }

  /** A {@link Direct} function over a block: one loop per function, each call site monomorphic. */
  private static void direct(Direct d, boolean f32, double[] a, double[] r, int len) {
    switch (d) {
      case EXP -> {
        if (f32) { for (int j = 0; j < len; j++) r[j] = (float) Math.exp(a[j]); }
        else { for (int j = 0; j < len; j++) r[j] = Math.exp(a[j]); }
      }
      case TANH -> {
        if (f32) { for (int j = 0; j < len; j++) r[j] = (float) Math.tanh(a[j]); }
        else { for (int j = 0; j < len; j++) r[j] = Math.tanh(a[j]); }
      }
      case LOG -> {
        if (f32) { for (int j = 0; j < len; j++) r[j] = (float) Math.log(a[j]); }
        else { for (int j = 0; j < len; j++) r[j] = Math.log(a[j]); }
      }
      case SQRT -> {
        if (f32) { for (int j = 0; j < len; j++) r[j] = (float) Math.sqrt(a[j]); }
        else { for (int j = 0; j < len; j++) r[j] = Math.sqrt(a[j]); }
      }
      case RSQRT -> {
        if (f32) { for (int j = 0; j < len; j++) r[j] = (float) (1 / Math.sqrt(a[j])); }
        else { for (int j = 0; j < len; j++) r[j] = 1 / Math.sqrt(a[j]); }
      }
    }
  }

  /**
   * The float comparisons, each its own loop: through the shared {@code DDTest} interface the
   * call was megamorphic and the 0/1 result a data-dependent branch (relu on normal data
   * mispredicted half the time: 11 ms instead of ~1 ms for [32,28,28,32]). A plain {@code <=}
   * in a loop of its own, materialized as an int, compiles to a branch-free compare-and-set.
   */
  enum Comparison { EQ, NE, LT, LE, GT, GE }

  static Comparison comparison(dev.statelens.engine.ir.Primitive p) {
    return p == dev.statelens.engine.ir.Prims.EQ ? Comparison.EQ : p == dev.statelens.engine.ir.Prims.NE ? Comparison.NE
        : p == dev.statelens.engine.ir.Prims.LT ? Comparison.LT : p == dev.statelens.engine.ir.Prims.LE ? Comparison.LE
        : p == dev.statelens.engine.ir.Prims.GT ? Comparison.GT : p == dev.statelens.engine.ir.Prims.GE ? Comparison.GE : null;
  }

  // `cond ? 1 : 0` into an int is the shape C2 compiles to a set-on-condition (no branch);
  // `cond ? 1.0 : 0.0` into a double stays a branch that random data mispredicts half the time
  private static void compare(Comparison c, double[] r, double[] a, double[] b, int len) {
    int from = VECTOR ? VectorSelect.compare(c, r, a, b, len) : 0;
    compareScalar(c, r, a, b, from, len);
  }

  static void compareScalar(Comparison c, double[] r, double[] a, double[] b, int from, int len) {
    switch (c) {
      case EQ -> { for (int j = from; j < len; j++) { int t = a[j] == b[j] ? 1 : 0; r[j] = t; } }
      case NE -> { for (int j = from; j < len; j++) { int t = a[j] != b[j] ? 1 : 0; r[j] = t; } }
      case LT -> { for (int j = from; j < len; j++) { int t = a[j] < b[j] ? 1 : 0; r[j] = t; } }
      case LE -> { for (int j = from; j < len; j++) { int t = a[j] <= b[j] ? 1 : 0; r[j] = t; } }
      case GT -> { for (int j = from; j < len; j++) { int t = a[j] > b[j] ? 1 : 0; r[j] = t; } }
      case GE -> { for (int j = from; j < len; j++) { int t = a[j] >= b[j] ? 1 : 0; r[j] = t; } }
    }
  }

  /**
   * {@code r = (a c b) ? c1 : c0} in one pass: lane masks and blends where the Vector API runs,
   * else the predicate as an int (a set-on-condition, no branch) turned into a bit mask.
   */
  private static void compareSelect(Comparison c, double[] r, double[] a, double[] b, double[] c0, double[] c1, int len) {
    int from = VECTOR ? VectorSelect.compareSelect(c, r, a, b, c0, c1, len) : 0;
    compareSelectScalar(c, r, a, b, c0, c1, from, len);
  }

  static void compareSelectScalar(Comparison c, double[] r, double[] a, double[] b, double[] c0, double[] c1,
      int from, int len) {
    switch (c) {
      case EQ -> { for (int j = from; j < len; j++) { int t = a[j] == b[j] ? 1 : 0; r[j] = pick(t, c0[j], c1[j]); } }
      case NE -> { for (int j = from; j < len; j++) { int t = a[j] != b[j] ? 1 : 0; r[j] = pick(t, c0[j], c1[j]); } }
      case LT -> { for (int j = from; j < len; j++) { int t = a[j] < b[j] ? 1 : 0; r[j] = pick(t, c0[j], c1[j]); } }
      case LE -> { for (int j = from; j < len; j++) { int t = a[j] <= b[j] ? 1 : 0; r[j] = pick(t, c0[j], c1[j]); } }
      case GT -> { for (int j = from; j < len; j++) { int t = a[j] > b[j] ? 1 : 0; r[j] = pick(t, c0[j], c1[j]); } }
      case GE -> { for (int j = from; j < len; j++) { int t = a[j] >= b[j] ? 1 : 0; r[j] = pick(t, c0[j], c1[j]); } }
    }
  }

  /** {@code t == 1 ? c1 : c0} by a bit mask, without a branch. */
  private static double pick(int t, double c0, double c1) {
    long m = -(long) t;
    return Double.longBitsToDouble((Double.doubleToRawLongBits(c1) & m) | (Double.doubleToRawLongBits(c0) & ~m));
  }

  /** The eager comparison kernel's float path: {@code r[i] = x[i*sx] (p) y[i*sy]}, block by block. */
  static void compareFloats(dev.statelens.engine.ir.Primitive p, Object x, int sx, Object y, int sy, boolean[] r, int n) {
    Comparison c = comparison(p);
    double[] a = new double[Math.min(BLOCK, n)];
    double[] b = new double[a.length];
    double[] t = new double[a.length];
    for (int s = 0; s < n; s += BLOCK) {
      int len = Math.min(BLOCK, n - s);
      load(a, x, s * sx, sx, len);
      load(b, y, s * sy, sy, len);
      compare(c, t, a, b, len);
      for (int j = 0; j < len; j++) r[s + j] = t[j] != 0;
    }
  }

  /**
   * {@code p ? c1 : c0} without a branch: a mask from the 0/1 predicate picks the bits, so the
   * result is exactly one of the two operands (NaN payloads and -0.0 included).
   */
  private static void select(double[] r, double[] p, double[] c0, double[] c1, int len) {
    int from = VECTOR ? VectorSelect.select(r, p, c0, c1, len) : 0;
    for (int j = from; j < len; j++) {
      long m = -(long) p[j];
      r[j] = Double.longBitsToDouble((Double.doubleToRawLongBits(c1[j]) & m) | (Double.doubleToRawLongBits(c0[j]) & ~m));
    }
  }

  private static void load(double[] r, Object src, int base, int stride, int len) {
    load(r, 0, src, base, stride, len);
  }

  /** {@code r[at + j] = src[base + j * stride]} for {@code j < len}, as doubles. */
  private static void load(double[] r, int at, Object src, int base, int stride, int len) {
    switch (src) {
      case float[] s -> {
        if (stride == 1) { for (int j = 0; j < len; j++) r[at + j] = s[base + j]; }
        else if (stride == 0) { Arrays.fill(r, at, at + len, s[base]); }
        else { for (int j = 0; j < len; j++) r[at + j] = s[base + j * stride]; }
      }
      case double[] s -> {
        if (stride == 1) { System.arraycopy(s, base, r, at, len); }
        else if (stride == 0) { Arrays.fill(r, at, at + len, s[base]); }
        else { for (int j = 0; j < len; j++) r[at + j] = s[base + j * stride]; }
      }
      case boolean[] s -> {
        // through an int: `b ? 1.0 : 0.0` would be a branch that random masks mispredict
        for (int j = 0; j < len; j++) { int t = s[base + j * stride] ? 1 : 0; r[at + j] = t; }
      }
      default -> throw new IllegalStateException("fused elementwise cannot read " + src.getClass().getSimpleName());
    }
  }
}
