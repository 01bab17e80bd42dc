package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.gpu.GpuProgram.Alias;
import dev.statelens.engine.backend.gpu.GpuProgram.Cond;
import dev.statelens.engine.backend.gpu.GpuProgram.Fill;
import dev.statelens.engine.backend.gpu.GpuProgram.Graph;
import dev.statelens.engine.backend.gpu.GpuProgram.Host;
import dev.statelens.engine.backend.gpu.GpuProgram.Kernel;
import dev.statelens.engine.backend.gpu.GpuProgram.Launch;
import dev.statelens.engine.backend.gpu.GpuProgram.Scan;
import dev.statelens.engine.backend.gpu.GpuProgram.Step;
import dev.statelens.engine.backend.gpu.GpuProgram.While;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Var;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Lowers a jaxpr to one HIP/CUDA C++ translation unit plus a schedule ({@link GpuProgram}).
 *
 * <ul>
 *   <li><b>Fusion</b> ({@link FusionPlan} decides what shares a kernel and the launch order):
 *       elementwise equations of one output shape form one kernel, one thread per element;
 *       values stay in registers and only those used outside the group are stored; independent
 *       loops may share one launch (a block range each). Layout ops whose operand is already in memory ({@code broadcast_in_dim},
 *       {@code transpose}, {@code slice}, {@code pad}, {@code rev}, {@code concatenate},
 *       {@code iota}) join the group as index arithmetic on the load, so broadcasting costs no
 *       extra pass. {@code reshape}, {@code squeeze} and {@code stop_gradient} of a stored value
 *       are aliases (no copy).
 *   <li><b>Reductions</b> ({@code reduce_sum/max/min}): one block per output with a shared-memory
 *       tree, or one thread per output when the reduced extent is small; the producing group is
 *       computed in the loop (its other results written as side outputs), and reductions over
 *       the same iteration space share the loop; {@code argmax/argmin} one thread per output.
 *   <li><b>dot_general</b>: a 64x64 tiled kernel with 4x4 outputs per thread, any dimension
 *       numbers (batch, free and contracting axes are mapped by index arithmetic).
 *   <li><b>threefry2x32</b> is elementwise (bit-exact with {@code random/Threefry}); {@code cond},
 *       {@code scan} and {@code while} lower their sub-graphs into the same source (while's loop is
 *       driven by the host, reading one bool per iteration, unless it runs element by element:
 *       {@link ElementwiseLoop}, one kernel); anything else (a user
 *       primitive, {@code debug_print}) becomes a {@link Host} step run by the CPU backend.
 * </ul>
 *
 * Shapes are compile-time constants in the source (graphs are specialized per signature, as in
 * XLA), so index arithmetic divides by constants.
 */
public final class KernelGenerator {
  static final int BLOCK = 256;
  /** Reduced extents up to this are summed by one thread per output. */
  static final int SERIAL_REDUCE_MAX = 64;

  private static final Set<String> ALIASES = Set.of("reshape", "squeeze", "stop_gradient");
  private static final Set<String> INDEX_OPS = Set.of("broadcast_in_dim", "transpose", "slice",
      "pad", "rev", "concatenate", "iota", "reshape", "squeeze", "gather", "dynamic_slice", "dynamic_update_slice");
  /** The scatter family: one thread per operand element, updates combined in index order. */
  private static final Set<String> SCATTERS = Set.of("scatter_add", "scatter", "scatter_mul", "scatter_min", "scatter_max");
  private static final Set<String> REDUCTIONS = Set.of("reduce_sum", "reduce_max", "reduce_min");

  private final StringBuilder src = new StringBuilder(Prelude.TEXT);
  private final List<Kernel> kernels = new ArrayList<>();
  private final List<String> hostSteps = new ArrayList<>();
  private final Map<String, String> byBody = new java.util.HashMap<>();

  private KernelGenerator() {}

  /** Lowers {@code jaxpr} (constvars then invars are the inputs, as {@code Backend.compile}). */
  public static GpuProgram generate(Jaxpr jaxpr) {
    KernelGenerator g = new KernelGenerator();
    Graph main = g.lower(jaxpr);
    String source = g.src.toString();
    return new GpuProgram(source, sha256(source), List.copyOf(g.kernels), main);
  }

  /**
   * Steps with no 16-bit device code (bf16/f16 operands or results): they run on the host, where
   * the CPU backend widens to f32 and rounds each output (backend/cpu/Widen16), so the result is
   * the CPU's exactly. The fused elementwise, layout, reduction, argmax/argmin and matmul kernels
   * do handle 16-bit values.
   */
  private static final Set<String> HOST_16BIT = Set.of("scatter_add", "scatter", "scatter_mul", "scatter_min",
      "scatter_max", "cumsum", "cumprod", "cummax", "cummin", "sort", "top_k", "bitcast_convert_type");

  static boolean involves16Bit(Eqn e) {
    return involves(e, DType::is16BitFloat);
  }

  /** True when an operand or a result of {@code e} has a dtype of {@code kind}. */
  private static boolean involves(Eqn e, Predicate<DType> kind) {
    return e.inputs().stream().anyMatch(a -> kind.test(a.aval().dtype()))
        || e.outputs().stream().anyMatch(v -> kind.test(v.aval().dtype()));
  }

  /** A 16-bit equation the host computes ({@link #HOST_16BIT}, and the windowed kernels). */
  static boolean hostFor16Bit(Eqn e) {
    String n = e.primitive().name();
    return (HOST_16BIT.contains(n) || WindowKernels.NAMES.contains(n)) && involves16Bit(e);
  }

  static boolean involvesComplex(Eqn e) {
    return involves(e, DType::isComplex);
  }

  /**
   * A complex64 step without device code ({@link ComplexDevice}: elementwise arithmetic, exp, abs,
   * the parts, layout ops have it): it runs on the host, where the CPU backend's
   * {@code ComplexKernels} (and FFT) compute it. A c64 buffer lives on the device as interleaved
   * f32 pairs, NumPy's layout, so only the step moves.
   */
  static boolean hostForComplex(Eqn e) {
    return involvesComplex(e) && !ComplexDevice.onDevice(e);
  }

  /** Equations lowered as {@link Host} steps rather than device code. */
  static boolean onHost(Eqn e) {
    return hostFor16Bit(e) || hostForComplex(e);
  }

  /** Names of the equations a program runs on the host (empty for graphs of standard primitives). */
  public static List<String> hostSteps(GpuProgram p) {
    List<String> out = new ArrayList<>();
    collectHost(p.main(), out);
    return out;
  }

