package dev.statelens.engine.backend.cpu;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.cpu.GraphPlan.KernelCallStep;
import dev.statelens.engine.backend.cpu.GraphPlan.Loop;
import dev.statelens.engine.backend.cpu.GraphPlan.ReduceKind;
import dev.statelens.engine.backend.cpu.GraphPlan.ScalarOp;
import dev.statelens.engine.backend.cpu.GraphPlan.Step;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Compiles a whole jaxpr into one generated class (JDK {@code java.lang.classfile}, loaded as a
 * hidden class): one method that runs the {@link GraphPlan}'s steps as straight-line code —
 * loops (each in a small static method of its own, see {@link LoopMethod}) with the values in
 * locals, reductions folded in the loop that computes their input, scalars in locals, other
 * primitives through their kernels. Removes the interpreter's per-step
 * costs (kernel dispatch, a buffer per step, intermediate arrays), which dominate small graphs.
 *
 * <p>Same bits as the interpreter: each F32 operation is done in double and rounded to float, as
 * the kernels do; functions other than {@code + - * / max min neg square} are the very
 * {@link Elementwise} function objects; reductions fold in the interpreter's order (see
 * {@link GraphPlan}).
 *
 * <p>Chosen by the system property {@code statelens.cpu.codegen}: {@code auto} (default) compiles
 * graphs whose values all have at most {@link #AUTO_MAX_ELEMENTS} elements (below that the
 * interpreter does not use threads either) and no complex chain that {@link FusedComplex} runs
 * fused, {@code on} every graph, {@code off} none.
 */
final class GraphCodegen {
  private static final Logger LOG = Logger.getLogger(GraphCodegen.class.getName());

  /** auto: every value of the graph at most this many elements (the interpreter's thread grain). */
  static final int AUTO_MAX_ELEMENTS = Parallel.ELEMENTWISE_GRAIN;

  enum Mode { AUTO, ON, OFF }

  static Mode configuredMode() {
    String s = System.getProperty("statelens.cpu.codegen", "auto").trim().toLowerCase(java.util.Locale.ROOT);
    return switch (s) {
      case "auto", "" -> Mode.AUTO;
      case "on", "true" -> Mode.ON;
      case "off", "false" -> Mode.OFF;
      default -> throw new IllegalArgumentException("statelens.cpu.codegen must be auto, on or off, got '" + s
          + "'; auto generates code for small graphs, on for every graph, off never");
    };
  }

  /** Whether {@code mode} asks for code for {@code jaxpr}, whose interpreter runs {@code planned}. */
  static boolean wanted(Mode mode, Jaxpr jaxpr, List<Fusion.Planned> planned) {
    return switch (mode) {
      case OFF -> false;
      case ON -> true;
      // generated code calls one kernel per complex op; the interpreter runs complex chains fused
      case AUTO -> Fusion.enabledByDefault() && maxElements(jaxpr) <= AUTO_MAX_ELEMENTS && !Fusion.fusesComplex(planned);
    };
  }

  private static int maxElements(Jaxpr j) {
    int max = 0;
    for (Var v : j.constvars()) max = Math.max(max, v.aval().size());
    for (Var v : j.invars()) max = Math.max(max, v.aval().size());
    for (Eqn e : j.eqns()) {
      for (Var v : e.outputs()) max = Math.max(max, v.aval().size());
    }
    return max;
  }

  /** The compiled graph, or null (logged at FINE) when it cannot be generated. */
  static GeneratedGraph.Runner tryCompile(Jaxpr jaxpr) {
    try {
      return new GraphCodegen(jaxpr).build();
    } catch (Unsupported e) {
      LOG.log(Level.FINE, () -> "statelens cpu codegen: interpreting the graph (" + e.getMessage() + ")");
    } catch (RuntimeException | LinkageError | ReflectiveOperationException e) {
      LOG.log(Level.FINE, e, () -> "statelens cpu codegen: interpreting the graph after a generator failure");
    }
    return null;
  }

