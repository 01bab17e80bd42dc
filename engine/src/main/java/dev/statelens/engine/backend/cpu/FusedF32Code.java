package dev.statelens.engine.backend.cpu;

import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_float;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;

import dev.statelens.engine.backend.cpu.FusedElementwise.CompareSelect;
import dev.statelens.engine.backend.cpu.FusedElementwise.Comparison;
import dev.statelens.engine.backend.cpu.FusedElementwise.Direct;
import dev.statelens.engine.backend.cpu.FusedElementwise.Instr;
import dev.statelens.engine.backend.cpu.FusedElementwise.Op;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A fused f32 group's program ({@link FusedF32Lanes}) compiled into one generated class (JDK
 * {@code java.lang.classfile}, a hidden class, as {@link GraphCodegen}): instead of one pass over
 * the block per instruction, the block's arithmetic runs as straight-line code in one loop per
 * <em>segment</em>, its intermediate values in locals; XLA's f32 functions cut the program into
 * segments and run between them a block at a time, on the very vector loops the interpreter
 * calls ({@link XlaF32Math#apply}). Dense f32 leaves (laid out like the output) are read in place
 * from their arrays at the block's offset, by the loops and by those calls; the others are loaded into
 * their registers by the interpreter before {@link Block#run} (same loads). The result is left in
 * the last register, so only the arithmetic between loads and store changes hands.
 *
 * <p>Same bits as {@link FusedF32Lanes}: each instruction is the same float operation ({@code
 * + - * /}, {@code Math.max/min} on floats, {@code (float) Math.sqrt}, the same D2D/DD2D
 * function objects in double rounded once, comparisons as 0/1 ints, selects by bit mask), only
 * held in a local instead of a register array.
 *
 * <p>Classes are cached by program shape: constants are read from their registers (filled once
 * per thread by the interpreter), so groups that differ only in their constants share a class.
 */
final class FusedF32Code {
  private static final Logger LOG = Logger.getLogger(FusedF32Code.class.getName());

  /**
   * Computes one block: reads the in-place leaves at {@code src[l][bases[l] + j]}, the loaded and
   * constant registers, writes the last register.
   */
  interface Block {
    void run(float[][] regs, Object[] src, int[] bases, int len);
  }

  private FusedF32Code() {}

  private static final ConcurrentHashMap<List<Object>, Optional<Block>> CACHE = new ConcurrentHashMap<>();

  /** Number of classes generated so far (for tests: the cache shares them). */
  static int generatedClasses() {
    return GENERATED.get();
  }

  private static final java.util.concurrent.atomic.AtomicInteger GENERATED = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * The compiled program, or null when it cannot be generated (logged at FINE); {@code xla} and
   * {@code direct} are the interpreter's per-instruction function choices; leaf {@code l} is read
   * in place where {@code inPlace[l]} ({@link #inPlaceLeaves}), the interpreter loads the others.
   */
  static Block compile(Instr[] prog, XlaF32Math.Fn[] xla, Direct[] direct, boolean[] inPlace) {
    return compile(prog, xla, direct, inPlace, new boolean[prog.length]);
  }

  /**
   * As {@link #compile(Instr[], XlaF32Math.Fn[], Direct[], boolean[])}, also writing register
   * {@code k} where {@code kept[k]}: the values a multi-output group ({@link FusedMultiOutput}) reads.
   */
  static Block compile(Instr[] prog, XlaF32Math.Fn[] xla, Direct[] direct, boolean[] inPlace, boolean[] kept) {
    List<Object> key = new ArrayList<>(Arrays.stream(prog)
        .map(i -> i.op() == Op.CONST ? new Instr(Op.CONST, 0, 0, 0, i.f32(), 0, null) : i)
        .toList());
    key.add(Arrays.toString(inPlace));
    key.add(Arrays.toString(kept));
    return CACHE.computeIfAbsent(key, k -> Optional.ofNullable(tryGenerate(prog, xla, direct, inPlace, kept))).orElse(null);
  }

  /**
   * The leaves a compiled program reads straight from their arrays: f32 leaves laid out like the
   * output ({@code dense[l]}: a block's elements lie end to end in them), read by loop code
   * ({@code fromArray} at the block's offset) or by a block call (XLA's functions and the double
   * functions take the array and the offset). A bool leaf (0/1 floats) is loaded into its register.
   * {@code rsqrt} reads its leaf in place through {@link RsqrtVector}; without the Vector API its
   * leaf is loaded too: the plain loop is vectorized by C2 only when it reads and writes at the same
   * index (with an offset the arrays might overlap), 174 -> 476 us on {@code rsqrt(y) * x + y} over
   * [16,32,192] read in place.
   */
  static boolean[] inPlaceLeaves(Instr[] prog, Object[] src, boolean[] dense) {
    boolean[] in = new boolean[dense.length];
    for (int l = 0; l < dense.length; l++) {
      in[l] = dense[l] && src[l] instanceof float[];
    }
    for (Instr i : prog) {
      if (!FusedElementwise.VECTOR && i.op() == Op.UNARY && Direct.of(i.primitive()) == Direct.RSQRT
          && prog[i.a()].op() == Op.LOAD) {
        in[prog[i.a()].a()] = false;
      }
    }
    if (prog[prog.length - 1].op() == Op.LOAD) {
      in[prog[prog.length - 1].a()] = false; // the result register is written
    }
    return in;
  }

  private static Block tryGenerate(Instr[] prog, XlaF32Math.Fn[] xla, Direct[] direct, boolean[] inPlace,
      boolean[] kept) {
    try {
      Block b = new Generator(prog, xla, direct, inPlace, kept).build();
      GENERATED.incrementAndGet();
      return b;
    } catch (RuntimeException | LinkageError | ReflectiveOperationException e) {
      LOG.log(Level.FINE, e, () -> "statelens cpu: interpreting a fused group after a generator failure");
      return null;
    }
  }

  private static final ClassDesc CD_THIS = ClassDesc.of(FusedF32Code.class.getPackageName() + ".FusedF32Code$Generated");
  private static final ClassDesc CD_BLOCK = ClassDesc.of(Block.class.getName());
  private static final ClassDesc CD_OBJECTS = HiddenClasses.CD_OBJECTS;
  private static final ClassDesc CD_FLOATS = CD_float.arrayType();
  private static final ClassDesc CD_MATH = ClassDesc.of("java.lang.Math");
  private static final ClassDesc CD_XLA = ClassDesc.of(XlaF32Math.class.getName());
  private static final ClassDesc CD_FN = ClassDesc.of(XlaF32Math.Fn.class.getName());
  private static final ClassDesc CD_LANES = ClassDesc.of(FusedF32Lanes.class.getName());
  private static final MethodTypeDesc MT_RUN = MethodTypeDesc.of(CD_void, CD_FLOATS.arrayType(), CD_OBJECTS,
      CD_int.arrayType(), CD_int);
  private static final MethodTypeDesc MT_APPLY = MethodTypeDesc.of(CD_void, CD_FN, CD_FLOATS, CD_int, CD_FLOATS, CD_int, CD_int);
  private static final MethodTypeDesc MT_FF_F = MethodTypeDesc.of(CD_float, CD_float, CD_float);
  private static final MethodTypeDesc MT_D_D = MethodTypeDesc.of(CD_double, CD_double);
  private static final MethodTypeDesc MT_PICK = MethodTypeDesc.of(CD_float, CD_int, CD_float, CD_float);
  private static final ClassDesc CD_INSTR = ClassDesc.of(Instr.class.getName());
  private static final ClassDesc CD_DIRECT = ClassDesc.of(Direct.class.getName());
  private static final MethodTypeDesc MT_UNARY = MethodTypeDesc.of(CD_void, CD_INSTR, CD_FN, CD_DIRECT, CD_FLOATS, CD_int,
      CD_FLOATS, CD_int);
  private static final MethodTypeDesc MT_BINARY = MethodTypeDesc.of(CD_void, CD_INSTR, CD_FLOATS, CD_int, CD_FLOATS, CD_int,
      CD_FLOATS, CD_int);
  // the Vector API, named without loading it (it is an optional module)
  private static final String VECTOR_PACKAGE = "jdk.incubator.vector.";
  private static final ClassDesc CD_FLOATV = ClassDesc.of(VECTOR_PACKAGE + "FloatVector");
  private static final ClassDesc CD_VECTOR = ClassDesc.of(VECTOR_PACKAGE + "Vector");
  private static final ClassDesc CD_SPECIES = ClassDesc.of(VECTOR_PACKAGE + "VectorSpecies");
  private static final ClassDesc CD_MASK = ClassDesc.of(VECTOR_PACKAGE + "VectorMask");
  private static final ClassDesc CD_OPS = ClassDesc.of(VECTOR_PACKAGE + "VectorOperators");
  private static final ClassDesc CD_UNARY_OP = CD_OPS.nested("Unary");
  private static final ClassDesc CD_COMPARISON_OP = CD_OPS.nested("Comparison");
  private static final MethodTypeDesc MT_FROM = MethodTypeDesc.of(CD_FLOATV, CD_SPECIES, CD_FLOATS, CD_int);
  private static final MethodTypeDesc MT_INTO = MethodTypeDesc.of(CD_void, CD_FLOATS, CD_int);
  private static final MethodTypeDesc MT_BROADCAST = MethodTypeDesc.of(CD_FLOATV, CD_SPECIES, CD_float);
  private static final MethodTypeDesc MT_V_V = MethodTypeDesc.of(CD_FLOATV, CD_VECTOR);
  private static final MethodTypeDesc MT_V = MethodTypeDesc.of(CD_FLOATV);
  private static final MethodTypeDesc MT_LANEWISE = MethodTypeDesc.of(CD_FLOATV, CD_UNARY_OP);
  private static final MethodTypeDesc MT_BLEND = MethodTypeDesc.of(CD_FLOATV, CD_VECTOR, CD_MASK);
  private static final MethodTypeDesc MT_COMPARE_V = MethodTypeDesc.of(CD_MASK, CD_COMPARISON_OP, CD_VECTOR);
  private static final MethodTypeDesc MT_COMPARE_S = MethodTypeDesc.of(CD_MASK, CD_COMPARISON_OP, CD_float);
  private static final MethodTypeDesc MT_MASK_NOT = MethodTypeDesc.of(CD_MASK);

  /**
   * Lanes of the preferred f32 vector when the Vector API is loaded (and 256-bit, as the
   * interpreter's vector loops require), else 0: generated loops are then scalar.
   */
  static final int VECTOR_LANES = vectorLanes();

  private static int vectorLanes() {
    if (!FusedElementwise.VECTOR || !Boolean.parseBoolean(System.getProperty("statelens.cpu.codegen.vector", "true"))) {
      return 0;
    }
    try {
      return VectorSelect.f32Lanes();
    } catch (LinkageError | RuntimeException e) {
      return 0;
    }
  }

  /** The operand registers of {@code i} (for LOAD none: its {@code a} is a leaf). */
  static int[] operands(Instr i) {
    return switch (i.op()) {
      case LOAD, CONST -> new int[0];
      case NEG, SQUARE, UNARY, CONVERT -> new int[] {i.a()};
      case SELECT -> new int[] {i.a(), i.b(), i.c()};
      case COMPARE_SELECT -> {
        CompareSelect cs = (CompareSelect) i.fn();
        yield new int[] {i.a(), i.b(), cs.c0(), cs.c1()};
      }
      default -> new int[] {i.a(), i.b()};
    };
  }

  /**
   * Instructions a compiled program runs inside its loops: everything but loads, constants and
   * the functions run over the whole block ({@link Generator#blockCall}).
   */
  static int loopInstructions(Instr[] prog) {
    int n = 0;
    for (Instr i : prog) {
      n += i.op() == Op.LOAD || i.op() == Op.CONST || blockCall(i) ? 0 : 1;
    }
    return n;
  }

  /** True when {@code prog} compares or selects. */
  static boolean selects(Instr[] prog) {
    return Arrays.stream(prog).anyMatch(i -> i.op() == Op.COMPARE || i.op() == Op.SELECT || i.op() == Op.COMPARE_SELECT);
  }

  /**
   * Instructions run over the whole block by the interpreter's own loops: XLA's f32 functions
   * (its vector loops), other functions in double ({@code rsqrt}, {@code pow}, ...: no vector
   * form with their bits). {@code sqrt} in float is the double sqrt rounded: it stays inline.
   */
  static boolean blockCall(Instr i) {
    return i.op() == Op.BINARY || (i.op() == Op.UNARY && Direct.of(i.primitive()) != Direct.SQRT);
  }

  /** Builds one class for one program. */
  private static final class Generator {
    private final Instr[] prog;
    private final XlaF32Math.Fn[] xla;
    private final Direct[] direct;
    /** Per instruction: its segment (loops and block calls alternate), -1 for loads and constants. */
    private final int[] segment;
    /** Per instruction: its value is written to its register (read by another segment, or the result). */
    private final boolean[] stored;
    private final int segments;
    private final List<Object> constants = new ArrayList<>();
    /** Lanes of the Vector API's preferred f32 species, or 0: scalar loops only. */
    private final int lanes;
    /** Per instruction: a LOAD whose leaf is read in place from {@code src} (not from its register). */
    private final boolean[] inPlaceLoad;

    Generator(Instr[] prog, XlaF32Math.Fn[] xla, Direct[] direct, boolean[] inPlace, boolean[] kept) {
      this.prog = prog;
      this.xla = xla;
      this.direct = direct;
      this.lanes = VECTOR_LANES;
      int n = prog.length;
      inPlaceLoad = new boolean[n];
      for (int k = 0; k < n; k++) {
        inPlaceLoad[k] = prog[k].op() == Op.LOAD && prog[k].a() < inPlace.length && inPlace[prog[k].a()];
      }
      segment = new int[n];
      int s = 0;
      boolean open = false; // the current loop segment has members
      for (int k = 0; k < n; k++) {
        Op op = prog[k].op();
        if (op == Op.LOAD || op == Op.CONST) {
          segment[k] = -1;
        } else if (blockCall(k)) {
          s += open ? 1 : 0;
          segment[k] = s++;
          open = false;
        } else {
          segment[k] = s;
          open = true;
        }
      }
      segments = s + (open ? 1 : 0);
      stored = new boolean[n];
      for (int k = 0; k < n; k++) {
        for (int a : operands(prog[k])) {
          if (segment[a] >= 0 && segment[a] != segment[k]) {
            stored[a] = true;
          }
        }
      }
      stored[n - 1] = segment[n - 1] >= 0;
      for (int k = 0; k < n; k++) {
        stored[k] |= kept[k] && segment[k] >= 0;
      }
    }

    private boolean blockCall(int k) {
      return FusedF32Code.blockCall(prog[k]);
    }

    private int constant(Object o) {
      for (int at = 0; at < constants.size(); at++) {
        if (constants.get(at) == o) {
          return at;
        }
      }
      constants.add(o);
      return constants.size() - 1;
    }

    Block build() throws ReflectiveOperationException {
      ClassFile cf = HiddenClasses.classFile();
      byte[] bytes = cf.build(CD_THIS, cb -> {
        HiddenClasses.withConstantsConstructor(cb, CD_THIS, CD_BLOCK);
        cb.withMethodBody("run", MT_RUN, ClassFile.ACC_PUBLIC, this::emitRun);
      });
      int length = HiddenClasses.longestMethod(cf, bytes);
      if (length > HiddenClasses.MAX_CODE_BYTES) {
        throw new IllegalStateException("the generated block method would have " + length + " bytes of code");
      }
      return HiddenClasses.instantiate(bytes, constants.toArray(), Block.class);
    }

    // locals of run(regs, src, bases, len)
    private static final int REGS = 1;
    private static final int SRC = 2;
    private static final int BASES = 3;
    private static final int LEN = 4;
    private int kSlot;
    /** Per register: the local holding its array (an in-place leaf's: the leaf's array), or -1. */
    private int[] arraySlot;
    /** Per in-place LOAD: the local holding the block's offset in its leaf, else -1. */
    private int[] baseSlot;

    private void emitRun(CodeBuilder code) {
      int n = prog.length;
      kSlot = code.allocateLocal(TypeKind.REFERENCE);
      code.aload(0).getfield(CD_THIS, HiddenClasses.CONSTANTS, CD_OBJECTS).astore(kSlot);
      // the register arrays the code touches: read from another segment, or written
      boolean[] asArray = stored.clone();
      for (int k = 0; k < n; k++) {
        for (int a : operands(prog[k])) {
          if (segment[a] != segment[k] || segment[a] < 0) {
            asArray[a] = true;
          }
        }
        if (segment[k] >= 0 && blockCall(k)) {
          asArray[k] = true;
        }
      }
      arraySlot = new int[n];
      baseSlot = new int[n];
      Arrays.fill(arraySlot, -1);
      Arrays.fill(baseSlot, -1);
      for (int k = 0; k < n; k++) {
        if (inPlaceLoad[k]) {
          arraySlot[k] = code.allocateLocal(TypeKind.REFERENCE);
          code.aload(SRC).loadConstant(prog[k].a()).aaload().checkcast(CD_FLOATS).astore(arraySlot[k]);
          baseSlot[k] = code.allocateLocal(TypeKind.INT);
          code.aload(BASES).loadConstant(prog[k].a()).iaload().istore(baseSlot[k]);
        } else if (asArray[k]) {
          arraySlot[k] = code.allocateLocal(TypeKind.REFERENCE);
          code.aload(REGS).loadConstant(k).aaload().astore(arraySlot[k]);
        }
      }
      for (int s = 0; s < segments; s++) {
        int first = -1;
        for (int k = 0; k < n && first < 0; k++) {
          if (segment[k] == s) {
            first = k;
          }
        }
        if (first < 0) {
          continue;
        }
        if (blockCall(first)) {
          emitBlockCall(code, first);
          continue;
        }
        int j = code.allocateLocal(TypeKind.INT);
        code.iconst_0().istore(j);
        if (lanes > 0) {
          emitVectorLoop(code, s, j);
        }
        emitScalarLoop(code, s, j);
      }
      code.return_();
    }

    /** The interpreter's loop of instruction {@code k} over the block (XLA's vector loop for its functions). */
    private void emitBlockCall(CodeBuilder code, int k) {
      Instr i = prog[k];
      if (xla[k] != null) {
        code.aload(kSlot).loadConstant(constant(xla[k])).aaload().checkcast(CD_FN);
        operand(code, i.a());
        code.aload(arraySlot[k]).iconst_0().iload(LEN).invokestatic(CD_XLA, "apply", MT_APPLY);
      } else if (i.op() == Op.UNARY) {
        code.aload(kSlot).loadConstant(constant(i)).aaload().checkcast(CD_INSTR)
            .aconst_null();
        if (direct[k] == null) {
          code.aconst_null();
        } else {
          code.aload(kSlot).loadConstant(constant(direct[k])).aaload().checkcast(CD_DIRECT);
        }
        operand(code, i.a());
        code.aload(arraySlot[k]).iload(LEN).invokestatic(CD_LANES, "unary", MT_UNARY);
      } else {
        code.aload(kSlot).loadConstant(constant(i)).aaload().checkcast(CD_INSTR);
        operand(code, i.a());
        operand(code, i.b());
        code.aload(arraySlot[k]).iload(LEN).invokestatic(CD_LANES, "binary", MT_BINARY);
      }
    }

    /** Pushes a block call's operand: its array and the block's offset in it (an in-place leaf's base, else 0). */
    private void operand(CodeBuilder code, int a) {
      code.aload(arraySlot[a]);
      if (baseSlot[a] >= 0) {
        code.iload(baseSlot[a]);
      } else {
        code.iconst_0();
      }
    }

    // ---- the vector loop: whole vectors of the block, each instruction one Vector API operation

    /**
     * {@code for (; j < loopBound(len); j += lanes)} over segment {@code s}: each instruction one
     * lanewise operation on {@code FloatVector}s held in locals (C2 keeps them in registers: every
     * call is a {@code @ForceInline} Vector API method), registers read with {@code fromArray}.
     */
    private void emitVectorLoop(CodeBuilder code, int s, int j) {
      int n = prog.length;
      int[] vectorLocal = new int[n];
      Arrays.fill(vectorLocal, -1);
      int[] zeroOne = null;
      for (int k = 0; k < n; k++) {
        if (segment[k] != s) {
          continue;
        }
        for (int a : operands(prog[k])) {
          if (prog[a].op() == Op.CONST && vectorLocal[a] < 0) { // broadcast once, before the loop
            vectorLocal[a] = code.allocateLocal(TypeKind.REFERENCE);
            code.getstatic(CD_FLOATV, "SPECIES_PREFERRED", CD_SPECIES)
                .aload(arraySlot[a]).iconst_0().faload()
                .invokestatic(CD_FLOATV, "broadcast", MT_BROADCAST).astore(vectorLocal[a]);
          }
        }
        if (prog[k].op() == Op.COMPARE && zeroOne == null) {
          zeroOne = new int[] {code.allocateLocal(TypeKind.REFERENCE), code.allocateLocal(TypeKind.REFERENCE)};
          code.getstatic(CD_FLOATV, "SPECIES_PREFERRED", CD_SPECIES).fconst_0()
              .invokestatic(CD_FLOATV, "broadcast", MT_BROADCAST).astore(zeroOne[0]);
          code.getstatic(CD_FLOATV, "SPECIES_PREFERRED", CD_SPECIES).fconst_1()
              .invokestatic(CD_FLOATV, "broadcast", MT_BROADCAST).astore(zeroOne[1]);
        }
      }
      int bound = code.allocateLocal(TypeKind.INT);
      code.iload(LEN).loadConstant(-lanes).iand().istore(bound);
      Label top = code.newLabel();
      Label end = code.newLabel();
      code.labelBinding(top);
      code.iload(j).iload(bound).if_icmpge(end);
      for (int k = 0; k < n; k++) {
        if (segment[k] != s) {
          continue;
        }
        emitVector(code, k, vectorLocal, zeroOne, j);
        vectorLocal[k] = code.allocateLocal(TypeKind.REFERENCE);
        code.astore(vectorLocal[k]);
        if (stored[k]) {
          code.aload(vectorLocal[k]).aload(arraySlot[k]).iload(j).invokevirtual(CD_FLOATV, "intoArray", MT_INTO);
        }
      }
      code.iinc(j, lanes).goto_(top);
      code.labelBinding(end);
    }

    private void readVector(CodeBuilder code, int a, int[] vectorLocal, int j) {
      if (vectorLocal[a] >= 0) {
        code.aload(vectorLocal[a]);
      } else {
        code.getstatic(CD_FLOATV, "SPECIES_PREFERRED", CD_SPECIES).aload(arraySlot[a]);
        index(code, a, j);
        code.invokestatic(CD_FLOATV, "fromArray", MT_FROM);
      }
    }

    /** Pushes the index of element {@code j} of register {@code a}: j, or the block's offset + j in an in-place leaf. */
    private void index(CodeBuilder code, int a, int j) {
      code.iload(j);
      if (baseSlot[a] >= 0) {
        code.iload(baseSlot[a]).iadd();
      }
    }

    /** Pushes instruction {@code k}'s vector for lanes {@code j..}: FusedF32Lanes' operation lane by lane. */
    private void emitVector(CodeBuilder code, int k, int[] vectorLocal, int[] zeroOne, int j) {
      Instr i = prog[k];
      switch (i.op()) {
        case ADD, SUB, MUL, DIV, MAX, MIN -> {
          readVector(code, i.a(), vectorLocal, j);
          readVector(code, i.b(), vectorLocal, j);
          String name = switch (i.op()) {
            case ADD -> "add";
            case SUB -> "sub";
            case MUL -> "mul";
            case DIV -> "div";
            case MAX -> "max"; // lanewise Math.max: NaN and -0.0 as the scalar loop (FusedF32CodeTest)
            default -> "min";
          };
          code.invokevirtual(CD_FLOATV, name, MT_V_V);
        }
        case NEG -> {
          readVector(code, i.a(), vectorLocal, j);
          code.invokevirtual(CD_FLOATV, "neg", MT_V);
        }
        case SQUARE -> {
          readVector(code, i.a(), vectorLocal, j);
          code.dup().invokevirtual(CD_FLOATV, "mul", MT_V_V);
        }
        case CONVERT -> readVector(code, i.a(), vectorLocal, j); // f32 → f32
        case UNARY -> { // only sqrt stays inline: the float sqrt is the double sqrt rounded
          readVector(code, i.a(), vectorLocal, j);
          code.getstatic(CD_OPS, "SQRT", CD_UNARY_OP).invokevirtual(CD_FLOATV, "lanewise", MT_LANEWISE);
        }
        case COMPARE -> {
          code.aload(zeroOne[0]).aload(zeroOne[1]);
          compareMask(code, (Comparison) i.fn(), i.a(), i.b(), vectorLocal, j);
          code.invokevirtual(CD_FLOATV, "blend", MT_BLEND);
        }
        case SELECT -> { // the 0/1 predicate's nonzero lanes take c1, as VectorSelect
          readVector(code, i.b(), vectorLocal, j);
          readVector(code, i.c(), vectorLocal, j);
          readVector(code, i.a(), vectorLocal, j);
          code.getstatic(CD_OPS, "NE", CD_COMPARISON_OP).fconst_0().invokevirtual(CD_FLOATV, "compare", MT_COMPARE_S);
          code.invokevirtual(CD_FLOATV, "blend", MT_BLEND);
        }
        case COMPARE_SELECT -> {
          CompareSelect cs = (CompareSelect) i.fn();
          readVector(code, cs.c0(), vectorLocal, j);
          readVector(code, cs.c1(), vectorLocal, j);
          compareMask(code, cs.cmp(), i.a(), i.b(), vectorLocal, j);
          code.invokevirtual(CD_FLOATV, "blend", MT_BLEND);
        }
        case BINARY, LOAD, CONST -> throw new AssertionError(i.op() + " is not a loop instruction");
      }
    }

    /** Pushes the mask {@code a c b}: NE as the negated EQ (NaN != x is true, as Java's !=; VectorSelect). */
    private void compareMask(CodeBuilder code, Comparison c, int a, int b, int[] vectorLocal, int j) {
      readVector(code, a, vectorLocal, j);
      String op = switch (c) {
        case EQ, NE -> "EQ";
        case LT -> "LT";
        case LE -> "LE";
        case GT -> "GT";
        case GE -> "GE";
      };
      code.getstatic(CD_OPS, op, CD_COMPARISON_OP);
      readVector(code, b, vectorLocal, j);
      code.invokevirtual(CD_FLOATV, "compare", MT_COMPARE_V);
      if (c == Comparison.NE) {
        code.invokevirtual(CD_MASK, "not", MT_MASK_NOT);
      }
    }

    // ---- the scalar loop: the rest of the block (or all of it without the Vector API)

    /** {@code for (; j < len; j++)} over segment {@code s}, each value a float local. */
    private void emitScalarLoop(CodeBuilder code, int s, int j) {
      int n = prog.length;
      int[] valueLocal = new int[n];
      Arrays.fill(valueLocal, -1);
      for (int k = 0; k < n; k++) {
        if (segment[k] != s) {
          continue;
        }
        for (int a : operands(prog[k])) {
          if (prog[a].op() == Op.CONST && valueLocal[a] < 0) {
            valueLocal[a] = code.allocateLocal(TypeKind.FLOAT);
            code.aload(arraySlot[a]).iconst_0().faload().fstore(valueLocal[a]);
          }
        }
      }
      Label top = code.newLabel();
      Label end = code.newLabel();
      code.labelBinding(top);
      code.iload(j).iload(LEN).if_icmpge(end);
      for (int k = 0; k < n; k++) {
        if (segment[k] != s) {
          continue;
        }
        emitValue(code, k, valueLocal, j);
        valueLocal[k] = code.allocateLocal(TypeKind.FLOAT);
        code.fstore(valueLocal[k]);
        if (stored[k]) {
          code.aload(arraySlot[k]).iload(j).fload(valueLocal[k]).fastore();
        }
      }
      code.iinc(j, 1).goto_(top);
      code.labelBinding(end);
    }

    private void read(CodeBuilder code, int a, int[] valueLocal, int j) {
      if (valueLocal[a] >= 0) {
        code.fload(valueLocal[a]);
      } else {
        code.aload(arraySlot[a]);
        index(code, a, j);
        code.faload();
      }
    }

    /** Pushes instruction {@code k}'s float value for element {@code j}: FusedF32Lanes' operation. */
    private void emitValue(CodeBuilder code, int k, int[] valueLocal, int j) {
      Instr i = prog[k];
      switch (i.op()) {
        case ADD, SUB, MUL, DIV -> {
          read(code, i.a(), valueLocal, j);
          read(code, i.b(), valueLocal, j);
          switch (i.op()) {
            case ADD -> code.fadd();
            case SUB -> code.fsub();
            case MUL -> code.fmul();
            default -> code.fdiv();
          }
        }
        case MAX, MIN -> {
          read(code, i.a(), valueLocal, j);
          read(code, i.b(), valueLocal, j);
          code.invokestatic(CD_MATH, i.op() == Op.MAX ? "max" : "min", MT_FF_F);
        }
        case NEG -> {
          read(code, i.a(), valueLocal, j);
          code.fneg();
        }
        case SQUARE -> {
          read(code, i.a(), valueLocal, j);
          code.dup().fmul();
        }
        case CONVERT -> read(code, i.a(), valueLocal, j); // f32 → f32
        case UNARY -> { // only sqrt stays inline
          read(code, i.a(), valueLocal, j);
          code.f2d().invokestatic(CD_MATH, "sqrt", MT_D_D).d2f();
        }
        case COMPARE -> {
          compare(code, (Comparison) i.fn(), i.a(), i.b(), valueLocal, j);
          code.i2f();
        }
        case SELECT -> {
          read(code, i.a(), valueLocal, j);
          code.f2i();
          read(code, i.b(), valueLocal, j);
          read(code, i.c(), valueLocal, j);
          code.invokestatic(CD_LANES, "pick", MT_PICK);
        }
        case COMPARE_SELECT -> {
          CompareSelect cs = (CompareSelect) i.fn();
          compare(code, cs.cmp(), i.a(), i.b(), valueLocal, j);
          read(code, cs.c0(), valueLocal, j);
          read(code, cs.c1(), valueLocal, j);
          code.invokestatic(CD_LANES, "pick", MT_PICK);
        }
        case BINARY, LOAD, CONST -> throw new AssertionError(i.op() + " is not a loop instruction");
      }
    }

    /** Pushes {@code a c b ? 1 : 0} as an int; NaN compares as Java's float operators do. */
    private void compare(CodeBuilder code, Comparison c, int a, int b, int[] valueLocal, int j) {
      read(code, a, valueLocal, j);
      read(code, b, valueLocal, j);
      Label no = code.newLabel();
      Label done = code.newLabel();
      switch (c) {
        case EQ -> code.fcmpl().ifne(no);
        case NE -> code.fcmpl().ifeq(no);
        case LT -> code.fcmpg().ifge(no);
        case LE -> code.fcmpg().ifgt(no);
        case GT -> code.fcmpl().ifle(no);
        case GE -> code.fcmpl().iflt(no);
      }
      code.iconst_1().goto_(done);
      code.labelBinding(no);
      code.iconst_0();
      code.labelBinding(done);
    }
  }
}