  private static void collectHost(Graph g, List<String> out) {
    for (Step s : g.steps()) {
      switch (s) {
        case Host h -> out.add(h.eqn().primitive().name());
        case Cond c -> c.branches().forEach(b -> collectHost(b, out));
        case Scan sc -> collectHost(sc.body(), out);
        case While w -> {
          collectHost(w.cond(), out);
          collectHost(w.body(), out);
        }
        default -> {}
      }
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  // ---- graphs --------------------------------------------------------------------------------

  /** Per-jaxpr lowering state: the fusion plan, slots, steps. */
  private final class GraphBuilder {
    final Jaxpr jaxpr;
    final FusionPlan plan;
    final List<Aval> slots = new ArrayList<>();
    final Map<Var, Integer> slotOf = new IdentityHashMap<>();
    final List<Step> steps = new ArrayList<>();

    GraphBuilder(Jaxpr jaxpr) {
      this.jaxpr = jaxpr;
      this.plan = FusionPlan.of(jaxpr);
    }

    int newSlot(Aval aval) {
      slots.add(aval);
      return slots.size() - 1;
    }

    int define(Var v) {
      int s = newSlot(v.aval());
      slotOf.put(v, s);
      return s;
    }

    /** The slot of a stored value; a literal is materialized by a {@link Fill} step. */
    int slot(Atom a) {
      if (a instanceof Literal l) {
        int s = newSlot(l.aval());
        steps.add(new Fill(s, l));
        return s;
      }
      Integer s = slotOf.get((Var) a);
      if (s == null) {
        throw new IllegalStateException("GPU lowering reads a value no step stores: " + a);
      }
      return s;
    }

    int[] slots(List<? extends Atom> atoms) {
      return atoms.stream().mapToInt(this::slot).toArray();
    }

    int[] define(List<Var> vars) {
      return vars.stream().mapToInt(this::define).toArray();
    }
  }

  private Graph lower(Jaxpr graph) {
    Jaxpr jaxpr = graph.dce();
    GraphBuilder b = new GraphBuilder(jaxpr);
    List<Var> inputs = new ArrayList<>(jaxpr.constvars());
    inputs.addAll(jaxpr.invars());
    int[] in = b.define(inputs);
    for (FusionPlan.Unit u : b.plan.units) {
      switch (u) {
        case FusionPlan.Loop l -> {
          List<Var> stored = b.plan.stored(l.group());
          if (!stored.isEmpty()) {
            new FusedKernel(b, l.group(), stored).emit();
          }
        }
        case FusionPlan.Horizontal h ->
            horizontal(b, h.parts().stream().map(g -> new FusedKernel(b, g, b.plan.stored(g))).toList());
        case FusionPlan.Reduce r -> reduction(b, r.reductions(),
            r.prologue() == null ? null : new FusedKernel(b, r.prologue(), b.plan.stored(r.prologue())));
        case FusionPlan.Single s when isAlias(s.eqn()) ->
            b.steps.add(new Alias(b.define(s.eqn().outputs().get(0)), b.slot(s.eqn().inputs().get(0))));
        case FusionPlan.Single s -> lowerOther(b, s.eqn());
      }
    }
    int[] out = b.slots(jaxpr.outvars());
    return new Graph(List.copyOf(b.slots), in, out, List.copyOf(b.steps), jaxpr);
  }

  /** reshape/squeeze/stop_gradient of a stored value: the same memory under another type. */
  static boolean isAlias(Eqn e) {
    return ALIASES.contains(e.primitive().name()) && e.inputs().get(0) instanceof Var;
  }

  /** Computed per element of its output inside a fused loop (elementwise, or a read at a mapped index). */
  static boolean isFusible(Eqn e) {
    return !isAlias(e) && !onHost(e) && (ElementwiseOps.isElementwise(e) || INDEX_OPS.contains(e.primitive().name()) || isFusedDot(e));
  }

  /** Contracting extent up to which a matrix-vector product is a loop inside a fused kernel. */
  static final int FUSED_DOT_MAX_K = 1024;

  /**
   * A {@code dot_general} computed per output element inside a fused loop, reading its operands
   * from memory like a layout op, instead of a matmul launch: an outer product (contracting
   * extent 1) or a matrix-vector product (one free side of extent 1) of at most
   * {@link #FUSED_DOT_MAX_K} terms, in F32/F64. A GEMM that small is mostly launch overhead; XLA
   * likewise rewrites such degenerate dots into multiplies and reductions. All five matmuls of the
   * MLP step (1 -> 32 -> 1) are of this kind.
   */
  static boolean isFusedDot(Eqn e) {
    if (!e.primitive().name().equals("dot_general")) {
      return false;
    }
    DType d = e.outputs().get(0).aval().dtype();
    if (d != DType.F32 && d != DType.F64) {
      return false;
    }
    Aval l = e.inputs().get(0).aval();
    Aval r = e.inputs().get(1).aval();
    List<int[]> dn = e.params().getList("dimension_numbers");
    long k = product(l, dn.get(0));
    long m = product(l, free(l.rank(), dn.get(0), dn.get(2)));
    long n = product(r, free(r.rank(), dn.get(1), dn.get(3)));
    return k == 1 || (Math.min(m, n) == 1 && k <= FUSED_DOT_MAX_K);
  }

  /**
   * A reduction the tree/serial reduction kernels compute (and {@link FusionPlan} may fuse). A
   * complex64 sum is one of them: {@code sl_cadd} adds each part as the f32 sum adds, which is the
   * CPU's per-part {@code reduce_sum}. Complex max/min are not ({@link #complexFold}).
   */
  static boolean isReduction(Eqn e) {
    String n = e.primitive().name();
    return REDUCTIONS.contains(n) && (!involvesComplex(e) || n.equals("reduce_sum"));
  }

  /**
   * A key equal for two reductions exactly when one loop visits the same input element at the
   * same (output, step) for both, so their accumulators can share it.
   */
  static String iterationSpace(Eqn reduction) {
    Split s = split(reduction.inputs().get(0).aval(), reduction.params().getInts("axes"));
    return s.outputs + "|" + s.reduced + "|" + linearMap("o", s.keptDims, s.keptStrides) + "|"
        + linearMap("r", s.redDims, s.redStrides);
  }


  private void lowerOther(GraphBuilder b, Eqn e) {
    String name = e.primitive().name();
    if (onHost(e)) {
      hostSteps.add(name);
      int[] ops = b.slots(e.inputs());
      b.steps.add(new Host(e, ops, b.define(e.outputs()), name.equals("fft") ? fftPlan(e) : null));
    } else if (involvesComplex(e) && (name.equals("reduce_max") || name.equals("reduce_min") || name.equals("reduce_prod"))) {
      complexFold(b, e);
    } else if (REDUCTIONS.contains(name)) {
      reduction(b, List.of(e), null);
    } else if (name.equals("argmax") || name.equals("argmin")) {
      argReduction(b, e);
    } else if (name.equals("dot_general")) {
      dot(b, e);
    } else if (SCATTERS.contains(name)) {
      scatter(b, e);
    } else if (name.equals("cumsum") || name.equals("cumprod") || name.equals("cummax") || name.equals("cummin")) {
      cumulative(b, e);
    } else if (name.equals("sort")) {
      sort(b, e);
    } else if (name.equals("top_k")) {
      topK(b, e);
    } else if (WindowKernels.NAMES.contains(name)) {
      windowed(b, e);
    } else if (name.equals("cond")) {
      int index = b.slot(e.inputs().get(0));
      int[] ops = b.slots(e.inputs().subList(1, e.inputs().size()));
      List<Jaxpr> branches = e.params().getList("branches");
      List<Graph> lowered = branches.stream().map(this::lower).toList();
      b.steps.add(new Cond(index, ops, lowered, b.define(e.outputs())));
    } else if (name.equals("scan")) {
      Graph body = lower(e.params().getJaxpr("jaxpr"));
      int[] ops = b.slots(e.inputs());
      b.steps.add(new Scan(body, e.params().getInt("length"), e.params().getInt("num_consts"),
          e.params().getInt("num_carry"), e.params().getBoolean("reverse"), ops, b.define(e.outputs())));
    } else if (name.equals("while") && ElementwiseLoop.enabled() && ElementwiseLoop.of(e) instanceof ElementwiseLoop loop) {
      elementwiseLoop(b, loop);
    } else if (name.equals("while")) {
      Graph cond = lower(e.params().getJaxpr("cond_jaxpr"));
      Graph body = lower(e.params().getJaxpr("body_jaxpr"));
      b.steps.add(new While(cond, body, e.params().getInt("cond_nconsts"), e.params().getInt("body_nconsts"),
          b.slots(e.inputs()), b.define(e.outputs())));
    } else {
      hostSteps.add(name);
      int[] ops = b.slots(e.inputs());
      b.steps.add(new Host(e, ops, b.define(e.outputs())));
    }
  }

  /**
   * A while loop that runs element by element ({@link ElementwiseLoop}): one launch, each thread
   * looping on its own element, instead of the host-driven {@link While}.
   */
  private void elementwiseLoop(GraphBuilder b, ElementwiseLoop loop) {
    String name = kernelName("while_elementwise");
    String launched = addKernel(name, "while over " + loop.shape + ", element by element", loop.kernel(name));
    List<Atom> ops = loop.operands();
    int[] outs = b.define(loop.eqn.outputs());
    int[] args = new int[ops.size() + outs.length];
    for (int i = 0; i < ops.size(); i++) {
      args[i] = b.slot(ops.get(i));
    }
    System.arraycopy(outs, 0, args, ops.size(), outs.length);
    int blocks = (int) ((loop.shape.size() + BLOCK - 1) / BLOCK);
    b.steps.add(new Launch(launched, new int[] {blocks, 1, 1}, new int[] {BLOCK, 1, 1}, 0, args, outs));
  }

  /**
   * The device plan of an {@code fft} equation (cuFFT/hipFFT, {@link DeviceFft}), with the kernel
   * that normalizes an inverse; null where the sizes do not fit the libraries' int arguments.
   */
  private GpuProgram.FftPlan fftPlan(Eqn e) {
    GpuProgram.FftType type = GpuProgram.FftType.of(e.params().getInt("fft_type"));
    int[] lengths = e.params().getInts("fft_lengths");
    Aval x = e.inputs().get(0).aval();
    Aval y = e.outputs().get(0).aval();
    long batch = 1;
    for (int a = 0; a < x.rank() - lengths.length; a++) {
      batch *= x.dim(a);
    }
    if (batch > Integer.MAX_VALUE || batch == 0 || y.size() == 0) {
      return null;
    }
    long floats = y.dtype() == DType.C64 ? 2L * y.size() : y.size();
    if (!type.inverse()) {
      return new GpuProgram.FftPlan(type, lengths, (int) batch, null, null, floats);
    }
    long n = 1;
    for (int l : lengths) {
      n *= l;
    }
    String name = kernelName("fft_normalize");
    String k = "extern \"C\" __global__ void __launch_bounds__(" + BLOCK + ") " + name + "(float* __restrict__ x) {\n"
        + "  // " + type + " of " + x + ": cuFFT/hipFFT do not normalize, XLA scales by 1/" + n + "\n"
        + "  const sl_idx i = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;\n"
        + "  if (i < " + floats + "LL) x[i] = x[i] * " + CTypes.constant(DType.F32, 1.0 / n) + ";\n"
        + "}\n";
    String launched = addKernel(name, "fft normalization " + y, k);
    return new GpuProgram.FftPlan(type, lengths, (int) batch, launched, new int[] {(int) ((floats + BLOCK - 1) / BLOCK), 1, 1},
        floats);
  }

  private String kernelName(String what) {
    String name = "sl_k" + kernels.size() + "_" + what;
    return name;
  }

  /**
   * Adds a kernel unless an identical one (up to its name) exists; returns the name to launch.
   * Graphs repeat shapes (three {@code reduce_sum} of one shape in a linreg step), so this keeps
   * the source and the compile time small.
   */
  private String addKernel(String name, String origin, String code) {
    String key = code.replace(name, "@");
    String existing = byBody.putIfAbsent(key, name);
    if (existing != null) {
      return existing;
    }
    kernels.add(new Kernel(name, origin));
    src.append('\n').append(code);
    return name;
  }

  // ---- fused elementwise groups ----------------------------------------------------------------

  /** Writes one fused kernel: loads, per-equation statements, stores. */
  private final class FusedKernel {
    final GraphBuilder b;
    final FusionPlan.Group g;
    final List<Var> stored;
    final int[] shape;
    final long n;
    final Map<Var, String> local = new IdentityHashMap<>();
    final Map<Var, String> param = new IdentityHashMap<>();
    final List<Var> params = new ArrayList<>();
    final Map<Var, String> loaded = new IdentityHashMap<>();
    final StringBuilder body = new StringBuilder();
    boolean needsCoords;
    boolean prepared;
    int temp;

    FusedKernel(GraphBuilder b, FusionPlan.Group g, List<Var> stored) {
      this.b = b;
      this.g = g;
      this.stored = stored;
      this.shape = g.shape.shape();
      this.n = g.shape.size();
    }

    String ptr(Var v) {
      return param.computeIfAbsent(v, k -> {
        params.add(k);
        return "p" + (params.size() - 1);
      });
    }

    /** A register value of {@code a} at this thread's element (same shape or rank-0). */
    String value(Atom a) {
      if (a instanceof Literal l) {
        return CTypes.literal(l);
      }
      Var v = (Var) a;
      String l = local.get(v);
      if (l != null) {
        return l;
      }
      if (b.plan.recomputable(v)) {
        statement(b.plan.producer(v)); // a cheap scalar: recompute it here rather than load it
        return local.get(v);
      }
      return loaded.computeIfAbsent(v, k -> {
        String name = "g" + loaded.size();
        String idx = k.aval().isScalar() || k.aval().size() == 1 ? "0" : "i";
        body.append("  const ").append(CTypes.reg(k.aval().dtype())).append(' ').append(name)
            .append(" = ").append(CTypes.load(k.aval().dtype(), ptr(k), idx)).append(";\n");
        return name;
      });
    }

    /** A register value of {@code a} at the element given by the flat index expression {@code idx}. */
    String valueAt(Atom a, String idx) {
      if (a instanceof Literal l) {
        return CTypes.literal(l);
      }
      Var v = (Var) a;
      if (v.aval().size() == 1) {
        return value(v);
      }
      return CTypes.load(v.aval().dtype(), ptr(v), idx);
    }

    String c(int axis) {
      needsCoords = true;
      return "c" + axis;
    }

    /** Generates the statements of the group's equations (once). */
    FusedKernel prepare() {
      if (!prepared) {
        prepared = true;
        for (Eqn e : g.eqns) {
          statement(e);
        }
      }
      return this;
    }

    /** Parameter declarations: the values read ({@code const}), then the values stored. */
    List<String> declarations(String prefix) {
      List<String> decl = new ArrayList<>();
      for (Var v : params) {
        decl.add("const " + CTypes.storage(v.aval().dtype()) + "* __restrict__ " + prefix + param.get(v));
      }
      for (int j = 0; j < stored.size(); j++) {
        decl.add(CTypes.storage(stored.get(j).aval().dtype()) + "* __restrict__ " + prefix + "o" + j);
      }
      return decl;
    }

    /** Argument names matching {@link #declarations}. */
    List<String> arguments(String prefix) {
      List<String> out = new ArrayList<>();
      params.forEach(v -> out.add(prefix + param.get(v)));
      for (int j = 0; j < stored.size(); j++) {
        out.add(prefix + "o" + j);
      }
      return out;
    }

    /** Coordinates, statements and stores of the element at flat index {@code i}. */
    void appendElement(StringBuilder k) {
      appendCoords(k);
      k.append(body);
      for (int j = 0; j < stored.size(); j++) {
        Var v = stored.get(j);
        k.append("  o").append(j).append("[i] = ").append(CTypes.store(v.aval().dtype(), local.get(v))).append(";\n");
      }
    }

    /** The launch's slot arguments in {@link #declarations} order; defines the stored values. */
    int[] bind() {
      int[] args = new int[params.size() + stored.size()];
      for (int j = 0; j < params.size(); j++) {
        args[j] = b.slot(params.get(j));
      }
      for (int j = 0; j < stored.size(); j++) {
        args[params.size() + j] = b.define(stored.get(j));
      }
      return args;
    }

    int[] outputs(int[] args) {
      return java.util.Arrays.copyOfRange(args, params.size(), args.length);
    }

    int blocks() {
      return (int) ((n + BLOCK - 1) / BLOCK);
    }

    void emit() {
      prepare();
      String name = kernelName(g.eqns.size() == 1 ? g.eqns.get(0).primitive().name() : "fused");
      StringBuilder k = new StringBuilder();
      k.append("extern \"C\" __global__ void __launch_bounds__(").append(BLOCK).append(") ")
          .append(name).append("(").append(String.join(", ", declarations(""))).append(") {\n");
      k.append("  // ").append(origin()).append('\n');
      k.append("  const sl_idx i = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;\n");
      k.append("  if (i >= ").append(n).append("LL) return;\n");
      appendElement(k);
      k.append("}\n");
      String launched = addKernel(name, origin(), k.toString());
      int[] args = bind();
      b.steps.add(new Launch(launched, new int[] {blocks(), 1, 1}, new int[] {BLOCK, 1, 1}, 0, args, outputs(args)));
    }

    String origin() {
      return String.join(" ", g.eqns.stream().map(e -> e.primitive().name()).toList()) + " over " + g.shape;
    }

    /** The group as a device function of the flat index {@code i}, for a horizontal kernel. */
    String partFunction(String fname) {
      prepare();
      StringBuilder k = new StringBuilder();
      k.append("__device__ __forceinline__ void ").append(fname).append('(')
          .append(String.join(", ", declarations(""))).append(", sl_idx i) {\n");
      k.append("  // ").append(origin()).append('\n');
      k.append("  if (i >= ").append(n).append("LL) return;\n");
      appendElement(k);
      return k.append("}\n").toString();
    }

    /**
     * The group as a device function of the flat index {@code i} for a reduction loop: stores
     * the side outputs at {@code i} and hands the reductions' operands back through {@code r0..}.
     */
    String reductionFunction(String fname, List<Var> reduced) {
      prepare();
      List<String> decl = new ArrayList<>(declarations(""));
      decl.add("sl_idx i");
      for (int j = 0; j < reduced.size(); j++) {
        decl.add(CTypes.reg(reduced.get(j).aval().dtype()) + "& r" + j);
      }
      StringBuilder k = new StringBuilder();
      k.append("__device__ __forceinline__ void ").append(fname).append('(').append(String.join(", ", decl)).append(") {\n");
      k.append("  // ").append(origin()).append('\n');
      appendElement(k);
      for (int j = 0; j < reduced.size(); j++) {
        k.append("  r").append(j).append(" = ").append(local.get(reduced.get(j))).append(";\n");
      }
      return k.append("}\n").toString();
    }

    void appendCoords(StringBuilder k) {
      if (needsCoords) {
        long stride = 1;
        String[] lines = new String[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
          String expr = stride == 1 ? "i" : "(i / " + stride + "LL)";
          lines[d] = "  const sl_idx c" + d + " = " + (d == 0 ? expr : expr + " % " + shape[d] + "LL") + ";\n";
          stride *= shape[d];
        }
        for (String line : lines) {
          k.append(line);
        }
      }
    }

    void define(Var v, String expr) {
      String name = "v" + (temp++);
      body.append("  const ").append(CTypes.reg(v.aval().dtype())).append(' ').append(name)
          .append(" = ").append(expr).append(";\n");
      local.put(v, name);
    }

    void statement(Eqn e) {
      String name = e.primitive().name();
      Var out = e.outputs().get(0);
      DType dt = out.aval().dtype();
      if (name.equals("threefry2x32")) {
        List<String> a = e.inputs().stream().map(this::value).toList();
        String y0 = "v" + (temp++);
        String y1 = "v" + (temp++);
        body.append("  unsigned int ").append(y0).append(", ").append(y1).append(";\n");
        body.append("  sl_threefry2x32(").append(String.join(", ", a)).append(", &").append(y0)
            .append(", &").append(y1).append(");\n");
        local.put(e.outputs().get(0), y0);
        local.put(e.outputs().get(1), y1);
        return;
      }
      if (ElementwiseOps.isElementwise(e)) {
        String expr = ElementwiseOps.expr(e, e.inputs().stream().map(this::value).toList());
        // a 16-bit result is rounded here, after every op, as the CPU backend rounds each kernel's
        // output (convert_element_type rounds itself)
        define(out, dt.is16BitFloat() && !name.equals("convert_element_type") ? CTypes.round16(dt, expr) : expr);
        return;
      }
      if (name.equals("dot_general")) {
        fusedDot(e);
        return;
      }
      String expr = indexOp(e);
      define(out, name.equals("iota") && dt.is16BitFloat() ? CTypes.round16(dt, expr) : expr);
    }

    /** A small dot ({@link #isFusedDot}) at this thread's output element: a product, or a loop over k. */
    void fusedDot(Eqn e) {
      Atom la = e.inputs().get(0);
      Atom ra = e.inputs().get(1);
      Aval l = la.aval();
      Aval r = ra.aval();
      List<int[]> dn = e.params().getList("dimension_numbers");
      int[] lc = dn.get(0), rc = dn.get(1), lb = dn.get(2), rb = dn.get(3);
      long[] ls = strides(l.shape());
      long[] rs = strides(r.shape());
      // output axes: batch, then lhs free, then rhs free (dot_general's layout)
      List<String> lt = new ArrayList<>();
      List<String> rt = new ArrayList<>();
      int axis = 0;
      for (int j = 0; j < lb.length; j++, axis++) {
        if (l.dim(lb[j]) != 1) {
          lt.add(term(c(axis), ls[lb[j]]));
          rt.add(term(c(axis), rs[rb[j]]));
        }
      }
      for (int f : free(l.rank(), lc, lb)) {
        if (l.dim(f) != 1) {
          lt.add(term(c(axis), ls[f]));
        }
        axis++;
      }
      for (int f : free(r.rank(), rc, rb)) {
        if (r.dim(f) != 1) {
          rt.add(term(c(axis), rs[f]));
        }
        axis++;
      }
      Var out = e.outputs().get(0);
      DType d = out.aval().dtype();
      String t = CTypes.reg(d);
      long k = product(l, lc);
      String v = "v" + (temp++);
      if (k == 1) { // an outer product: the contracting coordinates are all 0
        String x = valueAt(la, sum(lt));
        String y = valueAt(ra, sum(rt));
        body.append("  const ").append(t).append(' ').append(v).append(" = (").append(t).append(')').append(x)
            .append(" * (").append(t).append(')').append(y).append(";\n");
      } else {
        String kk = "k" + v;
        lt.add(linearMap(kk, dims(l, lc), pick(ls, lc)));
        rt.add(linearMap(kk, dims(r, rc), pick(rs, rc)));
        String x = valueAt(la, sum(lt)); // any register loads land in the body before the loop
        String y = valueAt(ra, sum(rt));
        body.append("  ").append(t).append(' ').append(v).append(" = ").append(CTypes.constant(d, 0)).append(";\n");
        body.append("  for (sl_idx ").append(kk).append(" = 0; ").append(kk).append(" < ").append(k).append("LL; ")
            .append(kk).append("++) ").append(v).append(" += (").append(t).append(')').append(x).append(" * (")
            .append(t).append(')').append(y).append(";\n");
      }
      local.put(out, v);
    }

    /** Layout ops as a read of the (stored) operand at a computed index. */
    String indexOp(Eqn e) {
      var p = e.params();
      Atom x = e.inputs().isEmpty() ? null : e.inputs().get(0);
      int[] inShape = x == null ? new int[0] : x.aval().shape();
      long[] inStride = strides(inShape);
      switch (e.primitive().name()) {
        case "iota" -> {
          return "((" + CTypes.reg(p.getDType("dtype")) + ")" + c(p.getInt("dimension")) + ")";
        }
        case "reshape", "squeeze" -> {
          return valueAt(x, "i");
        }
        case "broadcast_in_dim" -> {
          int[] dims = p.getInts("broadcast_dimensions");
          List<String> terms = new ArrayList<>();
          for (int j = 0; j < dims.length; j++) {
            if (inShape[j] != 1) {
              terms.add(term(c(dims[j]), inStride[j]));
            }
          }
          return valueAt(x, sum(terms));
        }
        case "transpose" -> {
          int[] perm = p.getInts("permutation");
          List<String> terms = new ArrayList<>();
          for (int a = 0; a < perm.length; a++) {
            terms.add(term(c(a), inStride[perm[a]]));
          }
          return valueAt(x, sum(terms));
        }
        case "rev" -> {
          Set<Integer> rev = new HashSet<>();
          for (int d : p.getInts("dimensions")) {
            rev.add(d);
          }
          List<String> terms = new ArrayList<>();
          for (int a = 0; a < inShape.length; a++) {
            String coord = rev.contains(a) ? "(" + (inShape[a] - 1) + "LL - " + c(a) + ")" : c(a);
            terms.add(term(coord, inStride[a]));
          }
          return valueAt(x, sum(terms));
        }
        case "slice" -> {
          int[] start = p.getInts("start_indices");
          int[] step = p.getInts("strides");
          List<String> terms = new ArrayList<>();
          for (int a = 0; a < inShape.length; a++) {
            terms.add(term("(" + start[a] + "LL + " + c(a) + " * " + step[a] + "LL)", inStride[a]));
          }
          return valueAt(x, sum(terms));
        }
        case "gather" -> {
          // out coords: operand axes before `axis`, the index coords, operand axes after it
          int axis = p.getInt("axis");
          Atom idx = e.inputs().get(1);
          int[] idxShape = idx.aval().shape();
          long[] idxStride = strides(idxShape);
          List<String> at = new ArrayList<>();
          for (int j = 0; j < idxShape.length; j++) {
            at.add(term(c(axis + j), idxStride[j]));
          }
          String raw = valueAt(idx, sum(at)); // a register load of a size-1 index lands in the body first
          String k = "v" + (temp++);
          body.append("  const sl_idx ").append(k).append(" = sl_clamp_index((long long)")
              .append(raw).append(", ").append(inShape[axis]).append("LL);\n");
          List<String> terms = new ArrayList<>();
          for (int a = 0; a < inShape.length; a++) {
            String coord = a < axis ? c(a) : a == axis ? k : c(a - 1 + idxShape.length);
            terms.add(term(coord, inStride[a]));
          }
          return valueAt(x, sum(terms));
        }
        case "dynamic_slice" -> {
          // lax's clamp: each start in [0, dim - size], read from a rank-0 operand
          int[] sizes = p.getInts("slice_sizes");
          List<String> terms = new ArrayList<>();
          for (int a = 0; a < inShape.length; a++) {
            String s = clampedStart(e.inputs().get(1 + a), (long) inShape[a] - sizes[a]);
            terms.add(term("(" + c(a) + " + " + s + ")", inStride[a]));
          }
          return valueAt(x, sum(terms));
        }
        case "dynamic_update_slice" -> {
          // inside the (clamped) block: the update's element; elsewhere the operand's
          Atom u = e.inputs().get(1);
          int[] us = u.aval().shape();
          long[] ust = strides(us);
          List<String> inside = new ArrayList<>();
          List<String> terms = new ArrayList<>();
          for (int a = 0; a < inShape.length; a++) {
            String s = clampedStart(e.inputs().get(2 + a), (long) inShape[a] - us[a]);
            String t = "(" + c(a) + " - " + s + ")";
            inside.add(t + " >= 0 && " + t + " < " + us[a] + "LL");
            terms.add(term(t, ust[a]));
          }
          String cond = inside.isEmpty() ? "true" : String.join(" && ", inside);
          String upd = u.aval().size() == 0 ? CTypes.constant(u.aval().dtype(), 0) : valueAt(u, sum(terms));
          return "((" + cond + ") ? " + upd + " : " + valueAt(x, "i") + ")";
        }
        case "pad" -> {
          int[] lo = p.getInts("low");
          int[] interior = p.getInts("interior");
          List<String> inside = new ArrayList<>();
          List<String> terms = new ArrayList<>();
          for (int a = 0; a < inShape.length; a++) {
            String t = "(" + c(a) + " - " + lo[a] + "LL)";
            long every = interior[a] + 1L;
            inside.add(t + " >= 0");
            if (every > 1) {
              inside.add(t + " % " + every + "LL == 0");
            }
            String coord = every > 1 ? "(" + t + " / " + every + "LL)" : t;
            inside.add(coord + " < " + inShape[a] + "LL");
            terms.add(term(coord, inStride[a]));
          }
          String pad = value(e.inputs().get(1));
          String cond = inside.isEmpty() ? "true" : String.join(" && ", inside);
          return "((" + cond + ") ? " + valueAt(x, sum(terms)) + " : " + pad + ")";
        }
        case "concatenate" -> {
          int axis = p.getInt("dimension");
          StringBuilder sel = new StringBuilder();
          long offset = 0;
          List<Atom> parts = e.inputs();
          for (int k = 0; k < parts.size(); k++) {
            Atom part = parts.get(k);
            int[] ps = part.aval().shape();
            long[] st = strides(ps);
            List<String> terms = new ArrayList<>();
            for (int a = 0; a < ps.length; a++) {
              String coord = a == axis ? "(" + c(a) + " - " + offset + "LL)" : c(a);
              terms.add(term(coord, st[a]));
            }
            String v = part.aval().size() == 0 ? CTypes.constant(part.aval().dtype(), 0) : valueAt(part, sum(terms));
            offset += ps[axis];
            if (k == parts.size() - 1) {
              sel.append(v);
            } else {
              sel.append("(").append(c(axis)).append(" < ").append(offset).append("LL) ? ").append(v).append(" : ");
            }
          }
          return "(" + sel + ")";
        }
        default -> throw new IllegalArgumentException("no GPU index code for " + e.primitive().name());
      }
    }

    /** A register holding the start index {@code a} clamped to {@code [0, max]} (u32 read unsigned). */
    String clampedStart(Atom a, long max) {
      String raw = value(a);
      String k = "v" + (temp++);
      body.append("  const sl_idx ").append(k).append(" = sl_clamp_start((long long)").append(raw)
          .append(", ").append(max).append("LL);\n");
      return k;
    }
  }

  static long[] strides(int[] shape) {
    long[] s = new long[shape.length];
    long acc = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      s[d] = acc;
      acc *= shape[d];
    }
    return s;
  }

  private static String term(String coord, long stride) {
    return stride == 1 ? coord : coord + " * " + stride + "LL";
  }

  private static String sum(List<String> terms) {
    return terms.isEmpty() ? "0" : String.join(" + ", terms);
  }

  /**
   * The offset {@code sum_j coord_j(flat) * targetStride_j}, where {@code coord_j} are the
   * row-major coordinates of {@code flat} over {@code dims}.
   */
  static String linearMap(String flat, int[] dims, long[] targetStrides) {
    List<String> terms = new ArrayList<>();
    long inner = 1;
    for (int j = dims.length - 1; j >= 0; j--) {
      if (dims[j] != 1) {
        String coord = inner == 1 ? flat : "(" + flat + " / " + inner + "LL)";
        if (j > 0) {
          coord = "(" + coord + " % " + dims[j] + "LL)";
        }
        terms.add(term(coord, targetStrides[j]));
      }
      inner *= dims[j];
    }
    return "(" + sum(terms) + ")";
  }

  // ---- reductions ----------------------------------------------------------------------------

  private record Split(int[] keptDims, long[] keptStrides, int[] redDims, long[] redStrides, long outputs, long reduced) {}

  private static Split split(Aval x, int[] axes) {
    int[] shape = x.shape();
    long[] st = strides(shape);
    Set<Integer> red = new HashSet<>();
    for (int a : axes) {
      red.add(a);
    }
    List<Integer> kept = new ArrayList<>();
    List<Integer> reduced = new ArrayList<>();
    for (int a = 0; a < shape.length; a++) {
      (red.contains(a) ? reduced : kept).add(a);
    }
    int[] kd = kept.stream().mapToInt(a -> shape[a]).toArray();
    long[] ks = kept.stream().mapToLong(a -> st[a]).toArray();
    int[] rd = reduced.stream().mapToInt(a -> shape[a]).toArray();
    long[] rs = reduced.stream().mapToLong(a -> st[a]).toArray();
    long outs = 1;
    for (int d : kd) {
      outs *= d;
    }
    long r = 1;
    for (int d : rd) {
      r *= d;
    }
    return new Split(kd, ks, rd, rs, outs, r);
  }

  private static String combine(String op, DType dtype, String a, String b) {
    DType d = ElementwiseOps.compute(dtype); // 16-bit values accumulate in float, rounded once by the store
    if (d == DType.C64) { // only sums reach here (isReduction): each part added as the f32 sum adds it
      return "sl_cadd(" + a + ", " + b + ")";
    }
    return switch (op) {
      case "reduce_sum" -> d == DType.I32 ? "sl_addi(" + a + ", " + b + ")" : "(" + a + " + " + b + ")";
      case "reduce_max" -> switch (d) {
        case F32 -> "sl_maxf(" + a + ", " + b + ")";
        case F64 -> "sl_maxd(" + a + ", " + b + ")";
        case BOOL -> "(" + a + " || " + b + ")";
        default -> "(" + a + " >= " + b + " ? " + a + " : " + b + ")";
      };
      default -> switch (d) {
        case F32 -> "sl_minf(" + a + ", " + b + ")";
        case F64 -> "sl_mind(" + a + ", " + b + ")";
        case BOOL -> "(" + a + " && " + b + ")";
        default -> "(" + a + " <= " + b + " ? " + a + " : " + b + ")";
      };
    };
  }

  private static String identity(String op, DType d) {
    return switch (op) {
      case "reduce_sum" -> CTypes.constant(d, 0);
      case "reduce_max" -> CTypes.lowest(d);
      default -> CTypes.highest(d);
    };
  }

  /**
   * One reduction kernel for {@code reds}, which share one iteration space
   * ({@link #iterationSpace}). Without {@code prologue} there is one reduction and its operand is
   * read from memory. With it, the operands are computed in place by the fused group that
   * produces them ({@code x.square().sum()} is one kernel), the group's other needed values are
   * written as side outputs from the same loop (each element is visited exactly once), and each
   * reduction has its own accumulator.
   */
  private void reduction(GraphBuilder b, List<Eqn> reds, FusedKernel prologue) {
    Eqn first = reds.get(0);
    Aval x = first.inputs().get(0).aval();
    Split s = split(x, first.params().getInts("axes"));
    String name = kernelName(reds.size() == 1 ? first.primitive().name() : "reduce" + reds.size());
    String at = linearMap("o", s.keptDims, s.keptStrides) + " + " + linearMap("r", s.redDims, s.redStrides);
    int m = reds.size();
    List<String> ops = reds.stream().map(e -> e.primitive().name()).toList();
    List<DType> types = reds.stream().map(e -> e.inputs().get(0).aval().dtype()).toList();
    StringBuilder k = new StringBuilder();
    List<String> decl = new ArrayList<>();
    String fetch; // statements setting e0.. to the operands at element (o, r)
    int[] inSlots;
    if (prologue == null) {
      decl.add("const " + CTypes.storage(types.get(0)) + "* __restrict__ x");
      fetch = "e0 = " + CTypes.load(types.get(0), "x", at) + ";";
      inSlots = new int[] {b.slot(first.inputs().get(0))};
    } else {
      List<Var> operands = reds.stream().map(e -> (Var) e.inputs().get(0)).toList();
      String fname = name + "_elem";
      k.append(prologue.reductionFunction(fname, operands));
      decl.addAll(prologue.declarations(""));
      List<String> args = new ArrayList<>(prologue.arguments(""));
      args.add(at);
      for (int j = 0; j < m; j++) {
        args.add("e" + j);
      }
      fetch = fname + "(" + String.join(", ", args) + ");";
      inSlots = prologue.bind();
    }
    for (int j = 0; j < m; j++) {
      decl.add(CTypes.storage(reds.get(j).outputs().get(0).aval().dtype()) + "* __restrict__ out" + j);
    }
    k.append("extern \"C\" __global__ void __launch_bounds__(").append(BLOCK).append(") ").append(name)
        .append('(').append(String.join(", ", decl)).append(") {\n");
    for (Eqn e : reds) {
      k.append("  // ").append(e.primitive().name()).append(" of ").append(e.inputs().get(0).aval()).append(" over axes ")
          .append(java.util.Arrays.toString(e.params().getInts("axes"))).append('\n');
    }
    StringBuilder declareElems = new StringBuilder("    ");
    StringBuilder accumulate = new StringBuilder();
    for (int j = 0; j < m; j++) {
      declareElems.append(CTypes.reg(types.get(j))).append(" e").append(j).append("; ");
      accumulate.append("    acc").append(j).append(" = ").append(combine(ops.get(j), types.get(j), "acc" + j, "e" + j)).append(";\n");
    }
    String loopBody = declareElems + "\n    " + fetch + "\n" + accumulate;
    boolean serial = s.reduced <= SERIAL_REDUCE_MAX;
    int[] grid;
    if (serial) {
      k.append("  const sl_idx o = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;\n");
      k.append("  if (o >= ").append(s.outputs).append("LL) return;\n");
      appendAccumulators(k, ops, types);
      k.append("  for (sl_idx r = 0; r < ").append(s.reduced).append("LL; r++) {\n").append(loopBody).append("  }\n");
      for (int j = 0; j < m; j++) {
        DType od = reds.get(j).outputs().get(0).aval().dtype();
        k.append("  out").append(j).append("[o] = ").append(CTypes.store(od, "acc" + j)).append(";\n");
      }
      k.append("}\n");
      grid = new int[] {(int) ((s.outputs + BLOCK - 1) / BLOCK), 1, 1};
    } else {
      // one block per output: strided partial results, then a shared-memory tree
      k.append("  const sl_idx o = blockIdx.x;\n");
      for (int j = 0; j < m; j++) {
        k.append("  __shared__ ").append(CTypes.reg(types.get(j))).append(" part").append(j).append('[').append(BLOCK).append("];\n");
      }
      appendAccumulators(k, ops, types);
      k.append("  for (sl_idx r = threadIdx.x; r < ").append(s.reduced).append("LL; r += ").append(BLOCK).append(") {\n")
          .append(loopBody).append("  }\n");
      for (int j = 0; j < m; j++) {
        k.append("  part").append(j).append("[threadIdx.x] = acc").append(j).append(";\n");
      }
      k.append("  __syncthreads();\n");
      k.append("  for (int w = ").append(BLOCK / 2).append("; w > 0; w >>= 1) {\n");
      k.append("    if ((int)threadIdx.x < w) {\n");
      for (int j = 0; j < m; j++) {
        String pj = "part" + j;
        k.append("      ").append(pj).append("[threadIdx.x] = ")
            .append(combine(ops.get(j), types.get(j), pj + "[threadIdx.x]", pj + "[threadIdx.x + w]")).append(";\n");
      }
      k.append("    }\n    __syncthreads();\n  }\n");
      k.append("  if (threadIdx.x == 0) {\n");
      for (int j = 0; j < m; j++) {
        DType od = reds.get(j).outputs().get(0).aval().dtype();
        k.append("    out").append(j).append("[o] = ").append(CTypes.store(od, "part" + j + "[0]")).append(";\n");
      }
      k.append("  }\n}\n");
      grid = new int[] {(int) s.outputs, 1, 1};
    }
    String origin = String.join(", ", ops) + " " + x + (prologue == null ? "" : " of " + prologue.origin());
    String launched = addKernel(name, origin, k.toString());
    int[] args = java.util.Arrays.copyOf(inSlots, inSlots.length + m);
    List<Integer> outs = new ArrayList<>();
    if (prologue != null) {
      for (int o : prologue.outputs(inSlots)) {
        outs.add(o);
      }
    }
    for (int j = 0; j < m; j++) {
      args[inSlots.length + j] = b.define(reds.get(j).outputs().get(0));
      outs.add(args[inSlots.length + j]);
    }
    b.steps.add(new Launch(launched, grid, new int[] {BLOCK, 1, 1}, 0, args, outs.stream().mapToInt(Integer::intValue).toArray()));
  }

  /**
   * complex64 {@code reduce_max/min/prod} as the CPU folds them, in XLA CPU's window tree
   * ({@link ComplexFolds#levels}): one launch per window pass (one thread per window of 32, or
   * 32 x 32 ... on several windowed axes, writing a partial-result buffer), then one thread per
   * output folds what is left, at most 32 per reduced axis. With NaNs or signed zeros the fold is
   * not associative ({@code max([1+2j, nan, 2])} is 2, {@code max([1+2j, nan])} is NaN, a tie of
   * {@code 0} and {@code -0} keeps the later) and a c64 product rounds at each step, so only that
   * tree gives the CPU's bits; it is also what spreads a full reduce over many threads.
   */
  private void complexFold(GraphBuilder b, Eqn e) {
    String op = e.primitive().name();
    boolean prod = op.equals("reduce_prod");
    String start = prod ? CTypes.constant(DType.C64, 1) : ComplexFolds.extremumStart(op.equals("reduce_max"));
    String step = prod ? "sl_cmul" : ComplexFolds.extremumStep(op.equals("reduce_max"));
    Aval x = e.inputs().get(0).aval();
    int[] axes = e.params().getInts("axes");
    List<int[]> levels = ComplexFolds.levels(x.shape(), axes);
    int in = b.slot(e.inputs().get(0));
    for (int l = 0; l + 1 < levels.size(); l++) {
      int[] from = levels.get(l);
      int[] to = levels.get(l + 1);
      long windows = java.util.Arrays.stream(to).asLongStream().reduce(1, Math::multiplyExact);
      String name = kernelName(op + "_windows");
      String k = "extern \"C\" __global__ void __launch_bounds__(" + BLOCK + ") " + name
          + "(const sl_c64* __restrict__ x, sl_c64* __restrict__ out) {\n"
          + "  // " + op + " of " + x + " over axes " + java.util.Arrays.toString(axes) + ", window pass " + (l + 1)
          + ": c64" + java.util.Arrays.toString(from) + " -> c64" + java.util.Arrays.toString(to) + ", one thread per window\n"
          + "  const sl_idx p = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;\n"
          + "  if (p >= " + windows + "LL) return;\n"
          + ComplexFolds.windowFoldBody(from, to, axes, start, step)
          + "}\n";
      String launched = addKernel(name, op + " " + x + " window pass " + (l + 1), k);
      int partials = b.newSlot(Aval.of(DType.C64, to));
      int[] grid = {(int) ((windows + BLOCK - 1) / BLOCK), 1, 1};
      b.steps.add(new Launch(launched, grid, new int[] {BLOCK, 1, 1}, 0, new int[] {in, partials}, new int[] {partials}));
      in = partials;
    }
    Aval top = Aval.of(DType.C64, levels.getLast());
    Split s = split(top, axes);
    String name = kernelName(op);
    String k = "extern \"C\" __global__ void __launch_bounds__(" + BLOCK + ") " + name
        + "(const sl_c64* __restrict__ x, sl_c64* __restrict__ out) {\n"
        + "  // " + op + " of " + (levels.size() > 1 ? "the partial results " + top + " of " + x : x) + " over axes "
        + java.util.Arrays.toString(axes) + ": " + (prod ? "XLA's c64 multiply" : "lexicographic")
        + " fold in row-major order, one thread per output\n"
        + "  const sl_idx o = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;\n"
        + "  if (o >= " + s.outputs + "LL) return;\n"
        + "  const sl_idx base = " + linearMap("o", s.keptDims, s.keptStrides) + ";\n"
        + ComplexFolds.plainFoldBody(top.shape(), axes, strides(top.shape()), start, step)
        + "}\n";
    String launched = addKernel(name, op + " " + x, k);
    int out = b.define(e.outputs().get(0));
    int[] grid = {(int) ((s.outputs + BLOCK - 1) / BLOCK), 1, 1};
    b.steps.add(new Launch(launched, grid, new int[] {BLOCK, 1, 1}, 0, new int[] {in, out}, new int[] {out}));
  }

  private static void appendAccumulators(StringBuilder k, List<String> ops, List<DType> types) {
    for (int j = 0; j < ops.size(); j++) {
      k.append("  ").append(CTypes.reg(types.get(j))).append(" acc").append(j).append(" = ")
          .append(identity(ops.get(j), types.get(j))).append(";\n");
    }
  }

  // ---- horizontal fusion -----------------------------------------------------------------------

  /**
   * Independent loops in one launch: part {@code k} owns a contiguous range of blocks and runs
   * its loop body with the block index made relative to that range (XLA's horizontal fusion).
   */
  private void horizontal(GraphBuilder b, List<FusedKernel> parts) {
    String name = kernelName("horizontal" + parts.size());
    StringBuilder k = new StringBuilder();
    List<String> decl = new ArrayList<>();
    StringBuilder dispatch = new StringBuilder();
    long start = 0;
    List<String> origins = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      FusedKernel part = parts.get(p);
      String fname = name + "_part" + p;
      k.append(part.partFunction(fname));
      String prefix = "q" + p + "_";
      decl.addAll(part.declarations(prefix));
      long end = start + part.blocks();
      String call = fname + "(" + String.join(", ", part.arguments(prefix)) + ", (bx - " + start
          + "LL) * " + BLOCK + "LL + threadIdx.x);";
      dispatch.append(p == parts.size() - 1 ? "  " + call + "\n"
          : "  if (bx < " + end + "LL) { " + call + " return; }\n");
      origins.add(part.origin());
      start = end;
    }
    k.append("extern \"C\" __global__ void __launch_bounds__(").append(BLOCK).append(") ").append(name)
        .append('(').append(String.join(", ", decl)).append(") {\n");
    k.append("  // ").append(parts.size()).append(" independent loops, one block range each\n");
    k.append("  const sl_idx bx = blockIdx.x;\n").append(dispatch).append("}\n");
    String launched = addKernel(name, "horizontal: " + String.join(" | ", origins), k.toString());
    List<Integer> args = new ArrayList<>();
    List<Integer> outs = new ArrayList<>();
    for (FusedKernel part : parts) {
      int[] a = part.bind();
      for (int x : a) {
        args.add(x);
      }
      for (int o : part.outputs(a)) {
        outs.add(o);
      }
    }
    b.steps.add(new Launch(launched, new int[] {(int) start, 1, 1}, new int[] {BLOCK, 1, 1}, 0,
        args.stream().mapToInt(Integer::intValue).toArray(), outs.stream().mapToInt(Integer::intValue).toArray()));
  }