  /** Why {@code jaxpr} cannot be generated (for tests and diagnosis), or null if it can. */
  static String whyNot(Jaxpr jaxpr) {
    try {
      new GraphCodegen(jaxpr).build();
      return null;
    } catch (Unsupported e) {
      return e.getMessage();
    } catch (RuntimeException | LinkageError | ReflectiveOperationException e) {
      java.io.StringWriter w = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(w));
      return w.toString();
    }
  }

  static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported(String why) {
      super(why, null, false, false);
    }
  }

  // ------------------------------------------------------------------------------------------

  private static final ClassDesc CD_THIS = ClassDesc.of(GraphCodegen.class.getPackageName() + ".GeneratedGraph$Code");
  private static final ClassDesc CD_GRAPH = ClassDesc.of(GeneratedGraph.class.getName());
  private static final ClassDesc CD_KERNEL_CALL = ClassDesc.of(KernelCall.class.getName());
  private static final ClassDesc CD_OBJECTS = HiddenClasses.CD_OBJECTS;
  private static final ClassDesc CD_MATH = ClassDesc.of("java.lang.Math");
  private static final ClassDesc CD_D2D = ClassDesc.of(Elementwise.D2D.class.getName());
  private static final ClassDesc CD_DD2D = ClassDesc.of(Elementwise.DD2D.class.getName());
  private static final ClassDesc CD_DDTEST = ClassDesc.of(Elementwise.DDTest.class.getName());
  private static final MethodTypeDesc MT_RUN = MethodTypeDesc.of(CD_OBJECTS, CD_OBJECTS, CD_OBJECTS);
  private static final MethodTypeDesc MT_DD_D = MethodTypeDesc.of(CD_double, CD_double, CD_double);
  private static final MethodTypeDesc MT_D_D = MethodTypeDesc.of(CD_double, CD_double);
  private static final ClassDesc CD_XLA_F32 = ClassDesc.of(XlaF32Math.class.getName());
  private static final MethodTypeDesc MT_F_F = MethodTypeDesc.of(java.lang.constant.ConstantDescs.CD_float,
      java.lang.constant.ConstantDescs.CD_float);
  private static final MethodTypeDesc MT_DD_Z = MethodTypeDesc.of(CD_boolean, CD_double, CD_double);

  private final Jaxpr jaxpr;
  private final GraphPlan plan;
  /** Objects the code reads from its constant table: kernel calls, functions, literal arrays. */
  private final List<Object> constants = new ArrayList<>();
  private final Map<Object, Integer> constantIndex = new IdentityHashMap<>();
  /** Per-thread scratch arrays: element type and length. */
  private final List<DType> scratchTypes = new ArrayList<>();
  private final List<Integer> scratchSizes = new ArrayList<>();

  // per-value storage, filled during emission
  // (swapped for the parameter slots while a loop's own method is emitted)
  private Map<Var, Integer> arrayLocal = new IdentityHashMap<>();
  private Map<Var, Integer> scalarLocal = new IdentityHashMap<>();
  /** Loop-computed values that something outside their loop reads: written to an array. */
  private final Set<Var> materialized = GraphPlan.identitySet();
  /** Values read as one-element scalars by loops and scalar ops. */
  private final Set<Var> readAsScalar = GraphPlan.identitySet();
  private final Set<Var> neededAsArray = GraphPlan.identitySet();

  private int kLocal;
  /** Loop methods the run method calls, emitted into the class after it. */
  private final List<LoopMethod> loopMethods = new ArrayList<>();

  private GraphCodegen(Jaxpr jaxpr) {
    this.jaxpr = jaxpr;
    this.plan = new GraphPlan(jaxpr);
    analyzeUses();
  }

  private void analyzeUses() {
    Map<Var, Loop> producedIn = new IdentityHashMap<>();
    for (Step s : plan.steps) {
      if (s instanceof Loop l) {
        for (Eqn e : l.members) {
          producedIn.put(e.outputs().get(0), l);
        }
      }
    }
    for (Atom a : jaxpr.outvars()) {
      if (a instanceof Var v) {
        neededAsArray.add(v);
      }
    }
    for (Step s : plan.steps) {
      switch (s) {
        case KernelCallStep k -> {
          for (Atom a : k.eqn().inputs()) {
            if (a instanceof Var v) {
              neededAsArray.add(v);
            }
          }
        }
        case ScalarOp op -> {
          for (Atom a : op.eqn().inputs()) {
            if (plan.resolve(a) instanceof Var v) {
              readAsScalar.add(v);
            }
          }
        }
        case Loop l -> {
          for (Eqn e : l.members) {
            for (Atom a : e.inputs()) {
              if (plan.resolve(a) instanceof Var v) {
                if (v.aval().size() == 1) {
                  readAsScalar.add(v);
                } else if (producedIn.containsKey(v) && producedIn.get(v) != l) {
                  materialized.add(v); // another loop reads it back
                }
              }
            }
          }
        }
      }
    }
    for (Var v : producedIn.keySet()) {
      if (neededAsArray.contains(v)) {
        materialized.add(v);
      }
    }
  }

  private int constant(Object o) {
    return constantIndex.computeIfAbsent(o, x -> {
      constants.add(x);
      return constants.size() - 1;
    });
  }

  private GeneratedGraph.Runner build() throws Unsupported, ReflectiveOperationException {
    ClassFile cf = HiddenClasses.classFile();
    Unsupported[] failure = new Unsupported[1];
    Unsupported[] loopFailure = new Unsupported[1];
    byte[] bytes = cf.build(CD_THIS, cb -> {
      HiddenClasses.withConstantsConstructor(cb, CD_THIS, CD_GRAPH);
      cb.withMethodBody("run", MT_RUN, ClassFile.ACC_PUBLIC, code -> {
        try {
          emitRun(code);
        } catch (Unsupported e) {
          failure[0] = e;
          code.aconst_null().areturn();
        }
      });
      if (failure[0] == null) {
        for (LoopMethod m : loopMethods) {
          cb.withMethodBody(m.name(), m.type(), ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC, code -> {
            try {
              emitLoopMethod(code, m);
            } catch (Unsupported e) {
              loopFailure[0] = e; // the class is discarded; any valid body will do
              if (m.fullResults().size() == 1) {
                code.dconst_0().dreturn();
              } else {
                code.return_();
              }
            }
          });
        }
      }
    });
    if (failure[0] != null) {
      throw failure[0];
    }
    if (loopFailure[0] != null) {
      throw loopFailure[0];
    }
    int length = HiddenClasses.longestMethod(cf, bytes);
    if (length > HiddenClasses.MAX_CODE_BYTES) {
      throw new Unsupported("the generated method would have " + length + " bytes of code; the JIT compiles at most 8000");
    }
    GeneratedGraph code = HiddenClasses.instantiate(bytes, constants.toArray(), GeneratedGraph.class);
    return new GeneratedGraph.Runner(code, plan.names(), scratchTypes.toArray(DType[]::new),
        scratchSizes.stream().mapToInt(Integer::intValue).toArray());
  }

  // ---- the run method ---------------------------------------------------------------------

  private void emitRun(CodeBuilder code) throws Unsupported {
    kLocal = code.allocateLocal(TypeKind.REFERENCE);
    code.aload(0).getfield(CD_THIS, HiddenClasses.CONSTANTS, CD_OBJECTS).astore(kLocal);
    List<Var> inputs = new ArrayList<>(jaxpr.constvars());
    inputs.addAll(jaxpr.invars());
    for (int i = 0; i < inputs.size(); i++) {
      Var v = inputs.get(i);
      int slot = code.allocateLocal(TypeKind.REFERENCE);
      code.aload(1).loadConstant(i).aaload().checkcast(arrayDesc(v.aval().dtype())).astore(slot);
      arrayLocal.put(v, slot);
      loadScalarIfRead(code, v);
    }
    for (Step s : plan.steps) {
      switch (s) {
        case KernelCallStep k -> emitKernelCall(code, k.eqn());
        case ScalarOp op -> {
          Var out = op.eqn().outputs().get(0);
          emitElementwise(code, op.eqn(), null);
          TypeKind k = valueKind(out.aval().dtype());
          int slot = code.allocateLocal(k);
          code.storeLocal(k, slot);
          scalarLocal.put(out, slot);
        }
        case Loop l -> emitLoop(code, l);
      }
    }
    List<Atom> outs = jaxpr.outvars();
    code.loadConstant(outs.size()).anewarray(CD_Object);
    for (int i = 0; i < outs.size(); i++) {
      code.dup().loadConstant(i);
      pushArray(code, outs.get(i));
      code.aastore();
    }
    code.areturn();
  }

  private void loadScalarIfRead(CodeBuilder code, Var v) throws Unsupported {
    if (readAsScalar.contains(v) && GraphPlan.isScalar(v.aval()) && arrayLocal.containsKey(v)) {
      TypeKind k = valueKind(v.aval().dtype());
      code.aload(arrayLocal.get(v)).iconst_0().arrayLoad(typeKind(v.aval().dtype()));
      int slot = code.allocateLocal(k);
      code.storeLocal(k, slot);
      scalarLocal.put(v, slot);
    }
  }

  /** Pushes {@code a} as a host array: its array, a literal's constant array, or a boxed scalar. */
  private void pushArray(CodeBuilder code, Atom a) throws Unsupported {
    if (a instanceof Literal l) {
      code.aload(kLocal).loadConstant(constant(CpuExecutable.literalBuffer(l).data())).aaload();
      return;
    }
    Var v = (Var) a;
    Integer slot = arrayLocal.get(v);
    if (slot != null) {
      code.aload(slot);
      return;
    }
    Integer s = scalarLocal.get(v);
    if (s == null) {
      throw new Unsupported("no value for " + v + " where an array is needed");
    }
    DType d = v.aval().dtype();
    TypeKind k = valueKind(d);
    code.iconst_1().newarray(typeKind(d)).dup().iconst_0().loadLocal(k, s).arrayStore(typeKind(d));
  }

  private void emitKernelCall(CodeBuilder code, Eqn e) throws Unsupported {
    KernelCall call = new KernelCall(e);
    code.aload(kLocal).loadConstant(constant(call)).aaload().checkcast(CD_KERNEL_CALL);
    code.loadConstant(e.inputs().size()).anewarray(CD_Object);
    for (int i = 0; i < e.inputs().size(); i++) {
      code.dup().loadConstant(i);
      pushArray(code, e.inputs().get(i));
      code.aastore();
    }
    code.invokevirtual(CD_KERNEL_CALL, "call", MethodTypeDesc.of(CD_OBJECTS, CD_OBJECTS));
    int results = code.allocateLocal(TypeKind.REFERENCE);
    code.astore(results);
    for (int i = 0; i < e.outputs().size(); i++) {
      Var v = e.outputs().get(i);
      int slot = code.allocateLocal(TypeKind.REFERENCE);
      code.aload(results).loadConstant(i).aaload().checkcast(arrayDesc(v.aval().dtype())).astore(slot);
      arrayLocal.put(v, slot);
      loadScalarIfRead(code, v);
    }
  }

  // ---- loops ------------------------------------------------------------------------------

  /** Locals of one loop being emitted. */
  private static final class LoopCtx {
    final Map<Var, Integer> values = new IdentityHashMap<>();
    int i;
    int j;
  }

  /**
   * A loop of the plan: its output arrays are allocated here, in the run method, and the loop
   * itself runs in a private static method of its own (see {@link LoopMethod}) unless it needs
   * more parameters than a method can take.
   */
  private void emitLoop(CodeBuilder code, Loop l) throws Unsupported {
    int inner = l.inner();
    Map<Eqn, Integer> accArray = new IdentityHashMap<>();
    List<Eqn> fulls = new ArrayList<>();
    for (Eqn e : l.members) {
      Var out = e.outputs().get(0);
      ReduceKind kind = GraphPlan.reduceKind(e);
      if (kind == null) {
        if (materialized.contains(out)) {
          arrayLocal.put(out, allocArray(code, out.aval(), !neededAsArray.contains(out)));
        }
        continue;
      }
      if (buffered(l, e)) { // the terms of one output, summed after the loop (see emitLoopCode)
        accArray.put(e, scratchArray(code, DType.F64, kind == ReduceKind.FULL ? l.size() : inner));
      }
      switch (kind) {
        case FULL -> fulls.add(e);
        case TRAILING -> arrayLocal.put(out, allocArray(code, out.aval(), !neededAsArray.contains(out)));
        case LEADING -> {
          accArray.put(e, scratchArray(code, DType.F64, Reductions.LANES * inner));
          arrayLocal.put(out, allocArray(code, out.aval(), !neededAsArray.contains(out)));
        }
      }
    }
    LoopMethod m = loopMethod(l, accArray, fulls);
    if (m == null) {
      Map<Eqn, Integer> acc = emitLoopCode(code, l, accArray);
      for (Eqn e : fulls) {
        code.dload(acc.get(e));
        storeFullResult(code, e);
      }
    } else {
      callLoopMethod(code, m, accArray);
    }
    for (Eqn e : l.members) {
      ReduceKind kind = GraphPlan.reduceKind(e);
      if (kind == ReduceKind.TRAILING || kind == ReduceKind.LEADING) {
        loadScalarIfRead(code, e.outputs().get(0));
      }
    }
  }

  /** A full reduction's double result on the stack → rounded to its type in a new scalar local. */
  private void storeFullResult(CodeBuilder code, Eqn e) throws Unsupported {
    Var out = e.outputs().get(0);
    DType d = out.aval().dtype();
    fromDouble(code, d);
    TypeKind k = valueKind(d);
    int slot = code.allocateLocal(k);
    code.storeLocal(k, slot);
    scalarLocal.put(out, slot);
  }

  // ---- loops in their own methods ---------------------------------------------------------

  /**
   * One loop as a private static method of the generated class: {@code (Object[] k, arrays...,
   * leading accumulators..., scalars... [, double[] full results])}, returning the full
   * reduction's double when there is exactly one. HotSpot compiles such small methods by their
   * call counts; one big graph method with all loops inline is first reached by on-stack
   * replacement at its big loops and waits thousands of calls for its C2 compile. The loop body
   * is emitted by the same code as inline, so the float operations and their order are unchanged.
   */
  private record LoopMethod(String name, MethodTypeDesc type, Loop loop, List<Var> arrays, List<Eqn> leading,
      List<Var> scalars, List<Eqn> fullResults) {}

  /** JVM limit on parameter slots, less room for {@code k}. */
  private static final int MAX_PARAMETER_SLOTS = 250;

  /** The method for loop {@code l}, or null when its parameters do not fit a method. */
  private LoopMethod loopMethod(Loop l, Map<Eqn, Integer> accArray, List<Eqn> fulls) throws Unsupported {
    Set<Var> own = GraphPlan.identitySet();
    for (Eqn e : l.members) {
      own.add(e.outputs().get(0));
    }
    List<Var> arrays = new ArrayList<>();
    List<Var> scalars = new ArrayList<>();
    Set<Var> seen = GraphPlan.identitySet();
    for (Eqn e : l.members) {
      for (Atom a : e.inputs()) {
        if (plan.resolve(a) instanceof Var v && !own.contains(v) && seen.add(v)) {
          (v.aval().size() == 1 ? scalars : arrays).add(v);
        }
      }
    }
    for (Eqn e : l.members) {
      Var out = e.outputs().get(0);
      ReduceKind kind = GraphPlan.reduceKind(e);
      if (kind == null ? materialized.contains(out) : kind != ReduceKind.FULL) {
        arrays.add(out);
      }
    }
    List<Eqn> leading = new ArrayList<>(accArray.keySet());
    leading.sort(java.util.Comparator.comparingInt(l.members::indexOf));
    List<ClassDesc> params = new ArrayList<>();
    params.add(CD_OBJECTS);
    int slots = 1;
    for (Var v : arrays) {
      params.add(arrayDesc(v.aval().dtype()));
      slots++;
    }
    for (int i = 0; i < leading.size(); i++) {
      params.add(CD_double.arrayType());
      slots++;
    }
    for (Var v : scalars) {
      TypeKind k = valueKind(v.aval().dtype());
      params.add(k.upperBound());
      slots += k.slotSize();
    }
    if (fulls.size() > 1) {
      params.add(CD_double.arrayType());
      slots++;
    }
    if (slots > MAX_PARAMETER_SLOTS) {
      return null;
    }
    MethodTypeDesc type = MethodTypeDesc.of(fulls.size() == 1 ? CD_double : CD_void, params);
    LoopMethod m = new LoopMethod("loop" + loopMethods.size(), type, l, arrays, leading, scalars, List.copyOf(fulls));
    loopMethods.add(m);
    return m;
  }

  /** In the run method: pushes the loop method's arguments, calls it, keeps its full results. */
  private void callLoopMethod(CodeBuilder code, LoopMethod m, Map<Eqn, Integer> accArray) throws Unsupported {
    code.aload(kLocal);
    for (Var v : m.arrays()) {
      Integer slot = arrayLocal.get(v);
      if (slot == null) {
        throw new Unsupported(v + " is read by a loop before it is stored");
      }
      code.aload(slot);
    }
    for (Eqn e : m.leading()) {
      code.aload(accArray.get(e));
    }
    for (Var v : m.scalars()) {
      readScalar(code, v);
    }
    int results = -1;
    if (m.fullResults().size() > 1) {
      results = scratchArray(code, DType.F64, m.fullResults().size());
      code.aload(results);
    }
    code.invokestatic(CD_THIS, m.name(), m.type());
    if (m.fullResults().size() == 1) {
      storeFullResult(code, m.fullResults().get(0));
    } else {
      for (int i = 0; i < m.fullResults().size(); i++) {
        code.aload(results).loadConstant(i).daload();
        storeFullResult(code, m.fullResults().get(i));
      }
    }
  }

  /** The loop method's body: the loop as emitted inline, with its parameters as the locals. */
  private void emitLoopMethod(CodeBuilder code, LoopMethod m) throws Unsupported {
    Map<Var, Integer> runArrays = arrayLocal;
    Map<Var, Integer> runScalars = scalarLocal;
    int runK = kLocal;
    arrayLocal = new IdentityHashMap<>();
    scalarLocal = new IdentityHashMap<>();
    try {
      int p = 0;
      kLocal = code.parameterSlot(p++);
      for (Var v : m.arrays()) {
        arrayLocal.put(v, code.parameterSlot(p++));
      }
      Map<Eqn, Integer> accArray = new IdentityHashMap<>();
      for (Eqn e : m.leading()) {
        accArray.put(e, code.parameterSlot(p++));
      }
      for (Var v : m.scalars()) {
        scalarLocal.put(v, code.parameterSlot(p++));
      }
      Map<Eqn, Integer> acc = emitLoopCode(code, m.loop(), accArray);
      if (m.fullResults().size() == 1) {
        code.dload(acc.get(m.fullResults().get(0))).dreturn();
        return;
      }
      if (m.fullResults().size() > 1) {
        int results = code.parameterSlot(p);
        for (int i = 0; i < m.fullResults().size(); i++) {
          code.aload(results).loadConstant(i).dload(acc.get(m.fullResults().get(i))).dastore();
        }
      }
      code.return_();
    } finally {
      arrayLocal = runArrays;
      scalarLocal = runScalars;
      kLocal = runK;
    }
  }

  /**
   * The loop itself: accumulators, the function objects it calls, the (outer ×) inner loop
   * over the elements, the reductions' stores. Output arrays and leading-reduction accumulator
   * arrays are already in {@link #arrayLocal} / {@code accArray}. Returns the double locals
   * holding the full reductions' results.
   *
   * <p>Reductions fold in {@link Reductions}' lanes order: element k of an output into lane
   * {@code k % 4}, result {@code (a0 + a1) + (a2 + a3)}. A full or trailing reduction keeps its
   * four lanes in locals and rotates them after each element (the element always folds into the
   * first local), so one loop body serves every k; the rotation count at the end (a constant)
   * says which local holds which lane. A leading reduction keeps lane {@code o % 4} of inner
   * index j at {@code acc[(o % 4) * inner + j]}.
   *
   * <p>A full or trailing reduction of at most {@link #TERMS_MAX} terms per output is
   * <em>buffered</em> instead: the loop stores each term (as a double) in a scratch array and a
   * lanes fold ({@link Reductions#sumLanes} and max/min; two full sums together through
   * {@link Reductions#sumLanesPair}) folds them after the loop or row. The same bits; but
   * the loop then has no accumulator, so HotSpot's SuperWord vectorizes it, and the fold's four
   * independent adds run at the CPU's add throughput (one rotating-lanes loop is neither).
   */
  private Map<Eqn, Integer> emitLoopCode(CodeBuilder code, Loop l, Map<Eqn, Integer> accArray) throws Unsupported {
    int n = l.size();
    int inner = l.inner();
    int outer = n / inner;
    LoopCtx ctx = new LoopCtx();
    Map<Eqn, int[]> acc = new IdentityHashMap<>();
    for (Eqn e : l.members) {
      ReduceKind kind = GraphPlan.reduceKind(e);
      if (kind == null) {
        continue;
      }
      double init = reduceInit(e.primitive());
      switch (kind) {
        case FULL, TRAILING -> { // TRAILING: again at each outer row below
          if (buffered(l, e)) {
            break;
          }
          int[] lanes = new int[Reductions.LANES];
          for (int q = 0; q < lanes.length; q++) {
            lanes[q] = code.allocateLocal(TypeKind.DOUBLE);
            code.loadConstant(init).dstore(lanes[q]);
          }
          acc.put(e, lanes);
        }
        case LEADING -> code.aload(accArray.get(e)).loadConstant(init)
            .invokestatic(ClassDesc.of("java.util.Arrays"), "fill",
                MethodTypeDesc.of(CD_void, CD_double.arrayType(), CD_double));
      }
    }
    // function objects used in the body, loaded once
    Map<Object, Integer> fnLocals = new IdentityHashMap<>();
    for (Eqn e : l.members) {
      Object fn = function(e);
      if (fn != null && !fnLocals.containsKey(fn)) {
        int slot = code.allocateLocal(TypeKind.REFERENCE);
        code.aload(kLocal).loadConstant(constant(fn)).aaload().astore(slot);
        fnLocals.put(fn, slot);
      }
    }
    ctx.i = code.allocateLocal(TypeKind.INT);
    ctx.j = outer == 1 ? ctx.i : code.allocateLocal(TypeKind.INT);
    int o = outer == 1 ? -1 : code.allocateLocal(TypeKind.INT);
    boolean hasLeading = l.members.stream().anyMatch(e -> GraphPlan.reduceKind(e) == ReduceKind.LEADING);
    int laneBase = outer == 1 || !hasLeading ? -1 : code.allocateLocal(TypeKind.INT);
    code.iconst_0().istore(ctx.i);
    Label outerTop = code.newLabel();
    Label outerEnd = code.newLabel();
    if (outer > 1) {
      code.iconst_0().istore(o);
      code.labelBinding(outerTop);
      code.iload(o).loadConstant(outer).if_icmpge(outerEnd);
      for (Eqn e : l.members) {
        if (GraphPlan.reduceKind(e) == ReduceKind.TRAILING && !buffered(l, e)) {
          for (int lane : acc.get(e)) {
            code.loadConstant(reduceInit(e.primitive())).dstore(lane);
          }
        }
      }
      if (laneBase >= 0) { // leading reductions: this row's lane, (o % 4) * inner
        code.iload(o).loadConstant(Reductions.LANES - 1).iand().loadConstant(inner).imul().istore(laneBase);
      }
      code.iconst_0().istore(ctx.j);
    }
    Label innerTop = code.newLabel();
    Label innerEnd = code.newLabel();
    code.labelBinding(innerTop);
    code.iload(ctx.j).loadConstant(inner).if_icmpge(innerEnd);
    for (Eqn e : l.members) {
      Var out = e.outputs().get(0);
      ReduceKind kind = GraphPlan.reduceKind(e);
      if (kind == null) {
        emitElementwise(code, e, new BodyReads(ctx, fnLocals));
        TypeKind k = valueKind(out.aval().dtype());
        int slot = code.allocateLocal(k);
        code.storeLocal(k, slot);
        ctx.values.put(out, slot);
        if (materialized.contains(out)) {
          code.aload(arrayLocal.get(out)).iload(ctx.i).loadLocal(k, slot).arrayStore(typeKind(out.aval().dtype()));
        }
        continue;
      }
      Primitive p = e.primitive();
      switch (kind) {
        case FULL, TRAILING -> {
          if (buffered(l, e)) { // terms[i] (full) or terms[j] (this row)
            code.aload(accArray.get(e)).iload(kind == ReduceKind.FULL ? ctx.i : ctx.j);
            readLoop(code, e.inputs().get(0), ctx);
            toDouble(code, e.inputs().get(0).aval().dtype());
            code.dastore();
            break;
          }
          int[] lanes = acc.get(e);
          code.dload(lanes[0]);
          readLoop(code, e.inputs().get(0), ctx);
          toDouble(code, e.inputs().get(0).aval().dtype());
          fold(code, p);
          // rotate: the next element folds into the next lane, which moves to the first local
          for (int q = 1; q < lanes.length; q++) {
            code.dload(lanes[q]).dstore(lanes[q - 1]);
          }
          code.dstore(lanes[lanes.length - 1]);
        }
        case LEADING -> {
          int arr = accArray.get(e);
          code.aload(arr);
          pushLaneIndex(code, laneBase, ctx.j);
          code.aload(arr);
          pushLaneIndex(code, laneBase, ctx.j);
          code.daload();
          readLoop(code, e.inputs().get(0), ctx);
          toDouble(code, e.inputs().get(0).aval().dtype());
          fold(code, p);
          code.dastore();
        }
      }
    }
    code.iinc(ctx.i, 1);
    if (outer > 1) {
      code.iinc(ctx.j, 1);
    }
    code.goto_(innerTop);
    code.labelBinding(innerEnd);
    if (outer > 1) {
      for (Eqn e : l.members) {
        if (GraphPlan.reduceKind(e) == ReduceKind.TRAILING) {
          Var out = e.outputs().get(0);
          code.aload(arrayLocal.get(out)).iload(o);
          pushReduced(code, l, e, acc, accArray, inner);
          arrayStoreFromDouble(code, out.aval().dtype());
        }
      }
      code.iinc(o, 1);
      code.goto_(outerTop);
      code.labelBinding(outerEnd);
    } else {
      for (Eqn e : l.members) {
        if (GraphPlan.reduceKind(e) == ReduceKind.TRAILING) { // a single outer row
          Var out = e.outputs().get(0);
          code.aload(arrayLocal.get(out)).iconst_0();
          pushReduced(code, l, e, acc, accArray, inner);
          arrayStoreFromDouble(code, out.aval().dtype());
        }
      }
    }
    // leading reductions: from the double accumulators to their arrays
    for (Eqn e : l.members) {
      if (GraphPlan.reduceKind(e) != ReduceKind.LEADING) {
        continue;
      }
      Var out = e.outputs().get(0);
      int arr = accArray.get(e);
      int j = code.allocateLocal(TypeKind.INT);
      Label top = code.newLabel();
      Label end = code.newLabel();
      code.iconst_0().istore(j);
      code.labelBinding(top);
      code.iload(j).loadConstant(inner).if_icmpge(end);
      code.aload(arrayLocal.get(out)).iload(j);
      for (int lane = 0; lane < Reductions.LANES; lane++) {
        code.aload(arr).iload(j);
        if (lane > 0) {
          code.loadConstant(lane * inner).iadd();
        }
        code.daload();
        if (lane % 2 == 1) {
          fold(code, e.primitive()); // a0 . a1, a2 . a3
        }
      }
      fold(code, e.primitive()); // (a0 . a1) . (a2 . a3)
      arrayStoreFromDouble(code, out.aval().dtype());
      code.iinc(j, 1).goto_(top);
      code.labelBinding(end);
    }
    Map<Eqn, Integer> results = new IdentityHashMap<>();
    Eqn pending = null; // a buffered full sum waiting for a second one to fold with
    for (Eqn e : l.members) {
      if (GraphPlan.reduceKind(e) != ReduceKind.FULL) {
        continue;
      }
      if (e.primitive() == Prims.REDUCE_SUM && buffered(l, e)) {
        if (pending == null) {
          pending = e;
          continue;
        }
        // two sums folded together (same bits as one by one): b's result comes back in b[0]
        code.aload(accArray.get(pending)).aload(accArray.get(e)).loadConstant(n)
            .invokestatic(ClassDesc.of(Reductions.class.getName()), "sumLanesPair", MT_FOLD_PAIR);
        results.put(pending, storeDouble(code));
        code.aload(accArray.get(e)).iconst_0().daload();
        results.put(e, storeDouble(code));
        pending = null;
        continue;
      }
      pushReduced(code, l, e, acc, accArray, n);
      results.put(e, storeDouble(code));
    }
    if (pending != null) {
      pushReduced(code, l, pending, acc, accArray, n);
      results.put(pending, storeDouble(code));
    }
    return results;
  }

  private static final MethodTypeDesc MT_FOLD_PAIR =
      MethodTypeDesc.of(CD_double, CD_double.arrayType(), CD_double.arrayType(), CD_int);

  /** Stores the double on the stack in a new local; returns the local. */
  private static int storeDouble(CodeBuilder code) {
    int slot = code.allocateLocal(TypeKind.DOUBLE);
    code.dstore(slot);
    return slot;
  }

  /** Most terms per output a loop reduction buffers (64 KB of per-thread scratch); above, rotating lanes. */
  static final int TERMS_MAX = 8_192;

  /** Whether full or trailing reduction {@code e} of loop {@code l} buffers its terms. */
  private static boolean buffered(Loop l, Eqn e) {
    ReduceKind kind = GraphPlan.reduceKind(e);
    return kind == ReduceKind.FULL ? l.size() <= TERMS_MAX : kind == ReduceKind.TRAILING && l.inner() <= TERMS_MAX;
  }

  private static final MethodTypeDesc MT_FOLD_LANES = MethodTypeDesc.of(CD_double, CD_double.arrayType(), CD_int, CD_int);

  /**
   * Pushes the result of full or trailing reduction {@code e} over its last {@code count} terms:
   * the lanes fold of its buffered terms, or its rotating lane locals combined.
   */
  private static void pushReduced(CodeBuilder code, Loop l, Eqn e, Map<Eqn, int[]> acc, Map<Eqn, Integer> accArray,
      int count) {
    if (!buffered(l, e)) {
      pushCombined(code, e.primitive(), acc.get(e), count);
      return;
    }
    String fold = e.primitive() == Prims.REDUCE_SUM ? "sumLanes" : e.primitive() == Prims.REDUCE_MAX ? "maxLanes" : "minLanes";
    code.aload(accArray.get(e)).iconst_0().loadConstant(count)
        .invokestatic(ClassDesc.of(Reductions.class.getName()), fold, MT_FOLD_LANES);
  }

  /** The index of a leading reduction's lane for inner index j: {@code laneBase + j}. */
  private static void pushLaneIndex(CodeBuilder code, int laneBase, int j) {
    code.iload(j);
    if (laneBase >= 0) {
      code.iload(laneBase).iadd();
    }
  }

  /**
   * Pushes {@code (a0 . a1) . (a2 . a3)} of rotating lane locals after {@code count} elements:
   * each element rotates the locals by one, so lane m is in local {@code (m - count) mod 4}.
   */
  private static void pushCombined(CodeBuilder code, Primitive p, int[] lanes, int count) {
    int q = lanes.length;
    for (int m = 0; m < q; m++) {
      code.dload(lanes[Math.floorMod(m - count, q)]);
      if (m % 2 == 1) {
        fold(code, p);
      }
    }
    fold(code, p);
  }

  /** A new (or, for values only later loops read, per-thread scratch) array for {@code a}. */
  private int allocArray(CodeBuilder code, Aval a, boolean scratch) throws Unsupported {
    if (scratch) {
      return scratchArray(code, a.dtype(), a.size());
    }
    int slot = code.allocateLocal(TypeKind.REFERENCE);
    code.loadConstant(a.size()).newarray(typeKind(a.dtype())).astore(slot);
    return slot;
  }

  private int scratchArray(CodeBuilder code, DType d, int size) throws Unsupported {
    scratchTypes.add(d);
    scratchSizes.add(size);
    int slot = code.allocateLocal(TypeKind.REFERENCE);
    code.aload(2).loadConstant(scratchTypes.size() - 1).aaload().checkcast(arrayDesc(d)).astore(slot);
    return slot;
  }

  private static double reduceInit(Primitive p) {
    return p == Prims.REDUCE_SUM ? 0 : p == Prims.REDUCE_MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  /** acc, v on the stack → fold(acc, v), as {@link Reductions} folds. */
  private static void fold(CodeBuilder code, Primitive p) {
    if (p == Prims.REDUCE_SUM) {
      code.dadd();
    } else {
      code.invokestatic(CD_MATH, p == Prims.REDUCE_MAX ? "max" : "min", MT_DD_D);
    }
  }

  // ---- elementwise ------------------------------------------------------------------------

  /** Where the operands of an elementwise equation come from: a loop body, or scalars. */
  private record BodyReads(LoopCtx ctx, Map<Object, Integer> fnLocals) {}

  private static Object function(Eqn e) {
    Primitive p = e.primitive();
    if (p == Prims.ADD || p == Prims.SUB || p == Prims.MUL || p == Prims.DIV || p == Prims.MAX || p == Prims.MIN
        || p == Prims.NEG || p == Prims.SQUARE || p == Prims.SELECT_N || p == Prims.CONVERT_ELEMENT_TYPE
        || GraphPlan.reduceKind(e) != null) {
      return null;
    }
    Object f = Elementwise.FLOAT_COMPARE.get(p);
    if (f == null) {
      f = e.inputs().size() == 1 ? Elementwise.FLOAT_UNARY.get(p) : Elementwise.FLOAT_BINARY.get(p);
    }
    return f;
  }

  /**
   * Pushes the value of fusible equation {@code e} in its natural JVM type (F32 float, F64
   * double, BOOL int 0/1). F32 {@code + - * /} are float instructions: the same bits as the
   * kernels' double operation rounded once to float (Elementwise's note); everything else goes
   * through double exactly as the kernels do.
   */
  private void emitElementwise(CodeBuilder code, Eqn e, BodyReads body) throws Unsupported {
    Primitive p = e.primitive();
    List<Atom> in = e.inputs();
    DType outType = e.outputs().get(0).aval().dtype();
    DType inType = in.get(in.size() - 1).aval().dtype();
    boolean f32 = outType == DType.F32;
    if (p == Prims.SELECT_N && (outType == DType.F32 || outType == DType.F64 || outType == DType.BOOL)) {
      emitSelectByMask(code, in, outType, body);
      return;
    }
    if (p == Prims.SELECT_N) {
      Label zero = code.newLabel();
      Label end = code.newLabel();
      read(code, in.get(0), body);
      code.ifeq(zero);
      read(code, in.get(2), body);
      code.goto_(end);
      code.labelBinding(zero);
      read(code, in.get(1), body);
      code.labelBinding(end);
      return;
    }
    if (p == Prims.CONVERT_ELEMENT_TYPE) {
      read(code, in.get(0), body);
      if (inType == DType.F32 && outType == DType.F64) {
        code.f2d();
      } else if (inType == DType.F64 && outType == DType.F32) {
        code.d2f();
      }
      return;
    }
    if (p == Prims.NEG) {
      read(code, in.get(0), body);
      if (f32) code.fneg(); else code.dneg();
      return;
    }
    if (p == Prims.SQUARE) {
      read(code, in.get(0), body);
      if (f32) code.dup().fmul(); else code.dup2().dmul();
      return;
    }
    if (p == Prims.ADD || p == Prims.SUB || p == Prims.MUL || p == Prims.DIV) {
      read(code, in.get(0), body);
      read(code, in.get(1), body);
      if (f32) {
        if (p == Prims.ADD) code.fadd();
        else if (p == Prims.SUB) code.fsub();
        else if (p == Prims.MUL) code.fmul();
        else code.fdiv();
      } else {
        if (p == Prims.ADD) code.dadd();
        else if (p == Prims.SUB) code.dsub();
        else if (p == Prims.MUL) code.dmul();
        else code.ddiv();
      }
      return;
    }
    if (p == Prims.MAX || p == Prims.MIN) { // Math.max on doubles, as the kernels; exact in float
      read(code, in.get(0), body);
      toDouble(code, inType);
      read(code, in.get(1), body);
      toDouble(code, inType);
      code.invokestatic(CD_MATH, p == Prims.MAX ? "max" : "min", MT_DD_D);
      fromDouble(code, outType);
      return;
    }
    XlaF32Math.Fn xla = f32 && in.size() == 1 ? XlaF32Math.Fn.of(p) : null;
    if (xla != null) { // XLA's f32 exp/log/tanh/logistic, the eager kernel's bits
      read(code, in.get(0), body);
      code.invokestatic(CD_XLA_F32, xla.method(), MT_F_F);
      return;
    }
    Object fn = function(e);
    if (fn == null) {
      throw new Unsupported("no float function for " + p.name());
    }
    if (body != null) {
      code.aload(body.fnLocals().get(fn));
    } else {
      code.aload(kLocal).loadConstant(constant(fn)).aaload();
    }
    read(code, in.get(0), body);
    toDouble(code, inType);
    if (in.size() == 2) {
      read(code, in.get(1), body);
      toDouble(code, inType);
    }
    if (Elementwise.FLOAT_COMPARE.get(p) == fn) {
      code.invokeinterface(CD_DDTEST, "test", MT_DD_Z); // an int 0/1: the bool value
      return;
    }
    if (in.size() == 1) {
      code.invokeinterface(CD_D2D, "apply", MT_D_D);
    } else {
      code.invokeinterface(CD_DD2D, "apply", MT_DD_D);
    }
    fromDouble(code, outType);
  }

  private static final ClassDesc CD_FLOAT_BOX = ClassDesc.of("java.lang.Float");
  private static final ClassDesc CD_DOUBLE_BOX = ClassDesc.of("java.lang.Double");

  /**
   * {@code select_n(p, c0, c1)} without a branch: the 0/1 predicate becomes a bit mask
   * ({@code -p} all ones when true, {@code p - 1} all ones when false) that picks each operand's
   * bits, so the result is exactly one operand (NaN payloads, -0.0). A branch here is what made
   * relu 3-4x a plain elementwise op on random signs: half the branches mispredicted.
   */
  private void emitSelectByMask(CodeBuilder code, List<Atom> in, DType d, BodyReads body) throws Unsupported {
    var cdFloat = java.lang.constant.ConstantDescs.CD_float;
    var cdLong = java.lang.constant.ConstantDescs.CD_long;
    switch (d) {
      case F32 -> {
        MethodTypeDesc toBits = MethodTypeDesc.of(CD_int, cdFloat);
        read(code, in.get(2), body);
        code.invokestatic(CD_FLOAT_BOX, "floatToRawIntBits", toBits);
        read(code, in.get(0), body);
        code.ineg().iand();
        read(code, in.get(1), body);
        code.invokestatic(CD_FLOAT_BOX, "floatToRawIntBits", toBits);
        read(code, in.get(0), body);
        code.iconst_1().isub().iand().ior();
        code.invokestatic(CD_FLOAT_BOX, "intBitsToFloat", MethodTypeDesc.of(cdFloat, CD_int));
      }
      case F64 -> {
        MethodTypeDesc toBits = MethodTypeDesc.of(cdLong, CD_double);
        read(code, in.get(2), body);
        code.invokestatic(CD_DOUBLE_BOX, "doubleToRawLongBits", toBits);
        read(code, in.get(0), body);
        code.i2l().lneg().land();
        read(code, in.get(1), body);
        code.invokestatic(CD_DOUBLE_BOX, "doubleToRawLongBits", toBits);
        read(code, in.get(0), body);
        code.iconst_1().isub().i2l().land().lor();
        code.invokestatic(CD_DOUBLE_BOX, "longBitsToDouble", MethodTypeDesc.of(CD_double, cdLong));
      }
      default -> { // BOOL: ints 0/1
        read(code, in.get(2), body);
        read(code, in.get(0), body);
        code.ineg().iand();
        read(code, in.get(1), body);
        read(code, in.get(0), body);
        code.iconst_1().isub().iand().ior();
      }
    }
  }

  private static void toDouble(CodeBuilder code, DType d) {
    if (d == DType.F32) {
      code.f2d();
    } else if (d == DType.BOOL) {
      code.i2d();
    }
  }

  /** A double to F32 (rounded) or F64; bool results never pass through here. */
  private static void fromDouble(CodeBuilder code, DType d) {
    if (d == DType.F32) {
      code.d2f();
    }
  }

  /** The JVM type a value of {@code d} has in a local: F32 float, F64 double, BOOL int. */
  private static TypeKind valueKind(DType d) throws Unsupported {
    return switch (d) {
      case F32 -> TypeKind.FLOAT;
      case F64 -> TypeKind.DOUBLE;
      case BOOL -> TypeKind.INT;
      default -> throw new Unsupported("a local of " + d);
    };
  }

  private void read(CodeBuilder code, Atom a, BodyReads body) throws Unsupported {
    if (body != null) {
      readLoop(code, a, body.ctx());
    } else {
      readScalar(code, a);
    }
  }

  /** Pushes operand {@code a} of a scalar op as a double. */
  private void readScalar(CodeBuilder code, Atom a) throws Unsupported {
    Atom r = plan.resolve(a);
    if (r instanceof Literal l) {
      pushLiteral(code, l);
      return;
    }
    Integer s = scalarLocal.get((Var) r);
    if (s == null) {
      throw new Unsupported("scalar " + r + " is read before it is computed");
    }
    code.loadLocal(valueKind(r.aval().dtype()), s);
  }

  /** Pushes operand {@code a} at the loop's current element as a double. */
  private void readLoop(CodeBuilder code, Atom a, LoopCtx ctx) throws Unsupported {
    Atom r = plan.resolve(a);
    if (r instanceof Literal l) {
      pushLiteral(code, l);
      return;
    }
    Var v = (Var) r;
    Integer local = ctx.values.get(v);
    if (local != null) {
      code.loadLocal(valueKind(v.aval().dtype()), local);
      return;
    }
    if (v.aval().size() == 1) {
      readScalar(code, v);
      return;
    }
    Integer arr = arrayLocal.get(v);
    if (arr == null) {
      throw new Unsupported(v + " is read by a loop before it is stored");
    }
    valueKind(v.aval().dtype());
    code.aload(arr).iload(ctx.i).arrayLoad(typeKind(v.aval().dtype()));
  }

  private static void pushLiteral(CodeBuilder code, Literal l) throws Unsupported {
    switch (l.dtype()) {
      case F32 -> code.loadConstant((float) l.value());
      case F64 -> code.loadConstant(l.value());
      case BOOL -> code.loadConstant(l.value() != 0 ? 1 : 0);
      default -> throw new Unsupported("a literal of " + l.dtype());
    }
  }

  /** array, index, accumulator (double) on the stack → stored as the array's float type. */
  private static void arrayStoreFromDouble(CodeBuilder code, DType d) throws Unsupported {
    switch (d) {
      case F32 -> code.d2f().fastore();
      case F64 -> code.dastore();
      default -> throw new Unsupported("a reduction into " + d);
    }
  }

  private static TypeKind typeKind(DType d) {
    return switch (d) {
      case F32 -> TypeKind.FLOAT;
      case F64 -> TypeKind.DOUBLE;
      case I32, U32 -> TypeKind.INT;
      case BOOL -> TypeKind.BOOLEAN;
      case BF16, F16 -> TypeKind.SHORT; // bits; only passed through to kernel calls (Widen16)
      case C64 -> TypeKind.FLOAT; // interleaved pairs; only passed through to kernel calls (ComplexKernels)
    };
  }

  private static ClassDesc arrayDesc(DType d) {
    return switch (d) {
      case F32 -> ClassDesc.ofDescriptor("[F");
      case F64 -> ClassDesc.ofDescriptor("[D");
      case I32, U32 -> ClassDesc.ofDescriptor("[I");
      case BOOL -> ClassDesc.ofDescriptor("[Z");
      case BF16, F16 -> ClassDesc.ofDescriptor("[S");
      case C64 -> ClassDesc.ofDescriptor("[F");
    };
  }
}
