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

/**
 * Lowers a jaxpr to one HIP/CUDA C++ translation unit plus a schedule ({@link GpuProgram}).
 *
 * <ul>
 *   <li><b>Fusion</b>: consecutive elementwise equations of one output shape form one kernel, one
 *       thread per element; values stay in registers and only those used outside the group are
 *       stored. Layout ops whose operand is already in memory ({@code broadcast_in_dim},
 *       {@code transpose}, {@code slice}, {@code pad}, {@code rev}, {@code concatenate},
 *       {@code iota}) join the group as index arithmetic on the load, so broadcasting costs no
 *       extra pass. {@code reshape}, {@code squeeze} and {@code stop_gradient} of a stored value
 *       are aliases (no copy).
 *   <li><b>Reductions</b> ({@code reduce_sum/max/min}): one block per output with a shared-memory
 *       tree, or one thread per output when the reduced extent is small; {@code argmax/argmin}
 *       one thread per output.
 *   <li><b>dot_general</b>: a 64x64 tiled kernel with 4x4 outputs per thread, any dimension
 *       numbers (batch, free and contracting axes are mapped by index arithmetic).
 *   <li><b>threefry2x32</b> is elementwise (bit-exact with {@code random/Threefry}); {@code cond}
 *       and {@code scan} lower their sub-graphs into the same source; anything else (a user
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
      "pad", "rev", "concatenate", "iota", "reshape", "squeeze");
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

  /** Per-jaxpr lowering state: slots, uses, steps. */
  private final class GraphBuilder {
    final Jaxpr jaxpr;
    final List<Aval> slots = new ArrayList<>();
    final Map<Var, Integer> slotOf = new IdentityHashMap<>();
    final Map<Var, List<Integer>> uses = new IdentityHashMap<>();
    final Set<Var> graphOutputs = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    final List<Step> steps = new ArrayList<>();

    GraphBuilder(Jaxpr jaxpr) {
      this.jaxpr = jaxpr;
      List<Eqn> eqns = jaxpr.eqns();
      for (int i = 0; i < eqns.size(); i++) {
        for (Atom a : eqns.get(i).inputs()) {
          if (a instanceof Var v) {
            uses.computeIfAbsent(v, k -> new ArrayList<>()).add(i);
          }
        }
      }
      for (Atom a : jaxpr.outvars()) {
        if (a instanceof Var v) {
          graphOutputs.add(v);
        }
      }
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
    Group group = null;
    List<Eqn> eqns = jaxpr.eqns();
    for (int i = 0; i < eqns.size(); i++) {
      Eqn e = eqns.get(i);
      String name = e.primitive().name();
      if (ALIASES.contains(name) && e.inputs().get(0) instanceof Var v) {
        if (group != null && group.produces(v)) {
          group = flush(b, group);
        }
        int src = b.slot(v);
        b.steps.add(new Alias(b.define(e.outputs().get(0)), src));
        continue;
      }
      boolean elementwise = ElementwiseOps.isElementwise(e);
      if (elementwise || INDEX_OPS.contains(name)) {
        Aval out = e.outputs().get(0).aval();
        Group current = group;
        boolean fits = current != null && current.shape.sameShape(out)
            && (elementwise || e.inputs().stream().noneMatch(a -> a instanceof Var v && current.produces(v)));
        if (!fits) {
          flush(b, group);
          group = new Group(out);
        }
        group.add(i, e);
        continue;
      }
      if (REDUCTIONS.contains(name) && group != null && e.inputs().get(0) instanceof Var v
          && fusesInto(b, group, v, i)) {
        // the group's only result feeds only this reduction: compute it inside the reduction
        reduction(b, e, new FusedKernel(b, group, List.of(v)));
        group = null;
        continue;
      }
      group = flush(b, group);
      lowerOther(b, e);
    }
    flush(b, group);
    int[] out = b.slots(jaxpr.outvars());
    return new Graph(List.copyOf(b.slots), in, out, List.copyOf(b.steps), jaxpr);
  }

  private void lowerOther(GraphBuilder b, Eqn e) {
    String name = e.primitive().name();
    if (REDUCTIONS.contains(name)) {
      reduction(b, e, null);
    } else if (name.equals("argmax") || name.equals("argmin")) {
      argReduction(b, e);
    } else if (name.equals("dot_general")) {
      dot(b, e);
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
    } else {
      hostSteps.add(name);
      int[] ops = b.slots(e.inputs());
      b.steps.add(new Host(e, ops, b.define(e.outputs())));
    }
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

  /** Consecutive elementwise/layout equations sharing one output shape. */
  private static final class Group {
    final Aval shape;
    final List<Integer> index = new ArrayList<>();
    final List<Eqn> eqns = new ArrayList<>();
    final Set<Var> produced = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    Group(Aval shape) {
      this.shape = shape;
    }

    void add(int i, Eqn e) {
      index.add(i);
      eqns.add(e);
      produced.addAll(e.outputs());
    }

    boolean produces(Var v) {
      return produced.contains(v);
    }
  }

  /** The group's values needed outside it (graph outputs, or used by a non-member). */
  private static List<Var> needed(GraphBuilder b, Group g) {
    Set<Integer> members = new HashSet<>(g.index);
    List<Var> stored = new ArrayList<>();
    for (Eqn e : g.eqns) {
      for (Var v : e.outputs()) {
        boolean usedOutside = b.graphOutputs.contains(v)
            || b.uses.getOrDefault(v, List.of()).stream().anyMatch(u -> !members.contains(u));
        if (usedOutside) {
          stored.add(v);
        }
      }
    }
    return stored;
  }

  /** True if {@code v} is the group's only needed value and equation {@code at} its only use. */
  private static boolean fusesInto(GraphBuilder b, Group g, Var v, int at) {
    List<Var> stored = needed(b, g);
    return stored.size() == 1 && stored.get(0) == v && !b.graphOutputs.contains(v)
        && b.uses.getOrDefault(v, List.of()).equals(List.of(at));
  }

  /** Emits the group's kernel (if any of its values is needed); returns null. */
  private Group flush(GraphBuilder b, Group g) {
    if (g == null) {
      return null;
    }
    List<Var> stored = needed(b, g);
    if (stored.isEmpty()) {
      return null;
    }
    new FusedKernel(b, g, stored).emit();
    return null;
  }

  /** Writes one fused kernel: loads, per-equation statements, stores. */
  private final class FusedKernel {
    final GraphBuilder b;
    final Group g;
    final List<Var> stored;
    final int[] shape;
    final long n;
    final Map<Var, String> local = new IdentityHashMap<>();
    final Map<Var, String> param = new IdentityHashMap<>();
    final List<Var> params = new ArrayList<>();
    final Map<Var, String> loaded = new IdentityHashMap<>();
    final StringBuilder body = new StringBuilder();
    boolean needsCoords;
    int temp;

    FusedKernel(GraphBuilder b, Group g, List<Var> stored) {
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

    void emit() {
      for (Eqn e : g.eqns) {
        statement(e);
      }
      String name = kernelName(g.eqns.size() == 1 ? g.eqns.get(0).primitive().name() : "fused");
      StringBuilder k = new StringBuilder();
      k.append("extern \"C\" __global__ void __launch_bounds__(").append(BLOCK).append(") ")
          .append(name).append("(");
      List<String> decl = new ArrayList<>();
      for (Var v : params) {
        decl.add("const " + CTypes.storage(v.aval().dtype()) + "* __restrict__ " + param.get(v));
      }
      for (int j = 0; j < stored.size(); j++) {
        decl.add(CTypes.storage(stored.get(j).aval().dtype()) + "* __restrict__ o" + j);
      }
      k.append(String.join(", ", decl)).append(") {\n");
      k.append("  // ").append(origin()).append('\n');
      k.append("  const sl_idx i = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;\n");
      k.append("  if (i >= ").append(n).append("LL) return;\n");
      appendCoords(k);
      k.append(body);
      for (int j = 0; j < stored.size(); j++) {
        Var v = stored.get(j);
        k.append("  o").append(j).append("[i] = ").append(CTypes.store(v.aval().dtype(), local.get(v))).append(";\n");
      }
      k.append("}\n");
      String launched = addKernel(name, origin(), k.toString());
      int[] args = new int[params.size() + stored.size()];
      for (int j = 0; j < params.size(); j++) {
        args[j] = b.slot(params.get(j));
      }
      int[] outs = new int[stored.size()];
      for (int j = 0; j < stored.size(); j++) {
        outs[j] = b.define(stored.get(j));
        args[params.size() + j] = outs[j];
      }
      int blocks = (int) ((n + BLOCK - 1) / BLOCK);
      b.steps.add(new Launch(launched, new int[] {blocks, 1, 1}, new int[] {BLOCK, 1, 1}, 0, args, outs));
    }

    String origin() {
      return String.join(" ", g.eqns.stream().map(e -> e.primitive().name()).toList()) + " over " + g.shape;
    }

    /**
     * The group as a device function of the flat index {@code i} returning {@code stored.get(0)},
     * for a reduction that reads it in place of a stored array. Call after nothing else.
     */
    String deviceFunction(String fname) {
      for (Eqn e : g.eqns) {
        statement(e);
      }
      Var v = stored.get(0);
      StringBuilder k = new StringBuilder();
      k.append("__device__ __forceinline__ ").append(CTypes.reg(v.aval().dtype())).append(' ').append(fname).append('(');
      for (Var p : params) {
        k.append("const ").append(CTypes.storage(p.aval().dtype())).append("* __restrict__ ").append(param.get(p)).append(", ");
      }
      k.append("sl_idx i) {\n");
      k.append("  // ").append(origin()).append('\n');
      appendCoords(k);
      k.append(body).append("  return ").append(local.get(v)).append(";\n}\n");
      return k.toString();
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
        List<String> a = e.inputs().stream().map(this::value).toList();
        List<DType> in = e.inputs().stream().map(x -> x.aval().dtype()).toList();
        if (name.equals("select_n")) {
          in = List.of(in.get(1));
        }
        define(out, ElementwiseOps.expr(e, a, in, dt));
        return;
      }
      define(out, indexOp(e));
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

  private static String combine(String op, DType d, String a, String b) {
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
   * A reduction kernel; with {@code prologue}, the operand is not read from memory but computed
   * in place by the fused group that produces it ({@code x.square().sum()} is one kernel).
   */
  private void reduction(GraphBuilder b, Eqn e, FusedKernel prologue) {
    String op = e.primitive().name();
    Atom xa = e.inputs().get(0);
    Aval x = xa.aval();
    DType d = x.dtype();
    Split s = split(x, e.params().getInts("axes"));
    String t = CTypes.reg(d);
    String name = kernelName(op);
    String base = linearMap("o", s.keptDims, s.keptStrides);
    String off = linearMap("r", s.redDims, s.redStrides);
    StringBuilder k = new StringBuilder();
    String load;
    int[] inSlots;
    if (prologue == null) {
      load = CTypes.load(d, "x", base + " + " + off);
      k.append("extern \"C\" __global__ void __launch_bounds__(").append(BLOCK).append(") ").append(name)
          .append("(const ").append(CTypes.storage(d)).append("* __restrict__ x, ");
      inSlots = new int[] {b.slot(xa)};
    } else {
      String fname = name + "_elem";
      k.append(prologue.deviceFunction(fname));
      List<String> args = new ArrayList<>();
      k.append("extern \"C\" __global__ void __launch_bounds__(").append(BLOCK).append(") ").append(name).append('(');
      for (Var p : prologue.params) {
        String pn = prologue.param.get(p);
        args.add(pn);
        k.append("const ").append(CTypes.storage(p.aval().dtype())).append("* __restrict__ ").append(pn).append(", ");
      }
      args.add(base + " + " + off);
      load = fname + "(" + String.join(", ", args) + ")";
      inSlots = prologue.params.stream().mapToInt(b::slot).toArray();
    }
    k.append(CTypes.storage(d)).append("* __restrict__ out) {\n");
    k.append("  // ").append(op).append(" of ").append(x).append(" over axes ")
        .append(java.util.Arrays.toString(e.params().getInts("axes"))).append('\n');
    boolean serial = s.reduced <= SERIAL_REDUCE_MAX;
    int[] grid;
    if (serial) {
      k.append("  const sl_idx o = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;\n");
      k.append("  if (o >= ").append(s.outputs).append("LL) return;\n");
      k.append("  ").append(t).append(" acc = ").append(identity(op, d)).append(";\n");
      k.append("  for (sl_idx r = 0; r < ").append(s.reduced).append("LL; r++) {\n");
      k.append("    acc = ").append(combine(op, d, "acc", load)).append(";\n  }\n");
      k.append("  out[o] = ").append(CTypes.store(d, "acc")).append(";\n}\n");
      grid = new int[] {(int) ((s.outputs + BLOCK - 1) / BLOCK), 1, 1};
    } else {
      // one block per output: strided partial results, then a shared-memory tree
      k.append("  const sl_idx o = blockIdx.x;\n");
      k.append("  __shared__ ").append(t).append(" part[").append(BLOCK).append("];\n");
      k.append("  ").append(t).append(" acc = ").append(identity(op, d)).append(";\n");
      k.append("  for (sl_idx r = threadIdx.x; r < ").append(s.reduced).append("LL; r += ").append(BLOCK).append(") {\n");
      k.append("    acc = ").append(combine(op, d, "acc", load)).append(";\n  }\n");
      k.append("  part[threadIdx.x] = acc;\n  __syncthreads();\n");
      k.append("  for (int w = ").append(BLOCK / 2).append("; w > 0; w >>= 1) {\n");
      k.append("    if ((int)threadIdx.x < w) part[threadIdx.x] = ")
          .append(combine(op, d, "part[threadIdx.x]", "part[threadIdx.x + w]")).append(";\n");
      k.append("    __syncthreads();\n  }\n");
      k.append("  if (threadIdx.x == 0) out[o] = ").append(CTypes.store(d, "part[0]")).append(";\n}\n");
      grid = new int[] {(int) s.outputs, 1, 1};
    }
    String launched = addKernel(name, op + " " + x + (prologue == null ? "" : " of " + prologue.origin()), k.toString());
    int out = b.define(e.outputs().get(0));
    int[] args = java.util.Arrays.copyOf(inSlots, inSlots.length + 1);
    args[inSlots.length] = out;
    b.steps.add(new Launch(launched, grid, new int[] {BLOCK, 1, 1}, 0, args, new int[] {out}));
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
      case F32, F64 -> "!(best != best) && (v != v || v " + cmp + " best)";
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

  // ---- dot_general ---------------------------------------------------------------------------

  static final int TILE_M = 64;
  static final int TILE_N = 64;
  static final int TILE_K = 16;

  private void dot(GraphBuilder b, Eqn e) {
    Atom la = e.inputs().get(0);
    Atom ra = e.inputs().get(1);
    Aval l = la.aval();
    Aval r = ra.aval();
    DType d = l.dtype();
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
    String st = CTypes.storage(d);
    String name = kernelName("dot_general");
    String k = """
        extern "C" __global__ void __launch_bounds__(256) NAME(const ST* __restrict__ A, const ST* __restrict__ B, ST* __restrict__ C) {
          // dot_general ORIGIN: tiled TMxTN, TK deep, 4x4 outputs per thread
          __shared__ ACC As[TK][TM + 1];
          __shared__ ACC Bs[TK][TN + 1];
          const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
          const sl_idx bb = blockIdx.z;
          const sl_idx m0 = (sl_idx)blockIdx.y * TM, n0 = (sl_idx)blockIdx.x * TN;
          ACC acc[4][4];
          #pragma unroll
          for (int a = 0; a < 4; a++) {
            #pragma unroll
            for (int c = 0; c < 4; c++) acc[a][c] = (ACC)0;
          }
          for (sl_idx k0 = 0; k0 < KLL; k0 += TK) {
            for (int t = threadIdx.x; t < TM * TK; t += 256) {
              const int am = t / TK, ak = t % TK;
              { const sl_idx mm = m0 + am, kk = k0 + ak;
                As[ak][am] = (mm < MLL && kk < KLL) ? (ACC)A[LHS] : (ACC)0; }
              const int bk = t / TN, bn = t % TN;
              { const sl_idx kk = k0 + bk, nn = n0 + bn;
                Bs[bk][bn] = (kk < KLL && nn < NLL) ? (ACC)B[RHS] : (ACC)0; }
            }
            __syncthreads();
            #pragma unroll
            for (int q = 0; q < TK; q++) {
              ACC av[4], bv[4];
              #pragma unroll
              for (int a = 0; a < 4; a++) av[a] = As[q][ty + 16 * a];
              #pragma unroll
              for (int c = 0; c < 4; c++) bv[c] = Bs[q][tx + 16 * c];
              #pragma unroll
              for (int a = 0; a < 4; a++) {
                #pragma unroll
                for (int c = 0; c < 4; c++) acc[a][c] += av[a] * bv[c];
              }
            }
            __syncthreads();
          }
          #pragma unroll
          for (int a = 0; a < 4; a++) {
            #pragma unroll
            for (int c = 0; c < 4; c++) {
              const sl_idx mm = m0 + ty + 16 * a, nn = n0 + tx + 16 * c;
              if (mm < MLL && nn < NLL) C[(bb * MLL + mm) * NLL + nn] = (ST)acc[a][c];
            }
          }
        }
        """
        .replace("NAME", name).replace("ORIGIN", l + " x " + r).replace("ACC", acc).replace("ST", st)
        .replace("TM", Integer.toString(TILE_M)).replace("TN", Integer.toString(TILE_N))
        .replace("TK", Integer.toString(TILE_K)).replace("MLL", m + "LL").replace("NLL", n + "LL")
        .replace("KLL", kk + "LL").replace("LHS", lhs).replace("RHS", rhs);
    String launched = addKernel(name, "dot_general " + l + " x " + r, k);
    int li = b.slot(la);
    int ri = b.slot(ra);
    int out = b.define(e.outputs().get(0));
    int[] grid = {(int) ((n + TILE_N - 1) / TILE_N), (int) ((m + TILE_M - 1) / TILE_M), (int) batch};
    GpuProgram.Gemm gemm = null;
    if (d == DType.F32 && lb.length == 0 && l.rank() == 2 && r.rank() == 2 && lc.length == 1
        && m * n * kk > 0 && m <= Integer.MAX_VALUE && n <= Integer.MAX_VALUE && kk <= Integer.MAX_VALUE) {
      gemm = new GpuProgram.Gemm((int) m, (int) n, (int) kk, lc[0] == 0, rc[0] == 1);
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