  private void argReduction(GraphBuilder b, Eqn e) {
    String op = e.primitive().name();
    Atom xa = e.inputs().get(0);
    Aval x = xa.aval();
    DType d = x.dtype();
    DType idx = e.params().getDType("index_dtype");
    Split s = split(x, e.params().getInts("axes"));
    String name = kernelName(op);
    String base = linearMap("o", s.keptDims, s.keptStrides);
    String off = linearMap("r", s.redDims, s.redStrides);
    String cmp = op.equals("argmax") ? ">" : "<";
    String better = switch (d) {
      case F32, F64, BF16, F16 -> "!(best != best) && (v != v || v " + cmp + " best)";
      case BOOL -> op.equals("argmax") ? "v && !best" : "!v && best";
      default -> "v " + cmp + " best";
    };
    String t = CTypes.reg(d);
    String k = "extern \"C\" __global__ void __launch_bounds__(" + BLOCK + ") " + name + "(const "
        + CTypes.storage(d) + "* __restrict__ x, " + CTypes.storage(idx) + "* __restrict__ out) {\n"
        + "  // " + op + " of " + x + " (first index wins; NaN wins)\n"
        + "  const sl_idx o = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;\n"
        + "  if (o >= " + s.outputs + "LL) return;\n"
        + "  const sl_idx base = " + base + ";\n"
        + "  " + t + " best = " + CTypes.load(d, "x", "base + " + linearMap("(sl_idx)0", s.redDims, s.redStrides)) + ";\n"
        + "  sl_idx at = 0;\n"
        + "  for (sl_idx r = 1; r < " + s.reduced + "LL; r++) {\n"
        + "    const " + t + " v = " + CTypes.load(d, "x", "base + " + off) + ";\n"
        + "    if (" + better + ") { best = v; at = r; }\n"
        + "  }\n"
        + "  out[o] = (" + CTypes.reg(idx) + ")at;\n}\n";
    String launched = addKernel(name, op + " " + x, k);
    int in = b.slot(xa);
    int out = b.define(e.outputs().get(0));
    int[] grid = {(int) ((s.outputs + BLOCK - 1) / BLOCK), 1, 1};
    b.steps.add(new Launch(launched, grid, new int[] {BLOCK, 1, 1}, 0, new int[] {in, out}, new int[] {out}));
  }

  // ---- scatter family --------------------------------------------------------------------------

  /**
   * {@code scatter_add} and {@code scatter}, {@code scatter_mul/min/max}: one thread per operand
   * element; it starts from the operand and combines, in index order, every update whose index
   * lands on it. No atomics, so duplicates combine in the CPU backend's order (the same bits) and
   * the result is deterministic; the cost is one pass over the indices per output element, fine
   * for gradients of embedding lookups and row updates of modest size. {@code scatter_add} clamps
   * its indices ({@code jnp.take}'s transpose); the others drop out-of-range ones (JAX's default).
   */
  private void scatter(GraphBuilder b, Eqn e) {
    String op = e.primitive().name();
    Atom xa = e.inputs().get(0);
    Atom ia = e.inputs().get(1);
    Atom ua = e.inputs().get(2);
    Aval x = xa.aval();
    DType d = x.dtype();
    DType id = ia.aval().dtype();
    int axis = e.params().getInt("axis");
    long n = x.dim(axis);
    long inner = 1;
    for (int a = axis + 1; a < x.rank(); a++) {
      inner *= x.dim(a);
    }
    long m = ia.aval().size();
    // int32 adds and multiplies wrap through unsigned as on the CPU (signed overflow is UB in C++)
    boolean wraps = d == DType.I32 && (op.equals("scatter_add") || op.equals("scatter_mul"));
    String acc = wraps ? "unsigned int" : CTypes.storage(d);
    String u = "(ACC)upd[(p * MLL + j) * INNERLL + q]";
    String combine = switch (op) {
      case "scatter_add" -> "acc += " + u;
      case "scatter" -> "acc = " + u;
      case "scatter_mul" -> "acc *= " + u;
      default -> {
        boolean max = op.equals("scatter_max");
        yield "acc = " + switch (d) {
          case F32 -> (max ? "sl_maxf(acc, " : "sl_minf(acc, ") + u + ")";
          case F64 -> (max ? "sl_maxd(acc, " : "sl_mind(acc, ") + u + ")";
          default -> "(acc " + (max ? ">=" : "<=") + " " + u + " ? acc : " + u + ")";
        };
      }
    };
    String hit = op.equals("scatter_add") ? "sl_clamp_index((long long)idx[j], NLL) == k" : "(long long)idx[j] == k";
    String name = kernelName(op);
    String k = """
        extern "C" __global__ void __launch_bounds__(BLOCK) NAME(const ST* __restrict__ x, const IT* __restrict__ idx, const ST* __restrict__ upd, ST* __restrict__ out) {
          // OP ORIGIN along axis AXIS (updates combined in index order)
          const sl_idx o = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;
          if (o >= SIZELL) return;
          const sl_idx q = o % INNERLL, k = (o / INNERLL) % NLL, p = o / (INNERLL * NLL);
          ACC acc = (ACC)x[o];
          for (sl_idx j = 0; j < MLL; j++) {
            if (HIT) COMBINE;
          }
          out[o] = (ST)acc;
        }
        """
        .replace("HIT", hit).replace("COMBINE", combine).replace("OP", op)
        .replace("BLOCK", Integer.toString(BLOCK)).replace("NAME", name).replace("ST", CTypes.storage(d))
        .replace("IT", CTypes.storage(id)).replace("ORIGIN", x + " <- " + ua.aval() + " at " + ia.aval())
        .replace("AXIS", Integer.toString(axis)).replace("SIZELL", x.size() + "LL")
        .replace("INNERLL", inner + "LL").replace("NLL", n + "LL").replace("MLL", m + "LL").replace("ACC", acc);
    String launched = addKernel(name, op + " " + x + " <- " + ua.aval(), k);
    int xs = b.slot(xa);
    int is = b.slot(ia);
    int us = b.slot(ua);
    int out = b.define(e.outputs().get(0));
    int[] grid = {(int) Math.max(1, (x.size() + BLOCK - 1) / BLOCK), 1, 1};
    b.steps.add(new Launch(launched, grid, new int[] {BLOCK, 1, 1}, 0, new int[] {xs, is, us, out}, new int[] {out}));
  }

  // ---- convolution and windowed reductions (WindowKernels) -------------------------------------

  /** {@code conv_general_dilated} and the reduce-window family: one thread per output element. */
  private void windowed(GraphBuilder b, Eqn e) {
    String op = e.primitive().name();
    String name = kernelName(op);
    String launched = addKernel(name, op + " " + e.inputs().stream().map(a -> a.aval().toString()).toList(),
        WindowKernels.source(e, name, BLOCK));
    int[] in = b.slots(e.inputs());
    int out = b.define(e.outputs().get(0));
    int[] args = java.util.Arrays.copyOf(in, in.length + 1);
    args[in.length] = out;
    long size = e.outputs().get(0).aval().size();
    int[] grid = {(int) Math.max(1, (size + BLOCK - 1) / BLOCK), 1, 1};
    b.steps.add(new Launch(launched, grid, new int[] {BLOCK, 1, 1}, 0, args, new int[] {out}));
  }

  // ---- cumsum / cumprod / sort ---------------------------------------------------------------

  /** Extents of {@code x} around {@code axis}: {outer, n, inner}. */
  private static long[] around(Aval x, int axis) {
    long inner = 1;
    for (int a = axis + 1; a < x.rank(); a++) {
      inner *= x.dim(a);
    }
    long n = x.dim(axis);
    return new long[] {n * inner == 0 ? 0 : x.size() / (n * inner), n, inner};
  }

  /**
   * {@code cumsum}/{@code cumprod}/{@code cummax}/{@code cummin}: one thread per line along the
   * axis, accumulating in order, so every element is the CPU backend's value bit for bit (i32
   * sums and products wrap through unsigned; max/min propagate NaN as the elementwise ones); a c64
   * cumprod/cummax/cummin folds in XLA's block-tree order instead, as the CPU ({@link ComplexFolds#scanLoop}).
   */
  private void cumulative(GraphBuilder b, Eqn e) {
    String op = e.primitive().name();
    Atom xa = e.inputs().get(0);
    Aval x = xa.aval();
    DType d = x.dtype();
    long[] s = around(x, e.params().getInt("axis"));
    boolean reverse = e.params().getBoolean("reverse");
    long lines = s[0] * s[2];
    boolean extremal = op.equals("cummax") || op.equals("cummin");
    // int32 sums and products wrap through unsigned; max/min compare in the array's own type
    String acc = d == DType.I32 && !extremal ? "unsigned int" : CTypes.storage(d);
    String v = "(ACC)x[at]";
    boolean complex = d == DType.C64; // as the CPU: per-part sums, products by sl_cmul
    String step = switch (op) {
      case "cumsum" -> complex ? "sl_cadd(acc, x[at])" : "acc + " + v;
      case "cumprod" -> complex ? "sl_cmul(acc, x[at])" : "acc * " + v;
      default -> {
        boolean max = op.equals("cummax");
        yield switch (d) {
          case F32 -> (max ? "sl_maxf(acc, " : "sl_minf(acc, ") + v + ")";
          case F64 -> (max ? "sl_maxd(acc, " : "sl_mind(acc, ") + v + ")";
          default -> "(acc " + (max ? ">=" : "<=") + " " + v + " ? acc : " + v + ")";
        };
      }
    };
    // max/min start from the line's first element (the identity the CPU starts from, -inf/+inf or
    // the integer extreme, gives that element too, NaN and -0.0 included)
    String init = switch (op) {
      case "cumsum" -> complex ? "sl_cmake(0.0f, 0.0f)" : "0";
      case "cumprod" -> complex ? "sl_cmake(1.0f, 0.0f)" : "1";
      default -> "x[base + " + (reverse ? (s[1] - 1) + "LL" : "0LL") + " * INNERLL]";
    };
    String name = kernelName(op);
    // c64 cumprod/cummax/cummin fold in the CPU's tree order (ComplexFolds.scanLoop), the others in order
    String loop = complex && !op.equals("cumsum") ? ComplexFolds.scanLoop(s[1], reverse, complexScanStart(op),
        complexScanStep(op)) : """
          ACC acc = (ACC)INIT;
          for (sl_idx k = 0; k < NLL; k++) {
            const sl_idx at = base + (AT) * INNERLL;
            acc = STEP;
            out[at] = (ST)acc;
          }
        """;
    String k = """
        extern "C" __global__ void __launch_bounds__(BLOCK) NAME(const ST* __restrict__ x, ST* __restrict__ out) {
          // OPNAME ORIGIN, one thread per line
          const sl_idx t = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;
          if (t >= LINESLL) return;
          const sl_idx base = (t / INNERLL) * NLL * INNERLL + t % INNERLL;
        LOOP}
        """
        .replace("LOOP", loop)
        .replace("INIT", init).replace("STEP", step)
        .replace("OPNAME", op).replace("ORIGIN", x + " along axis " + e.params().getInt("axis") + (reverse ? " reversed" : ""))
        .replace("BLOCK", Integer.toString(BLOCK)).replace("NAME", name).replace("ST", CTypes.storage(d))
        .replace("LINESLL", lines + "LL").replace("INNERLL", s[2] + "LL").replace("NLL", s[1] + "LL")
        .replace("AT", reverse ? "(" + s[1] + "LL - 1 - k)" : "k").replace("ACC", acc);
    String launched = addKernel(name, op + " " + x, k);
    int in = b.slot(xa);
    int out = b.define(e.outputs().get(0));
    int[] grid = {(int) Math.max(1, (lines + BLOCK - 1) / BLOCK), 1, 1};
    b.steps.add(new Launch(launched, grid, new int[] {BLOCK, 1, 1}, 0, new int[] {in, out}, new int[] {out}));
  }

  /** The initial value of a c64 cumprod (1), cummax or cummin fold, as the CPU's {@code ComplexScanTree} starts it. */
  private static String complexScanStart(String op) {
    return op.equals("cumprod") ? CTypes.constant(DType.C64, 1.0) : ComplexFolds.extremumStart(op.equals("cummax"));
  }

  /** XLA's reducer of a c64 cumprod, cummax or cummin. */
  private static String complexScanStep(String op) {
    return op.equals("cumprod") ? "sl_cmul" : ComplexFolds.extremumStep(op.equals("cummax"));
  }

  /**
   * {@code sort}: one thread per element computes its stable rank in its line (the keys smaller
   * than it, plus the equal ones before it) and writes every operand's element there. O(n) work
   * per element, no scratch memory; the order is a total one (NaN last, -0.0 == 0.0), so the
   * result is the CPU backend's exactly.
   */
  private void sort(GraphBuilder b, Eqn e) {
    List<Atom> ops = e.inputs();
    Aval keys = ops.get(0).aval();
    DType kd = keys.dtype();
    long[] s = around(keys, e.params().getInt("dimension"));
    String less = switch (kd) {
      case F32 -> "sl_sort_ltf";
      case F64 -> "sl_sort_ltd";
      default -> "SL_LT";
    };
    List<String> decl = new ArrayList<>();
    StringBuilder writes = new StringBuilder();
    for (int i = 0; i < ops.size(); i++) {
      decl.add("const " + CTypes.storage(ops.get(i).aval().dtype()) + "* __restrict__ in" + i);
    }
    for (int i = 0; i < ops.size(); i++) {
      decl.add(CTypes.storage(ops.get(i).aval().dtype()) + "* __restrict__ out" + i);
      writes.append("  out").append(i).append("[dst] = in").append(i).append("[g];\n");
    }
    String name = kernelName("sort");
    String kt = CTypes.storage(kd);
    String lt = less.equals("SL_LT") ? "(A < B)" : less + "(A, B)";
    String k = """
        extern "C" __global__ void __launch_bounds__(BLOCK) NAME(DECL) {
          // sort ORIGIN: each element to its stable rank
          const sl_idx g = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;
          if (g >= SIZELL) return;
          const sl_idx q = g % INNERLL, i = (g / INNERLL) % NLL, base = (g / (INNERLL * NLL)) * NLL * INNERLL + q;
          const KT mine = in0[g];
          sl_idx rank = 0;
          for (sl_idx k = 0; k < NLL; k++) {
            const KT other = in0[base + k * INNERLL];
            if (LESS_OM || (k < i && !LESS_MO)) rank++;
          }
          const sl_idx dst = base + rank * INNERLL;
        WRITES}
        """
        .replace("LESS_OM", lt.replace("A", "other").replace("B", "mine"))
        .replace("LESS_MO", lt.replace("A", "mine").replace("B", "other"))
        .replace("DECL", String.join(", ", decl)).replace("WRITES", writes)
        .replace("ORIGIN", ops.size() + " operand(s) " + keys + " along axis " + e.params().getInt("dimension"))
        .replace("BLOCK", Integer.toString(BLOCK)).replace("NAME", name).replace("KT", kt)
        .replace("SIZELL", keys.size() + "LL").replace("INNERLL", s[2] + "LL").replace("NLL", s[1] + "LL");
    String launched = addKernel(name, "sort " + keys, k);
    int[] args = new int[2 * ops.size()];
    int[] outs = new int[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      args[i] = b.slot(ops.get(i));
    }
    for (int i = 0; i < ops.size(); i++) {
      outs[i] = b.define(e.outputs().get(i));
      args[ops.size() + i] = outs[i];
    }
    int[] grid = {(int) Math.max(1, (keys.size() + BLOCK - 1) / BLOCK), 1, 1};
    b.steps.add(new Launch(launched, grid, new int[] {BLOCK, 1, 1}, 0, args, outs));
  }

  /**
   * {@code top_k}: as {@code sort}, one thread per element counts the elements of its line that
   * rank before it (larger in sort's order, or equal at a lower index); the k that rank below k
   * write themselves and their positions. O(n) work per element, no scratch memory or limit on k,
   * and the CPU kernel's order exactly (NaN largest, -0.0 == 0.0, lower index first on ties).
   */
  private void topK(GraphBuilder b, Eqn e) {
    Atom xa = e.inputs().get(0);
    Aval x = xa.aval();
    DType d = x.dtype();
    long n = x.rank() == 0 ? 1 : x.dim(x.rank() - 1);
    int k = e.params().getInt("k");
    String less = switch (d) {
      case F32 -> "sl_sort_ltf(A, B)";
      case F64 -> "sl_sort_ltd(A, B)";
      default -> "(A < B)";
    };
    String name = kernelName("top_k");
    String kernel = """
        extern "C" __global__ void __launch_bounds__(BLOCK) NAME(const ST* __restrict__ x, ST* __restrict__ values, int* __restrict__ indices) {
          // top_k ORIGIN: each element counts those ranked before it, the first K write themselves
          const sl_idx g = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;
          if (g >= SIZELL) return;
          const sl_idx i = g % NLL, line = g / NLL, base = line * NLL;
          const ST mine = x[g];
          sl_idx rank = 0;
          for (sl_idx j = 0; j < NLL && rank < KLL; j++) {
            const ST other = x[base + j];
            if (LESS_MO || (j < i && !LESS_OM)) rank++;
          }
          if (rank < KLL) {
            values[line * KLL + rank] = mine;
            indices[line * KLL + rank] = (int)i;
          }
        }
        """
        .replace("LESS_OM", less.replace("A", "other").replace("B", "mine"))
        .replace("LESS_MO", less.replace("A", "mine").replace("B", "other"))
        .replace("ORIGIN", x + " k=" + k).replace("BLOCK", Integer.toString(BLOCK)).replace("NAME", name)
        .replace("ST", CTypes.storage(d)).replace("SIZELL", x.size() + "LL").replace("NLL", n + "LL")
        .replace("KLL", k + "LL");
    String launched = addKernel(name, "top_k " + x, kernel);
    int in = b.slot(xa);
    int values = b.define(e.outputs().get(0));
    int indices = b.define(e.outputs().get(1));
    int[] grid = {(int) Math.max(1, (x.size() + BLOCK - 1) / BLOCK), 1, 1};
    b.steps.add(new Launch(launched, grid, new int[] {BLOCK, 1, 1}, 0, new int[] {in, values, indices},
        new int[] {values, indices}));
  }

  // ---- dot_general ---------------------------------------------------------------------------

  private void dot(GraphBuilder b, Eqn e) {
    Atom la = e.inputs().get(0);
    Atom ra = e.inputs().get(1);
    Aval l = la.aval();
    Aval r = ra.aval();
    // 16-bit operands load as float; the sum is float and rounds once at the store (or stays f32
    // with preferred_element_type=float32)
    DType d = e.outputs().get(0).aval().dtype();
    List<int[]> dn = e.params().getList("dimension_numbers");
    int[] lc = dn.get(0), rc = dn.get(1), lb = dn.get(2), rb = dn.get(3);
    long[] ls = strides(l.shape());
    long[] rs = strides(r.shape());
    int[] lfree = free(l.rank(), lc, lb);
    int[] rfree = free(r.rank(), rc, rb);
    long batch = product(l, lb);
    long m = product(l, lfree);
    long n = product(r, rfree);
    long kk = product(l, lc);
    String lhs = linearMap("bb", dims(l, lb), pick(ls, lb)) + " + " + linearMap("mm", dims(l, lfree), pick(ls, lfree))
        + " + " + linearMap("kk", dims(l, lc), pick(ls, lc));
    String rhs = linearMap("bb", dims(r, rb), pick(rs, rb)) + " + " + linearMap("kk", dims(r, rc), pick(rs, rc))
        + " + " + linearMap("nn", dims(r, rfree), pick(rs, rfree));
    // int32 accumulates in unsigned so that overflow wraps as on the CPU (signed overflow is UB)
    String acc = d == DType.I32 ? "unsigned int" : CTypes.reg(d);
    String storeC = d.is16BitFloat() ? CTypes.store(d, "acc[a][c]") : "(" + CTypes.storage(d) + ")acc[a][c]";
    String name = kernelName("dot_general");
    TiledMatmul.Element element = d == DType.C64 ? TiledMatmul.COMPLEX64 : TiledMatmul.real(acc, l.dtype(), r.dtype(), storeC);
    String k = TiledMatmul.kernel(name, l + " x " + r, CTypes.storage(l.dtype()), CTypes.storage(r.dtype()),
        CTypes.storage(d), m, n, kk, lhs, rhs, element);
    String launched = addKernel(name, "dot_general " + l + " x " + r, k);
    int li = b.slot(la);
    int ri = b.slot(ra);
    int out = b.define(e.outputs().get(0));
    int[] grid = {(int) ((n + TiledMatmul.TILE_N - 1) / TiledMatmul.TILE_N),
        (int) ((m + TiledMatmul.TILE_M - 1) / TiledMatmul.TILE_M), (int) batch};
    GpuProgram.Gemm gemm = null;
    // only plain f32 (sgemm) and complex64 (cgemm) go to BLAS: 16-bit operands take the generated kernel
    boolean complex = d == DType.C64 && l.dtype() == DType.C64 && r.dtype() == DType.C64;
    boolean f32 = d == DType.F32 && l.dtype() == DType.F32 && r.dtype() == DType.F32;
    if ((f32 || complex) && lb.length == 0 && l.rank() == 2 && r.rank() == 2 && lc.length == 1
        && m * n * kk > 0 && m <= Integer.MAX_VALUE && n <= Integer.MAX_VALUE && kk <= Integer.MAX_VALUE) {
      gemm = new GpuProgram.Gemm((int) m, (int) n, (int) kk, lc[0] == 0, rc[0] == 1, complex);
    }
    b.steps.add(new Launch(launched, grid, new int[] {256, 1, 1}, 0, new int[] {li, ri, out}, new int[] {out}, gemm));
  }

  private static int[] free(int rank, int[] contract, int[] batch) {
    List<Integer> f = new ArrayList<>();
    for (int a = 0; a < rank; a++) {
      final int ax = a;
      if (java.util.Arrays.stream(contract).noneMatch(c -> c == ax) && java.util.Arrays.stream(batch).noneMatch(c -> c == ax)) {
        f.add(a);
      }
    }
    return f.stream().mapToInt(Integer::intValue).toArray();
  }

  private static long product(Aval a, int[] axes) {
    long p = 1;
    for (int ax : axes) {
      p *= a.dim(ax);
    }
    return p;
  }

  private static int[] dims(Aval a, int[] axes) {
    return java.util.Arrays.stream(axes).map(a::dim).toArray();
  }

  private static long[] pick(long[] strides, int[] axes) {
    return java.util.Arrays.stream(axes).mapToLong(ax -> strides[ax]).toArray();
  }
}
